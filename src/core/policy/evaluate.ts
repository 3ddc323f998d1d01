// Decides whether a request is allowed by a set of policies, the way OCI does:
// a statement applies when subject, verb or permissions, resource type,
// location (with inheritance down the tree) and where clause all hold; a
// matching deny wins over every allow. When nothing grants, the statements
// that miss by one or two aspects are explained and a least-access statement
// is suggested.
import { CompartmentTree } from './compartments.js';
import { VariableSet, conditionHolds } from './condition.js';
import { describeNearMiss, suggestStatement } from './explain.js';
import { escapeRegExp } from '../regexp.js';
import { ParseCache } from './intern.js';
import { SKIM_DENY, SKIM_LOCATION_ID, SKIM_NAMES_GROUPS, SKIM_UNSURE, skimStatement, skimmedLocation, skimmedType, skimmedVerb } from './skim.js';
import { parseStatement } from './statement.js';
import type {
  Access,
  AccessRequest,
  Decision,
  EvaluationContext,
  NearMissKind,
  PolicyDiagnostic,
  PolicyInput,
  Statement,
  StatementRef,
  Verb,
} from './types.js';
import { VERB_RANK, permissionsOf, typeCovers, verbForPermission } from './vocabulary.js';

const RECENT_MS = 15 * 60 * 1000;

export interface CompiledStatement {
  policy: PolicyInput;
  policyIndex: number;
  statementIndex: number;
  /** The statement text as parsed (smart quotes replaced). */
  source: string;
  statement: Statement;
  /** The compartment the location resolves to; undefined when it resolves nowhere. */
  locationId: string | undefined;
  /** Why the location resolves nowhere. */
  locationProblem?: string;
}

export interface CompiledPolicies {
  readonly kind: 'compiled-policies';
  readonly tree: CompartmentTree;
  /** How many allow and deny statements parsed. */
  readonly statementCount: number;
  /**
   * The allow or deny statement at `k` (0 ≤ k < statementCount, in policy
   * order), parsed and its location resolved on first use.
   */
  statementAt(k: number): CompiledStatement;
  /**
   * How many of the aspects of statement `k` certainly fail for the request,
   * as far as its text shows before it is parsed (its resource type, verb and
   * location, and whether it names one of the caller's groups), counted up to
   * `limit + 1`; 0 once the statement is parsed.
   */
  knownMisses(k: number, r: PreparedRequest, limit: number): number;
  readonly diagnostics: readonly PolicyDiagnostic[];
  readonly skipped: { invalid: number; crossTenancy: number };
  /** Deny statements (indexes for statementAt), in policy order: every request checks them all. */
  readonly denies: readonly number[];
  /** The resource type of each of `denies` (`''` for a permission list with none). */
  readonly denyTypes: readonly string[];
  /**
   * Allow statements (indexes for statementAt) by the resource type they name
   * (`''` for a permission list with none), each list in policy order: a
   * request only looks at the types that cover its own before it needs the
   * rest (for near misses).
   */
  readonly allowsByType: ReadonlyMap<string, readonly number[]>;
}

export function treeOf(ctx: EvaluationContext): CompartmentTree {
  return new CompartmentTree(ctx.tenancyId, ctx.compartments, ctx.tenancyName);
}

/**
 * The compartment names in a policy resolve from: its compartment id when the
 * tree knows it, else its `compartmentPath` (e.g. from an export whose
 * compartment list is incomplete).
 */
function attachmentOf(policy: PolicyInput, tree: CompartmentTree): string {
  if (tree.has(policy.compartmentId) || !policy.compartmentPath) return policy.compartmentId;
  return tree.resolvePath(tree.rootId, policy.compartmentPath) ?? policy.compartmentId;
}

/**
 * The statements of a compile, each parsed when first asked for. A statement
 * the skim is sure of (skim.ts: no diagnostic, its effect and type known) is
 * kept as its text until evaluation reaches it; any other is parsed at once,
 * for its diagnostics. A small set is not skimmed: all of it is parsed at once
 * (SKIM_FROM_STATEMENTS).
 */
