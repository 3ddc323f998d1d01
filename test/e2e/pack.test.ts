// `npm pack` yields a tarball that installs and runs on a clean machine.
//
// The package is packed from a snapshot of the working tree (no dist/, the
// repo's node_modules linked in), so the `prepare` script must build dist/ during
// `npm pack` and the repo's own dist/ is never rebuilt under the feet of other
// tests. The tarball is then installed into an empty prefix, with no
// node_modules above it, and the installed bin is run with a clean environment.
// The install is `--offline` and needs no registry and no warm npm cache
// (scripts/pack-install.mjs: node-oracledb is packed from the repo's node_modules).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTarball, weighNodeModules } from '../../scripts/pack-install.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/** What `npm pack --json` (and `npm pack --dry-run --json`) says about the tarball. */
interface PackInfo {
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** Size budgets: the tarball, what it unpacks to, and a whole install of it (with its dependencies). */
const BUDGET = { tarballBytes: 2 * 1024 ** 2, unpackedBytes: 8 * 1024 ** 2, installedBytes: 15 * 1024 ** 2, installedPackages: 10 };

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with a hard time limit (the child is killed, never waited on forever). */
function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')}: no exit within ${opts.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function expectOk(r: Run, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** The environment for npm: ours, minus what an enclosing `npm test` passes to its scripts. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const key = k.toLowerCase();
    if (key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_')) continue;
    if (['npm_config_prefix', 'npm_config_global', 'npm_config_dry_run', 'npm_config_ignore_scripts', 'init_cwd'].includes(key)) continue;
    env[k] = v;
  }
  return env;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let tarball: string;
let listing: string[];
let packed: PackInfo;
let prefix: string;
let installedPkg: string;
let cleanEnv: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dbiam-pack-'));
  const src = join(work, 'src-tree');
  const dest = join(work, 'tarball');
  prefix = join(work, 'install');
  home = join(work, 'home');
  for (const d of [dest, prefix, home]) mkdirSync(d);

  // A snapshot of the working tree without build output, VCS data or dependencies.
  cpSync(root, src, {
    recursive: true,
    filter: (from) => {
      const rel = relative(root, from);
      const top = rel.split(sep)[0];
      return top !== 'node_modules' && top !== '.git' && top !== 'dist';
    },
  });
  symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'), 'dir');

  // --json: the same listing `npm pack --dry-run --json` prints, for the tarball really written.
  const pack = await run(npm, ['pack', '--json', '--pack-destination', dest], { cwd: src, env: npmEnv(), timeoutMs: 60_000 });
  expectOk(pack, 'npm pack');
  packed = (JSON.parse(pack.stdout) as PackInfo[])[0] as PackInfo;
  const tgz = readdirSync(dest).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(dest, tgz[0] ?? '');

  const tar = await run('tar', ['-tzvf', tarball], { cwd: work, env: process.env, timeoutMs: 15_000 });
  expectOk(tar, 'tar -tzvf');
  listing = tar.stdout.split('\n').filter(Boolean);

  installTarball({ root, tarball, prefix, dest, env: npmEnv() });
  installedPkg = join(prefix, 'node_modules', pkg.name);

