// The simulated tenancy, as one JSON document (docs/simulator.md). Parsed and
// checked before use: a bad fixture names the path in the document.

export interface Fixture {
  tenancy: { id: string; name: string; homeRegion: string; regions: string[] };
  compartments: { id: string; name: string; parentId: string; description?: string }[];
  users: {
    id: string;
    name: string;
    /** The "Database Username"; when absent the database sees `name`. */
    dbUserName?: string;
    email?: string;
    groupIds: string[];
    /** API signing keys (PEM public keys); the fingerprint is computed. */
    apiKeys: string[];
    canUseDbCredentials: boolean;
    hasDbPassword: boolean;
  }[];
  groups: { id: string; name: string; description?: string }[];
  dynamicGroups: { id: string; name: string; matchingRule: string; description?: string }[];
  policies: { id: string; name: string; compartmentId: string; statements: string[]; timeCreated: string }[];
  instances: {
    id: string;
    displayName: string;
    compartmentId: string;
    region: string;
    definedTags: Record<string, Record<string, string>>;
    /** The realm its metadata service reports, for a region the simulator's table (src/sim/realms.ts) lacks. */
    realm?: { key: string; domain: string };
    /** Its region key (three letters), likewise. */
    regionKey?: string;
  }[];
  resourcePrincipals: { id: string; resourceType: string; compartmentId: string }[];
  autonomousDatabases: {
    id: string;
    displayName: string;
    dbName: string;
    compartmentId: string;
    host: string;
    tlsPort: number;
    mtlsPort: number;
    serviceNames: string[];
    mtlsRequired: boolean;
    /** Client IPs allowed by the access control list; empty means no ACL. */
    acl: string[];
    iamAuthEnabled: boolean;
    globalUsers: { name: string; mapping: string }[];
    globalRoles: { name: string; mapping: string }[];
    /** Grants: grantee (user or role) → privileges and roles. */
    grants: { grantee: string; privilege: string }[];
    /** Present for a private-endpoint database: `host` is then the private endpoint's host name. */
    privateEndpoint?: { label: string; ip: string; subnetId?: string };
  }[];
  secrets: { id: string; name: string; vaultId: string; compartmentId: string; state: string; contentBase64: string }[];
  dbToolsConnections: {
    id: string;
    displayName: string;
    compartmentId: string;
    authType: 'TOKEN' | 'PASSWORD';
    databaseId: string;
    connectionString: string;
    userName?: string;
    /** For `PASSWORD` connections: the vault secret holding the database password. */
    userPasswordSecretId?: string;
    privateEndpointId?: string;
    runtimeIdentity?: string;
    keyStores: { keyStoreType: string; secretId: string }[];
    advancedProperties: Record<string, string>;
  }[];
  /** How the services behave beyond the tenancy's content: undocumented answers and injected faults. */
  service?: {
    /**
     * GetSecretBundle of a secret that is not ACTIVE (PENDING_DELETION): what
     * the real service answers is not documented. `incorrect-state` (default):
     * 409 IncorrectState; `not-found`: 404 NotAuthorizedOrNotFound, as for a
     * deleted one.
     */
    inactiveSecret?: 'incorrect-state' | 'not-found';
    /**
     * Answers given before the real one. `operation` is `METHOD /path` with `*`
     * as a wildcard (`GET /20160918/policies`, `*`); the list is given once per
     * distinct request (method and path). Signed OCI calls only.
     */
    faults?: {
      operation: string;
      answers: { kind: 'throttle' | 'internal-error' | 'unavailable' | 'delay' | 'reset'; retryAfterSeconds?: number; delayMs?: number }[];
    }[];
    /** Items per page of every list operation: more than this and the answer carries opc-next-page. */
    pageSize?: number;
    /**
     * Every request (signed or not, IMDS and federation too) is answered
     * after a wait drawn uniformly from [min, max] ms, as a real region's
     * round trips are: what a real-shaped benchmark measures the doctor against.
     */
    latencyMs?: { min: number; max: number };
  };
}

export class FixtureError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid simulator fixture:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

// A tiny schema language: enough to name the exact path of a problem.
type Schema =
  | { t: 'string'; optional?: boolean; pattern?: RegExp; hint?: string }
  | { t: 'number'; optional?: boolean }
  | { t: 'boolean'; optional?: boolean }
  | { t: 'array'; of: Schema; optional?: boolean }
  | { t: 'record'; of: Schema; optional?: boolean }
  | { t: 'object'; fields: Record<string, Schema>; optional?: boolean }
  | { t: 'enum'; values: string[]; optional?: boolean };

