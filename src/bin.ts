#!/usr/bin/env node
// Entry point of the published bundle: wires the real process into main().
import { main } from './cli.js';

function onSignal(handler: () => void): () => void {
  let count = 0;
  const listener = (): void => {
    count += 1;
    // A second Ctrl+C means: stop now, whatever is still running.
    if (count > 1) process.exit(130);
    handler();
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}

main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  onSignal,
}).then(
  (code) => {
    process.exitCode = code;
    // Pending handles (a stalled socket of an aborted check) must not keep the process alive.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (err: unknown) => {
    process.stderr.write(`dbiam-doctor: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