  // What a clean machine has: node on the PATH, an empty HOME, nothing else.
  cleanEnv = { PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), HOME: home, LANG: 'C.UTF-8' };
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Paths in the tarball, without the leading `package/`. */
const paths = (): string[] => listing.map((l) => (l.split(/\s+/).at(-1) ?? '').replace(/^package\//, ''));

describe('npm pack', () => {
  it('runs `prepare`, so the tarball holds a freshly built dist/cli.js', () => {
    expect(paths()).toContain('dist/cli.js');
    expect(paths()).toContain('package.json');
    expect(pkg.bin[pkg.name]).toBe('dist/cli.js');
  });

  it('ships dist/cli.js executable, with a node shebang', async () => {
    const line = listing.find((l) => l.endsWith(' package/dist/cli.js'));
    expect(line, 'dist/cli.js in `tar -tzvf`').toBeDefined();
    expect(line?.slice(0, 10)).toMatch(/^-rwx/);
    const content = await run('tar', ['-xOzf', tarball, 'package/dist/cli.js'], { cwd: work, env: process.env, timeoutMs: 15_000 });
    expectOk(content, 'tar -xOzf');
    expect(content.stdout.split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('leaves out sources, tests and node_modules', () => {
    const leaked = paths().filter((p) => /^(src|test|node_modules|scripts)\//.test(p) || p.includes('/node_modules/'));
    expect(leaked).toEqual([]);
  });

  it('imports no devDependency (nor any undeclared package) at run time', () => {
    const dev = Object.keys(pkg.devDependencies ?? {});
    const deps = new Set(Object.keys(pkg.dependencies ?? {}));
    // es6-promise (under oci-common) probes for vertx inside try/catch and carries on without it.
    const allowedExternal = new Set(['vertx']);
    const builtins = new Set(builtinModules);
    const dist = join(installedPkg, 'dist');
    const offenders: string[] = [];
    const undeclared: string[] = [];
    let scanned = 0;
    // A specifier looks like a path or package name; minified prose ending in "from" does not.
    // esbuild writes every specifier it emits in double quotes; single-quoted ones are text the
    // doctor prints (the setup artifacts' code samples say `import oracledb from 'oracledb'`).
    const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s*)(")([@A-Za-z0-9.:/][\w./@:-]*)\1/g;
    for (const file of readdirSync(dist).filter((f) => /\.[cm]?js$/.test(f))) {
      const text = readFileSync(join(dist, file), 'utf8');
      for (const m of text.matchAll(re)) {
        const spec = m[2] ?? '';
        scanned += 1;
        if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtins.has(spec.split('/')[0] ?? '')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
        if (dev.includes(name)) offenders.push(`${file}: ${m[0]}`);
        else if (!deps.has(name) && !allowedExternal.has(name)) undeclared.push(`${file}: ${m[0]}`);
      }
    }
    expect(scanned, 'import statements found in dist/*.js (is the scan still matching?)').toBeGreaterThan(5);
    expect(offenders, 'devDependencies imported by the bundle').toEqual([]);
    expect(undeclared, 'packages imported by the bundle but not in dependencies').toEqual([]);
  });
});

/** Relative modules a bundle file imports (statically or with import()). */
function relativeImports(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])(\.\/[\w.-]+\.js)\1/g)].map((m) => m[2] ?? '');
}

describe('the tarball ships only what runs', () => {
  it(`weighs at most ${BUDGET.tarballBytes / 1024 ** 2} MB packed and ${BUDGET.unpackedBytes / 1024 ** 2} MB unpacked`, () => {
    expect(packed.size, 'tarball bytes').toBeLessThanOrEqual(BUDGET.tarballBytes);
    expect(packed.unpackedSize, 'unpacked bytes').toBeLessThanOrEqual(BUDGET.unpackedBytes);
    expect(packed.files.map((f) => f.path).sort()).toEqual([...paths()].filter((p) => !p.endsWith('/')).sort());
  });

  it('holds no type declarations, source maps or TypeScript', () => {
    expect(packed.files.map((f) => f.path).filter((p) => /\.d\.[cm]?ts$|\.map$|\.tsx?$/.test(p))).toEqual([]);
  });

  it('has no dead chunk: every dist/ file is reachable from dist/cli.js', () => {
    const dist = join(installedPkg, 'dist');
    const files = readdirSync(dist);
    const reached = new Set(['cli.js']);
    const queue = ['cli.js'];
    for (let f = queue.pop(); f !== undefined; f = queue.pop()) {
      for (const spec of relativeImports(readFileSync(join(dist, f), 'utf8'))) {
        const name = spec.slice(2);
        if (!reached.has(name) && files.includes(name)) reached.add(name), queue.push(name);
      }
    }
    expect(reached.size, 'chunks reached (is the import scan still matching?)').toBeGreaterThan(5);
    expect(files.filter((f) => !reached.has(f))).toEqual([]);
  });

  it('depends at run time on node-oracledb alone (the pure-JS packages are bundled)', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['oracledb']);
  });
});

describe('the installed package, on a clean machine', () => {
  it(`installs at most ${BUDGET.installedPackages} packages in at most ${BUDGET.installedBytes / 1024 ** 2} MB`, () => {
    const { bytes, packages } = weighNodeModules(join(prefix, 'node_modules'));
    expect(packages.sort()).toEqual([pkg.name, ...Object.keys(pkg.dependencies ?? {})].sort());
    expect(packages.length).toBeLessThanOrEqual(BUDGET.installedPackages);
    expect(bytes, 'bytes under node_modules').toBeLessThanOrEqual(BUDGET.installedBytes);
  });

  it('runs `demo healthy` to its verdict', async () => {
    const r = await run(join(prefix, 'node_modules', '.bin', pkg.name), ['demo', 'healthy', '--format', 'text'], { cwd: home, env: cleanEnv, timeoutMs: 60_000 });
    expectOk(r, 'dbiam-doctor demo healthy');
    expect(r.stdout).toMatch(/\d+ passed, 0 warnings, 0 failed, 0 errors/);
    expect(r.stdout).toMatch(/Verdict: ✔ The database sees ALICE/);
  });

  it('has no node_modules above the install prefix', () => {
    // Otherwise a package missing from the tarball's dependencies could resolve from there.
    let dir = dirname(prefix);
    for (;;) {
      expect(existsSync(join(dir, 'node_modules')), `${dir}/node_modules`).toBe(false);
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  });

  it('installs an executable bin', () => {
    const bin = join(prefix, 'node_modules', '.bin', pkg.name);
    expect(existsSync(bin)).toBe(true);
    expect(statSync(join(installedPkg, 'dist', 'cli.js')).mode & 0o111).not.toBe(0);
  });

  it('prints the package.json version', async () => {
    const r = await run(join(prefix, 'node_modules', '.bin', pkg.name), ['--version'], { cwd: home, env: cleanEnv, timeoutMs: 15_000 });
    expectOk(r, 'dbiam-doctor --version');
    expect(r.stdout.trim()).toBe(`${pkg.name} ${pkg.version}`);
  });

  it('prints a JSON report of the env checks', async () => {
    const r = await run(join(prefix, 'node_modules', '.bin', pkg.name), ['--format', 'json', '--only', 'env'], {
      cwd: home,
      env: cleanEnv,
      timeoutMs: 30_000,
    });
    // 1 would mean a check failed on this machine: still a working CLI.
    expect([0, 1], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout) as { tool: { name: string; version: string }; checks: { id: string; category: string; status: string }[] };
    expect(report.tool).toMatchObject({ name: pkg.name, version: pkg.version });
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.every((c) => c.category === 'env')).toBe(true);
    expect(report.checks.map((c) => c.status)).not.toContain('error');
  });
});
