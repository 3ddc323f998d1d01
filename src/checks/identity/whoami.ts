import { DEFAULT_IMDS_URL } from '../../adapters/imds.js';
import { getUser, instancePrincipalSession, serverDate, serviceBaseUrl, type OciUser, type SigningIdentity } from '../../adapters/oci-sdk.js';
import { relativeTime } from '../../core/duration.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { KeyData } from '../profile/api-key.js';
import type { ProfileData } from '../profile/config.js';
import type { AuthModeData } from '../profile/auth-mode.js';
import type { SessionData } from '../session/token.js';
import type { DoctorDeps } from '../deps.js';
import type { CheckOutcome } from '../../core/types.js';

export interface WhoAmIData {
  identity: SigningIdentity;
  /** The IAM user, for user principals. */
  user?: OciUser;
  /** The token's claims, for instance principals. */
  principal?: { kind: string; id: string; compartmentId?: string };
  tenancy: string;
}

const MAX_SKEW_MS = 5 * 60 * 1000;

const codes = defineCodes({
  notAuthenticated: { code: 'identity.not-authenticated', severity: 'fail', meaning: 'OCI answered 401 NotAuthenticated to a signed request: the key is not uploaded to the user, the fingerprint or user is wrong, or the session is no longer valid.', fix: 'Upload the public key to the user (or fix user/fingerprint in the profile); for a session profile, log in again.' },
  clockSkew: { code: 'identity.clock-skew', severity: 'fail', meaning: "This machine's clock is more than 5 minutes from OCI's; OCI rejects every signed request whose date is that far off.", fix: 'Turn on time synchronisation (NTP / chrony / systemd-timesyncd, or the OS clock setting) and run again.' },
  notFound: { code: 'identity.not-found', severity: 'fail', meaning: 'OCI answered 404 NotAuthorizedOrNotFound when the caller read its own user: the user OCID is wrong, or belongs to another tenancy or realm.', fix: 'Check the user and tenancy OCIDs in the profile against the Console (Profile → User settings).' },
  principalFailed: { code: 'identity.principal-federation-failed', severity: 'fail', meaning: 'The instance could not exchange its identity certificate for an instance-principal token.', fix: 'Check that the instance can reach the auth service (auth.<region>.oraclecloud.com) and the metadata service, and that its identity certificate has not expired (a restart renews it).' },
  unreachable: { code: 'identity.unreachable', severity: 'fail', meaning: 'The Identity service could not be reached (DNS, TCP, TLS or proxy failure).', fix: 'Check network access to the endpoint shown; behind a proxy, see the env.proxy finding.' },
});

function signingIdentity(profile: ProfileData, key: KeyData, session: SessionData | undefined): { identity: SigningIdentity; userId: string } | string {
  const tenancy = profile.values.get('tenancy')?.value ?? '';
  if (profile.mode === 'security_token') {
    if (!session) return 'no usable session token';
    const sub = typeof session.claims.sub === 'string' ? session.claims.sub : '';
    return { identity: { kind: 'token', token: session.token, privateKeyPem: key.privateKeyPem, passphrase: key.passphrase, region: profile.region }, userId: sub };
  }
  const user = profile.values.get('user')?.value ?? '';
  const fingerprint = profile.values.get('fingerprint')?.value ?? key.fingerprint;
  return { identity: { kind: 'api_key', tenancy, user, fingerprint, privateKeyPem: key.privateKeyPem, passphrase: key.passphrase, region: profile.region }, userId: user };
}

