// No input may crash or hang the parsers or the evaluator: seeded random
// mutations of the corpus, pathological nesting and sizes, and (for
// information only) the time to parse and evaluate 100,000 statements.
import { describe, expect, it } from 'vitest';
import {
  MAX_CONDITION_DEPTH,
  compilePolicies,
  evaluate,
  generateBenchCorpus,
  matchingRuleMatches,
  parseMatchingRule,
  parseStatement,
  runPolicyBench,
  seededRandom,
} from '../../../src/core/policy/index.js';
import type { AccessRequest, Diagnostic, EvaluationContext, PolicyInput } from '../../../src/core/policy/index.js';
import { MATCHING_RULES, STATEMENTS } from './corpus.js';

const PIECES = [
  '{', '}', '(', ')', ',', "'", '"', '/', '*', '=', '!=', '!', ' any {', ' ALL {', ' where ', ' in ', ' not in (',
  '\n', '\u2018', '\u201c', '${', '<', '>', '#', '\u0000', '\ud800', ' id ', ':', ' group ', ' dynamic group ',
  ' to ', ' tenancy ', ' compartment ', ' between ', 'x', ' ', '\t', 'tag.a.b.value', 'request.', 'target.',
];

function mutate(input: string, rnd: () => number): string {
  let s = input;
  const rounds = 1 + Math.floor(rnd() * 4);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const len = 1 + Math.floor(rnd() * 6);
    switch (Math.floor(rnd() * 6)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + len);
        break;
      case 1:
        s = s.slice(0, at) + (PIECES[Math.floor(rnd() * PIECES.length)] as string) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at, at + len).repeat(2 + Math.floor(rnd() * 200)) + s.slice(at + len);
        break;
      case 3:
        s = s.slice(at) + s.slice(0, at);
        break;
      case 4:
        s = s.slice(0, at);
        break;
      default:
        s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + s.slice(at);
    }
  }
  return s;
}

function checkDiagnostics(text: string, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.code).not.toBe('internal');
    expect(d.offset).toBeGreaterThanOrEqual(0);
    expect(d.offset + d.length).toBeLessThanOrEqual(text.length);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

const CTX: EvaluationContext = {
  tenancyId: 'ocid1.tenancy.oc1..t',
  compartments: [
    { id: 'ocid1.compartment.oc1..a', name: 'Projects-A-and-B', parentId: 'ocid1.tenancy.oc1..t' },
    { id: 'ocid1.compartment.oc1..b', name: 'HR', parentId: 'ocid1.tenancy.oc1..t' },
  ],
};

const REQUEST: AccessRequest = {
  principal: {
    kind: 'user',
    userName: 'u',
    userId: 'ocid1.user.oc1..u',
    groups: [{ name: 'A-Admins', id: 'ocid1.group.oc1.exampleuniqueID' }],
    dynamicGroups: [],
  },
  need: { verb: 'use', resourceType: 'database-connections' },
  location: 'ocid1.compartment.oc1..a',
  variables: { 'target.database.id': 'ocid1.autonomousdatabase.oc1.iad.aaaabbbbcccc', 'target.group.name': 'A-x' },
};

describe('seeded random mutations', () => {
  it('2,000 mutated statements and rules: no throw, no internal error, bounded time each', () => {
    const rnd = seededRandom(20250601);
    const seeds = [...STATEMENTS, ...MATCHING_RULES];
    const mutated: string[] = [];
    let slowest = 0;
    for (let i = 0; i < 2000; i++) {
      const text = mutate(seeds[i % seeds.length] as string, rnd);
      mutated.push(text);
      const t0 = performance.now();
      const st = parseStatement(text);
      const rule = parseMatchingRule(text);
      matchingRuleMatches(rule, { instanceId: 'i', compartmentId: 'c', tags: { a: { b: 'v' } } });
      slowest = Math.max(slowest, performance.now() - t0);
      checkDiagnostics(st.source, st.diagnostics);
      checkDiagnostics(rule.source, rule.diagnostics);
      // A statement either parsed or says why not.
      expect(st.statement !== undefined || st.diagnostics.some((d) => d.severity !== 'warning')).toBe(true);
    }
    // Generous: one mutated input takes well under a millisecond.
    expect(slowest).toBeLessThan(250);

    const policies: PolicyInput[] = [{ id: 'p', name: 'fuzz', compartmentId: CTX.tenancyId, statements: mutated }];
    const d = evaluate(REQUEST, policies, CTX);
    expect(['allowed', 'denied']).toContain(d.decision);
  });
});