class StatementTable implements CompiledPolicies {
  readonly kind = 'compiled-policies';
  readonly diagnostics: PolicyDiagnostic[] = [];
  readonly skipped = { invalid: 0, crossTenancy: 0 };
  readonly denies: number[] = [];
  readonly denyTypes: string[] = [];
  readonly allowsByType = new Map<string, number[]>();
  // One slot per statement, sized once (a 100k export would otherwise grow each array 17 times).
  private count = 0;
  private readonly entries: (CompiledStatement | undefined)[];
  private readonly texts: string[];
  private readonly policyIndexes: Int32Array;
  private readonly statementIndexes: Int32Array;
  /** What the skim read of a statement kept as text (skimStatement's result); SKIM_UNSURE once parsed. */
  private readonly skims: Int32Array;
  /** Its resource type and location as the skim read them. */
  private readonly types: (string | undefined)[];
  private readonly places: (string | undefined)[];
  /** policy compartment → compartment path (`A:B`) → resolved id: each resolved once per policy compartment. */
  private readonly placeIds = new Map<string, Map<string, string | undefined>>();
  private readonly cache = new ParseCache();
  private readonly bases: string[];

  constructor(
    private readonly policies: readonly PolicyInput[],
    readonly tree: CompartmentTree,
    /** How many statements the policies hold, at most. */
    capacity: number,
    /** Whether to skim statements (false: parse each as it is added). */
    private readonly skimming: boolean,
  ) {
    this.bases = policies.map((p) => attachmentOf(p, tree));
    this.entries = new Array<CompiledStatement | undefined>(capacity).fill(undefined);
    this.texts = new Array<string>(capacity).fill('');
    this.types = new Array<string | undefined>(capacity).fill(undefined);
    this.places = new Array<string | undefined>(capacity).fill(undefined);
    this.policyIndexes = new Int32Array(capacity);
    this.statementIndexes = new Int32Array(capacity);
    this.skims = new Int32Array(capacity);
  }

  get statementCount(): number {
    return this.count;
  }

  statementAt(k: number): CompiledStatement {
    return this.entries[k] ?? this.build(k);
  }

  knownMisses(k: number, r: PreparedRequest, limit: number): number {
    const skim = this.skims[k] as number;
    if (skim === SKIM_UNSURE) return 0;
    // The same tests as the five aspects (below), on what the skim read; cheapest first.
    let misses = 0;
    const type = this.types[k];
    if (type !== undefined && !typeCovers(type, r.resourceType) && ++misses > limit) return misses;
    const verb = skimmedVerb(skim);
    if (verb !== undefined && !accessAllows(VERB_ACCESS[verb], r) && ++misses > limit) return misses;
    const place = this.places[k];
    const locationId = place === undefined ? this.tree.rootId : (skim & SKIM_LOCATION_ID) !== 0 ? place : this.placeId(this.policyIndexes[k] as number, place);
    if ((locationId === undefined || !r.ancestors.has(locationId)) && ++misses > limit) return misses;
    // A group subject can only match when its text names one of the caller's groups (callerNamePattern).
    if (r.callerNames && (skim & SKIM_NAMES_GROUPS) !== 0 && !r.callerNames.test(this.texts[k] as string)) misses++;
    return misses;
  }

  /** The compartment a path (`A:B`, as written) names from the compartment policy `policyIndex` is attached to. */
  private placeId(policyIndex: number, pathText: string): string | undefined {
    const base = this.bases[policyIndex] as string;
    let byText = this.placeIds.get(base);
    if (!byText) this.placeIds.set(base, (byText = new Map()));
    let id = byText.get(pathText);
    if (id === undefined && !byText.has(pathText)) {
      id = this.tree.resolvePath(base, pathText.split(':'));
      byText.set(pathText, id);
    }
    return id;
  }

  /** Adds statement `statementIndex` of policy `policyIndex`. Plain code, no per-statement closures: this runs 100,000 times. */
  add(policyIndex: number, statementIndex: number, raw: unknown): void {
    const text = typeof raw === 'string' ? raw : '';
    const skim = this.skimming ? skimStatement(text) : SKIM_UNSURE;
    if (skim !== SKIM_UNSURE) {
      this.push(policyIndex, statementIndex, text, undefined, (skim & SKIM_DENY) !== 0, skimmedType, skim, skimmedLocation);
      return;
    }
    const policy = this.policies[policyIndex] as PolicyInput;
    const parsed = parseStatement(text, this.cache);
    for (const d of parsed.diagnostics) {
      const pd: PolicyDiagnostic = { ...d, policy: policy.name, policyId: policy.id, statementIndex };
      const line = policy.sourceLines?.[statementIndex];
      if (line !== undefined) pd.sourceLine = line;
      this.diagnostics.push(pd);
    }
    if (parsed.kind === 'cross-tenancy') this.skipped.crossTenancy++;
    const statement = parsed.statement;
    if (!statement) {
      if (parsed.kind === 'invalid') this.skipped.invalid++;
      return;
    }
    const entry = this.entryOf(policyIndex, statementIndex, parsed.source, statement);
    this.push(policyIndex, statementIndex, text, entry, statement.effect === 'deny', statement.resourceType, SKIM_UNSURE, undefined);
  }

