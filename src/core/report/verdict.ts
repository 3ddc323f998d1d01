// The run's verdict: which link of the chain is broken, its code and the first
// thing to run. Every report starts with it (and the ticket's reader may read
// nothing else). Pure: raw strings in, raw strings out; renderers redact and
// sanitise them like every other field.
import type { CheckResult, Finding } from '../types.js';

export type ProblemSeverity = 'warn' | 'fail' | 'error';

/** One warning or failure, as a ticket quotes it. */
export interface Problem {
  code: string;
  severity: ProblemSeverity;
  /** The check's id (`session.token`) and title. */
  check: string;
  checkTitle: string;
  title: string;
  /** What to do, in words. */
  fix: string;
  /** The first command that fixes it, when the fix has one (never a command that only looks: Fix.inspect). */
  command?: string;
}

export interface Verdict {
  /** broken: a check failed or errored; warnings: only warnings; healthy: nothing to fix; interrupted: the run was stopped. */
  status: 'broken' | 'warnings' | 'healthy' | 'interrupted';
  /** One line: `✖ <title> [<code>] → <first fix command, or the fix in words (shortFix)>`. */
  line: string;
  /** The first broken link in chain order (or the first warning when nothing is broken). */
  problem?: Problem;
  /**
   * When the broken link's fix has no command and its finding names other
   * possible causes ("may also be") that this run also reported: that problem,
   * whose command the verdict then shows.
   */
  likelyCause?: Problem;
  /** How the identity query reached the database, when it did (`Database Tools connection …`, `direct …`). */
  identityPath?: string;
  /** Set when the identity query succeeded by one path while another link is broken. */
  note?: string;
}

const IDENTITY_CHECK = 'db.identity';

/** At most this many characters of a fix in words on the verdict line: the panel and the reports hold all of it. */
const FIX_WORDS_MAX = 160;

/**
 * A fix in words short enough for the one-line verdict: its first sentence,
 * without asides in parentheses, cut at a word with … when still too long.
 */
export function shortFix(text: string, max = FIX_WORDS_MAX): string {
  const first = (text.split('\n')[0] ?? '').replace(/\s*\([^()]*\)/g, '').trim();
  // A sentence ends at . ! ? before a capital letter or the end (not inside `ca.pem` or `e.g. the`).
  const sentence = (/^.*?[.!?](?=\s+[A-Z]|$)/.exec(first)?.[0] ?? first).trim();
  const chars = [...sentence];
  if (chars.length <= max) return sentence;
  const cut = chars.slice(0, max - 1).join('');
  const atWord = cut.lastIndexOf(' ') > max / 2 ? cut.slice(0, cut.lastIndexOf(' ')) : cut;
  return `${atWord.replace(/[\s,;:]+$/, '')}…`;
}
const RANK: Record<ProblemSeverity, number> = { error: 0, fail: 0, warn: 1 };

function isProblem(f: Finding): f is Finding & { severity: ProblemSeverity } {
  return f.severity === 'warn' || f.severity === 'fail' || f.severity === 'error';
}

/** Every warning and failure in chain order (the order the checks ran in the report). */
export function problemsOf(checks: readonly CheckResult[]): Problem[] {
  return checks.flatMap((c) =>
    c.findings.filter(isProblem).map((f) => ({
      code: f.code,
      severity: f.severity,
      check: c.id,
      checkTitle: c.title,
      title: f.title,
      fix: f.fix.text,
      ...(f.fix.commands[0] ? { command: f.fix.commands[0] } : {}),
    })),
  );
}

/** The path the identity query took, from its confirmation's evidence, when it passed. */
function identityPathOf(checks: readonly CheckResult[]): string | undefined {
  const identity = checks.find((c) => c.id === IDENTITY_CHECK);
  if (identity?.status !== 'pass') return undefined;
  const confirmed = identity.findings.find((f) => f.highlight);
  return confirmed?.evidence.path ?? (confirmed ? 'one path' : undefined);
}

/** A problem this run reported that the broken finding names as a possible cause, with a command to run. */
function likelyCauseOf(first: Problem, problems: readonly Problem[], checks: readonly CheckResult[]): Problem | undefined {
  if (first.command) return undefined;
  const finding = checks.find((c) => c.id === first.check)?.findings.find((f) => f.code === first.code);
  const named = (finding?.evidence['may also be'] ?? '').split(/,\s*/).filter(Boolean);
  return problems.find((p) => p !== first && p.command && named.includes(p.code));
}

/**
 * Why a passing identity query does not clear the broken link. Database Tools
 * reaches the database from OCI, with neither this machine's network nor its
 * DB token (see the direct path in checks/db/identity.ts), so a direct
 * connection from here still goes through the link that failed.
 */
function noteOf(identityPath: string, first: Problem): string {
  const head = `The identity query succeeded through ${identityPath}, but ${first.checkTitle} failed (${first.code})`;
  return identityPath.startsWith('Database Tools')
    ? `${head}: a direct connection from here would still fail (Database Tools uses neither this machine's network nor its DB token).`
    : `${head}: connections that depend on that link still fail.`;
}

export function verdictOf(checks: readonly CheckResult[], interrupted = false): Verdict {
  const problems = problemsOf(checks);
  // The first broken link: failures before warnings, then chain order.
  const first = [...problems].sort((a, b) => RANK[a.severity] - RANK[b.severity])[0];
  const identityPath = identityPathOf(checks);
  const path = identityPath ? { identityPath } : {};
  if (!first) {
    if (interrupted) return { status: 'interrupted', line: '■ Interrupted before every check ran: no problem found so far', ...path };
    const confirmed = checks.find((c) => c.id === IDENTITY_CHECK)?.findings.find((f) => f.highlight);
    // Which path the identity query took: a pass through Database Tools says nothing of a direct connection.
    const via = confirmed && identityPath ? ` (through ${identityPath})` : '';
    return { status: 'healthy', line: `✔ ${confirmed ? confirmed.title : 'No problems: every check that ran passed'}${via}`, ...path };
  }
  const broken = first.severity !== 'warn';
  const cause = likelyCauseOf(first, problems, checks);
  const next = cause?.command ? `${cause.command} (${cause.code}, also found)` : (first.command ?? shortFix(first.fix));
  const line = `${broken ? '✖' : '⚠'} ${first.title} [${first.code}]${next ? ` → ${next.split('\n')[0]}` : ''}`;
  const note = identityPath && broken ? noteOf(identityPath, first) : undefined;
  return { status: interrupted ? 'interrupted' : broken ? 'broken' : 'warnings', line, problem: first, ...(cause ? { likelyCause: cause } : {}), ...path, ...(note ? { note } : {}) };
}
