// What the parser and evaluator know about OCI's policy vocabulary. Only the
// part on the IAM-to-database path is modelled in depth (families, permissions);
// the rest is a list of names so that typos can be flagged.
import type { Verb } from './types.js';

export const VERB_RANK: Record<Verb, number> = { inspect: 0, read: 1, use: 2, manage: 3 };

export function isVerb(s: string): s is Verb {
  return s === 'inspect' || s === 'read' || s === 'use' || s === 'manage';
}

/**
 * Family → members. Only the families on this path are modelled; a statement
 * on any other family is not counted as covering a member type.
 */
export const FAMILIES: Readonly<Record<string, readonly string[]>> = {
  'autonomous-database-family': [
    'autonomous-databases',
    'autonomous-backups',
    'database-connections',
    // Dedicated infrastructure adds these two.
    'autonomous-container-databases',
    'autonomous-vmclusters',
  ],
  'database-tools-family': [
    'database-tools-connections',
    'database-tools-private-endpoints',
    'database-tools-identities',
  ],
  'secret-family': ['secrets', 'secret-versions', 'secret-bundles'],
  // DB systems and Base Database policy references; database-connections is not among them.
  'database-family': ['db-systems', 'db-nodes', 'db-homes', 'databases', 'pluggable-databases', 'backups', 'db-backups'],
};

/**
 * Permissions each verb adds on a resource type (cumulative up the verbs).
 * Only these are modelled; for any other type a `{PERMISSION}` statement and a
 * verb cannot be compared, and the evaluator says so rather than guess.
 */
export const PERMISSIONS: Readonly<Record<string, Partial<Record<Verb, readonly string[]>>>> = {
  'database-connections': { use: ['DB_CONNECT'] },
  'secret-bundles': { read: ['SECRET_BUNDLE_READ'] },
  // Unconfirmed name: kept so the Database Tools path can be evaluated.
  'database-tools-connections': { use: ['DATABASE_TOOLS_CONNECTION_USE'] },
};

/** Permissions that `verb` carries on `type`, or undefined when the type is not modelled. */
export function permissionsOf(type: string, verb: Verb): string[] | undefined {
  const table = PERMISSIONS[type];
  if (!table) return undefined;
  const out: string[] = [];
  const rank = VERB_RANK[verb];
  for (const v of ['inspect', 'read', 'use', 'manage'] as const) {
    if (VERB_RANK[v] <= rank) out.push(...(table[v] ?? []));
  }
  return out;
}

/** The weakest verb on `type` that carries `permission`, when modelled. */
export function verbForPermission(type: string, permission: string): Verb | undefined {
  const table = PERMISSIONS[type];
  if (!table) return undefined;
  for (const v of ['inspect', 'read', 'use', 'manage'] as const) {
    if (table[v]?.includes(permission)) return v;
  }
  return undefined;
}

/** Does a statement on `stated` cover a request on `needed`? */
export function typeCovers(stated: string, needed: string): boolean {
  if (stated === needed || stated === 'all-resources') return true;
  return FAMILIES[stated]?.includes(needed) ?? false;
}

/** Resource types and families a statement may name (for the unknown-type lint). */
export const KNOWN_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'all-resources',
  ...Object.keys(FAMILIES),
  ...Object.values(FAMILIES).flat(),
  // database
  'database-family', 'db-systems', 'db-nodes', 'db-homes', 'databases', 'pluggable-databases', 'backups',
  'vmclusters', 'cloud-vmclusters', 'cloud-exadata-infrastructures', 'exadata-infrastructures',
  'autonomous-database-software-images', 'data-guard-associations', 'external-database-family',
  // identity
  'users', 'groups', 'dynamic-groups', 'policies', 'compartments', 'tenancies', 'identity-providers',
  'domains', 'network-sources', 'tag-namespaces', 'tag-defaults', 'authentication-policies',
  'credentials', 'api-keys', 'auth-tokens', 'customer-secret-keys', 'smtp-credentials', 'iam-family',
  'cloud-shell', 'work-requests', 'audit-events', 'usage-report', 'usage-budgets',
  // vault
  'vaults', 'keys', 'key-family', 'key-delegate', 'hsm-cluster', 'secret-family',
  // compute
  'instance-family', 'instances', 'instance-images', 'instance-configurations', 'instance-pools',
  'instance-console-connection', 'instance-agent-plugins', 'instance-agent-command-family',
  'volume-attachments', 'console-histories', 'app-catalog-listing', 'compute-capacity-reservations',
  'dedicated-vm-hosts', 'cluster-networks', 'compute-management-family',
  // network
  'virtual-network-family', 'vcns', 'subnets', 'route-tables', 'security-lists', 'dhcp-options',
  'private-ips', 'public-ips', 'ipv6s', 'internet-gateways', 'nat-gateways', 'service-gateways',
  'drgs', 'vnics', 'vnic-attachments', 'network-security-groups', 'local-peering-gateways',
  'load-balancers', 'network-load-balancers', 'dns', 'dns-zones', 'vtaps', 'capture-filters',
  // storage
  'volume-family', 'volumes', 'volume-backups', 'boot-volume-backups', 'volume-groups',
  'object-family', 'buckets', 'objects', 'objectstorage-namespaces',
  'file-family', 'file-systems', 'mount-targets', 'export-sets',
  // other services
  'functions-family', 'fn-app', 'fn-function', 'fn-invocation',
  'api-gateway-family', 'api-gateways', 'api-deployments',
  'data-science-family', 'data-science-projects', 'data-science-notebook-sessions',
  'data-science-models', 'data-science-model-deployments', 'data-science-jobs', 'data-science-job-runs',
  'cluster-family', 'clusters', 'cluster-node-pools', 'cluster-workload-mappings',
  'metrics', 'alarms', 'ons-family', 'ons-topics', 'ons-subscriptions',
  'logging-family', 'log-groups', 'log-content', 'cloudevents-rules',
  'repos', 'devops-family', 'bastion-family', 'bastions', 'bastion-session',
  'certificate-authority-family', 'certificate-family', 'leaf-certificate-family',
  'email-family', 'streams', 'stream-family', 'osmh-family', 'orm-stacks', 'orm-jobs',
]);

