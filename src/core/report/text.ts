// Plain lines for pipes, CI logs and `--format text`: no colour, no cursor codes.
import type { Redactor } from '../redact.js';
import type { RunReport } from '../types.js';
import { MARKERS, finishedScreen, formatDuration, type CheckRow, type EvidenceLine, type Panel } from '../view-model.js';
import { visibleLine } from './sanitize.js';
import { shortFix, verdictOf, type Problem, type Verdict } from './verdict.js';

/** The width of text for a pipe, a file or a CI log; a terminal gives its own. */
export const PIPE_WIDTH = 100;

/** Introduces the commands that only look, so that nobody runs them as the fix. */
export const LOOK_LABEL = 'to look (changes nothing):';

/** A command line in a panel: never wrapped, so it copies whole. */
const COMMAND_LINE = /^\s*\$ /;

/**
 * One line folded at spaces to `width` columns; the continuation lines keep
 * its indentation plus two. A word longer than the width stays whole (a path
 * or an OCID cut in two cannot be searched for), and commands are never folded.
 */
export function wrapLine(line: string, width: number): string {
  if (line.length <= width || COMMAND_LINE.test(line)) return line;
  const indent = ' '.repeat((/^\s*/.exec(line)?.[0].length ?? 0) + 2);
  const out: string[] = [];
  let current = '';
  for (const word of line.split(/(?<=\S) (?=\S)/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && candidate.length > width) {
      out.push(current);
      current = `${indent}${word.trimStart()}`;
    } else current = candidate;
  }
  out.push(current);
  return out.join('\n');
}

/** Every line of a block folded to the width. */
export function wrapText(text: string, width: number): string {
  return text.split('\n').map((l) => wrapLine(l, width)).join('\n');
}

/** The header's facts on one line (folded to the width): `profile: DEFAULT · auth: … · region: …`. */
function headerFacts(header: EvidenceLine[], width: number): string {
  return wrapLine(header.map((h) => `${h.label}: ${h.value}`).join(' · '), width);
}

export function textHeader(tool: { name: string; version: string }, header: EvidenceLine[], width = PIPE_WIDTH): string {
  const facts = headerFacts(header, width);
  return `${tool.name} ${tool.version}${facts ? `\n${facts}` : ''}\n`;
}

/**
 * Streamed text prints its header before any check ran, when the auth mode,
 * the region and the address are not known yet: once the run resolved them,
 * this line says what they turned out to be (nothing when they did not change).
 */
export function textResolvedHeader(before: EvidenceLine[], after: EvidenceLine[], width = PIPE_WIDTH): string {
  const same = before.length === after.length && before.every((b, i) => b.label === after[i]?.label && b.value === after[i]?.value);
  return same || after.length === 0 ? '' : `\n${wrapLine(`Resolved: ${after.map((h) => `${h.label}: ${h.value}`).join(' · ')}`, width)}\n`;
}

export function textRow(row: CheckRow, width = PIPE_WIDTH): string {
  const time = row.durationMs !== undefined && row.status !== 'skip' ? ` (${formatDuration(row.durationMs)})` : '';
  const label = row.status === 'error' ? ' [error]' : '';
  return wrapLine(`${MARKERS[row.status]} ${row.title}${label}${row.summary ? ` — ${row.summary}` : ''}${time}`, width);
}

/** The verdict and, when the identity query went through while a link is broken, why that is not the whole story. */
export function textVerdict(verdict: Verdict, width = PIPE_WIDTH): string {
  const v = verdict.problem;
  // The command goes on a line of its own so that it is never folded.
  const head = v ? `${v.severity === 'warn' ? '⚠' : '✖'} ${v.title} [${v.code}]` : verdict.line;
  const lines = [wrapLine(`Verdict: ${head}`, width)];
  const cause = verdict.likelyCause;
  if (cause?.command) lines.push(wrapLine(`  → the fix of ${cause.code}, which this run also found:`, width), `    $ ${cause.command}`);
  else if (v?.command) lines.push(`    $ ${v.command}`);
  else if (v?.fix) lines.push(wrapLine(`  → ${shortFix(v.fix)}`, width));
  if (verdict.note) lines.push(wrapLine(`  ${verdict.note}`, width));
  return lines.join('\n');
}

export function textPanel(p: Panel, width = PIPE_WIDTH): string {
  const lines = [`${MARKERS[p.status]} ${p.status.toUpperCase()}: ${p.title}`, `  code: ${p.code} (check: ${p.checkTitle})`];
  if (p.detail) lines.push(...p.detail.split('\n').map((l) => `  ${l}`));
  if (p.evidence.length > 0) {
    lines.push('  evidence:');
    for (const e of p.evidence) lines.push(`    ${e.label}: ${e.value}`);
  }
  if (p.fixText) lines.push(`  fix: ${p.fixText}`);
  for (const c of p.commands) lines.push(`    $ ${c}`);
  if (p.inspect.length > 0) lines.push(`  ${LOOK_LABEL}`, ...p.inspect.map((c) => `    $ ${c}`));
  return wrapText(lines.join('\n'), width);
}

/** Everything after the checklist: summary line, then one block per problem. */
export function textFooter(summaryLine: string, panels: Panel[], width = PIPE_WIDTH, verdict?: Verdict): string {
  const parts = [`\n${wrapLine(summaryLine, width)}`];
  for (const p of panels) parts.push(`\n${textPanel(p, width)}`);
  // Last, so that it is what the terminal shows when the run ends.
  if (verdict) parts.push(`\n${textVerdict(verdict, width)}`);
  return `${parts.join('\n')}\n`;
}

/** The verdict of a run with its strings redacted and made inert, for the text outputs. */
export function visibleVerdict(verdict: Verdict, redactor: Redactor): Verdict {
  const l = (t: string): string => visibleLine(redactor.redact(t));
  const shown = (p: Problem): Problem => ({ ...p, title: l(p.title), fix: l(p.fix.split('\n')[0] ?? ''), checkTitle: l(p.checkTitle), ...(p.command ? { command: l(p.command) } : {}) });
  return {
    ...verdict,
    line: l(verdict.line),
    ...(verdict.problem ? { problem: shown(verdict.problem) } : {}),
    ...(verdict.likelyCause ? { likelyCause: shown(verdict.likelyCause) } : {}),
    ...(verdict.identityPath ? { identityPath: l(verdict.identityPath) } : {}),
    ...(verdict.note ? { note: l(verdict.note) } : {}),
  };
}

export function renderText(report: RunReport, redactor: Redactor, width = PIPE_WIDTH): string {
  const screen = finishedScreen(report, redactor);
  const verdict = visibleVerdict(verdictOf(report.checks, report.interrupted === true), redactor);
  const rows = screen.rows.map((r) => textRow(r, width)).join('\n');
  return `${textHeader(screen.tool, screen.header, width)}\n${rows}\n${textFooter(screen.summaryLine ?? '', screen.panels, width, verdict)}`;
}
