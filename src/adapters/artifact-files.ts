// Writes setup artifacts into a directory: never silently over an existing
// file (the caller shows the diff; the old content is kept as FILE.bak),
// atomically (temporary file + rename), and identical content is left alone.
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '../core/setup/artifacts.js';
import { lineDiff } from '../core/setup/diff.js';
import { writeFileAtomic } from './files.js';

export type WritePlan =
  | { artifact: Artifact; path: string; action: 'create' }
  | { artifact: Artifact; path: string; action: 'unchanged' }
  | { artifact: Artifact; path: string; action: 'replace'; diff: string[]; backup: string };

export interface WriteOutcome {
  path: string;
  action: 'created' | 'unchanged' | 'replaced';
  backup?: string;
}

const MAX_EXISTING_BYTES = 4 * 1024 * 1024;

async function existing(path: string): Promise<string | undefined> {
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_EXISTING_BYTES) throw new Error(`${path}: an existing file of ${buf.length} bytes is in the way; move it first`);
    return buf.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** What writing each artifact into `dir` would do (reads only). */
export async function planWrites(dir: string, artifacts: readonly Artifact[]): Promise<WritePlan[]> {
  const plans: WritePlan[] = [];
  for (const artifact of artifacts) {
    const path = join(dir, artifact.file);
    const old = await existing(path);
    if (old === undefined) plans.push({ artifact, path, action: 'create' });
    else if (old === artifact.content) plans.push({ artifact, path, action: 'unchanged' });
    else plans.push({ artifact, path, action: 'replace', diff: lineDiff(old, artifact.content), backup: `${path}.bak` });
  }
  return plans;
}

/** Carries out a plan: backups first, then each file through temp + rename. */
export async function applyWrites(dir: string, plans: readonly WritePlan[]): Promise<WriteOutcome[]> {
  await mkdir(dir, { recursive: true });
  const outcomes: WriteOutcome[] = [];
  for (const plan of plans) {
    if (plan.action === 'unchanged') {
      // Same content; still make sure a key-naming file is not readable by others.
      await chmod(plan.path, plan.artifact.mode).catch(() => undefined);
      outcomes.push({ path: plan.path, action: 'unchanged' });
      continue;
    }
    if (plan.action === 'replace') {
      const old = (await existing(plan.path)) ?? '';
      await writeFileAtomic(plan.backup, old, plan.artifact.mode);
      await writeFileAtomic(plan.path, plan.artifact.content, plan.artifact.mode);
      outcomes.push({ path: plan.path, action: 'replaced', backup: plan.backup });
      continue;
    }
    await writeFileAtomic(plan.path, plan.artifact.content, plan.artifact.mode);
    outcomes.push({ path: plan.path, action: 'created' });
  }
  return outcomes;
}
