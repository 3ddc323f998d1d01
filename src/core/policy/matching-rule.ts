// Dynamic-group matching rules: `ANY {…}` / `ALL {…}` (nested, any case) or a
// single bare condition, over instance.*, resource.* and tag.<ns>.<key>.value.
import { ConditionParser, VariableSet, conditionHolds, conditionText, explainFailure, failedLeaves } from './condition.js';
import { ParseStop } from './lexer.js';
import type { Diagnostic, DynamicGroupInput, ParsedRule } from './types.js';

export function parseMatchingRule(text: string): ParsedRule {
  return new RuleParser(text).run();
}

class RuleParser extends ConditionParser {
  constructor(text: string) {
    super(text, 'rule');
  }

  run(): ParsedRule {
    const result: ParsedRule = { source: this.src, diagnostics: this.diagnostics };
    try {
      if (this.lx.peek().kind === 'eof') {
        this.error('empty', 'the matching rule is empty', 0, 0);
        return result;
      }
      const condition = this.parseCondition(0);
      const end = this.lx.peek();
      if (end.kind !== 'eof') {
        this.unexpected(
          end,
          end.kind === ',' ? 'the end of the rule (wrap several conditions in `ANY {…}` or `ALL {…}`)' : 'the end of the rule',
        );
      }
      if (!this.hasError) result.condition = condition;
    } catch (e) {
      if (!(e instanceof ParseStop)) {
        this.error('internal', `the parser failed on this rule: ${e instanceof Error ? e.message : String(e)}`, 0, 0);
      }
    }
    return result;
  }
}

/** What a dynamic group's rule can see of an instance or resource principal. */
export interface PrincipalAttributes {
  /** Defaults to `instance` when `instanceId` is set, else `resource`. */
  kind?: 'instance' | 'resource';
  instanceId?: string;
  compartmentId: string;
  resourceId?: string;
  /** e.g. `fnfunc`, `databasetoolsconnection`, `autonomousdatabase`. */
  resourceType?: string;
  /** Defined tags: namespace → key → value. */
  tags?: Record<string, Record<string, string>>;
}

export interface RuleFailure {
  /** The condition as written canonically. */
  condition: string;
  /** `<condition> is false, because the principal …`. */
  reason: string;
}

export interface RuleMatch {
  matches: boolean;
  /** The conditions that made the rule false (empty when it matches). */
  failed: RuleFailure[];
  diagnostics: Diagnostic[];
}

export function principalVariables(attrs: PrincipalAttributes): VariableSet {
  const vars = new VariableSet();
  const kind = attrs.kind ?? (attrs.instanceId !== undefined ? 'instance' : 'resource');
  if (kind === 'instance') {
    vars.set('instance.id', attrs.instanceId);
    vars.set('instance.compartment.id', attrs.compartmentId);
  } else {
    vars.set('resource.id', attrs.resourceId);
    const type = attrs.resourceType?.toLowerCase() === 'fnfunction' ? 'fnfunc' : attrs.resourceType;
    vars.set('resource.type', type);
    vars.set('resource.compartment.id', attrs.compartmentId);
  }
  for (const [ns, keys] of Object.entries(attrs.tags ?? {})) {
    for (const [key, value] of Object.entries(keys)) vars.set(`tag.${ns}.${key}.value`, value);
  }
  return vars;
}

export function matchingRuleMatches(rule: string | ParsedRule, attrs: PrincipalAttributes): RuleMatch {
  const parsed = typeof rule === 'string' ? parseMatchingRule(rule) : rule;
  if (!parsed.condition) {
    return { matches: false, failed: [{ condition: parsed.source.trim(), reason: 'the rule does not parse, so it matches nothing' }], diagnostics: parsed.diagnostics };
  }
  const vars = principalVariables(attrs);
  if (conditionHolds(parsed.condition, vars)) return { matches: true, failed: [], diagnostics: parsed.diagnostics };
  const failed = failedLeaves(parsed.condition, vars).map((c) => ({
    condition: conditionText(c),
    reason: explainFailure(c, vars, 'the principal'),
  }));
  return { matches: false, failed, diagnostics: parsed.diagnostics };
}

/** Beyond this many dynamic groups for one instance, grants are reported not to apply (not found in Oracle's documentation). */
export const MAX_DYNAMIC_GROUPS_PER_INSTANCE = 5;

export interface DynamicGroupMembership {
  groups: { id: string; name: string; domain?: string }[];
  /** Rule problems, per group. */
  diagnostics: (Diagnostic & { dynamicGroup: string; dynamicGroupId: string })[];
  /** Plain sentences, e.g. the more-than-5 warning. */
  warnings: string[];
}

/** The dynamic groups whose rule matches the principal. */
export function dynamicGroupsOf(attrs: PrincipalAttributes, dynamicGroups: readonly DynamicGroupInput[]): DynamicGroupMembership {
  const out: DynamicGroupMembership = { groups: [], diagnostics: [], warnings: [] };
  for (const g of dynamicGroups) {
    const parsed = parseMatchingRule(g.matchingRule);
    for (const d of parsed.diagnostics) out.diagnostics.push({ ...d, dynamicGroup: g.name, dynamicGroupId: g.id });
    if (matchingRuleMatches(parsed, attrs).matches) {
      out.groups.push(g.domain === undefined ? { id: g.id, name: g.name } : { id: g.id, name: g.name, domain: g.domain });
    }
  }
  const isInstance = (attrs.kind ?? (attrs.instanceId !== undefined ? 'instance' : 'resource')) === 'instance';
  if (isInstance && out.groups.length > MAX_DYNAMIC_GROUPS_PER_INSTANCE) {
    out.warnings.push(
      `the instance matches ${out.groups.length} dynamic groups (${out.groups.map((g) => g.name).join(', ')}), ` +
        `more than ${MAX_DYNAMIC_GROUPS_PER_INSTANCE}, a per-instance limit reported in the field but not found in Oracle's documentation: grants through some of them may not apply`,
    );
  }
  return out;
}
