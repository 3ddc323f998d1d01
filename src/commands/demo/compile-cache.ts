// A demo run keeps V8's compiled code of the modules it loads (the simulator,
// the checks, the OCI SDK clients: about a third of its start-up is compiling
// them) in the demo's cache directory, beside its keys, so the next demo skips
// that work where Node can keep it (22.1+). Only the demo: the doctor's own
// runs write nothing but the report the user asks for.
import { demoCacheDir, ownCacheDirectory } from '../../sim/cache-dir.js';
import { resolveOptions } from '../../core/options.js';
import { join } from 'node:path';

/** The subdirectory Node writes its entries in (it makes one per Node version inside). */
export const COMPILE_CACHE_SUBDIR = 'v8';

/** Calls `enable` with the demo's compile-cache directory when argv runs a demo and the cache directory is ours. */
export function keepDemoCompiledCode(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, homeDir: string, enable: (dir: string) => unknown): void {
  let runsDemo = false;
  try {
    const options = resolveOptions({ argv: [...argv], env });
    runsDemo = options.command === 'demo' && !options.help && !options.list;
  } catch {
    // A usage error is reported by main(), which parses the same argv again.
  }
  if (!runsDemo) return;
  const dir = demoCacheDir(env, homeDir);
  if (ownCacheDirectory(dir)) enable(join(dir, COMPILE_CACHE_SUBDIR));
}
