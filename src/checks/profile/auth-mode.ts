import { readProfileFacts, type ProfileFacts } from '../../core/oci-profile.js';
import { decideAuthMode } from '../../core/auth-mode.js';
import type { AuthMode } from '../../core/options.js';
import { defineCodes, findingFrom } from '../finding.js';
import { dataKey } from '../../core/types.js';
import { describePod, podFacts, SERVICE_ACCOUNT_DIR, type PodFacts } from '../../core/pod-env.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';

export interface AuthModeData {
  mode: AuthMode | undefined;
  source: string;
  profile: ProfileFacts;
  /** A config file or profile chosen explicitly does not exist: the profile check names it. */
  explicitChoiceFailed?: boolean;
  /** Set when running in a Kubernetes pod: the workload the doctor runs as. */
  pod?: PodFacts;
}

/** The pod's namespace and service account, from the files Kubernetes mounts (only read inside a pod). */
async function readPod(deps: DoctorDeps): Promise<PodFacts | undefined> {
  if (!deps.env.KUBERNETES_SERVICE_HOST) return undefined;
  const tokenPath = deps.env.OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH ?? `${SERVICE_ACCOUNT_DIR}/token`;
  const [ns, token] = await Promise.all([deps.files.readText(`${SERVICE_ACCOUNT_DIR}/namespace`, 1024), deps.files.readText(tokenPath, 64 * 1024)]);
  return podFacts(deps.env, { tokenPath, ...(ns.ok ? { namespace: ns.text } : {}), ...(token.ok ? { token: token.text } : {}) });
}

const RP_VARS = ['OCI_RESOURCE_PRINCIPAL_VERSION', 'OCI_RESOURCE_PRINCIPAL_RPST', 'OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM', 'OCI_RESOURCE_PRINCIPAL_REGION'];
const OKE_VARS = ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT_PROXYMUX'];

const codes = defineCodes({
  conflict: {
    code: 'auth.mode-conflict',
    severity: 'warn',
    meaning: 'The auth mode chosen by --auth or OCI_CLI_AUTH disagrees with the profile or the environment, so requests are signed differently than the setup intends.',
    fix: 'Drop the override, or point it at a profile made for that mode.',
  },
  none: {
    code: 'auth.mode-undetermined',
    severity: 'fail',
    meaning: 'No credentials were found: no OCI config profile, no principal environment, and no instance metadata service.',
    fix: 'Create a profile with `oci setup config` (API key) or `oci session authenticate` (session token), or pass --auth for a principal mode.',
  },
  imdsUnreachable: {
    code: 'auth.imds-unreachable',
    severity: 'fail',
    meaning: 'Instance principal auth needs the instance metadata service, and it did not answer: this is not an OCI instance, or the route to 169.254.169.254 is blocked.',
    fix: 'Run on the OCI instance itself (not a laptop), check that nothing (a proxy, iptables) intercepts 169.254.169.254, or use a profile instead.',
  },
  rpIncomplete: {
    code: 'auth.resource-principal-incomplete',
    severity: 'fail',
    meaning: 'Resource principal auth needs OCI_RESOURCE_PRINCIPAL_VERSION, _RPST, _PRIVATE_PEM and _REGION; some are missing.',
    fix: 'Run inside the OCI service that provides the resource principal (Functions, Data Science, …), which sets these variables.',
  },
  okeIncomplete: {
    code: 'auth.oke-workload-incomplete',
    severity: 'fail',
    meaning: 'OKE workload identity needs KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT_PROXYMUX and the service-account token; some are missing.',
    fix: 'Run in a pod of an enhanced OKE cluster with workload identity, with a service account token mounted.',
  },
});

/** What this check hands to the checks after it. */
export const AUTH_MODE_DATA = dataKey<AuthModeData>('auth.mode');

/** What the user chose explicitly (a config file, a profile) that does not exist, in words; undefined when nothing explicit failed. */
function explicitChoiceFailure(profile: AuthModeData['profile']): string | undefined {
  const fileChosen = !profile.file.source.startsWith('default');
  const profileChosen = profile.profile.source !== 'default';
  if (fileChosen && !profile.read.ok) return `${profile.file.source} ${profile.file.path} cannot be read`;
  if (profileChosen && profile.read.ok && !profile.values) return `${profile.profile.source} ${profile.profile.name} is not in ${profile.file.path}`;
  return undefined;
}

