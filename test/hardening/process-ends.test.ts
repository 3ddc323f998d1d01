// Class 4 (runs without an end), class 5 (unbounded memory) and class 9
// (crashes and unclear errors), as a user meets them: the CLI is bundled
// from the current source (as scripts/build.mjs does) and run as a process.
// Every wait is bounded; a process still alive at its bound is killed and
// the test fails.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBodyCapped, MAX_RESPONSE_BYTES } from '../../src/adapters/http-body.js';
import { probeImds } from '../../src/adapters/imds.js';
import { applyProxyEnvironment } from '../../src/adapters/proxy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { generateKeyPairSync } from 'node:crypto';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import { ENDPOINT_SERVICES } from '../../src/core/options.js';
import { writeOciHome } from '../../src/sim/home.js';
import { firstForeignControl, hostileValue, seededRandom } from './hostile.js';
import { execFileSync } from 'node:child_process';
import { suiteKeyCacheEnv } from '../helpers/key-cache-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let outDir: string;
let CLI: string;

beforeAll(async () => {
  // Inside node_modules so the bundle's external packages resolve from the project.
  outDir = join(ROOT, 'node_modules', '.cache', `dbiam-hardening-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { cli: join(ROOT, 'src/bin.ts') },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['react-devtools-core', 'oci-*', 'oracledb', 'node-forge', 'undici'],
    banner: { js: "import { createRequire as __doctorCreateRequire } from 'node:module'; const require = __doctorCreateRequire(import.meta.url);" },
    define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"' },
    logLevel: 'error',
    absWorkingDir: ROOT,
  });
  CLI = join(outDir, 'cli.js');
}, 60_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Resolves when the child ends, or kills it at `boundMs` (and says so: timedOut). */
function ended(child: ChildProcess, boundMs: number): Promise<Ended & { timedOut: boolean }> {
  const t0 = Date.now();
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout?.on('error', () => undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - t0;
      resolve({ code, signal, stdout, stderr, ms, timedOut: ms >= boundMs });
    });
  });
}

function cleanEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', ...suiteKeyCacheEnv() };
}

function mkfifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

function release(fifo: string): void {
  for (const flags of [constants.O_WRONLY | constants.O_NONBLOCK, constants.O_RDONLY | constants.O_NONBLOCK]) {
    try {
      closeSync(openSync(fifo, flags));
    } catch {
      // nobody on the other side
    }
  }
}

/** The text of the first line `child` prints, or undefined at the bound. */
function firstOutput(child: ChildProcess, pattern: RegExp, boundMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = '';
    const timer = setTimeout(() => resolve(false), boundMs);
    child.stdout?.on('data', (c: Buffer) => {
      seen += c.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
}

describe('every exit path ends the process', () => {
  it('`| head -1`: a closed pipe ends the run quietly, without an EPIPE stack trace', async () => {
    const home = tempDir('dbiam-doctor-epipe-');
    const child = spawn(process.execPath, [CLI, 'demo', 'healthy', '--format', 'text'], { cwd: home, env: cleanEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    const done = ended(child, 20_000);
    // Read the first line, then close the pipe as head does.
    await firstOutput(child, /\n/, 10_000);
    child.stdout?.destroy();
    const r = await done;
    expect(r.timedOut).toBe(false);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\(|Error:/);
    expect(r.signal).toBeNull();
  });

  it('a deleted working directory gets one clear line, not a uv_cwd stack trace', async () => {
    const base = tempDir('dbiam-doctor-cwd-');
    const gone = join(base, 'gone');
    mkdirSync(gone);
    const child = spawn('sh', ['-c', `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${CLI}" --offline --format text`], { env: cleanEnv(base), stdio: ['ignore', 'pipe', 'pipe'] });
    const r = await ended(child, 10_000);
    expect(r.stderr).not.toMatch(/uv_cwd|at .*\(/);
    expect(r.stderr).toMatch(/current directory no longer exists/);
    expect(r.code).toBe(1);
  });

  for (const [signal, code] of [
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} mid-run takes the clean path within a second and keeps a complete -o report`, async () => {
      const home = tempDir('dbiam-doctor-signal-');
      const report = join(home, 'report.md');
      writeFileSync(report, '# a complete earlier report\n');
      const child = spawn(process.execPath, [CLI, 'demo', 'healthy', '--format', 'text', '--output', report], { cwd: home, env: cleanEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
      const done = ended(child, 20_000);
      expect(await firstOutput(child, /\n\S.*\n/, 15_000)).toBe(true);
      const sentAt = Date.now();
      child.kill(signal);
      const r = await done;
      expect(r.signal, r.stderr).toBeNull(); // it handled the signal, not died of it
      expect([130, code]).toContain(r.code);
      expect(Date.now() - sentAt).toBeLessThan(1500);
      expect(readFileSync(report, 'utf8')).toBe('# a complete earlier report\n');
      expect(readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }

  it('a FIFO as --config-file: the run ends, and the process exits', async () => {
    const home = tempDir('dbiam-doctor-fifo-run-');
    const fifo = mkfifo(join(home, 'config'));
    try {
      const child = spawn(process.execPath, [CLI, '--offline', '--config-file', fifo, '--format', 'text', '--timeout', '2'], { cwd: home, env: cleanEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
      const r = await ended(child, 8_000);
      expect(r.timedOut).toBe(false);
      expect(r.stdout).toMatch(/FIFO/);
    } finally {
      release(fifo);
    }
  });

  it('a FIFO as --policies: policy explain refuses it and exits', async () => {
    const home = tempDir('dbiam-doctor-fifo-policies-');
    const fifo = mkfifo(join(home, 'policies.json'));
    try {
      const child = spawn(process.execPath, [CLI, 'policy', 'explain', '--policies', fifo, '--as', 'group:G', '--need', 'use database-connections', '--in', 'tenancy'], { cwd: home, env: cleanEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
      const r = await ended(child, 8_000);
      expect(r.timedOut).toBe(false);
      expect(r.stderr).toMatch(/FIFO/);
    } finally {
      release(fifo);
    }
  });

  it('-o >(cmd): bash hands over /dev/fd/N, a pipe; the report goes through it', async () => {
    const home = tempDir('dbiam-doctor-devfd-');
    const got = join(home, 'got.txt');
    const script = `"${process.execPath}" "${CLI}" --offline --only profile.config --format text --output >(cat > "${got}"); rc=$?; wait; exit $rc`;
    const child = spawn('bash', ['-c', script], { cwd: home, env: cleanEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    const r = await ended(child, 10_000);
    expect(r.stderr).not.toMatch(/cannot write/);
    expect(existsSync(got) ? readFileSync(got, 'utf8') : '').toMatch(/dbiam-doctor [0-9][^]*passed/);
  });
});

describe('the screen in a real pseudo-terminal', () => {
  it('a hostile region= value in ~/.oci/config: no OSC, C1 or bidi control reaches the terminal, and q still quits', async () => {
    const rng = seededRandom(Number(process.env.HOSTILE_SEED ?? 19) + 50);
    const values = Array.from({ length: 3 }, () => hostileValue(rng));
    const home = tempDir('dbiam-doctor-pty-');
    mkdirSync(join(home, '.oci'));
    const cfg = join(home, '.oci', 'config');
    writeFileSync(cfg, ['[DEFAULT]', `region=${values.map((v) => v.text.replace(/\n/g, ' ')).join(' ')}`, 'key_file=/nonexistent/k.pem', ''].join('\n'));
    const steps = [{ when: 'q quit', data: 'q' }];
    const out = await new Promise<{ raw: string; exitCode: number | null }>((resolve, reject) => {
      execFile(
        'python3',
        [join(ROOT, 'test/e2e/pty-run.py'), '--cols', '120', '--rows', '40', '--timeout', '10', '--env-json', JSON.stringify({ PATH: process.env.PATH, HOME: home, TERM: 'xterm-256color' }), '--steps', JSON.stringify(steps), '--', process.execPath, CLI, '--offline', '--only', 'profile.config'],
        { cwd: home, timeout: 15_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) return reject(new Error(`pty-run failed: ${err.message}\n${stderr}`));
          const r = JSON.parse(stdout) as { exitCode: number | null; output: string };
          resolve({ raw: Buffer.from(r.output, 'base64').toString('utf8'), exitCode: r.exitCode });
        },
      );
    });
    expect(firstForeignControl(out.raw)).toBeUndefined();
    expect(out.raw).toContain(values[0]?.marker);
    expect(out.exitCode).not.toBeNull();
  });
});

describe('unclear errors', () => {
  it('--timeout -1 names the value, not "ambiguous"', async () => {
    const r = await runCli(['--timeout', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--timeout: expected seconds between 0 and 3600, got '-1'/);
  });

  it('a proxy answering 407: the who-am-I finding says what failed, never [object Object]', async () => {
    const proxy = createServer((_q, r) => r.writeHead(407).end());
    proxy.on('connect', (_req, socket: import('node:net').Socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n'));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const home = tempDir('dbiam-doctor-407-');
      const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeOciHome(home, [
        { name: 'DEFAULT', mode: 'api_key', tenancy: 'ocid1.tenancy.oc1..aaaaaaaaproxytenancy000000000000000000000000000000000000001', user: 'ocid1.user.oc1..aaaaaaaaproxyuser0000000000000000000000000000000000000000001', region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKey), privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      ]);
      const r = await runCli(['--format', 'text', '--timeout', '5', '--only', 'identity.whoami', '--endpoint', 'identity=https://127.0.0.1:4443'], { env: { HOME: home, HTTPS_PROXY: proxyUrl }, cwd: home, system: fakeSystem({ homeDir: home }), now: () => new Date() });
      expect(r.stdout).toMatch(/identity\.unreachable/);
      expect(r.stdout).not.toContain('[object Object]');
      expect(r.stdout).toMatch(/fetch failed/);
    } finally {
      await applyProxyEnvironment({});
      await new Promise((r) => proxy.close(r));
    }
  }, 30_000);

  it("--imds-url 'http://[::1' is refused as a usage error", async () => {
    const r = await runCli(['--imds-url', 'http://[::1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--imds-url: expected an http\(s\) URL/);
  });
});

describe('response bodies are capped', () => {
  let server: Server;
  let sent = 0;
  beforeAll(async () => {
    // Streams 160 MiB of JSON-looking bytes, far more than any answer the doctor reads.
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let left = 2560;
      const pump = (): void => {
        while (left > 0) {
          left -= 1;
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('{}');
      };
      res.on('close', () => (left = 0));
      req.resume();
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const url = (): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  it('the global dispatcher cuts a streamed body past the limit (the OCI SDK reads bodies whole)', async () => {
    sent = 0;
    await applyProxyEnvironment({});
    const outcome = await fetch(`${url()}/20160918/users/x`, { signal: AbortSignal.timeout(10_000) })
      .then((r) => r.text())
      .then(
        (t) => `read ${t.length} bytes`,
        (e: Error) => `failed: ${String((e.cause as { code?: string } | undefined)?.code ?? e.message)}`,
      );
    expect(outcome).toBe('failed: UND_ERR_RES_EXCEEDED_MAX_SIZE');
    expect(sent).toBeLessThan(MAX_RESPONSE_BYTES * 2);
  });

  it('a doctor run whose identity endpoint streams without end reports the limit in a finding', async () => {
    const home = tempDir('dbiam-doctor-stream-');
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeOciHome(home, [
      { name: 'DEFAULT', mode: 'api_key', tenancy: 'ocid1.tenancy.oc1..aaaaaaaastreamtenancy00000000000000000000000000000000000001', user: 'ocid1.user.oc1..aaaaaaaastreamuser000000000000000000000000000000000000000001', region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKey), privateKeyPem: pem },
    ]);
    const endpoints = ENDPOINT_SERVICES.flatMap((svc) => ['--endpoint', `${svc}=${url()}`]);
    const r = await runCli(['--format', 'json', '--timeout', '10', ...endpoints], { env: { HOME: home }, cwd: home, system: fakeSystem({ homeDir: home }), now: () => new Date() });
    expect(r.stdout).toMatch(/larger than \d+ bytes/);
  }, 30_000);

  it('the metadata probe and readBodyCapped stop at the limit and say so', async () => {
    const probe = await probeImds(`${url()}/opc/v2/`, new AbortController().signal, 10_000);
    expect(probe.reachable).toBe(false);
    expect(probe.reachable ? '' : probe.reason).toMatch(/larger than/);
    const res = await fetch(url());
    await expect(readBodyCapped(res, 1024 * 1024)).rejects.toThrow(/larger than 1048576 bytes/);
  });
});

