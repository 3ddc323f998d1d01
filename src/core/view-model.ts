// Already-decided strings and statuses for the screen and the text report:
// renderers never interpret findings, they draw these.
import type { CheckResult, Finding, RunReport, Status } from './types.js';
import type { Redactor } from './redact.js';
import { visibleLine, visibleText } from './report/sanitize.js';
import { verdictOf, type Verdict } from './report/verdict.js';

export type RowStatus = Status | 'pending' | 'running';

export interface CheckRow {
  id: string;
  title: string;
  category: string;
  status: RowStatus;
  /** One line beside the title: the check's summary, or its skip reason. */
  summary: string;
  durationMs?: number;
}

export interface EvidenceLine {
  label: string;
  value: string;
}

export interface Panel {
  /** Unique within a run: `<checkId>/<code>/<n>`. */
  key: string;
  status: 'warn' | 'fail' | 'error' | 'pass';
  code: string;
  title: string;
  checkTitle: string;
  detail: string;
  evidence: EvidenceLine[];
  fixText: string;
  /** The fix's commands: `y` copies these. */
  commands: string[];
  /** Commands that only look (they change nothing), shown apart from the fix. */
  inspect: string[];
}

export interface ScreenModel {
  tool: { name: string; version: string };
  /** Header facts in display order: profile, auth mode, region, target… */
  header: EvidenceLine[];
  rows: CheckRow[];
  /** Set once the run has ended. */
  summaryLine?: string;
  panels: Panel[];
  done: boolean;
  /** The broken link (or the healthy line once done), by the reports' rule; see screenVerdict. */
  verdict?: ScreenVerdict;
}

export const MARKERS: Record<RowStatus, string> = {
  pass: '✔',
  warn: '⚠',
  fail: '✖',
  error: '✖',
  skip: '○',
  pending: '·',
  running: '…',
};

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function summaryLine(summary: Record<Status, number>, durationMs: number, interrupted = false): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const parts = [
    plural(summary.pass, 'passed', 'passed'),
    plural(summary.warn, 'warning', 'warnings'),
    plural(summary.fail, 'failed', 'failed'),
    plural(summary.error, 'error', 'errors'),
    plural(summary.skip, 'skipped', 'skipped'),
  ];
  return `${interrupted ? 'Interrupted: ' : ''}${parts.join(', ')} in ${formatDuration(durationMs)}`;
}

function panelStatus(f: Finding): Panel['status'] | undefined {
  if (f.severity === 'warn' || f.severity === 'fail' || f.severity === 'error') return f.severity;
  return f.highlight ? 'pass' : undefined;
}

const SEVERITY_RANK = { error: 0, fail: 1, warn: 2, pass: 3 } as const;

/** A one-line string from a check, a file or a server: redacted, then nothing that steers a terminal. */
function line(redactor: Redactor, text: string): string {
  return visibleLine(redactor.redact(text));
}

/** The same for text that may span lines (details, fixes). */
function lines(redactor: Redactor, text: string): string {
  return visibleText(redactor.redact(text));
}

/** Every warning and failure as a panel, worst first, then highlighted confirmations; redacted and sanitised. */
export function panelsOf(results: readonly CheckResult[], redactor: Redactor): Panel[] {
  const panels: Panel[] = [];
  for (const r of results) {
    r.findings.forEach((f, n) => {
      const status = panelStatus(f);
      if (!status) return;
      panels.push({
        key: `${r.id}/${f.code}/${n}`,
        status,
        code: f.code,
        title: line(redactor, f.title),
        checkTitle: r.title,
        detail: lines(redactor, f.detail),
        evidence: Object.entries(f.evidence).map(([label, value]) => ({ label: line(redactor, label), value: line(redactor, value) })),
        fixText: lines(redactor, f.fix.text),
        commands: f.fix.commands.map((c) => line(redactor, c)),
        inspect: (f.fix.inspect ?? []).map((c) => line(redactor, c)),
      });
    });
  }
  return panels.sort((a, b) => SEVERITY_RANK[a.status] - SEVERITY_RANK[b.status]);
}

export function rowOf(r: CheckResult, redactor: Redactor): CheckRow {
  return { id: r.id, title: r.title, category: r.category, status: r.status, summary: line(redactor, r.summary), durationMs: r.durationMs };
}

