// Doctor dependencies for tests: real files in a temp dir, a fixed clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localFiles } from '../../src/adapters/files.js';
import { liveFacts, type LiveFactsConfig } from '../../src/adapters/live-facts.js';
import type { DoctorFacts } from '../../src/checks/facts.js';
import type { SystemFacts } from '../../src/adapters/system.js';
import type { DoctorDeps } from '../../src/checks/deps.js';
import { resolveOptions } from '../../src/core/options.js';
import { takeRsaKeyOffThread } from '../../src/sim/key-pool.js';

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

/**
 * Where tests "find" the instance metadata service unless they start one: a
 * loopback port nothing listens on, so a probe is refused at once — what a
 * laptop's black hole at 169.254.169.254 amounts to, without leaving loopback.
 */
export const NO_METADATA_SERVICE = 'http://127.0.0.1:9/opc/v2/';

/**
 * Retries as the product makes them (same attempts, same budget rule) with
 * back-off in milliseconds: a loopback service that refuses or fails answers at
 * once, and the product's 250 ms..2 s pauses only made tests wait (1.75 s per
 * unreachable read). test/adapters/oci-retry.test.ts tests the pauses themselves.
 */
export const TEST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, budgetMs: 1000 } as const;

/**
 * The live facts gateway, with the metadata service pinned to loopback unless
 * the run names one, and DB-token key pairs from the run's key set: on Node 20
 * each fresh RSA-2048 pair costs 0.2–0.7 s of a core, and most in-process runs
 * ask for one. When the file's set is used up, made off the main thread as before.
 */
export function testFacts(config: LiveFactsConfig): DoctorFacts {
  return liveFacts({ retry: TEST_RETRY, newKeyPair: () => takeRsaKeyOffThread(2048), ...config, imdsUrl: config.imdsUrl ?? NO_METADATA_SERVICE });
}

export function testDeps(opts: { argv?: string[]; env?: Record<string, string>; system?: Partial<SystemFacts> } = {}): DoctorDeps {
  const env = opts.env ?? {};
  const options = resolveOptions({ argv: opts.argv ?? [], env });
  const system = fakeSystem(opts.system);
  return {
    options,
    env,
    files: localFiles,
    system,
    now: () => FIXED_NOW,
    secrets: { add: () => undefined },
    facts: testFacts({ endpoints: options.endpoints, env, ...(options.imdsUrl ? { imdsUrl: options.imdsUrl } : {}), offline: options.offline, nodeVersion: system.nodeVersion }),
  };
}
