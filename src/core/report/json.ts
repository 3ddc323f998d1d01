// `--format json`: the documented schema, redacted, and nothing else on stdout.
import type { Redactor } from '../redact.js';
import type { Category, RunReport, Severity, Status, ToolInfo } from '../types.js';
import { inertJson } from './sanitize.js';
import { problemsOf, verdictOf, type Problem, type Verdict } from './verdict.js';

/** One finding as the JSON report writes it. */
export interface JsonFinding {
  code: string;
  severity: Severity;
  title: string;
  detail: string;
  evidence: Record<string, string>;
  fix: { text: string; commands: string[] };
  highlight?: boolean;
}

export interface JsonCheck {
  id: string;
  title: string;
  category: Category;
  status: Status;
  durationMs: number;
  summary: string;
  findings: JsonFinding[];
}

export type JsonProblem = Problem;
export type JsonVerdict = Verdict;

/**
 * The documented `--format json` report: what the doctor writes and what readers of it (tests, tickets) get.
 * `verdict` and `problems` came later: `diff` and `summarize` read reports without them (src/core/report/parse.ts).
 */
export interface JsonReport {
  tool: ToolInfo;
  startedAt: string;
  durationMs: number;
  /** The header's resolved values: profile, auth, region, target, node. */
  context: Record<string, string>;
  interrupted: boolean;
  /** The broken link (or that there is none), in one line and as fields. */
  verdict: JsonVerdict;
  /** Every warning and failure in chain order: `jq '.problems'` answers a ticket's question. */
  problems: JsonProblem[];
  summary: Record<Status, number>;
  checks: JsonCheck[];
}

export function renderJson(report: RunReport, redactor: Redactor): string {
  const doc: JsonReport = {
    tool: report.tool,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    context: report.context,
    interrupted: report.interrupted === true,
    verdict: verdictOf(report.checks, report.interrupted === true),
    problems: problemsOf(report.checks),
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
