// The database side of IAM logons, read as ADMIN: is OCI IAM the identity
// provider, which global users and roles exist and what they map, which of
// them this principal would match, and the exact SQL for what is missing.
// Pure: the facts come from the admin connection, the judgement is here.
import { parseGlobalMapping, sameIamName } from './global-mapping.js';

/**
 * Every statement the database-side check runs, in one place.
 *
 * Column names: DBA_USERS.EXTERNAL_NAME and DBA_ROLES.EXTERNAL_NAME (the
 * latter since 18.1) and AUTHENTICATION_TYPE = 'GLOBAL' for `IDENTIFIED
 * GLOBALLY` users and roles are in the Oracle Database Reference. That
 * EXTERNAL_NAME holds the text given in `IDENTIFIED GLOBALLY AS '…'` for IAM
 * mappings (e.g. `IAM_GROUP_NAME=DBUsers`) is unconfirmed against a live
 * Autonomous Database: the Reference describes it for directory DNs only.
 */
export const DB_CONFIG_QUERIES = {
  identityProvider: "select name, value from v$parameter where name in ('identity_provider_type', 'identity_provider_config')",
  globalUsers: "select username, external_name from dba_users where authentication_type = 'GLOBAL' order by username",
  globalRoles: "select role, external_name from dba_roles where authentication_type = 'GLOBAL' order by role",
  /** Users and roles holding CREATE SESSION, directly or through roles (role grants cannot be circular; NOCYCLE is belt and braces). */
  createSessionHolders: [
    "select grantee from dba_sys_privs where privilege = 'CREATE SESSION'",
    'union',
    "select grantee from dba_role_privs start with granted_role in (select grantee from dba_sys_privs where privilege = 'CREATE SESSION') connect by nocycle prior grantee = granted_role",
  ].join(' '),
} as const;

export const ENABLE_IAM_SQL = "EXEC DBMS_CLOUD_ADMIN.ENABLE_EXTERNAL_AUTHENTICATION(type => 'OCI_IAM');";

export interface GlobalEntry {
  /** User or role name, as the dictionary holds it (upper case unless quoted at creation). */
  name: string;
  /** EXTERNAL_NAME: the mapping, e.g. `IAM_PRINCIPAL_NAME=alice`. */
  externalName: string;
}

export interface DbConfigFacts {
  /** identity_provider_type; undefined when the parameter row is missing. */
  identityProviderType?: string;
  globalUsers: GlobalEntry[];
  globalRoles: GlobalEntry[];
  /** Grantees (users and roles) that hold CREATE SESSION; undefined when it could not be read. */
  createSessionHolders?: string[];
}

/** Who is logging on, as the database would name it. */
export interface DbPrincipalFacts {
  kind: 'user' | 'instance' | 'resource' | 'workload';
  /** The principal's OCID. */
  id: string;
  /** Users: the name the database sees (Database Username, else the IAM user name). */
  dbName?: string;
  /** Users: the IAM user name (what an exclusive mapping written before the Database Username was set names). */
  iamName?: string;
  /** IAM groups (users) or dynamic groups (instances); undefined when they could not be read. */
  groups?: string[];
}

export interface EntryMatch {
  entry: GlobalEntry;
  /** What made it match, e.g. `Database Username alice` or `group DBUsers`. */
  why: string;
  kind: 'exclusive' | 'shared';
}

export interface DbConfigJudgement {
  iamEnabled: boolean;
  /** Global users whose mapping fits this principal: exclusive ones first. */
  userMatches: EntryMatch[];
  roleMatches: EntryMatch[];
  /** The global user the database would log the principal on as: an exclusive mapping wins over a shared one. */
  mappedUser?: EntryMatch;
  /** undefined when the holders could not be read or no user is mapped. */
  canCreateSession?: boolean;
  /** The SQL that makes IAM logons possible for this principal; empty when nothing is missing. */
  missing: MissingPiece[];
}

export type MissingPiece =
  | { kind: 'external-auth'; sql: string[] }
  | { kind: 'mapping'; sql: string[]; mapping: string; user: string }
  | { kind: 'create-session'; sql: string[]; user: string }
  | { kind: 'expected-mapping'; sql: string[]; mapping: string };

const ORACLE_MAX_IDENTIFIER = 128;

