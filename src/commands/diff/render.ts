// The three faces of a report diff: plain lines, Markdown for a ticket, JSON.
import { cell, code, prose } from '../../core/report/markdown-syntax.js';
import type { LinkDiff, LinkSide, ReportDiff, RunMeta } from '../../core/report/compare.js';

function run(m: RunMeta): string {
  const counts = (['pass', 'warn', 'fail', 'error', 'skip'] as const).filter((s) => m.summary[s] > 0).map((s) => `${m.summary[s]} ${s}`);
  return `${m.source}${m.version ? ` (doctor ${m.version}` : ' ('}${m.startedAt ? `${m.version ? ', ' : ''}${m.startedAt}` : ''})${m.interrupted ? ' interrupted' : ''}: ${counts.join(', ') || 'no checks'}`;
}

function status(s: LinkSide): string {
  return `${s.status}${s.problems.length ? ` ${s.problems.join(', ')}` : ''}`;
}

function outcome(d: ReportDiff): string {
  if (!d.verdict) return d.links.some((l) => l.changed) ? 'No link breaks in one run and holds in the other.' : 'The runs agree on every link they share.';
  return d.verdict.sentence;
}

function direction(d: ReportDiff): string {
  return d.direction === 'worse' ? 'B is worse than A (exit 1).' : d.direction === 'better' ? 'B is better than A.' : 'Neither run is worse.';
}

const changed = (d: ReportDiff): LinkDiff[] => d.links.filter((l) => l.changed);

export function renderDiffText(d: ReportDiff): string {
  const out = ['dbiam-doctor diff', `  A: ${run(d.a)}`, `  B: ${run(d.b)}`, '', `Verdict: ${outcome(d)}`, direction(d), ''];
  const links = changed(d);
  out.push(links.length ? 'Links that changed (chain order):' : 'No link changed status.');
  const width = Math.max(0, ...links.map((l) => l.id.length));
  for (const l of links) out.push(`${d.verdict?.link.id === l.id ? '→ ' : '  '}${l.id.padEnd(width)}  ${status(l.a)} → ${status(l.b)}`);
  const facts = d.facts.filter((f) => !f.same);
  out.push('', facts.length ? 'Facts that differ:' : 'No recorded fact differs.');
  for (const f of facts) out.push(`  ${f.name}:`, `    A: ${f.a ?? '(not recorded)'}`, `    B: ${f.b ?? '(not recorded)'}`);
  const same = d.facts.filter((f) => f.same).map((f) => f.name);
  if (same.length) out.push('', `Same in both: ${same.join(', ')}.`);
  if (d.notCompared.length) out.push('', 'Not compared:', ...d.notCompared.map((n) => `  - ${n}`));
  return `${out.join('\n')}\n`;
}

export function renderDiffMarkdown(d: ReportDiff): string {
  const out = ['## dbiam-doctor diff', '', `- **A**: ${prose(run(d.a))}`, `- **B**: ${prose(run(d.b))}`, '', `**Verdict**: ${prose(outcome(d))} ${direction(d)}`, ''];
  const links = changed(d);
  if (links.length) {
    out.push('| link | A | B |', '| --- | --- | --- |');
    for (const l of links) out.push(`| ${d.verdict?.link.id === l.id ? '**→** ' : ''}${code(l.id)} ${cell(l.title)} | ${cell(status(l.a))} | ${cell(status(l.b))} |`);
    out.push('');
  }
  const facts = d.facts.filter((f) => !f.same);
  if (facts.length) {
    out.push('| fact | A | B |', '| --- | --- | --- |');
    for (const f of facts) out.push(`| ${cell(f.name)} | ${cell(f.a ?? '(not recorded)')} | ${cell(f.b ?? '(not recorded)')} |`);
    out.push('');
  }
  const same = d.facts.filter((f) => f.same).map((f) => f.name);
  if (same.length) out.push(`Same in both: ${prose(same.join(', '))}.`, '');
  if (d.notCompared.length) out.push('**Not compared**', '', ...d.notCompared.map((n) => `- ${prose(n)}`), '');
  return `${out.join('\n')}`;
}

export function renderDiffJson(d: ReportDiff): string {
  const doc = {
    a: d.a,
    b: d.b,
    verdict: d.verdict ? { link: d.verdict.link.id, title: d.verdict.link.title, category: d.verdict.link.category, worse: d.verdict.worse, a: d.verdict.link.a, b: d.verdict.link.b, sentence: d.verdict.sentence } : null,
    direction: d.direction,
    secondWorse: d.secondWorse,
    links: d.links,
    facts: d.facts,
    notCompared: d.notCompared,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
