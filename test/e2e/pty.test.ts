// The built CLI (dist/cli.js) as a user runs it: in a real pseudo-terminal
// of 80x30 (through test/e2e/pty-run.py, Python's pty module), and with its
// output going to a pipe.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_METADATA_SERVICE } from '../helpers/deps.js';

// The pty helper hands the CLI exactly this environment: carry the loopback guard in it.
const { guardEnv } = createRequire(import.meta.url)('../helpers/loopback-guard.cjs') as { guardEnv(): Record<string, string> };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const PTY_RUN = join(ROOT, 'test', 'e2e', 'pty-run.py');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const COLS = 80;
const ROWS = 30;
/** The pty helper kills the CLI after this long; the test's own limit is a little longer. */
const RUN_TIMEOUT_S = 8;

// CSI sequences (colours, cursor moves, modes) and OSC sequences (clipboard).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[()][0-9A-B]|\u001B[=>78]/g;
const strip = (s: string): string => s.replace(ANSI, '');

const CTRL_C = '\u0003';
const HINT = 'r re-run · c copy report · s save · q quit';

let work: string;

interface Env {
  [name: string]: string;
}

/** A clean environment: no proxy, no extra CA, no TNS_ADMIN, no OCI variables, a fresh HOME. */
function cleanEnv(extra: Env = {}): { env: Env; home: string; cwd: string } {
  const home = mkdtempSync(join(work, 'home-'));
  const cwd = mkdtempSync(join(work, 'cwd-'));
  // Clipboard tools that write to a file, so `c` never touches the real clipboard.
  const bin = join(home, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  for (const tool of ['pbcopy', 'xclip', 'xsel', 'wl-copy']) {
    const p = join(bin, tool);
    writeFileSync(p, `#!/bin/sh\ncat > "${join(home, 'clipboard.txt')}"\n`);
    chmodSync(p, 0o755);
  }
  const env: Env = {
    PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
    HOME: home,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...guardEnv(),
    ...extra,
  };
  return { env, home, cwd };
}

interface Step {
  /** Text to type, or a signal (e.g. 'TERM') to send to the CLI instead. */
  data?: string;
  signal?: string;
  when?: string;
  after?: number;
}

interface PtyResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  sent: number[];
  /** Everything the CLI wrote to the terminal, raw. */
  raw: string;
  /** The same without escape sequences, lines split on \r\n. */
  text: string;
}

/** Runs the built CLI in an 80x30 pty, typing `steps`. */
function runInPty(args: string[], steps: Step[], opts: { env: Env; cwd: string }): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [
        PTY_RUN,
        '--cols',
        String(COLS),
        '--rows',
        String(ROWS),
        '--timeout',
        String(RUN_TIMEOUT_S),
        '--env-json',
        JSON.stringify(opts.env),
        '--steps',
        JSON.stringify(steps),
        '--',
        process.execPath,
        CLI,
        ...args,
      ],
      { cwd: opts.cwd, timeout: (RUN_TIMEOUT_S + 4) * 1000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`pty-run failed: ${err.message}\n${stderr}`));
        const r = JSON.parse(stdout) as Omit<PtyResult, 'raw' | 'text'> & { output: string };
        const raw = Buffer.from(r.output, 'base64').toString('utf8');
        resolve({ exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, sent: r.sent, raw, text: strip(raw).replace(/\r\n/g, '\n') });
      },
    );
  });
}

interface PipeResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with stdin, stdout and stderr as pipes. */
function runPiped(args: string[], opts: { env: Env; cwd: string }): Promise<PipeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The terminal ends with the cursor shown if the CLI ever hid it. */
function expectCursorRestored(raw: string): void {
  const hidden = raw.lastIndexOf('\u001B[?25l');
  if (hidden >= 0) expect(raw.lastIndexOf('\u001B[?25h'), 'cursor shown again after it was hidden').toBeGreaterThan(hidden);
}