/** A singular or near-plural form of a known type, e.g. `secret-bundle` → `secret-bundles`. */
export function pluralOf(type: string): string | undefined {
  for (const candidate of [`${type}s`, `${type}es`, type.endsWith('y') ? `${type.slice(0, -1)}ies` : '']) {
    if (candidate && KNOWN_RESOURCE_TYPES.has(candidate)) return candidate;
  }
  return undefined;
}

const REQUEST_VARIABLES: ReadonlySet<string> = new Set([
  'request.user.id',
  'request.user.name',
  'request.user.mfatotpverified',
  'request.groups.id',
  'request.permission',
  'request.operation',
  'request.region',
  'request.ad',
  'request.networksource.name',
  'request.ipv4.ipaddress',
  'request.vcn.id',
  'request.principal.type',
  'request.principal.id',
  'request.principal.name',
  'request.principal.compartment.id',
  'request.principal.namespace',
  'request.principal.service_account',
  'request.principal.cluster_id',
  'request.instance.compartment.id',
  'request.utc-timestamp',
  'request.utc-timestamp.month-of-year',
  'request.utc-timestamp.day-of-month',
  'request.utc-timestamp.day-of-week',
  'request.utc-timestamp.time-of-day',
]);

/** The documented `target.*` variables of a single segment. */
const SINGLE_SEGMENT_TARGET_VARIABLES = ['target.id', 'target.workloadtype'];

const TAG_PREFIXES = [
  'request.principal.group.tag.',
  'request.principal.compartment.tag.',
  'target.resource.tag.',
  'target.resource.compartment.tag.',
];

/**
 * Is `name` (lower-case) a variable a where clause can use? `target.*`
 * variables are defined per service and too many to list, so any
 * `target.<type>.<attribute>` shape is accepted.
 */
export function isKnownPolicyVariable(name: string): boolean {
  if (REQUEST_VARIABLES.has(name)) return true;
  for (const p of TAG_PREFIXES) if (name.startsWith(p) && name.length > p.length) return true;
  if (SINGLE_SEGMENT_TARGET_VARIABLES.includes(name)) return true;
  if (name.startsWith('target.')) {
    const rest = name.slice('target.'.length);
    const dot = rest.indexOf('.');
    return dot > 0 && dot < rest.length - 1;
  }
  return false;
}

/**
 * The names isKnownPolicyVariable accepts, as pairs of a literal prefix and
 * the regular-expression source of what must follow it (`''`: nothing), for
 * the statement skim (skim.ts), which matches them on ASCII text without
 * regard to case, up to the end of the word. `word` is the character class of
 * a word's characters, `wordNoDot` the same without `.`.
 */
export function knownPolicyVariableForms(word: string, wordNoDot: string): [string, string][] {
  return [
    ...[...REQUEST_VARIABLES, ...SINGLE_SEGMENT_TARGET_VARIABLES].map((name): [string, string] => [name, '']),
    ...TAG_PREFIXES.map((p): [string, string] => [p, `${word}+`]),
    // target.<type>.<attribute>: a first segment without a dot, then anything.
    ['target.', `${wordNoDot}+\\.${word}+`],
  ];
}

/** Looks like a variable rather than a value (used to flag `'target.compartment.id'`). */
export function looksLikePolicyVariable(lower: string): boolean {
  return (lower.startsWith('request.') || lower.startsWith('target.')) && !lower.includes(' ') && isKnownPolicyVariable(lower);
}

export const RULE_VARIABLES: readonly string[] = [
  'instance.id',
  'instance.compartment.id',
  'resource.id',
  'resource.type',
  'resource.compartment.id',
];

/** `tag.<namespace>.<key>.value`, lower-case. */
export function isTagVariable(name: string): boolean {
  if (!name.startsWith('tag.') || !name.endsWith('.value')) return false;
  const middle = name.slice(4, -6);
  const dot = middle.indexOf('.');
  return dot > 0 && dot < middle.length - 1;
}

/**
 * Which variable narrows a grant on a resource type to one resource, for the
 * suggested statement: the first one the request carries. The docs show
 * `target.database.id` for database connections; the community also uses
 * `target.autonomous-database.id` and `target.id`. Which one the service
 * really sends is unconfirmed, so the caller decides what the request carries.
 */
export const SCOPE_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  'database-connections': ['target.database.id', 'target.autonomous-database.id', 'target.id'],
  'autonomous-databases': ['target.database.id', 'target.autonomous-database.id'],
  'secret-bundles': ['target.secret.id'],
  secrets: ['target.secret.id'],
  'secret-versions': ['target.secret.id'],
};
