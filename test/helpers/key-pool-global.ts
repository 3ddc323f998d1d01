// Vitest global setup: RSA keys made once per run, in parallel on libuv's
// thread pool, and handed to every test file (key-pool-setup.ts puts them in
// the simulator's key pool). Keygen was most of the suite's CPU: each file made
// its own keys one by one, each simulator start its own, and RSA-2048 takes
// 0.1 s idle and over 1 s on a loaded 2-core machine. Within a file each key is
// still handed out once, so two keys a test asks for always differ; a file that
// needs more than the set falls back to making them.
import { generateKeyPair } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_WORLD_KEYS } from '../../src/commands/demo/world.js';
import { writeCachedKeys } from '../../src/sim/key-cache.js';
import type { TestProject } from 'vitest/node';
import type { PooledKey } from '../../src/sim/key-pool.js';

/** Keys per size: the most key-hungry files take 35 (1024) and 33 (2048); counted with a logging takeRsaKey over test/checks, test/sim and the doctor suites. */
export const RUN_KEY_COUNTS: Readonly<Record<number, number>> = { 1024: 40, 2048: 40 };

declare module 'vitest' {
  export interface ProvidedContext {
    rsaKeys: Record<string, PooledKey[]>;
    /** The demo key cache every demo the suite runs reads (DBIAM_DOCTOR_CACHE_DIR), filled once. */
    demoKeyCacheDir: string;
    /** The run's temporary directory (TMPDIR for every test file and the processes it starts), removed when the run ends. */
    runTmpDir: string;
  }
}

function makeKey(bits: number): Promise<PooledKey> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (err, publicKeyPem, privateKeyPem) =>
      err ? reject(err) : resolve({ publicKeyPem, privateKeyPem }),
    ),
  );
}

interface SuiteState {
  runTmpDir: string;
  rsaKeys: Record<string, PooledKey[]>;
  demoKeyCacheDir: string;
}

async function makeSuiteState(): Promise<SuiteState> {
  // Everything the run makes under the temporary directory lands in one
  // directory removed at the end: test files, the CLIs they spawn and the
  // workers vitest kills cannot all clean up after themselves (a 2-core CI
  // machine had 26,000 leftover directories in /tmp).
  const runTmpDir = mkdtempSync(join(tmpdir(), 'dbiam-doctor-suite-'));
  const entries = await Promise.all(Object.entries(RUN_KEY_COUNTS).map(async ([bits, count]) => [bits, await Promise.all(Array.from({ length: count }, () => makeKey(Number(bits))))] as const));
  // Every demo the suite starts (in-process or a spawned CLI) reads its world's
  // keys from one cache, filled here once, instead of making them per process.
  const demoKeyCacheDir = join(runTmpDir, 'cache', 'dbiam-doctor');
  const keys2048 = entries.find(([bits]) => bits === '2048')?.[1] ?? [];
  if (!writeCachedKeys(demoKeyCacheDir, 2048, keys2048.slice(0, DEMO_WORLD_KEYS))) throw new Error(`could not fill the suite's demo key cache in ${demoKeyCacheDir}`);
  return { runTmpDir, rsaKeys: Object.fromEntries(entries), demoKeyCacheDir };
}

// Vitest runs a global setup once per project (vitest.config.ts has two), each
// time in a fresh module graph of the same main process: made once here and
// handed to both, the keys no longer cost the run's first 4 s twice on Node 20.
const MADE = Symbol.for('dbiam-doctor.suite-state');
const holder = globalThis as { [MADE]?: Promise<SuiteState> };

export default async function setup(project: TestProject): Promise<() => void> {
  const state = await (holder[MADE] ??= makeSuiteState());
  project.provide('runTmpDir', state.runTmpDir);
  project.provide('rsaKeys', state.rsaKeys);
  project.provide('demoKeyCacheDir', state.demoKeyCacheDir);
  // Each project's teardown runs after the whole run; the second removal finds nothing. A setup after
  // it (vitest restarting in watch mode) makes a new state instead of handing out the removed one.
  return () => {
    rmSync(state.runTmpDir, { recursive: true, force: true });
    delete holder[MADE];
  };
}
