// The skim (src/core/policy/skim.ts) decides which statements a compile may
// keep as text until evaluation needs them. Whenever it is sure of a
// statement, the parser must find no diagnostic in it and read the same
// effect, subject kind, verb, resource type and location: else a problem would go
// unreported or a statement be filed under the wrong type or place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateBenchCorpus, parseStatement, seededRandom } from '../../../src/core/policy/index.js';
import { SKIM_DENY, SKIM_LOCATION_ID, SKIM_NAMES_GROUPS, SKIM_UNSURE, skimStatement, skimmedLocation, skimmedType, skimmedVerb } from '../../../src/core/policy/skim.js';
import { STATEMENTS } from './corpus.js';

/** Fails the test with the statement when the skim vouches for more than the parser gives. */
function checkAgreement(text: string): boolean {
  const skim = skimStatement(text);
  if (skim === SKIM_UNSURE) return false;
  const type = skimmedType;
  const place = skimmedLocation;
  const parsed = parseStatement(text);
  const what = `skim was sure of: ${JSON.stringify(text)}`;
  expect(parsed.diagnostics, what).toEqual([]);
  expect(parsed.kind, what).toBe((skim & SKIM_DENY) !== 0 ? 'deny' : 'allow');
  const s = parsed.statement;
  expect(s, what).toBeDefined();
  if (!s) return true;
  expect(s.resourceType, what).toBe(type);
  expect(s.subject.kind === 'group' || s.subject.kind === 'dynamic-group', what).toBe((skim & SKIM_NAMES_GROUPS) !== 0);
  expect(s.access.kind === 'verb' ? s.access.verb : undefined, what).toBe(skimmedVerb(skim));
  const loc = s.location;
  expect([loc.kind === 'compartment-id', loc.kind === 'compartment-id' ? loc.id : loc.kind === 'compartment-path' ? loc.path.join(':') : undefined], what).toEqual([
    (skim & SKIM_LOCATION_ID) !== 0,
    place,
  ]);
  return true;
}

