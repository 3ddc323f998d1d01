// The only place the doctor reads or writes files.
import { open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export type PathProbe =
  | { kind: 'missing' }
  | { kind: 'file'; size: number; mode: number }
  | { kind: 'dir'; entries: string[] }
  | { kind: 'other' }
  | { kind: 'unreadable'; reason: string };

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };
export type ReadBytesResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export interface FilesAdapter {
  probe(path: string): Promise<PathProbe>;
  /** Reads at most `maxBytes`; a larger file is refused with a reason, not truncated. */
  readText(path: string, maxBytes: number): Promise<ReadResult>;
  /** The same for binary files (wallet key stores). */
  readBytes(path: string, maxBytes: number): Promise<ReadBytesResult>;
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a directory';
  return e?.message ?? String(err);
}

async function readBytes(path: string, maxBytes: number): Promise<ReadBytesResult> {
  let handle;
  try {
    handle = await open(path, 'r');
    const s = await handle.stat();
    if (!s.isFile()) return { ok: false, reason: 'not a regular file' };
    if (s.size > maxBytes) return { ok: false, reason: `file is ${s.size} bytes, more than the ${maxBytes} this check reads` };
    const buf = Buffer.alloc(s.size);
    const { bytesRead } = await handle.read(buf, 0, s.size, 0);
    return { ok: true, bytes: buf.subarray(0, bytesRead) };
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  } finally {
    await handle?.close();
  }
}

export const localFiles: FilesAdapter = {
  async probe(path) {
    try {
      const s = await stat(path);
      if (s.isFile()) return { kind: 'file', size: s.size, mode: s.mode & 0o777 };
      if (s.isDirectory()) {
        try {
          return { kind: 'dir', entries: (await readdir(path)).sort() };
        } catch (err) {
          return { kind: 'unreadable', reason: reasonOf(err) };
        }
      }
      return { kind: 'other' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'missing' };
      return { kind: 'unreadable', reason: reasonOf(err) };
    }
  },
  async readText(path, maxBytes) {
    const read = await readBytes(path, maxBytes);
    return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read;
  },
  readBytes,
};

/**
 * Writes a file so that a killed process never leaves it half written:
 * write a temporary file beside it, then rename over the target.
 */
export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { mode, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
