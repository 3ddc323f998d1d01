// Doctor dependencies for tests: real files in a temp dir, a fixed clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localFiles } from '../../src/adapters/files.js';
import type { SystemFacts } from '../../src/adapters/system.js';
import type { DoctorDeps } from '../../src/checks/deps.js';
import { resolveOptions } from '../../src/core/options.js';

export function tempDir(prefix = 'dbiam-doctor-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const FIXED_NOW = new Date('2026-11-24T12:00:00Z');

export function fakeSystem(overrides: Partial<SystemFacts> = {}): SystemFacts {
  return {
    toolVersion: '0.1.0',
    nodeVersion: '20.20.2',
    platform: 'linux',
    arch: 'x64',
    osRelease: '6.1.0',
    homeDir: '/home/tester',
    userName: 'tester',
    hostName: 'testhost',
    libraries: { ink: '^6.8.0' },
    ...overrides,
  };
}

export function testDeps(opts: { argv?: string[]; env?: Record<string, string>; system?: Partial<SystemFacts> } = {}): DoctorDeps {
  const env = opts.env ?? {};
  return {
    options: resolveOptions({ argv: opts.argv ?? [], env }),
    env,
    files: localFiles,
    system: fakeSystem(opts.system),
    now: () => FIXED_NOW,
    secrets: { add: () => undefined },
  };
}
