// Conditions shared by policy where clauses and dynamic-group matching rules:
// parsing (recursive descent with a depth limit), evaluation against a set of
// variables, and the sentences that say why a condition is false.
import { positionAt } from '../text-position.js';
import { ParserBase, clip, describeToken } from './lexer.js';
import type { Token } from './lexer.js';
import { compilePattern, patternMatches } from './pattern.js';
import type {
  CompareCondition,
  Condition,
  InCondition,
  LeafCondition,
  Operand,
  VariableValue,
} from './types.js';
import { RULE_VARIABLES, isKnownPolicyVariable, isTagVariable, looksLikePolicyVariable } from './vocabulary.js';

export type Dialect = 'policy' | 'rule';

/** Deeper `any {…}` / `all {…}` nesting than this is refused (and never recursed into). */
export const MAX_CONDITION_DEPTH = 32;

/** Time-range operators OCI documents but this evaluator does not model. */
const UNSUPPORTED_OPERATORS = new Set(['between', 'before', 'after']);

export class ConditionParser extends ParserBase {
  /** Set by a caller compiling many statements: one leaf object per distinct leaf text. */
  protected leafCache: Map<string, LeafCondition> | undefined;

  constructor(
    raw: string,
    protected readonly dialect: Dialect,
  ) {
    super(raw);
  }

