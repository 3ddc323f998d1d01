// One doctor session: runs the selected checks (again, on `r`), keeps the
// screen model up to date for whoever draws it, and builds the report.
import { captureConsole } from '../../adapters/console-capture.js';
import { TOOL_NAME, type SystemFacts } from '../../adapters/system.js';
import { exitCodeFor, runChecks, summarize } from '../../core/engine.js';
import type { Redactor } from '../../core/redact.js';
import { selectChecks } from '../../core/selection.js';
import type { CheckResult, RunReport, ToolInfo } from '../../core/types.js';
import { headerOf, panelsOf, rowOf, screenVerdict, summaryLine, type ScreenModel } from '../../core/view-model.js';
import type { DoctorCheck, DoctorDeps } from '../../checks/deps.js';
import { resolvedContext } from './context.js';

export interface SessionInput {
  deps: DoctorDeps;
  checks: readonly DoctorCheck[];
  redactor: Redactor;
  /** Header facts: profile, auth mode, region, target. */
  context: Record<string, string>;
}

export interface DoctorSession {
  model(): ScreenModel;
  subscribe(listener: () => void): () => void;
  /** Runs every selected check; a second call re-runs them. */
  run(): Promise<RunReport>;
  /**
   * Runs again only these checks and what they need (--watch), keeping the
   * other results of the last run; the report is the merged whole.
   */
  rerun(ids: readonly string[]): Promise<RunReport>;
  /** Aborts every running check (Ctrl+C, SIGTERM). */
  interrupt(): void;
  readonly interrupted: boolean;
  report(): RunReport | undefined;
  /** What libraries printed while checks ran (shown with --verbose), redacted. */
  libraryOutput(): string[];
  exitCode(): number;
}

/** The doctor, where it ran and the driver it carries: diff and summarize tell hosts and versions apart by them. */
function toolInfo(system: SystemFacts): ToolInfo {
  return { name: TOOL_NAME, version: system.toolVersion, ...(system.hostName ? { host: system.hostName } : {}), ...(system.oracledbVersion ? { nodeOracledb: system.oracledbVersion } : {}) };
}

export function createDoctorSession(input: SessionInput): DoctorSession {
  const { deps, redactor } = input;
  const selection = selectChecks(input.checks, deps.options);
  const listeners = new Set<() => void>();
  let controller = new AbortController();
  let interrupted = false;
  let last: RunReport | undefined;
  let captured: string[] = [];

  const emptyModel = (): ScreenModel => ({
    tool: toolInfo(deps.system),
    header: headerOf(input.context, redactor),
    rows: selection.checks.map((c) => ({ id: c.id, title: c.title, category: c.category, status: 'pending', summary: '' })),
    panels: [],
    done: false,
  });
  let model = emptyModel();

  const update = (next: ScreenModel): void => {
    model = next;
    for (const l of listeners) l();
  };

  const setRow = (id: string, patch: Partial<ScreenModel['rows'][number]>): void => {
    update({ ...model, rows: model.rows.map((r) => (r.id === id ? { ...r, ...patch } : r)) });
  };

  return {
    model: () => model,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get interrupted() {
      return interrupted;
    },
    interrupt() {
      interrupted = true;
      controller.abort(new Error('interrupted'));
    },
    report: () => last,
    libraryOutput: () => captured.map((l) => redactor.redact(l)),
    exitCode() {
      if (interrupted) return 130;
      return last ? exitCodeFor(last.summary, deps.options.strict) : 1;
    },
    run: () => execute(undefined),
    rerun: (ids) => execute(ids),
  };

  async function execute(only: readonly string[] | undefined): Promise<RunReport> {
    const previous = only && last ? last.checks : undefined;
    const chosen = previous && only ? selectChecks(input.checks, { ...deps.options, only: [...only] }) : selection;
    controller = new AbortController();
    update(previous ? { ...model, done: false } : emptyModel());
    const finished = new Map<string, CheckResult>();
    const startedAt = deps.now();
    const t0 = performance.now();
    const capture = captureConsole();
    let results: CheckResult[];
    try {
      // Each run reads the world afresh (`r` after a fix must see the fix).
      results = await runChecks(chosen.checks, {
        deps: { ...deps, facts: deps.facts.renew(controller.signal) },
        signal: controller.signal,
        timeoutMs: deps.options.timeoutMs,
        skipReasons: chosen.skipReasons,
        onStart: (id) => setRow(id, { status: 'running' }),
        onFinish: (r) => {
          finished.set(r.id, r);
          // The verdict so far, by the reports' rule: results in chain order, a re-run's fresh ones over the last run's.
          const sofar = previous ? previous.map((p) => finished.get(p.id) ?? p) : chosen.checks.flatMap((c) => finished.get(c.id) ?? []);
          update({ ...model, rows: model.rows.map((row) => (row.id === r.id ? rowOf(r, redactor) : row)), verdict: screenVerdict(sofar, redactor, { done: false }) });
        },
      });
    } finally {
      capture.restore();
      captured = capture.lines;
    }
    if (previous) {
      // The fresh results replace their own rows; the rest of the last run stands.
      const fresh = new Map(results.map((r) => [r.id, r]));
      results = previous.map((r) => fresh.get(r.id) ?? r);
    }
    const summary = summarize(results);
    const durationMs = Math.round(performance.now() - t0);
    const context = resolvedContext(input.context, results);
    last = {
      tool: toolInfo(deps.system),
      startedAt: startedAt.toISOString(),
      durationMs,
      context,
      summary,
      checks: results,
      interrupted,
    };
    update({ ...model, header: headerOf(context, redactor), summaryLine: summaryLine(summary, durationMs, interrupted), panels: panelsOf(results, redactor), done: true, verdict: screenVerdict(results, redactor, { done: true, interrupted }) });
    return last;
  }
}
