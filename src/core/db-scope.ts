// DB-token scopes: urn:oracle:db::id::* | ::<tenancy or compartment OCID> |
// ::<compartment OCID>::<database OCID>. A malformed scope makes the IAM data
// plane answer 404 NotAuthorizedOrNotFound, which hides the real mistake.

export type DbScope =
  | { kind: 'all' }
  | { kind: 'container'; id: string; isTenancy: boolean }
  | { kind: 'database'; compartmentId: string; databaseId: string };

export type ScopeParse = { ok: true; scope: DbScope } | { ok: false; problem: string };

const PREFIX = 'urn:oracle:db::id::';
const OCID = /^ocid1\.([a-z0-9-]+)\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9]+$/i;

export function parseDbScope(text: string): ScopeParse {
  const s = text.trim();
  if (!s.startsWith(PREFIX)) return { ok: false, problem: `must start with ${PREFIX}` };
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

export type Coverage = { covers: true } | { covers: false; why: string };

/**
 * Whether a scope reaches a database. The tenancy and `*` reach every
 * database; a compartment reaches the databases directly in it (whether it
 * reaches child compartments is not documented: treated as no).
 */
export function scopeCovers(scope: DbScope, db: { id: string; compartmentId: string }, tenancyId: string): Coverage {
  switch (scope.kind) {
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
