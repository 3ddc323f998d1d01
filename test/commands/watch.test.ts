// --watch against the simulated tenancy: the policy is missing when the watch
// starts; the test adds it back as soon as the watcher reports the failure, and
// the run turns green and records when. Bounded by --watch-timeout.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { DemoSetup } from '../../src/commands/demo/scenarios.js';
import { ALL_CHECKS } from '../../src/checks/catalogue.js';
import { nextDelay, propagationWindow, withDependents } from '../../src/core/watch.js';
import { fakeSystem, testFacts } from '../helpers/deps.js';

describe('--watch', () => {
  it('a policy added while the doctor watches: policy.access turns green, and the report records when', async () => {
    let setup: DemoSetup | undefined;
    let added = false;
    let stdout = '';
    let stderr = '';
    const code = await main({
      argv: ['demo', 'policy-missing', '--watch', '--watch-timeout', '60', '--format', 'json'],
      env: {},
      cwd: process.cwd(),
      system: fakeSystem(),
      factsFor: testFacts,
      demoCustomize: (s) => {
        setup = s;
      },
      stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
      stderr: {
        write: (s: string) => {
          stderr += s;
          // The fix, applied while the doctor watches: the statement the scenario removed.
          if (!added && /still failing policy\.access \(policy\.no-grant\)/.test(s)) {
            added = true;
            const adb = setup?.fixture.autonomousDatabases[0]?.id;
            setup?.fixture.policies.find((p) => p.name === 'db-access')?.statements.unshift(`Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${adb}'`);
          }
          return true;
        },
        isTTY: false,
      },
    });
    expect(stderr).toMatch(/^watch \+\d+s: still failing policy\.access \(policy\.no-grant\); a policy change takes about 10 seconds to apply; next run in 2 s$/m);
    expect(stderr).toMatch(/^watch \+\d+s: policy\.access is green \(run 2\)$/m);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout) as { context: Record<string, string>; checks: { id: string; status: string }[] };
    expect(doc.checks.find((c) => c.id === 'policy.access')?.status).toBe('pass');
    expect(doc.context.watch).toMatch(/^2 runs over \+\d+s; policy\.access green at \+\d+s; every watched check passes$/);
  }, 60_000);

  it('gives up at --watch-timeout and says what is still failing (exit 1)', async () => {
    let stderr = '';
    let stdout = '';
    const code = await main({
      argv: ['demo', 'session-expired', '--watch', '--watch-timeout', '1', '--format', 'json'],
      env: {},
      cwd: process.cwd(),
      system: fakeSystem(),
      factsFor: testFacts,
      stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
      stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    });
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { context: Record<string, string> }).context.watch).toMatch(/^1 run over \+\d+s; gave up after \+\d+s, still failing: session\.token$/);
    expect(stderr).not.toMatch(/is green/);
  }, 60_000);

  it('back-off doubles to 30 s; a password logon waits a minute; the window fits the change', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => nextDelay(r, false))).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(nextDelay(1, true)).toBe(60000);
    expect(propagationWindow(['dg.no-match'])).toMatch(/up to an hour/);
    expect(propagationWindow(['policy.no-grant'])).toMatch(/about 10 seconds/);
    expect(propagationWindow(['principal.token-expired'])).toMatch(/15 minutes/);
    expect(propagationWindow(['tls.dn-mismatch'])).toBeUndefined();
  });

  it('a later round re-runs the failing checks and what depends on them, not the whole chain', () => {
    const g = [
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: [], after: ['b'] },
      { id: 'd', dependsOn: [] },
    ];
    expect(withDependents(['b'], g)).toEqual(['b', 'c']);
    expect(withDependents(['a'], g)).toEqual(['a', 'b', 'c']);
    // The real chain: db.identity waits on the policy check (the demo shows it skipped behind it); the environment does not.
    const rerun = withDependents(['policy.access'], ALL_CHECKS);
    expect(rerun).toContain('db.identity');
    expect(rerun).not.toContain('env.runtime');
    expect(rerun).not.toContain('session.token');
  });

  it('--watch-timeout takes seconds and refuses nonsense (exit 2)', async () => {
    let stderr = '';
    const code = await main({ argv: ['--watch', '--watch-timeout', 'soon'], env: {}, cwd: process.cwd(), system: fakeSystem(), stdout: { write: () => true }, stderr: { write: (s: string) => ((stderr += s), true) } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--watch-timeout: expected seconds/);
  });
});