const OCID = /^ocid1\.[a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9._-]+$/i;
const str = (extra: Partial<Extract<Schema, { t: 'string' }>> = {}): Schema => ({ t: 'string', ...extra });
const ocid: Schema = { t: 'string', pattern: OCID, hint: 'an OCID (ocid1.<type>.<realm>.<region>.<id>)' };
const opt = (s: Schema): Schema => ({ ...s, optional: true });
const arr = (of: Schema): Schema => ({ t: 'array', of });
const obj = (fields: Record<string, Schema>): Schema => ({ t: 'object', fields });

const FIXTURE_SCHEMA: Schema = obj({
  tenancy: obj({ id: ocid, name: str(), homeRegion: str(), regions: arr(str()) }),
  compartments: arr(obj({ id: ocid, name: str(), parentId: ocid, description: opt(str()) })),
  users: arr(
    obj({
      id: ocid,
      name: str(),
      dbUserName: opt(str()),
      email: opt(str()),
      groupIds: arr(ocid),
      apiKeys: arr(str({ pattern: /-----BEGIN PUBLIC KEY-----/, hint: 'a PEM public key' })),
      canUseDbCredentials: { t: 'boolean' },
      hasDbPassword: { t: 'boolean' },
    }),
  ),
  groups: arr(obj({ id: ocid, name: str(), description: opt(str()) })),
  dynamicGroups: arr(obj({ id: ocid, name: str(), matchingRule: str(), description: opt(str()) })),
  policies: arr(obj({ id: ocid, name: str(), compartmentId: ocid, statements: arr(str()), timeCreated: str({ pattern: /^\d{4}-\d\d-\d\dT/, hint: 'an ISO 8601 time' }) })),
  instances: arr(obj({ id: ocid, displayName: str(), compartmentId: ocid, region: str(), definedTags: { t: 'record', of: { t: 'record', of: str() } }, realm: opt(obj({ key: str(), domain: str() })), regionKey: opt(str()) })),
  resourcePrincipals: arr(obj({ id: ocid, resourceType: str(), compartmentId: ocid })),
  autonomousDatabases: arr(
    obj({
      id: ocid,
      displayName: str(),
      dbName: str(),
      compartmentId: ocid,
      host: str(),
      tlsPort: { t: 'number' },
      mtlsPort: { t: 'number' },
      serviceNames: arr(str()),
      mtlsRequired: { t: 'boolean' },
      acl: arr(str()),
      iamAuthEnabled: { t: 'boolean' },
      globalUsers: arr(obj({ name: str(), mapping: str({ pattern: /^IAM_(GROUP_NAME|PRINCIPAL_NAME|PRINCIPAL_OCID)=.+/, hint: "'IAM_GROUP_NAME=…', 'IAM_PRINCIPAL_NAME=…' or 'IAM_PRINCIPAL_OCID=…'" }) })),
      globalRoles: arr(obj({ name: str(), mapping: str({ pattern: /^IAM_GROUP_NAME=.+/, hint: "'IAM_GROUP_NAME=…'" }) })),
      grants: arr(obj({ grantee: str(), privilege: str() })),
      privateEndpoint: opt(obj({ label: str(), ip: str(), subnetId: opt(ocid) })),
    }),
  ),
  secrets: arr(obj({ id: ocid, name: str(), vaultId: ocid, compartmentId: ocid, state: { t: 'enum', values: ['ACTIVE', 'PENDING_DELETION', 'DELETED'] }, contentBase64: str({ pattern: /^[A-Za-z0-9+/]*={0,2}$/, hint: 'base64' }) })),
  dbToolsConnections: arr(
    obj({
      id: ocid,
      displayName: str(),
      compartmentId: ocid,
      authType: { t: 'enum', values: ['TOKEN', 'PASSWORD'] },
      databaseId: ocid,
      connectionString: str(),
      userName: opt(str()),
      userPasswordSecretId: opt(ocid),
      privateEndpointId: opt(ocid),
      runtimeIdentity: opt(str()),
      keyStores: arr(obj({ keyStoreType: str(), secretId: ocid })),
      advancedProperties: { t: 'record', of: str() },
    }),
  ),
  service: opt(
    obj({
      inactiveSecret: opt({ t: 'enum', values: ['incorrect-state', 'not-found'] }),
      faults: opt(
        arr(
          obj({
            operation: str(),
            answers: arr(obj({ kind: { t: 'enum', values: ['throttle', 'internal-error', 'unavailable', 'delay', 'reset'] }, retryAfterSeconds: opt({ t: 'number' }), delayMs: opt({ t: 'number' }) })),
          }),
        ),
      ),
      pageSize: opt({ t: 'number' }),
      latencyMs: opt(obj({ min: { t: 'number' }, max: { t: 'number' } })),
    }),
  ),
});

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