  parseCondition(depth: number): Condition {
    const t = this.lx.peek();
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'any' || lower === 'all') return this.parseGroup(lower, depth);
      const leaf = this.parseLeaf();
      if (!this.leafCache) return leaf;
      // The same text always parses to the same leaf (its diagnostics are recorded apart).
      const key = this.src.slice(leaf.start, leaf.end);
      const known = this.leafCache.get(key);
      if (known) return known;
      this.leafCache.set(key, leaf);
      return leaf;
    }
    if (t.kind === '{') {
      this.fail('syntax', '`{` must follow `any` or `all`, e.g. `all {a = \'x\', b = \'y\'}`', t);
    }
    if (t.kind === 'string') {
      if (!t.closed) this.unexpected(t, 'a condition');
      this.fail('syntax', `a condition starts with a variable name, not a quoted value ${describeToken(t)}`, t);
    }
    this.unexpected(t, this.dialect === 'policy' ? 'a condition such as `target.database.id = \'…\'`' : "a condition such as `instance.compartment.id = '…'`");
  }

  private parseGroup(mode: 'all' | 'any', depth: number): Condition {
    const kw = this.lx.next();
    if (depth >= MAX_CONDITION_DEPTH) {
      this.fail('too-deep', `conditions are nested more than ${MAX_CONDITION_DEPTH} levels deep`, kw);
    }
    const open = this.lx.peek();
    if (open.kind !== '{') this.unexpected(open, `\`{\` after \`${kw.text}\``);
    this.lx.next();
    const items: Condition[] = [];
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === '}') {
        if (items.length === 0) this.fail('syntax', `\`${kw.text} {}\` is empty: it needs at least one condition`, t);
        this.fail('syntax', 'a comma is followed by `}`: remove the trailing comma', t);
      }
      items.push(this.parseCondition(depth + 1));
      const sep = this.lx.peek();
      if (sep.kind === ',') {
        this.lx.next();
        continue;
      }
      if (sep.kind === '}') {
        this.lx.next();
        return { kind: 'group', mode, items, start: kw.start, end: sep.end };
      }
      if (sep.kind === 'eof') {
        const at = positionAt(this.src, kw.start);
        const where = at.line === 1 ? `column ${at.column}` : `line ${at.line}, column ${at.column}`;
        this.fail('syntax', `\`${kw.text} {\` opened at ${where} is never closed with \`}\``, sep);
      }
      this.unexpected(sep, '`,` or `}` between conditions');
    }
  }

  private parseLeaf(): LeafCondition {
    const v = this.lx.next();
    const variable = v.text;
    const variableLower = variable.toLowerCase();
    this.checkVariable(v, variableLower);
    const op = this.lx.peek();
    if (op.kind === '=' || op.kind === '!=') {
      this.lx.next();
      const value = this.parseValue();
      const cond: CompareCondition = { kind: 'compare', variable, variableLower, op: op.kind, value, start: v.start, end: value.end };
      this.checkRuleValue(cond);
      return cond;
    }
    if (op.kind === 'word') {
      const word = op.text.toLowerCase();
      if (word === 'in') {
        this.lx.next();
        return this.parseList(v, variable, variableLower, false);
      }
      if (word === 'not' && this.isWord(this.lx.peek2(), 'in')) {
        this.lx.next();
        this.lx.next();
        return this.parseList(v, variable, variableLower, true);
      }
      if (UNSUPPORTED_OPERATORS.has(word)) {
        this.fail(
          'unsupported-condition',
          `\`${op.text}\` conditions (time ranges) are not supported here: the statement is not evaluated`,
          op,
        );
      }
    }
    // `<` opens a placeholder token unless it is closed: here it is an operator.
    if ((op.kind === 'bad' && op.text === '>') || (op.kind === 'placeholder' && !op.closed)) {
      this.fail('unsupported-condition', `\`${op.text}\` comparisons are not supported here: the statement is not evaluated`, op);
    }
    if (this.dialect === 'rule' && isTagVariable(variableLower) && (op.kind === ',' || op.kind === '}' || op.kind === 'eof')) {
      return { kind: 'exists', variable, variableLower, start: v.start, end: v.end };
    }
    if (op.kind === ',' || op.kind === '}' || op.kind === 'eof') {
      this.fail('syntax', `\`${clip(variable)}\` has no operator: write \`${clip(variable)} = 'value'\``, v);
    }
    this.unexpected(op, `\`=\`, \`!=\`, \`in\` or \`not in\` after \`${clip(variable)}\``);
  }

  private parseList(v: Token, variable: string, variableLower: string, negated: boolean): InCondition {
    this.expect('(', '`(` to open the list of values');
    const values: Operand[] = [];
    for (;;) {
      values.push(this.parseValue());
      const sep = this.lx.next();
      if (sep.kind === ',') continue;
      if (sep.kind === ')') return { kind: 'in', variable, variableLower, negated, values, start: v.start, end: sep.end };
      this.unexpected(sep, '`,` or `)` in the list of values');
    }
  }

  private parseValue(): Operand {
    const t = this.lx.peek();
    switch (t.kind) {
      case 'string': {
        if (!t.closed) this.unexpected(t, 'a value');
        this.lx.next();
        const lower = t.text.toLowerCase();
        this.checkQuotedValue(t, lower);
        return { kind: 'literal', value: t.text, lower, quoted: true, start: t.start, end: t.end };
      }
      case '/': {
        const p = this.lx.readPattern();
        if (!p.closed) this.fail('unterminated-pattern', `pattern /${clip(p.text)} has no closing \`/\``, p);
        if (this.dialect === 'rule') {
          this.warn('pattern-in-rule', 'patterns are documented for policy conditions, not for matching rules', p.start, p.end - p.start);
        }
        const c = compilePattern(p.text);
        return { kind: 'pattern', source: p.text, ...c, start: p.start, end: p.end };
      }
      case 'word': {
        this.lx.next();
        const lower = t.text.toLowerCase();
        if (this.dialect === 'policy' && (lower.startsWith('request.') || lower.startsWith('target.'))) {
          this.checkVariable(t, lower);
          return { kind: 'variable', name: t.text, lower, start: t.start, end: t.end };
        }
        this.warn(
          'unquoted-value',
          `value \`${clip(t.text)}\` is not quoted: write '${clip(t.text)}'`,
          t.start,
          t.end - t.start,
        );
        return { kind: 'literal', value: t.text, lower, quoted: false, start: t.start, end: t.end };
      }
      case 'template':
        this.lx.next();
        this.warn(
          'unquoted-template',
          `\`${clip(t.text)}\` is an unsubstituted template variable and is not quoted: substitute it and put the value in quotes`,
          t.start,
          t.end - t.start,
        );
        return { kind: 'literal', value: t.text, lower: t.text.toLowerCase(), quoted: false, start: t.start, end: t.end };
      default:
        this.unexpected(t, "a value in quotes, such as 'ocid1…'");
    }
  }

  private checkQuotedValue(t: Token, lower: string): void {
    const v = t.text;
    const len = t.end - t.start;
    if (v.includes('${')) {
      this.warn('template-placeholder', `'${clip(v)}' holds a template variable that was never substituted`, t.start, len);
    } else if (v.startsWith('<') && v.endsWith('>')) {
      this.warn('placeholder', `'${clip(v)}' is a placeholder from an example, not a real value`, t.start, len);
    }
    if (lower.startsWith('ocid1.') && v.includes(',')) {
      this.warn(
        'comma-in-ocid',
        `the quoted OCID '${clip(v)}' contains a comma: a comma probably belongs outside the quotes`,
        t.start,
        len,
      );
    }
    if (this.dialect === 'policy' && (lower.startsWith('target.') || lower.startsWith('request.')) && looksLikePolicyVariable(lower)) {
      this.warn(
        'quoted-variable',
        `'${clip(v)}' is in quotes, so it is compared as text, not as the variable: remove the quotes to compare with the variable`,
        t.start,
        len,
      );
    }
  }

  private checkVariable(t: Token, lower: string): void {
    if (this.dialect === 'policy') {
      if (!isKnownPolicyVariable(lower)) {
        this.warn('unknown-variable', `\`${clip(t.text)}\` is not a known policy variable`, t.start, t.end - t.start);
      }
      return;
    }
    if (!RULE_VARIABLES.includes(lower) && !isTagVariable(lower)) {
      this.warn(
        'unknown-variable',
        `\`${clip(t.text)}\` is not a matching-rule variable (instance.id, instance.compartment.id, resource.id, resource.type, resource.compartment.id, tag.<namespace>.<key>.value): it never matches`,
        t.start,
        t.end - t.start,
      );
    }
  }

  /** `resource.type = 'fnfunction'` works in the docs' examples but the type is `fnfunc`. */
  private checkRuleValue(c: CompareCondition): void {
    if (this.dialect !== 'rule' || c.variableLower !== 'resource.type' || c.value.kind !== 'literal') return;
    if (c.value.lower === 'fnfunction') {
      this.warn(
        'fnfunction',
        "resource type 'fnfunction' is read as 'fnfunc', the type OCI Functions reports: prefer 'fnfunc'",
        c.value.start,
        c.value.end - c.value.start,
      );
      c.value.lower = 'fnfunc';
    }
  }
}

