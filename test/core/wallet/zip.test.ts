// The in-memory wallet zip reader against real archives built here: a good
// wallet, and the archives it must refuse without unpacking them.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZip, unsafeEntryName, WALLET_ZIP_LIMITS } from '../../../src/core/wallet/zip.js';
import { tempDir } from '../../helpers/deps.js';
import { buildZip } from '../../helpers/zip.js';

const MB = 1024 * 1024;

describe('readZip: wallets it accepts', () => {
  it('reads stored and deflated entries, including ones in a folder', () => {
    const zip = buildZip([
      { name: 'README', data: 'will expire on 2027-01-01 00:00:00.0 UTC.\n' },
      { name: 'tnsnames.ora', data: 'a = (description=(address=(host=h)(port=1)))\n'.repeat(20), method: 'deflate' },
      { name: 'cwallet.sso', data: Buffer.from('a1f84e36', 'hex'), method: 'store' },
      { name: 'Wallet_LEDGER/', data: '', method: 'store' },
      { name: 'Wallet_LEDGER/ewallet.pem', data: '-----BEGIN CERTIFICATE-----\n' },
    ]);
    const read = readZip(zip);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.entries.map((e) => e.name)).toEqual(['README', 'tnsnames.ora', 'cwallet.sso', 'Wallet_LEDGER/ewallet.pem']);
    expect(read.entries[1]?.data.toString()).toContain('(description=');
    expect(read.entries[2]?.data.toString('hex')).toBe('a1f84e36');
  });

  it('reads what the system zip tool writes, when it is installed', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'README'), 'The SSL certificates provided in this wallet will expire on 2027-01-01 00:00:00.0 UTC.\n');
    writeFileSync(join(dir, 'tnsnames.ora'), 'x = (description=)\n'.repeat(50));
    try {
      execFileSync('zip', ['-q', '-X', join(dir, 'w.zip'), 'README', 'tnsnames.ora'], { cwd: dir, stdio: 'ignore', timeout: 5000 });
    } catch {
      return; // no zip on this machine: the hand-built archives above cover the reader
    }
    if (!existsSync(join(dir, 'w.zip'))) return;
    const read = readZip(readFileSync(join(dir, 'w.zip')));
    expect(read.ok && read.entries.map((e) => e.name)).toEqual(['README', 'tnsnames.ora']);
  });

  it('notes a duplicated name and keeps the first copy', () => {
    const read = readZip(buildZip([{ name: 'README', data: 'first' }, { name: 'README', data: 'second' }]));
    expect(read.ok && read.entries.map((e) => e.data.toString())).toEqual(['first']);
    expect(read.ok && read.notes[0]).toMatch(/more than once/);
  });
});

describe('readZip: archives it refuses', () => {
  it('a zip bomb by size: 60 MB of zeros is refused from the headers, without inflating it', () => {
    const zeros = Buffer.alloc(60 * MB);
    const zip = buildZip([{ name: 'ewallet.pem', data: zeros }]);
    expect(zip.length).toBeLessThan(WALLET_ZIP_LIMITS.maxCompressedBytes);
    const started = performance.now();
    const read = readZip(zip);
    const ms = performance.now() - started;
    expect(read).toMatchObject({ ok: false, problem: 'zip-bomb' });
    expect(!read.ok && read.reason).toMatch(/declare \d+\+? bytes/);
    // Inflating 60 MB takes far longer than reading two headers.
    expect(ms).toBeLessThan(50);
  });

  it('a zip bomb that lies about its size is stopped at the declared size', () => {
    const zeros = Buffer.alloc(60 * MB);
    const deflated = deflateRawSync(zeros, { level: 9 });
    const zip = buildZip([{ name: 'README', data: zeros, rawDeflated: deflated, declaredSize: 1000 }]);
    const started = performance.now();
    const read = readZip(zip);
    expect(read).toMatchObject({ ok: false, problem: 'zip-bomb', entry: 'README' });
    expect(!read.ok && read.reason).toMatch(/inflates past its declared 1000 bytes/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('a zip bomb by ratio: a 5 MB entry (under the size limit) that compresses 1000:1', () => {
    const read = readZip(buildZip([{ name: 'README', data: Buffer.alloc(5 * MB) }]));
    expect(read).toMatchObject({ ok: false, problem: 'zip-bomb' });
    expect(!read.ok && read.reason).toMatch(/ratio \d+:1/);
  });

  it.each([
    ['../../etc/cron.d/evil', "a '..' segment"],
    ['Wallet/../../x', "a '..' segment"],
    ['/etc/passwd', 'an absolute path'],
    ['..\\evil.dll', 'a backslash'],
    ['C:/Windows/evil', 'a drive letter'],
  ])('path traversal: %s', (name, why) => {
    const read = readZip(buildZip([{ name: 'README', data: 'ok' }, { name, data: 'x' }]));
    expect(read).toMatchObject({ ok: false, problem: 'path-traversal' });
    expect(!read.ok && read.reason).toContain(why);
    expect(unsafeEntryName('Wallet_DB/ewallet.pem')).toBeUndefined();
  });

  it('an encrypted entry', () => {
    expect(readZip(buildZip([{ name: 'ewallet.p12', data: 'x', encrypted: true }]))).toMatchObject({ ok: false, problem: 'encrypted', entry: 'ewallet.p12' });
  });

  it('more than 100 entries', () => {
    const zip = buildZip(Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, data: 'x', method: 'store' as const })));
    expect(readZip(zip)).toMatchObject({ ok: false, problem: 'too-many-entries' });
  });

  it('more than 10 MB of archive', () => {
    const big = buildZip([{ name: 'noise', data: randomBytes(10 * MB + 10), method: 'store' }]);
    expect(readZip(big)).toMatchObject({ ok: false, problem: 'too-large' });
  });

  it('more than 50 MB unpacked in total, spread over entries that each look innocent', () => {
    const piece = randomBytes(MB);
    const zip = buildZip(Array.from({ length: 9 }, (_, i) => ({ name: `f${i}`, data: piece, method: 'store' as const, declaredSize: 6 * MB })));
    expect(readZip(zip)).toMatchObject({ ok: false, problem: 'zip-bomb' });
  });

  it('a damaged entry fails its CRC instead of passing garbage on', () => {
    const zip = buildZip([{ name: 'README', data: 'hello wallet', method: 'store' }]);
    const at = 30 + 'README'.length;
    zip[at] = (zip[at] as number) ^ 0xff;
    expect(readZip(zip)).toMatchObject({ ok: false, problem: 'corrupt' });
  });
});

describe('readZip never throws on garbage', () => {
  const good = buildZip([{ name: 'README', data: 'hello '.repeat(100) }, { name: 'tnsnames.ora', data: 'x=(y)' }]);
  it.each([
    ['empty', Buffer.alloc(0)],
    ['random bytes', randomBytes(4096)],
    ['PK and nothing else', Buffer.from('PK\x03\x04')],
    ['truncated in the middle', good.subarray(0, Math.floor(good.length / 2))],
    ['only the end record', good.subarray(good.length - 22)],
  ])('%s', (_name, bytes) => {
    const read = readZip(bytes);
    expect(read.ok).toBe(false);
    expect(!read.ok && ['not-zip', 'corrupt'].includes(read.problem)).toBe(true);
  });

  it('every single-byte corruption of a good zip gives an answer, not an exception', () => {
    for (let i = 0; i < good.length; i += 3) {
      const bad = Buffer.from(good);
      bad[i] = (bad[i] as number) ^ 0x5a;
      expect(() => readZip(bad)).not.toThrow();
    }
  });
});
