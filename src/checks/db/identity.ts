// The finish line: run the identity query as the principal and say whether
// the database sees who it should. Through Database Tools when a connection
// is given (private databases), else directly with node-oracledb thin and
// the doctor's own DB token.
import type { ValidationFacts } from '../../adapters/oci-dbtools.js';
import type { ConnectTls, SessionIdentity } from '../../adapters/oracle-db.js';
import { ENABLE_IAM_SQL } from '../../core/db-config.js';
import { IDENTITY_QUERY, ROLES_QUERY } from '../../core/identity-query.js';
import { sameDbName } from '../../core/db-user-name.js';
import { EXPLAIN_UNKNOWN_ERROR } from '../../core/explain/types.js';
import type { CheckContext, CheckOutcome, Finding } from '../../core/types.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import { DB_TOKEN_DATA } from '../token/db-token.js';
import { TLS_SETTINGS_DATA } from '../tls/chain.js';
import { walletContentOf, type TlsSettings } from '../tls/settings.js';
import { CONNECT_TARGET_DATA } from '../network/target.js';
import type { ConnectTarget } from '../../core/connect/target.js';
import { retryStory, withoutRetries } from '../../core/connect/retry.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';
import { findingFrom } from '../finding.js';
import { strainFinding } from '../service-strain.js';
import type { WhoAmIData } from '../identity/whoami.js';
import { WALLET_PASSWORD_ENV } from '../wallet/data.js';
import type { DbTokenData } from '../token/db-token.js';
import { DB_CODES } from './codes.js';

const spec = DB_CODES.spec;
const BROAD_ROLES = ['DBA', 'PDB_DBA', 'SELECT_CATALOG_ROLE'];
const TOKEN_SCOPE_PROPERTY = 'iam.db.token.scope';

/** What the session looked like, compared with what was expected. */
function judgeSession(identity: SessionIdentity, deps: DoctorDeps, path: string): Finding[] {
  const evidence: Record<string, string> = {
    path,
    'session user': identity.sessionUser ?? '(none)',
    'current schema': identity.currentSchema ?? '(none)',
    'authenticated identity': identity.authenticatedIdentity ?? '(none)',
    'authentication method': identity.authenticationMethod ?? '(none)',
    'enterprise identity': identity.enterpriseIdentity ?? '(none)',
    roles: identity.roles.length > 0 ? identity.roles.join(', ') : '(none)',
  };
  const findings: Finding[] = [];
  const expected = deps.options.expectDbUser;
  if (expected && !sameDbName(expected, identity.sessionUser ?? '')) {
    findings.push(findingFrom(spec.unexpectedUser, { title: `The database mapped the session to ${identity.sessionUser}, not ${expected.toUpperCase()}`, evidence }));
  }
  const method = identity.authenticationMethod ?? '';
  if (method !== 'TOKEN_GLOBAL' && method !== 'PASSWORD_GLOBAL') {
    findings.push(findingFrom(spec.unexpectedMethod, { title: `Authentication method is ${method || 'unknown'}, not TOKEN_GLOBAL`, evidence }));
  }
  const broad = identity.roles.filter((r) => BROAD_ROLES.includes(r.toUpperCase()));
  if (broad.length > 0) findings.push(findingFrom(spec.broadRoles, { title: `The session holds ${broad.join(', ')}`, evidence, commands: broad.map((r) => `REVOKE ${r} FROM ${identity.sessionUser};`) }));
  // The panel the run ends with: the facts themselves, nothing to fix.
  const detail = [
    `Session user:           ${identity.sessionUser ?? '(none)'}`,
    `Current schema:         ${identity.currentSchema ?? '(none)'}`,
    `Authenticated identity: ${identity.authenticatedIdentity ?? '(none)'}`,
    `Authentication method:  ${method || '(none)'}`,
    `Enterprise identity:    ${identity.enterpriseIdentity ?? '(none)'}`,
    `Roles:                  ${identity.roles.join(', ') || '(none)'}`,
  ].join('\n');
  findings.unshift({
    ...findingFrom(spec.identityConfirmed, { title: `The database sees ${identity.sessionUser} (${identity.authenticatedIdentity}) by ${method}`, detail, evidence, fixText: '' }),
    highlight: true,
  });
  return findings;
}

