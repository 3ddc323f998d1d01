// The only place the doctor reads or writes files. Paths come from users,
// config files and cloned repositories, so every read and write looks at the
// path first (lstat) and never opens what could block or never end: a FIFO
// blocks `open` until a writer appears, /dev/zero never ends, a symlink in an
// output directory may point at ~/.ssh.
import { constants, closeSync, fstatSync, lstatSync, openSync, readSync, readdirSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
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
  if (e?.code === 'ELOOP') return 'too many levels of symbolic links';
  return e?.message ?? String(err);
}

/** What a path is, in words, for a refusal: "a FIFO (named pipe)", "a character device". */
export function kindOf(s: Stats): string {
  if (s.isFile()) return 'a regular file';
  if (s.isDirectory()) return 'a directory';
  if (s.isSymbolicLink()) return 'a symbolic link';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

// O_NONBLOCK: if the path is swapped for a FIFO between the check and the open, the open still returns.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file (following links to one) of at most `maxBytes`.
 * Anything else is refused before it is opened; what was opened is checked
 * again (fstat), and reading stops one byte past the cap whatever size says.
 */
async function readBytes(path: string, maxBytes: number): Promise<ReadBytesResult> {
  let target: Stats;
  try {
    await lstat(path);
    target = await stat(path);
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
  if (!target.isFile()) return { ok: false, reason: `${kindOf(target)}, not a regular file: not read` };
  if (target.size > maxBytes) return { ok: false, reason: `file is ${target.size} bytes, more than the ${maxBytes} this check reads` };
  let handle;
  try {
    handle = await open(path, READ_FLAGS);
    const s = await handle.stat();
    if (!s.isFile() || s.ino !== target.ino || s.dev !== target.dev) return { ok: false, reason: 'the file changed while it was opened: not read' };
    const buf = Buffer.alloc(Math.min(maxBytes, s.size) + 1);
    let total = 0;
    while (total < buf.length) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) return { ok: false, reason: `file is more than the ${maxBytes} bytes this check reads` };
    return { ok: true, bytes: buf.subarray(0, total) };
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  } finally {
    await handle?.close();
  }
}

/** The synchronous twin of readBytes, for the few reads made before anything async starts (the doctor's config file). */
export function readRegularFileSync(path: string, maxBytes: number): ReadBytesResult {
  let target: Stats;
  try {
    lstatSync(path);
    target = statSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, reason: e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 'no such file' : reasonOf(err) };
  }
  if (!target.isFile()) return { ok: false, reason: `${kindOf(target)}, not a regular file: not read` };
  if (target.size > maxBytes) return { ok: false, reason: `file is ${target.size} bytes, more than the ${maxBytes} read` };
  let fd: number | undefined;
  try {
    fd = openSync(path, READ_FLAGS);
    const s = fstatSync(fd);
    if (!s.isFile() || s.ino !== target.ino) return { ok: false, reason: 'the file changed while it was opened: not read' };
    // Not zero-filled (only the bytes read are returned; a 136 MB export was cleared first for nothing), and not from the shared pool.
    const buf = Buffer.allocUnsafeSlow(Math.min(maxBytes, s.size) + 1);
    let total = 0;
    while (total < buf.length) {
      const n = readSync(fd, buf, total, buf.length - total, total);
      if (n === 0) break;
      total += n;
    }
    if (total > maxBytes) return { ok: false, reason: `file is more than the ${maxBytes} bytes read` };
    return { ok: true, bytes: buf.subarray(0, total) };
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  } finally {
    if (fd !== undefined) closeSync(fd);
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

// --- writing -------------------------------------------------------------

/** Temporary files of this process, removed on every exit path (see removeTemporaryFiles). */
const temporaryFiles = new Set<string>();

/** Removes this process's temporary files; bin.ts calls it on exit, signals and crashes. */
export function removeTemporaryFiles(): void {
  for (const tmp of temporaryFiles) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or gone
    }
    temporaryFiles.delete(tmp);
  }
}

const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `kill -9` skips every exit handler: the next write beside the same file removes what a dead run left. */
function sweepStaleTemporaries(dir: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || m[1] !== base || processAlive(Number(m[2]))) continue;
    try {
      if (lstatSync(join(dir, name)).isFile()) unlinkSync(join(dir, name));
    } catch {
      // someone else removed it
    }
  }
}

export interface WriteNotice {
  /** Called before anything is written when the path is a symbolic link (the target is what changes). */
  say?: (message: string) => void;
}

export interface WriteOutcome {
  /** Where the bytes went: the path itself, a symlink's target, or a stream (FIFO, device, /dev/fd/N). */
  kind: 'file' | 'link-target' | 'stream';
  path: string;
}

/** /dev/fd/N, /dev/stdout, /proc/self/fd/N: descriptors of this process, often pipes (`-o >(cmd)`). */
function isDescriptorPath(path: string): boolean {
  return /^\/(dev\/(fd\/\d+|stdout|stderr)|proc\/(self|\d+)\/fd\/\d+)$/.test(path);
}

/**
 * Writes to a FIFO, character device or descriptor path without creating,
 * truncating or replacing it. A FIFO nobody reads fails at once (ENXIO)
 * instead of blocking forever.
 */
function writeThrough(path: string, content: string): void {
  let probe: number | undefined;
  try {
    probe = openSync(path, constants.O_WRONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') throw new Error(`${path} is a FIFO that no process is reading; nothing written`);
    throw err;
  }
  // A reader is there now: a blocking descriptor takes the whole report without EAGAIN.
  const fd = openSync(path, constants.O_WRONLY);
  closeSync(probe);
  try {
    const buf = Buffer.from(content, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}

async function replaceAtomically(path: string, content: string, mode: number): Promise<void> {
  const dir = dirname(path);
  const base = basename(path);
  sweepStaleTemporaries(dir, base);
  const tmp = join(dir, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  temporaryFiles.add(tmp);
  try {
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  } finally {
    temporaryFiles.delete(tmp);
  }
}

/**
 * Writes a file so that a killed process never leaves it half written
 * (temporary file beside it, then rename), and never harms what is there:
 * a FIFO, character device or /dev/fd/N is written through (never replaced),
 * a symbolic link has its target written after `say` tells the user, and a
 * directory, socket or block device is refused.
 */
export async function writeFileAtomic(path: string, content: string, mode = 0o600, notice: WriteNotice = {}): Promise<WriteOutcome> {
  let here: Stats | undefined;
  try {
    here = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!here || here.isFile()) {
    await replaceAtomically(path, content, mode);
    return { kind: 'file', path };
  }
  if (here.isFIFO() || here.isCharacterDevice()) {
    writeThrough(path, content);
    return { kind: 'stream', path };
  }
  if (here.isSymbolicLink()) {
    if (isDescriptorPath(path)) {
      writeThrough(path, content);
      return { kind: 'stream', path };
    }
    let target: Stats;
    let real: string;
    try {
      target = await stat(path);
      real = await realpath(path);
    } catch {
      throw new Error(`${path} is a symbolic link to a missing or unreachable file; nothing written`);
    }
    if (target.isFIFO() || target.isCharacterDevice()) {
      writeThrough(path, content);
      return { kind: 'stream', path };
    }
    if (!target.isFile()) throw new Error(`${path} is a symbolic link to ${kindOf(target)}; nothing written`);
    notice.say?.(`${path} is a symbolic link: writing to its target ${real}`);
    await replaceAtomically(real, content, mode);
    return { kind: 'link-target', path: real };
  }
  throw new Error(`${path} is ${kindOf(here)}; nothing written (only regular files are replaced)`);
}