  private push(
    policyIndex: number,
    statementIndex: number,
    text: string,
    entry: CompiledStatement | undefined,
    deny: boolean,
    type: string | undefined,
    skim: number,
    place: string | undefined,
  ): void {
    const k = this.count++;
    this.entries[k] = entry;
    this.texts[k] = text;
    this.policyIndexes[k] = policyIndex;
    this.statementIndexes[k] = statementIndex;
    this.skims[k] = skim;
    this.types[k] = type;
    this.places[k] = place;
    const key = type ?? '';
    if (deny) {
      this.denies.push(k);
      this.denyTypes.push(key);
    } else {
      let list = this.allowsByType.get(key);
      if (!list) this.allowsByType.set(key, (list = []));
      list.push(k);
    }
  }

  private build(k: number): CompiledStatement {
    const parsed = parseStatement(this.texts[k] as string, this.cache);
    // The skim vouched for it: it parses, with no diagnostic.
    if (!parsed.statement) throw new Error(`policy statement ${k} was expected to parse: ${parsed.diagnostics[0]?.message ?? parsed.kind}`);
    const entry = this.entryOf(this.policyIndexes[k] as number, this.statementIndexes[k] as number, parsed.source, parsed.statement);
    this.entries[k] = entry;
    this.skims[k] = SKIM_UNSURE;
    return entry;
  }

  private entryOf(policyIndex: number, statementIndex: number, source: string, statement: Statement): CompiledStatement {
    const policy = this.policies[policyIndex] as PolicyInput;
    const tree = this.tree;
    const entry: CompiledStatement = { policy, policyIndex, statementIndex, source, statement, locationId: undefined, locationProblem: undefined };
    const loc = statement.location;
    if (loc.kind === 'tenancy') entry.locationId = tree.rootId;
    else if (loc.kind === 'compartment-id') entry.locationId = loc.id;
    else {
      const base = this.bases[policyIndex] as string;
      const pathText = loc.path.join(':');
      const id = this.placeId(policyIndex, pathText);
      entry.locationId = id;
      if (id === undefined) {
        entry.locationProblem = tree.has(base)
          ? `compartment ${pathText} is not found under ${tree.describe(base)} (where the policy is attached), so the statement applies nowhere`
          : `the policy's compartment ${policy.compartmentId} is not in the compartment tree, so compartment ${pathText} cannot be resolved`;
      }
    }
    return entry;
  }
}

/**
 * Below this many statements every one is parsed at once, without the skim:
 * V8 compiles the skim's regular expression on its first use, about 5 ms on
 * Node 20, which is more than parsing a tenancy's usual few dozen statements
 * takes (measured in fresh processes: 100 statements parsed in 4.5 ms against
 * 6.5–7.4 ms skimmed; at 300 the skim wins, 5 ms against 7–10 ms).
 */
const SKIM_FROM_STATEMENTS = 200;

/** Reads every statement once (parsing those that need it for their diagnostics), for repeated evaluation. */
export function compilePolicies(policies: readonly PolicyInput[], ctx: EvaluationContext | CompartmentTree): CompiledPolicies {
  const lists: (readonly unknown[])[] = policies.map((p) => (Array.isArray(p.statements) ? p.statements : []));
  let capacity = 0;
  for (const list of lists) capacity += list.length;
  const table = new StatementTable(policies, ctx instanceof CompartmentTree ? ctx : treeOf(ctx), capacity, capacity >= SKIM_FROM_STATEMENTS);
  for (let policyIndex = 0; policyIndex < lists.length; policyIndex++) {
    const list = lists[policyIndex] as readonly unknown[];
    for (let statementIndex = 0; statementIndex < list.length; statementIndex++) table.add(policyIndex, statementIndex, list[statementIndex]);
  }
  return table;
}

