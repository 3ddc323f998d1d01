// The environment variable that points a demo at the suite's key cache
// (filled once in key-pool-global.ts). Tests that hand the CLI an environment
// of its own add it, so no demo makes its world's keys or writes a cache into
// a test's throw-away (or fake) home.
import { inject } from 'vitest';
import type {} from './key-pool-global.js';

export function suiteKeyCacheEnv(): { DBIAM_DOCTOR_CACHE_DIR: string } {
  return { DBIAM_DOCTOR_CACHE_DIR: inject('demoKeyCacheDir') };
}
