// One copy of each part that many statements share. A tenancy repeats the
// same subjects, verbs, types, locations and where clauses across thousands
// of statements; compiling them shares one object per distinct text, so a
// compiled statement costs a few pointers instead of its own tree (1M
// statements fit in memory). Parts are keyed by the exact text they were
// parsed from, so sharing never changes what a statement means; the shared
// objects are never mutated after parsing. Offsets inside a shared where
// clause (start, end) are those of the statement that first wrote it: nothing
// reads them after parsing, and diagnostics carry their own.
import type { Access, Condition, LeafCondition, Location, PrincipalRef, Subject, Verb } from './types.js';

export class ParseCache {
  readonly subjects = new Map<string, Subject>();
  /** Groups and dynamic groups as written (`'Dom'/'G'`, `id ocid1…`). */
  readonly refs = new Map<string, PrincipalRef>();
  readonly permissions = new Map<string, Access>();
  readonly types = new Map<string, string>();
  readonly locationsById = new Map<string, Location>();
  readonly locationsByPath = new Map<string, Location>();
  /** Where clauses that parsed with no diagnostic at all, keyed by their text. */
  readonly wheres = new Map<string, Condition>();
  readonly leaves = new Map<string, LeafCondition>();
  private readonly verbs = new Map<Verb, Access>();
  /** Scratch: start and end of each group reference in the subject being parsed. */
  readonly refSpans: number[] = [];

  verb(verb: Verb): Access {
    let a = this.verbs.get(verb);
    if (!a) this.verbs.set(verb, (a = { kind: 'verb', verb }));
    return a;
  }

  /** The first value stored under `key`, else `value` (stored). */
  static share<T>(map: Map<string, T>, key: string, value: T): T {
    const known = map.get(key);
    if (known !== undefined) return known;
    map.set(key, value);
    return value;
  }
}
