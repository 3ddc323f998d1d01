// Runs checks as a dependency graph: independent checks run at once, a
// check whose dependency did not pass ends `skip`, a crash or a timeout ends
// `error` and the rest of the run goes on.
import type { Check, CheckContext, CheckOutcome, CheckResult, DataKey, Finding, FindingSpec, Status } from './types.js';

export const ENGINE_CODES = {
  timeout: 'engine.timeout',
  crashed: 'engine.check-crashed',
  interrupted: 'engine.interrupted',
} as const;

/** The engine's own codes, for `checks` and docs/findings.md. */
export const ENGINE_SPECS: FindingSpec[] = [
  { code: ENGINE_CODES.timeout, severity: 'error', meaning: 'A check did not finish within its time limit; what it waited for did not answer.', fix: 'Make sure the endpoint is reachable from this machine, or raise the limit with --timeout SECONDS.' },
  { code: ENGINE_CODES.crashed, severity: 'error', meaning: 'A check threw an unexpected error; the other checks still ran.', fix: 'Run again with --verbose and report the message; it is a bug or an input the doctor does not understand.' },
  { code: ENGINE_CODES.interrupted, severity: 'error', meaning: 'The run was interrupted (Ctrl+C or SIGTERM) while the check was running.', fix: 'Run the doctor again.' },
];

export interface EngineEvents {
  onStart?(checkId: string): void;
  onFinish?(result: CheckResult): void;
}

export interface EngineOptions<Deps> extends EngineEvents {
  deps: Deps;
  signal?: AbortSignal;
  /** Overrides every check's own timeout (from --timeout). */
  timeoutMs?: number;
  /** Checks that must not run (--skip, --offline), with the reason shown. */
  skipReasons?: ReadonlyMap<string, string>;
  /** Clock for durations (injected by tests). */
  now?: () => number;
}

/**
 * Returns the checks in an order where each comes after its dependencies.
 * Unknown dependencies, duplicates and cycles are programming errors: fail loudly.
 */