/** Statements one character or word away from a clean one, each drawing a diagnostic (or not) from the parser. */
const NEAR_MISSES = [
  `Allow group 'a to b'/'where x' to use database-connections in tenancy`,
  `Allow group id to to use database-connections in tenancy`,
  `Allow group id to use database-connections in tenancy`,
  `Allow group ID G to use database-connections in tenancy`,
  `Allow group to to use database-connections in tenancy`,
  `Allow group G TO use database-connections in tenancy`,
  `Allow group G to use database-connections in compartment where`,
  `Allow group G to use database-connections in compartment id where target.id = 'a'`,
  `Allow group G to use database-connections in compartment ID ocid1.compartment.oc1..x`,
  `Allow group G to use database-connections in compartment id 'ocid1.compartment.oc1..a,b'`,
  `Allow group G to use database-connections in compartment id compartment-ocid`,
  `Allow group G to use database-connections in compartment 'where' where target.id = 'a'`,
  `Allow group G to use database-connections in compartment Where where target.id = 'a'`,
  `Allow group G to use database-connections in compartment ''`,
  `Allow group G to use database-connections in compartment ':A'`,
  `Allow group G to use database-connections in compartment A:`,
  `Allow group G to use database-connections in compartment A::B`,
  `Allow group G to use database-connections in compartment 'A::B'`,
  `Allow group G to use database-connections in tenancy where`,
  `Allow group G to use database-connections in tenancy  where  target.id = 'a'  `,
  `Allow group G to use database-connections in tenancy WHERE target.id = 'a'`,
  `Allow group G to use database-connection in tenancy where target.id = 'a'`,
  `Allow group G to use database-connections where target.id = 'a'`,
  `Allow group G to use in tenancy`,
  `Allow group G to use in in tenancy`,
  `Allow group G to {DB_CONNECT} in in tenancy`,
  `Allow group G to {DB_CONNECT} where in tenancy`,
  `Allow group G to use database-connections in tenancy other where target.id = 'a'`,
  `Allow group G to use database-connections in tenancy acme`,
  `Allow group 'G to use database-connections in tenancy`,
  `Allow group G to {DB_CONNECT} in tenancy where target.id = 'a'`,
  `Allow group G to {db_connect} in tenancy`,
  `Allow group G to {DB_Connect, SECRET_READ} in tenancy`,
  `Allow group G to {DB_CONNECT,} in tenancy`,
  `Allow group G to {} in tenancy`,
  `Allow group G, id to to use database-connections in tenancy`,
  `Allow group G, to use database-connections in tenancy`,
  `Allow group id ocid1.group.oc1..a/b to use database-connections in tenancy`,
  `Allow group id 'ocid1.group.oc1..a,b' to use database-connections in tenancy`,
  `Allow group id "ocid1.group.oc1..a" to use database-connections in tenancy`,
  `Allow group id group-ocid to use database-connections in tenancy`,
  `Allow dynamic group G to use database-connections in tenancy`,
  `Allow service objectstorage to use database-connections in tenancy`,
  `Allow any-user to use database-connections in tenancy where request.user.name = Bob`,
  `Allow any-user to use database-connections in tenancy where request.user.name = \${var.name}`,
  `Allow any-user to use database-connections in tenancy where request.user.name = '\${var.name}'`,
  `Allow any-user to use database-connections in tenancy where request.user.name = '<user name>'`,
  `Allow any-user to use database-connections in tenancy where request.principal.compartment.id = 'target.compartment.id'`,
  `Allow any-user to use database-connections in tenancy where request.principal.compartment.id = "TARGET.compartment.id"`,
  `Allow any-user to use database-connections in tenancy where request.principal.compartment.id = 'target.compartment'`,
  `Allow any-user to use database-connections in tenancy where target.database.id = 'ocid1.x,y'`,
  `Allow any-user to use database-connections in tenancy where target.database.id = 'OCID1.x,y'`,
  `Allow any-user to use database-connections in tenancy where target.database = 'a'`,
  `Allow any-user to use database-connections in tenancy where target.database. = 'a'`,
  `Allow any-user to use database-connections in tenancy where target..id = 'a'`,
  `Allow any-user to use database-connections in tenancy where request.users.id = 'a'`,
  `Allow any-user to use database-connections in tenancy where request.principal.group.tag. = 'a'`,
  `Allow any-user to use database-connections in tenancy where request.principal.group.tag.ns.k = 'a'`,
  `Allow any-user to use database-connections in tenancy where target.resource.tag.ns.k = 'a'`,
  `Allow any-user to use database-connections in tenancy where target.id = /a*`,
  `Allow any-user to use database-connections in tenancy where target.id = /a*/`,
  `Allow any-user to use database-connections in tenancy where target.id != /a*/`,
  `Allow any-user to use database-connections in tenancy where target.id ! = 'a'`,
  `Allow any-user to use database-connections in tenancy where target.id > 'a'`,
  `Allow any-user to use database-connections in tenancy where target.id < 'a'`,
  `Allow any-user to use database-connections in tenancy where target.id in ('a', 'b')`,
  `Allow any-user to use database-connections in tenancy where target.id in ('a', 'b',)`,
  `Allow any-user to use database-connections in tenancy where target.id not in ('a')`,
  `Allow any-user to use database-connections in tenancy where target.id NOT IN ('a')`,
  `Allow any-user to use database-connections in tenancy where target.id between 'a' and 'b'`,
  `Allow any-user to use database-connections in tenancy where any {target.id = 'a'}`,
  `Allow any-user to use database-connections in tenancy where any {}`,
  `Allow any-user to use database-connections in tenancy where any {target.id = 'a',}`,
  `Allow any-user to use database-connections in tenancy where any {target.id = 'a'`,
  `Allow any-user to use database-connections in tenancy where any target.id = 'a'`,
  `Allow any-user to use database-connections in tenancy where all {any {target.id = 'a', request.region = 'iad'}, target.x.y = target.id}`,
  `Allow any-user to use database-connections in tenancy where all {any {all {target.id = 'a'}}}`,
  `Allow any-user to use database-connections in tenancy where any = 'a'`,
  `Allow any-user to use database-connections in tenancy where in = 'a'`,
  `Allow any-user to use database-connections in tenancy where not in ('a')`,
  `Allow any-user to use database-connections in tenancy where target.id = 'a' to`,
  `Allow any-user to use database-connections in tenancy where target.id = 'a' 'b'`,
  `Allow any-user to use database-connections in tenancy where target.id = target.x`,
  `Allow any-user to use database-connections in tenancy where target.id = request.x`,
  `Allow group ‘G’ to use database-connections in tenancy where target.id = ‘a’`,
  `Allow group G\tto\tuse database-connections in tenancy`,
  `Allow group G to use database-connections in tenancy\n`,
  `Allow group Gé to use database-connections in tenancy`,
  `Allow group <group> to use database-connections in tenancy`,
  `Allow group \${g} to use database-connections in tenancy`,
  `Allow group G$x to use database-connections in tenancy`,
  `Deny group G to manage all-resources in tenancy where request.operation = 'x'`,
  `deny any-group to inspect users in tenancy`,
  `ALLOW ANY-USER TO USE DATABASE-CONNECTIONS IN TENANCY`,
  `Endorse group G to manage object-family in any-tenancy`,
  `Allow group G to use database-connections in tenancy;`,
  ``,
  `   `,
  `Allow`,
];

