// What the simulated Autonomous Database decides when an IAM principal logs on
// with a DB token: pure functions over the fixture, shared by the simulated
// Database Tools runtime and the simulated listener.
//
// Order of the checks, as a real database meets them: IAM authentication
// enabled (identity_provider_type = OCI_IAM) → the token's scope covers the
// database → IAM policy lets the principal `use database-connections` on it →
// a global user maps the principal → that user may CREATE SESSION. Every
// failure but the last is ORA-01017 on the wire: the real database never says
// which link broke; `reason`, `cause` and `action` carry that for the simulator.
import { parseDbScope, scopeCovers } from '../core/db-scope.js';
import { parseGlobalMapping, sameIamName } from '../core/global-mapping.js';
export { parseGlobalMapping } from '../core/global-mapping.js';
import type { Fixture } from './fixture.js';

type Adb = Fixture['autonomousDatabases'][number];

export interface DbPrincipal {
  kind: 'user' | 'instance' | 'resource';
  /** User, instance or resource OCID. */
  id: string;
}

export interface TokenSessionRequest {
  fixture: Fixture;
  databaseId: string;
  principal: DbPrincipal;
  /**
   * Names of the groups the principal is in: IAM groups for a user, dynamic
   * groups for an instance or resource principal. Default: a user's groups
   * from the fixture; none for other principals.
   */
  groupNames?: string[];
  /** The scope the DB token was issued for (`iam.db.token.scope` on a Database Tools connection). */
  tokenScope: string | undefined;
  /** Whether IAM policy lets the principal `use database-connections` on this database. */
  policyAllows: boolean;
}

export type SessionFailureReason =
  | 'unknown-database'
  | 'unknown-principal'
  | 'iam-auth-disabled'
  | 'scope-missing'
  | 'scope-malformed'
  | 'scope-excludes-database'
  | 'policy-denies'
  | 'no-mapping'
  | 'no-create-session';

export interface SessionFailure {
  ok: false;
  reason: SessionFailureReason;
  /** e.g. 1017 */
  oraCode: number;
  /** e.g. `ORA-01017` */
  code: string;
  /** The error line the client sees, e.g. `ORA-01017: invalid username/password; logon denied`. */
  message: string;
  cause: string;
  action: string;
}

export interface GlobalMapping {
  /** The global user (schema) the principal logs on as. */
  globalUser: string;
  /** `exclusive` for IAM_PRINCIPAL_NAME / IAM_PRINCIPAL_OCID, `shared` for IAM_GROUP_NAME. */
  kind: 'exclusive' | 'shared';
  /** The mapping as written in `IDENTIFIED GLOBALLY AS '…'`. */
  rule: string;
}

export interface SessionSuccess {
  ok: true;
  currentSchema: string;
  sessionUser: string;
  /** What `sys_context('userenv','authenticated_identity')` returns: the IAM database user name, or the principal OCID. */
  authenticatedIdentity: string;
  /** The principal OCID (`sys_context('userenv','enterprise_identity')`). */
  enterpriseIdentity: string;
  /** `TOKEN_GLOBAL` for an IAM token; `PASSWORD` for a local user (Database Tools password connections). */
  authenticationMethod: 'TOKEN_GLOBAL' | 'PASSWORD';
  /** The global mapping used; absent for a local (password) user. */
  mapping?: GlobalMapping;
  /** `select * from session_roles`: global roles of the principal's groups and roles granted to the session user, transitively. */
  roles: string[];
}

export type SessionOutcome = SessionSuccess | SessionFailure;

/** The 19c wording (the simulated ADB reports 19c); 23ai says `invalid credential or not authorized; logon denied`. */
export const ORA_01017_MESSAGE = 'ORA-01017: invalid username/password; logon denied';

function fail(reason: SessionFailureReason, cause: string, action: string): SessionFailure {
  return { ok: false, reason, oraCode: 1017, code: 'ORA-01017', message: ORA_01017_MESSAGE, cause, action };
}



export type ScopeVerdict = { ok: true } | { ok: false; reason: 'scope-missing' | 'scope-malformed' | 'scope-excludes-database'; detail: string };

/**
 * Whether a DB-token scope lets the token log on to this database:
 * `urn:oracle:db::id::*`, the tenancy, the database's own compartment, or
 * `<its compartment>::<its OCID>`. A compartment scope does not reach into
 * child compartments.
 */
