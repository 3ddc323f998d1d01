import type { OciUser, SigningIdentity } from '../../adapters/oci-sdk.js';
import { relativeTime } from '../../core/duration.js';
import { KEY_DATA } from '../profile/api-key.js';
import { SESSION_DATA } from '../session/token.js';
import { PROFILE_DATA } from '../profile/config.js';
import { AUTH_MODE_DATA } from '../profile/auth-mode.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { STRAIN_CODES, strainFinding } from '../service-strain.js';
import type { KeyData } from '../profile/api-key.js';
import type { ProfileData } from '../profile/config.js';
import type { AuthModeData } from '../profile/auth-mode.js';
import type { SessionData } from '../session/token.js';
import { valueOrFile } from '../session/principal-token.js';
import { decodeJwt } from '../../core/jwt.js';
import type { DoctorDeps } from '../deps.js';
import type { CheckOutcome } from '../../core/types.js';
import { dataKey } from '../../core/types.js';

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
  okeFailed: { code: 'identity.oke-exchange-failed', severity: 'fail', meaning: "The pod's service-account token could not be exchanged for an OCI token at the cluster's proxymux.", fix: 'Check that the cluster is an enhanced cluster with workload identity, that the service account token is mounted, and that KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT_PROXYMUX reach the proxymux.' },
  principalFailed: { code: 'identity.principal-federation-failed', severity: 'fail', meaning: 'The instance could not exchange its identity certificate for an instance-principal token.', fix: 'Check that the instance can reach the metadata service and the auth service of its region and realm (auth.<region>.<realm domain>, e.g. auth.us-ashburn-1.oraclecloud.com), that its identity certificate has not expired, and that the OCI SDK knows its region (else set OCI_REGION_METADATA).' },
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

/** What this check hands to the checks after it. */
export const WHOAMI_DATA = dataKey<WhoAmIData>('identity.whoami');

