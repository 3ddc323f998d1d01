// Files: a full doctor run writes nothing but its --output file (its home,
// working directory and wallet directory are listed before and after), and
// a write that is interrupted — the rename failing, or the process killed
// mid-write — never leaves a truncated report or a stray temporary file.
// Setup writes only under the directory it was told (--out).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/adapters/files.js';
import { writeDemoWallet, defaultDemoWallet } from '../../src/commands/demo/wallet.js';
import { startSimulator } from '../../src/sim/index.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startListener } from '../../src/sim/listener/index.js';
import { generateRsaKey, healthyTenancy } from '../../src/sim/tenancy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { failRenames } from '../helpers/fail-rename.js';
import { writeSimulatedHome } from '../helpers/sim-home.js';
import { until } from '../helpers/wait.js';

/** The first character of a file (the writer replaces it whole, by rename). */
function firstByte(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(1);
    return readSync(fd, b, 0, 1, 0) === 1 ? b.toString('latin1') : '';
  } finally {
    closeSync(fd);
  }
}

// rename() fails once on demand, to interrupt writeFileAtomic between its write and its rename.
const failNextRename = (): void => {
  let left = 1;
  failRenames(() => left-- > 0, () => Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }));
};

/** path → size and mtime of every file and directory under `root`. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const s = statSync(p);
      out.set(relative(root, p), s.isDirectory() ? 'dir' : `${s.size}:${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

function diff(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [p, v] of after) if (before.get(p) !== v) changes.push(before.has(p) ? `changed ${p}` : `added ${p}`);
  for (const p of before.keys()) if (!after.has(p)) changes.push(`removed ${p}`);
  return changes.sort();
}

let sim: RunningSimulator;
let listener: Awaited<ReturnType<typeof startListener>>;
let root: string;
let home: string;
let cwd: string;

beforeAll(async () => {
  const key = generateRsaKey();
  sim = await startSimulator(healthyTenancy(key.publicKeyPem));
  listener = await startListener({ services: ['ledger_high'] });
  root = tempDir('dbiam-doctor-files-');
  home = join(root, 'home');
  cwd = join(root, 'work');
  mkdirSync(cwd, { recursive: true });
  const walletDir = join(home, 'wallet');
  writeDemoWallet(walletDir, { ...defaultDemoWallet(new Date()), caPems: [listener.caPem], port: listener.port });
  writeSimulatedHome(home, { sim, listener, key, config: { tnsAdmin: walletDir } });
});
afterAll(async () => {
  await sim.close();
  await listener.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the doctor writes nothing but its --output file', () => {
  it.each(['report.md', 'report.json'])('a full run with --output %s adds that one file to its home and working directory', async (name) => {
    const before = snapshot(root);
    const out = await runCli(['--format', 'text', '--output', name], { env: { HOME: home, TNS_ADMIN: join(home, 'wallet') }, cwd, system: fakeSystem({ homeDir: home }), now: () => new Date() });
    expect(out.stdout).toMatch(/identity\.whoami|Who am I|whoami/i);
    expect(sim.ctx.log.length).toBeGreaterThan(0); // the run went all the way out
    expect(diff(before, snapshot(root))).toEqual([`added work/${name}`]);
    rmSync(join(cwd, name));
  });
});

describe('setup writes only the confirmed targets', () => {
  it('setup --answers --out DIR adds the artifacts under DIR and nothing else; a second run changes nothing', async () => {
    const answers = join(process.cwd(), 'examples', 'answers.json');
    const before = snapshot(root);
    const io = { env: { HOME: home }, cwd, system: fakeSystem({ homeDir: home }) };
    const first = await runCli(['setup', '--answers', answers, '--out', 'setup-out'], io);
    expect(first.code).toBe(0);
    const added = diff(before, snapshot(root));
    expect(added).toContain('added work/setup-out');
    expect(added.filter((c) => !c.startsWith('added work/setup-out'))).toEqual([]);
    expect(added.length).toBeGreaterThan(3); // the policy, the SQL, the config … were written
    const afterFirst = snapshot(root);
    const second = await runCli(['setup', '--answers', answers, '--out', 'setup-out'], io);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/unchanged/);
    expect(diff(afterFirst, snapshot(root))).toEqual([]);
    rmSync(join(cwd, 'setup-out'), { recursive: true });
  });

  it('setup --answers without --out writes nothing at all', async () => {
    const before = snapshot(root);
    const out = await runCli(['setup', '--answers', join(process.cwd(), 'examples', 'answers.json')], { env: { HOME: home }, cwd, system: fakeSystem({ homeDir: home }) });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/policy\.txt/);
    expect(diff(before, snapshot(root))).toEqual([]);
  });
});

describe('writeFileAtomic: an interrupted write leaves the old file whole', () => {
  it('when the rename fails, the old report is intact and no temporary file is left', async () => {
    const dir = tempDir('dbiam-doctor-atomic-');
    try {
      const target = join(dir, 'report.md');
      writeFileSync(target, 'old report\n');
      failNextRename();
      await expect(writeFileAtomic(target, 'new report\n'.repeat(10_000))).rejects.toThrow(/EIO/);
      expect(readFileSync(target, 'utf8')).toBe('old report\n');
      expect(readdirSync(dir)).toEqual(['report.md']);
      await writeFileAtomic(target, 'new report\n');
      expect(readFileSync(target, 'utf8')).toBe('new report\n');
      expect(readdirSync(dir)).toEqual(['report.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the doctor reports a failed --output write and keeps the old file', async () => {
    const dir = tempDir('dbiam-doctor-atomic-');
    try {
      const target = join(dir, 'report.md');
      writeFileSync(target, 'old report\n');
      failNextRename();
      const out = await runCli(['--format', 'json', '--offline', '--only', 'env', '--output', target], { env: { HOME: dir }, cwd: dir, system: fakeSystem({ homeDir: dir }) });
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`dbiam-doctor: cannot write ${target}: EIO`);
      expect(readFileSync(target, 'utf8')).toBe('old report\n');
      expect(readdirSync(dir)).toEqual(['report.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a process killed while writing leaves the target either old or new, never partial', async () => {
    const dir = tempDir('dbiam-doctor-atomic-');
    try {
      const target = join(dir, 'report.txt');
      const size = 8 * 1024 * 1024;
      writeFileSync(target, 'o'.repeat(size));
      // A child rewrites the target over and over (a, b, a, …) until it is killed.
      const script = `import { writeFileAtomic } from ${JSON.stringify(new URL('../../src/adapters/files.ts', import.meta.url).pathname)};
        const size = ${size}; let i = 0; process.stdout.write('go\\n');
        for (;;) await writeFileAtomic(${JSON.stringify(target)}, (i++ % 2 ? 'a' : 'b').repeat(size));`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('child did not start within 15 s')), 15_000);
        child.stdout.once('data', () => {
          clearTimeout(t);
          resolve();
        });
      });
      // Killed only once it has replaced the target at least once.
      await until(() => firstByte(target) !== 'o', 15_000);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const content = readFileSync(target, 'utf8');
      expect(content.length).toBe(size);
      expect(new Set(content).size).toBe(1);
      expect(['a', 'b']).toContain(content[0]); // the child did replace it before it was killed
      // A killed write may leave its temporary file (named with the writer's pid) beside the target, never the target truncated;
      // the next write removes it (special-files.test.ts).
      expect(readdirSync(dir).filter((n) => !/^\.report\.txt\.\d+\.[0-9a-f]{12}\.tmp$/.test(n))).toEqual(['report.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