export function scopeCoversDatabase(scope: string | undefined, fixture: Fixture, adb: Adb): ScopeVerdict {
  if (scope === undefined || scope.trim() === '') return { ok: false, reason: 'scope-missing', detail: 'no token scope is set' };
  const parsed = parseDbScope(scope);
  if (!parsed.ok) return { ok: false, reason: 'scope-malformed', detail: `'${scope}' ${parsed.problem}` };
  const coverage = scopeCovers(parsed.scope, adb, fixture.tenancy.id);
  return coverage.covers ? { ok: true } : { ok: false, reason: 'scope-excludes-database', detail: `'${scope}': ${coverage.why}` };
}

/** The global user that maps this principal: an exclusive mapping wins over a shared (group) one. */
export function findGlobalMapping(adb: Adb, principal: DbPrincipal, iamName: string | undefined, groupNames: string[]): GlobalMapping | undefined {
  const users = adb.globalUsers.map((u) => ({ u, m: parseGlobalMapping(u.mapping) }));
  const exclusive = users.find(
    ({ m }) => (m?.kind === 'IAM_PRINCIPAL_OCID' && m.value === principal.id) || (m?.kind === 'IAM_PRINCIPAL_NAME' && iamName !== undefined && principal.kind === 'user' && sameIamName(m.value, iamName)),
  );
  if (exclusive) return { globalUser: exclusive.u.name.toUpperCase(), kind: 'exclusive', rule: exclusive.u.mapping };
  const shared = users.find(({ m }) => m?.kind === 'IAM_GROUP_NAME' && groupNames.some((g) => sameIamName(m.value, g)));
  if (shared) return { globalUser: shared.u.name.toUpperCase(), kind: 'shared', rule: shared.u.mapping };
  return undefined;
}

/** A grant whose privilege is one word is a role grant (`DWROLE`); system privileges have spaces (`CREATE SESSION`). */
function isRoleName(privilege: string): boolean {
  return !/\s/.test(privilege.trim());
}

/** Roles and privileges reachable from the grantees, through role grants. */
function closure(adb: Adb, grantees: string[]): { roles: Set<string>; privileges: Set<string> } {
  const roles = new Set<string>();
  const privileges = new Set<string>();
  const queue = grantees.map((g) => g.toUpperCase());
  const seen = new Set<string>(queue);
  while (queue.length > 0) {
    const grantee = queue.shift() as string;
    for (const g of adb.grants) {
      if (g.grantee.toUpperCase() !== grantee) continue;
      const p = g.privilege.trim().toUpperCase();
      if (isRoleName(p)) {
        roles.add(p);
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      } else privileges.add(p.replace(/\s+/g, ' '));
    }
  }
  return { roles, privileges };
}

/** Global roles mapped (IAM_GROUP_NAME) to any of the groups. */
export function globalRolesFor(adb: Adb, groupNames: string[]): string[] {
  return adb.globalRoles
    .filter((r) => {
      const m = parseGlobalMapping(r.mapping);
      return m?.kind === 'IAM_GROUP_NAME' && groupNames.some((g) => sameIamName(m.value, g));
    })
    .map((r) => r.name.toUpperCase());
}

/** `select * from session_roles` for a session of `sessionUser` whose principal is in `groupNames`. */
export function sessionRoles(adb: Adb, sessionUser: string, groupNames: string[]): string[] {
  const global = globalRolesFor(adb, groupNames);
  const { roles } = closure(adb, [sessionUser, ...global]);
  return [...new Set([...global, ...roles])].sort();
}

/** The IAM groups of a fixture user, by name. */
export function userGroupNames(fixture: Fixture, userId: string): string[] {
  const user = fixture.users.find((u) => u.id === userId);
  if (!user) return [];
  return user.groupIds.map((id) => fixture.groups.find((g) => g.id === id)?.name).filter((n): n is string => n !== undefined);
}

/** How the database names the principal: a user's Database Username (or IAM name); other principals by OCID. */
export function iamDatabaseName(fixture: Fixture, principal: DbPrincipal): string | undefined {
  if (principal.kind !== 'user') return principal.id;
  const user = fixture.users.find((u) => u.id === principal.id);
  return user ? (user.dbUserName ?? user.name) : undefined;
}

