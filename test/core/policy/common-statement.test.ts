// The fast path of compiling (common-statement.ts) reads a statement by index
// and gives up on anything the full parser would report. Whatever it accepts
// must mean exactly what the full parser makes of it, with no diagnostic: a
// user's decision, near misses and problem list cannot depend on which path
// read a statement. Checked over generated statements (common shapes, odd
// ones, lint, errors, spacing and case) and their mutations, and by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicies, evaluate, generateBenchCorpus } from '../../../src/core/policy/index.js';
import { parseCommonStatement } from '../../../src/core/policy/common-statement.js';
import { ParseCache } from '../../../src/core/policy/intern.js';
import { parseStatement, parseStatementFully } from '../../../src/core/policy/statement.js';
import type { PolicyInput } from '../../../src/core/policy/index.js';
import { STATEMENTS } from './corpus.js';

const word = (...xs: string[]) => fc.constantFrom(...xs);
const cased = (w: string) => fc.constantFrom(w, w.toUpperCase(), w[0]?.toUpperCase() + w.slice(1));
/** Mostly `usual`, sometimes `odd`: most generated statements stay readable, each may carry one oddity. */
const mostly = <T,>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: odd, weight: 1 });
const space = mostly(fc.constantFrom(' ', ' ', '  '), fc.constantFrom('\t', '\n', ' \u00a0', '\r\n'));

const name = mostly(
  word('G', 'DBUsers', 'A-Admins', 'where', 'in', 'Grp_1', 'g$x', 'a:b', `'Team Admins'`, `"Dom"`, `'to'`, `'a,b'`),
  word('to', 'id', '${var.g}', '<group>', `'x`, `‘Smart’`, `''`),
);
const ocid = mostly(word('ocid1.group.oc1..aaaa', 'OCID1.GROUP.OC1..BBB', 'ocid1.compartment.oc1..c'), word('not-an-ocid', `'ocid1.group.oc1..q'`, `'ocid1.x,y'`));
const ref = fc.oneof(
  name,
  fc.tuple(name, mostly(fc.constant('/'), fc.constantFrom(' / ', '/ ')), name).map(([a, s, b]) => `${a}${s}${b}`),
  fc.tuple(cased('id'), ocid).map(([k, v]) => `${k} ${v}`),
);
const refs = fc.array(ref, { minLength: 1, maxLength: 3 }).chain((rs) => fc.constantFrom(', ', ',', ' , ').map((sep) => rs.join(sep)));
const subject = mostly(
  fc.oneof(
    fc.tuple(cased('group'), refs).map(([k, r]) => `${k} ${r}`),
    fc.tuple(cased('dynamic-group'), refs).map(([k, r]) => `${k} ${r}`),
    cased('any-user'),
    cased('any-group'),
  ),
  fc.oneof(refs.map((r) => `dynamic group ${r}`), word('service objectstorage', 'user alice', 'group', 'groups G')),
);
const verb = mostly(fc.oneof(cased('use'), cased('manage'), cased('read'), cased('inspect')), word('write', 'in', '{'));
const type = mostly(word('database-connections', 'Autonomous-Database-Family', 'all-resources', 'secret-bundles', 'objects'), word('database-connection', 'widgets', 'in', 'where', '{X}', ''));
const permission = mostly(word('DB_CONNECT', 'SECRET_BUNDLE_READ', 'INSTANCE_READ'), word('db_connect', 'Db_Connect', '}', ''));
const access = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(verb, type).map(([v, t]) => `${v} ${t}`) },
  {
    weight: 1,
    arbitrary: fc.array(permission, { minLength: 1, maxLength: 3 }).chain((ps) =>
      fc.tuple(fc.constantFrom('{', '{ '), fc.constantFrom(', ', ','), mostly(fc.constantFrom('}', ' }'), fc.constant('')), mostly(fc.constant(''), fc.constantFrom(' database-connections', ' widgets'))).map(
        ([o, sep, c, t]) => `${o}${ps.join(sep)}${c}${t}`,
      ),
    ),
  },
);
const location = mostly(
  fc.oneof(
    cased('tenancy').map((t) => `in ${t}`),
    fc.tuple(cased('compartment'), word('Prod', 'Dept3:Team2:Prod', `'Dept 3':x`, `'A:B'`, 'where')).map(([k, p]) => `in ${k} ${p}`),
    fc.tuple(cased('compartment'), cased('id'), ocid).map(([k, i, v]) => `in ${k} ${i} ${v}`),
  ),
  word('in tenancy other', 'in any-tenancy', 'in', 'at tenancy', '', 'in compartment A::B', 'in compartment :A', 'in compartment id', 'in compartment <c>', `in compartment 'x`),
);
const variable = mostly(
  word('target.database.id', 'request.principal.type', 'Target.Compartment.Name', 'request.user.name', 'target.resource.tag.Env.Stage', 'request.permission', 'request.operation'),
  word('target.nothing', 'foo.bar', 'request.utc-timestamp', '{', `'x'`),
);
const value = mostly(
  word(`'ocid1.autonomousdatabase.oc1..db1'`, `'user'`, `"Workload"`, `'a,b'`, `''`, '/*Prod*/', '/Sandbox*/', 'target.compartment.id', 'request.principal.compartment.id'),
  word(`'ocid1.a,b'`, `'<image_ocid>'`, `'\${x}'`, `'target.compartment.id'`, `'x`, `‘smart’`, '/A-*', '//', '/x‘/', 'target.made.up', 'bare', '${tpl}', '<ph>'),
);
const leaf = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(variable, mostly(fc.constantFrom(' = ', '=', ' != ', '!='), fc.constantFrom(' == ', ' > ', ' ! ', ' ')), value).map(([v, o, x]) => `${v}${o}${x}`) },
  {
    weight: 2,
    arbitrary: fc.tuple(variable, mostly(fc.constantFrom(' in ', ' not in ', ' NOT IN '), fc.constantFrom(' between ', ' not ')), fc.array(value, { minLength: 1, maxLength: 3 })).map(([v, o, xs]) => `${v}${o}(${xs.join(', ')})`),
  },
  { weight: 1, arbitrary: variable },
);
const condition: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.oneof(cased('all'), cased('any')), fc.array(tie('c'), { minLength: 1, maxLength: 3 }), fc.constantFrom('{', '{ '), mostly(fc.constantFrom('}', ' }'), fc.constantFrom(',}', '')), fc.constantFrom(', ', ',')).map(
      ([k, items, o, c, sep]) => `${k} ${o}${items.join(sep)}${c}`,
    ),
  ),
})).c;
const statementText = fc
  .tuple(
    mostly(fc.oneof(cased('allow'), cased('deny')), word('Endorse', 'admit', 'Define', 'Permit', '')),
    subject,
    mostly(cased('to'), word('into', '')),
    access,
    location,
    fc.option(fc.tuple(mostly(cased('where'), word('when', '')), condition).map(([w, c]) => `${w} ${c}`), { nil: undefined }),
    fc.array(space, { minLength: 6, maxLength: 6 }),
    mostly(fc.constant(''), fc.constantFrom(' ', '  ', '\n', ' x')),
  )
  .map(([e, s, to, a, l, w, sp, tail]) => `${e}${sp[0]}${s}${sp[1]}${to}${sp[2]}${a}${sp[3]}${l}${w ? `${sp[4]}${w}` : ''}${tail}`);
