// Writes setup artifacts into a directory: never silently over an existing
// file (the caller shows the diff; the old content is kept as FILE.bak, or
// FILE.bak.1, … — a backup never replaces another file, and keeps the
// original's mode), atomically (temporary file + rename), identical content
// is left alone, and nothing but a regular file is read or replaced (a link
// to ~/.ssh/id_ed25519 or a FIFO in the output directory is refused).
import { chmod, link, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Artifact } from '../core/setup/artifacts.js';
import { lineDiff } from '../core/setup/diff.js';
import { kindOf, localFiles, writeFileAtomic } from './files.js';

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

interface Existing {
  text: string;
  mode: number;
}

async function existing(path: string): Promise<Existing | undefined> {
  let here;
  try {
    here = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  // Checked before any open: a link is not followed, a FIFO is not opened.
  if (!here.isFile()) throw new Error(`${path} is ${kindOf(here)}; setup replaces only regular files: move it first`);
  const read = await localFiles.readBytes(path, MAX_EXISTING_BYTES);
  if (!read.ok) throw new Error(`${path}: ${read.reason}; move it first`);
  return { text: read.bytes.toString('utf8'), mode: here.mode & 0o777 };
}

/** FILE.bak, else FILE.bak.1, FILE.bak.2, …: the first name nothing holds (lstat, so a dangling link counts). */
async function freeBackupName(path: string): Promise<string> {
  for (let n = 0; n < 1000; n++) {
    const candidate = n === 0 ? `${path}.bak` : `${path}.bak.${n}`;
    try {
      await lstat(candidate);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return candidate;
      throw err;
    }
  }
  throw new Error(`${path}: a thousand backups are already there; clean up first`);
}

/**
 * Writes the backup under a name nothing holds: a complete temporary file,
 * then link() — which fails instead of replacing when the name was taken
 * meanwhile — so a backup never overwrites a file and is never half written.
 */
async function writeBackup(path: string, old: Existing): Promise<string> {
  const tmp = join(dirname(path), `.${basename(path)}.bak.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', old.mode);
  try {
    await handle.writeFile(old.text, 'utf8');
    await handle.chmod(old.mode);
  } finally {
    await handle.close();
  }
  try {
    for (;;) {
      const name = await freeBackupName(path);
      try {
        await link(tmp, name);
        return name;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** What writing each artifact into `dir` would do (reads only). */
export async function planWrites(dir: string, artifacts: readonly Artifact[]): Promise<WritePlan[]> {
  const plans: WritePlan[] = [];
  for (const artifact of artifacts) {
    const path = join(dir, artifact.file);
    const old = await existing(path);
    if (old === undefined) plans.push({ artifact, path, action: 'create' });
    else if (old.text === artifact.content) plans.push({ artifact, path, action: 'unchanged' });
    else plans.push({ artifact, path, action: 'replace', diff: lineDiff(old.text, artifact.content), backup: await freeBackupName(path) });
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
      const old = await existing(plan.path);
      const backup = old ? await writeBackup(plan.path, old) : undefined;
      await writeFileAtomic(plan.path, plan.artifact.content, plan.artifact.mode);
      outcomes.push({ path: plan.path, action: 'replaced', ...(backup ? { backup } : {}) });
      continue;
    }
    await writeFileAtomic(plan.path, plan.artifact.content, plan.artifact.mode);
    outcomes.push({ path: plan.path, action: 'created' });
  }
  return outcomes;
}
