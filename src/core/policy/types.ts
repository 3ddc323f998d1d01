// The shapes shared by the policy parser, the matching-rule parser and the
// evaluator. Everything here is plain data: a check or the simulator can build
// it from an SDK response, an exported JSON file or a test literal.

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/**
 * Why a diagnostic was raised. Errors stop the one statement or rule they sit in
 * (the rest of the input is still read); warnings and infos leave it evaluated.
 */
export type DiagnosticCode =
  // errors
  | 'empty'
  | 'syntax'
  | 'unterminated-quote'
  | 'unterminated-pattern'
  | 'too-deep'
  | 'missing-location'
  | 'unsupported-condition'
  | 'placeholder'
  | 'internal'
  // infos
  | 'cross-tenancy'
  // warnings (lint: the statement is still evaluated)
  | 'lowercase-permission'
  | 'singular-resource-type'
  | 'unknown-resource-type'
  | 'dynamic-group-space'
  | 'unquoted-template'
  | 'template-placeholder'
  | 'smart-quote'
  | 'comma-in-ocid'
  | 'unknown-variable'
  | 'quoted-variable'
  | 'unquoted-value'
  | 'not-an-ocid'
  | 'fnfunction'
  | 'pattern-in-rule'
  | 'too-many-warnings';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  message: string;
  /** 0-based offset (UTF-16 code units) into the statement or rule text. */
  offset: number;
  /** How many code units the diagnostic covers (0 at the end of the text). */
  length: number;
  /** 1-based line within the statement or rule text. */
  line: number;
  /** 1-based column within that line. */
  column: number;
}

// ---------------------------------------------------------------------------
// Conditions (policy where clauses and dynamic-group matching rules)

export interface Span {
  start: number;
  end: number;
}

export interface LiteralOperand extends Span {
  kind: 'literal';
  value: string;
  /** `value` lower-cased once, for case-insensitive comparison. */
  lower: string;
  quoted: boolean;
}

