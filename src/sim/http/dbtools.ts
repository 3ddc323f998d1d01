// Database Tools: the control plane (oci-databasetools, /20201005) that
// describes connections, and the runtime (oci-databasetoolsruntime, /20230222)
// that validates them, runs SQL through them and reads their property sets.
// Sessions are decided by db-session.ts from the fixture, for the caller.
import type { Fixture } from '../fixture.js';
import { establishTokenSession, ORA_01017_MESSAGE, sessionRoles, type DbPrincipal, type SessionOutcome } from '../db-session.js';
import { notAuthorizedOrNotFound, OciError, type Principal, type Route, type SimContext, type SimRequest } from './server.js';
import { realmOf } from '../realms.js';

type Connection = Fixture['dbToolsConnections'][number];
type Adb = Fixture['autonomousDatabases'][number];

const EPOCH = '2024-01-01T00:00:00.000Z';
const ID = '([^/]+)';
const DB_VERSION = '19.0.0.0.0';

export const TOKEN_SCOPE_PROPERTY = 'iam.db.token.scope';
export const EXTERNAL_AUTH_PROPERTY_SET = 'ORACLE_DATABASE_EXTERNAL_AUTHENTICATION';

export interface DbToolsRouteOptions {
  /**
   * Dynamic groups an instance or resource principal belongs to (names), for
   * `IAM_GROUP_NAME` mappings of dynamic groups. Default: none.
   */
  dynamicGroupsOf?: (fixture: Fixture, principal: DbPrincipal) => string[];
}

function keyStoreModel(k: Connection['keyStores'][number]): Record<string, unknown> {
  return { keyStoreType: k.keyStoreType, keyStoreContent: { valueType: 'SECRETID', secretId: k.secretId } };
}

/** The ORACLE_DATABASE connection as DatabaseToolsClient deserializes it. */
export function connectionModel(c: Connection, fixture: Fixture): Record<string, unknown> {
  return {
    id: c.id,
    displayName: c.displayName,
    compartmentId: c.compartmentId,
    lifecycleState: 'ACTIVE',
    timeCreated: EPOCH,
    timeUpdated: EPOCH,
    definedTags: {},
    freeformTags: {},
    systemTags: {},
    locks: [],
    runtimeSupport: 'SUPPORTED',
    runtimeEndpoint: `https://sql.dbtools.${fixture.tenancy.homeRegion}.oci.${realmOf(fixture.tenancy.homeRegion).domain}/20201005/ords/${c.id}`,
    runtimeIdentity: c.runtimeIdentity ?? 'AUTHENTICATED_PRINCIPAL',
    type: 'ORACLE_DATABASE',
    relatedResource: { entityType: 'AUTONOMOUSDATABASE', identifier: c.databaseId },
    connectionString: c.connectionString,
    ...(c.userName !== undefined ? { userName: c.userName } : {}),
    ...(c.userPasswordSecretId !== undefined ? { userPassword: { valueType: 'SECRETID', secretId: c.userPasswordSecretId } } : {}),
    advancedProperties: c.advancedProperties,
    keyStores: c.keyStores.map(keyStoreModel),
    ...(c.privateEndpointId !== undefined ? { privateEndpointId: c.privateEndpointId } : {}),
    proxyClient: { proxyAuthenticationType: 'NO_PROXY' },
    authenticationType: c.authType,
  };
}

function findConnection(req: SimRequest, ctx: SimContext, need: string): Connection {
  const id = req.params[0] as string;
  const c = ctx.fixture.dbToolsConnections.find((x) => x.id === id);
  if (!c || !ctx.authorize(req, need, c.compartmentId)) throw notAuthorizedOrNotFound(`database tools connection ${id}`);
  return c;
}

/** A password session: the named user, if Database Tools can read its password. */
function passwordSession(c: Connection, adb: Adb, fixture: Fixture): SessionOutcome {
  const secret = c.userPasswordSecretId === undefined ? undefined : fixture.secrets.find((s) => s.id === c.userPasswordSecretId);
  if (!c.userName || !secret || secret.state !== 'ACTIVE') {
    return {
      ok: false,
      reason: 'no-mapping',
      oraCode: 1017,
      code: 'ORA-01017',
      message: ORA_01017_MESSAGE,
      cause: !c.userName ? 'The connection names no database user.' : 'The connection has no readable password secret.',
      action: 'Set the user name and an ACTIVE vault secret holding its password on the connection.',
    };
  }
  const user = c.userName.toUpperCase();
  return {
    ok: true,
    currentSchema: user,
    sessionUser: user,
    authenticatedIdentity: user,
    enterpriseIdentity: '',
    authenticationMethod: 'PASSWORD',
    roles: sessionRoles(adb, user, []),
  };
}

