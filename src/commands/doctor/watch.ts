// `--watch`: after a fix, runs the doctor again with back-off until the checks
// that failed pass or --watch-timeout passes, and says on standard error what
// is still failing, how long such a change can take, and when each link turned
// green. The final report's header records it (context "watch"). After the
// first run, each round runs only the failing checks, what they need, and what
// depends on them; the other results stand.
import type { OutputStream } from '../io.js';
import { DEFAULT_WATCH_TIMEOUT_MS, elapsedText, failing, nextDelay, problemCodes, propagationWindow, withDependents } from '../../core/watch.js';
import type { RunReport } from '../../core/types.js';
import type { DoctorSession } from './session.js';

export interface WatchInput {
  session: DoctorSession;
  /** The catalogue, for what depends on a failing check. */
  checks: readonly { id: string; dependsOn: readonly string[]; after?: readonly string[] }[];
  strict: boolean;
  timeoutMs?: number;
  /** True when a run logs on with a password (db.config with --admin-user): at most one a minute. */
  passwordLogon: boolean;
  progress: OutputStream;
  now?: () => number;
}

/** Waits `ms`, or less when the session is interrupted (checked every 100 ms). */
async function pause(ms: number, session: DoctorSession): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !session.interrupted) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
}

export async function watchRuns(input: WatchInput): Promise<RunReport> {
  const { session, progress } = input;
  const now = input.now ?? Date.now;
  const timeout = input.timeoutMs ?? DEFAULT_WATCH_TIMEOUT_MS;
  const started = now();
  const greenAt = new Map<string, number>();
  let report = await session.run();
  let round = 1;
  const watched = new Set(failing(report.checks, input.strict).map((c) => c.id));
  for (;;) {
    const elapsed = now() - started;
    for (const c of report.checks) {
      if (watched.has(c.id) && !greenAt.has(c.id) && c.status === 'pass') {
        greenAt.set(c.id, elapsed);
        progress.write(`watch ${elapsedText(elapsed)}: ${c.id} is green (run ${round})\n`);
      }
    }
    const bad = failing(report.checks, input.strict);
    if (session.interrupted || bad.length === 0 || watched.size === 0) break;
    const delay = nextDelay(round, input.passwordLogon);
    if (elapsed + delay > timeout) break;
    const window = propagationWindow(bad.flatMap(problemCodes));
    progress.write(`watch ${elapsedText(elapsed)}: still failing ${bad.map((c) => `${c.id} (${problemCodes(c).join(', ') || c.status})`).join(', ')}${window ? `; ${window}` : ''}; next run in ${Math.round(delay / 1000)} s\n`);
    await pause(delay, session);
    if (session.interrupted) break;
    round += 1;
    report = await session.rerun(withDependents(bad.map((c) => c.id), input.checks));
  }
  const elapsed = now() - started;
  const stillBad = failing(report.checks, input.strict).map((c) => c.id);
  const green = [...greenAt.entries()].map(([id, ms]) => `${id} green at ${elapsedText(ms)}`);
  const verdict = watched.size === 0 ? 'nothing was failing' : stillBad.length === 0 ? 'every watched check passes' : `gave up after ${elapsedText(elapsed)}, still failing: ${stillBad.join(', ')}`;
  const line = `${round} run${round === 1 ? '' : 's'} over ${elapsedText(elapsed)}; ${[...green, verdict].join('; ')}`;
  progress.write(`watch: ${line}\n`);
  return { ...report, context: { ...report.context, watch: line } };
}