/** An unquoted Oracle identifier made from a name: `alice@example.com` → `ALICE`, `DB-Users` → `DB_USERS`. */
export function identifierFrom(name: string, fallbackPrefix = 'IAM'): string {
  const base = name.replace(/^'?[^/']*'?\//, '').split('@')[0] ?? '';
  let id = base.toUpperCase().replace(/[^A-Z0-9_$#]/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  if (!/^[A-Z]/.test(id)) id = `${fallbackPrefix}_${id}`.replace(/_$/, '');
  return id.slice(0, ORACLE_MAX_IDENTIFIER);
}

/** A string literal for SQL: single quotes doubled. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function createUserSql(user: string, mapping: string, exists: boolean): string {
  return `${exists ? 'ALTER' : 'CREATE'} USER ${user} IDENTIFIED GLOBALLY AS ${literal(mapping)};`;
}

export function createRoleSql(role: string, mapping: string): string {
  return `CREATE ROLE ${role} IDENTIFIED GLOBALLY AS ${literal(mapping)};`;
}

export function grantCreateSessionSql(grantee: string): string {
  return `GRANT CREATE SESSION TO ${grantee};`;
}

function matchesOf(entries: GlobalEntry[], p: DbPrincipalFacts, allowExclusive: boolean): EntryMatch[] {
  const exclusive: EntryMatch[] = [];
  const shared: EntryMatch[] = [];
  for (const entry of entries) {
    const m = parseGlobalMapping(entry.externalName);
    if (!m) continue;
    if (allowExclusive && m.kind === 'IAM_PRINCIPAL_OCID' && m.value === p.id) exclusive.push({ entry, why: `${p.kind} OCID`, kind: 'exclusive' });
    if (allowExclusive && m.kind === 'IAM_PRINCIPAL_NAME' && p.kind === 'user' && p.dbName !== undefined && sameIamName(m.value, p.dbName)) {
      exclusive.push({ entry, why: `database name ${p.dbName}`, kind: 'exclusive' });
    }
    if (m.kind === 'IAM_GROUP_NAME') {
      const group = (p.groups ?? []).find((g) => sameIamName(m.value, g));
      if (group !== undefined) shared.push({ entry, why: `${p.kind === 'user' ? 'group' : 'dynamic group'} ${group}`, kind: 'shared' });
    }
  }
  return [...exclusive, ...shared];
}

/** Whether a mapping would select this principal (a group only when its groups are known to include it). */
function fitsPrincipal(mapping: string, p: DbPrincipalFacts): boolean {
  const m = parseGlobalMapping(mapping);
  if (!m) return false;
  if (m.kind === 'IAM_PRINCIPAL_OCID') return m.value === p.id;
  if (m.kind === 'IAM_PRINCIPAL_NAME') return p.kind === 'user' && p.dbName !== undefined && sameIamName(m.value, p.dbName);
  return (p.groups ?? []).some((g) => sameIamName(m.value, g));
}

/** The mapping to create when none fits: --mapping when it would select this principal, else an exclusive one. */
function proposedMapping(p: DbPrincipalFacts, expected: string | undefined): string {
  const m = expected ? parseGlobalMapping(expected) : undefined;
  if (m && fitsPrincipal(`${m.kind}=${m.value}`, p)) return `${m.kind}=${m.value}`;
  return p.kind === 'user' && p.dbName ? `IAM_PRINCIPAL_NAME=${p.dbName}` : `IAM_PRINCIPAL_OCID=${p.id}`;
}

function proposedUserName(mapping: string, p: DbPrincipalFacts, expectDbUser: string | undefined): string {
  if (expectDbUser) return identifierFrom(expectDbUser);
  const m = parseGlobalMapping(mapping);
  if (m?.kind === 'IAM_PRINCIPAL_OCID') return identifierFrom(`${p.kind}_${m.value.slice(-8)}`);
  return identifierFrom(m?.value ?? p.dbName ?? p.id);
}

function hasEntry(entries: GlobalEntry[], name: string): boolean {
  return entries.some((e) => e.name.toUpperCase() === name.toUpperCase());
}

function sameMapping(a: string, b: string): boolean {
  const x = parseGlobalMapping(a);
  const y = parseGlobalMapping(b);
  if (!x || !y || x.kind !== y.kind) return false;
  return x.kind === 'IAM_PRINCIPAL_OCID' ? x.value === y.value : sameIamName(x.value, y.value);
}

/** An exclusive mapping naming this principal by its OCID or its IAM user name. */
function mapsSamePrincipal(externalName: string, p: DbPrincipalFacts): boolean {
  const m = parseGlobalMapping(externalName);
  if (m?.kind === 'IAM_PRINCIPAL_OCID') return m.value === p.id;
  return m?.kind === 'IAM_PRINCIPAL_NAME' && p.iamName !== undefined && sameIamName(m.value, p.iamName);
}

export interface JudgeOptions {
  /** --expect-db-user: names the global user to create. */
  expectDbUser?: string;
  /** --mapping: the mapping the setup is meant to use. */
  expectedMapping?: string;
}

/** Which global users and roles fit the principal, and the SQL for what is missing. */
export function judgeDbConfig(facts: DbConfigFacts, p: DbPrincipalFacts, opts: JudgeOptions = {}): DbConfigJudgement {
  const iamEnabled = (facts.identityProviderType ?? '').toUpperCase() === 'OCI_IAM';
  const userMatches = matchesOf(facts.globalUsers, p, true);
  const roleMatches = matchesOf(facts.globalRoles, p, false);
  const mappedUser = userMatches[0];
  const holders = facts.createSessionHolders?.map((h) => h.toUpperCase());
  const canCreateSession =
    holders && mappedUser ? [mappedUser.entry.name, ...roleMatches.map((r) => r.entry.name)].some((n) => holders.includes(n.toUpperCase())) : undefined;

  const missing: MissingPiece[] = [];
  if (!iamEnabled) missing.push({ kind: 'external-auth', sql: [ENABLE_IAM_SQL] });
  if (!mappedUser) {
    const mapping = proposedMapping(p, opts.expectedMapping);
    let user = proposedUserName(mapping, p, opts.expectDbUser);
    // A global user of that name that maps this same principal another way
    // (its IAM name, before a Database Username was set) is remapped; one that
    // maps someone else keeps its mapping and the new user gets another name.
    const same = facts.globalUsers.find((e) => e.name.toUpperCase() === user.toUpperCase());
    if (same && !mapsSamePrincipal(same.externalName, p)) {
      const base = user;
      for (let n = 1; hasEntry(facts.globalUsers, user) || hasEntry(facts.globalRoles, user); n++) user = identifierFrom(`${base}_IAM${n === 1 ? '' : n}`);
    }
    const exists = hasEntry(facts.globalUsers, user);
    const granted = exists && holders?.includes(user.toUpperCase());
    missing.push({ kind: 'mapping', mapping, user, sql: [createUserSql(user, mapping, exists), ...(granted ? [] : [grantCreateSessionSql(user)])] });
  } else if (canCreateSession === false) {
    missing.push({ kind: 'create-session', user: mappedUser.entry.name, sql: [grantCreateSessionSql(mappedUser.entry.name)] });
  }
  // A group mapping the setup is meant to use (--mapping), the principal is
  // in the group and already has a schema, but nothing maps the group: what
  // is missing is the global role that carries the group's privileges.
  // (Whether the principal fits --mapping at all is dbuser.mapping's question.)
  const expected = opts.expectedMapping ? parseGlobalMapping(opts.expectedMapping) : undefined;
  if (expected?.kind === 'IAM_GROUP_NAME' && mappedUser && fitsPrincipal(`${expected.kind}=${expected.value}`, p)) {
    const text = `${expected.kind}=${expected.value}`;
    const present = [...facts.globalUsers, ...facts.globalRoles].some((e) => sameMapping(e.externalName, text));
    if (!present) {
      let role = identifierFrom(`${expected.value}_ROLE`);
      if (hasEntry(facts.globalUsers, role) || hasEntry(facts.globalRoles, role)) role = identifierFrom(`${expected.value}_GLOBAL_ROLE`);
      missing.push({ kind: 'expected-mapping', mapping: text, sql: [createRoleSql(role, text)] });
    }
  }
  return { iamEnabled, userMatches, roleMatches, ...(mappedUser ? { mappedUser } : {}), ...(canCreateSession !== undefined ? { canCreateSession } : {}), missing };
}