/** The principal Database Tools connects as: the caller, or the connection's own resource principal. */
function sessionPrincipal(req: SimRequest, c: Connection): { principal: DbPrincipal; asRequest: SimRequest } {
  if ((c.runtimeIdentity ?? 'AUTHENTICATED_PRINCIPAL') === 'RESOURCE_PRINCIPAL') {
    const p: Principal = { kind: 'resource', id: c.id, tenancyId: req.principal?.tenancyId ?? '', via: 'token', claims: { res_type: 'databasetoolsconnection', res_compartment: c.compartmentId } };
    return { principal: { kind: 'resource', id: c.id }, asRequest: { ...req, principal: p } };
  }
  const p = req.principal as Principal;
  return { principal: { kind: p.kind, id: p.id }, asRequest: req };
}

/** Opens (in simulation) the session a validate or executeSql call would open. */
export function connectionSession(req: SimRequest, ctx: SimContext, c: Connection, opts: DbToolsRouteOptions = {}): SessionOutcome {
  const adb = ctx.fixture.autonomousDatabases.find((a) => a.id === c.databaseId) as Adb;
  if (c.authType === 'PASSWORD') return passwordSession(c, adb, ctx.fixture);
  const { principal, asRequest } = sessionPrincipal(req, c);
  return establishTokenSession({
    fixture: ctx.fixture,
    databaseId: adb.id,
    principal,
    groupNames: principal.kind === 'user' ? undefined : (opts.dynamicGroupsOf?.(ctx.fixture, principal) ?? []),
    tokenScope: c.advancedProperties[TOKEN_SCOPE_PROPERTY],
    policyAllows: ctx.authorize(asRequest, 'use database-connections', adb.compartmentId, { 'target.database.id': adb.id }),
  });
}

/**
 * The ORACLE_DATABASE_EXTERNAL_AUTHENTICATION property set reads the
 * database's own setting (identity_provider_type): OCI_IAM when IAM is
 * enabled, NONE when not (the SDK's IdentityProviderNone: "used to disable
 * external authentication"). It is the database's state, not the connection's.
 */
export function externalIdentityProvider(adb: Adb): 'OCI_IAM' | 'NONE' {
  return adb.iamAuthEnabled ? 'OCI_IAM' : 'NONE';
}

function externalAuthStatus(adb: Adb): Record<string, unknown> {
  return adb.iamAuthEnabled
    ? { type: 'OCI_IAM', status: 'ENABLED', statusDetails: 'identity_provider_type is OCI_IAM' }
    : { type: 'OCI_IAM', status: 'AVAILABLE', statusDetails: 'identity_provider_type is NONE' };
}

/**
 * The validation answer. A failed logon carries only what the database said
 * (its ORA line): the database never says which link broke, so neither does
 * the service. What the real service puts in `code` and whether it adds a
 * generic `cause`/`action` is not documented; the stand-in sends the ORA code
 * and line and nothing else, the least a client can rely on.
 */
export function validationResult(c: Connection, adb: Adb, s: SessionOutcome): Record<string, unknown> {
  if (!s.ok) return { type: 'ORACLE_DATABASE', code: s.code, message: s.message, databaseName: adb.dbName, databaseVersion: DB_VERSION, dbmsCloudStatus: 'AVAILABLE' };
  return {
    type: 'ORACLE_DATABASE',
    code: 'OK',
    message: 'The connection is valid.',
    databaseName: adb.dbName,
    databaseVersion: DB_VERSION,
    currentSchema: s.currentSchema,
    sessionUser: s.sessionUser,
    authenticatedIdentity: s.authenticatedIdentity,
    authenticationMethod: s.authenticationMethod,
    ...(s.enterpriseIdentity ? { enterpriseIdentity: s.enterpriseIdentity } : {}),
    dbmsCloudStatus: 'AVAILABLE',
    cloudService: 'ADB-S',
    externalAuthenticationStatuses: [externalAuthStatus(adb)],
  };
}

// ---- executeSql ----------------------------------------------------------

