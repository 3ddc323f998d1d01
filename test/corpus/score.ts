// Scores the explainer against the corpus of real pasted errors: right,
// partly right, wrong or unrecognised, per client and per chain link. The
// expected codes come from the corpus files (written by hand from each
// thread); nothing here decides what is right except comparing with them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCodes } from '../../src/checks/catalogue.js';
import { EXPLAIN_UNKNOWN_ERROR, explainError, type Explanation } from '../../src/core/explain/index.js';
import type { FindingSpec } from '../../src/core/types.js';

export interface CorpusEntry {
  id: string;
  source: string;
  client: string;
  link: string;
  text: string;
  cause: string;
  fix: string;
  expect?: string[];
  unresolved?: boolean;
  see?: string[];
}

export type Verdict = 'right' | 'partly' | 'wrong' | 'unrecognised' | 'held-back' | 'confident-on-unresolved';

export interface Scored {
  entry: CorpusEntry;
  verdict: Verdict;
  /** The code the explainer led with (or explain.unknown-error). */
  answered: string;
}

export const CORPUS_DIR = fileURLToPath(new URL('./errors/', import.meta.url));

export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { entries: CorpusEntry[] }).entries);
}

export function catalogueSpecs(): ReadonlyMap<string, FindingSpec> {
  return new Map(allCodes().map((e) => [e.spec.code, e.spec]));
}

const known = (e: Explanation): boolean => e.code !== EXPLAIN_UNKNOWN_ERROR.code;

/**
 * right: the explainer leads with an expected code; partly: an expected code
 * is among the ranked causes or related codes; wrong: it answers something
 * else; unrecognised: it answers nothing. An unresolved case passes only when
 * no answer is given with confidence.
 */
export function scoreEntry(entry: CorpusEntry, specs: ReadonlyMap<string, FindingSpec>): Scored {
  const explanations = explainError(entry.text, { specs });
  const lead = explanations.find(known);
  const answered = lead?.code ?? EXPLAIN_UNKNOWN_ERROR.code;
  if (entry.unresolved) {
    const confident = explanations.some((e) => known(e) && e.confidence === 'certain');
    return { entry, verdict: confident ? 'confident-on-unresolved' : 'held-back', answered };
  }
  const expect = new Set(entry.expect ?? []);
  if (!lead) return { entry, verdict: 'unrecognised', answered };
  if (expect.has(lead.code)) return { entry, verdict: 'right', answered };
  const offered = explanations.filter(known).flatMap((e) => [e.code, ...e.causes.map((c) => c.code), ...e.related]);
  return { entry, verdict: offered.some((c) => expect.has(c)) ? 'partly' : 'wrong', answered };
}

export interface Tally {
  right: number;
  partly: number;
  wrong: number;
  unrecognised: number;
  unresolved: number;
  confidentOnUnresolved: number;
}

export function tally(scored: readonly Scored[]): Tally {
  const t: Tally = { right: 0, partly: 0, wrong: 0, unrecognised: 0, unresolved: 0, confidentOnUnresolved: 0 };
  for (const s of scored) {
    if (s.verdict === 'right') t.right++;
    else if (s.verdict === 'partly') t.partly++;
    else if (s.verdict === 'wrong') t.wrong++;
    else if (s.verdict === 'unrecognised') t.unrecognised++;
    else {
      t.unresolved++;
      if (s.verdict === 'confident-on-unresolved') t.confidentOnUnresolved++;
    }
  }
  return t;
}

/** Right answers among the resolved cases, as a percentage with one decimal. */
export function rightRate(t: Tally): number {
  const resolved = t.right + t.partly + t.wrong + t.unrecognised;
  return resolved === 0 ? 0 : Math.round((t.right / resolved) * 1000) / 10;
}

export function groupBy(scored: readonly Scored[], key: 'client' | 'link'): Map<string, Tally> {
  const groups = new Map<string, Scored[]>();
  for (const s of scored) groups.set(s.entry[key], [...(groups.get(s.entry[key]) ?? []), s]);
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, tally(v)]));
}

function row(name: string, t: Tally): string {
  const cells = [t.right, t.partly, t.wrong, t.unrecognised, `${t.unresolved - t.confidentOnUnresolved}/${t.unresolved}`].map((c) => String(c).padStart(7));
  return `${name.padEnd(24)}${cells.join('')}${`${rightRate(t)} %`.padStart(9)}`;
}

/** The report `npm run corpus` prints. */
export function renderReport(scored: readonly Scored[]): string {
  const head = `${''.padEnd(24)}${['right', 'partly', 'wrong', 'unrec.', 'held'].map((h) => h.padStart(7)).join('')}${'right %'.padStart(9)}`;
  const out = [`Corpus: ${scored.length} real errors (${tally(scored).unresolved} unresolved; "held" = unresolved answered without confidence)`, ''];
  for (const key of ['client', 'link'] as const) {
    out.push(`by ${key}`, head);
    for (const [name, t] of groupBy(scored, key)) out.push(row(name, t));
    out.push('');
  }
  out.push(row('all', tally(scored)), '');
  const misses = scored.filter((s) => s.verdict !== 'right' && s.verdict !== 'held-back');
  if (misses.length > 0) {
    out.push('not right:');
    for (const s of misses) out.push(`  ${s.verdict.padEnd(24)} ${s.entry.id}: answered ${s.answered}, expected ${s.entry.expect?.join(' | ') ?? '(no confident answer)'}`);
  }
  return `${out.join('\n')}\n`;
}