function outcomeOf(findings: Finding[], summary: string): CheckOutcome {
  return { summary, findings };
}

/** What the Database Tools path established before validating: facts the service's bare answer does not carry. */
interface DbToolsContext {
  /** The database's identity provider, read through the ORACLE_DATABASE_EXTERNAL_AUTHENTICATION property set. */
  provider?: string;
  /** Whether the connection sets iam.db.token.scope. */
  scopeSet: boolean;
  /** Whether policy.access passed: a policy lets the principal use database-connections. */
  policyPassed: boolean;
}

const LIST_GLOBAL_USERS_SQL = "SELECT username, external_name FROM dba_users WHERE authentication_type = 'GLOBAL';";

/**
 * A failed validation. The service answers only what the database said — a
 * bare ORA-01017 names no cause — so the diagnosis comes from the run's other
 * facts: the explainer's table for what earlier checks found, else the links
 * this path verified, which leave the mapping inside the database as the one
 * it could not see.
 */
/** The error explainer and its table (about 75 kB), loaded only when a connection failed. */
type Explainer = typeof import('../../core/explain/index.js');
/**
 * The explainer, unless the run stopped waiting for this check (its limit ran
 * out, or Ctrl+C) while the connection was tried: node-oracledb's connect
 * cannot be called off, and nothing more is done for a result no one reads.
 */
const loadExplainer = (signal: AbortSignal): Promise<Explainer> => {
  signal.throwIfAborted();
  return import('../../core/explain/index.js');
};

function validationFindings(v: ValidationFacts, known: DbToolsContext, codesSoFar: string[], { explainError, findingOfExplanation }: Explainer): Finding[] {
  const evidence: Record<string, string> = { code: v.code ?? '', message: v.message ?? '' };
  if (v.cause) evidence.cause = v.cause;
  if (v.action) evidence.action = v.action;
  const iam = v.externalAuthenticationStatuses.find((s) => s.type === 'OCI_IAM');
  if (iam && iam.status !== 'ENABLED') {
    return [findingFrom(spec.externalAuthDisabled, { title: 'The database does not accept OCI IAM identities', evidence, commands: [ENABLE_IAM_SQL] })];
  }
  const explained = explainError(`${v.message ?? v.code ?? ''}${v.cause ? `\n${v.cause}` : ''}`, { foundCodes: codesSoFar });
  const main = explained[0];
  // Ranked: no finding of this run accounts for the denial (the explainer then lists every cause).
  const unexplainedLogonDenial = main?.code === 'db.logon-denied' && main.confidence === 'ranked';
  if (unexplainedLogonDenial && known.provider === 'OCI_IAM' && known.scopeSet && known.policyPassed) {
    // Policy (policy.access passed), IAM enabled and a scope set: what is left is inside the database.
    const causes = [
      `1. ${spec.noGlobalMapping.code}: no global user or role maps this principal or its groups (tell: ${LIST_GLOBAL_USERS_SQL})`,
      '2. dbuser.mapping-mismatch: a global user maps another name or OCID than the one the database sees (tell: the same query, against the Database Username)',
      `3. token.scope-excludes-database: the connection's iam.db.token.scope leaves this database out (tell: the scope against the database's compartment)`,
    ].join(' ');
    return [
      findingFrom(spec.noGlobalMapping, {
        title: 'ORA-01017 with policy, IAM authentication and token scope in place: most likely no global user or role maps this principal',
        detail: 'The database refused the logon and, as always, did not say why. This run found the IAM policy, the database’s OCI_IAM identity provider and the connection’s token scope in place, so the likeliest broken link is the one only the database knows: its global users and roles. The doctor cannot read them through this connection; an admin connection (--admin-dbtools-connection-id) lets it confirm.',
        evidence: { ...evidence, verified: 'policy.access passed; identity provider OCI_IAM; iam.db.token.scope set', 'possible causes': causes },
        inspect: [LIST_GLOBAL_USERS_SQL],
      }),
    ];
  }
  if (main && main.code !== 'explain.unknown-error') {
    const f = findingOfExplanation(main);
    return [{ ...f, evidence: { ...evidence, ...f.evidence } }];
  }
  return [findingFrom(spec.dbtoolsValidateFailed, { title: `Database Tools validation failed: ${v.code}`, ...(v.cause ? { detail: v.cause } : {}), evidence, ...(v.action ? { fixText: v.action } : {}) })];
}

