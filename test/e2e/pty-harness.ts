// The built CLI in a real pseudo-terminal (test/e2e/pty-run.py), and what a
// user's terminal then shows: the output replayed into a headless xterm
// (@xterm/headless), resized at the moment the window was, so "the last lines
// of the screen" and "the scroll-back" are the emulator's, not a guess.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IBuffer, Terminal as XTerm } from '@xterm/headless';
import { suiteKeyCacheEnv } from '../helpers/key-cache-env.js';

const require = createRequire(import.meta.url);
// A CommonJS bundle whose exports Node's ESM loader cannot see: required.
const { Terminal } = require('@xterm/headless') as typeof import('@xterm/headless');
// The pty helper hands the CLI exactly this environment: carry the loopback guard in it.
const { guardEnv } = require('../helpers/loopback-guard.cjs') as { guardEnv(): Record<string, string> };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');
const PTY_RUN = join(ROOT, 'test', 'e2e', 'pty-run.py');

export const HINT = 'r re-run · c copy report · s save · q quit';
export const ENTER_ALT = '\u001B[?1049h';
export const LEAVE_ALT = '\u001B[?1049l';

export type Env = Record<string, string>;
export type Size = [cols: number, rows: number];

export interface Step {
  data?: string;
  signal?: string;
  resize?: Size;
  when?: string;
  after?: number;
}

export interface PtyRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  sent: number[];
  /** Output bytes read when each sent step was taken. */
  sentAt: number[];
  bytes: Buffer;
}

/** Builds dist/ when it is missing (the suite's global build normally made it). */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
}

/** A clean environment under `work`: no proxy, no OCI variables, a fresh HOME, clipboard tools that write to a file. */
export function cleanEnv(work: string, extra: Env = {}): { env: Env; home: string; cwd: string } {
  const home = mkdtempSync(join(work, 'home-'));
  const cwd = mkdtempSync(join(work, 'cwd-'));
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
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
    ...suiteKeyCacheEnv(),
    ...extra,
  };
  return { env, home, cwd };
}

/** Demo runs given this check time limit (--timeout): on a busy machine a slow check must not change the screen. */
export const DEMO_TIMEOUT = ['--timeout', '60'];

// At most this many CLIs in ptys at once: each demo is a server and a client on a 2-core machine.
const MAX_RUNNING = 3;
let running = 0;
const queue: Array<() => void> = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Runs the built CLI in a pty of `size`, typing `steps`; `before` is shell text run first in the same terminal. */
export function runInPty(args: string[], steps: Step[], opts: { env: Env; cwd: string; size: Size; before?: string; timeoutS?: number }): Promise<PtyRun> {
  return slot(() => runOne(args, steps, opts));
}

function runOne(args: string[], steps: Step[], opts: { env: Env; cwd: string; size: Size; before?: string; timeoutS?: number }): Promise<PtyRun> {
  const command = opts.before ? ['/bin/sh', '-c', `${opts.before}; exec "$0" "$@"`, process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const timeoutS = opts.timeoutS ?? 45;
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [PTY_RUN, '--cols', String(opts.size[0]), '--rows', String(opts.size[1]), '--timeout', String(timeoutS), '--env-json', JSON.stringify(opts.env), '--steps', JSON.stringify(steps), '--', ...command],
      { cwd: opts.cwd, timeout: (timeoutS + 5) * 1000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`pty-run failed: ${err.message}\n${stderr}`));
        const r = JSON.parse(stdout) as Omit<PtyRun, 'bytes'> & { output: string };
        resolve({ exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, sent: r.sent, sentAt: r.sentAt, bytes: Buffer.from(r.output, 'base64') });
      },
    );
  });
}

/** What the terminal showed: the screen just before the program left the alternate screen, and the whole history after. */
export interface Replay {
  /** The alternate screen's rows (the program's last frame as the user saw it), trailing spaces cut. */
  screen: string[];
  /** For each of those rows: whether it continues the row above (the terminal wrapped a longer line). */
  wrapped: boolean[];
  /** The same rows with soft-wrapped rows joined: one entry per line the program wrote. */
  screenLines: string[];
  /** The normal screen's scroll-back and rows after the exit, soft-wrapped rows joined. */
  history: string[];
  /** The window size at the end. */
  size: Size;
}

