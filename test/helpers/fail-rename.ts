// rename() in node:fs/promises made to fail on demand, as a crash between a
// temporary file's write and its rename would. The suite's files share one
// module graph per worker (vitest isolate: false), so a vi.mock of the
// builtin would reach only code imported after it; instead the builtin's own
// export is swapped and Node's syncBuiltinESMExports() carries the swap to
// every ES-module import of it, then the original is put back.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { onTestFinished } from 'vitest';

/**
 * From now until the current test ends, a rename() whose target `fails`
 * picks throws `error()` instead of renaming (each other rename goes through).
 */
export function failRenames(fails: (to: string) => boolean, error: () => Error): void {
  const real = fsp.rename;
  fsp.rename = async (from, to) => {
    if (fails(String(to))) throw error();
    return real(from, to);
  };
  syncBuiltinESMExports();
  onTestFinished(() => {
    fsp.rename = real;
    syncBuiltinESMExports();
  });
}