async function throughDatabaseTools(deps: DoctorDeps, who: WhoAmIData, connectionId: string, codesSoFar: string[], policyPassed: boolean, signal: AbortSignal): Promise<CheckOutcome> {
  const oci = deps.facts.oci;
  const conn = await oci.dbToolsConnection(who.identity, connectionId);
  if (!conn.ok && strainFinding(conn, 'GetDatabaseToolsConnection')) return outcomeOf([strainFinding(conn, 'GetDatabaseToolsConnection') as Finding], 'service strain');
  if (!conn.ok) {
    return outcomeOf([findingFrom(spec.dbtoolsValidateFailed, { title: `Cannot read Database Tools connection: ${conn.status} ${conn.code}`, detail: 'Reading the connection needs `use database-tools-connections` (or read) in its compartment; 404 also means a wrong OCID.', evidence: { connection: connectionId, answer: `${conn.status} ${conn.code}: ${conn.message}` } })], 'connection unreadable');
  }
  const c = conn.value;
  const evidence: Record<string, string> = {
    connection: `${c.displayName} (${c.id})`,
    'authentication type': c.authenticationType ?? '(unknown)',
    'runtime identity': c.runtimeIdentity ?? '(unknown)',
    [TOKEN_SCOPE_PROPERTY]: c.advancedProperties[TOKEN_SCOPE_PROPERTY] ?? '(not set)',
    'key stores': c.keyStores.map((k) => `${k.keyStoreType ?? '?'} ${k.secretId ?? ''}`).join(', ') || '(none)',
    'private endpoint': c.privateEndpointId ?? '(none)',
  };
  if (c.authenticationType !== 'TOKEN') {
    return outcomeOf([findingFrom(spec.dbtoolsNotTokenAuth, { title: `Connection ${c.displayName} authenticates with ${c.authenticationType ?? 'an unknown type'}, not TOKEN`, evidence })], 'not a token connection');
  }
  const findings: Finding[] = [];
  if (!c.advancedProperties[TOKEN_SCOPE_PROPERTY]) findings.push(findingFrom(spec.dbtoolsScopeMissing, { title: `Connection ${c.displayName} has no ${TOKEN_SCOPE_PROPERTY}`, evidence }));
  // The property set reads the database's own identity provider: NONE is a database that does not accept IAM at all.
  const provider = await oci.dbToolsExternalAuth(who.identity, connectionId);
  evidence['external authentication'] = provider.ok ? (provider.value ?? '(none)') : `unreadable (${provider.status} ${provider.code})`;
  if (provider.ok && provider.value === 'NONE') {
    return outcomeOf([...findings, findingFrom(spec.externalAuthDisabled, { title: 'The database does not accept OCI IAM identities (its external authentication provider is NONE)', evidence, commands: [ENABLE_IAM_SQL] })], 'IAM authentication not enabled');
  }
  if (provider.ok && provider.value !== 'OCI_IAM') {
    return outcomeOf([...findings, findingFrom(spec.dbtoolsExternalAuthDisabled, { title: `The ORACLE_DATABASE_EXTERNAL_AUTHENTICATION property set is not OCI_IAM (${provider.value ?? '(none)'})`, evidence })], 'another external authentication provider');
  }
  const v = await oci.validateDbToolsConnection(who.identity, connectionId);
  const strain = (!provider.ok && strainFinding(provider, 'GetPropertySet')) || (!v.ok && strainFinding(v, 'ValidateDatabaseToolsConnection'));
  if (strain) return outcomeOf([...findings, strain], 'service strain');
  if (!v.ok) return outcomeOf([...findings, findingFrom(spec.dbtoolsValidateFailed, { title: `ValidateDatabaseToolsConnection answered ${v.status} ${v.code}`, evidence: { ...evidence, answer: v.message } })], 'validation refused');
  const known: DbToolsContext = { ...(provider.ok && provider.value ? { provider: provider.value } : {}), scopeSet: Boolean(c.advancedProperties[TOKEN_SCOPE_PROPERTY]), policyPassed };
  if (v.value.code !== 'OK') return outcomeOf([...findings, ...validationFindings(v.value, known, codesSoFar, await loadExplainer(signal))], `validation failed: ${v.value.code}`);
  const identityRow = await oci.executeSql(who.identity, connectionId, IDENTITY_QUERY);
  const roles = await oci.executeSql(who.identity, connectionId, ROLES_QUERY);
  const sqlStrain = (!identityRow.ok && strainFinding(identityRow, 'ExecuteSql')) || (!roles.ok && strainFinding(roles, 'ExecuteSql'));
  if (sqlStrain) return outcomeOf([...findings, sqlStrain], 'service strain');
  if (!identityRow.ok || identityRow.value.error || !roles.ok) {
    const why = !identityRow.ok ? `${identityRow.status} ${identityRow.code}` : identityRow.value.error?.message ?? (roles.ok ? '' : `${roles.status} ${roles.code}`);
    return outcomeOf([...findings, findingFrom(spec.dbtoolsValidateFailed, { title: `The identity query failed through Database Tools: ${why}`, evidence })], 'identity query failed');
  }
  const row = identityRow.value.rows[0] ?? [];
  const str = (x: unknown) => (x === null || x === undefined ? undefined : String(x));
  const session: SessionIdentity = { currentSchema: str(row[0]), sessionUser: str(row[1]), authenticatedIdentity: str(row[2]), authenticationMethod: str(row[3]), enterpriseIdentity: str(row[4]), roles: roles.value.rows.map((r) => String(r[0])) };
  return outcomeOf([...findings, ...judgeSession(session, deps, `Database Tools connection ${c.displayName}`)], `${session.sessionUser} by ${session.authenticationMethod} (Database Tools)`);
}