export const whoAmICheck: DoctorCheck = {
  id: WHOAMI_DATA.checkId,
  title: 'Who am I (one signed OCI call)',
  category: 'identity',
  dependsOn: ['auth.mode', 'profile.config', 'profile.key', 'session.token', 'session.principal-token'],
  timeoutMs: 15000,
  needsOciApi: true,
  // The service-strain codes are declared here once: GetUser is the first OCI read of every run.
  codes: [...codes.list, ...STRAIN_CODES.list],
  async run({ deps, dataOf }, signal) {
    const mode = dataOf(AUTH_MODE_DATA)?.mode;
    if (mode === 'instance_principal') return instancePrincipal(deps);
    if (mode === 'resource_principal') return resourcePrincipal(deps);
    if (mode === 'oke_workload_identity') return okeWorkload(deps, signal);
    const profile = dataOf(PROFILE_DATA);
    const key = dataOf(KEY_DATA);
    if (!profile || !key) return { skipped: 'needs a profile and its key (principal modes are checked elsewhere)', findings: [] };
    const who = signingIdentity(profile, key, dataOf(SESSION_DATA));
    if (typeof who === 'string') return { skipped: who, findings: [] };
    const res = await deps.facts.oci.user(who.identity, who.userId);
    const endpoint = await deps.facts.oci.serviceUrl('identity', profile.region);
    const evidence: Record<string, string> = { request: res.request, endpoint, signedWith: who.identity.kind === 'token' ? 'session token (ST$…)' : `API key ${key.fingerprint}` };
    if (res.ok) {
      const data: WhoAmIData = { identity: who.identity, user: res.value, tenancy: profile.values.get('tenancy')?.value ?? '' };
      return { summary: `${res.value.name}${res.value.dbUserName ? ` (Database Username ${res.value.dbUserName})` : ''}`, findings: [], data };
    }
    const strain = strainFinding(res, 'GetUser');
    if (strain) return { summary: res.gaveUp === 'throttled' ? 'throttled' : 'service error', findings: [strain] };
    if (res.opcRequestId) evidence['opc-request-id'] = res.opcRequestId;
    evidence.answer = `${res.status} ${res.code}: ${res.message}`;
    if (res.status === 0) return { summary: 'unreachable', findings: [findingFrom(codes.spec.unreachable, { title: `Cannot reach ${endpoint}: ${res.message}`, evidence })] };
    if (res.status === 401) {
      const server = await deps.facts.oci.serverDate('identity', profile.region, signal);
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
  const res = await deps.facts.principals.instancePrincipalSession(deps.options.region);
  const evidence: Record<string, string> = { metadata: deps.facts.principals.metadataUrl, request: res.request };
  if (!res.ok) {
    evidence.answer = `${res.status} ${res.code}: ${res.message}`;
    if (res.code === 'SdkRegionUnknown') return regionUnknownToSdk(deps, evidence);
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

/**
 * The instance's region is newer than the installed SDK (the adapter's
 * SdkRegionUnknown): named from the metadata service, with the
 * OCI_REGION_METADATA value that teaches the SDK the region.
 */
async function regionUnknownToSdk(deps: DoctorDeps, evidence: Record<string, string>): Promise<CheckOutcome> {
  const meta = await deps.facts.principals.instanceMetadata();
  const info = meta.ok ? meta.value.regionInfo : undefined;
  if (!info) {
    return { summary: 'region unknown to the SDK', findings: [findingFrom(codes.spec.principalFailed, { title: 'The OCI SDK does not know this instance’s region, so it cannot name the auth service', detail: 'Give the SDK the region’s metadata (realm key, realm domain, region key, region identifier) in OCI_REGION_METADATA or ~/.oci/regions-config.json, or upgrade the oci-* packages.', evidence })] };
  }
  evidence.regionInfo = `${info.regionIdentifier} (${info.regionKey}) in realm ${info.realmKey}, domain ${info.realmDomainComponent}`;
  const value = JSON.stringify({ realmKey: info.realmKey, realmDomainComponent: info.realmDomainComponent, regionKey: info.regionKey, regionIdentifier: info.regionIdentifier });
  return {
    summary: `region ${info.regionIdentifier} unknown to the SDK`,
    findings: [
      findingFrom(codes.spec.principalFailed, {
        title: `The OCI SDK does not know region ${info.regionIdentifier}, so it cannot name the auth service`,
        detail: `The metadata service places this instance in ${info.regionIdentifier}, realm ${info.realmKey} (${info.realmDomainComponent}). The installed OCI SDK has no entry for that region, so instance-principal sign-in stops before any request. Give it the region's metadata in the environment (or as an entry of ~/.oci/regions-config.json), for the doctor and for the application, or upgrade the oci-* packages.`,
        evidence,
        commands: [`export OCI_REGION_METADATA='${value}'`],
      }),
    ],
  };
}

/**
 * Resource principal (v2.2): requests are signed with the RPST as `ST$…` and
 * the principal's own private key; there is no exchange to make, so the
 * proof of the credentials is the first signed call that uses them (the DB
 * token request). Here: the identity and the claims it carries.
 */
async function resourcePrincipal(deps: DoctorDeps): Promise<CheckOutcome> {
  const env = deps.env;
  const rpst = env.OCI_RESOURCE_PRINCIPAL_RPST;
  const pem = env.OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM;
  if (!rpst || !pem) return { skipped: 'the resource principal environment is incomplete (see Auth mode)', findings: [] };
  const token = await valueOrFile(deps, rpst);
  const key = await valueOrFile(deps, pem);
  if (!token.ok || !key.ok) return { skipped: 'the resource principal token or key cannot be read (see Principal token)', findings: [] };
  deps.secrets.add(token.text, 'resource principal token');
  deps.secrets.add(key.text, 'resource principal private key');
  const passphrase = env.OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE;
  deps.secrets.add(passphrase, 'pass phrase');
  const jwt = decodeJwt(token.text);
  const c = jwt.ok ? jwt.jwt.claims : {};
  const id = String(c.res_id ?? c.sub ?? '');
  const compartmentId = typeof c.res_compartment === 'string' ? c.res_compartment : typeof c.compartment === 'string' ? c.compartment : undefined;
  const region = deps.options.region ?? env.OCI_RESOURCE_PRINCIPAL_REGION ?? '';
  const identity: SigningIdentity = { kind: 'token', token: token.text, privateKeyPem: key.text, passphrase, region };
  const data: WhoAmIData = { identity, principal: { kind: 'resource', id, compartmentId }, tenancy: String(c.res_tenant ?? c.tenant ?? '') };
  return { summary: `resource ${id}${compartmentId ? ` in ${compartmentId}` : ''} (signed with its RPST)`, findings: [], data };
}

const SA_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const SA_CA_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

/** OKE workload identity: the service-account token is exchanged at the proxymux; that exchange is the proof. */
async function okeWorkload(deps: DoctorDeps, signal: AbortSignal): Promise<CheckOutcome> {
  const env = deps.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = Number(env.KUBERNETES_SERVICE_PORT_PROXYMUX);
  if (!host || !Number.isInteger(port)) return { skipped: 'the OKE environment is incomplete (see Auth mode)', findings: [] };
  const sa = await deps.files.readText(env.OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH ?? SA_TOKEN_PATH, 64 * 1024);
  if (!sa.ok) return { skipped: 'the service-account token cannot be read (see Principal token)', findings: [] };
  const saToken = sa.text.trim();
  deps.secrets.add(saToken, 'service-account token');
  const caPath = env.OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH ?? SA_CA_PATH;
  const ca = await deps.files.readText(caPath, 1024 * 1024);
  const pair = await deps.facts.newKeyPair();
  deps.secrets.add(pair.privateKeyPem, 'session private key');
  const res = await deps.facts.principals.okeExchange({ host, port, serviceAccountToken: saToken, clusterCaPem: ca.ok ? ca.text : undefined, publicKeyPem: pair.publicKeyPem, signal });
  const evidence = { proxymux: `https://${host}:${port}/resourcePrincipalSessionTokens`, 'cluster CA': ca.ok ? caPath : `${caPath} (not readable: Node's roots only)` };
  if (!res.ok) {
    // 403: the proxymux is there but refuses. Workload identity works on enhanced clusters only (oci-common's
    // OKE_WORKLOAD_IDENTITY_DEBUG_INFORMATION_LOG: https://docs.oracle.com/en-us/iaas/tools/typescript/2.9.0/modules/_common_lib_auth_oke_workload_identity_authentication_details_provider_.html).
    const detail = res.status === 403 ? 'The proxymux refused the exchange (403). OKE Workload Identity works only on enhanced clusters; on a basic cluster the pod cannot get an OCI token this way.' : undefined;
    const inspect = res.status === 403 ? ["oci ce cluster get --cluster-id <cluster-ocid> --query 'data.type'"] : [];
    return { summary: 'exchange failed', findings: [findingFrom(codes.spec.okeFailed, { title: `The proxymux did not issue a token: ${res.reason}`, ...(detail ? { detail } : {}), evidence, inspect })] };
  }
  deps.secrets.add(res.token, 'workload token');
  const jwt = decodeJwt(res.token);
  const c = jwt.ok ? jwt.jwt.claims : {};
  const id = String(c.sub ?? '');
  const region = deps.options.region ?? env.OCI_RESOURCE_PRINCIPAL_REGION ?? '';
  const data: WhoAmIData = { identity: { kind: 'token', token: res.token, privateKeyPem: pair.privateKeyPem, region }, principal: { kind: 'workload', id, compartmentId: typeof c.res_compartment === 'string' ? c.res_compartment : undefined }, tenancy: String(c.tenant ?? c.res_tenant ?? '') };
  return { summary: `workload ${id} (token from the proxymux)`, findings: [], data };
}