export const authModeCheck: DoctorCheck = {
  id: AUTH_MODE_DATA.checkId,
  title: 'Auth mode',
  category: 'profile',
  dependsOn: [],
  timeoutMs: 4000,
  codes: codes.list,
  async run({ deps }, signal) {
    const profile = await readProfileFacts(deps);
    const pod = await readPod(deps);
    const podEvidence: Record<string, string> = pod ? { 'kubernetes pod': describePod(pod) } : {};
    const { options, env } = deps;
    const explicit = options.auth ? { mode: options.auth, source: options.sources.auth === 'flag' ? '--auth' : (options.sources.auth ?? '--auth').replace(/^env /, '') } : undefined;
    const decision = decideAuthMode({ explicit, profileKeys: profile.values ? new Set(profile.values.keys()) : undefined, profileName: profile.profile.name, env, platform: deps.system.platform });
    const findings = decision.conflicts.map((c) => findingFrom(codes.spec.conflict, { title: 'Auth mode settings disagree', detail: c, evidence: { mode: decision.mode ?? '(none)', decidedBy: decision.source } }));
    let mode = decision.mode;
    let source = decision.source;
    const imdsUrl = deps.facts.principals.metadataUrl;

    // --offline talks to no OCI service, the instance metadata service included.
    if (mode === undefined && decision.probeImds && !options.offline) {
      const probe = await deps.facts.principals.probeMetadata(signal);
      if (probe.reachable) {
        mode = 'instance_principal';
        source = `instance metadata answered (${probe.instanceId ?? 'instance'})`;
      }
    }
    // A file or profile the user named that cannot be used is that choice's failure (profile.config
    // reports config.file-missing / config.profile-missing), not "no credentials anywhere".
    const chosen = explicitChoiceFailure(profile);
    if (mode === undefined && chosen) {
      return { skipped: `${chosen}: see the profile check`, findings, data: { mode, source, profile, explicitChoiceFailed: true } satisfies AuthModeData };
    }
    if (mode === undefined) {
      const imds: Record<string, string> = decision.probeImds && options.offline ? { instanceMetadata: 'not asked (--offline)' } : {};
      findings.push(findingFrom(codes.spec.none, { title: 'No OCI credentials found', evidence: { ...podEvidence, configFile: `${profile.file.path} (${profile.read.ok ? 'found' : profile.read.missing ? 'not found' : `unreadable: ${profile.read.reason}`})`, profile: profile.profile.name, ...imds }, commands: ['oci session authenticate', 'oci setup config'] }));
    } else if (mode === 'instance_principal' || mode === 'instance_obo_user') {
      if (!source.startsWith('instance metadata') && !options.offline) {
        const probe = await deps.facts.principals.probeMetadata(signal);
        if (!probe.reachable) findings.push(findingFrom(codes.spec.imdsUnreachable, { title: `Instance metadata service unreachable: ${probe.reason}`, evidence: { url: imdsUrl, reason: probe.reason } }));
      }
    } else if (mode === 'resource_principal') {
      const missing = RP_VARS.filter((v) => !env[v]);
      if (missing.length > 0) findings.push(findingFrom(codes.spec.rpIncomplete, { title: `Resource principal environment incomplete: ${missing.join(', ')} missing`, evidence: Object.fromEntries(RP_VARS.map((v) => [v, env[v] ? 'set' : 'missing'])) }));
    } else if (mode === 'oke_workload_identity') {
      const missing = OKE_VARS.filter((v) => !env[v]);
      if (missing.length > 0) findings.push(findingFrom(codes.spec.okeIncomplete, { title: `OKE workload identity environment incomplete: ${missing.join(', ')} missing`, evidence: { ...Object.fromEntries(OKE_VARS.map((v) => [v, env[v] ? 'set' : 'missing'])), ...podEvidence } }));
    }
    const data: AuthModeData = { mode, source, profile, ...(pod ? { pod } : {}) };
    // In a pod, the workload is part of the answer: which namespace and service account this run was.
    const where = pod ? ` · pod ${pod.namespace ?? '?'}/${pod.serviceAccount ?? '?'}` : '';
    return { summary: `${mode ? `${mode} (${source})` : 'none found'}${where}`, findings, data };
  },
};