async function direct(deps: DoctorDeps, token: DbTokenData, target: ConnectTarget, tls: DirectTls, codesSoFar: string[], signal: AbortSignal): Promise<CheckOutcome> {
  const res = await deps.facts.database.identityQuery({ ...(await connectTlsOf(deps, target.descriptor, tls)), token: token.token, privateKeyPem: token.privateKeyPem });
  if (res.ok) return outcomeOf(judgeSession(res.identity, deps, 'node-oracledb thin, direct'), `${res.identity.sessionUser} by ${res.identity.authenticationMethod}`);
  // The run's own facts rank the causes of an ambiguous error (ORA-12506: a
  // wallet was or was not given), and the catalogue's fix texts are the ones used.
  const port = target.addresses[0]?.port;
  const run = { walletGiven: Boolean(tls.walletLocation || tls.walletCaPems?.length), ...(port ? { port } : {}), ...(tls.clientCertRequested !== undefined ? { clientCertRequested: tls.clientCertRequested } : {}) };
  const { explainError, errorTextOf, findingOfExplanation } = await loadExplainer(signal);
  const explanations = explainError(errorTextOf(Object.assign(new Error(res.message), { stack: res.stack })), { foundCodes: codesSoFar, run, ...(deps.catalogue ? { specs: await deps.catalogue() } : {}) });
  return outcomeOf(withRetryStory(explanations.map(findingOfExplanation), target), res.message.split('\n')[0] ?? 'connection failed');
}

