// Every demo scenario names its broken link at the bottom of an 80x24 screen
// (issue 20). The screen is drawn in this process on a stand-in terminal and
// replayed into the same headless xterm as the pty runs (screen-in-process.ts):
// what is checked is what the screen says at that size. The terminal itself
// (keys, signals, resizes, scroll-back) is pty-screen.test.ts's and pty.test.ts's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DEMO_TIMEOUT, HINT, cleanEnv, replay, verdictBlock, verdictText, type Step } from './pty-harness.js';
import { runOnScreen } from './screen-in-process.js';

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dbiam-doctor-screen-scenarios-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Each scenario and the link it breaks, as `demo --list` describes it ("reports …");
 * the healthy ones name the path the identity query took.
 */
const SCENARIOS: Record<string, RegExp> = {
  healthy: /^✔ The database sees ALICE .*\(through Database Tools connection ledger-support-iam\)/,
  // The command as the walk-through shows it for the demo's DEFAULT profile in us-ashburn-1.
  'session-expired': /^✖ Session token expired 60 min ago \[session\.token-expired\] → oci session authenticate --profile-name DEFAULT --region us-ashburn-1$/,
  'session-key-mismatch': /\[session\.key-mismatch\]/,
  'fingerprint-mismatch': /\[key\.fingerprint-mismatch\]/,
  'db-username-fallback': /\[dbuser\.fallback-to-iam-name\]/,
  'external-auth-disabled': /\[db\.external-auth-disabled\]/,
  'no-global-mapping': /\[db\.no-global-mapping\]/,
  'clock-skew': /\[identity\.clock-skew\]/,
  'policy-missing': /\[policy\.no-grant\]/,
  'dynamic-group-not-matching': /\[dg\.no-match\]/,
  'expired-wallet': /\[wallet\.expired\]/,
  'untrusted-ca': /\[tls\.untrusted-root\]/,
  'python-untrusted': /\[tls\.untrusted-root\]/,
  'jdbc-untrusted': /\[tls\.untrusted-root\]/,
  'dn-mismatch': /\[tls\.dn-mismatch\]/,
  'direct-healthy': /^✔ The database sees ALICE .*\(through node-oracledb thin, direct\)/,
  'direct-cached-token-key-mismatch': /\[token\.cache-key-mismatch\]/,
  'direct-cached-token-expired': /\[token\.cache-expired\]/,
  'direct-scope-excludes-database': /\[token\.scope-excludes-database\]/,
  'direct-no-global-mapping': /\[db\.logon-denied\]/,
  'direct-no-mapping-admin': /\[(?:dbconfig\.no-mapping-for-principal|db\.logon-denied)\]/,
  'direct-db-username-fallback': /\[db\.logon-denied\]/,
  'direct-acl-rejected': /\[db\.acl-rejected\]/,
  'direct-no-create-session': /\[db\.logon-denied\]/,
};

describe('every demo scenario at 80x24', () => {
  it('the list above is every scenario demo --list names', async () => {
    const r = await runCli(['demo', '--list']);
    expect(r.code).toBe(0);
    const listed = r.stdout
      .split(/\r?\n/)
      .map((l) => l.split(/\s+/)[0] ?? '')
      .filter(Boolean);
    expect(listed.sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it.each(Object.entries(SCENARIOS))('%s: its broken link is on the last lines of the screen', async (scenario, expected) => {
    const { env, home, cwd } = cleanEnv(work);
    const steps: Step[] = [{ when: HINT, data: 'q' }];
    const r = await runOnScreen(['demo', scenario, ...DEMO_TIMEOUT], steps, { env, home, cwd, size: [80, 24] });
    const shown = await replay(r, [80, 24], steps);
    // The screen was left (q): the last frame before it is what the user saw.
    expect(r.sent, shown.history.join('\n')).toEqual([0]);
    expect(r.exitCode).toBe(scenario === 'healthy' || scenario === 'direct-healthy' ? 0 : 1);
    const block = verdictBlock(shown.screen);
    expect(block.length, shown.screen.join('\n')).toBeGreaterThan(0);
    expect(shown.screen.at(-1)).toBe(block.at(-1));
    expect(verdictText(shown)).toMatch(expected);
  });
});
