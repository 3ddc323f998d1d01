// Runs main() in-process with captured streams.
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/commands/io.js';
import { fakeSystem, FIXED_NOW, testFacts } from './deps.js';
import { suiteKeyCacheEnv } from './key-cache-env.js';

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
    cwd: process.cwd(),
    system: fakeSystem(),
    now: () => FIXED_NOW,
    factsFor: testFacts,
    ...io,
    // A demo reads the suite's key cache, never one under the fake home.
    env: { ...suiteKeyCacheEnv(), ...io.env },
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
  });
  return { code, stdout, stderr };
}
