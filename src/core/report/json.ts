// `--format json`: the documented schema, redacted, and nothing else on stdout.
import type { Redactor } from '../redact.js';
import type { RunReport } from '../types.js';
import { inertJson } from './sanitize.js';

export function renderJson(report: RunReport, redactor: Redactor): string {
  const doc = {
    tool: report.tool,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    context: report.context,
    interrupted: report.interrupted === true,
    summary: report.summary,
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      category: c.category,
      status: c.status,
      durationMs: c.durationMs,
      summary: c.summary,
      findings: c.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        title: f.title,
        detail: f.detail,
        evidence: f.evidence,
        fix: { text: f.fix.text, commands: f.fix.commands },
        ...(f.highlight ? { highlight: true } : {}),
      })),
    })),
  };
  return `${inertJson(JSON.stringify(redactor.redactValue(doc), null, 2))}\n`;
}