/** A request with its lookups built once, shared by matching and explaining. */
export interface PreparedRequest {
  request: AccessRequest;
  tree: CompartmentTree;
  groupKeys: Set<string>;
  dynamicGroupKeys: Set<string>;
  ancestors: Set<string>;
  vars: VariableSet;
  resourceType: string;
  /** Set when the need is a verb. */
  verb?: Verb;
  /** Upper-case; set when the need is a permission. */
  permission?: string;
  /**
   * Matches a statement text that could name one of the caller's groups or
   * dynamic groups (see callerNamePattern); undefined when no text can be ruled out.
   */
  callerNames?: RegExp;
}

/** Printable ASCII without quotes or `/`: such a name is written in a statement as itself. */
const PLAIN_NAME = /^[\x20\x21\x23-\x26\x28-\x2e\x30-\x7e]*$/;

/**
 * A pattern that every ASCII statement text naming one of these groups must
 * match: a group reference matches when its name (or OCID) equals the
 * caller's without regard to case, so that name appears in the text. Only
 * when every name, domain and OCID is plain ASCII without quotes or `/`
 * (then a reference's `domain/name` cannot split differently from the
 * caller's, and lower-casing cannot turn other text into it); else undefined.
 */
function callerNamePattern(lists: readonly (readonly { name: string; id: string; domain?: string }[])[]): RegExp | undefined {
  const words: string[] = [];
  for (const list of lists) {
    for (const g of list) {
      if (!PLAIN_NAME.test(g.name) || !PLAIN_NAME.test(g.id) || (g.domain !== undefined && !PLAIN_NAME.test(g.domain))) return undefined;
      if (g.name === '' || g.id === '') return undefined;
      words.push(escapeRegExp(g.name), escapeRegExp(g.id));
    }
  }
  // No group at all: nothing a group subject names can match.
  return words.length === 0 ? /(?!)/ : new RegExp(words.join('|'), 'i');
}

/** Group and domain names compare without case, as IAM names are unique regardless of case. */
function membershipKeys(list: readonly { name: string; id: string; domain?: string }[]): Set<string> {
  const keys = new Set<string>();
  for (const g of list) {
    keys.add(`${(g.domain ?? 'Default').toLowerCase()}/${g.name.toLowerCase()}`);
    keys.add(g.id.toLowerCase());
  }
  return keys;
}

/**
 * The variables a request carries: those given, plus these derived when not
 * given: request.user.id/name, request.principal.id/type/compartment.id,
 * request.groups.id, request.permission (permission needs only),
 * target.compartment.id and target.compartment.name.
 */
export function requestVariables(request: AccessRequest, tree: CompartmentTree): VariableSet {
  const vars = new VariableSet(request.variables);
  const p = request.principal;
  if (p.kind === 'user') {
    vars.setDefault('request.user.id', p.userId);
    vars.setDefault('request.user.name', p.userName);
  }
  vars.setDefault('request.principal.id', p.id ?? (p.kind === 'user' ? p.userId : undefined));
  vars.setDefault('request.principal.type', p.type ?? (p.kind === 'user' || p.kind === 'instance' ? p.kind : undefined));
  vars.setDefault('request.principal.compartment.id', p.compartmentId);
  if (p.groups.length > 0) vars.setDefault('request.groups.id', p.groups.map((g) => g.id));
  // The permission (or, for a verb, every permission the verb carries on the type) the request asks for.
  if (request.need.permission !== undefined) vars.setDefault('request.permission', request.need.permission.toUpperCase());
  else {
    const carried = permissionsOf(request.need.resourceType.toLowerCase(), request.need.verb);
    if (carried && carried.length > 0) vars.setDefault('request.permission', carried);
  }
  vars.setDefault('target.compartment.id', request.location);
  vars.setDefault('target.compartment.name', tree.nameOf(request.location));
  return vars;
}

export function prepareRequest(request: AccessRequest, tree: CompartmentTree): PreparedRequest {
  const prepared: PreparedRequest = {
    request,
    tree,
    groupKeys: membershipKeys(request.principal.groups),
    dynamicGroupKeys: membershipKeys(request.principal.dynamicGroups),
    ancestors: new Set(tree.ancestorsOf(request.location)),
    vars: requestVariables(request, tree),
    resourceType: request.need.resourceType.toLowerCase(),
  };
  if (request.need.permission !== undefined) prepared.permission = request.need.permission.toUpperCase();
  else prepared.verb = request.need.verb;
  const callerNames = callerNamePattern([request.principal.groups, request.principal.dynamicGroups]);
  if (callerNames) prepared.callerNames = callerNames;
  return prepared;
}

