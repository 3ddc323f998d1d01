// The doctor's own config file: ./dbiam-doctor.json, else
// $XDG_CONFIG_HOME/dbiam-doctor/config.json (~/.config when unset).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/options.js';

export const LOCAL_CONFIG_NAME = 'dbiam-doctor.json';

export function doctorConfigCandidates(cwd: string, env: Record<string, string | undefined>, home: string): string[] {
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  return [join(cwd, LOCAL_CONFIG_NAME), join(xdg, 'dbiam-doctor', 'config.json')];
}

/** The first config file that exists, parsed; a broken one is a usage error naming it. */
export function readDoctorConfig(candidates: string[]): { path: string; content: unknown } | undefined {
  for (const path of candidates) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new UsageError(`${path}: cannot read the doctor config file (${code ?? String(err)})`);
    }
    try {
      return { path, content: JSON.parse(text) };
    } catch (err) {
      throw new UsageError(`${path}: not valid JSON (${(err as Error).message})`);
    }
  }
  return undefined;
}
