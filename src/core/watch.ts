// `--watch`: how long to wait between runs, and how long a change can take to
// show. Propagation: policies about 10 s, dynamic-group rule changes up to an
// hour (docs/sources.md: managing-policies, updating-dynamic-groups); cached
// resource-principal tokens 15 minutes (the domain brief).
import type { CheckResult } from './types.js';

export const DEFAULT_WATCH_TIMEOUT_MS = 15 * 60_000;
/** A password logon repeated faster than this could lock the account. */
export const PASSWORD_LOGON_INTERVAL_MS = 60_000;
const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 30_000;

/** Delay before run `round + 1` (round counts from 1): doubling, capped; a minute when a password logon is in the run. */
export function nextDelay(round: number, passwordLogon: boolean): number {
  const backoff = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, round - 1));
  return passwordLogon ? Math.max(backoff, PASSWORD_LOGON_INTERVAL_MS) : backoff;
}

/** What the watcher tells the user a change of this kind can take. */
export function propagationWindow(codes: readonly string[]): string | undefined {
  if (codes.some((c) => c.startsWith('dg.'))) return 'a dynamic-group rule change can take up to an hour to apply';
  if (codes.some((c) => c.startsWith('principal.') || c.startsWith('auth.resource-principal'))) return 'resource-principal tokens are cached for 15 minutes';
  if (codes.some((c) => c.startsWith('policy.'))) return 'a policy change takes about 10 seconds to apply';
  return undefined;
}

export function failing(checks: readonly CheckResult[], strict: boolean): CheckResult[] {
  return checks.filter((c) => c.status === 'fail' || c.status === 'error' || (strict && c.status === 'warn'));
}

export function problemCodes(c: CheckResult): string[] {
  return c.findings.filter((f) => f.severity !== 'info').map((f) => f.code);
}

/** "+1m 05s" */
export function elapsedText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `+${s}s` : `+${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** The checks to run again: the failing ones and, transitively, those that depend on or read them. */
export function withDependents(ids: readonly string[], checks: readonly { id: string; dependsOn: readonly string[]; after?: readonly string[] }[]): string[] {
  const out = new Set(ids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of checks) {
      if (!out.has(c.id) && [...c.dependsOn, ...(c.after ?? [])].some((d) => out.has(d))) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return checks.map((c) => c.id).filter((id) => out.has(id));
}
