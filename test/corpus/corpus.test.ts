// The explainer against the corpus of real pasted errors (npm run corpus
// prints the full table). Expected codes are the corpus files' own, written by
// hand from each thread; this only holds the explainer to the committed figure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCodes } from '../../src/checks/catalogue.js';
import { catalogueSpecs, loadCorpus, rightRate, scoreEntry, tally } from './score.js';

const figure = JSON.parse(readFileSync(new URL('./figure.json', import.meta.url), 'utf8')) as { minRightRate: number };
const corpus = loadCorpus();
const specs = catalogueSpecs();
const scored = corpus.map((e) => scoreEntry(e, specs));

describe('the corpus of real pasted errors', () => {
  it('is well formed: unique ids, a public source, expected codes that exist, or unresolved', () => {
    const codes = new Set(allCodes().map((e) => e.spec.code));
    const ids = new Set<string>();
    for (const e of corpus) {
      expect(ids.has(e.id), e.id).toBe(false);
      ids.add(e.id);
      expect(e.source, e.id).toMatch(/^https:\/\//);
      expect(e.text.trim().length, e.id).toBeGreaterThan(10);
      expect(e.cause.length, e.id).toBeGreaterThan(20);
      expect(Boolean(e.unresolved) !== Boolean(e.expect?.length), `${e.id}: either expected codes or unresolved`).toBe(true);
      for (const c of e.expect ?? []) expect(codes, `${e.id} expects ${c}`).toContain(c);
    }
  });

  it(`names the cause the thread found for at least ${figure.minRightRate} % of the resolved errors`, () => {
    const t = tally(scored);
    const misses = scored.filter((s) => s.verdict !== 'right' && s.verdict !== 'held-back').map((s) => `${s.entry.id}: ${s.verdict}, answered ${s.answered}`);
    expect(rightRate(t), misses.join('\n')).toBeGreaterThanOrEqual(figure.minRightRate);
  });

  it('answers no unresolved error with confidence', () => {
    const confident = scored.filter((s) => s.verdict === 'confident-on-unresolved').map((s) => `${s.entry.id}: ${s.answered}`);
    expect(confident).toEqual([]);
  });
});