// ---------------------------------------------------------------------------
// The five aspects of a match

export function subjectMatches(s: Statement, r: PreparedRequest): boolean {
  const subject = s.subject;
  switch (subject.kind) {
    case 'any-user':
      return true;
    case 'any-group': {
      // Every group and every dynamic group: users, instance and resource principals, not service principals.
      const kind = r.request.principal.kind;
      return kind === 'user' || kind === 'instance' || kind === 'resource';
    }
    case 'service':
      return r.request.principal.kind === 'service' && subject.names.includes((r.request.principal.serviceName ?? '').toLowerCase());
    case 'group':
      for (const ref of subject.refs) if (r.groupKeys.has(ref.key)) return true;
      return false;
    case 'dynamic-group':
      for (const ref of subject.refs) if (r.dynamicGroupKeys.has(ref.key)) return true;
      return false;
  }
}

export function accessMatches(s: Statement, r: PreparedRequest): boolean {
  return accessAllows(s.access, r);
}

/** One verb access per verb, for statements not parsed yet (CompiledPolicies.knownMisses). */
const VERB_ACCESS: Readonly<Record<Verb, Access>> = {
  inspect: { kind: 'verb', verb: 'inspect' },
  read: { kind: 'verb', verb: 'read' },
  use: { kind: 'verb', verb: 'use' },
  manage: { kind: 'verb', verb: 'manage' },
};

function accessAllows(access: Access, r: PreparedRequest): boolean {
  if (access.kind === 'verb') {
    if (r.verb !== undefined) return VERB_RANK[access.verb] >= VERB_RANK[r.verb];
    const needed = verbForPermission(r.resourceType, r.permission ?? '');
    return needed !== undefined && VERB_RANK[access.verb] >= VERB_RANK[needed];
  }
  if (r.permission !== undefined) return access.permissions.includes(r.permission);
  if (r.verb === undefined) return false;
  const needed = permissionsOf(r.resourceType, r.verb);
  if (!needed || needed.length === 0) return false;
  return needed.every((p) => access.permissions.includes(p));
}

export function resourceMatches(s: Statement, r: PreparedRequest): boolean {
  return s.resourceType === undefined || typeCovers(s.resourceType, r.resourceType);
}

export function locationMatches(e: CompiledStatement, r: PreparedRequest): boolean {
  return e.locationId !== undefined && r.ancestors.has(e.locationId);
}

export function whereHolds(s: Statement, r: PreparedRequest): boolean {
  return s.where === undefined || conditionHolds(s.where, r.vars);
}

/** The default domain's Administrators group, which OCI exempts from every deny statement. */
const DEFAULT_ADMINISTRATORS_KEY = 'default/administrators';

export function isDefaultDomainAdministrator(r: PreparedRequest): boolean {
  return r.request.principal.kind === 'user' && r.groupKeys.has(DEFAULT_ADMINISTRATORS_KEY);
}

/** All five aspects hold: subject, verb or permissions, resource type, location, where clause. */
function matchesAll(e: CompiledStatement, r: PreparedRequest): boolean {
  const s = e.statement;
  return subjectMatches(s, r) && accessMatches(s, r) && resourceMatches(s, r) && locationMatches(e, r) && whereHolds(s, r);
}

function inPolicyOrder(a: CompiledStatement, b: CompiledStatement): number {
  return a.policyIndex - b.policyIndex || a.statementIndex - b.statementIndex;
}

function refOf(e: CompiledStatement): StatementRef {
  return {
    policy: e.policy.name,
    policyId: e.policy.id,
    statementIndex: e.statementIndex,
    statement: e.source.trim(),
  };
}

interface Candidate {
  entry: CompiledStatement;
  kinds: NearMissKind[];
  score: number;
}

const KIND_WEIGHT: Record<NearMissKind, number> = { where: 1, verb: 1, location: 1, subject: 1.5, resource: 2 };

function isCompiled(p: readonly PolicyInput[] | CompiledPolicies): p is CompiledPolicies {
  return !Array.isArray(p) && (p as CompiledPolicies).kind === 'compiled-policies';
}

