// Compiling many statements shares the parts they repeat (ParseCache) and
// reuses a where clause seen before without parsing it. A statement must mean
// the same, with the same diagnostics, as when it is parsed on its own.
import { describe, expect, it } from 'vitest';
import { generateBenchCorpus, parseStatement } from '../../../src/core/policy/index.js';
import { ParseCache } from '../../../src/core/policy/intern.js';
import { STATEMENTS } from './corpus.js';

/** Odd statements: quotes, keywords as names, odd spacing and case, lint warnings, errors. */
const TRICKY = [
  `Allow group 'a to b'/'where x' to use database-connections in tenancy`,
  `Allow group 'a to b'/'where x' to use database-connections in tenancy where target.database.id = 'x to y'`,
  `Allow group id to to use database-connections in tenancy`,
  `Allow group to to use database-connections in tenancy`,
  `Allow group G TO use database-connections in tenancy`,
  `Allow group G to use database-connections in compartment where`,
  `Allow group G to use database-connections in compartment 'where' where target.id = 'a'`,
  `Allow group G to use database-connections in compartment Where where target.id = 'a'`,
  `Allow group G to use database-connections in tenancy where`,
  `Allow group G to use database-connections in tenancy  where  target.id = 'a'  `,
  `Allow group G to use database-connections in tenancy WHERE target.id = 'a'`,
  `Allow group G to use database-connection in tenancy where target.id = 'a'`,
  `Allow group G to use database-connections where target.id = 'a'`,
  `Allow group G to use database-connections in tenancy other where target.id = 'a'`,
  `Allow group 'G to use database-connections in tenancy`,
  `Allow group G to {DB_CONNECT} in tenancy where target.id = 'a'`,
  `Allow group G to {db_connect} in tenancy where target.id = 'a'`,
  `Allow group G, id to to use database-connections in tenancy`,
  `Allow dynamic group G to use database-connections in tenancy`,
  `Allow group ‘G’ to use database-connections in tenancy where target.id = ‘a’`,
  `Allow group G\tto\tuse database-connections in tenancy\twhere\ttarget.id = 'a'`,
  `Allow group G to use database-connections in compartment A::B`,
  `Allow group G to use database-connections in compartment A:B where target.id = 'a'`,
  `Allow group <group> to use database-connections in tenancy`,
  `Allow group G to use database-connections in tenancy where target.id = 'a' to`,
];

/**
 * The parse without the offsets inside a where clause: a shared clause keeps
 * those of the statement that first wrote it (diagnostics keep their own).
 */
function meaning(parsed: unknown): unknown {
  return JSON.parse(JSON.stringify(parsed, (key, value: unknown) => (key === 'start' || key === 'end' ? undefined : value)));
}

describe('compiling with a shared ParseCache', () => {
  it('gives every statement the same meaning and diagnostics as parsing it alone, in any order and repeated', () => {
    const bench = generateBenchCorpus({ policies: 300, statementsPerPolicy: 10 }).policies.flatMap((p) => p.statements);
    const texts = [...STATEMENTS, ...TRICKY, ...bench];
    // Twice over and reversed: each part is met first as new, then as seen before.
    const order = [...texts, ...texts.slice().reverse(), ...texts];
    const cache = new ParseCache();
    for (const text of order) {
      const shared = parseStatement(text, cache);
      const single = parseStatement(text);
      expect(meaning(shared), text).toEqual(meaning(single));
      expect(shared.diagnostics, text).toEqual(single.diagnostics);
    }
  });

  it('shares one object for the parts statements write the same way', () => {
    const cache = new ParseCache();
    const a = parseStatement(`Allow group G to use database-connections in compartment A:B where target.id = 'x'`, cache).statement;
    const b = parseStatement(`Allow group G to use database-connections in compartment A:B where target.id = 'x'`, cache).statement;
    expect(a).toEqual(b);
    expect(b?.subject).toBe(a?.subject);
    expect(b?.access).toBe(a?.access);
    expect(b?.location).toBe(a?.location);
    expect(b?.where).toBe(a?.where);
  });
});
