// Class 3 (special files) and class 6 (lost or widened files in setup).
// `-o` to a FIFO, a symlink, a directory; setup artifacts that are links to
// a private key, FIFOs or links to /dev/zero; backups that must never
// overwrite and must keep the original's mode; temporaries a killed run
// left behind. Every FIFO a test opens is released in `finally`, so a
// regression fails the test instead of hanging the worker.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createReadStream, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localFiles, writeFileAtomic } from '../../src/adapters/files.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';

const ANSWERS = join(import.meta.dirname, '../fixtures/setup/api-key-shared-group-dbtools/answers.json');
const QUICK = ['--offline', '--only', 'profile.config', '--config-file', '/nonexistent/dbiam-doctor-config'];

function mkfifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** Unblocks anyone stuck opening `fifo` (a reader waiting for a writer, or the reverse). */
function release(fifo: string): void {
  for (const flags of [constants.O_WRONLY | constants.O_NONBLOCK, constants.O_RDONLY | constants.O_NONBLOCK]) {
    try {
      closeSync(openSync(fifo, flags));
    } catch {
      // nobody on the other side
    }
  }
}

describe('-o never replaces a special file', () => {
  it('a FIFO with a reader receives the report and stays a FIFO', async () => {
    const dir = tempDir('dbiam-doctor-fifo-out-');
    const fifo = mkfifo(join(dir, 'report.txt'));
    let received = '';
    const reader = createReadStream(fifo, { encoding: 'utf8' });
    reader.on('data', (c) => (received += c));
    const ended = new Promise<void>((r) => reader.on('close', () => r()));
    try {
      const r = await runCli([...QUICK, '--format', 'text', '--output', fifo]);
      expect(r.stderr).not.toMatch(/cannot write/);
      await Promise.race([ended, new Promise((r) => setTimeout(r, 3000))]);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(received).toMatch(/dbiam-doctor/);
    } finally {
      release(fifo);
      reader.destroy();
    }
  });

  it('a FIFO nobody reads fails at once, and stays a FIFO', async () => {
    const dir = tempDir('dbiam-doctor-fifo-out-');
    const fifo = mkfifo(join(dir, 'report.md'));
    try {
      const t0 = Date.now();
      const r = await runCli([...QUICK, '--format', 'text', '--output', fifo]);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no process is reading/);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
    } finally {
      release(fifo);
    }
  });

  it('a symlink: its target gets the report after the doctor says so, and the link stays', async () => {
    const dir = tempDir('dbiam-doctor-link-out-');
    const target = join(dir, 'real-report.md');
    writeFileSync(target, 'old\n');
    const link = join(dir, 'report.md');
    symlinkSync(target, link);
    const r = await runCli([...QUICK, '--format', 'text', '--output', link]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toMatch(/dbiam-doctor report/);
    expect(r.stderr).toContain(`${link} is a symbolic link: writing to its target ${target}`);
  });

  it('a directory or a dangling link is refused, untouched', async () => {
    const dir = tempDir('dbiam-doctor-dir-out-');
    const sub = join(dir, 'out.md');
    mkdirSync(sub);
    const r = await runCli([...QUICK, '--format', 'text', '--output', sub]);
    expect(r.code).toBe(1);
    expect(statSync(sub).isDirectory()).toBe(true);
    const dangling = join(dir, 'dangling.md');
    symlinkSync(join(dir, 'nowhere', 'x.md'), dangling);
    await expect(writeFileAtomic(dangling, 'x')).rejects.toThrow(/symbolic link to a missing/);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
  });

  it('temporaries a killed run left beside the report are removed by the next write', async () => {
    const dir = tempDir('dbiam-doctor-stale-');
    const target = join(dir, 'report.md');
    // pid 2^22+1 is above Linux's pid_max default range for a live process here.
    const stale = join(dir, `.report.md.${4194305}.aabbccddeeff.tmp`);
    writeFileSync(stale, 'half a report');
    await writeFileAtomic(target, 'whole report\n');
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
});

describe('reads refuse what is not a regular file before opening it', () => {
  it('a FIFO as --config-file: the check says so at once', async () => {
    const dir = tempDir('dbiam-doctor-fifo-in-');
    const fifo = mkfifo(join(dir, 'config'));
    try {
      const t0 = Date.now();
      const r = await runCli(['--offline', '--only', 'profile.config', '--config-file', fifo, '--format', 'text', '--timeout', '3']);
      expect(Date.now() - t0).toBeLessThan(2500);
      expect(r.stdout).toMatch(/FIFO/);
    } finally {
      release(fifo);
    }
  });

  it('a link to /dev/zero is refused without reading a byte', async () => {
    const dir = tempDir('dbiam-doctor-zero-');
    const link = join(dir, 'token');
    symlinkSync('/dev/zero', link);
    const r = await localFiles.readText(link, 1024);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/character device/);
  });
});

describe('setup --out: artifacts, backups and modes', () => {
  it('an artifact that is a link to a private key is neither printed nor copied', async () => {
    const out = tempDir('dbiam-doctor-setup-link-');
    const secretDir = tempDir('dbiam-doctor-ssh-');
    const key = join(secretDir, 'id_ed25519');
    const canary = `ssh-canary-${Date.now()}-do-not-print`;
    writeFileSync(key, `${canary}\n`, { mode: 0o600 });
    symlinkSync(key, join(out, 'policy.txt'));
    const r = await runCli(['setup', '--answers', ANSWERS, '--out', out]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(canary);
    expect(r.stderr).toMatch(/symbolic link/);
    expect(lstatSync(join(out, 'policy.txt')).isSymbolicLink()).toBe(true);
    expect(readdirSync(out).filter((f) => f.includes('.bak'))).toEqual([]);
    expect(readFileSync(key, 'utf8')).toBe(`${canary}\n`);
  });

  it('a FIFO artifact is refused at once, and a link to /dev/zero is not read', async () => {
    const out = tempDir('dbiam-doctor-setup-fifo-');
    const fifo = mkfifo(join(out, 'policy.txt'));
    symlinkSync('/dev/zero', join(out, 'dba.sql'));
    try {
      const t0 = Date.now();
      const r = await runCli(['setup', '--answers', ANSWERS, '--out', out]);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/FIFO|symbolic link/);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
    } finally {
      release(fifo);
    }
  });

  it("a user's own policy.txt.bak is never overwritten; two runs keep every earlier version; backups keep the mode", async () => {
    const out = tempDir('dbiam-doctor-setup-bak-');
    const policy = join(out, 'policy.txt');
    writeFileSync(policy, 'original policy\n', { mode: 0o600 });
    writeFileSync(`${policy}.bak`, 'the user’s own backup\n');
    const first = await runCli(['setup', '--answers', ANSWERS, '--out', out]);
    expect(first.code).toBe(0);
    expect(readFileSync(`${policy}.bak`, 'utf8')).toBe('the user’s own backup\n');
    expect(readFileSync(`${policy}.bak.1`, 'utf8')).toBe('original policy\n');
    expect(statSync(`${policy}.bak.1`).mode & 0o777).toBe(0o600);
    // A second run with different answers: the first version is kept too.
    const answers2 = join(out, '..', `answers-${Date.now()}.json`);
    const a = JSON.parse(readFileSync(ANSWERS, 'utf8')) as { mapping: Record<string, unknown> };
    writeFileSync(answers2, JSON.stringify({ ...a, mapping: { ...a.mapping, group: 'other-db-developers' } }));
    const firstVersion = readFileSync(policy, 'utf8');
    const second = await runCli(['setup', '--answers', answers2, '--out', out]);
    expect(second.code).toBe(0);
    expect(readFileSync(policy, 'utf8')).toContain('other-db-developers');
    const backups = readdirSync(out).filter((f) => f.startsWith('policy.txt.bak'));
    const contents = backups.map((b) => readFileSync(join(out, b), 'utf8'));
    expect(contents).toContain(firstVersion);
    expect(contents).toContain('original policy\n');
    expect(contents).toContain('the user’s own backup\n');
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
