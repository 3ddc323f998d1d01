import type { EffectiveValue } from '../../core/oci-config.js';
import { ocidProblem } from '../../core/oci-config.js';
import { PRINCIPAL_MODES } from '../../core/auth-mode.js';
import { isKnownRegion, regionName } from '../../core/regions.js';
import { AUTH_MODE_DATA } from './auth-mode.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { AuthModeData } from './auth-mode.js';
import { dataKey } from '../../core/types.js';
import { withSource } from '../../core/evidence.js';

export interface ProfileData {
  mode: 'api_key' | 'security_token';
  profileName: string;
  file: string;
  values: Map<string, EffectiveValue>;
  region: string;
}

/** Values never shown: the pass phrase is a secret, the rest is evidence. */
const SECRET_KEYS = new Set(['pass_phrase']);

const REQUIRED: Record<ProfileData['mode'], string[]> = {
  api_key: ['user', 'tenancy', 'fingerprint', 'key_file', 'region'],
  security_token: ['tenancy', 'key_file', 'security_token_file', 'region'],
};

const codes = defineCodes({
  effective: {
    code: 'config.effective-values',
    severity: 'info',
    meaning: 'Every value of the profile in force and where it came from (flag, environment, file:line, inherited from [DEFAULT]).',
    fix: 'Nothing to fix: this is evidence for the report.',
  },
  fileMissing: {
    code: 'config.file-missing',
    severity: 'fail',
    meaning: 'The OCI config file the CLI would read does not exist.',
    fix: 'Create it with `oci setup config` (API key) or `oci session authenticate` (browser login), or point --config-file / OCI_CLI_CONFIG_FILE at it.',
  },
  parseError: {
    code: 'config.parse-error',
    severity: 'fail',
    meaning: 'The OCI config file has lines the CLI cannot read.',
    fix: 'Fix the lines named in the evidence: every line is a [PROFILE] header, key = value, or a # comment.',
  },
  profileMissing: {
    code: 'config.profile-missing',
    severity: 'fail',
    meaning: 'The profile asked for is not in the config file.',
    fix: 'Use one of the profiles the file has (--profile NAME), or create the missing one.',
  },
  fieldMissing: {
    code: 'config.field-missing',
    severity: 'fail',
    meaning: 'The profile lacks a key its auth mode needs (neither it nor [DEFAULT] sets it).',
    fix: 'Add the missing keys to the profile; `oci setup repair-file-permissions` does not, `oci setup config` writes a complete profile.',
  },
  ocidMalformed: {
    code: 'config.ocid-malformed',
    severity: 'fail',
    meaning: 'The user or tenancy in the profile is not a well-formed OCID of the right type.',
    fix: 'Copy the OCID again from the Console (Profile → User settings, or Tenancy details).',
  },
  regionUnknown: {
    code: 'config.region-unknown',
    severity: 'warn',
    meaning: 'The region is not one this version of the doctor knows; it may be newer than the doctor, or a typo.',
    fix: 'Check the spelling against the Console region list (e.g. us-ashburn-1).',
  },
  sdkOtherFile: {
    code: 'config.sdk-reads-other-file',
    severity: 'warn',
    meaning: "The TypeScript SDK's default loader reads ~/.oci/config before $OCI_CONFIG_FILE, so an application using it reads a different file than the CLI and this doctor.",
    fix: 'In your application pass the config file path explicitly (new ConfigFileAuthenticationDetailsProvider(path, profile)), or make the files agree.',
  },
});

function evidenceOf(values: Map<string, EffectiveValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of values) out[k] = withSource(SECRET_KEYS.has(k) ? '(set)' : v.value, v.source);
  return out;
}

/** What this check hands to the checks after it. */
export const PROFILE_DATA = dataKey<ProfileData>('profile.config');

