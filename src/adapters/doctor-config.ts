// The doctor's own config file: ./dbiam-doctor.json, else
// $XDG_CONFIG_HOME/dbiam-doctor/config.json (~/.config when unset).
import { readRegularFileSync } from './files.js';
import { join } from 'node:path';
import { UsageError } from '../core/options.js';

export const LOCAL_CONFIG_NAME = 'dbiam-doctor.json';

/** The doctor's config is a few options; a megabyte is something else. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** "line 3, column 14" from JSON.parse's message (Node 20 gives a position, 22+ line and column). */
export function jsonErrorPlace(text: string, err: Error): string {
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(err.message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
  }
  return /end of JSON input/i.test(err.message) ? 'it ends too early' : 'syntax error';
}

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
