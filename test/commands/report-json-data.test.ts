// The JSON report's evidence as data, read as a script (jq) would: the value
// alone, timestamps as ISO strings, file positions as {path, line}, the prose
// apart; the header values without their notes; the host and node-oracledb.
// Expected values are written by hand from the session-expired scenario
// (demo --list: "the session token expired an hour ago"; its ~/.oci/config
// sets security_token_file on line 5).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evidenceDatum } from '../../src/core/evidence.js';
import type { JsonReport } from '../../src/core/report/json.js';
import { parseReport } from '../../src/core/report/parse.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function sessionExpired(): Promise<{ doc: JsonReport; stdout: string }> {
  const out = await runCli(['demo', 'session-expired', '--format', 'json'], { system: fakeSystem({ hostName: 'app-7', oracledbVersion: '6.9.0' }) });
  return { doc: JSON.parse(out.stdout) as JsonReport, stdout: out.stdout };
}

describe('JSON report: evidence and context as data', () => {
  it('evidenceData gives the expiry as an ISO timestamp with the prose apart, and the file position as {path, line}', async () => {
    const { doc } = await sessionExpired();
    const expired = doc.checks.flatMap((c) => c.findings).find((f) => f.code === 'session.token-expired');
    const data = expired?.evidenceData ?? {};
    expect(data.expires?.value).toMatch(ISO);
    expect(data.expires?.note).toBe('60 min ago');
    expect(Date.parse(data.expires?.value ?? '') - Date.parse(data.issued?.value ?? '')).toBeLessThan(0);
    expect(data.security_token_file?.value).toMatch(/\/\.oci\/sessions\/DEFAULT\/token$/);
    expect(data.security_token_file?.at).toEqual({ path: expect.stringMatching(/\/\.oci\/config$/), line: 5 });
    // The display strings stay for people and older scripts.
    expect(expired?.evidence.security_token_file).toContain('  ← ');
  });

  it('context holds the values alone; how each was decided is in contextNotes', async () => {
    const { doc } = await sessionExpired();
    expect(doc.context.profile).toBe('DEFAULT');
    expect(doc.context.auth).toBe('security_token');
    expect(doc.context.region).toBe('us-ashburn-1');
    expect(doc.contextNotes.auth).toBe('profile [DEFAULT] sets security_token_file');
    expect(JSON.stringify(doc.context)).not.toMatch(/from the profile|\(/);
  });

  it('names the host and the node-oracledb, and diff still reads the report (showing both)', async () => {
    const { doc, stdout } = await sessionExpired();
    expect(doc.tool).toMatchObject({ name: 'dbiam-doctor', host: 'app-7', nodeOracledb: '6.9.0' });
    const parsed = parseReport(stdout, 'a.json');
    expect(parsed).toMatchObject({ host: 'app-7', nodeOracledb: '6.9.0' });
    expect(parsed.checks.find((c) => c.id === 'session.token')?.findings[0]?.evidence.expires).toMatch(/min ago\)$/);
    // diff compares the driver each report names.
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), stdout);
    writeFileSync(join(dir, 'b.json'), stdout.replace('"nodeOracledb": "6.9.0"', '"nodeOracledb": "6.10.0"'));
    const diff = JSON.parse((await runCli(['diff', 'a.json', 'b.json', '--format', 'json'], { cwd: dir })).stdout) as { facts: { name: string; a?: string; b?: string; same: boolean }[] };
    expect(diff.facts.find((f) => f.name === 'driver (node-oracledb)')).toMatchObject({ a: '6.9.0', b: '6.10.0', same: false });
  });
});

describe('evidenceDatum', () => {
  it.each([
    ['/home/u/.oci/sessions/DEFAULT/token  ← /home/u/.oci/config:5', { value: '/home/u/.oci/sessions/DEFAULT/token', at: { path: '/home/u/.oci/config', line: 5 } }],
    ['2026-12-02T22:45:07.000Z (60 min ago)', { value: '2026-12-02T22:45:07.000Z', note: '60 min ago' }],
    ['/srv/wallet  ← TNS_ADMIN', { value: '/srv/wallet', origin: 'TNS_ADMIN' }],
    ['DEFAULT (default)', { value: 'DEFAULT', note: 'default' }],
    // A sentence or a descriptor keeps its own parentheses.
    ['16 bytes, looks like an auto-login wallet (cwallet.sso)', { value: '16 bytes, looks like an auto-login wallet (cwallet.sso)' }],
    ['(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=1522)))', { value: '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=1522)))' }],
  ])('%s', (text, want) => {
    expect(evidenceDatum(text)).toEqual(want);
  });
});
