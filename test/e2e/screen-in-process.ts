// The interactive screen run inside the test worker: main() writes to a stand-in
// terminal of a given size and reads keys from a stand-in keyboard, and what it
// wrote is replayed into the same headless xterm as a pty run (pty-harness.ts's
// replay). For the checks that are about what the screen says at a size — every
// demo scenario's verdict — this costs a fraction of a spawned CLI in a pty; the
// tests about the terminal itself (keys, signals, resizes, scroll-back, a shell
// before the run) keep the real pty.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { readSystemFacts } from '../../src/adapters/system.js';
import { main } from '../../src/cli.js';
import { testFacts } from '../helpers/deps.js';
import { refillRunKeys } from '../helpers/key-pool-setup.js';
import type { PtyRun, Size, Step } from './pty-harness.js';

// The stand-in terminal is a user's, not a CI log: the suite's setup
// (file-state-setup.ts) takes CI out of the worker's environment before Ink
// loads, and the run's own environment (opts.env) never holds CI.

export interface ScreenRunOptions {
  env: Record<string, string>;
  /** The home the run sees (the pty run's HOME), so no file of the machine's user is read. */
  home: string;
  cwd: string;
  size: Size;
}

interface Key {
  when: string;
  data: string;
  /** Milliseconds between the text showing and the key, as in the pty: time for the frames a key before drew. */
  after: number;
}

/** A pty run's steps this terminal can take: keys, each typed once its text shows. */
function keysOf(steps: Step[]): Key[] {
  return steps.map((s) => {
    if (s.when === undefined || s.data === undefined || s.resize || s.signal) throw new Error(`the in-process screen only types keys once a text shows: ${JSON.stringify(s)}`);
    return { when: s.when, data: s.data, after: s.after ?? 0 };
  });
}

// One run at a time: main() runs in this process, and tests that run concurrently would share it.
let previous: Promise<unknown> = Promise.resolve();

/**
 * What a pty's line discipline does to output (onlcr): every NL becomes CR NL.
 * The program writes as it would to a real terminal; the emulator then sees
 * the same bytes as from the pty.
 */
function asTerminalWouldReceive(s: string): string {
  return s.replace(/\n/g, '\r\n');
}

/**
 * Runs the CLI in this process on a stand-in terminal of `size`, typing each
 * step's keys once the output written since the step before holds its
 * `when`, as the pty helper does; the result replays like a pty run.
 */
export function runOnScreen(args: string[], steps: Step[], opts: ScreenRunOptions): Promise<PtyRun> {
  const keys = keysOf(steps);
  const run = previous.then(() => runOne(args, keys, opts));
  previous = run.catch(() => undefined);
  return run;
}

async function runOne(args: string[], keys: Key[], opts: ScreenRunOptions): Promise<PtyRun> {
  const [columns, rows] = opts.size;
  // Each demo's world takes keys of its own from the suite's set (see runCli).
  if (args[0] === 'demo') refillRunKeys();
  const chunks: Buffer[] = [];
  const sent: number[] = [];
  const sentAt: number[] = [];
  let outBytes = 0;
  const keyboard = Object.assign(new PassThrough(), {
    isTTY: true as const,
    setRawMode(): unknown {
      return keyboard;
    },
    ref(): unknown {
      return keyboard;
    },
    unref(): unknown {
      return keyboard;
    },
  });
  let seen = '';
  // stdout and stderr reach the same terminal, in the order written.
  const show = (text: string): void => {
    const bytes = Buffer.from(asTerminalWouldReceive(text), 'utf8');
    chunks.push(bytes);
    outBytes += bytes.length;
    const next = keys[sent.length];
    if (!next) return;
    seen += text;
    if (!seen.includes(next.when)) return;
    sent.push(sent.length);
    sentAt.push(outBytes);
    seen = '';
    // As a user would: after the frame reached the screen, not inside Ink's write.
    setTimeout(() => keyboard.write(next.data), next.after);
  };
  const terminal = Object.assign(new EventEmitter(), {
    isTTY: true as const,
    columns,
    rows,
    write: (s: string | Uint8Array): boolean => (show(typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true),
  });
  const exitCode = await main({
    argv: args,
    env: opts.env,
    cwd: opts.cwd,
    system: { ...readSystemFacts(), homeDir: opts.home },
    factsFor: testFacts,
    stdout: terminal,
    stderr: { isTTY: true, write: (s: string) => (show(s), true) },
    stdin: keyboard as unknown as NodeJS.ReadStream,
  });
  keyboard.end();
  const bytes = Buffer.concat(chunks);
  return { exitCode, signal: null, timedOut: false, sent, sentAt, bytes };
}