// ---------------------------------------------------------------------------
// Evaluation

interface Values {
  raw: readonly string[];
  lower: readonly string[];
}

/** Variables of one request or principal, looked up case-insensitively. */
export class VariableSet {
  private readonly map = new Map<string, Values>();

  constructor(vars?: Record<string, VariableValue | undefined>) {
    if (vars) for (const [k, v] of Object.entries(vars)) this.set(k, v);
  }

  set(name: string, value: VariableValue | undefined): void {
    if (value === undefined) return;
    const raw = typeof value === 'string' ? [value] : [...value];
    this.map.set(name.toLowerCase(), { raw, lower: raw.map((s) => s.toLowerCase()) });
  }

  /** Sets only when the name is not already set. */
  setDefault(name: string, value: VariableValue | undefined): void {
    if (!this.map.has(name.toLowerCase())) this.set(name, value);
  }

  get(nameLower: string): Values | undefined {
    return this.map.get(nameLower);
  }

  entries(): IterableIterator<[string, Values]> {
    return this.map.entries();
  }
}

/** true / false, or undefined when the operand is a variable the set lacks. */
function operandEqualsAny(op: Operand, values: readonly string[], vars: VariableSet): boolean | undefined {
  switch (op.kind) {
    case 'literal':
      for (const v of values) if (v === op.lower) return true;
      return false;
    case 'pattern':
      for (const v of values) if (patternMatches(op, v)) return true;
      return false;
    case 'variable': {
      const other = vars.get(op.lower);
      if (!other) return undefined;
      for (const v of values) for (const o of other.lower) if (v === o) return true;
      return false;
    }
  }
}