/** A generated statement with a few characters inserted, deleted or flipped. */
const mutated = fc.tuple(statementText, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('', ' ', "'", '"', '/', ',', '{', '}', '(', ')', '=', '!', '$', '\u2019', '\u0000', 'é', ':', 'x')), { minLength: 1, maxLength: 3 })).map(([s, ops]) => {
  let out = s;
  for (const [at, c] of ops) {
    const i = Math.floor(at * out.length);
    out = c === '' ? out.slice(0, i) + out.slice(i + 1) : out.slice(0, i) + c + out.slice(i);
  }
  return out;
});

/** A statement without the offsets inside its where clause (a clause or leaf shared by a cache keeps those of its first writer). */
const strip = (x: unknown): unknown => (x === undefined ? x : JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'start' || k === 'end' ? undefined : v))));

describe('the fast path of compiling', () => {
  it('accepts only what the full parser reads with no diagnostic, and builds the same statement (offsets included)', () => {
    let accepted = 0;
    let clean = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: statementText, weight: 3 }, { arbitrary: mutated, weight: 1 }), (text) => {
        const full = parseStatementFully(text);
        if (full.diagnostics.length === 0) clean++;
        const fast = parseCommonStatement(text, new ParseCache());
        if (fast === undefined) return;
        accepted++;
        expect(full.diagnostics, text).toEqual([]);
        expect(strip(fast), text).toEqual(strip(full.statement));
        // With a cache of its own, the full parser shares a leaf written twice in one statement (first offsets kept); so does the fast path.
        expect(fast, text).toEqual(parseStatementFully(text, new ParseCache()).statement);
      }),
      { numRuns: 20_000, seed: 21 },
    );
    // The comparison is not vacuous: a good share of the inputs took the fast path.
    expect(accepted).toBeGreaterThan(1000);
    expect(accepted).toBeLessThanOrEqual(clean);
  });

  it('with one cache over many statements, gives each the meaning and diagnostics it has alone', () => {
    const texts = fc.sample(fc.oneof(statementText, mutated), { numRuns: 5000, seed: 7 });
    const cache = new ParseCache();
    for (const text of [...texts, ...texts]) {
      const shared = parseStatement(text, cache);
      const alone = parseStatementFully(text);
      expect(shared.diagnostics, text).toEqual(alone.diagnostics);
      expect(strip(shared.statement), text).toEqual(strip(alone.statement));
      expect(shared.kind, text).toBe(alone.kind);
    }
  });

  it('reads the common shapes by hand-written expectation', () => {
    const cache = new ParseCache();
    const a = `Allow group 'Dom'/'DB Users', id ocid1.group.oc1..aaa to use database-connections in compartment Dept3:Prod where all {target.database.id = 'ocid1.db.X', request.permission not in ('A', 'b')}`;
    /** Start and end of `part` in `text` (each part below occurs once). */
    const span = (text: string, part: string) => ({ start: text.indexOf(part), end: text.indexOf(part) + part.length });
    expect(parseCommonStatement(a, cache)).toEqual({
      effect: 'allow',
      subject: {
        kind: 'group',
        refs: [
          { by: 'name', domain: 'Dom', name: 'DB Users', domainGiven: true, key: 'dom/db users' },
          { by: 'id', id: 'ocid1.group.oc1..aaa', key: 'ocid1.group.oc1..aaa' },
        ],
      },
      access: { kind: 'verb', verb: 'use' },
      resourceType: 'database-connections',
      location: { kind: 'compartment-path', path: ['Dept3', 'Prod'] },
      where: {
        kind: 'group',
        mode: 'all',
        ...span(a, `all {target.database.id = 'ocid1.db.X', request.permission not in ('A', 'b')}`),
        items: [
          {
            kind: 'compare', variable: 'target.database.id', variableLower: 'target.database.id', op: '=',
            ...span(a, `target.database.id = 'ocid1.db.X'`),
            value: { kind: 'literal', value: 'ocid1.db.X', lower: 'ocid1.db.x', quoted: true, ...span(a, `'ocid1.db.X'`) },
          },
          {
            kind: 'in', variable: 'request.permission', variableLower: 'request.permission', negated: true,
            ...span(a, `request.permission not in ('A', 'b')`),
            values: [
              { kind: 'literal', value: 'A', lower: 'a', quoted: true, ...span(a, `'A'`) },
              { kind: 'literal', value: 'b', lower: 'b', quoted: true, ...span(a, `'b'`) },
            ],
          },
        ],
      },
    });
    const d = `deny ANY-USER to {DB_CONNECT, SECRET_BUNDLE_READ} IN TENANCY WHERE target.compartment.name != /Sandbox*/`;
    expect(parseCommonStatement(d, cache)).toEqual({
      effect: 'deny',
      subject: { kind: 'any-user' },
      access: { kind: 'permissions', permissions: ['DB_CONNECT', 'SECRET_BUNDLE_READ'] },
      resourceType: undefined,
      location: { kind: 'tenancy' },
      where: {
        kind: 'compare', variable: 'target.compartment.name', variableLower: 'target.compartment.name', op: '!=',
        ...span(d, 'target.compartment.name != /Sandbox*/'),
        value: { kind: 'pattern', source: 'Sandbox*', parts: ['sandbox'], hasStar: true, anchoredStart: true, anchoredEnd: false, ...span(d, '/Sandbox*/') },
      },
    });
    // Each of these has a diagnostic (or another keyword): the full parser's.
    for (const text of [
      `Allow group G to use database-connection in tenancy`,
      `Allow group G to {db_connect} in tenancy`,
      `Allow dynamic group G to use database-connections in tenancy`,
      `Allow group ‘G’ to use database-connections in tenancy`,
      `Allow group G to use database-connections in tenancy where target.x = 'a'`,
      `Allow group G to use database-connections in tenancy where target.database.id = bare`,
      `Allow group id not-an-ocid to use database-connections in tenancy`,
      `Allow group to to use database-connections in tenancy`,
      `Allow group G, to to use database-connections in tenancy`,
      `Endorse group G to use database-connections in tenancy`,
      `Allow group G to use database-connections in compartment A::B`,
    ]) {
      expect(parseCommonStatement(text, cache), text).toBeUndefined();
    }
  });

  it('takes every statement of the benchmark export, and the brief corpus reads the same either way', () => {
    const corpus = generateBenchCorpus({ policies: 1000, statementsPerPolicy: 10 });
    const cache = new ParseCache();
    for (const p of corpus.policies) for (const s of p.statements) expect(parseCommonStatement(s, cache), s).toBeDefined();
    // Compiled with the fast path, the brief's statements decide as before and report the same problems.
    const policies: PolicyInput[] = [{ id: 'p', name: 'p', compartmentId: corpus.context.tenancyId, statements: [...STATEMENTS] }];
    const compiled = compilePolicies(policies, corpus.context);
    const expected = STATEMENTS.flatMap((s, statementIndex) => parseStatementFully(s).diagnostics.map((d) => ({ ...d, policy: 'p', policyId: 'p', statementIndex })));
    expect(compiled.diagnostics).toEqual(expected);
    expect(evaluate(corpus.request, compiled, corpus.context).decision).toBe('denied');
  });
});