function write(term: XTerm, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

function rowsOf(buffer: IBuffer, from: number, to: number): { rows: string[]; lines: string[]; wrapped: boolean[] } {
  const rows: string[] = [];
  const lines: string[] = [];
  const wrapped: boolean[] = [];
  for (let y = from; y < to; y++) {
    const line = buffer.getLine(y);
    const text = line?.translateToString(true) ?? '';
    rows.push(text);
    wrapped.push(line?.isWrapped === true);
    if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  return { rows, lines, wrapped };
}

/** Replays a run's output into a terminal of `size`, resized where the steps resized the pty. */
export async function replay(run: PtyRun, size: Size, steps: Step[]): Promise<Replay> {
  const term = new Terminal({ cols: size[0], rows: size[1], scrollback: 5000, allowProposedApi: true });
  const resizes = run.sent.flatMap((index, i) => (steps[index]?.resize ? [{ at: run.sentAt[i] ?? 0, to: steps[index]?.resize as Size }] : []));
  const leave = run.bytes.lastIndexOf(LEAVE_ALT);
  const cuts = [...resizes.map((r) => r.at), ...(leave >= 0 ? [leave] : [])].sort((a, b) => a - b);
  let screen: { rows: string[]; lines: string[]; wrapped: boolean[] } = { rows: [], lines: [], wrapped: [] };
  let done = 0;
  let current = size;
  for (const cut of [...cuts, run.bytes.length]) {
    await write(term, run.bytes.subarray(done, cut));
    done = cut;
    if (cut === leave) {
      const b = term.buffer.active;
      screen = rowsOf(b, b.viewportY, b.viewportY + term.rows);
    }
    for (const r of resizes.filter((x) => x.at === cut)) {
      term.resize(r.to[0], r.to[1]);
      current = r.to;
    }
  }
  const normal = term.buffer.normal;
  const history = rowsOf(normal, 0, normal.length).lines;
  while (history.length > 0 && history.at(-1) === '') history.pop();
  term.dispose();
  return { screen: screen.rows, wrapped: screen.wrapped, screenLines: screen.lines, history, size: current };
}

/** Where the verdict starts: the first row after the key hints that starts with ✖ ⚠ ✔ or ■ (-1: none). */
function verdictStart(screen: string[]): number {
  const hint = screen.findIndex((l) => l.includes('r re-run · c copy report'));
  return screen.findIndex((l, i) => i > hint && /^[✖⚠✔■] /.test(l));
}

/** The screen's rows from the verdict's first row to the end, blank rows left out. */
export function verdictBlock(screen: string[]): string[] {
  const from = verdictStart(screen);
  return from < 0 ? [] : screen.slice(from).filter((l) => l !== '');
}

/** What the verdict block says: rows the terminal wrapped joined as they were written, the others with one space. */
export function verdictText(shown: Pick<Replay, 'screen' | 'wrapped'>): string {
  const from = verdictStart(shown.screen);
  if (from < 0) return '';
  let text = '';
  for (let y = from; y < shown.screen.length; y++) text += (y === from || shown.wrapped[y] ? '' : ' ') + (shown.screen[y] as string);
  return text.replace(/ {2,}/g, ' ').trim();
}

/** The screen a user sees at `size` once `demo <scenario>` has finished (before any key), as text rows. */
export async function captureDemo(work: string, scenario: string, size: Size): Promise<string[]> {
  const { env, cwd } = cleanEnv(work);
  const steps: Step[] = [{ when: HINT, after: 300, data: 'q' }];
  const run = await runInPty(['demo', scenario, ...DEMO_TIMEOUT], steps, { env, cwd, size });
  if (run.timedOut) throw new Error(`demo ${scenario} did not finish in the pty`);
  const rows = (await replay(run, size, steps)).screen;
  while (rows.length > 0 && rows.at(-1) === '') rows.pop();
  return rows;
}

/** README captures: `<!-- capture: demo <scenario> <cols>x<rows> -->`, a ```text block, `<!-- /capture -->`. */
export const CAPTURE = /<!-- capture: demo ([\w-]+) (\d+)x(\d+) -->\n```text\n((?:(?!```)[\s\S])*)```\n<!-- \/capture -->/g;

/**
 * A capture with what changes from run to run made constant: durations, ports,
 * temporary directories, the Node version, the scroll position, and each
 * checklist row cut to its title (the time beside it moves where the row is cut).
 */
export function normaliseCapture(rows: string[]): string[] {
  return rows.map((row) => {
    const l = row
      .replace(/\b\d+(?:\.\d+)? (?:ms|s)\b/g, 'T')
      .replace(/localhost:\d+/g, 'localhost:PORT')
      .replace(/dbiam-doctor-demo-[A-Za-z0-9]{6}/g, 'dbiam-doctor-demo-XXXXXX')
      .replace(/v\d+\.\d+\.\d+/g, 'vX')
      .replace(/↕ \d+–\d+\/\d+/, '↕ …')
      .trimEnd();
    const checklistRow = /^([✔⚠✖○·]) (.*?)(?: — .*)?(?: T)?$/.exec(l);
    return checklistRow && (l.includes(' — ') || l.endsWith(' T')) ? `${checklistRow[1]} ${(checklistRow[2] as string).replace(/ T$/, '').replace(/…$/, '')}` : l;
  });
}
