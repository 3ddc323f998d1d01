// Every demo scenario runs the real doctor against the simulated tenancy and
// must produce exactly the finding code it names; healthy must pass.
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/commands/demo/scenarios.js';
import { runCli } from '../helpers/cli.js';
import type { JsonReport } from '../../src/core/report/json.js';

type Doc = JsonReport;

describe('dbiam-doctor demo', () => {
  it('--list prints one scenario a line, name first, with the code it reports', async () => {
    const out = await runCli(['demo', '--list']);
    const lines = out.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(SCENARIOS.map((s) => s.name));
    for (const s of SCENARIOS.filter((x) => x.expect)) expect(out.stdout).toContain(`(reports ${s.expect})`);
  });

  it('rejects an unknown scenario with exit 2', async () => {
    const out = await runCli(['demo', 'no-such-thing']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/unknown demo scenario 'no-such-thing'/);
  });

  it.each(SCENARIOS.map((s) => [s.name, s.expect] as const))('%s reports %s', async (name, expected) => {
    const out = await runCli(['demo', name, '--format', 'json']);
    const doc = JSON.parse(out.stdout) as Doc;
    const problems = doc.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code));
    if (expected === undefined) {
      expect(problems).toEqual([]);
      expect(out.code).toBe(0);
      expect([doc.summary.fail, doc.summary.error]).toEqual([0, 0]);
    } else {
      expect(problems).toEqual([expected]);
      expect(out.code).toBe(1);
    }
  });
});