/** The first finding of a failed connection says what the user's driver would do with the descriptor's retries. */
export function withRetryStory(findings: Finding[], target: ConnectTarget): Finding[] {
  const story = retryStory(target.retry, target.addresses.length);
  const [first, ...rest] = findings;
  if (!story || !first) return findings;
  return [{ ...first, evidence: { ...first.evidence, 'with your retries': story } }, ...rest];
}

/** The checks a direct connection (node-oracledb over the connect string) builds on. */
export const DIRECT_PATH_CHECKS = ['connect.target', 'net.reach', 'tls.chain'];

/** Why a direct connection is not worth trying: a link before it failed (and already says why). */
export function directPathBlocked(resultOf: CheckContext<DoctorDeps>['resultOf']): string | undefined {
  const failed = DIRECT_PATH_CHECKS.map(resultOf).find((r) => r?.status === 'fail' || r?.status === 'error');
  return failed ? `skipped: ${failed.title} did not pass (${failed.status})` : undefined;
}

/**
 * The connect string and TLS settings for node-oracledb. A wallet directory
 * comes with its password: a downloaded wallet's ewallet.pem key is encrypted;
 * a throw-away wallet for a CA is built here, when a connection follows.
 */
export async function connectTlsOf(deps: DoctorDeps, connectString: string, tls: DirectTls): Promise<ConnectTls> {
  const walletPassword = tls.walletLocation ? deps.env[WALLET_PASSWORD_ENV] || undefined : undefined;
  const walletContent = await walletContentOf(tls, deps.secrets, () => deps.facts.newKeyPair());
  return {
    // One try: a descriptor's retries (ADB's carry 20, 3 s apart) would outlast the check's limit.
    connectString: withoutRetries(connectString),
    sslServerDNMatch: tls.sslServerDNMatch,
    ...(tls.sslServerCertDN ? { sslServerCertDN: tls.sslServerCertDN } : {}),
    ...(walletContent ? { walletContent } : {}),
    ...(tls.walletLocation ? { walletLocation: tls.walletLocation } : {}),
    ...(walletPassword ? { walletPassword } : {}),
    connectTimeoutSeconds: 10,
  };
}

/** TLS settings the direct path passes to node-oracledb (from the TLS checks when they ran). */
export type DirectTls = Pick<TlsSettings, 'sslServerDNMatch' | 'sslServerCertDN' | 'walletCaPems' | 'walletLocation' | 'clientCertRequested'>;

export const dbIdentityCheck: DoctorCheck = {
  id: 'db.identity',
  title: 'Identity query: who the database sees',
  category: 'db',
  dependsOn: ['identity.whoami', 'policy.access', 'dbuser.name'],
  // The direct path needs these (and the doctor's own DB token); the Database
  // Tools path uses neither the local network nor that token, so their
  // failure must not stop it. The admin read (db.config) comes first so that
  // what it found names the cause of an ORA-01017.
  after: [...DIRECT_PATH_CHECKS, 'token.db-token', 'db.config'],
  timeoutMs: 30000,
  needsOciApi: true,
  // The explainer's own code is reported here when a live error is not in its table.
  codes: [...DB_CODES.list, EXPLAIN_UNKNOWN_ERROR],
  async run({ deps, dataOf, codesSoFar, resultOf }, signal) {
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'no signing identity (see Who am I)', findings: [] };
    if (deps.options.dbtoolsConnectionId) return throughDatabaseTools(deps, who, deps.options.dbtoolsConnectionId, codesSoFar(), resultOf('policy.access')?.status === 'pass', signal);
    const blocked = directPathBlocked(resultOf);
    if (blocked) return { skipped: blocked, findings: [] };
    const token = dataOf(DB_TOKEN_DATA);
    const target = dataOf(CONNECT_TARGET_DATA);
    const tls = dataOf(TLS_SETTINGS_DATA);
    if (!token) return { skipped: 'no DB token (see DB token)', findings: [] };
    if (!target) return { skipped: 'no connect string (--dsn) and no Database Tools connection (--dbtools-connection-id)', findings: [] };
    return direct(deps, token, target, tls ?? { sslServerDNMatch: true }, codesSoFar(), signal);
  },
};
