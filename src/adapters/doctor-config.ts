// The doctor's own config file: ./dbiam-doctor.json, else
// $XDG_CONFIG_HOME/dbiam-doctor/config.json (~/.config when unset).
import { readRegularFileSync } from './files.js';
import { join } from 'node:path';
import { jsonErrorPlace } from '../core/json-syntax.js';
import { UsageError } from '../core/options.js';

export const LOCAL_CONFIG_NAME = 'dbiam-doctor.json';

/** The doctor's config is a few options; a megabyte is something else. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function doctorConfigCandidates(cwd: string, env: Record<string, string | undefined>, home: string): string[] {
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  return [join(cwd, LOCAL_CONFIG_NAME), join(xdg, 'dbiam-doctor', 'config.json')];
}

/** The first config file that exists, parsed; a broken one is a usage error naming it. */
export function readDoctorConfig(candidates: string[]): { path: string; content: unknown } | undefined {
  for (const path of candidates) {
    // A cloned repository can ship ./dbiam-doctor.json as a link to /dev/zero or a FIFO: regular files only, capped.
    const read = readRegularFileSync(path, MAX_CONFIG_BYTES);
    if (!read.ok) {
      if (read.reason === 'no such file') continue;
      throw new UsageError(`${path}: cannot read the doctor config file (${read.reason})`);
    }
    const text = read.bytes.toString('utf8');
    try {
      return { path, content: JSON.parse(text) };
    } catch (err) {
      // JSON.parse quotes the text around the error, which may be a password: say where, not what.
      throw new UsageError(`${path}: not valid JSON (${jsonErrorPlace(text, err as Error)}; the text there is not shown)`);
    }
  }
  return undefined;
}
