// Libraries (the OCI SDK among them) write to the console; on an Ink screen
// or in JSON output that corrupts what the user sees. While checks run, the
// console is captured; the lines are shown, redacted, only with --verbose.
import { format } from 'node:util';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type Method = (typeof METHODS)[number];

export interface ConsoleCapture {
  readonly lines: string[];
  restore(): void;
}

const MAX_LINES = 2000;

export function captureConsole(): ConsoleCapture {
  const lines: string[] = [];
  const saved = new Map<Method, (...args: unknown[]) => void>();
  for (const m of METHODS) {
    saved.set(m, console[m]);
    console[m] = (...args: unknown[]) => {
      if (lines.length < MAX_LINES) lines.push(`[${m}] ${format(...args)}`);
    };
  }
  return {
    lines,
    restore() {
      for (const [m, fn] of saved) console[m] = fn;
    },
  };
}
