// A demo keeps V8's compiled code of the modules it loads in its cache
// directory, beside its keys, where Node can (22.1+); nothing else does: the
// doctor's own runs, `demo --list` and help write nothing there, and a cache
// directory others may write in is not used.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COMPILE_CACHE_SUBDIR, keepDemoCompiledCode } from '../../src/commands/demo/compile-cache.js';
import { keyCacheFile } from '../../src/sim/key-cache.js';
import { ensureBuilt } from '../e2e/pty-harness.js';
import type {} from '../helpers/key-pool-global.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GUARD = `--require=${join(ROOT, 'test', 'helpers', 'loopback-guard.cjs')}`;
/** Node keeps a compile cache for ES modules from 22.1 on (module.enableCompileCache). */
const NODE_HAS_COMPILE_CACHE = typeof (module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'dbiam-compile-cache-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('which runs keep compiled code (in process)', () => {
  const asked = (argv: string[], env: Record<string, string> = {}): string[] => {
    const dirs: string[] = [];
    keepDemoCompiledCode(argv, { DBIAM_DOCTOR_CACHE_DIR: join(work, 'decide'), ...env }, join(work, 'home'), (dir) => dirs.push(dir));
    return dirs;
  };

  it('a demo, in the v8 directory of its cache', () => {
    expect(asked(['demo', 'healthy', '--format', 'text'])).toEqual([join(work, 'decide', COMPILE_CACHE_SUBDIR)]);
    expect(asked(['demo', '--serve', 'healthy'])).toHaveLength(1);
  });

  it('not the doctor, `demo --list`, help or a command line that does not parse', () => {
    expect(asked(['--format', 'text', '--offline'])).toEqual([]);
    expect(asked(['--output', 'demo'])).toEqual([]);
    expect(asked(['demo', '--list'])).toEqual([]);
    expect(asked(['demo', '--help'])).toEqual([]);
    expect(asked(['help', 'demo'])).toEqual([]);
    expect(asked(['demo', '--no-such-flag'])).toEqual([]);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === undefined)('not in a cache directory others may write in', () => {
    const shared = join(work, 'shared');
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    expect(asked(['demo'], { DBIAM_DOCTOR_CACHE_DIR: shared })).toEqual([]);
  });
});

/** Runs the built CLI as a user does, with the demo's cache in `cacheDir`; resolves with its exit code. */
function runBuilt(argv: string[], cacheDir: string): Promise<number> {
  const home = mkdtempSync(join(work, 'home-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, DBIAM_DOCTOR_CACHE_DIR: cacheDir, NODE_OPTIONS: GUARD };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...argv], { cwd: home, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0;
      if (code === -1) reject(new Error(`${argv.join(' ')}: ${String(err)} ${stderr}`));
      else resolve(code);
    });
  });
}

/** A cache directory holding the suite's keys, so the demo makes none. */
function cacheWithKeys(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { mode: 0o700 });
  copyFileSync(keyCacheFile(inject('demoKeyCacheDir'), 2048), keyCacheFile(dir, 2048));
  return dir;
}

const entries = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : []);

describe('the built CLI', () => {
  it(
    NODE_HAS_COMPILE_CACHE ? 'a demo leaves compiled code in its cache directory' : 'on this Node (no compile cache for ES modules) a demo leaves none',
    async () => {
      const cache = cacheWithKeys('demo-run');
      expect(await runBuilt(['demo', 'healthy', '--format', 'json'], cache)).toBe(0);
      const written = entries(join(cache, COMPILE_CACHE_SUBDIR));
      if (NODE_HAS_COMPILE_CACHE) expect(written.length).toBeGreaterThan(10);
      else expect(written).toEqual([]);
    },
    90_000,
  );

  it('a doctor run writes nothing in the demo cache directory', async () => {
    const cache = cacheWithKeys('doctor-run');
    const before = entries(cache);
    await runBuilt(['--offline', '--format', 'json'], cache);
    expect(entries(cache)).toEqual(before);
  }, 60_000);
});
