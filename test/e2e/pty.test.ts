// The built CLI (dist/cli.js) as a user runs it: in a real pseudo-terminal
// of 80x30 (through test/e2e/pty-run.py, Python's pty module), and with its
// output going to a pipe.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_METADATA_SERVICE } from '../helpers/deps.js';
import { cleanEnv as harnessCleanEnv } from './pty-harness.js';


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

/** A clean environment under this file's work directory (see the pty harness). */
const cleanEnv = (extra: Env = {}): { env: Env; home: string; cwd: string } => harnessCleanEnv(work, extra);

interface Step {
  /** Text to type, or a signal (e.g. 'TERM') to send to the CLI instead, or a new window size. */
  data?: string;
  signal?: string;
  resize?: [cols: number, rows: number];
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

/**
 * Runs the built CLI in an 80x30 pty (or `size`), typing `steps`; `before`
 * is shell text run first in the same terminal (lines already on screen).
 */
function runInPty(args: string[], steps: Step[], opts: { env: Env; cwd: string; size?: [cols: number, rows: number]; before?: string }): Promise<PtyResult> {
  const command = opts.before ? ['/bin/sh', '-c', `${opts.before}; exec "$0" "$@"`, process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [
        PTY_RUN,
        '--cols',
        String(opts.size?.[0] ?? COLS),
        '--rows',
        String(opts.size?.[1] ?? ROWS),
        '--timeout',
        String(RUN_TIMEOUT_S),
        '--env-json',
        JSON.stringify(opts.env),
        '--steps',
        JSON.stringify(steps),
        '--',
        ...command,
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
 * first empty line) is folded between facts rather than cut, so it is left
 * out here.
 */
function expectFitsWidth(text: string, commands: readonly string[] = []): void {
  const lines = text.split('\n');
  const screen = lines.slice(lines.indexOf('') + 1);
  expect(screen.length).toBeGreaterThan(3);
  // Fix commands are left whole on purpose: the terminal wraps them softly, so a selection copies them whole.
  const tooWide = screen.filter((l) => [...l].length > COLS && !commands.some((c) => l.endsWith(c)));
  expect(tooWide).toEqual([]);
}

/** What the screen drew, without the compact result printed after it left the alternate screen. */
function screenText(raw: string): string {
  const leave = raw.lastIndexOf('\u001B[?1049l');
  // Each frame starts with cursor home + clear: a line break between frames keeps their lines apart.
  return strip((leave >= 0 ? raw.slice(0, leave) : raw).replaceAll('\u001B[H\u001B[J', '\r\n')).replace(/\r\n/g, '\n');
}

/** The fix commands of the compact result printed after the screen closed: the line after each problem. */
function inlineCommands(raw: string): string[] {
  const after = strip(raw.slice(raw.lastIndexOf('\u001B[?1049l'))).split('\r\n');
  return after.flatMap((l, i) => (/^[⚠✖] /.test(l) && after[i + 1] && !/^[⚠✖] /.test(after[i + 1] as string) ? [after[i + 1] as string] : []));
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
    expectFitsWidth(screenText(r.raw));
    expectCursorRestored(r.raw);
  });

  it('shows the whole checklist, every check pending, before its first redraw (Ink has not loaded yet)', async () => {
    const { env, cwd } = cleanEnv();
    const r = await runInPty(['--only', 'env'], [{ when: HINT, after: 100, data: 'q' }], { env, cwd });
    expectExited(r, 0);
    // Entering the alternate screen clears it; every frame after that starts with home + clear again.
    const frames = r.raw.split('\u001B[H\u001B[J');
    const first = strip(frames[1] ?? '').split('\r\n');
    expect(first[0]).toBe(`dbiam-doctor ${VERSION}`);
    expect(first).toEqual(expect.arrayContaining(['· Node.js, platform and versions', '· Proxy settings', '· Extra CA certificates (NODE_EXTRA_CA_CERTS)', '· TNS_ADMIN directory']));
    expect(first.every((l) => [...l].length <= COLS)).toBe(true);
    // The later frames redraw the same rows with their results.
    expect(frames.length).toBeGreaterThan(2);
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
    expectFitsWidth(screenText(r.raw), inlineCommands(r.raw));
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

const ENTER_ALT = '\u001B[?1049h';
const LEAVE_ALT = '\u001B[?1049l';

/** Splits the raw output around the alternate screen: what was printed before, on it, and after it. */
function aroundAltScreen(raw: string): { before: string; screen: string; after: string } {
  const enter = raw.indexOf(ENTER_ALT);
  const leave = raw.lastIndexOf(LEAVE_ALT);
  expect(enter, 'entered the alternate screen').toBeGreaterThanOrEqual(0);
  expect(leave, 'left the alternate screen after entering it').toBeGreaterThan(enter);
  expect(raw.indexOf(LEAVE_ALT), 'left it once').toBe(leave);
  return { before: raw.slice(0, enter), screen: raw.slice(enter + ENTER_ALT.length, leave), after: raw.slice(leave + LEAVE_ALT.length) };
}

const THIRTY_LINES = 'i=1; while [ $i -le 30 ]; do echo "earlier output $i ORA-01017"; i=$((i+1)); done';

describe.skipIf(process.platform === 'win32')('the screen keeps the terminal history (alternate screen)', () => {
  // Clearing the screen or the scroll-back outside the alternate screen would erase what the user had.
  // eslint-disable-next-line no-control-regex
  const ERASING = /\u001B\[[0-3]?J|\u001B\[H|\u001B\[\d*(?:;\d*)?H|\u001Bc/;

  for (const [name, step, code] of [
    ['q', { data: 'q' }, 0],
    ['Ctrl+C', { data: CTRL_C }, 130],
    ['SIGTERM', { signal: 'TERM' }, 130],
  ] as const) {
    it(`30 lines printed before a run are still in the scroll-back after ${name} at 80x24; the result follows inline`, async () => {
      const { env, cwd } = cleanEnv({ HTTPS_PROXY: 'http://proxy.example:3128' });
      const r = await runInPty(['--only', 'env'], [{ when: HINT, after: 50, ...step }], { env, cwd, size: [80, 24], before: THIRTY_LINES });
      expectExited(r, code);
      const { before, screen, after } = aroundAltScreen(r.raw);
      for (let i = 1; i <= 30; i++) expect(strip(before)).toContain(`earlier output ${i} ORA-01017`);
      // Nothing that erases the scroll-back, anywhere; nothing that clears or moves home outside the alternate screen.
      expect(r.raw).not.toContain('\u001B[3J');
      expect(before).not.toMatch(ERASING);
      expect(after).not.toMatch(ERASING);
      expect(strip(screen)).toContain('Proxy settings');
      // The compact result stays in history: the summary and the problem with its code.
      const inline = strip(after).replace(/\r\n/g, '\n');
      expect(inline).toMatch(/^dbiam-doctor \S+\n\d+ passed, 1 warning, 0 failed, 0 errors, 0 skipped in /);
      const lines = inline.split('\n');
      const problem = lines.findIndex((l) => /^⚠ HTTPS_PROXY .*\(env\.proxy-not-applied · Proxy settings\)$/.test(l));
      expect(problem, inline).toBeGreaterThan(1);
      // Its first fix command, whole on the next line, as the screen showed it (on one unbroken line).
      const command = lines[problem + 1] ?? '';
      expect(command).toMatch(/^\S.{20,}/);
      expect(strip(screen).split('\r\n')).toContain(command);
      expectCursorRestored(r.raw);
    });
  }
});

/** The last frame the screen drew before it closed, as lines of text. */
function lastFrame(raw: string): string[] {
  const { screen } = aroundAltScreen(raw);
  return strip(screen.slice(screen.lastIndexOf('\u001B[H\u001B[J'))).split('\r\n');
}

describe.skipIf(process.platform === 'win32')('fix commands and resizes in a pty', () => {
  it('NO_COLOR draws the screen at 80x24 with no colour, and the fix command still whole', async () => {
    const { env, cwd } = cleanEnv({ NO_COLOR: '1', HTTPS_PROXY: 'http://proxy.example:3128' });
    const r = await runInPty(['--only', 'env'], [{ when: HINT, after: 50, data: 'q' }], { env, cwd, size: [80, 24] });
    expectExited(r, 0);
    // eslint-disable-next-line no-control-regex
    expect(r.raw).not.toMatch(/\u001B\[(?:\d+;)*(?:3\d|9\d|2)m/);
    const [command] = inlineCommands(r.raw);
    expect(lastFrame(r.raw)).toContain(command);
  });

  it('TERM=dumb gets plain text lines, with no screen switching and no escape sequences', async () => {
    const { env, cwd } = cleanEnv({ TERM: 'dumb', HTTPS_PROXY: 'http://proxy.example:3128' });
    const r = await runInPty(['--only', 'env'], [], { env, cwd, size: [80, 24] });
    expectExited(r, 0);
    expect(r.raw).not.toContain('\u001B');
    expect(r.text).toMatch(/^⚠ Proxy settings — HTTPS_PROXY set/m);
    expect(r.text).toMatch(/^\d+ passed, 1 warning, 0 failed, 0 errors, 0 skipped in /m);
  });

  it('y copies the selected fix command alone through OSC 52; the screen shows it on one unbroken line', async () => {
    const { env, cwd } = cleanEnv({ HTTPS_PROXY: 'http://proxy.example:3128' });
    const r = await runInPty(
      ['--only', 'env'],
      [
        { when: HINT, after: 50, data: 'y' },
        { when: 'via OSC 52', after: 50, data: 'q' },
      ],
      { env, cwd, size: [80, 24] },
    );
    expectExited(r, 0);
    expect(r.sent).toEqual([0, 1]);
    // eslint-disable-next-line no-control-regex
    const osc = [...r.raw.matchAll(/\u001B\]52;c;([A-Za-z0-9+/=]+)\u0007/g)].map((m) => Buffer.from(m[1] ?? '', 'base64').toString('utf8'));
    expect(osc).toHaveLength(1);
    const [command] = inlineCommands(r.raw);
    expect(command, 'the compact result names a command').toBeTruthy();
    expect(osc[0]).toBe(command);
    expect([...(command as string)].length, 'a command longer than the window, so the test can fail').toBeGreaterThan(80);
    // On screen: the whole command on one line (the terminal wraps it softly), with no border around it.
    expect(lastFrame(r.raw)).toContain(command);
    expect(r.text).toMatch(/Copied the fix command via OSC 52/);
  });

  it('a resize mid-screen redraws at the new width: no line wider than the window', async () => {
    const { env, cwd } = cleanEnv({ HTTPS_PROXY: 'http://proxy.example:3128' });
    const r = await runInPty(
      ['--only', 'env'],
      [
        { when: HINT, after: 50, resize: [60, 20] },
        { when: '\u001B[H\u001B[J', after: 100, data: 'q' },
      ],
      { env, cwd, size: [100, 30] },
    );
    expectExited(r, 0);
    expect(r.sent).toEqual([0, 1]);
    const frame = lastFrame(r.raw);
    expect(frame.join('\n')).toContain('r re-run · c copy report · s save · q quit');
    const commands = inlineCommands(r.raw);
    const tooWide = frame.filter((l) => [...l].length > 60 && !commands.some((c) => l.endsWith(c)));
    expect(tooWide).toEqual([]);
    // Drawn for 60 columns, not left at the 100 read at start: the panel's box is 60 wide.
    expect(frame.find((l) => l.startsWith('╭'))).toHaveLength(60);
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
    expect(doc.tool).toMatchObject({ name: 'dbiam-doctor', version: VERSION, nodeOracledb: expect.stringMatching(/^\d+\.\d+\.\d+/) });
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
