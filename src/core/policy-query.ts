// The question a policy decision answers, from words a person types:
// `--as group:DBUsers`, `--need 'use database-connections'`,
// `--in 'compartment Prod:Finance'`, `--target database.id=ocid1…`. Shared by
// `policy explain` and the doctor's offline policy check. Pure: files are
// read by the caller and passed in as text.
import {
  CompartmentTree,
  VERBS,
  dynamicGroupsOf,
  parseStatement,
  type CompartmentInput,
  type NearMiss,
  type DynamicGroupInput,
  type DynamicGroupMembership,
  type GroupMembership,
  type Need,
  type PolicyInput,
  type PrincipalAttributes,
  type RequestPrincipal,
  type Subject,
  type Verb,
} from './policy/index.js';

/** A question that cannot be asked as typed; the message is one line. */
export class QueryError extends Error {}

/** `use database-connections`, `{DB_CONNECT} database-connections`. */
export function parseNeedText(text: string): Need {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  const resourceType = rest.join(' ').toLowerCase();
  if (first === undefined) throw new QueryError("--need is empty: give a verb and a resource type, e.g. --need 'use database-connections'");
  const perm = /^\{\s*([A-Za-z_]+)\s*\}$/.exec(first);
  if (perm) {
    if (!resourceType) throw new QueryError(`--need '${text}' names a permission but no resource type, e.g. --need '{DB_CONNECT} database-connections'`);
    return { permission: (perm[1] as string).toUpperCase(), resourceType };
  }
  const verb = first.toLowerCase();
  if (!(VERBS as readonly string[]).includes(verb)) {
    throw new QueryError(`--need '${text}' should start with a verb (${VERBS.join(', ')}) or a {PERMISSION}`);
  }
  if (!resourceType || rest.length !== 1) throw new QueryError(`--need '${text}' should name one resource type after the verb, e.g. --need 'use database-connections'`);
  return { verb: verb as Verb, resourceType };
}

export function needText(need: Need): string {
  return need.permission !== undefined ? `{${need.permission}} ${need.resourceType}` : `${need.verb} ${need.resourceType}`;
}

/** `database.id=ocid1…` → `target.database.id`; names already starting with target. or request. stay. */
export function parseTargetVariables(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? '' : item.slice(0, eq).trim();
    if (!name || eq === item.length - 1) throw new QueryError(`--target '${item}' should be VAR=VALUE, e.g. --target database.id=ocid1.autonomousdatabase…`);
    const value = item.slice(eq + 1).trim().replace(/^'(.*)'$/, '$1');
    const lower = name.toLowerCase();
    out[lower.startsWith('target.') || lower.startsWith('request.') ? name : `target.${name}`] = value;
  }
  return out;
}

/** `Operations.Team=support` → `{Operations: {Team: 'support'}}`. */
export function parseTagArguments(items: readonly string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const item of items) {
    const m = /^([^.=\s]+)\.([^.=\s]+)=(.*)$/.exec(item.trim());
    if (!m) throw new QueryError(`--tag '${item}' should be NAMESPACE.KEY=VALUE, e.g. --tag Operations.Team=support`);
    (out[m[1] as string] ??= {})[m[2] as string] = m[3] as string;
  }
  return out;
}

function unquote(s: string): string {
  return s.trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
}

/** `DBUsers`, `'MyDomain'/'DBUsers'`, `ocid1.group…` → a membership. */
function membershipOf(text: string, what: string): GroupMembership {
  const t = text.trim();
  if (!t) throw new QueryError(`--as ${what}: needs a name, e.g. --as ${what}:DBUsers`);
  if (/^ocid1\./i.test(t)) return { id: t, name: t };
  const slash = t.indexOf('/');
  if (slash > 0) {
    const domain = unquote(t.slice(0, slash));
    const name = unquote(t.slice(slash + 1));
    if (!domain || !name) throw new QueryError(`--as ${what}:${t} should be NAME or DOMAIN/NAME`);
    return { id: `${what}:${domain}/${name}`, name, domain };
  }
  const name = unquote(t);
  return { id: `${what}:${name}`, name };
}

export interface PrincipalQuery {
  as: readonly string[];
  principalCompartment?: string;
  tags?: readonly string[];
  /** The dynamic groups whose rules decide membership for an `instance:` principal. */
  dynamicGroups?: readonly DynamicGroupInput[];
}

export interface ResolvedPrincipal {
  principal: RequestPrincipal;
  /** For an instance: what its rules were matched against, and the outcome. */
  instance?: { attributes: PrincipalAttributes; membership: DynamicGroupMembership };
  /** Extra request variables the principal carries (`request.user.name` for `user:NAME`). */
  variables: Record<string, string>;
}

/**
 * `--as` values (repeatable): `group:NAME`, `dynamic-group:NAME`, `user:NAME`,
 * `any-user`, `instance:OCID`. Several combine into one caller: a user and
 * its groups, or an instance and (besides what its rules give) named
 * dynamic groups.
 */
