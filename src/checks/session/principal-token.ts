import { relativeTime } from '../../core/duration.js';
import { claimDate, decodeJwt } from '../../core/jwt.js';
import { AUTH_MODE_DATA } from '../profile/auth-mode.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { AuthModeData } from '../profile/auth-mode.js';

const DEFAULT_SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const MAX_TOKEN_BYTES = 64 * 1024;

const codes = defineCodes({
  unreadable: { code: 'principal.token-unreadable', severity: 'fail', meaning: 'The principal token (resource principal RPST or Kubernetes service-account token) cannot be read or is not a JWT.', fix: 'Check the variable or mounted file that should hold it; in OKE, mount the service-account token (automountServiceAccountToken).' },
  expired: { code: 'principal.token-expired', severity: 'fail', meaning: 'The principal token has expired: its exp claim has passed, and nothing replaced it before this run.', fix: 'Find out why the platform that provides the token (Functions, a job, OKE) did not give a fresh one, then run again.' },
});

/** A variable holds either the value itself or the path of a file that does. */
export async function valueOrFile(deps: DoctorDeps, raw: string): Promise<{ ok: true; text: string; from: string } | { ok: false; reason: string; from: string }> {
  if (raw.startsWith('/') || raw.startsWith('~') || /^[A-Za-z]:\\/.test(raw)) {
    const read = await deps.files.readText(raw, MAX_TOKEN_BYTES);
    return read.ok ? { ok: true, text: read.text.trim(), from: raw } : { ok: false, reason: read.reason, from: raw };
  }
  return { ok: true, text: raw.trim(), from: 'the variable itself' };
}

export const principalTokenCheck: DoctorCheck = {
  id: 'session.principal-token',
  title: 'Principal token',
  category: 'session',
  dependsOn: ['auth.mode'],
  timeoutMs: 3000,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const mode = dataOf(AUTH_MODE_DATA)?.mode;
    let source: { ok: true; text: string; from: string } | { ok: false; reason: string; from: string };
    let label: string;
    if (mode === 'resource_principal') {
      const rpst = deps.env.OCI_RESOURCE_PRINCIPAL_RPST;
      if (!rpst) return { skipped: 'OCI_RESOURCE_PRINCIPAL_RPST not set (see auth.mode)', findings: [] };
      deps.secrets.add(deps.env.OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE, 'pass phrase');
      source = await valueOrFile(deps, rpst);
      label = 'resource principal token (RPST)';
    } else if (mode === 'oke_workload_identity') {
      const path = deps.env.OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH ?? DEFAULT_SA_TOKEN;
      source = await valueOrFile(deps, path);
      label = 'Kubernetes service-account token';
    } else {
      return { skipped: 'not a resource principal or OKE workload', findings: [] };
    }
    const evidence: Record<string, string> = { token: label, from: source.from };
    if (!source.ok) return { summary: 'unreadable', findings: [findingFrom(codes.spec.unreadable, { title: `Cannot read the ${label}: ${source.reason}`, evidence })] };
    deps.secrets.add(source.text, label);
    const jwt = decodeJwt(source.text);
    if (!jwt.ok) return { summary: 'not a JWT', findings: [findingFrom(codes.spec.unreadable, { title: `The ${label} is not a JWT: ${jwt.reason}`, evidence })] };
    const now = deps.now();
    const expires = claimDate(jwt.jwt.claims, 'exp');
    if (expires) evidence.expires = `${expires.toISOString()} (${relativeTime(expires, now)})`;
    if (typeof jwt.jwt.claims.sub === 'string') evidence.subject = jwt.jwt.claims.sub;
    if (expires && expires <= now) return { summary: 'expired', findings: [findingFrom(codes.spec.expired, { title: `The ${label} expired ${relativeTime(expires, now)}`, evidence })] };
    return { summary: expires ? `expires ${relativeTime(expires, now)}` : 'no expiry claim', findings: [] };
  },
};
