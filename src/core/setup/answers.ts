// The answers `dbiam-doctor setup` works from, whether typed into the wizard
// or read from an answers file, and their validation. Pure: every problem is
// reported with the dotted name of the field it concerns.

export const SETUP_AUTH_MODES = ['api_key', 'security_token', 'instance_principal', 'resource_principal', 'oke_workload_identity'] as const;
export type SetupAuthMode = (typeof SETUP_AUTH_MODES)[number];

export const TLS_MODES = ['wallet', 'one-way-tls', 'dbtools'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export const MAPPING_KINDS = ['shared-group', 'exclusive-user', 'instance', 'dynamic-group'] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

export const ACCESS_KINDS = ['read-only', 'other'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** Which mapping kinds make sense for each auth mode (a principal cannot be in an IAM group, a user cannot be in a dynamic group). */
export const MAPPINGS_FOR_MODE: Record<SetupAuthMode, readonly MappingKind[]> = {
  api_key: ['shared-group', 'exclusive-user'],
  security_token: ['shared-group', 'exclusive-user'],
  instance_principal: ['instance', 'dynamic-group'],
  resource_principal: ['dynamic-group'],
  // OKE workloads cannot join dynamic groups: the policy names the workload, the database maps its principal OCID.
  oke_workload_identity: ['exclusive-user'],
};

export interface SetupTarget {
  adbId?: string;
  /**
   * The compartment that holds the database (inside `compartmentPath`): the DB-token
   * scope names it so the token is no wider than the policy, and the Database Tools
   * connections are created in it.
   */
  compartmentOcid?: string;
  /** Where the policy grants: 'tenancy' or a compartment path such as 'Prod:Finance'. */
  compartmentPath: string;
  connectString?: string;
  tls: TlsMode;
  /** An existing token Database Tools connection (tls 'dbtools'). */
  dbtoolsConnectionId?: string;
  /** OCI Vault secret holding the wallet (wallet or Database Tools key store). */
  walletSecretId?: string;
  /** Database Tools flow: Vault secret holding the ADMIN password. */
  adminPasswordSecretId?: string;
  /** Database Tools flow: the private endpoint the connections use. */
  privateEndpointId?: string;
  /** Directory holding the unzipped wallet, or the tnsnames.ora of an alias (the drivers' config directory). */
  walletDir?: string;
}

export interface OkeWorkload {
  namespace: string;
  serviceAccount: string;
  clusterOcid: string;
}

export interface SetupMapping {
  kind: MappingKind;
  /** IAM group: the mapped group (shared-group) or the group the policy names (exclusive-user). */
  group?: string;
  /** Global database user the principal maps to. */
  dbUser?: string;
  /** Global database role mapped to the same group (shared-group, dynamic-group). */
  role?: string;
  /** IAM user name (exclusive-user, user auth modes). */
  userName?: string;
  instanceOcid?: string;
  dynamicGroup?: string;
  /** The compartment whose instances or resources the dynamic group matches. */
  compartmentOcidForRule?: string;
  /** resource_principal: the resource type of the rule, e.g. fnfunc. */
  resourceType?: string;
  /** oke_workload_identity: the workload's principal OCID. */
  principalOcid?: string;
  oke?: OkeWorkload;
}

export interface ApiKeyDetails {
  userOcid?: string;
  fingerprint?: string;
  keyFile?: string;
}

export interface SetupAnswers {
  authMode: SetupAuthMode;
  profile?: string;
  region: string;
  tenancyOcid: string;
  apiKey?: ApiKeyDetails;
  target: SetupTarget;
  mapping: SetupMapping;
  access: AccessKind;
}

export class AnswersError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * ocid1.<resource type>.<realm>.[region].<unique id> (Oracle's "Resource Identifiers" page).
 * The unique part's format is not documented; real ones are long base32 strings, so a
 * part shorter than 8 letters and digits (e.g. `..bad`) is refused as a typo or placeholder.
 */
const OCID = (kind: string): RegExp => new RegExp(`^ocid1\\.${kind}\\.oc[0-9]+\\.[a-z0-9-]*\\.[a-z0-9]{8,}$`);
const ANY_OCID = /^ocid1\.[a-z0-9]+\.oc[0-9]+\.[a-z0-9-]*\.[a-z0-9]{8,}$/;
const CONTAINER_OCID = /^ocid1\.(compartment|tenancy)\.oc[0-9]+\.[a-z0-9-]*\.[a-z0-9]{8,}$/;
// Names end up inside quoted policy values, SQL string literals and shell words: keep them plain.
const IAM_NAME = /^[A-Za-z0-9._+@-]{1,128}$/;
/** `Group`, `Domain/Group` or `'Domain'/'Group'` (Oracle's policy and IAM_GROUP_NAME examples); quotes balanced. */
const DOMAIN_QUALIFIED = /^(?:([A-Za-z0-9._+@-]{1,128})\/|'([A-Za-z0-9._+@-]{1,128})'\/)?(?:([A-Za-z0-9._+@-]{1,128})|'([A-Za-z0-9._+@-]{1,128})')$/;
const DB_IDENT = /^[A-Za-z][A-Za-z0-9_$#]{0,127}$/;
const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const REGION = /^[a-z]{2,}-[a-z]+-\d+$/;
const COMPARTMENT_PATH = /^[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)*$/;
const RESOURCE_TYPE = /^[a-z]+$/;
const K8S_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** A group or dynamic group as the answers name it: the identity domain is optional (Default). */
export interface IamGroupName {
  domain?: string;
  name: string;
}

/** Splits `Domain/Group` or `'Domain'/'Group'`; undefined when it is neither a plain nor a qualified name. */
export function parseIamGroupName(text: string): IamGroupName | undefined {
  const m = DOMAIN_QUALIFIED.exec(text.trim());
  if (!m) return undefined;
  const domain = m[1] ?? m[2];
  const name = (m[3] ?? m[4]) as string;
  return domain ? { domain, name } : { name };
}

/**
 * How a connect string travels. IAM tokens need TLS: a descriptor must say
 * protocol=tcps in every address and an Easy Connect string must start with
 * tcps:// (without a protocol it is plain TCP). A bare word is a tnsnames alias.
 */
export type ConnectStringKind = 'descriptor' | 'easy-connect' | 'alias';

export function connectStringKind(text: string): ConnectStringKind {
  const s = text.trim();
  if (s.startsWith('(')) return 'descriptor';
  return /^[A-Za-z][A-Za-z0-9_.$#-]*$/.test(s) ? 'alias' : 'easy-connect';
}

/** Why the connect string cannot carry an IAM token, or undefined when it can (or is an alias). */
export function plainTcpProblem(text: string): string | undefined {
  const s = text.trim();
  const kind = connectStringKind(s);
  if (kind === 'alias') return undefined;
  if (kind === 'descriptor') {
    const protocols = [...s.matchAll(/\(\s*protocol\s*=\s*([A-Za-z]+)\s*\)/gi)].map((m) => (m[1] as string).toLowerCase());
    if (protocols.length === 0) return 'the descriptor names no protocol, so it connects over plain TCP; IAM tokens need protocol=tcps';
    if (protocols.some((p) => p !== 'tcps')) return `the descriptor uses protocol=${protocols.find((p) => p !== 'tcps')}; IAM tokens need protocol=tcps in every address`;
    return undefined;
  }
  if (!/^tcps:\/\//i.test(s)) return 'an Easy Connect string without tcps:// connects over plain TCP; IAM tokens need TLS: start it with tcps://';
  return undefined;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The problems found so far, one per field: a field's first problem is the one worth reading. */
class Problems {
  readonly list: AnswersError[] = [];

  add(field: string, message: string): void {
    if (!this.has(field)) this.list.push(new AnswersError(field, message));
  }

  /** Whether a field (or a field under it) already has a problem: checks across fields wait for it to be fixed. */
  has(...fields: string[]): boolean {
    return this.list.some((p) => fields.some((f) => p.field === f || p.field.startsWith(`${f}.`)));
  }
}

class Reader {
  constructor(
    private readonly obj: Obj,
    private readonly prefix: string,
    known: readonly string[],
    private readonly problems: Problems,
  ) {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) problems.add(this.name(key), `unknown field (known: ${known.join(', ')})`);
    }
  }

  name(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  optional(key: string, pattern: RegExp, what: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.trim() === '') return void this.problems.add(this.name(key), `expected ${what}`);
    const s = v.trim();
    if (!pattern.test(s)) return void this.problems.add(this.name(key), `expected ${what}, got '${s}'`);
    return s;
  }

  /** The value, or '' after recording why there is none (the answers are then not used). */
  required(key: string, pattern: RegExp, what: string, why?: string): string {
    const v = this.optional(key, pattern, what);
    if (v === undefined && !this.problems.has(this.name(key))) this.problems.add(this.name(key), `missing: ${what} is required${why ? ` ${why}` : ''}`);
    return v ?? '';
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return void this.problems.add(this.name(key), `missing: one of ${values.join(', ')}`);
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) return void this.problems.add(this.name(key), `expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }

  /** The nested object; a missing or wrong one is recorded and read as empty. */
  object(key: string, required: boolean): Obj | undefined {
    const v = this.obj[key];
    // A missing one is read as empty: each required field inside it then says it is missing.
    if (v === undefined || v === null) return required ? {} : undefined;
    if (!isObj(v)) {
      this.problems.add(this.name(key), 'expected an object');
      return {};
    }
    return v;
  }
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Validates parsed JSON (or the wizard's state) into answers; throws AnswersError naming the first bad field. */
export function validateAnswers(raw: unknown): SetupAnswers {
  const { answers, problems } = checkAnswers(raw);
  if (problems[0]) throw problems[0];
  return answers as SetupAnswers;
}

/** Every problem in the answers (at most one per field), or the answers when there is none. */
export function answersProblems(raw: unknown): AnswersError[] {
  return checkAnswers(raw).problems;
}

/** TLS paths each auth mode can take: a Database Tools token connection is used by a signed-in IAM user (docs/sources.md). */
export const TLS_MODES_FOR_MODE: Record<SetupAuthMode, readonly TlsMode[]> = {
  api_key: TLS_MODES,
  security_token: TLS_MODES,
  instance_principal: ['wallet', 'one-way-tls'],
  resource_principal: ['wallet', 'one-way-tls'],
  oke_workload_identity: ['wallet', 'one-way-tls'],
};

function checkAnswers(raw: unknown): { answers?: SetupAnswers; problems: AnswersError[] } {
  if (!isObj(raw)) return { problems: [new AnswersError('(answers)', 'expected a JSON object')] };
  const p = new Problems();
  const top = new Reader(raw, '', ['$schema', 'authMode', 'profile', 'region', 'tenancyOcid', 'apiKey', 'target', 'mapping', 'access'], p);
  const authMode = top.oneOf('authMode', SETUP_AUTH_MODES);
  const usesProfile = authMode === 'api_key' || authMode === 'security_token';
  const profile = usesProfile ? (top.optional('profile', PROFILE_NAME, 'a profile name (letters, digits, . _ -)') ?? 'DEFAULT') : top.optional('profile', PROFILE_NAME, 'a profile name');
  const region = top.required('region', REGION, 'an OCI region identifier such as us-ashburn-1');
  const tenancyOcid = top.required('tenancyOcid', OCID('tenancy'), 'a tenancy OCID (ocid1.tenancy.oc1..<unique id>)');

  let apiKey: ApiKeyDetails | undefined;
  const apiKeyObj = top.object('apiKey', false);
  if (apiKeyObj) {
    const r = new Reader(apiKeyObj, 'apiKey', ['userOcid', 'fingerprint', 'keyFile'], p);
    apiKey = defined({
      userOcid: r.optional('userOcid', OCID('user'), 'a user OCID (ocid1.user.…)'),
      fingerprint: r.optional('fingerprint', /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/, 'an MD5 fingerprint aa:bb:…'),
      keyFile: r.optional('keyFile', /^[^\n'"]+$/, 'a private key path'),
    });
  }

  const t = new Reader(top.object('target', true) as Obj, 'target', [
    'adbId', 'compartmentOcid', 'compartmentPath', 'connectString', 'tls', 'dbtoolsConnectionId', 'walletSecretId', 'adminPasswordSecretId', 'privateEndpointId', 'walletDir',
  ], p);
  const tls = t.oneOf('tls', TLS_MODES) as TlsMode;
  const target: SetupTarget = defined({
    adbId: t.optional('adbId', OCID('autonomousdatabase'), 'an Autonomous Database OCID (ocid1.autonomousdatabase.…)'),
    compartmentOcid: t.optional('compartmentOcid', CONTAINER_OCID, 'a compartment OCID (ocid1.compartment.oc1..<unique id>)'),
    compartmentPath: t.required('compartmentPath', /^(tenancy|[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)*)$/, "'tenancy' or a compartment path such as Prod:Finance", 'to say where the policy grants access'),
    connectString: t.optional('connectString', /^[^\n'"]+$/, 'a connect string (EZConnect or descriptor, no quotes)'),
    tls,
    dbtoolsConnectionId: t.optional('dbtoolsConnectionId', OCID('databasetoolsconnection'), 'a Database Tools connection OCID'),
    walletSecretId: t.optional('walletSecretId', OCID('vaultsecret'), 'a Vault secret OCID (ocid1.vaultsecret.…)'),
    adminPasswordSecretId: t.optional('adminPasswordSecretId', OCID('vaultsecret'), 'a Vault secret OCID (ocid1.vaultsecret.…)'),
    privateEndpointId: t.optional('privateEndpointId', OCID('databasetoolsprivateendpoint'), 'a Database Tools private endpoint OCID'),
    walletDir: t.optional('walletDir', /^[^\n'"]+$/, 'a directory path'),
  });
  if (!p.has('target.adbId', 'target.connectString') && !target.adbId && !target.connectString) p.add('target.connectString', 'missing: give target.adbId or target.connectString (or both)');
  if (target.connectString) {
    const tcp = plainTcpProblem(target.connectString);
    if (tcp) p.add('target.connectString', tcp);
    else if (connectStringKind(target.connectString) === 'alias' && !target.walletDir && !p.has('target.walletDir') && tls !== 'dbtools') {
      p.add('target.walletDir', `missing: '${target.connectString}' is a tnsnames alias, which the drivers resolve only from the directory holding tnsnames.ora (configDir / config_dir)`);
    }
  }
  // The token scope may be no wider than the policy grant (Database Tools: iam.db.token.scope).
  if (!p.has('target.compartmentOcid', 'target.adbId', 'target.compartmentPath') && !target.compartmentOcid && (target.adbId || target.compartmentPath !== 'tenancy')) {
    const grant = target.adbId ? 'one database' : `compartment ${target.compartmentPath}`;
    p.add('target.compartmentOcid', `missing: the policy grants ${grant}, so the DB-token scope names the database's compartment by OCID to be no wider than the policy`);
  }
  if (tls === 'dbtools') {
    if (authMode && !TLS_MODES_FOR_MODE[authMode].includes('dbtools')) p.add('target.tls', `'dbtools' is used by a signed-in IAM user: use authMode api_key or security_token`);
    if (!target.compartmentOcid && !target.dbtoolsConnectionId) p.add('target.compartmentOcid', 'missing: the Database Tools connections are created in this compartment (or give target.dbtoolsConnectionId)');
    if (!target.connectString && !target.dbtoolsConnectionId) p.add('target.connectString', 'missing: the Database Tools connections need the connect string');
    if (!target.walletSecretId && !target.dbtoolsConnectionId) p.add('target.walletSecretId', 'missing: the Database Tools connections read the wallet from this Vault secret');
  }

  const m = new Reader(top.object('mapping', true) as Obj, 'mapping', [
    'kind', 'group', 'dbUser', 'role', 'userName', 'instanceOcid', 'dynamicGroup', 'compartmentOcidForRule', 'resourceType', 'principalOcid', 'oke',
  ], p);
  const kind = m.oneOf('kind', MAPPING_KINDS) as MappingKind;
  const allowed = authMode ? MAPPINGS_FOR_MODE[authMode] : MAPPING_KINDS;
  if (kind && !allowed.includes(kind)) p.add('mapping.kind', `'${kind}' does not fit authMode ${authMode} (use ${allowed.join(' or ')})`);
  const mapping: SetupMapping = { kind };
  const dbWhat = 'a database user name (letter, then letters, digits, _ $ #)';
  const userOrRole = (): void => {
    mapping.dbUser = m.optional('dbUser', DB_IDENT, dbWhat);
    mapping.role = m.optional('role', DB_IDENT, 'a database role name');
    if (!mapping.dbUser && !mapping.role && !p.has('mapping.dbUser', 'mapping.role')) p.add('mapping.dbUser', 'missing: give mapping.dbUser (a shared global user) or mapping.role (a global role)');
  };
  if (kind === 'shared-group') {
    mapping.group = m.required('group', DOMAIN_QUALIFIED, "an IAM group name, optionally with its identity domain (Domain/Group or 'Domain'/'Group')", 'for the policy and IAM_GROUP_NAME mapping');
    userOrRole();
  } else if (kind === 'exclusive-user') {
    if (authMode === 'oke_workload_identity') {
      mapping.dbUser = m.required('dbUser', DB_IDENT, dbWhat);
      mapping.principalOcid = m.required('principalOcid', ANY_OCID, "the workload's principal OCID", 'for the IAM_PRINCIPAL_OCID mapping');
      const o = new Reader(m.object('oke', true) as Obj, 'mapping.oke', ['namespace', 'serviceAccount', 'clusterOcid'], p);
      mapping.oke = {
        namespace: o.required('namespace', K8S_NAME, 'a Kubernetes namespace'),
        serviceAccount: o.required('serviceAccount', K8S_NAME, 'a service account name'),
        clusterOcid: o.required('clusterOcid', OCID('cluster'), 'an OKE cluster OCID (ocid1.cluster.…)'),
      };
    } else {
      mapping.userName = m.required('userName', IAM_NAME, 'the IAM user name (or its Database Username)', 'for the IAM_PRINCIPAL_NAME mapping');
      mapping.group = m.required('group', DOMAIN_QUALIFIED, "an IAM group the user is in, optionally Domain/Group", 'for the policy (policies name groups, not users)');
      mapping.dbUser = m.required('dbUser', DB_IDENT, dbWhat);
    }
  } else if (kind === 'instance') {
    mapping.instanceOcid = m.required('instanceOcid', OCID('instance'), 'an instance OCID (ocid1.instance.…)');
    mapping.dynamicGroup = m.required('dynamicGroup', DOMAIN_QUALIFIED, 'a dynamic group name, optionally Domain/Name', 'for the policy (it matches this instance)');
    mapping.dbUser = m.required('dbUser', DB_IDENT, dbWhat);
  } else if (kind === 'dynamic-group') {
    mapping.dynamicGroup = m.required('dynamicGroup', DOMAIN_QUALIFIED, 'a dynamic group name, optionally Domain/Name');
    mapping.compartmentOcidForRule = m.required('compartmentOcidForRule', CONTAINER_OCID, 'a compartment OCID', 'for the matching rule');
    if (authMode === 'resource_principal') mapping.resourceType = m.required('resourceType', RESOURCE_TYPE, 'a resource type such as fnfunc or datasciencenotebooksession');
    userOrRole();
  }
  const access = top.oneOf('access', ACCESS_KINDS);
  if (p.list.length > 0) return { problems: p.list };
  return { answers: defined({ authMode: authMode as SetupAuthMode, profile, region, tenancyOcid, apiKey, target, mapping: defined(mapping), access: access as AccessKind }), problems: [] };
}