export function resolvePrincipal(q: PrincipalQuery): ResolvedPrincipal {
  if (q.as.length === 0) throw new QueryError('say who asks: --as group:NAME, --as user:NAME, --as dynamic-group:NAME, --as instance:OCID or --as any-user');
  const groups: GroupMembership[] = [];
  const dynamicGroups: GroupMembership[] = [];
  let userName: string | undefined;
  let instanceId: string | undefined;
  let anyUser = false;
  for (const raw of q.as) {
    const item = raw.trim();
    const colon = item.indexOf(':');
    const kind = (colon < 0 ? item : item.slice(0, colon)).toLowerCase();
    const value = colon < 0 ? '' : item.slice(colon + 1);
    switch (kind) {
      case 'group':
        groups.push(membershipOf(value, 'group'));
        break;
      case 'dynamic-group':
        dynamicGroups.push(membershipOf(value, 'dynamic-group'));
        break;
      case 'user':
        if (!value.trim()) throw new QueryError('--as user: needs a name, e.g. --as user:alice@example.com');
        if (userName !== undefined) throw new QueryError('--as user: given twice; one caller at a time');
        userName = value.trim();
        break;
      case 'instance':
        if (!/^ocid1\.instance\./i.test(value.trim())) throw new QueryError(`--as instance: needs an instance OCID (ocid1.instance…), not '${value}'`);
        instanceId = value.trim();
        break;
      case 'any-user':
        if (value) throw new QueryError(`--as any-user takes no value ('${item}')`);
        anyUser = true;
        break;
      default:
        throw new QueryError(`--as '${item}' is not one of group:NAME, dynamic-group:NAME, user:NAME, instance:OCID, any-user`);
    }
  }
  const userSide = userName !== undefined || groups.length > 0;
  if (instanceId !== undefined && userSide) throw new QueryError('--as instance:… cannot be combined with user: or group: (an instance is not a user)');
  if (dynamicGroups.length > 0 && userSide) throw new QueryError('--as dynamic-group:… cannot be combined with user: or group: (users are matched through groups)');
  if (instanceId === undefined && (q.principalCompartment !== undefined || (q.tags?.length ?? 0) > 0)) {
    throw new QueryError('--principal-compartment and --tag describe an instance: add --as instance:OCID');
  }
  const variables: Record<string, string> = {};

  if (instanceId !== undefined) {
    if (!q.principalCompartment) throw new QueryError('--as instance:… needs --principal-compartment OCID (the instance’s compartment, which matching rules test)');
    const attributes: PrincipalAttributes = { kind: 'instance', instanceId, compartmentId: q.principalCompartment, tags: parseTagArguments(q.tags ?? []) };
    const membership = dynamicGroupsOf(attributes, q.dynamicGroups ?? []);
    const named = dynamicGroups.filter((g) => !membership.groups.some((m) => m.name.toLowerCase() === g.name.toLowerCase() && (m.domain ?? 'Default') === (g.domain ?? 'Default')));
    return {
      principal: { kind: 'instance', id: instanceId, compartmentId: q.principalCompartment, groups: [], dynamicGroups: [...membership.groups, ...named] },
      instance: { attributes, membership },
      variables,
    };
  }
  if (dynamicGroups.length > 0) {
    // A member of named dynamic groups: an instance or resource we know nothing else of.
    return { principal: { kind: 'instance', groups: [], dynamicGroups }, variables };
  }
  if (userSide) {
    const principal: RequestPrincipal = { kind: 'user', groups, dynamicGroups: [] };
    if (userName !== undefined) {
      principal.userName = userName;
      variables['request.user.name'] = userName;
    }
    return { principal, variables };
  }
  if (anyUser) return { principal: { kind: 'any', groups: [], dynamicGroups: [] }, variables };
  throw new QueryError('say who asks with --as');
}

/** The groups a `--mapping 'IAM_GROUP_NAME=g'` names; empty for other mappings. */
export function groupsOfMapping(mapping: string | undefined): string[] {
  if (!mapping) return [];
  const m = /^\s*IAM_GROUP_NAME\s*=\s*(.+?)\s*$/i.exec(mapping.replace(/^'(.*)'$/, '$1'));
  return m ? [(m[1] as string).replace(/^'(.*)'$/, '$1')] : [];
}

// ---------------------------------------------------------------------------
// Compartments

export interface CompartmentFile {
  compartments: CompartmentInput[];
  /** The tenancy: the one parent that is not itself listed. */
  rootId?: string;
  problems: string[];
}

