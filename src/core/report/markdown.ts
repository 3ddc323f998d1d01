// `--format md`: a report to paste into a ticket (Jira, GitHub, an Oracle SR).
import type { Redactor } from '../redact.js';
import type { RunReport } from '../types.js';
import { MARKERS, finishedScreen, formatDuration } from '../view-model.js';
import { cell, code, fenced, prose } from './markdown-syntax.js';

/** "fail: why", but not "skip: skipped: why". */
function resultText(status: string, summary: string): string {
  if (!summary) return status;
  return status === 'skip' && /^skipped\b/i.test(summary) ? summary : `${status}: ${summary}`;
}

export function renderMarkdown(report: RunReport, redactor: Redactor): string {
  const screen = finishedScreen(report, redactor);
  const out: string[] = [];
  out.push(`# ${screen.tool.name} report`, '');
  out.push(`**${screen.summaryLine}** · ${screen.tool.name} ${screen.tool.version} · started ${report.startedAt}`, '');

  out.push('## Checks', '', '| | Check | Category | Result | Time |', '|---|---|---|---|---|');
  for (const r of screen.rows) {
    const time = r.status === 'skip' || r.durationMs === undefined ? '' : formatDuration(r.durationMs);
    out.push(`| ${MARKERS[r.status]} | ${cell(r.title)} | ${r.category} | ${cell(resultText(r.status, r.summary))} | ${time} |`);
  }
  out.push('');

  if (screen.header.length > 0) {
    out.push('## Environment', '', '| | |', '|---|---|');
    for (const h of screen.header) out.push(`| ${cell(h.label)} | ${cell(h.value)} |`);
    out.push('');
  }

  out.push('## Problems', '');
  if (screen.panels.length === 0) out.push('None: every check that ran passed.', '');
  for (const p of screen.panels) {
    out.push(`### ${MARKERS[p.status]} ${prose(p.title)}`, '');
    out.push(`${p.status.toUpperCase()} · ${code(p.code)} · check: ${prose(p.checkTitle)}`, '');
    if (p.detail) out.push(prose(p.detail), '');
    if (p.fixText || p.commands.length > 0) {
      out.push(`**Fix:** ${prose(p.fixText)}`, '');
      if (p.commands.length > 0) out.push(fenced(p.commands), '');
    }
    if (p.evidence.length > 0) {
      out.push('<details><summary>Evidence</summary>', '', '| | |', '|---|---|');
      for (const e of p.evidence) out.push(`| ${cell(e.label)} | ${cell(e.value)} |`);
      out.push('', '</details>', '');
    }
  }
  const infos = report.checks.flatMap((c) => c.findings.filter((f) => f.severity === 'info' && Object.keys(f.evidence).length > 0).map((f) => ({ check: c.title, f })));
  if (infos.length > 0) {
    out.push('## Evidence', '');
    for (const { check, f } of infos) {
      out.push(`<details><summary>${prose(redactor.redact(f.title))} (${prose(check)})</summary>`, '', '| | |', '|---|---|');
      for (const [k, v] of Object.entries(f.evidence)) out.push(`| ${cell(redactor.redact(k))} | ${cell(redactor.redact(v))} |`);
      out.push('', '</details>', '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