function timeOf(t: Date | string | number | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

export function evaluate(
  request: AccessRequest,
  policies: readonly PolicyInput[] | CompiledPolicies,
  ctx: EvaluationContext,
): Decision {
  const compiled = isCompiled(policies) ? policies : compilePolicies(policies, ctx);
  const r = prepareRequest(request, compiled.tree);
  const maxKinds = ctx.maxNearMissKinds ?? 2;
  const maxNearMisses = ctx.maxNearMisses ?? 10;

  const exemptFromDeny = isDefaultDomainAdministrator(r);
  let denied: CompiledStatement | undefined;
  let exempted: CompiledStatement | undefined;
  // The first deny that matches decides (or is waived for an administrator).
  for (let i = 0; i < compiled.denies.length; i++) {
    const type = compiled.denyTypes[i] as string;
    const k = compiled.denies[i] as number;
    if ((type !== '' && !typeCovers(type, r.resourceType)) || compiled.knownMisses(k, r, 0) > 0) continue;
    const e = compiled.statementAt(k);
    if (matchesAll(e, r)) {
      if (exemptFromDeny) exempted = e;
      else denied = e;
      break;
    }
  }

  // Grants: only allow statements on a type that covers the request's can match
  // (and of those, only the ones whose text does not rule them out are parsed).
  const grants: CompiledStatement[] = [];
  for (const [type, list] of compiled.allowsByType) {
    if (type !== '' && !typeCovers(type, r.resourceType)) continue;
    for (const k of list) {
      if (compiled.knownMisses(k, r, 0) > 0) continue;
      const e = compiled.statementAt(k);
      if (matchesAll(e, r)) grants.push(e);
    }
  }
  grants.sort(inPolicyOrder);

  // Nothing grants and nothing denies: every allow statement is weighed for near misses.
  const candidates: Candidate[] = [];
  if (!denied && grants.length === 0) {
    const scratch: NearMissKind[] = [];
    for (let k = 0; k < compiled.statementCount; k++) {
      // Too far off to be a near miss, as its text already shows: not worth parsing.
      if (compiled.knownMisses(k, r, maxKinds) > maxKinds) continue;
      const e = compiled.statementAt(k);
      const s = e.statement;
      if (s.effect === 'deny') continue;
      scratch.length = 0;
      if (!subjectMatches(s, r)) scratch.push('subject');
      if (!accessMatches(s, r)) scratch.push('verb');
      // Past the near-miss limit the remaining aspects no longer matter.
      if (scratch.length <= maxKinds && !resourceMatches(s, r)) scratch.push('resource');
      if (scratch.length <= maxKinds && !locationMatches(e, r)) scratch.push('location');
      if (scratch.length <= maxKinds && !whereHolds(s, r)) scratch.push('where');
      if (scratch.length > 0 && scratch.length <= maxKinds) {
        let score = 0;
        for (const k of scratch) score += KIND_WEIGHT[k];
        candidates.push({ entry: e, kinds: [...scratch], score });
      }
    }
  }

  const decision: Decision = {
    decision: denied || grants.length === 0 ? 'denied' : 'allowed',
    grantedBy: [],
    overriddenGrants: [],
    nearMisses: [],
    recentlyChanged: false,
    viaDynamicGroup: false,
    skipped: { ...compiled.skipped },
    diagnostics: [...compiled.diagnostics],
  };

  if (exempted) decision.exemptedDeny = refOf(exempted);

  const deciding: CompiledStatement[] = [];
  if (denied) {
    decision.deniedBy = refOf(denied);
    decision.overriddenGrants = grants.map(refOf);
    deciding.push(denied);
  } else if (grants.length > 0) {
    decision.grantedBy = grants.map(refOf);
    deciding.push(...grants);
  } else {
    candidates.sort((a, b) => a.kinds.length - b.kinds.length || a.score - b.score);
    decision.nearMisses = candidates
      .slice(0, maxNearMisses)
      .map((c) => ({ ...refOf(c.entry), ...describeNearMiss(c.entry, c.kinds, r) }));
    decision.suggestion = suggestStatement(
      r,
      candidates.slice(0, maxNearMisses).map((c) => c.entry),
    );
  }

  const now = timeOf(ctx.now);
  if (now !== undefined) {
    decision.recentlyChanged = deciding.some((e) => {
      const t = timeOf(e.policy.timeCreated);
      return t !== undefined && Math.abs(now - t) <= RECENT_MS;
    });
  }
  decision.viaDynamicGroup =
    deciding.some((e) => e.statement.subject.kind === 'dynamic-group') ||
    (decision.suggestion?.statement.startsWith('Allow dynamic-group ') ?? false);
  return decision;
}