/** `oci iam compartment list --all --compartment-id-in-subtree true` output. */
export function parseCompartmentExport(text: string): CompartmentFile {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { compartments: [], problems: [`not valid JSON: ${(e as Error).message}`] };
  }
  const data = Array.isArray(doc) ? doc : doc && typeof doc === 'object' ? (doc as Record<string, unknown>).data : undefined;
  if (!Array.isArray(data)) return { compartments: [], problems: ['expected the output of `oci iam compartment list --all --compartment-id-in-subtree true`: an object with a `data` list'] };
  const compartments: CompartmentInput[] = [];
  data.forEach((item: unknown, i) => {
    const o = item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
    const get = (k: string): unknown => o?.[k] ?? o?.[k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())];
    const id = get('id');
    const name = get('name');
    const parent = get('compartment-id');
    if (typeof id !== 'string' || typeof name !== 'string' || typeof parent !== 'string') {
      problems.push(`data[${i}] lacks id, name or compartment-id: skipped`);
      return;
    }
    const state = get('lifecycle-state');
    if (typeof state === 'string' && state.toUpperCase() !== 'ACTIVE') return;
    compartments.push({ id, name, parentId: parent });
  });
  const ids = new Set(compartments.map((c) => c.id));
  const roots = [...new Set(compartments.map((c) => c.parentId as string).filter((p) => !ids.has(p)))];
  const rootId = roots.find((r) => r.startsWith('ocid1.tenancy.')) ?? (roots.length === 1 ? roots[0] : undefined);
  return rootId === undefined ? { compartments, problems } : { compartments, rootId, problems };
}

/** A tenancy id when nothing names one: statements files and partial exports still evaluate. */
export const UNKNOWN_TENANCY = 'ocid1.tenancy.oc1..unknown';

/** The tenancy, from the compartment export or the policies attached to it. */
export function tenancyOf(compartments: CompartmentFile | undefined, policies: readonly PolicyInput[]): string | undefined {
  if (compartments?.rootId) return compartments.rootId;
  return policies.find((p) => p.compartmentId.startsWith('ocid1.tenancy.'))?.compartmentId;
}

export interface ResolvedLocation {
  id: string;
  /** Compartments added to the tree because --in named a path the tree did not know. */
  added: CompartmentInput[];
}

/**
 * `tenancy`, `compartment A:B:C` (a path from the root), `compartment id OCID`.
 * A path the tree does not know (no --compartments file) is added to it with
 * stand-in ids, so statements naming that path from the root still resolve.
 */
export function resolveLocationText(text: string, tree: CompartmentTree): ResolvedLocation {
  const t = text.trim();
  if (/^tenancy$/i.test(t)) return { id: tree.rootId, added: [] };
  const byId = /^compartment\s+id\s+(\S+)$/i.exec(t);
  if (byId) return { id: byId[1] as string, added: [] };
  if (/^ocid1\./i.test(t)) return { id: t, added: [] };
  const byPath = /^compartment\s+(.+)$/i.exec(t);
  const pathText = byPath ? (byPath[1] as string).trim() : t;
  if (!pathText || /^compartment$/i.test(pathText)) throw new QueryError(`--in '${text}' should be 'tenancy', 'compartment A:B' or 'compartment id OCID'`);
  const path = pathText.split(':').map(unquote);
  if (path.some((p) => !p)) throw new QueryError(`--in '${text}': a compartment path is names separated by ':', e.g. 'compartment Prod:Finance'`);
  const known = tree.resolvePath(tree.rootId, path);
  if (known !== undefined) return { id: known, added: [] };
  const added: CompartmentInput[] = [];
  let parent = tree.rootId;
  for (let i = 0; i < path.length; i++) {
    const sub = path.slice(0, i + 1);
    const existing = tree.resolvePath(tree.rootId, sub);
    if (existing !== undefined) {
      parent = existing;
      continue;
    }
    const id = `compartment:${sub.join(':')}`;
    added.push({ id, name: path[i] as string, parentId: parent });
    parent = id;
  }
  return { id: parent, added };
}

// ---------------------------------------------------------------------------
// Near misses in the order a reader needs them

/** A statement whose subject can never be this kind of caller: groups for instances, dynamic groups for users. */
export function namesOtherKindOfCaller(p: RequestPrincipal, s: Subject | undefined): boolean {
  if (!s) return false;
  if (p.kind === 'user') return s.kind === 'dynamic-group' || s.kind === 'service';
  if (p.kind === 'instance' || p.kind === 'resource') return s.kind === 'group' || s.kind === 'service';
  return false;
}

/**
 * The evaluator ranks near misses by how many aspects fail. A statement for
 * another kind of caller (a dynamic group, when a user asks) is a weak hint
 * even when only its subject fails, so those go last, order kept otherwise.
 */
export function orderNearMisses(p: RequestPrincipal, misses: readonly NearMiss[]): { relevant: NearMiss[]; all: NearMiss[] } {
  const relevant: NearMiss[] = [];
  const other: NearMiss[] = [];
  for (const m of misses) (namesOtherKindOfCaller(p, parseStatement(m.statement).statement?.subject) ? other : relevant).push(m);
  return { relevant, all: [...relevant, ...other] };
}
