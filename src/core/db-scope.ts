// DB-token scopes, as `oci iam db-token get --scope` documents them:
//   urn:oracle:db::id::* | ::<tenancy or compartment OCID> | ::<compartment OCID>::<database OCID>
//   urn:oracle:db::path::<tenancy name>[:<compartment name>[::<database OCID>]]
// A malformed scope makes the IAM data plane answer 404 NotAuthorizedOrNotFound,
// which hides the real mistake.

export type DbScope =
  | { kind: 'all' }
  | { kind: 'container'; id: string; isTenancy: boolean }
  | { kind: 'database'; compartmentId: string; databaseId: string }
  /** The `path` form: names, not OCIDs; `compartmentNames` is empty for the whole tenancy. */
  | { kind: 'path'; tenancyName: string; compartmentNames: string[]; databaseId?: string };

export type ScopeParse = { ok: true; scope: DbScope } | { ok: false; problem: string };

const PREFIX = 'urn:oracle:db::id::';
const PATH_PREFIX = 'urn:oracle:db::path::';
const OCID = /^ocid1\.([a-z0-9-]+)\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9]+$/i;
/** Tenancy and compartment names: letters, digits, `.`, `_`, `-` (no `:`, which separates them). */
const NAME = /^[A-Za-z0-9._-]+$/;

function parsePathScope(rest: string): ScopeParse {
  const parts = rest.split('::');
  if (parts.length > 2) return { ok: false, problem: 'has more than one database OCID after the path' };
  const [path, database] = parts as [string, string | undefined];
  const names = path.split(':');
  if (names.some((n) => !NAME.test(n))) return { ok: false, problem: `'${path}' is not a tenancy name optionally followed by :<compartment name>` };
  const [tenancyName, ...compartmentNames] = names as [string, ...string[]];
  if (database === undefined) return { ok: true, scope: { kind: 'path', tenancyName, compartmentNames } };
  const d = OCID.exec(database);
  if (!d || d[1] !== 'autonomousdatabase') return { ok: false, problem: `'${database}' is not an autonomous database OCID` };
  if (compartmentNames.length === 0) return { ok: false, problem: 'a single-database path scope names the database’s compartment after the tenancy name' };
  return { ok: true, scope: { kind: 'path', tenancyName, compartmentNames, databaseId: database } };
}

export function parseDbScope(text: string): ScopeParse {
  const s = text.trim();
  if (s.startsWith(PATH_PREFIX)) return parsePathScope(s.slice(PATH_PREFIX.length));
  if (!s.startsWith(PREFIX)) return { ok: false, problem: `must start with ${PREFIX} or ${PATH_PREFIX}` };
  const rest = s.slice(PREFIX.length);
  if (rest === '*') return { ok: true, scope: { kind: 'all' } };
  const parts = rest.split('::');
  if (parts.length > 2) return { ok: false, problem: 'has more than two OCIDs after the prefix' };
  const [container, database] = parts as [string, string | undefined];
  const c = OCID.exec(container);
  if (!c || (c[1] !== 'tenancy' && c[1] !== 'compartment')) return { ok: false, problem: `'${container}' is not a tenancy or compartment OCID (or *)` };
  if (database === undefined) return { ok: true, scope: { kind: 'container', id: container, isTenancy: c[1] === 'tenancy' } };
  const d = OCID.exec(database);
  if (!d || d[1] !== 'autonomousdatabase') return { ok: false, problem: `'${database}' is not an autonomous database OCID` };
  if (c[1] === 'tenancy') return { ok: false, problem: 'a single-database scope names the database’s compartment, not the tenancy' };
  return { ok: true, scope: { kind: 'database', compartmentId: container, databaseId: database } };
}

/** `unverified` says why a `covers: true` could not be checked (the IAM service decides). */
export type Coverage = { covers: true; unverified?: string } | { covers: false; why: string };

/** Names a path scope is compared with; without them a path scope is only checked for its database OCID. */
export interface ScopeNames {
  tenancyName?: string;
  /** Compartment names from the root down to the database's compartment. */
  databaseCompartmentPath?: readonly string[];
}

function pathCovers(scope: Extract<DbScope, { kind: 'path' }>, db: { id: string }, names: ScopeNames): Coverage {
  if (scope.databaseId !== undefined && scope.databaseId !== db.id) return { covers: false, why: `the scope names database ${scope.databaseId}, not ${db.id}` };
  if (names.tenancyName === undefined) return { covers: true, unverified: 'a path scope names the tenancy and compartment by name, and the tenancy name is not known here' };
  if (names.tenancyName.toLowerCase() !== scope.tenancyName.toLowerCase()) return { covers: false, why: `the scope names tenancy ${scope.tenancyName}, but the tenancy is ${names.tenancyName}` };
  if (scope.compartmentNames.length === 0) return { covers: true };
  const path = names.databaseCompartmentPath;
  if (path === undefined) return { covers: true, unverified: "the database's compartment path is not known here" };
  const same = path.length === scope.compartmentNames.length && path.every((n, i) => n.toLowerCase() === scope.compartmentNames[i]?.toLowerCase());
  if (same) return { covers: true };
  // The documented examples show one compartment name; whether it may name a nested compartment is not documented.
  if (scope.compartmentNames.length === 1 && path.length > 1 && path[path.length - 1]?.toLowerCase() === scope.compartmentNames[0]?.toLowerCase()) {
    return { covers: true, unverified: `whether a path scope's single compartment name reaches the nested compartment ${path.join(':')} is not documented` };
  }
  return { covers: false, why: `the scope names compartment ${scope.compartmentNames.join(':')}, but the database is in ${path.join(':') || 'the root compartment'}` };
}

/**
 * Whether a scope reaches a database. The tenancy and `*` reach every
 * database; a compartment reaches the databases directly in it (whether it
 * reaches child compartments is not documented: treated as no).
 */
export function scopeCovers(scope: DbScope, db: { id: string; compartmentId: string }, tenancyId: string, names: ScopeNames = {}): Coverage {
  switch (scope.kind) {
    case 'path':
      return pathCovers(scope, db, names);
    case 'all':
      return { covers: true };
    case 'container':
      if (scope.id === tenancyId || scope.id === db.compartmentId) return { covers: true };
      return { covers: false, why: `the scope names compartment ${scope.id}, but the database is in ${db.compartmentId}` };
    case 'database':
      if (scope.databaseId !== db.id) return { covers: false, why: `the scope names database ${scope.databaseId}, not ${db.id}` };
      if (scope.compartmentId !== db.compartmentId) return { covers: false, why: `the scope names compartment ${scope.compartmentId}, but the database is in ${db.compartmentId}` };
      return { covers: true };
  }
}

export function defaultScope(tenancyId: string): string {
  return `${PREFIX}${tenancyId}`;
}

/** The narrowest scope for one database: what a fix should suggest. */
export function databaseScope(db: { id: string; compartmentId: string }): string {
  return `${PREFIX}${db.compartmentId}::${db.id}`;
}