/** Splits a select list at top-level commas. */
function splitSelectList(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of list) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Oracle's column heading for an expression: its alias, else the text upper-cased without blanks. */
function columnName(expr: string): { name: string; expr: string } {
  const alias = /^(.*?)\s+(?:as\s+)?("?)([A-Za-z_][\w$#]*)\2$/is.exec(expr);
  if (alias && (alias[1] as string).trim() !== '') {
    const name = alias[3] as string;
    return { name: alias[2] === '"' ? name : name.toUpperCase(), expr: (alias[1] as string).trim() };
  }
  return { name: expr.replace(/\s+/g, '').toUpperCase(), expr };
}

function userenv(s: Extract<SessionOutcome, { ok: true }>, adb: Adb, key: string): string | null {
  switch (key.toLowerCase()) {
    case 'current_schema':
      return s.currentSchema;
    case 'session_user':
    case 'current_user':
      return s.sessionUser;
    case 'authenticated_identity':
      return s.authenticatedIdentity;
    case 'authentication_method':
      return s.authenticationMethod;
    case 'enterprise_identity':
      return s.enterpriseIdentity || null;
    case 'identification_type':
      return s.mapping ? (s.mapping.kind === 'shared' ? 'GLOBAL SHARED' : 'GLOBAL EXCLUSIVE') : 'LOCAL';
    case 'db_name':
      return adb.dbName;
    case 'proxy_user':
      return null;
    default:
      return null;
  }
}

interface ResultSet {
  columns: string[];
  rows: (string | null)[][];
}

/** Roles that let a password session read the DBA_ dictionary views (besides ADMIN itself). */
const DICTIONARY_ROLES = ['DBA', 'PDB_DBA', 'SELECT_CATALOG_ROLE'];

/** A Database Tools PASSWORD session as ADMIN (or a DBA): the only one the dictionary views answer. */
function isAdminSession(s: Extract<SessionOutcome, { ok: true }>): boolean {
  return s.authenticationMethod === 'PASSWORD' && (s.sessionUser === 'ADMIN' || s.roles.some((r) => DICTIONARY_ROLES.includes(r)));
}

/** A grant whose privilege is one word is a role grant (`DWROLE`); system privileges have spaces (`CREATE SESSION`). */
const isRoleGrant = (privilege: string): boolean => !/\s/.test(privilege.trim());

/** Users and roles holding CREATE SESSION directly or through roles: the closure of the fixture's grants. */
function createSessionHolders(adb: Adb): string[] {
  const holders = new Set(adb.grants.filter((g) => g.privilege.trim().replace(/\s+/g, ' ').toUpperCase() === 'CREATE SESSION').map((g) => g.grantee.toUpperCase()));
  for (let grew = true; grew; ) {
    grew = false;
    for (const g of adb.grants) {
      const grantee = g.grantee.toUpperCase();
      if (isRoleGrant(g.privilege) && holders.has(g.privilege.trim().toUpperCase()) && !holders.has(grantee)) {
        holders.add(grantee);
        grew = true;
      }
    }
  }
  return [...holders].sort();
}

/** Projects records onto a select list (`*` or column names, optionally aliased); undefined on an unknown column. */
function project(selectList: string, records: Record<string, string | null>[], all: string[]): ResultSet | undefined {
  const cols = selectList.trim() === '*' ? all.map((name) => ({ name, expr: name })) : splitSelectList(selectList).map(columnName);
  const keys = cols.map((c) => c.expr.toUpperCase());
  if (keys.some((k) => !all.includes(k))) return undefined;
  return { columns: cols.map((c) => c.name), rows: records.map((r) => keys.map((k) => r[k] ?? null)) };
}

/** The select list of `select … from <view>`. */
function selectListOf(text: string, view: string): string | undefined {
  return new RegExp(`^\\s*select\\s+(.+?)\\s+from\\s+${view.replace('$', '\\$')}\\b`, 'is').exec(text)?.[1];
}

/** The dictionary views an ADMIN session reads for the database-side check. */
function answerDictionary(text: string, adb: Adb): ResultSet | undefined {
  if (/\bfrom\s+dba_sys_privs\b/i.test(text) && /'CREATE SESSION'/i.test(text)) {
    // The "who holds CREATE SESSION, directly or through roles" query (a union with a CONNECT BY over dba_role_privs).
    return { columns: ['GRANTEE'], rows: createSessionHolders(adb).map((g) => [g]) };
  }
  // The fixture knows only the global users and roles, so every row is GLOBAL.
  const users = selectListOf(text, 'dba_users');
  if (users !== undefined) {
    const rows = adb.globalUsers.map((u) => ({ USERNAME: u.name.toUpperCase(), EXTERNAL_NAME: u.mapping, AUTHENTICATION_TYPE: 'GLOBAL' })).sort((a, b) => a.USERNAME.localeCompare(b.USERNAME));
    return project(users, rows, ['USERNAME', 'EXTERNAL_NAME', 'AUTHENTICATION_TYPE']);
  }
  const roles = selectListOf(text, 'dba_roles');
  if (roles !== undefined) {
    const rows = adb.globalRoles.map((r) => ({ ROLE: r.name.toUpperCase(), EXTERNAL_NAME: r.mapping, AUTHENTICATION_TYPE: 'GLOBAL' })).sort((a, b) => a.ROLE.localeCompare(b.ROLE));
    return project(roles, rows, ['ROLE', 'EXTERNAL_NAME', 'AUTHENTICATION_TYPE']);
  }
  return undefined;
}

/** The identity_provider_* rows of v$parameter, narrowed to the names quoted in the statement (when it quotes any). */
function answerParameters(text: string, adb: Adb): ResultSet | undefined {
  const all = [
    { NAME: 'identity_provider_type', VALUE: adb.iamAuthEnabled ? 'OCI_IAM' : 'NONE' },
    { NAME: 'identity_provider_config', VALUE: null },
  ];
  const quoted = [...text.matchAll(/'([^']*)'/g)].map((m) => (m[1] as string).toLowerCase());
  const rows = quoted.length === 0 ? all : all.filter((r) => quoted.some((q) => (q.endsWith('%') ? r.NAME.startsWith(q.slice(0, -1)) : r.NAME === q)));
  return project(selectListOf(text, 'v$parameter') ?? 'name, value', rows, ['NAME', 'VALUE']);
}

/** Answers the few statements the doctor runs; undefined for anything else (and for dictionary views outside an ADMIN session). */
export function answerSql(sql: string, s: Extract<SessionOutcome, { ok: true }>, adb: Adb): ResultSet | undefined {
  const text = sql.trim().replace(/;\s*$/, '');
  if (/\bfrom\s+session_roles\b/i.test(text)) return { columns: ['ROLE'], rows: s.roles.map((r) => [r]) };
  if (/v\$parameter/i.test(text) && /identity_provider/i.test(text)) return answerParameters(text, adb);
  if (/\bfrom\s+dba_(users|roles|sys_privs|role_privs)\b/i.test(text)) return isAdminSession(s) ? answerDictionary(text, adb) : undefined;
  if (/sys_context/i.test(text)) {
    const m = /^\s*select\s+(.+?)\s+from\s+dual\s*$/is.exec(text);
    if (!m) return undefined;
    const cols = splitSelectList(m[1] as string).map(columnName);
    return {
      columns: cols.map((c) => c.name),
      rows: [
        cols.map((c) => {
          const k = /^sys_context\s*\(\s*'userenv'\s*,\s*'([a-z_]+)'\s*\)$/i.exec(c.expr);
          return k ? userenv(s, adb, k[1] as string) : null;
        }),
      ],
    };
  }
  return undefined;
}

interface StandardInput {
  statementText: string;
  limit?: number;
  offset?: number;
}

function readExecuteSqlBody(req: SimRequest): StandardInput {
  const body = req.json<{ type?: unknown; input?: { type?: unknown; statementText?: unknown; limit?: unknown; offset?: unknown } }>();
  if (body.type !== 'SYNCHRONOUS') throw new OciError(400, 'InvalidParameter', `The simulator runs SYNCHRONOUS requests only, not ${String(body.type)}`);
  const input = body.input;
  if (!input || input.type !== 'STANDARD') throw new OciError(400, 'InvalidParameter', 'The simulator runs STANDARD input only');
  if (typeof input.statementText !== 'string' || input.statementText.trim() === '') throw new OciError(400, 'InvalidParameter', 'input.statementText is required');
  return {
    statementText: input.statementText,
    ...(typeof input.limit === 'number' ? { limit: input.limit } : {}),
    ...(typeof input.offset === 'number' ? { offset: input.offset } : {}),
  };
}

function jsonName(column: string): string {
  return column.toLowerCase();
}

/** A STANDARD ExecuteSqlResponse with one statement: a result set or an error. */
export function executeSqlResponse(input: StandardInput, outcome: { resultSet: ResultSet } | { error: { code: number; message: string; details?: string } }): Record<string, unknown> {
  const lines = input.statementText.split('\n').length;
  const item: Record<string, unknown> = {
    statementId: 1,
    statementType: 'QUERY',
    statementPos: { startLine: 1, endLine: lines },
    statementText: input.statementText,
    responses: [],
  };
  if ('error' in outcome) {
    item.error = { errorCode: outcome.error.code, errorLine: 1, errorColumn: 1, errorMessage: outcome.error.message, ...(outcome.error.details ? { errorDetails: outcome.error.details } : {}) };
  } else {
    const { columns, rows } = outcome.resultSet;
    const offset = input.offset ?? 0;
    const limit = input.limit ?? 10000;
    const page = rows.slice(offset, offset + limit);
    item.resultSet = {
      metadata: columns.map((c) => ({ databaseColumnName: c, uniqueColumnName: jsonName(c), columnTypeName: 'VARCHAR2', precision: 4000, scale: 0, isNullable: true })),
      items: page.map((r) => Object.fromEntries(columns.map((c, i) => [jsonName(c), r[i] ?? null]))),
      hasMore: offset + limit < rows.length,
      count: page.length,
      offset,
      limit,
    };
  }
  return { type: 'STANDARD', env: { defaultTimeZone: 'UTC' }, version: '1', items: [item] };
}

export function dbToolsRoutes(opts: DbToolsRouteOptions = {}): Route[] {
  const adbOf = (ctx: SimContext, c: Connection): Adb => ctx.fixture.autonomousDatabases.find((a) => a.id === c.databaseId) as Adb;
  return [
    // Control plane.
    {
      method: 'GET',
      pattern: new RegExp(`^/20201005/databaseToolsConnections/${ID}$`),
      auth: 'signed',
      handle(req, ctx) {
        const c = findConnection(req, ctx, 'read database-tools-connections');
        return { status: 200, body: connectionModel(c, ctx.fixture), headers: { etag: `"${c.id.slice(-12)}"` } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/20201005\/databaseToolsConnections$/,
      auth: 'signed',
      paged: true,
      handle(req, ctx) {
        const compartmentId = req.query.get('compartmentId');
        if (!compartmentId) throw new OciError(400, 'MissingParameter', 'compartmentId is required');
        if (!ctx.authorize(req, 'inspect database-tools-connections', compartmentId)) throw notAuthorizedOrNotFound('database tools connections');
        const displayName = req.query.get('displayName');
        const related = req.query.get('relatedResourceIdentifier');
        const items = ctx.fixture.dbToolsConnections
          .filter((c) => c.compartmentId === compartmentId && (!displayName || c.displayName === displayName) && (!related || c.databaseId === related))
          .map((c) => connectionModel(c, ctx.fixture));
        return { status: 200, body: { items } };
      },
    },
    // Runtime.
    {
      method: 'POST',
      pattern: new RegExp(`^/20230222/databaseToolsConnections/${ID}/actions/validateConnection$`),
      auth: 'signed',
      handle(req, ctx) {
        const c = findConnection(req, ctx, 'use database-tools-connections');
        const body = req.json<{ type?: unknown }>();
        if (body.type !== undefined && body.type !== 'ORACLE_DATABASE') throw new OciError(400, 'InvalidParameter', `Connection ${c.id} is ORACLE_DATABASE, not ${String(body.type)}`);
        const session = connectionSession(req, ctx, c, opts);
        return { status: 200, body: validationResult(c, adbOf(ctx, c), session), ...(session.ok ? {} : { why: session.reason }) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/20230222/databaseToolsConnections/${ID}/actions/executeSql$`),
      auth: 'signed',
      handle(req, ctx) {
        const c = findConnection(req, ctx, 'use database-tools-connections');
        const input = readExecuteSqlBody(req);
        const adb = adbOf(ctx, c);
        const session = connectionSession(req, ctx, c, opts);
        if (!session.ok) return { status: 200, body: executeSqlResponse(input, { error: { code: session.oraCode, message: session.message } }), why: session.reason };
        const resultSet = answerSql(input.statementText, session, adb);
        // What the stand-in cannot answer looks like a missing view, as a database says it.
        if (!resultSet) return { status: 200, body: executeSqlResponse(input, { error: { code: 942, message: 'ORA-00942: table or view does not exist' } }) };
        return { status: 200, body: executeSqlResponse(input, { resultSet }) };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/20230222/databaseToolsConnections/${ID}/propertySets/${ID}$`),
      auth: 'signed',
      handle(req, ctx) {
        const c = findConnection(req, ctx, 'use database-tools-connections');
        const key = req.params[1] as string;
        if (key !== EXTERNAL_AUTH_PROPERTY_SET) throw notAuthorizedOrNotFound(`property set ${key} of ${c.id}`);
        return { status: 200, body: { key, isMutable: true, identityProvider: { type: externalIdentityProvider(adbOf(ctx, c)) } } };
      },
    },
  ];
}