describe('pathological input', () => {
  const N = 10_000;
  const stmt = (where: string): string => `Allow group G to use users in tenancy where ${where}`;

  it('refuses 10,000 nested all {…} in a where clause without overflowing the stack', () => {
    const p = parseStatement(stmt(`${'all {'.repeat(N)}request.region = 'x'${'}'.repeat(N)}`));
    expect(p.statement).toBeUndefined();
    expect(p.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['too-deep', `conditions are nested more than ${MAX_CONDITION_DEPTH} levels deep`],
    ]);
  });

  it('refuses 10,000 nested ANY {…} in a matching rule', () => {
    const p = parseMatchingRule(`${'ANY {'.repeat(N)}instance.id = 'x'${'}'.repeat(N)}`);
    expect(p.condition).toBeUndefined();
    expect(p.diagnostics.map((d) => d.code)).toEqual(['too-deep']);
  });

  it.each([
    ['10,000 `{`', '{'.repeat(N)],
    ['10,000 `}`', '}'.repeat(N)],
    ['10,000 `(`', `request.region in ${'('.repeat(N)}`],
    ['10,000 quotes', "'".repeat(N)],
    ['10,000 slashes', `request.region = ${'/'.repeat(N)}`],
    ['10,000 `<`', '<'.repeat(N)],
    ['a 1 MB value', `request.region = '${'x'.repeat(1_000_000)}'`],
    ['100,000 smart quotes', '\u2018'.repeat(100_000)],
  ])('handles %s quickly', (_label, where) => {
    const t0 = performance.now();
    const p = parseStatement(stmt(where));
    const r = parseMatchingRule(where);
    expect(performance.now() - t0).toBeLessThan(2000);
    checkDiagnostics(p.source, p.diagnostics);
    checkDiagnostics(r.source, r.diagnostics);
    expect(p.diagnostics.length).toBeLessThanOrEqual(25);
  });

  it('names control characters by code point', () => {
    expect(parseStatement('Allow group G to use users in tenancy \u0000').diagnostics[0]?.message).toBe(
      'expected `where` or the end of the statement after the location, found the character U+0000',
    );
  });

  it('reads a subject list of 100,000 groups', () => {
    const p = parseStatement(`Allow group ${Array.from({ length: 100_000 }, (_, i) => `G${i}`).join(', ')} to use users in tenancy`);
    expect(p.statement?.subject.kind === 'group' && p.statement.subject.refs.length).toBe(100_000);
  });

  it('survives a compartment tree with a cycle', () => {
    const ctx: EvaluationContext = {
      tenancyId: 't',
      compartments: [
        { id: 'a', name: 'A', parentId: 'b' },
        { id: 'b', name: 'B', parentId: 'a' },
      ],
    };
    const d = evaluate({ ...REQUEST, location: 'a' }, [{ id: 'p', name: 'p', compartmentId: 't', statements: ['Allow any-user to use database-connections in tenancy'] }], ctx);
    expect(d.decision).toBe('allowed');
  });
});

describe('scale (informational)', () => {
  it('parses 100,000 statements and evaluates one request', () => {
    const corpus = generateBenchCorpus();
    expect(corpus.statementCount).toBe(100_000);
    const compiled = compilePolicies(corpus.policies, corpus.context);
    expect(compiled.skipped).toEqual({ invalid: 0, crossTenancy: 0 });
    expect(evaluate(corpus.request, compiled, corpus.context).decision).toBe(corpus.expected);

    const r = runPolicyBench();
    expect(r).toMatchObject({ policies: 10_000, statements: 100_000, decision: 'allowed' });
    // Timing is logged, not asserted: test machines are noisy.
    console.log(
      `policy bench: ${r.policies} policies, ${r.statements} statements: ` +
        `parse ${r.parseMs.toFixed(0)} ms + evaluate ${r.evaluateMs.toFixed(0)} ms = ${r.totalMs.toFixed(0)} ms`,
    );
  });

  it('generates the same corpus from the same seed', () => {
    const a = generateBenchCorpus({ policies: 50, seed: 7 });
    const b = generateBenchCorpus({ policies: 50, seed: 7 });
    expect(a.policies).toEqual(b.policies);
    expect(generateBenchCorpus({ policies: 50, seed: 8 }).policies).not.toEqual(a.policies);
  });
});
