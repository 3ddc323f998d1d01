// Vitest setup (every test file): the run's RSA keys (key-pool-global.ts) go
// into this file's key pool before the file asks for its first key.
import { createRequire } from 'node:module';
import { inject } from 'vitest';
import { addRsaKeys, pooledRsaKeyCount, takeRsaKey } from '../../src/sim/key-pool.js';
import type {} from './key-pool-global.js';

/** Puts the run's whole key set (again) on top of this file's pool: the next takes are its keys, each once. */
export function refillRunKeys(): void {
  for (const [bits, list] of Object.entries(inject('rsaKeys') ?? {})) addRsaKeys(list, Number(bits));
}

refillRunKeys();
// A child process that inherits this environment reads the suite's demo key cache too.
process.env.DBIAM_DOCTOR_CACHE_DIR = inject('demoKeyCacheDir');

// The SDK's own RSA keys too: oci-common makes a 2048-bit session key pair
// synchronously (auth/session-key-supplier.js) for every instance- or
// resource-principal provider it builds — 5 s of the suite's in-process CPU.
// Its CommonJS `require("crypto")` sees this wrapper, which hands out one of
// the run's keys (made at test time, each handed out once) when the request is
// exactly the shape the pool holds, and otherwise makes the key as asked.
// The product's own modules import generateKeyPairSync as an ES binding, which
// this does not touch.
const cryptoCjs = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
const realGenerateKeyPairSync = cryptoCjs.generateKeyPairSync;
cryptoCjs.generateKeyPairSync = function pooledGenerateKeyPairSync(type: string, options?: Record<string, unknown>) {
  const o = options ?? {};
  const pub = o.publicKeyEncoding as { type?: string; format?: string } | undefined;
  const priv = o.privateKeyEncoding as { type?: string; format?: string; cipher?: string } | undefined;
  const bits = o.modulusLength as number;
  const poolShaped = type === 'rsa' && (o.publicExponent === undefined || o.publicExponent === 65537) && pub?.type === 'spki' && pub.format === 'pem' && priv?.type === 'pkcs8' && priv.format === 'pem' && !priv.cipher;
  if (poolShaped && pooledRsaKeyCount(bits) > 0) {
    const key = takeRsaKey(bits);
    return { publicKey: key.publicKeyPem, privateKey: key.privateKeyPem };
  }
  return (realGenerateKeyPairSync as (...a: unknown[]) => unknown)(type, options);
} as typeof cryptoCjs.generateKeyPairSync;
