// From facts (policies, the caller, its dynamic groups, the accesses to
// decide) to findings. Shared by policy.access (facts read live) and
// policy.offline (facts from exported files). No I/O here.
import {
  CompartmentTree,
  compilePolicies,
  evaluate,
  matchingRuleMatches,
  parseStatement,
  principalText,
  subjectText,
  type CompartmentInput,
  type CompiledPolicies,
  type Decision,
  type DynamicGroupInput,
  type DynamicGroupMembership,
  type EvaluationContext,
  type NearMiss,
  type Need,
  type PolicyInput,
  type PrincipalAttributes,
  type RequestPrincipal,
  type StatementRef,
  type Subject,
} from '../../core/policy/index.js';
import { needText, orderNearMisses } from '../../core/policy-query.js';
import { relativeTime } from '../../core/duration.js';
import type { Finding } from '../../core/types.js';
import { findingFrom } from '../finding.js';
import { POLICY_CODES as codes } from './codes.js';

const RECENT_POLICY_MS = 15 * 60 * 1000;
const RECENT_DYNAMIC_GROUP_MS = 60 * 60 * 1000;
/** Near misses shown in a finding; the rest are counted. */
const SHOWN_NEAR_MISSES = 3;

/** One access the doctor asks about. */
export interface AccessQuestion {
  key: 'db-connect' | 'wallet-secret' | 'dbtools-connection';
  /** What the access is on, for titles: `database ledger`. */
  targetText: string;
  need: Need;
  /** The compartment holding the target. */
  location: string;
  /** `target.*` variables for where clauses. */
  variables: Record<string, string>;
  /** Assumptions behind the question (e.g. a compartment that could not be read), shown as evidence. */
  notes: string[];
}

export interface DynamicGroupFacts {
  attributes: PrincipalAttributes;
  all: readonly (DynamicGroupInput & { timeCreated?: string })[];
  membership: DynamicGroupMembership;
  /** Where the dynamic groups came from, for evidence. */
  source: string;
}

export interface PolicyWorld {
  tenancyId: string;
  compartments: readonly CompartmentInput[];
  policies: readonly PolicyInput[];
  /** Where the policies came from, for evidence: `read from 3 compartments`, `policies.json`. */
  source: string;
  principal: RequestPrincipal;
  /** Request variables the caller carries (e.g. `request.user.name`). */
  principalVariables: Record<string, string>;
  /** How the caller was learned, for evidence. */
  principalSource: string;
  /** For instance and resource principals. */
  dynamicGroups?: DynamicGroupFacts;
  /** Entries of an exported file that were skipped (not a policy, no statements, …). */
  fileProblems?: string[];
  now: Date;
}

export interface PolicyVerdict {
  key: AccessQuestion['key'];
  decision: 'allowed' | 'denied';
  /** The finding code that carries the verdict. */
  code: string;
  grantedBy: StatementRef[];
  deniedBy?: StatementRef;
}

export interface Judgement {
  findings: Finding[];
  verdicts: PolicyVerdict[];
  summary: string;
}

const QUESTION_LABEL: Record<AccessQuestion['key'], string> = {
  'db-connect': 'database connect',
  'wallet-secret': 'wallet secret',
  'dbtools-connection': 'Database Tools connection',
};

function quoteGroup(g: { name: string; domain?: string }): string {
  return `'${g.domain ?? 'Default'}'/'${g.name}'`;
}

/** `user alice, in groups 'Default'/'DBUsers'`. */
export function callerText(p: RequestPrincipal, tree: CompartmentTree): string {
  const who = principalText(p);
  if (p.kind === 'user') return p.groups.length === 0 ? `${who}, in no group` : `${who}, in group${p.groups.length > 1 ? 's' : ''} ${p.groups.map(quoteGroup).join(', ')}`;
  if (p.kind === 'instance' || p.kind === 'resource') {
    const where = p.compartmentId ? ` (${tree.describe(p.compartmentId)})` : '';
    return p.dynamicGroups.length === 0
      ? `${who}${where}, in no dynamic group`
      : `${who}${where}, in dynamic group${p.dynamicGroups.length > 1 ? 's' : ''} ${p.dynamicGroups.map(quoteGroup).join(', ')}`;
  }
  return who;
}

function cap(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}

