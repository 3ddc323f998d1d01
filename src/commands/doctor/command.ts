// `dbiam-doctor [doctor]`: runs the checks and shows them on the screen, as
// plain text, Markdown or JSON; optionally writes the report to a file.
import { resolve } from 'node:path';
import { localFiles, writeFileAtomic } from '../../adapters/files.js';
import { canPrompt, readHidden } from '../../adapters/prompt.js';
import type { CheckId } from '../../checks/check-index.js';
import type { DoctorCheck, DoctorDeps } from '../../checks/deps.js';
import type { CliIO, OutputStream } from '../io.js';
import { ADMIN_PASSWORD_ENV } from '../../core/options.js';
import { Redactor } from '../../core/redact.js';
import { selectChecks } from '../../core/selection.js';
import { fileFormatFor, renderReport } from '../../core/report/index.js';
import { PIPE_WIDTH, textFooter, textHeader, textResolvedHeader, textRow, visibleVerdict } from '../../core/report/text.js';
import { verdictOf } from '../../core/report/verdict.js';
import { rawStream } from '../../core/report/sanitize.js';
import type { RunReport } from '../../core/types.js';
import { ciLogRequested, firstFrameText, noColorRequested } from '../../ui/header-text.js';
import { altScreen } from '../../ui/alt-screen.js';
import { inlineResult } from '../../ui/inline-result.js';
import { headerContext } from './context.js';
import { registerEnvironmentSecrets } from './secrets.js';
import { createDoctorSession, type DoctorSession } from './session.js';

export interface DoctorCommandInput {
  deps: Omit<DoctorDeps, 'secrets'>;
  checks: readonly DoctorCheck[];
  io: CliIO;
}

export function redactorFor(deps: Omit<DoctorDeps, 'secrets'>): Redactor {
  const { system, options } = deps;
  const redactor = new Redactor({ maskIdentifiers: options.redact, homeDir: system.homeDir, userName: system.userName, hostName: system.hostName });
  registerEnvironmentSecrets(deps.env, redactor);
  // The database host of the target: `host:port/service`, `user@host/…` or `(host=…)`.
  for (const m of (options.dsn ?? '').matchAll(/(?:^|@|\/\/)([A-Za-z0-9][\w.-]*)(?=:\d|\/)|\(\s*host\s*=\s*([^)\s]+)/gi)) redactor.addIdentifier(m[1] ?? m[2], 'host');
  return redactor;
}

/** The check that reads the database as --admin-user (by id: its module is loaded only when it runs). */
const DB_CONFIG: CheckId = 'db.config';

/**
 * --admin-user without DBIAM_DOCTOR_ADMIN_PASSWORD, at a terminal: ask for the
 * password without echo before the run starts (undefined: the user cancelled).
 * Only when db.config will run: not under --offline, --skip or an --only without it.
 */
async function withAdminPassword(base: DoctorCommandInput['deps'], checks: readonly DoctorCheck[], io: CliIO): Promise<DoctorCommandInput['deps'] | undefined> {
  const { adminUser, adminDbtoolsConnectionId } = base.options;
  const stdin = io.stdin;
  if (!adminUser || adminDbtoolsConnectionId || base.env[ADMIN_PASSWORD_ENV] || !canPrompt(stdin)) return base;
  const selection = selectChecks(checks, base.options);
  if (!selection.checks.some((c) => c.id === DB_CONFIG) || selection.skipReasons.has(DB_CONFIG)) return base;
  const answer = await readHidden(stdin, io.stderr, `Password for ${adminUser} (not shown; empty skips the database side): `);
  if (answer.cancelled) return undefined;
  return answer.value ? { ...base, env: { ...base.env, [ADMIN_PASSWORD_ENV]: answer.value } } : base;
}

