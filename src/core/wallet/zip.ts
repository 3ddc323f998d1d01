// A bounded, in-memory ZIP reader for wallets (Wallet_<db>.zip, or a zip kept
// in OCI Vault). Wallets are a handful of small files, so anything big, deep,
// encrypted or oddly named is refused before it is inflated, and inflation
// itself is capped: a lying header cannot make it allocate more than allowed.
// It never throws: every problem comes back as a typed refusal.
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Largest zip accepted, in bytes. */
  maxCompressedBytes: number;
  /** Largest sum of the entries' inflated sizes, in bytes. */
  maxUncompressedBytes: number;
  maxEntries: number;
  /** An entry that inflates more than this many times its stored size… */
  maxRatio: number;
  /** …and to more than this many bytes is taken for a zip bomb. */
  ratioFloorBytes: number;
}

export const WALLET_ZIP_LIMITS: Readonly<ZipLimits> = {
  maxCompressedBytes: 10 * 1024 * 1024,
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxEntries: 100,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export type ZipProblem = 'not-zip' | 'too-large' | 'too-many-entries' | 'zip-bomb' | 'path-traversal' | 'encrypted' | 'unsupported' | 'corrupt';

export interface ZipEntry {
  name: string;
  /** Inflated size in bytes. */
  size: number;
  compressedSize: number;
  data: Buffer;
}

export type ZipRead =
  | { ok: true; entries: ZipEntry[]; totalBytes: number; notes: string[] }
  | { ok: false; problem: ZipProblem; reason: string; entry?: string };

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const END_MIN = 22;
const MAX_COMMENT = 0xffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** WinZip AES marks its entries with this method. */
const METHOD_AES = 99;

/** True when the bytes start like a zip (a local header, or an empty archive's end record). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const sig = Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0);
  return sig === SIG_LOCAL || sig === SIG_END;
}

/** Why an entry name could escape the directory it is unpacked into, or undefined when it is safe. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return 'an empty name';
  if (name.includes('\0')) return 'a NUL byte in the name';
  if (name.includes('\\')) return 'a backslash (a Windows path separator)';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  if (name.split('/').some((part) => part === '..')) return "a '..' segment";
  return undefined;
}

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

class Refusal {
  constructor(
    readonly problem: ZipProblem,
    readonly reason: string,
    readonly entry?: string,
  ) {}
}

/**
 * `wanted`: inflate only the entries it names (a jar's manifest among its
 * classes); the others are still checked for names and encryption, and
 * only the wanted ones count towards the inflated-size limit.
 */
export function readZip(input: Uint8Array, limits: ZipLimits = WALLET_ZIP_LIMITS, wanted?: (name: string) => boolean): ZipRead {
  try {
    return readZipOrRefuse(Buffer.from(input.buffer, input.byteOffset, input.byteLength), limits, wanted);
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, problem: err.problem, reason: err.reason, ...(err.entry === undefined ? {} : { entry: err.entry }) };
    // A bounds error on a malformed archive: still an answer, never a crash.
    return { ok: false, problem: 'corrupt', reason: err instanceof Error ? err.message : String(err) };
  }
}