/**
 * Every line of the screen fits the 80 columns: a wider line wraps, and the
 * redraws that follow then erase the wrong lines. The header block (up to the
 * first empty line) is written once before the screen starts and never
 * redrawn, so it is left out here.
 */
function expectFitsWidth(text: string): void {
  const lines = text.split('\n');
  const screen = lines.slice(lines.indexOf('') + 1);
  expect(screen.length).toBeGreaterThan(3);
  const tooWide = screen.filter((l) => [...l].length > COLS);
  expect(tooWide).toEqual([]);
}

function expectExited(r: PtyResult, code: number): void {
  expect(r.timedOut, `the CLI hung; it printed:\n${r.text}`).toBe(false);
  expect(r.signal).toBeNull();
  expect(r.exitCode, r.text).toBe(code);
}

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  work = mkdtempSync(join(tmpdir(), 'dbiam-doctor-e2e-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('interactive screen in an 80x30 pty', () => {
  it('draws the header, the checklist and the summary, then q quits with 0', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(['--only', 'env'], [{ when: HINT, after: 100, data: 'q' }], { env, cwd });
    expectExited(r, 0);
    expect(r.sent).toEqual([0]);
    expect(r.text).toContain(`dbiam-doctor ${VERSION}`);
    expect(r.text).toMatch(/profile: DEFAULT · auth: /);
    // The checklist: every env check passes on a clean environment.
    for (const title of ['Node.js, platform and versions', 'Proxy settings', 'Extra CA certificates', 'TNS_ADMIN directory']) {
      expect(r.text).toMatch(new RegExp(`^✔ ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    }
    expect(r.text).toMatch(/^\d+ passed, 0 warnings, 0 failed, 0 errors, 0 skipped in \d+(\.\d)? m?s$/m);
    expect(r.text).toContain(HINT);
    expect(r.text).not.toContain('╭'); // nothing warned: no panel
    // It really drew on a terminal: colour and cursor control, not plain text.
    // eslint-disable-next-line no-control-regex
    expect(r.raw).toMatch(/\u001B\[3\dm/);
    expectFitsWidth(r.text);
    expectCursorRestored(r.raw);
  });

  it('Ctrl+C as soon as the screen appears exits 130', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(['--only', 'env'], [{ when: `dbiam-doctor ${VERSION}`, data: CTRL_C }], { env, cwd });
    expectExited(r, 130);
    expect(r.sent).toEqual([0]);
    expectCursorRestored(r.raw);
  });

  it('Ctrl+C after the run is done still exits 130', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(['--only', 'env'], [{ when: HINT, after: 100, data: CTRL_C }], { env, cwd });
    expectExited(r, 130);
    expect(r.sent).toEqual([0]);
    expect(r.text).toMatch(/\d+ passed/);
    expectCursorRestored(r.raw);
  });

  it('SIGTERM to a finished screen closes it and exits 130', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(['--only', 'env'], [{ when: HINT, after: 100, signal: 'TERM' }], { env, cwd });
    expectExited(r, 130);
    expect(r.sent).toEqual([0]);
    expectCursorRestored(r.raw);
  });

  it('shows a warning panel whose evidence opens with Enter, redacted', async () => {
    const { env, cwd } = cleanEnv({ HTTPS_PROXY: 'http://alice:s3cr3t-pw@proxy.example:3128' });
    const r = await runInPty(
      ['--only', 'env'],
      [
        { when: HINT, after: 100, data: '\r' },
        { when: 'Evidence', after: 100, data: 'q' },
      ],
      { env, cwd },
    );
    // A warning alone does not fail the run.
    expectExited(r, 0);
    expect(r.sent).toEqual([0, 1]);
    expect(r.text).toMatch(/^⚠ Proxy settings — HTTPS_PROXY set/m);
    expect(r.text).toMatch(/1 warning,/);
    expect(r.text).toContain('env.proxy-not-applied · Proxy settings');
    expect(r.text).toContain('↑/↓ select · enter evidence · ');
    expect(r.text).toMatch(/HTTPS_PROXY: http:\/\/\*\*\*@proxy\.example:3128/);
    expect(r.raw).not.toContain('s3cr3t-pw');
    expectFitsWidth(r.text);
    expectCursorRestored(r.raw);
  });

  it('s saves the Markdown report in the working directory and says so', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(
      ['--only', 'env'],
      [
        { when: HINT, after: 100, data: 's' },
        { when: 'Saved the report to', after: 100, data: 'q' },
      ],
      { env, cwd },
    );
    expectExited(r, 0);
    expect(r.sent).toEqual([0, 1]);
    const saved = readdirSync(cwd).filter((f) => /^dbiam-doctor-report-\d{8}-\d{6}\.md$/.test(f));
    expect(saved).toHaveLength(1);
    const md = readFileSync(join(cwd, saved[0] as string), 'utf8');
    expect(md).toContain('Proxy settings');
    expect(r.text).toContain(saved[0] as string);
  });

  it('c copies the Markdown report through OSC 52 and says so', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(
      ['--only', 'env'],
      [
        { when: HINT, after: 100, data: 'c' },
        { when: 'Copied the Markdown report', after: 100, data: 'q' },
      ],
      { env, cwd },
    );
    expectExited(r, 0);
    expect(r.sent).toEqual([0, 1]);
    // eslint-disable-next-line no-control-regex
    const osc = /\u001B\]52;c;([A-Za-z0-9+/=]+)\u0007/.exec(r.raw);
    expect(osc, 'an OSC 52 clipboard sequence').not.toBeNull();
    const copied = Buffer.from(osc?.[1] ?? '', 'base64').toString('utf8');
    expect(copied).toContain('Proxy settings');
    expect(copied).toContain(`dbiam-doctor`);
    expect(r.text).toMatch(/Copied the Markdown report \(\d+ chars\) via OSC 52/);
  });

  it('r runs the checks again: a later copy carries a later start time', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(
      ['--only', 'env'],
      [
        { when: HINT, after: 100, data: 'c' },
        { when: 'Copied the Markdown report', after: 50, data: 'r' },
        { when: HINT, after: 100, data: 'c' },
        { when: 'Copied the Markdown report', after: 50, data: 'q' },
      ],
      { env, cwd },
    );
    expectExited(r, 0);
    expect(r.sent).toEqual([0, 1, 2, 3]);
    // eslint-disable-next-line no-control-regex
    const copies = [...r.raw.matchAll(/\u001B\]52;c;([A-Za-z0-9+/=]+)\u0007/g)].map((m) => Buffer.from(m[1] ?? '', 'base64').toString('utf8'));
    expect(copies).toHaveLength(2);
    const started = copies.map((md) => /started (\S+)/.exec(md)?.[1] ?? '');
    expect(started.every((s) => !Number.isNaN(Date.parse(s)))).toBe(true);
    expect(Date.parse(started[1] as string)).toBeGreaterThan(Date.parse(started[0] as string));
  });
});

describe.skipIf(process.platform === 'win32')('the --admin-user password prompt in a pty', () => {
  const PROMPT = 'Password for ADMIN (not shown';
  const typed = `Adm1n-${Date.now().toString(36)}`;

  // No OCI credentials in these homes: the runs end 1 (auth.mode fails), after the prompt did its job.
  it('asks before the run, shows nothing of what is typed, then runs', async () => {
    const { env, cwd } = cleanEnv();
    // Typed with a slip (x, Backspace) and an arrow key, as people do.
    const r = await runInPty(['--only', 'db.config', '--imds-url', NO_METADATA_SERVICE, '--admin-user', 'ADMIN', '--dsn', 'localhost:1/x', '--format', 'text'], [{ when: PROMPT, after: 50, data: `${typed}x\u007f\u001b[D\r` }], { env, cwd });
    expectExited(r, 1);
    expect(r.sent).toEqual([0]);
    expect(r.text).toContain(PROMPT);
    expect(r.text).not.toContain(typed.slice(0, 5)); // not echoed by the terminal, not printed by the doctor
    expect(r.text).toMatch(/Database side: IAM provider and global mappings/);
  });

  it('Ctrl+C at the prompt exits 130 without running', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(['--only', 'db.config', '--imds-url', NO_METADATA_SERVICE, '--admin-user', 'ADMIN', '--format', 'text'], [{ when: PROMPT, data: CTRL_C }], { env, cwd });
    expectExited(r, 130);
    expect(r.text).not.toMatch(/passed,/);
  });

  it('does not ask when the database-side check will not run (--offline, --skip db.config)', async () => {
    for (const extra of [['--offline'], ['--skip', 'db.config']]) {
      const { env, cwd } = cleanEnv();
      const r = await runInPty(['--only', 'db.config', '--imds-url', NO_METADATA_SERVICE, '--admin-user', 'ADMIN', '--format', 'text', ...extra], [], { env, cwd });
      expect(r.timedOut).toBe(false);
      expect(r.text).not.toContain(PROMPT);
      expect(r.text).toMatch(/passed,/);
    }
  });

  it('with DBIAM_DOCTOR_ADMIN_PASSWORD set it does not ask', async () => {
    const { env, cwd } = cleanEnv({ DBIAM_DOCTOR_ADMIN_PASSWORD: typed });
    const r = await runInPty(['--only', 'db.config', '--imds-url', NO_METADATA_SERVICE, '--admin-user', 'ADMIN', '--format', 'text'], [], { env, cwd });
    expectExited(r, 1);
    expect(r.text).not.toContain(PROMPT);
  });
});

describe('output to a pipe', () => {
  it('--format text prints plain lines with no escape sequences and exits 0', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runPiped(['--only', 'env', '--format', 'text'], { env, cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001B');
    expect(r.stderr).not.toContain('\u001B');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`dbiam-doctor ${VERSION}`);
    expect(r.stdout).toMatch(/^✔ Proxy settings — no proxy variables set/m);
    expect(r.stdout).toMatch(/^\d+ passed, 0 warnings, 0 failed, 0 errors, 0 skipped in /m);
  });

  it('without --format, a pipe gets the same plain text', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runPiped(['--only', 'env'], { env, cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001B');
    expect(r.stdout).toMatch(/^dbiam-doctor /);
    expect(r.stdout).toMatch(/\d+ passed/);
  });

  it('--format json prints one JSON document only', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runPiped(['--only', 'env', '--format', 'json'], { env, cwd });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['tool', 'startedAt', 'durationMs', 'summary', 'checks']) expect(doc).toHaveProperty(key);
    expect(doc.tool).toEqual({ name: 'dbiam-doctor', version: VERSION });
    expect(Number.isNaN(Date.parse(doc.startedAt as string))).toBe(false);
    expect(typeof doc.durationMs).toBe('number');
    const checks = doc.checks as Array<{ id: string; status: string; category: string }>;
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c) => c.category === 'env')).toBe(true);
    expect(checks.map((c) => c.id)).toContain('env.proxy');
    expect(doc.summary).toMatchObject({ pass: checks.length, warn: 0, fail: 0, error: 0 });
  });

  it('a warning exits 0, or 1 with --strict, and never prints the proxy password', async () => {
    const { env, cwd } = cleanEnv({ HTTPS_PROXY: 'http://alice:s3cr3t-pw@proxy.example:3128' });
    const plain = await runPiped(['--only', 'env', '--format', 'text'], { env, cwd });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^⚠ Proxy settings/m);
    expect(plain.stdout).toContain('env.proxy-not-applied');
    expect(plain.stdout + plain.stderr).not.toContain('s3cr3t-pw');
    const strict = await runPiped(['--only', 'env', '--format', 'text', '--strict'], { env, cwd });
    expect(strict.code).toBe(1);
  });

  it('an unknown flag exits 2 with a one-line reason and where the help is, not the whole usage', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runPiped(['--no-such-flag'], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual(["dbiam-doctor: Unknown option '--no-such-flag'", "Run 'dbiam-doctor help' for the options."]);
  });
});
