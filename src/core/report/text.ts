// Plain lines for pipes, CI logs and `--format text`: no colour, no cursor codes.
import type { Redactor } from '../redact.js';
import type { RunReport } from '../types.js';
import { MARKERS, finishedScreen, formatDuration, type CheckRow, type EvidenceLine, type Panel } from '../view-model.js';

export function textHeader(tool: { name: string; version: string }, header: EvidenceLine[]): string {
  const facts = header.map((h) => `${h.label}: ${h.value}`).join(' · ');
  return `${tool.name} ${tool.version}${facts ? `\n${facts}` : ''}\n`;
}

export function textRow(row: CheckRow): string {
  const time = row.durationMs !== undefined && row.status !== 'skip' ? ` (${formatDuration(row.durationMs)})` : '';
  const label = row.status === 'error' ? ' [error]' : '';
  return `${MARKERS[row.status]} ${row.title}${label}${row.summary ? ` — ${row.summary}` : ''}${time}`;
}

export function textPanel(p: Panel): string {
  const lines = [`${MARKERS[p.status]} ${p.status.toUpperCase()}: ${p.title}`, `  code: ${p.code} (check: ${p.checkTitle})`];
  if (p.detail) lines.push(...p.detail.split('\n').map((l) => `  ${l}`));
  if (p.evidence.length > 0) {
    lines.push('  evidence:');
    for (const e of p.evidence) lines.push(`    ${e.label}: ${e.value}`);
  }
  if (p.fixText) lines.push(`  fix: ${p.fixText}`);
  for (const c of p.commands) lines.push(`    $ ${c}`);
  return lines.join('\n');
}

/** Everything after the checklist: summary line, then one block per problem. */
export function textFooter(summaryLine: string, panels: Panel[]): string {
  const parts = [`\n${summaryLine}`];
  for (const p of panels) parts.push(`\n${textPanel(p)}`);
  return `${parts.join('\n')}\n`;
}

export function renderText(report: RunReport, redactor: Redactor): string {
  const screen = finishedScreen(report, redactor);
  const rows = screen.rows.map(textRow).join('\n');
  return `${textHeader(screen.tool, screen.header)}\n${rows}\n${textFooter(screen.summaryLine ?? '', screen.panels)}`;
}
