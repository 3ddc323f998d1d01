// Vitest setup (every test file): the run's RSA keys (key-pool-global.ts) go
// back into the worker's key pool before the file asks for its first key.
// Files share the worker's process, so a key an earlier file took may come
// round again; what that file kept built from one (pooledKeyMemo) is remade.
import { inject } from 'vitest';
import { addRsaKeys } from '../../src/sim/key-pool.js';
import type {} from './key-pool-global.js';

/** Puts the run's whole key set (again) on top of this file's pool: the next takes are its keys, each once. */
export function refillRunKeys(): void {
  for (const [bits, list] of Object.entries(inject('rsaKeys') ?? {})) addRsaKeys(list, Number(bits));
}

refillRunKeys();
// A child process that inherits this environment reads the suite's demo key cache too.
process.env.DBIAM_DOCTOR_CACHE_DIR = inject('demoKeyCacheDir');

