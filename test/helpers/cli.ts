// Runs main() in-process with captured streams.
import { main, type CliIO } from '../../src/cli.js';
import { fakeSystem, FIXED_NOW } from './deps.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], io: Partial<CliIO> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    env: {},
    cwd: process.cwd(),
    system: fakeSystem(),
    now: () => FIXED_NOW,
    ...io,
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
  });
  return { code, stdout, stderr };
}