export async function runDoctorCommand({ deps: given, checks, io }: DoctorCommandInput): Promise<number> {
  const base = await withAdminPassword(given, checks, io);
  if (!base) return 130;
  const redactor = redactorFor(base);
  const deps: DoctorDeps = { ...base, secrets: { add: (v, label) => redactor.addSecret(v, label) } };
  const session = createDoctorSession({ deps, checks, redactor, context: headerContext(deps.options, deps.system) });
  // A dumb terminal cannot move the cursor or switch screens, and in a CI log Ink draws nothing until
  // exit: both get the plain text report as it comes.
  const format = deps.options.format ?? (io.stdout.isTTY && io.env.TERM !== 'dumb' && !ciLogRequested(io.env) ? 'tty' : 'text');
  const removeSignals = io.onSignal?.(() => session.interrupt());
  try {
    let report: RunReport | undefined;
    if (deps.options.watch) {
      // Watching prints progress lines, not the screen; the final run is the report.
      const { watchRuns } = await import('./watch.js');
      const passwordLogon = Boolean(deps.options.adminUser && !deps.options.adminDbtoolsConnectionId);
      report = await watchRuns({ session, checks, strict: deps.options.strict, passwordLogon, progress: io.stderr, ...(deps.options.watchTimeoutMs ? { timeoutMs: deps.options.watchTimeoutMs } : {}) });
      io.stdout.write(renderReport(format === 'tty' ? 'text' : format, report, redactor, textWidth(io.stdout)));
    } else if (format === 'tty') {
      // The first frame (header and checklist, all pending) is written before
      // Ink and React load (they load only for this screen); the checks start
      // meanwhile, and Ink's first frame redraws it in place.
      // In the alternate screen: the user's scroll-back is never touched; the compact result is printed after it.
      const screen = altScreen(rawStream(io.stdout));
      screen.enter();
      try {
        rawStream(io.stdout).write(firstFrameText(session.model(), noColorRequested(io.env), io.stdout.columns));
        const running = session.run();
        const { runScreen } = await import('../../ui/screen.js');
        // The screen saves (`s`) in its io.cwd: where the user wants reports (see CliIO.reportDir), which the notice then names.
        const screenIo = io.reportDir ? { ...io, cwd: io.reportDir } : io;
        report = await runScreen({ session, running, redactor, io: screenIo, saveReport: (path) => saveReport(path, 'md', session, redactor) });
      } finally {
        screen.leave();
        io.stdout.write(inlineResult(session.model()));
      }
    } else if (format === 'text') {
      report = await streamText(session, io.stdout, redactor);
    } else {
      report = await session.run();
      io.stdout.write(renderReport(format, report, redactor));
    }
    if (deps.options.verbose) writeLibraryOutput(session, io.stderr);
    if (report && deps.options.output) {
      const path = resolve(io.reportDir ?? io.cwd, deps.options.output);
      try {
        // An interrupted run never replaces a report that is already there (it may be the complete one).
        if (report.interrupted && (await localFiles.probe(path)).kind === 'file') {
          io.stderr.write(`${redactor.redact(`dbiam-doctor: interrupted; kept the existing ${path}`)}\n`);
          return session.exitCode();
        }
        const say = (m: string): void => void io.stderr.write(`${redactor.redact(`dbiam-doctor: ${m}`)}\n`);
        await writeFileAtomic(path, renderReport(fileFormatFor(path, deps.options.format), report, redactor), undefined, { say });
      } catch (err) {
        io.stderr.write(`${redactor.redact(`dbiam-doctor: cannot write ${path}: ${(err as Error).message}`)}\n`);
        return 1;
      }
    }
    return session.exitCode();
  } finally {
    removeSignals?.();
  }
}

async function saveReport(path: string, format: 'md', session: DoctorSession, redactor: Redactor): Promise<void> {
  const report = session.report();
  if (!report) throw new Error('no finished run to save yet');
  await writeFileAtomic(path, renderReport(format, report, redactor));
}

function writeLibraryOutput(session: DoctorSession, out: OutputStream): void {
  const lines = session.libraryOutput();
  out.write(`\nLibrary output captured while checks ran (${lines.length} line${lines.length === 1 ? '' : 's'}):\n`);
  for (const l of lines) out.write(`  ${l}\n`);
}

/** Text is folded at the terminal's width, or at 100 columns in a pipe or a file. */
function textWidth(out: OutputStream): number {
  return out.isTTY && out.columns ? out.columns : PIPE_WIDTH;
}

/** Text mode prints the header at once and each check as soon as it and those above it are done. */
async function streamText(session: DoctorSession, out: OutputStream, redactor: Redactor): Promise<RunReport> {
  const width = textWidth(out);
  const first = session.model();
  out.write(`${textHeader(first.tool, first.header, width)}\n`);
  let printed = 0;
  const flush = (): void => {
    const rows = session.model().rows;
    while (printed < rows.length) {
      const row = rows[printed];
      if (!row || row.status === 'pending' || row.status === 'running') break;
      out.write(`${textRow(row, width)}\n`);
      printed += 1;
    }
  };
  const unsubscribe = session.subscribe(flush);
  try {
    const report = await session.run();
    flush();
    const done = session.model();
    out.write(textResolvedHeader(first.header, done.header, width));
    out.write(textFooter(done.summaryLine ?? '', done.panels, width, visibleVerdict(verdictOf(report.checks, report.interrupted === true), redactor)));
    return report;
  } finally {
    unsubscribe();
  }
}