export function validateGraph<C extends Check<never>>(checks: readonly C[]): C[] {
  const ids = new Set<string>();
  for (const c of checks) {
    if (ids.has(c.id)) throw new Error(`duplicate check id: ${c.id}`);
    ids.add(c.id);
  }
  for (const c of checks) {
    for (const d of waitsFor(c)) {
      if (!ids.has(d)) throw new Error(`check ${c.id} depends on unknown check ${d}`);
    }
  }
  // Cycle detection by depth-first search.
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(checks.map((c) => [c.id, c]));
  const ordered: C[] = [];
  const visit = (id: string, path: string[]): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`dependency cycle: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    const check = byId.get(id) as C;
    for (const d of waitsFor(check)) visit(d, [...path, id]);
    state.set(id, 'done');
    ordered.push(check);
  };
  for (const c of checks) visit(c.id, []);
  return ordered;
}

/** Every check `c` waits for: its dependencies and the checks it runs after. */
export function waitsFor(c: Pick<Check<never>, 'dependsOn' | 'after'>): string[] {
  return [...c.dependsOn, ...(c.after ?? [])];
}

export function statusOf(findings: readonly Finding[]): Status {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'fail')) return 'fail';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'pass';
}

/** Order results as the checks were declared, whatever order they finished in. */
export function inDeclaredOrder(checks: readonly Check<never>[], results: Map<string, CheckResult>): CheckResult[] {
  return checks.map((c) => results.get(c.id)).filter((r): r is CheckResult => r !== undefined);
}

class TimeoutError extends Error {}

export async function runChecks<Deps>(checks: readonly Check<Deps>[], opts: EngineOptions<Deps>): Promise<CheckResult[]> {
  const startOrder = validateGraph(checks);
  const now = opts.now ?? (() => performance.now());
  const results = new Map<string, CheckResult>();
  const data = new Map<string, unknown>();
  const pending = new Map<string, Promise<void>>();
  // Checks whose dependents must not run: failed, errored, or skipped by the
  // engine. A check that skipped itself as not applicable (a session check
  // under api_key) does not block what comes after it.
  const blocking = new Set<string>();

  const ctx: CheckContext<Deps> = {
    deps: opts.deps,
    dataOf: <T>(key: DataKey<T>) => data.get(key.checkId) as T | undefined,
    codesSoFar: () => [...results.values()].flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => f.code)),
    resultOf: (id) => results.get(id),
  };

  const finish = (result: CheckResult, blocks = result.status === 'fail' || result.status === 'error' || result.status === 'skip'): void => {
    results.set(result.id, result);
    if (blocks) blocking.add(result.id);
    opts.onFinish?.(result);
  };

  const runOne = async (check: Check<Deps>): Promise<void> => {
    // Wait for every dependency (and `after` check), then decide whether this one may run.
    await Promise.all(waitsFor(check).map((d) => pending.get(d)));
    const blocked = check.dependsOn.filter((d) => blocking.has(d)).map((d) => results.get(d))[0];
    const base = { id: check.id, title: check.title, category: check.category };
    if (blocked) {
      finish({ ...base, status: 'skip', durationMs: 0, findings: [], summary: `skipped: ${blocked.title} did not pass (${blocked.status})` });
      return;
    }
    const skipReason = opts.skipReasons?.get(check.id);
    if (skipReason !== undefined) {
      finish({ ...base, status: 'skip', durationMs: 0, findings: [], summary: skipReason });
      return;
    }
    if (opts.signal?.aborted) {
      finish({ ...base, status: 'skip', durationMs: 0, findings: [], summary: 'skipped: run interrupted' });
      return;
    }
    opts.onStart?.(check.id);
    const started = now();
    const limit = opts.timeoutMs ?? check.timeoutMs;
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new TimeoutError(`timed out after ${limit} ms`));
          reject(new TimeoutError(`timed out after ${limit} ms`));
        }, limit);
      });
      const interrupted = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      const outcome: CheckOutcome = await Promise.race([check.run(ctx, controller.signal), timeout, interrupted]);
      const durationMs = Math.round(now() - started);
      if (outcome.data !== undefined) data.set(check.id, outcome.data);
      if (outcome.skipped !== undefined) {
        finish({ ...base, status: 'skip', durationMs, findings: outcome.findings, summary: outcome.skipped }, false);
        return;
      }
      finish({ ...base, status: statusOf(outcome.findings), durationMs, findings: outcome.findings, summary: outcome.summary ?? '' });
    } catch (err) {
      const durationMs = Math.round(now() - started);
      finish({ ...base, status: 'error', durationMs, findings: [errorFinding(check.title, err, limit, opts.signal?.aborted === true)], summary: 'error' });
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onOuterAbort);
    }
  };

  // Dependencies first, so each check finds its dependencies' promises in `pending`.
  for (const check of startOrder) pending.set(check.id, runOne(check));
  await Promise.all(pending.values());
  return inDeclaredOrder(checks, results);
}

function errorFinding(title: string, err: unknown, limitMs: number, interrupted: boolean): Finding {
  if (err instanceof TimeoutError) {
    return {
      code: ENGINE_CODES.timeout,
      severity: 'error',
      title: `${title}: no answer within ${limitMs / 1000} s`,
      detail: 'The check was stopped when its time ran out; what it waits for (a server, a file, a service) did not answer in time.',
      evidence: { timeoutMs: String(limitMs) },
      fix: { text: 'Check that the endpoint is reachable from this machine, or raise the limit with --timeout SECONDS.', commands: [] },
    };
  }
  if (interrupted) {
    return {
      code: ENGINE_CODES.interrupted,
      severity: 'error',
      title: `${title}: interrupted`,
      detail: 'The run was interrupted before this check finished.',
      evidence: {},
      fix: { text: 'Run the doctor again.', commands: [] },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: ENGINE_CODES.crashed,
    severity: 'error',
    title: `${title}: the check itself failed`,
    detail: message,
    evidence: {},
    fix: { text: 'This is a bug in dbiam-doctor or an input it does not understand; run again with --verbose and include the report in an issue.', commands: [] },
  };
}

export function summarize(results: readonly CheckResult[]): Record<Status, number> {
  const s: Record<Status, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) s[r.status] += 1;
  return s;
}

/** 0 nothing failed; 1 any fail or error (or warn with --strict); 130 interrupted. */
export function exitCodeFor(summary: Record<Status, number>, strict: boolean, interrupted = false): number {
  if (interrupted) return 130;
  if (summary.fail > 0 || summary.error > 0) return 1;
  if (strict && summary.warn > 0) return 1;
  return 0;
}