function principalKnown(fixture: Fixture, p: DbPrincipal): boolean {
  if (p.kind === 'user') return fixture.users.some((u) => u.id === p.id);
  if (p.kind === 'instance') return fixture.instances.some((i) => i.id === p.id);
  return fixture.resourcePrincipals.some((r) => r.id === p.id) || fixture.dbToolsConnections.some((c) => c.id === p.id);
}

/** Logs a principal on to the database with a DB token: the session, or the error the client would see. */
export function establishTokenSession(req: TokenSessionRequest): SessionOutcome {
  const { fixture, principal } = req;
  const adb = fixture.autonomousDatabases.find((a) => a.id === req.databaseId);
  if (!adb) return fail('unknown-database', `No database ${req.databaseId} exists in this tenancy.`, 'Check the connection string and the database OCID.');
  if (!adb.iamAuthEnabled) {
    return fail(
      'iam-auth-disabled',
      `Database ${adb.dbName} does not accept OCI IAM tokens: external authentication is not enabled (identity_provider_type is not OCI_IAM).`,
      "As ADMIN run: EXEC DBMS_CLOUD_ADMIN.ENABLE_EXTERNAL_AUTHENTICATION(type => 'OCI_IAM', force => TRUE);",
    );
  }
  if (!principalKnown(fixture, principal)) return fail('unknown-principal', `The token's principal ${principal.id} is not known to IAM.`, 'Obtain a new DB token with a valid principal.');

  const scope = scopeCoversDatabase(req.tokenScope, fixture, adb);
  if (!scope.ok) {
    return fail(
      scope.reason,
      `The DB token's scope does not cover database ${adb.dbName}: ${scope.detail}.`,
      `Request the token with scope urn:oracle:db::id::${adb.compartmentId} (or urn:oracle:db::id::${adb.compartmentId}::${adb.id}).`,
    );
  }
  if (!req.policyAllows) {
    return fail(
      'policy-denies',
      `No IAM policy lets ${principal.kind} ${principal.id} use database-connections on database ${adb.id}.`,
      `Add a policy such as: allow group <group> to use database-connections in compartment <compartment> where target.database.id = '${adb.id}'`,
    );
  }
  const groupNames = req.groupNames ?? (principal.kind === 'user' ? userGroupNames(fixture, principal.id) : []);
  const iamName = iamDatabaseName(fixture, principal) as string;
  const mapping = findGlobalMapping(adb, principal, iamName, groupNames);
  if (!mapping) {
    const what = principal.kind === 'user' ? `IAM user '${iamName}'` : `${principal.kind} ${principal.id}`;
    const groups = groupNames.length > 0 ? ` or any of its groups (${groupNames.join(', ')})` : '';
    return fail(
      'no-mapping',
      `No global user in ${adb.dbName} is mapped to ${what}${groups}.`,
      principal.kind === 'user'
        ? `As ADMIN run: CREATE USER <name> IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_NAME=${iamName}'; (or map a group with 'IAM_GROUP_NAME=<group>'), then GRANT CREATE SESSION TO <name>;`
        : `As ADMIN run: CREATE USER <name> IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_OCID=${principal.id}'; then GRANT CREATE SESSION TO <name>;`,
    );
  }
  const global = globalRolesFor(adb, groupNames);
  const { privileges } = closure(adb, [mapping.globalUser, ...global]);
  if (!privileges.has('CREATE SESSION')) {
    return {
      ok: false,
      reason: 'no-create-session',
      oraCode: 1045,
      code: 'ORA-01045',
      message: `ORA-01045: user ${mapping.globalUser} lacks CREATE SESSION privilege; logon denied`,
      cause: `Global user ${mapping.globalUser} (${mapping.rule}) has no CREATE SESSION privilege, directly or through a role.`,
      action: `As ADMIN run: GRANT CREATE SESSION TO ${mapping.globalUser};`,
    };
  }
  return {
    ok: true,
    currentSchema: mapping.globalUser,
    sessionUser: mapping.globalUser,
    authenticatedIdentity: iamName,
    enterpriseIdentity: principal.id,
    authenticationMethod: 'TOKEN_GLOBAL',
    mapping,
    roles: sessionRoles(adb, mapping.globalUser, groupNames),
  };
}
