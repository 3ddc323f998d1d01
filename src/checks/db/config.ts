// The database side, when an admin path is offered — an admin Database Tools
// connection (--admin-dbtools-connection-id), or a local user over the
// connect string (--admin-user, password from DBIAM_DOCTOR_ADMIN_PASSWORD):
// is OCI IAM the identity provider, which global users and roles exist, which
// of them this principal would match, and the exact SQL for what is missing.
import type { SqlOutcome } from '../../adapters/oci-dbtools.js';
import type { OciResult } from '../../adapters/oci-sdk.js';
import type { QueryAnswer } from '../../adapters/oracle-db.js';
import { DB_CONFIG_QUERIES, ENABLE_IAM_SQL, judgeDbConfig, type DbConfigFacts, type DbConfigJudgement, type DbPrincipalFacts, type EntryMatch, type GlobalEntry } from '../../core/db-config.js';
import { ADMIN_PASSWORD_ENV } from '../../core/options.js';
import type { CheckOutcome, Finding } from '../../core/types.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import { TLS_SETTINGS_DATA } from '../tls/chain.js';
import { CONNECT_TARGET_DATA } from '../network/target.js';
import { DBUSER_DATA } from '../dbuser/name.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';
import type { DbUserData } from '../dbuser/name.js';
import { defineCodes, findingFrom } from '../finding.js';
import { strainFinding } from '../service-strain.js';
import type { WhoAmIData } from '../identity/whoami.js';
import { principalGroups } from '../principal-groups.js';
import { connectTlsOf, DIRECT_PATH_CHECKS, directPathBlocked, type DirectTls } from './identity.js';

const codes = defineCodes({
  mappings: {
    code: 'dbconfig.mappings',
    severity: 'info',
    meaning: 'What the database holds for IAM logons, read as ADMIN: identity_provider_type, the global users and roles with their mappings, and which of them this principal matches.',
    fix: 'Nothing to fix; the other dbconfig findings name what is missing.',
  },
  externalAuthDisabled: {
    code: 'dbconfig.external-auth-disabled',
    severity: 'fail',
    meaning: 'Read as ADMIN, identity_provider_type is not OCI_IAM: the database does not accept IAM tokens or IAM database passwords.',
    fix: `As ADMIN run ${ENABLE_IAM_SQL}`,
  },
  noMapping: {
    code: 'dbconfig.no-mapping-for-principal',
    severity: 'fail',
    meaning: "No global user in the database maps this principal: not its database name (IAM_PRINCIPAL_NAME), its OCID (IAM_PRINCIPAL_OCID) or any of its groups (IAM_GROUP_NAME). A global role alone gives no schema to log on to.",
    fix: "As ADMIN create the global user (CREATE USER … IDENTIFIED GLOBALLY AS '…') and GRANT CREATE SESSION to it.",
  },
  noCreateSession: {
    code: 'dbconfig.no-create-session',
    severity: 'fail',
    meaning: 'The global user this principal maps to holds no CREATE SESSION, directly or through a role (its own or a global role of its groups): logons end in ORA-01045.',
    fix: 'As ADMIN run GRANT CREATE SESSION TO <the mapped user>;',
  },
  noRoleForGroup: {
    code: 'dbconfig.no-role-for-group',
    severity: 'warn',
    meaning: 'The group named with --mapping has no global role or user in the database, so its members get none of the privileges meant for the group.',
    fix: "As ADMIN create a global role for the group (CREATE ROLE … IDENTIFIED GLOBALLY AS 'IAM_GROUP_NAME=…') and grant it the privileges the group needs.",
  },
  adminUnusable: {
    code: 'dbconfig.admin-unusable',
    severity: 'warn',
    meaning: 'The admin path (a Database Tools connection, or --admin-user over the connect string) could not log on or could not run the dictionary queries, so the database side was not checked.',
    fix: "Give a PASSWORD connection for ADMIN (or a user with SELECT ANY DICTIONARY) whose password secret Database Tools can read, and `use database-tools-connections` on it; or --admin-user with that user's password in DBIAM_DOCTOR_ADMIN_PASSWORD.",
  },
  adminPasswordMissing: {
    code: 'dbconfig.admin-password-missing',
    severity: 'warn',
    meaning: '--admin-user was given without its password: the doctor takes it from DBIAM_DOCTOR_ADMIN_PASSWORD, or asks for it (not echoed) when run at a terminal; never from a flag or a config file, which would leave it in shell history or on disk.',
    fix: 'Run the doctor at a terminal and type the password when asked, or read it into the variable without echo first.',
  },
});

