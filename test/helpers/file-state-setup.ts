// Vitest setup, last: a worker runs its test files one after another in one
// process (vitest.config.ts, isolate: false), so what a file changes in the
// process's environment or working directory is put back when the file ends,
// and every file starts from the same state, whatever ran before it.
import { afterAll } from 'vitest';

// The worker is a user's terminal, not a CI log: Ink reads CI once, when it
// is first imported (is-in-ci), and in CI draws nothing until exit. Runs that
// are about CI pass it in their own environment.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

const env = { ...process.env };
const cwd = process.cwd();

// Registered before the file's own hooks, so it runs after them (after-hooks run in reverse).
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  if (process.cwd() !== cwd) process.chdir(cwd);
});