function statementNumberText(ref: StatementRef): string {
  return `policy '${ref.policy}' statement ${ref.statementIndex + 1}`;
}

/** Shell-safe inside double quotes: statements hold single quotes, OCIDs hold no `$`. */
export function dq(s: string): string {
  return `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

export function policyCreateCommand(statement: string, rootId: string, key: string): string {
  return `oci iam policy create --compartment-id ${rootId} --name dbiam-doctor-${key} --description ${dq('Granted as suggested by dbiam-doctor')} --statements ${dq(JSON.stringify([statement]))}`;
}

function subjectOf(statement: string): Subject | undefined {
  return parseStatement(statement).statement?.subject;
}

function minutesAgo(t: string | undefined, now: Date): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? now.getTime() - ms : undefined;
}

export class PolicyJudge {
  readonly compiled: CompiledPolicies;
  readonly tree: CompartmentTree;
  private readonly ctx: EvaluationContext;
  private readonly policyById = new Map<string, PolicyInput>();

  constructor(private readonly world: PolicyWorld) {
    this.ctx = { tenancyId: world.tenancyId, compartments: world.compartments, now: world.now, maxNearMisses: 50 };
    this.compiled = compilePolicies(world.policies, this.ctx);
    this.tree = this.compiled.tree;
    for (const p of world.policies) if (!this.policyById.has(p.id)) this.policyById.set(p.id, p);
  }

  /** `policy 'db-access' (compartment Prod), statement 1: Allow …`. */
  refText(ref: StatementRef): string {
    const policy = this.policyById.get(ref.policyId);
    const where = policy ? ` (${this.tree.describe(policy.compartmentId)})` : '';
    return `policy '${ref.policy}'${where}, statement ${ref.statementIndex + 1}: ${ref.statement}`;
  }

  /** IAM's decision on one access, for the world's principal. */
  decide(q: Pick<AccessQuestion, 'need' | 'location' | 'variables'>): Decision {
    const request = { principal: this.world.principal, need: q.need, location: q.location, variables: { ...this.world.principalVariables, ...q.variables } };
    return evaluate(request, this.compiled, this.ctx);
  }

  judge(questions: readonly AccessQuestion[]): Judgement {
    const findings: Finding[] = [...this.inputProblems()];
    const verdicts: PolicyVerdict[] = [];
    // One broken dynamic group blocking several accesses is one problem: one finding naming them all.
    const byDynamicGroup = new Map<string, Finding>();
    for (const q of questions) {
      const d = this.decide(q);
      const { finding, code, merge } = this.findingFor(q, d);
      const earlier = merge ? byDynamicGroup.get(merge.key) : undefined;
      if (earlier && merge) {
        const n = Object.keys(earlier.evidence).filter((k) => k.startsWith('also blocks')).length + 1;
        earlier.evidence[`also blocks ${n}`] = merge.also;
      } else {
        if (merge) byDynamicGroup.set(merge.key, finding);
        findings.push(finding);
      }
      const recent = this.recentChange(q, d);
      if (recent) findings.push(recent);
      const verdict: PolicyVerdict = { key: q.key, decision: d.decision, code, grantedBy: d.grantedBy };
      if (d.deniedBy) verdict.deniedBy = d.deniedBy;
      verdicts.push(verdict);
    }
    const summary = verdicts
      .map((v) => `${QUESTION_LABEL[v.key]}: ${v.decision === 'allowed' ? `allowed by ${v.grantedBy[0] ? statementNumberText(v.grantedBy[0]) : 'policy'}` : `denied (${v.code})`}`)
      .join('; ');
    return { findings, verdicts, summary };
  }

  /** Statements and rules that do not parse, and the more-than-5 dynamic groups warning. */
  private inputProblems(): Finding[] {
    const out: Finding[] = [];
    const errors = this.compiled.diagnostics.filter((d) => d.severity === 'error');
    const fileProblems = this.world.fileProblems ?? [];
    if (errors.length > 0 || fileProblems.length > 0) {
      const seen = new Set<string>();
      const evidence: Record<string, string> = {};
      let statements = 0;
      for (const d of errors) {
        const key = `${d.policyId}#${d.statementIndex}`;
        if (seen.has(key)) continue;
        seen.add(key);
        statements++;
        if (statements > 10) continue;
        const policy = this.policyById.get(d.policyId);
        const text = policy?.statements[d.statementIndex] ?? '';
        const at = d.sourceLine !== undefined ? `line ${d.sourceLine}` : `column ${d.column}`;
        evidence[`policy '${d.policy}' statement ${d.statementIndex + 1}`] = `${d.message} (${at}): ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`;
      }
      if (statements > 10) evidence.more = `${statements - 10} more statements do not parse`;
      fileProblems.slice(0, 10).forEach((p, i) => (evidence[`file entry ${i + 1}`] = p));
      const title =
        statements > 0
          ? `${statements} policy statement${statements === 1 ? ' does' : 's do'} not parse and ${statements === 1 ? 'was' : 'were'} left out of the decision`
          : `${fileProblems.length} entr${fileProblems.length === 1 ? 'y' : 'ies'} of the policies file ${fileProblems.length === 1 ? 'was' : 'were'} skipped`;
      out.push(findingFrom(codes.spec.parseError, { title, evidence }));
    }
    const dg = this.world.dynamicGroups;
    if (dg) {
      const ruleErrors = dg.membership.diagnostics.filter((d) => d.severity === 'error');
      if (ruleErrors.length > 0) {
        const evidence: Record<string, string> = {};
        for (const d of ruleErrors.slice(0, 10)) evidence[`dynamic group ${d.dynamicGroup}`] = `${d.message} (column ${d.column})`;
        const names = [...new Set(ruleErrors.map((d) => d.dynamicGroup))];
        out.push(findingFrom(codes.spec.dgParseError, { title: `The matching rule of ${names.length === 1 ? `dynamic group ${names[0]}` : `${names.length} dynamic groups`} does not parse`, evidence }));
      }
      for (const w of dg.membership.warnings) {
        out.push(
          findingFrom(codes.spec.dgTooMany, {
            title: `The instance is in ${dg.membership.groups.length} dynamic groups; more than 5 may not all apply`,
            detail: `${w[0]?.toUpperCase()}${w.slice(1)}.`,
            evidence: { 'dynamic groups': dg.membership.groups.map(quoteGroup).join(', ') },
          }),
        );
      }
    }
    return out;
  }

  private baseEvidence(q: AccessQuestion): Record<string, string> {
    // Variables holding the same value (the database OCID under three candidate names) are shown once.
    const byValue = new Map<string, string[]>();
    for (const [k, v] of Object.entries(q.variables)) byValue.set(v, [...(byValue.get(v) ?? []), k]);
    const vars = [...byValue.entries()].map(([v, names]) => `${names.join(' = ')} = ${v}`).join(', ');
    const evidence: Record<string, string> = {
      caller: `${callerText(this.world.principal, this.tree)} (${this.world.principalSource})`,
      needs: `${needText(q.need)} in ${this.tree.describe(q.location)}${vars ? ` with ${vars}` : ''}`,
      policies: `${this.compiled.statementCount} statement${this.compiled.statementCount === 1 ? '' : 's'} in ${this.world.policies.length} polic${this.world.policies.length === 1 ? 'y' : 'ies'} (${this.world.source})`,
    };
    if (this.world.dynamicGroups) evidence['dynamic groups'] = `${this.world.dynamicGroups.all.length} read (${this.world.dynamicGroups.source})`;
    q.notes.forEach((n, i) => (evidence[q.notes.length === 1 ? 'assumed' : `assumed ${i + 1}`] = n));
    return evidence;
  }

  private findingFor(q: AccessQuestion, d: Decision): { finding: Finding; code: string; merge?: { key: string; also: string } } {
    const p = this.world.principal;
    const who = principalText(p);
    const need = needText(q.need);
    const evidence = this.baseEvidence(q);
    const dgNote = 'A dynamic group decides: changes to a dynamic group or its matching rule can take up to an hour to apply.';

    if (d.decision === 'allowed') {
      const first = d.grantedBy[0] as StatementRef;
      evidence['granted by'] = this.refText(first);
      d.grantedBy.slice(1, 4).forEach((g, i) => (evidence[`also granted by ${i + 1}`] = this.refText(g)));
      const detail = `Granted by ${this.refText(first)}${d.viaDynamicGroup ? `\n${dgNote}` : ''}`;
      return {
        code: codes.spec.granted.code,
        finding: findingFrom(codes.spec.granted, { title: `${cap(who)} may ${need} on ${q.targetText}: granted by ${statementNumberText(first)}`, detail, evidence }),
      };
    }

    const rootId = this.tree.rootId;
    if (d.deniedBy) {
      evidence['denied by'] = this.refText(d.deniedBy);
      d.overriddenGrants.slice(0, 3).forEach((g, i) => (evidence[`overridden grant ${i + 1}`] = this.refText(g)));
      return {
        code: codes.spec.denied.code,
        finding: findingFrom(codes.spec.denied, {
          title: `${cap(statementNumberText(d.deniedBy))} denies ${who} ${need} on ${q.targetText}`,
          detail: `A deny statement matches this request, and deny wins over every allow${d.overriddenGrants.length > 0 ? ` (${d.overriddenGrants.length} allow statement${d.overriddenGrants.length === 1 ? '' : 's'} would grant it otherwise)` : ''}.`,
          evidence,
          fixText: `Remove or narrow the deny statement: ${this.refText(d.deniedBy)}`,
        }),
      };
    }

    const { relevant, all } = orderNearMisses(this.world.principal, d.nearMisses);
    all.slice(0, SHOWN_NEAR_MISSES).forEach((m, i) => {
      evidence[`closest ${i + 1}`] = this.refText(m);
      evidence[`closest ${i + 1} misses`] = m.reason;
    });
    if (all.length > SHOWN_NEAR_MISSES) evidence['closest (more)'] = `${all.length - SHOWN_NEAR_MISSES} more statements miss in one or two aspects`;
    const suggestion = d.suggestion;
    if (suggestion) evidence['suggested statement'] = suggestion.statement;
    const notes = suggestion?.notes ?? [];
    const fixText = suggestion
      ? `Add this statement to a policy in the root compartment${relevant[0] ? ', or correct the closest statement' : ''}: ${suggestion.statement}${notes.length > 0 ? ` ${notes.join(' ')}` : ''}`
      : undefined;
    const commands = suggestion ? [policyCreateCommand(suggestion.statement, rootId, q.key)] : [];
    const top = relevant[0];
    const single = top && top.kinds.length === 1 ? top.kinds[0] : undefined;
    const lead = top ? cap(statementNumberText(top)) : '';

    if (single === 'subject' && (p.kind === 'instance' || p.kind === 'resource') && top) {
      const dgFinding = this.dynamicGroupMiss(q, top, evidence);
      if (dgFinding) {
        return {
          code: codes.spec.dgNoMatch.code,
          finding: dgFinding,
          merge: { key: subjectOf(top.statement) ? subjectText(subjectOf(top.statement) as Subject) : top.statement, also: `${need} on ${q.targetText}: ${this.refText(top)}` },
        };
      }
    }
    const parts = (spec: (typeof codes.spec)[keyof typeof codes.spec], title: string, detail: string): { finding: Finding; code: string } => ({
      code: spec.code,
      finding: findingFrom(spec, { title, detail, evidence, ...(fixText ? { fixText } : {}), commands }),
    });
    const why = top?.details[0]?.text ?? '';
    switch (single) {
      case 'where':
        return parts(codes.spec.whereExcludes, `${lead} would let ${who} ${need} on ${q.targetText}, but its where clause excludes it`, `The where clause is false for this request: ${why}.`);
      case 'subject':
        return parts(codes.spec.subjectMismatch, `${lead} grants ${need} on ${q.targetText}, but not to ${who}`, `The statement is for someone else: ${why}.`);
      case 'location':
        return parts(codes.spec.locationMismatch, `${lead} grants ${who} ${need}, but not in the compartment of ${q.targetText}`, `The statement applies elsewhere: ${why}.`);
      case 'verb':
        return parts(codes.spec.verbTooWeak, `${lead} grants ${who} access to ${q.targetText}, but too little for ${need}`, `The statement grants less than the request needs: ${why}.`);
      default:
        return parts(
          codes.spec.noGrant,
          `No policy lets ${who} ${need} on ${q.targetText}`,
          all.length === 0
            ? `No statement of the ${this.world.policies.length} polic${this.world.policies.length === 1 ? 'y' : 'ies'} read grants it or comes close; IAM denies what nothing allows.`
            : 'Nothing grants it, and every statement that comes close misses in more than one aspect or names another kind of caller (see the closest statements).',
        );
    }
  }

  /** dg.no-match: the closest statement names a dynamic group whose rule does not match the caller. */
  private dynamicGroupMiss(q: AccessQuestion, top: NearMiss, evidence: Record<string, string>): Finding | undefined {
    const facts = this.world.dynamicGroups;
    const subject = subjectOf(top.statement);
    if (!facts || subject?.kind !== 'dynamic-group') return undefined;
    const p = this.world.principal;
    const who = principalText(p);
    const attrs = facts.attributes;
    const commands: string[] = [];
    let firstName: string | undefined;
    let newRule: string | undefined;
    for (const ref of subject.refs) {
      const dg = facts.all.find((g) => (ref.by === 'id' ? g.id.toLowerCase() === ref.key : `${(g.domain ?? 'Default').toLowerCase()}/${g.name.toLowerCase()}` === ref.key));
      const label = ref.by === 'id' ? ref.id : ref.name;
      firstName ??= label;
      if (!dg) {
        evidence[`dynamic group ${label}`] = `not among the ${facts.all.length} dynamic groups read: it does not exist (or lives in another identity domain)`;
        continue;
      }
      const match = matchingRuleMatches(dg.matchingRule, attrs);
      evidence[`dynamic group ${dg.name} rule`] = dg.matchingRule;
      evidence[`dynamic group ${dg.name} misses`] = match.failed.map((f) => f.reason).join('; ') || 'the rule matches';
      if (!newRule) {
        const self = attrs.instanceId ? `instance.id = '${attrs.instanceId}'` : `resource.id = '${attrs.resourceId ?? ''}'`;
        newRule = `ANY {${dg.matchingRule.trim()}, ${self}}`;
        commands.push(`oci iam dynamic-group update --dynamic-group-id ${dg.id} --matching-rule ${dq(newRule)}`);
      }
    }
    const fixText = newRule
      ? `Make the rule match ${who}, e.g. ${newRule}. Dynamic-group changes can take up to an hour to apply.`
      : `Create the dynamic group the statement names, with a rule that matches ${who}; it can take up to an hour to apply.`;
    // The fix is the rule, not another statement.
    delete evidence['suggested statement'];
    return findingFrom(codes.spec.dgNoMatch, {
      title: `${cap(subjectText(subject))} does not match ${who}, so ${statementNumberText(top)} does not reach it`,
      detail: `${this.refText(top)}\nThis statement would let ${who} ${needText(q.need)} on ${q.targetText}, but the rule of ${subjectText(subject)} does not match it, so it is not a member (see the rule and what it misses below).`,
      evidence,
      fixText,
      commands,
    });
  }

  private recentChange(q: AccessQuestion, d: Decision): Finding | undefined {
    const now = this.world.now;
    const deciding = d.deniedBy ? [d.deniedBy] : d.grantedBy;
    for (const ref of deciding) {
      const policy = this.policyById.get(ref.policyId);
      const age = minutesAgo(policy?.timeCreated, now);
      if (policy?.timeCreated && age !== undefined && Math.abs(age) <= RECENT_POLICY_MS) {
        return findingFrom(codes.spec.recentlyChanged, {
          title: `Policy '${policy.name}', which decides ${needText(q.need)} on ${q.targetText}, was created ${relativeTime(new Date(policy.timeCreated), now)}`,
          detail: 'Policy changes usually apply within seconds, but not always everywhere at once: if a connection fails now, retry once before changing more.',
          evidence: { policy: this.refText(ref), created: policy.timeCreated },
        });
      }
    }
    const facts = this.world.dynamicGroups;
    if (d.decision === 'allowed' && d.viaDynamicGroup && facts) {
      for (const g of facts.membership.groups) {
        const created = facts.all.find((x) => x.id === g.id)?.timeCreated;
        const age = minutesAgo(created, now);
        if (created && age !== undefined && Math.abs(age) <= RECENT_DYNAMIC_GROUP_MS) {
          return findingFrom(codes.spec.recentlyChanged, {
            title: `Dynamic group ${g.name}, through which ${needText(q.need)} is granted, was created ${relativeTime(new Date(created), now)}`,
            detail: 'Dynamic-group changes can take up to an hour to reach every service: if a connection fails now, wait before changing more.',
            evidence: { 'dynamic group': g.name, created },
          });
        }
      }
    }
    return undefined;
  }
}
