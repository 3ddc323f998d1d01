// The demo's RSA keys, kept once per machine. Making the simulated world's
// keys is most of a demo's start-up (DEMO_WORLD_KEYS, thirteen RSA-2048 keys:
// over 2 s of CPU on Node 20, seconds of blank screen on a loaded machine),
// and the issue allows making them once per machine in a directory the demo
// owns and can rebuild.
//
// Storing them is fine: they are the simulator's own keys, never a user's.
// They sign only for the simulated tenancy, token issuer and database
// listener that live inside the demo's process and die with it; a key read
// from here opens nothing outside that process. Still, the file is private
// (0600 in a 0700 directory) and one that is not plainly ours is not used.
//
// Every failure is silent: a missing, corrupt, short or foreign file is
// rebuilt, and a directory we cannot write means making keys as before.
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownCacheDirectory, POSIX } from './cache-dir.js';
import { addRsaKeys, makeRsaKeys, pooledRsaKeyCount, type PooledKey } from './key-pool.js';

const FORMAT = 'dbiam-doctor demo keys 1';
/** Far above any count the demo keeps (a 2048-bit key pair is about 2.2 kB of PEM). */
const MAX_FILE_BYTES = 256 * 1024;

export function keyCacheFile(dir: string, bits: number): string {
  return join(dir, `demo-rsa-${bits}.json`);
}

/** Ours alone: owned by this user and open to nobody else. */
function isPrivate(stat: { uid: number; mode: number }): boolean {
  if (!POSIX || typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o077) === 0;
}

/** One key pair as a key of `bits` whose public half is the one stored beside it; else undefined. */
function parseKey(value: unknown, bits: number): PooledKey | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { privateKeyPem, publicKeyPem } = value as Record<string, unknown>;
  if (typeof privateKeyPem !== 'string' || typeof publicKeyPem !== 'string') return undefined;
  try {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== bits) return undefined;
    if (createPublicKey(key).export({ type: 'spki', format: 'pem' }) !== publicKeyPem) return undefined;
    return { privateKeyPem, publicKeyPem };
  } catch {
    return undefined;
  }
}

/**
 * What writeCachedKeys stores beside the keys: the digest of the keys and
 * their size as written. A file whose digest matches holds the very keys a
 * demo made and wrote (RSA keys from generateKeyPair), so they are not parsed
 * again: parsing thirteen PEM keys was about 8 ms of every demo's start-up.
 * A file without it (written before) is checked key by key.
 */
function digestOf(bits: number, keys: readonly PooledKey[]): string {
  return createHash('sha256').update(JSON.stringify({ bits, keys: keys.map(({ privateKeyPem, publicKeyPem }) => ({ privateKeyPem, publicKeyPem })) })).digest('hex');
}

/** The cached keys of `bits` when the file holds at least `count` distinct, sound ones; else undefined. */
export function readCachedKeys(dir: string, bits: number, count: number): PooledKey[] | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(keyCacheFile(dir, bits), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES || !isPrivate(stat)) return undefined;
    const doc = JSON.parse(readFileSync(fd, 'utf8')) as unknown;
    if (typeof doc !== 'object' || doc === null) return undefined;
    const { format, keys, sha256 } = doc as Record<string, unknown>;
    if (format !== FORMAT || !Array.isArray(keys) || keys.length < count) return undefined;
    const written = sha256 === undefined ? undefined : keys.every((k) => typeof k?.privateKeyPem === 'string' && typeof k?.publicKeyPem === 'string') && sha256 === digestOf(bits, keys as PooledKey[]);
    if (written === false) return undefined;
    const parsed = keys.slice(0, count).map((k) => (written ? (k as PooledKey) : parseKey(k, bits)));
    if (parsed.some((k) => k === undefined)) return undefined;
    const sound = parsed as PooledKey[];
    // Two roles given the same key would hide the faults some scenarios plant (a session key that does not match).
    if (new Set(sound.map((k) => k.privateKeyPem)).size !== sound.length) return undefined;
    return sound;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes the keys as one file, atomically: a private temporary file renamed
 * over the old one, so a demo starting at the same moment reads the old file
 * or the new one, never half of either. Best effort: false when it could not.
 */
export function writeCachedKeys(dir: string, bits: number, keys: readonly PooledKey[]): boolean {
  if (!ownCacheDirectory(dir)) return false;
  const file = keyCacheFile(dir, bits);
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const stored = keys.map(({ privateKeyPem, publicKeyPem }) => ({ privateKeyPem, publicKeyPem }));
    writeFileSync(temp, `${JSON.stringify({ format: FORMAT, bits, keys: stored, sha256: digestOf(bits, stored) })}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/**
 * `count` distinct keys of `bits`: the cached ones when the cache holds them,
 * else new ones (made off the event loop) that are then cached for the next demo.
 */
export async function cachedOrNewKeys(dir: string, count: number, bits = 2048): Promise<PooledKey[]> {
  const cached = readCachedKeys(dir, bits, count);
  if (cached) return cached;
  const made = await makeRsaKeys(count, bits);
  writeCachedKeys(dir, bits, made);
  return made;
}

/**
 * Puts `count` keys of `bits` in the simulator's pool, from the cache when it
 * can. Nothing is read when the pool already holds enough (the test suite
 * hands every test file keys of its own).
 */
export async function prefillRsaKeysFromCache(dir: string, count: number, bits = 2048): Promise<void> {
  if (pooledRsaKeyCount(bits) >= count) return;
  addRsaKeys(await cachedOrNewKeys(dir, count, bits), bits);
}
