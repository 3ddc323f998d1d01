// A demo on a machine whose demo key cache is warm makes no RSA key at all:
// the world's keys and the two the doctor's run inside it takes (its DB
// token's pair, its throw-away TLS wallet's key) all come from the cache. On
// Node 20 each RSA-2048 key made on the spot costs 0.2–0.7 s of a core.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../e2e/pty-harness.js';
import { suiteKeyCacheEnv } from '../helpers/key-cache-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const preload = (file: string): string => `--require=${join(ROOT, 'test', 'helpers', file)}`;

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'dbiam-demo-keys-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('demo direct-healthy with a warm key cache makes no RSA key, and passes', async () => {
  const log = join(work, 'keygen.log');
  const env = { PATH: process.env.PATH ?? '', HOME: work, ...suiteKeyCacheEnv(), DBIAM_KEYGEN_LOG: log, NODE_OPTIONS: `${preload('loopback-guard.cjs')} ${preload('keygen-log.cjs')}` };
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'demo', 'direct-healthy', '--format', 'text'], { cwd: work, env, timeout: 60_000 }, (err, out, stderr) => (err ? reject(new Error(`${String(err)}\n${stderr}`)) : resolve(out))),
  );
  // The run reached the database through the throw-away wallet and a DB token: both keys were asked for.
  expect(stdout).toMatch(/^Verdict: ✔ The database sees ALICE .*\(through node-oracledb thin, direct\)$/m);
  expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
});

it('the log sees a key a CLI makes (self-test)', async () => {
  const log = join(work, 'self.log');
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', "import { generateKeyPair } from 'node:crypto'; generateKeyPair('rsa', { modulusLength: 1024 }, () => {});"], { env: { PATH: process.env.PATH ?? '', DBIAM_KEYGEN_LOG: log, NODE_OPTIONS: preload('keygen-log.cjs') }, timeout: 30_000 }, (err) => (err ? reject(err) : resolve())),
  );
  expect(readFileSync(log, 'utf8')).toBe('generateKeyPair rsa 1024\n');
});
