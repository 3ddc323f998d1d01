// The demo's per-machine key cache (src/sim/key-cache.ts), with real files and
// real keys: a cold cache is filled privately, a warm one hands back the same
// keys, anything not plainly ours or not whole is rebuilt, an unwritable place
// still yields keys, and two demos starting together both get sound keys.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCacheDir } from '../../src/sim/cache-dir.js';
import { cachedOrNewKeys, keyCacheFile, readCachedKeys } from '../../src/sim/key-cache.js';
import type { PooledKey } from '../../src/sim/key-pool.js';

// Small keys keep a cold fill quick; the code is the same for the demo's 2048.
const BITS = 1024;
const COUNT = 3;
const POSIX = process.platform !== 'win32';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dbiam-doctor-key-cache-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

let n = 0;
function freshDir(): string {
  return join(work, `case-${++n}`, 'dbiam-doctor');
}

/** Each key's private half opens, is RSA of BITS, and matches the public half beside it; no two alike. */
function expectSound(keys: readonly PooledKey[], count = COUNT): void {
  expect(keys).toHaveLength(count);
  for (const k of keys) {
    const priv = createPrivateKey(k.privateKeyPem);
    expect(priv.asymmetricKeyDetails?.modulusLength).toBe(BITS);
    expect(createPublicKey(priv).export({ type: 'spki', format: 'pem' })).toBe(k.publicKeyPem);
  }
  expect(new Set(keys.map((k) => k.privateKeyPem)).size).toBe(count);
}

const pems = (keys: readonly PooledKey[]) => keys.map((k) => k.privateKeyPem);

