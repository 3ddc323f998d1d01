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
import type { PtyRun, Size } from './pty-harness.js';

// The stand-in terminal is a user's, not a CI log: Ink reads that once, from
// this process's environment, when it loads (is-in-ci), and in CI it draws
// nothing until exit. The run's own environment (opts.env) never holds CI.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

export interface ScreenRunOptions {
  env: Record<string, string>;
  /** The home the run sees (the pty run's HOME), so no file of the machine's user is read. */
  home: string;
  cwd: string;
  size: Size;
  /** Typed once the output first holds `when` (a pty run's Step, without the timing). */
  key: { when: string; data: string };
}

/**
 * What a pty's line discipline does to output (onlcr): every NL becomes CR NL.
 * The program writes as it would to a real terminal; the emulator then sees
 * the same bytes as from the pty.
 */
function asTerminalWouldReceive(s: string): string {
  return s.replace(/\n/g, '\r\n');
}

/** Runs the CLI in this process on a stand-in terminal of `size`; the result replays like a pty run. */
export async function runOnScreen(args: string[], opts: ScreenRunOptions): Promise<PtyRun> {
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
    if (sent.length > 0) return;
    seen += text;
    if (!seen.includes(opts.key.when)) return;
    sent.push(0);
    sentAt.push(outBytes);
    // As a user would: after the frame reached the screen, not inside Ink's write.
    setImmediate(() => keyboard.write(opts.key.data));
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