/** What the database-side check found, for later checks and reports. */
export interface DbConfigData {
  connection: { id: string; displayName: string; userName?: string; authenticationType?: string };
  facts: DbConfigFacts;
  principal: DbPrincipalFacts;
  judgement: DbConfigJudgement;
}

const ANSWER = (r: { status: number; code: string; message: string }) => `${r.status === 0 ? 'no answer' : `${r.status} ${r.code}`}: ${r.message}`;

/** A query's rows as records keyed by upper-case column name, or why there are none. */
type Records = { ok: true; rows: Record<string, string | undefined>[] } | { ok: false; why: string };

function recordsOf(res: OciResult<SqlOutcome>): Records {
  if (!res.ok) return { ok: false, why: ANSWER(res) };
  if (res.value.error) return { ok: false, why: res.value.error.message ?? `error ${res.value.error.code ?? '?'}` };
  const cols = res.value.columns.map((c) => c.toUpperCase());
  const rows = res.value.rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i] === null || r[i] === undefined ? undefined : String(r[i])])));
  return { ok: true, rows };
}

function entriesOf(rows: Record<string, string | undefined>[], nameColumn: string): GlobalEntry[] {
  return rows.filter((r) => r[nameColumn]).map((r) => ({ name: r[nameColumn] as string, externalName: r.EXTERNAL_NAME ?? '' }));
}

/** The principal as the database would meet it: name, OCID, groups (or dynamic groups). */
async function principalOf(deps: DoctorDeps, who: WhoAmIData, db: DbUserData | undefined): Promise<{ principal: DbPrincipalFacts; note?: string }> {
  const kind = who.principal?.kind;
  const principal: DbPrincipalFacts = who.user
    ? { kind: 'user', id: who.user.id, dbName: db?.name ?? who.user.dbUserName ?? who.user.name, iamName: who.user.name }
    : { kind: kind === 'instance' ? 'instance' : kind === 'workload' ? 'workload' : 'resource', id: who.principal?.id ?? '' };
  const member = await principalGroups(deps, who);
  if (!member.ok) return { principal, note: `${member.reason}: group mappings could not be matched` };
  return { principal: { ...principal, groups: member.names }, ...(member.notes.length > 0 ? { note: member.notes.join('; ') } : {}) };
}

function describePrincipal(p: DbPrincipalFacts, db: DbUserData | undefined): string {
  const groups = p.groups === undefined ? 'groups unknown' : `${p.kind === 'user' ? 'groups' : 'dynamic groups'} ${p.groups.join(', ') || '(none)'}`;
  if (p.kind === 'user') return `user ${p.dbName}${db ? (db.fallback ? ' (IAM user name: no Database Username)' : ' (Database Username)') : ''}, ${groups}`;
  return `${p.kind} ${p.id}, ${groups}`;
}

function table(entries: GlobalEntry[], matches: EntryMatch[]): string[] {
  if (entries.length === 0) return ['  (none)'];
  const width = Math.max(...entries.map((e) => e.name.length));
  return entries.map((e) => {
    const m = matches.find((x) => x.entry === e);
    return `  ${e.name.padEnd(width)}  ${e.externalName || '(no external name)'}${m ? `   <- this principal (${m.kind}: ${m.why})` : ''}`;
  });
}