describe('demo key cache', () => {
  it('sits in DBIAM_DOCTOR_CACHE_DIR, else $XDG_CACHE_HOME/dbiam-doctor, else ~/.cache/dbiam-doctor', () => {
    expect(demoCacheDir({ DBIAM_DOCTOR_CACHE_DIR: '/c/own', XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/c/own');
    expect(demoCacheDir({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe(join('/x', 'dbiam-doctor'));
    expect(demoCacheDir({ XDG_CACHE_HOME: '' }, '/home/u')).toBe(join('/home/u', '.cache', 'dbiam-doctor'));
  });

  it('a cold cache is made private (directory 0700, file 0600) and a warm one hands back the same keys', async () => {
    const dir = freshDir();
    const first = await cachedOrNewKeys(dir, COUNT, BITS);
    expectSound(first);
    if (POSIX) {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(keyCacheFile(dir, BITS)).mode & 0o777).toBe(0o600);
    }
    const second = await cachedOrNewKeys(dir, COUNT, BITS);
    expect(pems(second)).toEqual(pems(first));
    // Nothing but the one file: no temporary file left behind.
    expect(readdirSync(dir)).toEqual([`demo-rsa-${BITS}.json`]);
  });

  const spoilers: [string, (file: string, text: string) => void][] = [
    ['cut in half', (file, text) => writeFileSync(file, text.slice(0, text.length / 2))],
    ['not JSON at all', (file) => writeFileSync(file, 'garbage\n')],
    ['one key short', (file, text) => writeFileSync(file, JSON.stringify({ ...JSON.parse(text), keys: JSON.parse(text).keys.slice(1) }))],
    ['holding one key twice', (file, text) => {
      const doc = JSON.parse(text);
      writeFileSync(file, JSON.stringify({ ...doc, keys: [doc.keys[0], ...doc.keys.slice(0, -1)] }));
    }],
    ['a public key that is not the private key\'s', (file, text) => {
      const doc = JSON.parse(text);
      writeFileSync(file, JSON.stringify({ ...doc, keys: [{ ...doc.keys[0], publicKeyPem: doc.keys[1].publicKeyPem }, ...doc.keys.slice(1)] }));
    }],
  ];
  it.each(spoilers)('a file %s is rebuilt silently with sound keys', async (_what, spoil) => {
    const dir = freshDir();
    const first = await cachedOrNewKeys(dir, COUNT, BITS);
    const file = keyCacheFile(dir, BITS);
    spoil(file, readFileSync(file, 'utf8'));
    expect(readCachedKeys(dir, BITS, COUNT)).toBeUndefined();
    const rebuilt = await cachedOrNewKeys(dir, COUNT, BITS);
    expectSound(rebuilt);
    expect(pems(rebuilt)).not.toEqual(pems(first));
    // The rebuilt file is whole again: the next demo reads it.
    expect(pems(readCachedKeys(dir, BITS, COUNT) ?? [])).toEqual(pems(rebuilt));
  });

  it('a file written without a digest (by an earlier version) is still read when its keys are sound, and rebuilt when not', async () => {
    const dir = freshDir();
    const first = await cachedOrNewKeys(dir, COUNT, BITS);
    const file = keyCacheFile(dir, BITS);
    const { sha256, ...undigested } = JSON.parse(readFileSync(file, 'utf8')) as { sha256?: string; keys: PooledKey[] };
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(file, JSON.stringify(undigested), { mode: 0o600 });
    expect(pems(readCachedKeys(dir, BITS, COUNT) ?? [])).toEqual(pems(first));
    const [k0, k1, ...rest] = undigested.keys as [PooledKey, PooledKey, ...PooledKey[]];
    writeFileSync(file, JSON.stringify({ ...undigested, keys: [{ ...k0, publicKeyPem: k1.publicKeyPem }, k1, ...rest] }), { mode: 0o600 });
    expect(readCachedKeys(dir, BITS, COUNT)).toBeUndefined();
  });

  it('keys of another size are not handed out as these', async () => {
    const dir = freshDir();
    await cachedOrNewKeys(dir, COUNT, BITS);
    writeFileSync(keyCacheFile(dir, 2048), readFileSync(keyCacheFile(dir, BITS)), { mode: 0o600 });
    expect(readCachedKeys(dir, 2048, COUNT)).toBeUndefined();
  });

  it.skipIf(!POSIX)('a file others can read is not trusted: rebuilt at 0600', async () => {
    const dir = freshDir();
    const first = await cachedOrNewKeys(dir, COUNT, BITS);
    chmodSync(keyCacheFile(dir, BITS), 0o644);
    const again = await cachedOrNewKeys(dir, COUNT, BITS);
    expect(pems(again)).not.toEqual(pems(first));
    expect(statSync(keyCacheFile(dir, BITS)).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!POSIX || process.getuid?.() !== 0)('a file another user owns is not used, and replaced by one of ours', async () => {
    const dir = freshDir();
    const first = await cachedOrNewKeys(dir, COUNT, BITS);
    chownSync(keyCacheFile(dir, BITS), 4242, 4242);
    const again = await cachedOrNewKeys(dir, COUNT, BITS);
    expect(pems(again)).not.toEqual(pems(first));
    expect(statSync(keyCacheFile(dir, BITS)).uid).toBe(0);
  });

  it('a place that cannot be a directory still yields sound keys, and writes nothing', async () => {
    const base = join(work, `case-${++n}`);
    mkdirSync(base);
    const blocker = join(base, 'a-file');
    writeFileSync(blocker, 'not a directory\n');
    const keys = await cachedOrNewKeys(join(blocker, 'dbiam-doctor'), COUNT, BITS);
    expectSound(keys);
    expect(readdirSync(base)).toEqual(['a-file']);
  });

  it.skipIf(!POSIX)('a directory others may write in (DBIAM_DOCTOR_CACHE_DIR=/tmp) is left as it is: keys made, nothing written', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o1777);
    expectSound(await cachedOrNewKeys(dir, COUNT, BITS));
    expect(statSync(dir).mode & 0o7777).toBe(0o1777);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!POSIX)('a directory the user named that others may read keeps its mode, and holds the private file', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const keys = await cachedOrNewKeys(dir, COUNT, BITS);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(keyCacheFile(dir, BITS)).mode & 0o777).toBe(0o600);
    expect(pems(readCachedKeys(dir, BITS, COUNT) ?? [])).toEqual(pems(keys));
  });

  it('two demos starting together on a cold cache both get sound keys, and leave one whole file', async () => {
    const dir = freshDir();
    const count = 6;
    const script = `import { cachedOrNewKeys } from ${JSON.stringify(join(process.cwd(), 'src/sim/key-cache.ts'))};
const keys = await cachedOrNewKeys(process.argv[1], ${count}, ${BITS});
process.stdout.write(JSON.stringify(keys));`;
    const run = () =>
      new Promise<PooledKey[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as PooledKey[]) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expectSound(a, count);
    expectSound(b, count);
    const kept = readCachedKeys(dir, BITS, count);
    expect(kept).toBeDefined();
    expect([pems(a), pems(b)]).toContainEqual(pems(kept ?? []));
    expect(readdirSync(dir)).toEqual([`demo-rsa-${BITS}.json`]);
  });
});
