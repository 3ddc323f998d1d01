// RSA keys for the simulated world, made ahead of need. Building the demo's
// world takes about seven RSA-2048 keys (token issuer, API and session keys,
// the listener's root, intermediate and leaf, the wallet's client key); made
// one after another with generateKeyPairSync they block the event loop for
// most of the demo's start-up. prefillRsaKeys makes them asynchronously, in
// parallel on libuv's thread pool; takeRsaKey hands each out once and falls
// back to a synchronous key when the pool is empty (tests, serve, scenarios
// that need more), so callers stay synchronous. The demo fills it from a
// per-machine cache when it can (key-cache.ts).
import { generateKeyPair, generateKeyPairSync } from 'node:crypto';

export interface PooledKey {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
}

function options(bits: number) {
  return { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } } as const;
}

const pool = new Map<number, PooledKey[]>();
/** Every key handed out in this process (its private PEM), so a refill that puts one back is noticed. */
const handed = new Set<string>();
/** Bumped when keys already handed out become available again: a value holding one must not outlive it. */
let reissues = 0;

function keysOf(bits: number): PooledKey[] {
  let keys = pool.get(bits);
  if (!keys) pool.set(bits, (keys = []));
  return keys;
}

/** `count` new keys of `bits`, made in parallel on libuv's thread pool; never blocks the event loop. */
export function makeRsaKeys(count: number, bits = 2048): Promise<PooledKey[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      new Promise<PooledKey>((resolve, reject) => {
        generateKeyPair('rsa', options(bits), (err, publicKeyPem, privateKeyPem) => (err ? reject(err) : resolve({ privateKeyPem, publicKeyPem })));
      }),
    ),
  );
}

/** Make keys in parallel until the pool holds `count` of `bits`; never blocks the event loop. */
export async function prefillRsaKeys(count: number, bits = 2048): Promise<void> {
  keysOf(bits).push(...(await makeRsaKeys(Math.max(0, count - keysOf(bits).length), bits)));
}

/** How many keys of `bits` the pool holds now. */
export function pooledRsaKeyCount(bits = 2048): number {
  return keysOf(bits).length;
}

/** A fresh key of `bits`: one from the pool (each handed out once), else made now. */
export function takeRsaKey(bits = 2048): PooledKey {
  const pooled = keysOf(bits).pop();
  if (pooled) return handedOut(pooled);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', options(bits));
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** A fresh key of `bits`: one from the pool (each handed out once), else made on libuv's thread pool. */
export async function takeRsaKeyOffThread(bits = 2048): Promise<PooledKey> {
  const pooled = keysOf(bits).pop();
  return pooled ? handedOut(pooled) : ((await makeRsaKeys(1, bits))[0] as PooledKey);
}

function handedOut(key: PooledKey): PooledKey {
  handed.add(key.privateKeyPem);
  return key;
}

/** Adds keys made elsewhere (the test suite makes one set per run and hands every test file a copy). */
export function addRsaKeys(keys: readonly PooledKey[], bits = 2048): void {
  // A key already waiting in the pool is not added twice: two roles must never share one.
  const pooled = new Set(keysOf(bits).map((k) => k.privateKeyPem));
  const added = keys.filter((k) => !pooled.has(k.privateKeyPem));
  if (added.some((k) => handed.has(k.privateKeyPem))) reissues++;
  keysOf(bits).push(...added);
}

/**
 * A value made from pooled keys once, and made again after the pool was given
 * back keys it had already handed out (the test suite refills it for every test
 * file, in one process): the value's keys may then go to another role.
 */
export function pooledKeyMemo<T>(make: () => T): () => T {
  let made: { value: T; at: number } | undefined;
  return () => {
    if (made?.at !== reissues) made = { value: make(), at: reissues };
    return made.value;
  };
}