export function leafHolds(c: LeafCondition, vars: VariableSet): boolean {
  const v = vars.get(c.variableLower);
  if (!v) return false; // a variable the request does not carry: false, even for != and not in
  if (c.kind === 'exists') return true;
  if (c.kind === 'compare') {
    const eq = operandEqualsAny(c.value, v.lower, vars);
    if (eq === undefined) return false;
    return c.op === '=' ? eq : !eq;
  }
  let any = false;
  for (const op of c.values) {
    if (operandEqualsAny(op, v.lower, vars) === true) {
      any = true;
      break;
    }
  }
  return c.negated ? !any : any;
}

export function conditionHolds(c: Condition, vars: VariableSet): boolean {
  if (c.kind !== 'group') return leafHolds(c, vars);
  if (c.mode === 'all') {
    for (const item of c.items) if (!conditionHolds(item, vars)) return false;
    return true;
  }
  for (const item of c.items) if (conditionHolds(item, vars)) return true;
  return false;
}

/** The leaf conditions that make `c` false (empty when it holds). */
export function failedLeaves(c: Condition, vars: VariableSet): LeafCondition[] {
  const out: LeafCondition[] = [];
  collectFailures(c, vars, out);
  return out;
}

function collectFailures(c: Condition, vars: VariableSet, out: LeafCondition[]): boolean {
  if (c.kind !== 'group') {
    const ok = leafHolds(c, vars);
    if (!ok) out.push(c);
    return ok;
  }
  if (c.mode === 'all') {
    let ok = true;
    for (const item of c.items) if (!collectFailures(item, vars, out)) ok = false;
    return ok;
  }
  // any {…}: every item failed, or none of their failures matter.
  const mark = out.length;
  for (const item of c.items) {
    if (collectFailures(item, vars, out)) {
      out.length = mark;
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Descriptions

export function operandText(op: Operand): string {
  switch (op.kind) {
    case 'literal':
      return op.quoted ? `'${op.value}'` : op.value;
    case 'pattern':
      return `/${op.source}/`;
    case 'variable':
      return op.name;
  }
}

/** A leaf condition written out canonically, e.g. `target.database.id = 'ocid1…'`. */
export function conditionText(c: LeafCondition): string {
  switch (c.kind) {
    case 'exists':
      return c.variable;
    case 'compare':
      return `${c.variable} ${c.op} ${operandText(c.value)}`;
    case 'in':
      return `${c.variable} ${c.negated ? 'not in' : 'in'} (${c.values.map(operandText).join(', ')})`;
  }
}

function valuesText(v: Values): string {
  return v.raw.map((s) => `'${s}'`).join(', ');
}

/**
 * Why a leaf is false, in one sentence: `<condition> is false, because <holder> has …`.
 * `holder` is e.g. "the request" or "the principal".
 */
export function explainFailure(c: LeafCondition, vars: VariableSet, holder: string): string {
  const text = conditionText(c);
  const v = vars.get(c.variableLower);
  if (!v && c.kind === 'exists') {
    // tag.<namespace>.<key>.value with no operator: the tag is simply absent.
    return `${text} is false, because ${holder} has no tag ${c.variable.slice(4, -6)}`;
  }
  if (!v) return `${text} is false, because ${holder} does not carry ${c.variable}`;
  if (c.kind === 'compare' && c.value.kind === 'variable') {
    const other = vars.get(c.value.lower);
    if (!other) return `${text} is false, because ${holder} does not carry ${c.value.name}`;
    return `${text} is false, because ${holder} has ${c.variable} = ${valuesText(v)} and ${c.value.name} = ${valuesText(other)}`;
  }
  return `${text} is false, because ${holder} has ${c.variable} = ${valuesText(v)}`;
}
