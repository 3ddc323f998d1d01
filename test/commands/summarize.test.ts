// `summarize` on a fleet of reports the demo scenarios produce: five healthy
// pods, two whose policy was removed, one whose session token expired.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
let fleet: string;

const HOSTS: Record<string, string> = {
  'pod-a': 'healthy',
  'pod-b': 'healthy',
  'pod-c': 'policy-missing',
  'pod-d': 'healthy',
  'pod-e': 'session-expired',
  'pod-f': 'healthy',
  'pod-g': 'policy-missing',
  'pod-h': 'healthy',
};

interface FleetJson {
  hosts: number;
  healthy: string[];
  links: string[];
  majority: Record<string, string>;
  findings: { code: string; link: string; hosts: string[] }[];
  outliers: { host: string; differs: { link: string; state: string; majority: string }[] }[];
  rows: { host: string; authMode?: string; firstBroken?: string; links: Record<string, string> }[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbiam-fleet-'));
  fleet = join(dir, 'fleet');
  mkdirSync(fleet);
  const cache = new Map<string, string>();
  for (const scenario of new Set(Object.values(HOSTS))) {
    const out = await runCli(['demo', scenario, '--format', 'json']);
    cache.set(scenario, out.stdout);
  }
  for (const [host, scenario] of Object.entries(HOSTS)) writeFileSync(join(fleet, `${host}.json`), cache.get(scenario) as string);
  writeFileSync(join(fleet, 'notes.txt'), 'not a report');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dbiam-doctor summarize', () => {
  it('a directory: hosts as rows, the most shared finding first, the differing hosts named', async () => {
    const out = await runCli(['summarize', fleet, '--format', 'json']);
    expect(out.code).toBe(1);
    const doc = JSON.parse(out.stdout) as FleetJson;
    expect(doc.hosts).toBe(8);
    expect(doc.rows.map((r) => r.host)).toEqual(Object.keys(HOSTS));
    expect(doc.healthy).toEqual(['pod-a', 'pod-b', 'pod-d', 'pod-f', 'pod-h']);
    expect(doc.findings.map((f) => [f.code, f.link, f.hosts])).toEqual([
      ['policy.no-grant', 'policy', ['pod-c', 'pod-g']],
      ['session.token-expired', 'session', ['pod-e']],
    ]);
    expect(doc.majority).toMatchObject({ session: 'pass', policy: 'pass', db: 'pass' });
    expect(doc.outliers.map((o) => o.host)).toEqual(['pod-c', 'pod-e', 'pod-g']);
    const podE = doc.outliers.find((o) => o.host === 'pod-e');
    expect(podE?.differs).toContainEqual({ link: 'session', state: 'fail', majority: 'pass' });
    expect(doc.rows.find((r) => r.host === 'pod-c')).toMatchObject({ firstBroken: 'policy.access', authMode: 'security_token' });
    expect(doc.links.slice(0, 3)).toEqual(['env', 'profile', 'session']);
  });

  it('Markdown: shared findings table, outliers, and the host-by-link table with the majority row', async () => {
    const out = await runCli(['summarize', join(fleet, 'pod-a.json'), join(fleet, 'pod-c.json'), join(fleet, 'pod-g.json'), '--format', 'md']);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('3 hosts: 1 with every link holding, 2 with a broken link.');
    expect(out.stdout).toMatch(/\| `policy\.no-grant` [^|]+\| policy \| 2\/3 \| pod-c, pod-g \|/);
    // Two of three fail the policy link: failing is the majority, and the healthy host is the one that differs.
    expect(out.stdout).toMatch(/- pod-a: policy pass \(most: FAIL\)/);
    expect(out.stdout).toMatch(/\| pod-c \| security_token \| `policy\.access` \|.* FAIL \|/);
    expect(out.stdout).toMatch(/\| \*most hosts\* \|/);
  });

  it('an all-healthy fleet exits 0 and has no outliers', async () => {
    const out = await runCli(['summarize', join(fleet, 'pod-a.json'), join(fleet, 'pod-b.json')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('No host reports a problem.');
    expect(out.stdout).toContain('Every host sees the same on every link.');
  });

  it('one bad file stops the summary with its name and reason (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"tool":{"name":"dbiam-doctor"}}');
    const out = await runCli(['summarize', fleet, bad]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/bad\.json: no 'checks' array/);
    const empty = join(dir, 'empty-dir');
    mkdirSync(empty);
    const none = await runCli(['summarize', empty]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/a directory with no \.json reports/)]);
  });
});