export const profileConfigCheck: DoctorCheck = {
  id: PROFILE_DATA.checkId,
  title: 'OCI config file and profile',
  category: 'profile',
  dependsOn: ['auth.mode'],
  timeoutMs: 3000,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const auth = dataOf(AUTH_MODE_DATA);
    // An explicit --config-file / --profile that does not exist is diagnosed even though no auth mode followed from it.
    if (!auth || (!auth.mode && !auth.explicitChoiceFailed)) return { skipped: 'no auth mode', findings: [] };
    if (auth.mode && PRINCIPAL_MODES.has(auth.mode)) return { skipped: `not used by ${auth.mode}`, findings: [] };
    const mode = auth.mode as ProfileData['mode'];
    const facts = auth.profile;
    const where = { configFile: `${facts.file.path} (${facts.file.source})`, profile: `${facts.profile.name} (${facts.profile.source})` };
    if (!facts.read.ok) {
      const spec = facts.read.missing ? codes.spec.fileMissing : codes.spec.parseError;
      return { summary: facts.read.reason, findings: [findingFrom(spec, { title: `Cannot read ${facts.file.path}: ${facts.read.reason}`, evidence: where, commands: facts.read.missing ? ['oci setup config'] : [] })] };
    }
    const findings = [];
    const parsed = facts.parsed!;
    if (parsed.diagnostics.length > 0) {
      findings.push(
        findingFrom(codes.spec.parseError, {
          title: `${parsed.diagnostics.length} unreadable line(s) in ${facts.file.path}`,
          evidence: Object.fromEntries(parsed.diagnostics.slice(0, 10).map((d) => [`line ${d.line}`, d.message])),
        }),
      );
    }
    const values = facts.values;
    if (!values) {
      const have = [...parsed.profiles.keys()];
      findings.push(
        findingFrom(codes.spec.profileMissing, {
          title: `Profile [${facts.profile.name}] is not in ${facts.file.path}`,
          evidence: { ...where, profilesInFile: have.join(', ') || '(none)' },
          commands: have.length > 0 ? [`dbiam-doctor --profile ${have[0]}`] : ['oci setup config'],
        }),
      );
      return { summary: `no profile [${facts.profile.name}]`, findings };
    }
    deps.secrets.add(values.get('pass_phrase')?.value, 'pass phrase');
    const missing = REQUIRED[mode].filter((k) => !values.get(k)?.value);
    if (missing.length > 0) {
      findings.push(findingFrom(codes.spec.fieldMissing, { title: `Profile [${facts.profile.name}] lacks ${missing.join(', ')} (needed for ${mode})`, evidence: { ...where, ...evidenceOf(values) } }));
    }
    for (const [key, type] of [['user', 'user'], ['tenancy', 'tenancy']] as const) {
      const v = values.get(key);
      const problem = v?.value ? ocidProblem(v.value, type) : undefined;
      if (problem && v) findings.push(findingFrom(codes.spec.ocidMalformed, { title: `${key} in [${facts.profile.name}] is malformed`, detail: problem, evidence: { [key]: withSource(v.value, v.source) } }));
    }
    const region = values.get('region')?.value ?? deps.options.region ?? '';
    if (region && !isKnownRegion(region)) findings.push(findingFrom(codes.spec.regionUnknown, { title: `Region '${region}' is not known to this doctor`, evidence: { region: withSource(region, values.get('region')?.source ?? 'option') } }));
    if (facts.sdkFile && facts.sdkFile !== facts.file.path) {
      findings.push(
        findingFrom(codes.spec.sdkOtherFile, {
          title: 'The OCI TypeScript SDK would read a different config file',
          evidence: { 'CLI and doctor read': facts.file.path, 'SDK default loader reads': facts.sdkFile, OCI_CONFIG_FILE: deps.env.OCI_CONFIG_FILE ?? '(not set)' },
        }),
      );
    }
    findings.unshift(findingFrom(codes.spec.effective, { title: `Profile [${facts.profile.name}] as the CLI sees it`, evidence: { ...where, ...evidenceOf(values) } }));
    const data: ProfileData = { mode, profileName: facts.profile.name, file: facts.file.path, values, region: regionName(deps.options.region ?? region) };
    return { summary: `[${facts.profile.name}] in ${facts.file.path}, region ${data.region || '(none)'}`, findings, data };
  },
};