function readZipOrRefuse(buf: Buffer, limits: ZipLimits, wanted?: (name: string) => boolean): ZipRead {
  if (buf.length > limits.maxCompressedBytes) throw new Refusal('too-large', `the zip is ${buf.length} bytes, more than the ${limits.maxCompressedBytes} accepted`);
  const end = findEndRecord(buf);
  if (end < 0) throw new Refusal('not-zip', looksLikeZip(buf) ? 'no end-of-central-directory record: the zip is truncated' : 'not a zip file (no end-of-central-directory record)');
  const diskEntries = buf.readUInt16LE(end + 8);
  const count = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new Refusal('unsupported', 'a ZIP64 archive; wallets are never that large');
  if (buf.readUInt16LE(end + 4) !== 0 || diskEntries !== count) throw new Refusal('unsupported', 'a multi-part (spanned) archive');
  if (count > limits.maxEntries) throw new Refusal('too-many-entries', `${count} entries, more than the ${limits.maxEntries} accepted`);
  if (cdOffset + cdSize > end) throw new Refusal('corrupt', 'the central directory lies outside the archive');

  const central = readCentralDirectory(buf, cdOffset, cdOffset + cdSize, count);
  const notes: string[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  for (const e of central) {
    const unsafe = unsafeEntryName(e.name);
    if (unsafe) throw new Refusal('path-traversal', `entry '${printable(e.name)}' has ${unsafe}`, printable(e.name));
    if (e.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) || e.method === METHOD_AES) throw new Refusal('encrypted', `entry '${e.name}' is encrypted`, e.name);
    if (e.method !== METHOD_STORED && e.method !== METHOD_DEFLATE) throw new Refusal('unsupported', `entry '${e.name}' uses compression method ${e.method} (only stored and deflate are read)`, e.name);
    if (seen.has(e.name)) notes.push(`'${e.name}' appears more than once; the first copy is used`);
    seen.add(e.name);
    if (wanted && !wanted(e.name)) continue;
    declaredTotal += e.size;
    if (declaredTotal > limits.maxUncompressedBytes) throw new Refusal('zip-bomb', `the entries declare ${declaredTotal}+ bytes when inflated, more than the ${limits.maxUncompressedBytes} accepted`, e.name);
    if (e.size > limits.ratioFloorBytes && e.size > e.compressedSize * limits.maxRatio) {
      throw new Refusal('zip-bomb', `entry '${e.name}' declares ${e.size} bytes from ${e.compressedSize} stored (ratio ${Math.round(e.size / Math.max(1, e.compressedSize))}:1)`, e.name);
    }
  }

  const entries: ZipEntry[] = [];
  let total = 0;
  const taken = new Set<string>();
  for (const e of central) {
    if (e.name.endsWith('/') || taken.has(e.name) || (wanted && !wanted(e.name))) continue;
    taken.add(e.name);
    const data = entryData(buf, e, limits.maxUncompressedBytes - total);
    total += data.length;
    entries.push({ name: e.name, size: data.length, compressedSize: e.compressedSize, data });
  }
  return { ok: true, entries, totalBytes: total, notes };
}

function findEndRecord(buf: Buffer): number {
  const stop = Math.max(0, buf.length - END_MIN - MAX_COMMENT);
  for (let i = buf.length - END_MIN; i >= stop; i--) {
    if (buf.readUInt32LE(i) === SIG_END && i + END_MIN + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  // A comment length that does not match the file end: accept the last record found.
  for (let i = buf.length - END_MIN; i >= stop; i--) if (buf.readUInt32LE(i) === SIG_END) return i;
  return -1;
}

function readCentralDirectory(buf: Buffer, start: number, stop: number, count: number): CentralEntry[] {
  const out: CentralEntry[] = [];
  let p = start;
  for (let i = 0; i < count; i++) {
    if (p + 46 > stop || buf.readUInt32LE(p) !== SIG_CENTRAL) throw new Refusal('corrupt', `central directory entry ${i + 1} of ${count} is missing or damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > stop) throw new Refusal('corrupt', `central directory entry ${i + 1} runs past the directory`);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    out.push({
      name: rawName.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1'),
      flags,
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function entryData(buf: Buffer, e: CentralEntry, budget: number): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== SIG_LOCAL) throw new Refusal('corrupt', `the local header of '${e.name}' is missing`, e.name);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const stop = start + e.compressedSize;
  if (stop > buf.length) throw new Refusal('corrupt', `the data of '${e.name}' runs past the end of the archive`, e.name);
  const stored = buf.subarray(start, stop);
  let data: Buffer;
  if (e.method === METHOD_STORED) {
    if (e.compressedSize !== e.size) throw new Refusal('corrupt', `stored entry '${e.name}' has different stored and declared sizes`, e.name);
    data = stored;
  } else {
    // Never inflate past what the header declared (nor past the budget left):
    // a bomb with a lying header stops here, after at most that many bytes.
    const cap = Math.min(e.size, budget);
    try {
      data = inflateRawSync(stored, { maxOutputLength: Math.max(1, cap) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new Refusal('zip-bomb', `entry '${e.name}' inflates past its declared ${e.size} bytes`, e.name);
      }
      throw new Refusal('corrupt', `entry '${e.name}' does not inflate: ${(err as Error).message}`, e.name);
    }
    if (data.length !== e.size) throw new Refusal('corrupt', `entry '${e.name}' inflates to ${data.length} bytes, not the declared ${e.size}`, e.name);
  }
  if (crc32(data) !== e.crc) throw new Refusal('corrupt', `entry '${e.name}' fails its CRC-32 check`, e.name);
  return data;
}

function printable(name: string): string {
  return name.replace(/[\x00-\x1f\x7f]/g, '?');
}

let crcTable: Uint32Array | undefined;

export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (crcTable[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