export const whoAmICheck: DoctorCheck = {
  id: 'identity.whoami',
  title: 'Who am I (one signed OCI call)',
  category: 'identity',
  dependsOn: ['auth.mode', 'profile.config', 'profile.key', 'session.token'],
  timeoutMs: 15000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }, signal) {
    const mode = dataOf<AuthModeData>('auth.mode')?.mode;
    if (mode === 'instance_principal') return instancePrincipal(deps);
    const profile = dataOf<ProfileData>('profile.config');
    const key = dataOf<KeyData>('profile.key');
    if (!profile || !key) return { skipped: 'needs a profile and its key (principal modes are checked elsewhere)', findings: [] };
    const who = signingIdentity(profile, key, dataOf<SessionData>('session.token'));
    if (typeof who === 'string') return { skipped: who, findings: [] };
    const endpoints = deps.options.endpoints;
    const res = await getUser(who.identity, who.userId, { endpoints, env: deps.env });
    const endpoint = serviceBaseUrl('identity', profile.region, endpoints);
    const evidence: Record<string, string> = { request: `GET /20160918/users/${who.userId}`, endpoint, signedWith: who.identity.kind === 'token' ? 'session token (ST$…)' : `API key ${key.fingerprint}` };
    if (res.ok) {
      const data: WhoAmIData = { identity: who.identity, user: res.value, tenancy: profile.values.get('tenancy')?.value ?? '' };
      return { summary: `${res.value.name}${res.value.dbUserName ? ` (Database Username ${res.value.dbUserName})` : ''}`, findings: [], data };
    }
    if (res.opcRequestId) evidence['opc-request-id'] = res.opcRequestId;
    evidence.answer = `${res.status} ${res.code}: ${res.message}`;
    if (res.status === 0) return { summary: 'unreachable', findings: [findingFrom(codes.spec.unreachable, { title: `Cannot reach ${endpoint}: ${res.message}`, evidence })] };
    if (res.status === 401) {
      const server = await serverDate(endpoint, signal);
      const local = deps.now();
      if (server && Math.abs(server.getTime() - local.getTime()) > MAX_SKEW_MS) {
        evidence['server clock'] = server.toISOString();
        evidence['local clock'] = `${local.toISOString()} (${relativeTime(local, server).replace('in ', '').replace(' ago', '')} ${local > server ? 'ahead' : 'behind'})`;
        return { summary: 'clock skew', findings: [findingFrom(codes.spec.clockSkew, { title: 'This machine’s clock is more than 5 minutes off', evidence, commands: ['timedatectl set-ntp true'] })] };
      }
      const commands =
        profile.mode === 'security_token'
          ? [`oci session authenticate --profile-name ${profile.profileName} --region ${profile.region}`]
          : [`oci iam user api-key upload --user-id ${who.userId} --key-file <public key PEM of ${key.path}>`];
      const detail =
        profile.mode === 'security_token'
          ? 'OCI no longer accepts this session (ended, revoked, or issued for another region or tenancy), although it has not expired locally.'
          : `OCI does not know an API key with fingerprint ${(who.identity as { fingerprint: string }).fingerprint} for this user: the key was never uploaded, was deleted, or belongs to another user or tenancy.`;
      return { summary: '401 NotAuthenticated', findings: [findingFrom(codes.spec.notAuthenticated, { title: 'OCI rejected the signed request (401)', detail, evidence, commands })] };
    }
    if (res.status === 404) {
      return { summary: '404 NotAuthorizedOrNotFound', findings: [findingFrom(codes.spec.notFound, { title: `OCI cannot find user ${who.userId} for this caller`, detail: 'A caller can always read its own user, so 404 here means the user OCID in the profile (or the session subject) is not the one the key belongs to, or lives in another tenancy or realm.', evidence })] };
    }
    return { summary: `${res.status} ${res.code}`, findings: [findingFrom(codes.spec.unreachable, { title: `Identity answered ${res.status} ${res.code}`, evidence })] };
  },
};

async function instancePrincipal(deps: DoctorDeps): Promise<CheckOutcome> {
  const imdsUrl = deps.options.imdsUrl ?? DEFAULT_IMDS_URL;
  const res = await instancePrincipalSession({ imdsUrl, region: deps.options.region, call: { endpoints: deps.options.endpoints, env: deps.env } });
  const evidence: Record<string, string> = { metadata: imdsUrl, federation: deps.options.endpoints.auth ?? 'https://auth.<region>.oraclecloud.com' };
  if (!res.ok) {
    evidence.answer = `${res.status} ${res.code}: ${res.message}`;
    return { summary: 'federation failed', findings: [findingFrom(codes.spec.principalFailed, { title: `Instance principal federation failed: ${res.message}`, evidence })] };
  }
  deps.secrets.add(res.value.identity.kind === 'token' ? res.value.identity.token : undefined, 'instance principal token');
  deps.secrets.add(res.value.identity.privateKeyPem, 'session private key');
  const c = res.value.claims;
  const id = String(c.sub ?? '');
  const compartmentId = typeof c['opc-compartment'] === 'string' ? (c['opc-compartment'] as string) : undefined;
  const data: WhoAmIData = { identity: res.value.identity, principal: { kind: 'instance', id, compartmentId }, tenancy: String(c.tenant ?? c['opc-tenant'] ?? '') };
  return { summary: `instance ${id}${compartmentId ? ` in ${compartmentId}` : ''}`, findings: [], data };
}