const PIECES = [
  '{', '}', '(', ')', ',', "'", '"', '/', '*', '=', '!=', '!', ' any {', ' ALL {', ' where ', ' in ', ' not in (', '\n', '\u2018', '${', '<', '>',
  ' id ', ':', '::', ' group ', ' dynamic group ', ' to ', ' tenancy ', ' compartment ', ' between ', 'x', ' ', '\t', 'tag.a.b.value', 'request.',
  'target.', 'use', 'in', 'where', 'any-user', 'service', 'instance', 'db_connect', 'ocid1.', '$', 'é', '.', 'id', 'to',
];

function mutate(s: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (s.length + 1));
  switch (Math.floor(rnd() * 6)) {
    case 0:
      return s.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 95)) + s.slice(at + 1);
    case 1: {
      const words = s.split(' ');
      const i = Math.floor(rnd() * words.length);
      words[i] = rnd() < 0.5 ? (words[i] ?? '').toUpperCase() : (words[i] ?? '').toLowerCase();
      return words.join(' ');
    }
    case 2:
      return s.slice(0, at) + (PIECES[Math.floor(rnd() * PIECES.length)] as string) + s.slice(at);
    case 3:
      return s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3));
    case 4: {
      const words = s.split(' ');
      words[Math.floor(rnd() * words.length)] = PIECES[Math.floor(rnd() * PIECES.length)] as string;
      return words.join(' ');
    }
    default:
      return s.slice(0, at);
  }
}