export function headerOf(context: Record<string, string>, redactor: Redactor): EvidenceLine[] {
  return Object.entries(context).map(([label, value]) => ({ label, value: line(redactor, value) }));
}

/** The screen model of a finished run. */
export function finishedScreen(report: RunReport, redactor: Redactor): ScreenModel {
  return {
    tool: report.tool,
    header: headerOf(report.context, redactor),
    rows: report.checks.map((r) => rowOf(r, redactor)),
    summaryLine: summaryLine(report.summary, report.durationMs, report.interrupted),
    panels: panelsOf(report.checks, redactor),
    done: true,
    verdict: screenVerdict(report.checks, redactor, { done: true, interrupted: report.interrupted === true }),
  };
}

/** The engine's summary of a check skipped because one it depends on did not pass (engine.ts writes it). */
const BLOCKED_SUMMARY = /^skipped: (.+) did not pass \((fail|error|skip)\)$/;

const ROOT_VERB: Record<string, string> = { fail: 'failed', error: 'ended in an error', skip: 'was skipped' };

export type ChecklistLine = { kind: 'row'; row: CheckRow } | { kind: 'fold'; key: string; text: string; rows: CheckRow[] };

/**
 * The checklist with cascaded skips folded: the checks not run because of one
 * broken check (directly or through other skipped checks) become one line,
 * "12 checks not run because Session token failed", where the first of them was.
 * A single cascaded skip stays a row of its own.
 */
export function foldedChecklist(rows: readonly CheckRow[]): ChecklistLine[] {
  const byTitle = new Map(rows.map((r) => [r.title, r]));
  const rootOf = (row: CheckRow): CheckRow | undefined => {
    let current = row;
    for (let hops = 0; hops <= rows.length; hops++) {
      const m = current.status === 'skip' ? BLOCKED_SUMMARY.exec(current.summary) : null;
      const blocker = m ? byTitle.get(m[1] as string) : undefined;
      if (!blocker) return current === row ? undefined : current;
      current = blocker;
    }
    return undefined;
  };
  const groups = new Map<string, { root: CheckRow; rows: CheckRow[] }>();
  const rootIdOf = new Map<string, string>();
  for (const r of rows) {
    const root = rootOf(r);
    if (!root) continue;
    rootIdOf.set(r.id, root.id);
    const g = groups.get(root.id) ?? { root, rows: [] };
    g.rows.push(r);
    groups.set(root.id, g);
  }
  const out: ChecklistLine[] = [];
  const placed = new Set<string>();
  for (const r of rows) {
    const rootId = rootIdOf.get(r.id);
    const g = rootId ? groups.get(rootId) : undefined;
    if (!g || g.rows.length < 2) {
      out.push({ kind: 'row', row: r });
      continue;
    }
    if (placed.has(g.root.id)) continue;
    placed.add(g.root.id);
    const verb = ROOT_VERB[g.root.status] ?? 'did not pass';
    out.push({ kind: 'fold', key: `fold:${g.root.id}`, text: `${g.rows.length} checks not run because ${g.root.title} ${verb}`, rows: g.rows });
  }
  return out;
}

/** The pinned line under the screen: the reports' verdict (report/verdict.ts), redacted and made inert. */
export interface ScreenVerdict {
  status: Verdict['status'];
  /** `✖ <title> [<code>] → <first command or fix>`. */
  line: string;
  /** The command the line ends with, when it ends with one (the screen keeps that line unbroken for copying). */
  command?: string;
  /** Set when the identity query succeeded by one path while another link is broken. */
  note?: string;
}

/**
 * The screen's verdict from the results so far, by the reports' one rule
 * (the first broken link in chain order). While checks still run, only a
 * broken link is worth pinning: "no problems" is not known yet.
 */
export function screenVerdict(results: readonly CheckResult[], redactor: Redactor, state: { done: boolean; interrupted?: boolean }): ScreenVerdict | undefined {
  const v = verdictOf(results, state.interrupted === true);
  if (!state.done && v.status !== 'broken') return undefined;
  const shown = v.likelyCause?.command ?? v.problem?.command;
  return {
    status: v.status,
    line: line(redactor, v.line),
    ...(shown ? { command: line(redactor, shown.split('\n')[0] ?? '') } : {}),
    ...(v.note ? { note: line(redactor, v.note) } : {}),
  };
}
