// `--format md`: a report to paste into a ticket (Jira, GitHub, an Oracle SR).
import type { Redactor } from '../redact.js';
import type { RunReport } from '../types.js';
import { MARKERS, finishedScreen, formatDuration, type Panel } from '../view-model.js';
import { cell, code, fenced, prose } from './markdown-syntax.js';
import { visibleLine } from './sanitize.js';
import { shortFix, verdictOf } from './verdict.js';

/** "fail: why", but not "skip: skipped: why". */
function resultText(status: string, summary: string): string {
  if (!summary) return status;
  return status === 'skip' && /^skipped\b/i.test(summary) ? summary : `${status}: ${summary}`;
}

/**
 * The published URL of docs/findings.md, to link each code to its entry. The
 * repository's docs have no published address yet (package.json names no
 * repository), so codes are written alone; set this when they do.
 */
const FINDINGS_DOC_URL: string | undefined = undefined;

/** A finding code, linked to its entry in docs/findings.md when that page has a published URL. */
function codeRef(findingCode: string): string {
  if (!FINDINGS_DOC_URL) return code(findingCode);
  return `[${code(findingCode)}](${FINDINGS_DOC_URL}#${findingCode.replace(/[^a-z0-9-]/gi, '').toLowerCase()})`;
}

/** Key/value pairs as a two-column table whose header names its columns (no empty header row). */
function pairsTable(first: string, pairs: { label: string; value: string }[]): string[] {
  return [`| ${first} | Value |`, '|---|---|', ...pairs.map((e) => `| ${cell(e.label)} | ${cell(e.value)} |`)];
}

export function renderMarkdown(report: RunReport, redactor: Redactor): string {
  const screen = finishedScreen(report, redactor);
  const verdict = verdictOf(report.checks, report.interrupted === true);
  const safe = (text: string): string => prose(visibleLine(redactor.redact(text)));
  const out: string[] = [];
  out.push(`# ${screen.tool.name} report`, '');
  // The verdict first: a ticket's reader may read nothing else.
  const v = verdict.problem;
  // The command as prose (escaped), not a code span: it is quoted whole in its fenced block under Problems.
  const cause = verdict.likelyCause;
  const step = cause?.command ? `${safe(cause.command)} (fix of ${codeRef(cause.code)}, also found in this run)` : v ? safe(v.command ?? shortFix(v.fix)) : '';
  const verdictLine = v ? `${v.severity === 'warn' ? '⚠' : '✖'} ${safe(v.title)} · ${codeRef(v.code)}${step ? ` → ${step}` : ''}` : safe(verdict.line);
  out.push(`**Verdict:** ${verdictLine}`, '');
  if (verdict.note) out.push(`> ${safe(verdict.note)}`, '');
  out.push(`${screen.summaryLine} · ${screen.tool.name} ${screen.tool.version} · started ${report.startedAt}`, '');

  const problems = screen.panels.filter((p) => p.status !== 'pass');
  const confirmations = screen.panels.filter((p) => p.status === 'pass');
  if (problems.length > 0) {
    out.push('## Problems', '');
    for (const p of problems) panel(out, p);
  }
  if (confirmations.length > 0) {
    out.push('## Confirmed', '');
    for (const p of confirmations) panel(out, p);
  }

  if (screen.header.length > 0) {
    out.push('## Environment', '', ...pairsTable('Setting', screen.header), '');
  }

  out.push(`<details><summary>Checks (${screen.rows.length})</summary>`, '', '| | Check | Category | Result | Time |', '|---|---|---|---|---|');
  for (const r of screen.rows) {
    const time = r.status === 'skip' || r.durationMs === undefined ? '' : formatDuration(r.durationMs);
    out.push(`| ${MARKERS[r.status]} | ${cell(r.title)} | ${r.category} | ${cell(resultText(r.status, r.summary))} | ${time} |`);
  }
  out.push('', '</details>', '');

  const infos = report.checks.flatMap((c) => c.findings.filter((f) => f.severity === 'info' && !f.highlight && Object.keys(f.evidence).length > 0).map((f) => ({ check: c.title, f })));
  if (infos.length > 0) {
    out.push('## Evidence', '');
    for (const { check, f } of infos) {
      const pairs = Object.entries(f.evidence).map(([k, v]) => ({ label: redactor.redact(k), value: redactor.redact(v) }));
      out.push(`<details><summary>${prose(redactor.redact(f.title))} (${prose(check)})</summary>`, '', ...pairsTable('Evidence', pairs), '', '</details>', '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function panel(out: string[], p: Panel): void {
  out.push(`### ${MARKERS[p.status]} ${prose(p.title)}`, '');
  out.push(`${p.status.toUpperCase()} · ${codeRef(p.code)} · check: ${prose(p.checkTitle)}`, '');
  if (p.detail) out.push(prose(p.detail), '');
  if (p.fixText || p.commands.length > 0) {
    out.push(`**Fix:** ${prose(p.fixText)}`, '');
    if (p.commands.length > 0) out.push(fenced(p.commands), '');
  }
  if (p.inspect.length > 0) out.push(`**To look** (changes nothing):`, '', fenced(p.inspect), '');
  if (p.evidence.length > 0) {
    out.push('<details><summary>Evidence</summary>', '', ...pairsTable('Evidence', p.evidence), '', '</details>', '');
  }
}