function check(schema: Schema, value: unknown, path: string, problems: string[]): void {
  if (value === undefined) {
    if (!schema.optional) problems.push(`${path}: missing`);
    return;
  }
  switch (schema.t) {
    case 'string':
      if (typeof value !== 'string') return void problems.push(`${path}: expected a string, got ${typeName(value)}`);
      if (schema.pattern && !schema.pattern.test(value)) problems.push(`${path}: expected ${schema.hint ?? schema.pattern.source}, got '${value.slice(0, 60)}'`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: expected a number, got ${typeName(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected true or false, got ${typeName(value)}`);
      return;
    case 'enum':
      if (typeof value !== 'string' || !schema.values.includes(value)) problems.push(`${path}: expected one of ${schema.values.join(', ')}, got ${JSON.stringify(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${path}: expected an array, got ${typeName(value)}`);
      value.forEach((v, i) => check(schema.of, v, `${path}[${i}]`, problems));
      return;
    case 'record':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${path}: expected an object, got ${typeName(value)}`);
      for (const [k, v] of Object.entries(value)) check(schema.of, v, `${path}.${k}`, problems);
      return;
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${path}: expected an object, got ${typeName(value)}`);
      const rec = value as Record<string, unknown>;
      for (const [k, s] of Object.entries(schema.fields)) check(s, rec[k], path ? `${path}.${k}` : k, problems);
      for (const k of Object.keys(rec)) if (!(k in schema.fields)) problems.push(`${path ? `${path}.` : ''}${k}: unknown field`);
      return;
    }
  }
}

/** Cross-references: every id a fixture points at must exist in it. */
function checkReferences(f: Fixture, problems: string[]): void {
  const ids = new Map<string, string>();
  const register = (id: string, path: string): void => {
    const prev = ids.get(id);
    if (prev) problems.push(`${path}.id: duplicate of ${prev}`);
    else ids.set(id, path);
  };
  register(f.tenancy.id, 'tenancy');
  const lists = ['compartments', 'users', 'groups', 'dynamicGroups', 'policies', 'instances', 'resourcePrincipals', 'autonomousDatabases', 'secrets', 'dbToolsConnections'] as const;
  for (const list of lists) (f[list] as { id: string }[]).forEach((x, i) => register(x.id, `${list}[${i}]`));

  const compartmentIds = new Set([f.tenancy.id, ...f.compartments.map((c) => c.id)]);
  const needCompartment = (id: string, path: string): void => {
    if (!compartmentIds.has(id)) problems.push(`${path}: no compartment (or tenancy) with id ${id}`);
  };
  f.compartments.forEach((c, i) => needCompartment(c.parentId, `compartments[${i}].parentId`));
  const groupIds = new Set(f.groups.map((g) => g.id));
  f.users.forEach((u, i) => u.groupIds.forEach((g, j) => groupIds.has(g) || problems.push(`users[${i}].groupIds[${j}]: no group with id ${g}`)));
  f.policies.forEach((p, i) => needCompartment(p.compartmentId, `policies[${i}].compartmentId`));
  f.instances.forEach((x, i) => needCompartment(x.compartmentId, `instances[${i}].compartmentId`));
  f.resourcePrincipals.forEach((x, i) => needCompartment(x.compartmentId, `resourcePrincipals[${i}].compartmentId`));
  f.autonomousDatabases.forEach((x, i) => needCompartment(x.compartmentId, `autonomousDatabases[${i}].compartmentId`));
  f.secrets.forEach((x, i) => needCompartment(x.compartmentId, `secrets[${i}].compartmentId`));
  const adbIds = new Set(f.autonomousDatabases.map((a) => a.id));
  const secretIds = new Set(f.secrets.map((s) => s.id));
  f.dbToolsConnections.forEach((c, i) => {
    needCompartment(c.compartmentId, `dbToolsConnections[${i}].compartmentId`);
    if (!adbIds.has(c.databaseId)) problems.push(`dbToolsConnections[${i}].databaseId: no autonomous database with id ${c.databaseId}`);
    c.keyStores.forEach((k, j) => secretIds.has(k.secretId) || problems.push(`dbToolsConnections[${i}].keyStores[${j}].secretId: no secret with id ${k.secretId}`));
    if (c.userPasswordSecretId !== undefined && !secretIds.has(c.userPasswordSecretId)) problems.push(`dbToolsConnections[${i}].userPasswordSecretId: no secret with id ${c.userPasswordSecretId}`);
  });
}

/** Parses a fixture document; throws FixtureError listing every problem with its path. */
export function parseFixture(doc: unknown): Fixture {
  const problems: string[] = [];
  check(FIXTURE_SCHEMA, doc, '', problems);
  if (problems.length > 0) throw new FixtureError(problems);
  const fixture = doc as Fixture;
  checkReferences(fixture, problems);
  if (problems.length > 0) throw new FixtureError(problems);
  return fixture;
}

/** Parses fixture JSON text; a syntax error names the position. */
export function parseFixtureJson(text: string, source = 'fixture'): Fixture {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FixtureError([`${source}: not valid JSON (${(err as Error).message})`]);
  }
  return parseFixture(doc);
}
