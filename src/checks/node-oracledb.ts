// The node-oracledb the user's application installs (--project DIR), found
// the way Node's require does: DIR/node_modules/oracledb, else a parent's.
// Only its package.json is read; the driver is not loaded. Without
// --project nothing is compared: the doctor's own driver is a current one,
// named in the report's tool line.
import { dirname, join } from 'node:path';
import type { DoctorDeps } from './deps.js';

export type NodeDriver =
  | { ok: true; version: string; where: string }
  | { ok: false; reason: string };

const MAX_PACKAGE_JSON_BYTES = 256 * 1024;
/** Parent directories searched above --project before giving up. */
const MAX_PARENTS = 32;

export async function projectOracledb(deps: Pick<DoctorDeps, 'files'>, project: string): Promise<NodeDriver> {
  if ((await deps.files.probe(project)).kind !== 'dir') return { ok: false, reason: `--project ${project} is not a readable directory` };
  let dir = project;
  for (let i = 0; i < MAX_PARENTS; i++) {
    const path = join(dir, 'node_modules', 'oracledb', 'package.json');
    const read = await deps.files.readText(path, MAX_PACKAGE_JSON_BYTES);
    if (read.ok) {
      const version = versionOf(read.text);
      return version ? { ok: true, version, where: path } : { ok: false, reason: `${path} names no version` };
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { ok: false, reason: `no node_modules/oracledb in ${project} or a parent directory (npm install oracledb there)` };
}

function versionOf(text: string): string | undefined {
  try {
    const v = (JSON.parse(text) as { version?: unknown }).version;
    return typeof v === 'string' && /^\d+\.\d+\.\d+/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
