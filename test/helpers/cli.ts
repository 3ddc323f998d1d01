// Runs main() in-process with captured streams.
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/commands/io.js';
import { fakeSystem, FIXED_NOW, testFacts } from './deps.js';
import { refillRunKeys } from './key-pool-setup.js';
import { suiteKeyCacheEnv } from './key-cache-env.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], io: Partial<CliIO> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  // Each demo run builds a world of its own: its keys must differ from one
  // another, not from another run's. Without this, a file of many demo runs
  // empties the pool and makes ~9 RSA keys per run synchronously.
  if (argv[0] === 'demo') refillRunKeys();
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