function findingsOf(facts: DbConfigFacts, principal: DbPrincipalFacts, j: DbConfigJudgement, db: DbUserData | undefined, evidence: Record<string, string>): Finding[] {
  const who = describePrincipal(principal, db);
  const logsOnAs = j.mappedUser ? `${j.mappedUser.entry.name} (${j.mappedUser.kind} mapping: ${j.mappedUser.why})` : '(no global user maps this principal)';
  const sharedCount = j.userMatches.filter((m) => m.kind === 'shared').length;
  const detail = [
    `identity_provider_type:  ${facts.identityProviderType ?? '(not set)'}`,
    `This principal:          ${who}`,
    `Logs on as:              ${logsOnAs}`,
    ...(j.mappedUser?.kind === 'shared' && sharedCount > 1 ? ['                         several shared mappings match; keep one, or map the principal exclusively'] : []),
    `Global roles it gets:    ${j.roleMatches.map((r) => r.entry.name).join(', ') || '(none)'}`,
    `Global users (${facts.globalUsers.length}):`,
    ...table(facts.globalUsers, j.userMatches),
    `Global roles (${facts.globalRoles.length}):`,
    ...table(facts.globalRoles, j.roleMatches),
  ].join('\n');
  const shown = { ...evidence, identity_provider_type: facts.identityProviderType ?? '(not set)', principal: who, 'logs on as': logsOnAs };
  const title = `Database side: ${facts.globalUsers.length} global user(s), ${facts.globalRoles.length} global role(s); this principal ${j.mappedUser ? `maps to ${j.mappedUser.entry.name}` : 'maps to none'}`;
  // Shown as a panel: whoever offered the admin path asked for this picture.
  const out: Finding[] = [{ ...findingFrom(codes.spec.mappings, { title, detail, evidence, fixText: '' }), highlight: true }];
  for (const piece of j.missing) {
    if (piece.kind === 'external-auth') {
      out.push(findingFrom(codes.spec.externalAuthDisabled, { title: `identity_provider_type is ${facts.identityProviderType ?? 'not set'}, not OCI_IAM`, evidence: shown, commands: piece.sql }));
    } else if (piece.kind === 'mapping') {
      const groupsNote = principal.groups === undefined ? ' Its groups could not be read, so a group mapping may still fit.' : '';
      out.push(
        findingFrom(codes.spec.noMapping, {
          title: `No global user maps ${principal.kind === 'user' ? principal.dbName : principal.id}`,
          detail: `${codes.spec.noMapping.meaning}${groupsNote}`,
          evidence: shown,
          fixText: `As ADMIN map it with '${piece.mapping}'${principal.groups && principal.groups.length > 0 && !piece.mapping.startsWith('IAM_GROUP_NAME=') ? ` (or share one schema with its group: 'IAM_GROUP_NAME=${principal.groups[0]}')` : ''} and let the user log on:`,
          commands: piece.sql,
        }),
      );
    } else if (piece.kind === 'create-session') {
      out.push(findingFrom(codes.spec.noCreateSession, { title: `${piece.user} may not log on: no CREATE SESSION`, evidence: shown, commands: piece.sql }));
    } else {
      out.push(findingFrom(codes.spec.noRoleForGroup, { title: `Nothing in the database maps '${piece.mapping}'`, evidence: shown, commands: piece.sql }));
    }
  }
  return out;
}

function unusable(title: string, evidence: Record<string, string>, detail?: string): CheckOutcome {
  return { summary: 'admin connection unusable', findings: [findingFrom(codes.spec.adminUnusable, { title, evidence, ...(detail ? { detail } : {}) })] };
}

/** The four dictionary answers, in DB_CONFIG_QUERIES order, from whichever admin path ran them. */
interface AdminAnswers {
  evidence: Record<string, string>;
  connection: DbConfigData['connection'];
  param: Records;
  users: Records;
  roles: Records;
  holders: Records;
}

const STATEMENTS = [DB_CONFIG_QUERIES.identityProvider, DB_CONFIG_QUERIES.globalUsers, DB_CONFIG_QUERIES.globalRoles, DB_CONFIG_QUERIES.createSessionHolders] as const;