export interface PatternOperand extends Span {
  kind: 'pattern';
  /** The text between the slashes, as written. */
  source: string;
  /** Lower-cased text between the `*`s, empty pieces dropped. */
  parts: string[];
  /** KMP failure tables for `parts` (built on first use), so matching stays linear. */
  tables?: Int32Array[];
  hasStar: boolean;
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

export interface VariableOperand extends Span {
  kind: 'variable';
  name: string;
  lower: string;
}

export type Operand = LiteralOperand | PatternOperand | VariableOperand;

export interface CompareCondition extends Span {
  kind: 'compare';
  variable: string;
  variableLower: string;
  op: '=' | '!=';
  value: Operand;
}

export interface InCondition extends Span {
  kind: 'in';
  variable: string;
  variableLower: string;
  negated: boolean;
  values: Operand[];
}

/** Matching rules only: `tag.ns.key.value` with no operator means "the tag is set". */
export interface ExistsCondition extends Span {
  kind: 'exists';
  variable: string;
  variableLower: string;
}

export interface GroupCondition extends Span {
  kind: 'group';
  mode: 'all' | 'any';
  items: Condition[];
}

export type LeafCondition = CompareCondition | InCondition | ExistsCondition;
export type Condition = LeafCondition | GroupCondition;

// ---------------------------------------------------------------------------
// Policy statements

export const VERBS = ['inspect', 'read', 'use', 'manage'] as const;
export type Verb = (typeof VERBS)[number];

/** A group or dynamic group named in a subject. */
export type PrincipalRef =
  | { by: 'name'; domain: string; name: string; domainGiven: boolean; key: string }
  | { by: 'id'; id: string; key: string };

export type Subject =
  | { kind: 'group'; refs: PrincipalRef[] }
  | { kind: 'dynamic-group'; refs: PrincipalRef[] }
  | { kind: 'any-user' }
  | { kind: 'any-group' }
  | { kind: 'service'; names: string[] };

export type Access = { kind: 'verb'; verb: Verb } | { kind: 'permissions'; permissions: string[] };

export type Location =
  | { kind: 'tenancy' }
  /** `compartment NAME` or `compartment A:B:C`, resolved from the policy's compartment. */
  | { kind: 'compartment-path'; path: string[] }
  | { kind: 'compartment-id'; id: string };

export interface Statement {
  effect: 'allow' | 'deny';
  subject: Subject;
  access: Access;
  /** Lower-case; absent only for a `{PERMISSION}` statement that names no type. */
  resourceType?: string;
  location: Location;
  where?: Condition;
}

export interface ParsedStatement {
  /** The text as parsed: smart quotes replaced by ASCII ones (offsets unchanged). */
  source: string;
  /** `invalid` when an error stopped the parse; such a statement is not evaluated. */
  kind: 'allow' | 'deny' | 'cross-tenancy' | 'invalid';
  statement?: Statement;
  crossTenancy?: { keyword: 'endorse' | 'admit' | 'define' };
  diagnostics: Diagnostic[];
}

export interface ParsedRule {
  source: string;
  /** Absent when an error stopped the parse: the rule then matches nothing. */
  condition?: Condition;
  diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------
// Inputs to evaluation

export interface CompartmentInput {
  id: string;
  name: string;
  /** Absent (or null) for the root compartment, whose id is the tenancy's. */
  parentId?: string | null;
}

export interface PolicyInput {
  id: string;
  name: string;
  /** The compartment the policy is attached to; names in statements resolve from here. */
  compartmentId: string;
  /**
   * Names from the root, e.g. `['Finance']` (`[]` for the root). Only used
   * when the compartment tree lacks `compartmentId`.
   */
  compartmentPath?: string[];
  statements: string[];
  /** ISO 8601. */
  timeCreated?: string;
  /** 1-based line of each statement in the file it came from (plain-text statement files). */
  sourceLines?: number[];
}

export interface DynamicGroupInput {
  id: string;
  name: string;
  matchingRule: string;
  /** Identity domain; `Default` when absent. */
  domain?: string;
}

export interface GroupMembership {
  name: string;
  id: string;
  /** Identity domain; `Default` when absent. */
  domain?: string;
}

export type PrincipalKind = 'user' | 'instance' | 'resource' | 'service' | 'any';

export interface RequestPrincipal {
  /** `any` is a caller of unknown kind: it matches only `any-user` and what its lists name. */
  kind: PrincipalKind;
  userName?: string;
  userId?: string;
  /** OCID of the instance or resource (or user) making the call. */
  id?: string;
  /** Compartment of an instance or resource principal. */
  compartmentId?: string;
  /** For `service` principals: the service name used in `Allow service X`. */
  serviceName?: string;
  groups: GroupMembership[];
  dynamicGroups: GroupMembership[];
  /** Value of `request.principal.type`, e.g. `workload` for OKE workload identity. */
  type?: string;
}

export type Need =
  | { verb: Verb; permission?: undefined; resourceType: string }
  | { permission: string; verb?: undefined; resourceType: string };

export type VariableValue = string | readonly string[];

export interface AccessRequest {
  principal: RequestPrincipal;
  need: Need;
  /** OCID of the compartment that holds the target resource. */
  location: string;
  /**
   * Request variables, e.g. `target.database.id`. Names are case-insensitive.
   * A few are filled in when absent (see `requestVariables`); a variable neither
   * given nor derived makes every condition on it false.
   */
  variables?: Record<string, VariableValue | undefined>;
}

export interface EvaluationContext {
  tenancyId: string;
  tenancyName?: string;
  compartments: readonly CompartmentInput[];
  /** The time to compare `timeCreated` with; without it nothing is "recently changed". */
  now?: Date | string | number;
  /** How many near misses to return (default 10). */
  maxNearMisses?: number;
  /** A statement is a near miss when at most this many aspects fail (default 2). */
  maxNearMissKinds?: number;
}

// ---------------------------------------------------------------------------
// Evaluation results

export interface StatementRef {
  /** Policy name. */
  policy: string;
  policyId: string;
  /** 0-based index within the policy's `statements`. */
  statementIndex: number;
  statement: string;
}

export type NearMissKind = 'subject' | 'verb' | 'resource' | 'location' | 'where';

export interface NearMissDetail {
  kind: NearMissKind;
  text: string;
}

export interface NearMiss extends StatementRef {
  kinds: NearMissKind[];
  /** The details joined with `; `, each prefixed by its kind. */
  reason: string;
  details: NearMissDetail[];
}

export interface Suggestion {
  /** One statement, ready to paste. */
  statement: string;
  /** The statement uses a path from the root, so the policy belongs in the root compartment. */
  attachToCompartmentId: string;
  /** What else to do first (e.g. create a dynamic group), in plain sentences. */
  notes: string[];
}

export interface PolicyDiagnostic extends Diagnostic {
  policy: string;
  policyId: string;
  statementIndex: number;
  /** Line of the statement in its source file, when known. */
  sourceLine?: number;
}

export interface Decision {
  decision: 'allowed' | 'denied';
  /** The first deny statement that matched: deny wins over allow. */
  deniedBy?: StatementRef;
  /** Every allow statement that matched, when the decision is `allowed`. */
  grantedBy: StatementRef[];
  /** Allow statements that matched but lost to `deniedBy`. */
  overriddenGrants: StatementRef[];
  /**
   * A deny statement that matches but does not apply: the caller is in the default
   * domain's Administrators group, which deny statements never restrict.
   */
  exemptedDeny?: StatementRef;
  /** When denied without a deny statement: the closest allow statements, nearest first. */
  nearMisses: NearMiss[];
  /** When denied without a deny statement: the least statement that would grant the request. */
  suggestion?: Suggestion;
  /** A deciding policy was created within 15 minutes of `now`. */
  recentlyChanged: boolean;
  /** A dynamic group decides (membership changes take up to an hour). */
  viaDynamicGroup: boolean;
  skipped: { invalid: number; crossTenancy: number };
  diagnostics: PolicyDiagnostic[];
}
