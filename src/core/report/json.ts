// `--format json`: the documented schema, redacted, and nothing else on stdout.
import type { Redactor } from '../redact.js';
import type { Category, RunReport, Severity, Status, ToolInfo } from '../types.js';
import { evidenceData, splitContext, type EvidenceDatum } from '../evidence.js';
import { inertJson } from './sanitize.js';
import { problemsOf, verdictOf, type Problem, type Verdict } from './verdict.js';

/** One finding as the JSON report writes it. */
export interface JsonFinding {
  code: string;
  severity: Severity;
  title: string;
  detail: string;
  /** The facts as the screen shows them, one line each. */
  evidence: Record<string, string>;
  /** The same facts as data: the value alone (timestamps as ISO strings), the file position `{path, line}` or origin it was read from, the prose about it. */
  evidenceData: Record<string, EvidenceDatum>;
  /** `commands` fix the problem; `inspect` only look at it (they change nothing). */
  fix: { text: string; commands: string[]; inspect: string[] };
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
  /** The header's resolved values: profile, auth, region, target, node — the values alone. */
  context: Record<string, string>;
  /** How a context value was decided, when the run says ("default", "profile [DEFAULT] sets security_token_file"). */
  contextNotes: Record<string, string>;
  interrupted: boolean;
  /** The broken link (or that there is none), in one line and as fields. */
  verdict: JsonVerdict;
  /** Every warning and failure in chain order: `jq '.problems'` answers a ticket's question. */
  problems: JsonProblem[];
  summary: Record<Status, number>;
  checks: JsonCheck[];
}

export function renderJson(report: RunReport, redactor: Redactor): string {
  const context = splitContext(report.context);
  const doc: JsonReport = {
    tool: report.tool,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    context: context.values,
    contextNotes: context.notes,
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
        evidenceData: evidenceData(f.evidence),
        fix: { text: f.fix.text, commands: f.fix.commands, inspect: f.fix.inspect ?? [] },
        ...(f.highlight ? { highlight: true } : {}),
      })),
    })),
  };
  return `${inertJson(JSON.stringify(redactor.redactValue(doc), null, 2))}\n`;
}