async function throughDatabaseTools(deps: DoctorDeps, who: WhoAmIData, connectionId: string): Promise<AdminAnswers | CheckOutcome> {
  const conn = await deps.facts.oci.dbToolsConnection(who.identity, connectionId);
  const connStrain = conn.ok ? undefined : strainFinding(conn, 'GetDatabaseToolsConnection (admin connection)');
  if (connStrain) return { summary: 'service strain', findings: [connStrain] };
  if (!conn.ok) {
    return unusable(`Cannot read the admin Database Tools connection: ${conn.status} ${conn.code}`, { connection: connectionId, answer: ANSWER(conn) }, 'Reading the connection needs `use database-tools-connections` (or read) in its compartment; 404 also means a wrong OCID.');
  }
  const c = conn.value;
  const evidence: Record<string, string> = { 'admin connection': `${c.displayName} (${c.id})`, 'connects as': `${c.userName ?? '(no user)'} by ${c.authenticationType ?? '?'}` };
  const answers = await Promise.all(STATEMENTS.map((sql) => deps.facts.oci.executeSql(who.identity, connectionId, sql)));
  const sqlStrain = answers.map((a) => (a.ok ? undefined : strainFinding(a, 'ExecuteSql (admin connection)'))).find((f) => f !== undefined);
  if (sqlStrain) return { summary: 'service strain', findings: [sqlStrain] };
  const [param, users, roles, holders] = answers.map(recordsOf);
  const connection = { id: c.id, displayName: c.displayName, ...(c.userName ? { userName: c.userName } : {}), ...(c.authenticationType ? { authenticationType: c.authenticationType } : {}) };
  return { evidence, connection, param: param!, users: users!, roles: roles!, holders: holders! };
}

/** An answer from node-oracledb as records keyed by upper-case column name. */
function recordsOfAnswer(a: QueryAnswer | undefined): Records {
  if (!a) return { ok: false, why: 'not run' };
  if (!a.ok) return { ok: false, why: a.message };
  return { ok: true, rows: a.rows.map((r) => Object.fromEntries(a.columns.map((c, i) => [c, r[i] === null || r[i] === undefined ? undefined : String(r[i])]))) };
}

async function overConnectString(deps: DoctorDeps, user: string, target: { descriptor: string }, tls: DirectTls): Promise<AdminAnswers | CheckOutcome> {
  const evidence: Record<string, string> = { 'admin connection': `node-oracledb thin over the connect string`, 'connects as': `${user} by PASSWORD (${ADMIN_PASSWORD_ENV})` };
  const password = deps.env[ADMIN_PASSWORD_ENV];
  if (!password) {
    return {
      summary: `no password for ${user}`,
      findings: [findingFrom(codes.spec.adminPasswordMissing, { title: `--admin-user ${user} was given, but ${ADMIN_PASSWORD_ENV} is not set`, evidence, commands: [`read -rs ${ADMIN_PASSWORD_ENV} && export ${ADMIN_PASSWORD_ENV}`] })],
    };
  }
  deps.secrets.add(password, ADMIN_PASSWORD_ENV);
  const res = await deps.facts.database.adminQueries({ ...(await connectTlsOf(deps, target.descriptor, tls)), user, password }, STATEMENTS);
  if (!res.ok) {
    const first = res.message.split('\n')[0] ?? res.message;
    const hint = /ORA-01017/.test(res.message) ? `The database refused ${user} with this password (ORA-01017); check ${ADMIN_PASSWORD_ENV} and that the account is not locked.` : 'The admin logon uses the same connect string and TLS settings as the identity query: see the network and TLS checks above.';
    return unusable(`Cannot log on as ${user} over the connect string: ${first}`, { ...evidence, answer: first }, hint);
  }
  const [param, users, roles, holders] = res.answers.map(recordsOfAnswer);
  return { evidence, connection: { id: 'connect-string', displayName: `${user} over the connect string`, userName: user, authenticationType: 'PASSWORD' }, param: param!, users: users!, roles: roles!, holders: holders! };
}

