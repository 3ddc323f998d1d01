// Two runs of the doctor, link by link: a working host against a broken one,
// or before against after a change. The verdict is the first link of the
// chain (in the reports' check order) where the runs' outcomes part: that is
// where the broken run departs, and everything after it may only follow
// from it. Only what both reports contain is compared; the rest is listed.
import type { Status } from '../types.js';
import { factsOf } from './facts.js';
import type { ParsedCheck, ParsedReport } from './parse.js';

/** How broken a status is. A skip is not a failure: it says the check did not apply or did not run. */
export function rankOf(status: Status): number {
  return status === 'fail' || status === 'error' ? 2 : status === 'warn' ? 1 : 0;
}

export interface LinkSide {
  status: Status;
  summary: string;
  /** Codes of the findings that are problems (warn and worse). */
  problems: string[];
}

export interface LinkDiff {
  id: string;
  title: string;
  category: string;
  a: LinkSide;
  b: LinkSide;
  /** Status or problem codes differ. */
  changed: boolean;
  /** The outcome differs: one run is worse here, or both are broken for different reasons. */
  departs: boolean;
}

export interface FactDiff {
  name: string;
  a?: string;
  b?: string;
  same: boolean;
}

export interface Verdict {
  link: LinkDiff;
  /** Which run is worse at this link ('neither': both broken, for different reasons). */
  worse: 'a' | 'b' | 'neither';
  sentence: string;
}

export interface RunMeta {
  source: string;
  version?: string;
  startedAt?: string;
  summary: Record<Status, number>;
  interrupted: boolean;
}

export interface ReportDiff {
  a: RunMeta;
  b: RunMeta;
  verdict?: Verdict;
  /** Compared links, in chain order. */
  links: LinkDiff[];
  /** Facts both runs recorded or could have. */
  facts: FactDiff[];
  /** What could not be compared, and why. */
  notCompared: string[];
  /** Whether the second run is worse than the first (exit 1). */
  secondWorse: boolean;
  /** How the second run compares: 'worse', 'better' or 'same'. */
  direction: 'worse' | 'better' | 'same';
}

function side(c: ParsedCheck): LinkSide {
  return { status: c.status, summary: c.summary, problems: c.findings.filter((f) => f.severity !== 'info').map((f) => f.code) };
}

function meta(r: ParsedReport): RunMeta {
  const summary: Record<Status, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of r.checks) summary[c.status]++;
  return { source: r.source, ...(r.version ? { version: r.version } : {}), ...(r.startedAt ? { startedAt: r.startedAt } : {}), summary, interrupted: r.interrupted };
}

function label(r: ParsedReport, which: 'A' | 'B'): string {
  return `${which} (${r.source}${r.host ? `, host ${r.host}` : ''}${r.version ? `, doctor ${r.version}` : ''}${r.nodeOracledb ? `, node-oracledb ${r.nodeOracledb}` : ''})`;
}

export function compareReports(a: ParsedReport, b: ParsedReport): ReportDiff {
  const byIdB = new Map(b.checks.map((c) => [c.id, c]));
  const byIdA = new Map(a.checks.map((c) => [c.id, c]));
  const notCompared: string[] = [];
  const links: LinkDiff[] = [];
  for (const ca of a.checks) {
    const cb = byIdB.get(ca.id);
    if (!cb) {
      notCompared.push(`check ${ca.id} (${ca.title}): only in ${label(a, 'A')}`);
      continue;
    }
    const sa = side(ca);
    const sb = side(cb);
    const sameProblems = sa.problems.join(',') === sb.problems.join(',');
    const changed = sa.status !== sb.status || !sameProblems;
    const departs = rankOf(sa.status) !== rankOf(sb.status) || (rankOf(sa.status) > 0 && !sameProblems);
    links.push({ id: ca.id, title: ca.title, category: ca.category, a: sa, b: sb, changed, departs });
  }
  for (const cb of b.checks) if (!byIdA.has(cb.id)) notCompared.push(`check ${cb.id} (${cb.title}): only in ${label(b, 'B')}`);
  if (a.interrupted) notCompared.push(`${label(a, 'A')} was interrupted: checks it did not finish are not evidence`);
  if (b.interrupted) notCompared.push(`${label(b, 'B')} was interrupted: checks it did not finish are not evidence`);

  const factsA = factsOf(a);
  const factsB = factsOf(b);
  const facts: FactDiff[] = [];
  factsA.forEach((fa, i) => {
    const fb = factsB[i];
    if (!fb) return;
    if (!fa.available || !fb.available) {
      if (fa.available || fb.available) notCompared.push(`${fa.name}: not recorded by ${fa.available ? label(b, 'B') : label(a, 'A')}`);
      return;
    }
    if (fa.value === undefined && fb.value === undefined) return;
    facts.push({ name: fa.name, ...(fa.value !== undefined ? { a: fa.value } : {}), ...(fb.value !== undefined ? { b: fb.value } : {}), same: fa.value === fb.value });
  });

  const first = links.find((l) => l.departs);
  let verdict: Verdict | undefined;
  if (first) {
    const ra = rankOf(first.a.status);
    const rb = rankOf(first.b.status);
    const worse = rb > ra ? 'b' : ra > rb ? 'a' : 'neither';
    const what = (s: LinkSide): string => `${s.status}${s.problems.length ? ` (${s.problems.join(', ')})` : ''}`;
    const sentence =
      worse === 'neither'
        ? `Both runs break at ${first.id} (${first.title}), for different reasons: A ${what(first.a)}, B ${what(first.b)}.`
        : `${worse === 'b' ? 'B' : 'A'} departs from ${worse === 'b' ? 'A' : 'B'} at ${first.id} (${first.title}): ${what(first.a)} in A, ${what(first.b)} in B.`;
    verdict = { link: first, worse, sentence };
  }

  // The chain decides: a run broken earlier is worse. When both break at the
  // same link, the one with more broken links is worse.
  let direction: ReportDiff['direction'] = 'same';
  if (verdict?.worse === 'b') direction = 'worse';
  else if (verdict?.worse === 'a') direction = 'better';
  else if (verdict) {
    const broken = (s: 'a' | 'b'): number => links.filter((l) => rankOf(l[s].status) === 2).length;
    direction = broken('b') > broken('a') ? 'worse' : broken('b') < broken('a') ? 'better' : 'same';
  }
  return { a: meta(a), b: meta(b), ...(verdict ? { verdict } : {}), links, facts, notCompared, secondWorse: direction === 'worse', direction };
}
