// V8's compiled code of the modules a process loads from now on, kept in a
// directory so the next run reads it instead of compiling them again: Node's
// module.enableCompileCache (Node 22.1+; https://nodejs.org/api/module.html#moduleenablecompilecachedirectory).
// Node checks each entry against its module's source and its own version, and
// writes the cache as the process exits. Node 20 has no such API for ES
// modules: there this does nothing.
import module from 'node:module';

type EnableCompileCache = (directory: string) => { status: number };

/** True when Node keeps the code cache in `directory` from now on. */
export function enableCompileCache(directory: string): boolean {
  const enable = (module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  const status = (module as unknown as { constants?: { compileCacheStatus?: Record<string, number> } }).constants?.compileCacheStatus;
  if (typeof enable !== 'function' || !status) return false;
  try {
    const result = enable(directory).status;
    return result === status.ENABLED || result === status.ALREADY_ENABLED;
  } catch {
    return false;
  }
}