export const dbConfigCheck: DoctorCheck = {
  id: 'db.config',
  title: 'Database side: IAM provider and global mappings (as ADMIN)',
  category: 'db',
  dependsOn: ['identity.whoami', 'dbuser.name'],
  // The connect-string path uses the target and TLS settings; their failure does not stop the Database Tools path.
  after: DIRECT_PATH_CHECKS,
  timeoutMs: 30000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf, resultOf }) {
    const connectionId = deps.options.adminDbtoolsConnectionId;
    const adminUser = deps.options.adminUser;
    if (!connectionId && !adminUser) return { skipped: 'no admin connection (--admin-dbtools-connection-id or --admin-user)', findings: [] };
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'no signing identity (see Who am I)', findings: [] };
    const db = dataOf(DBUSER_DATA);

    const blocked = connectionId ? undefined : directPathBlocked(resultOf);
    if (blocked) return { skipped: blocked, findings: [] };
    // Who the principal is (its groups) is read while the admin path runs.
    const principalRead = principalOf(deps, who, db);
    principalRead.catch(() => undefined); // awaited below unless the admin path fails first
    let source: AdminAnswers | CheckOutcome;
    if (connectionId) {
      source = await throughDatabaseTools(deps, who, connectionId);
      // Both admin paths given (say one from the config file): say which one ran.
      if (adminUser && !('findings' in source)) source.evidence['--admin-user'] = `${adminUser} not used: the admin Database Tools connection is`;
    } else {
      const target = dataOf(CONNECT_TARGET_DATA);
      if (!target) return { skipped: `no connect string (--dsn) to log on as ${adminUser} over`, findings: [] };
      source = await overConnectString(deps, adminUser as string, target, dataOf(TLS_SETTINGS_DATA) ?? { sslServerDNMatch: true });
    }
    if ('findings' in source) return source;
    const { evidence, param, users, roles, holders } = source;
    const principal = await principalRead;
    const failed = ([['v$parameter', param, DB_CONFIG_QUERIES.identityProvider], ['dba_users', users, DB_CONFIG_QUERIES.globalUsers], ['dba_roles', roles, DB_CONFIG_QUERIES.globalRoles]] as const).find(([, res]) => !res.ok);
    if (failed || !param.ok || !users.ok || !roles.ok) {
      const [what, res, query] = failed ?? ['the dictionary', param, ''];
      const why = res.ok ? '' : res.why;
      return unusable(`The admin connection could not read ${what}: ${why.split('\n')[0]}`, { ...evidence, query, answer: why });
    }
    if (!holders.ok) evidence['CREATE SESSION holders'] = `unreadable (${holders.why.split('\n')[0]}); not judged`;
    if (principal.note) evidence.note = principal.note;

    const facts: DbConfigFacts = {
      identityProviderType: param.rows.find((r) => r.NAME?.toLowerCase() === 'identity_provider_type')?.VALUE,
      globalUsers: entriesOf(users.rows, 'USERNAME'),
      globalRoles: entriesOf(roles.rows, 'ROLE'),
      ...(holders.ok ? { createSessionHolders: holders.rows.map((r) => r.GRANTEE ?? '').filter(Boolean) } : {}),
    };
    const judgement = judgeDbConfig(facts, principal.principal, { expectDbUser: deps.options.expectDbUser, expectedMapping: deps.options.mapping });
    const findings = findingsOf(facts, principal.principal, judgement, db, evidence);
    const data: DbConfigData = { connection: source.connection, facts, principal: principal.principal, judgement };
    const summary =
      judgement.missing.length === 0
        ? `${facts.identityProviderType}; ${judgement.mappedUser?.entry.name} maps this principal (${judgement.mappedUser?.kind})`
        : `${judgement.missing.length} thing(s) missing on the database side`;
    return { summary, findings, data };
  },
};