// Pieces of statements, mostly good, for the property below: each piece is
// one of the forms the parser reads cleanly, or now and then one it does not.
const mostly = (good: readonly string[], bad: readonly string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
const caseOf = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
const keyword = (good: readonly string[], bad: readonly string[] = []) => (bad.length > 0 ? mostly(good, bad) : fc.constantFrom(...good)).chain(caseOf);
const space = mostly([' ', ' ', ' ', '  '], ['', '\t']);
const name = mostly(['G', 'DBUsers', 'A-Admins', 'x:y', "'G'", "'a to b'", '"G"', "''", '"a,b"', "'${g}'"], ['id', 'to', 'g$x', '${g}', '<g>', 'Gé', "'G"]);
const ocid = mostly(['ocid1.group.oc1..a', 'OCID1.x', "'ocid1.a'", '"ocid1.b"'], ['ocid1', 'group-ocid', "'ocid1.a,b'", 'ocid1.a,b']);
const ref = fc.oneof(
  fc.tuple(keyword(['id']), space, ocid).map((p) => p.join('')),
  name,
  fc.tuple(name, space, fc.constant('/'), space, name).map((p) => p.join('')),
);
const subject = fc.oneof(
  fc.tuple(keyword(['group', 'dynamic-group'], ['dynamic group']), space, fc.array(ref, { minLength: 1, maxLength: 3 }).map((r) => r.join(', '))).map((p) => p.join('')),
  keyword(['any-user', 'any-group'], ['service objectstorage', 'user bob']),
);
const permission = mostly(['DB_CONNECT', 'SECRET_BUNDLE_READ'], ['db_connect', 'Db_Connect', '']);
const type = mostly(['database-connections', 'DATABASE-CONNECTIONS', 'all-resources', 'autonomous-database-family', 'users'], ['database-connection', 'widgets', 'in', 'where', '']);
const access = fc.oneof(
  fc.tuple(fc.constant('{'), space, fc.array(permission, { minLength: 1, maxLength: 3 }).map((p) => p.join(', ')), space, fc.constant('}'), fc.option(fc.tuple(space, type).map((p) => p.join('')), { nil: '' })).map((p) => p.join('')),
  fc.tuple(keyword(['inspect', 'read', 'use', 'manage'], ['write']), space, type).map((p) => p.join('')),
);
const location = fc.oneof(
  keyword(['tenancy'], ['tenancy acme', 'any-tenancy']),
  fc.tuple(keyword(['compartment']), space, mostly(['Prod', 'A:B:C', "'My Comp'", "'A:B'"], ['A::B', ':A', 'A:', "'A::B'", "''", 'id', 'where'])).map((p) => p.join('')),
  fc.tuple(keyword(['compartment']), space, keyword(['id']), space, ocid).map((p) => p.join('')),
);
const variable = mostly(
  ['target.database.id', 'TARGET.Database.ID', 'request.user.name', 'target.id', 'request.principal.group.tag.ns.k', 'target.resource.tag.Env.Stage', 'request.utc-timestamp.month-of-year', 'request.region'],
  ['request.users.name', 'target.x', 'target.x.', 'target..x', 'request.principal.group.tag.', 'any', 'in', 'not', 'foo'],
);
const value = fc.oneof(mostly(["'a'", '"b"', '/a*/', "'x to y'", "'a,b'"], ["'ocid1.a,b'", "'target.compartment.id'", "'request.x'", "'<x>'", "'${x}'", '/a*', "'a", 'bare', '${x}']), variable);
const leaf = fc.oneof(
  fc.tuple(variable, space, mostly(['=', '!='], ['! =', '>', 'between']), space, value).map((p) => p.join('')),
  fc.tuple(variable, mostly([' in ', ' not in ', ' NOT IN ', ' in'], [' in not ']), fc.constant('('), fc.array(value, { minLength: 1, maxLength: 3 }).map((v) => v.join(', ')), fc.constant(')')).map((p) => p.join('')),
);
const condition: fc.Arbitrary<string> = fc.letrec<{ cond: string }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(keyword(['any', 'all']), space, fc.constant('{'), fc.array(tie('cond'), { minLength: 1, maxLength: 3 }).map((c) => c.join(', ')), fc.constant('}')).map((p) => p.join('')),
  ),
})).cond;
const statement = fc
  .tuple(keyword(['allow', 'deny'], ['endorse']), space, subject, space, keyword(['to']), space, access, space, keyword(['in']), space, location, fc.option(fc.tuple(space, keyword(['where']), space, condition).map((p) => p.join('')), { nil: '' }))
  .map((p) => p.join(''));

describe('the statement skim', () => {
  it('is sure only of statements the parser reads with no diagnostic, with the same effect, subject kind, verb, type and location', () => {
    let sure = 0;
    for (const text of [...STATEMENTS, ...NEAR_MISSES]) if (checkAgreement(text)) sure++;
    // The clean ones among them are recognised (else the property says nothing).
    expect(sure).toBeGreaterThanOrEqual(20);
  });

  it('agrees with the parser on generated statements, good and bad', () => {
    let sure = 0;
    let runs = 0;
    fc.assert(
      fc.property(statement, (text) => {
        runs++;
        if (checkAgreement(text)) sure++;
      }),
      { numRuns: 5000, seed: 2101 },
    );
    expect(sure / runs).toBeGreaterThan(0.03);
  });

  it('agrees with the parser on mutations of the corpus and of the benchmark statements', () => {
    const rnd = seededRandom(77);
    const bench = generateBenchCorpus({ policies: 300, statementsPerPolicy: 10 }).policies.flatMap((p) => p.statements);
    let sure = 0;
    for (const seed of [...STATEMENTS, ...bench]) {
      for (let i = 0; i < 3; i++) if (checkAgreement(mutate(rnd() < 0.3 ? mutate(seed, rnd) : seed, rnd))) sure++;
    }
    expect(sure).toBeGreaterThan(1000);
  });

  it('is sure of every statement of the benchmark corpus, so a compile leaves them unparsed', () => {
    const bench = generateBenchCorpus({ policies: 500, statementsPerPolicy: 10 }).policies.flatMap((p) => p.statements);
    const unsure = bench.filter((text) => !checkAgreement(text));
    expect(unsure).toEqual([]);
  });
});
