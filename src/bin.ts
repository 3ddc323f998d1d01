#!/usr/bin/env node
// Entry point of the published bundle: wires the real process into main().
import { enableCompileCache } from './adapters/compile-cache.js';
import { removeTemporaryFiles } from './adapters/files.js';
import { main } from './cli.js';
import { redactByShape } from './core/redact.js';
import { visibleText } from './core/report/sanitize.js';

// Every way a terminal session ends: Ctrl+C, kill, a closed terminal (HUP), Ctrl+\ (QUIT).
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGQUIT: 3 };
/** After a signal the run gets this long to finish cleanly; then the process exits whatever is pending. */
const SIGNAL_GRACE_MS = 800;

function onSignal(handler: () => void): () => void {
  let count = 0;
  const listener = (signal: NodeJS.Signals): void => {
    count += 1;
    // A second Ctrl+C means: stop now, whatever is still running.
    if (count > 1) process.exit(130);
    // A thread stuck in a blocking call must not keep the process alive.
    setTimeout(() => process.exit(128 + (SIGNAL_NUMBERS[signal as (typeof SIGNALS)[number]] ?? 2)), SIGNAL_GRACE_MS).unref();
    handler();
  };
  for (const s of SIGNALS) process.on(s, listener);
  return () => {
    for (const s of SIGNALS) process.off(s, listener);
  };
}

// `dbiam-doctor | head -1`: the reader left; stop quietly instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
process.on('exit', removeTemporaryFiles);

function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

const cwd = currentDirectory();
if (cwd === undefined) {
  process.stderr.write('dbiam-doctor: the current directory no longer exists (deleted or unmounted); cd to an existing directory and run it again\n');
  process.exit(1);
}

main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  onSignal,
  compileCache: enableCompileCache,
}).then(
  (code) => {
    process.exitCode = code;
    // Pending handles (a stalled socket of an aborted check) must not keep the process alive.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`dbiam-doctor: unexpected error: ${visibleText(redactByShape(message))}\n`);
    process.exit(1);
  },
);
