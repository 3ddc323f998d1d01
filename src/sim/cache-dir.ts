// The demo's per-machine cache directory: one place for what the demo keeps
// between runs (its simulator's keys, key-cache.ts; V8's compiled code of the
// modules a demo loads, compile-cache.ts), and one rule for when it is ours.
import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * DBIAM_DOCTOR_CACHE_DIR, else $XDG_CACHE_HOME/dbiam-doctor, else
 * ~/.cache/dbiam-doctor — of the user who ran the demo (read before the demo
 * gives the doctor a throw-away HOME).
 */
export function demoCacheDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  if (env.DBIAM_DOCTOR_CACHE_DIR) return env.DBIAM_DOCTOR_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'dbiam-doctor');
  return join(homeDir, '.cache', 'dbiam-doctor');
}

export const POSIX = process.platform !== 'win32';

/**
 * The cache directory, made 0700 when missing; false when it is not ours, or
 * others may write in it (DBIAM_DOCTOR_CACHE_DIR=/tmp), or it cannot be made.
 * An existing directory's mode is never changed: it may be anything the user named.
 */
export function ownCacheDirectory(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return false;
    if (!POSIX || typeof process.getuid !== 'function') return true;
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
