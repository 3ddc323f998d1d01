// Every demo scenario runs the real doctor against the simulated tenancy and
// must produce exactly the finding code it names; healthy must pass.
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/commands/demo/scenarios.js';
import { runCli } from '../helpers/cli.js';
import type { JsonReport } from '../../src/core/report/json.js';

type Doc = JsonReport;

/**
 * The scenarios that end on the direct path (no Database Tools connection):
 * node-oracledb thin logs on to the listener's database stand-in. Written by
 * hand: every code the run must report (warn and fail, in report order), and
 * what the identity-query check says — the database's own ORA line when it
 * refused, or why the check never reached it.
 */
const DIRECT: Record<string, { problems: string[]; identity: { status: string; summary: unknown }; related?: string; retries?: RegExp }> = {
  'direct-healthy': { problems: [], identity: { status: 'pass', summary: 'ALICE by TOKEN_GLOBAL' } },
  // A thick client would send the cached token; the doctor's own fresh token still logs on.
  'direct-cached-token-key-mismatch': { problems: ['token.cache-key-mismatch'], identity: { status: 'pass', summary: 'ALICE by TOKEN_GLOBAL' } },
  'direct-cached-token-expired': { problems: ['token.cache-expired'], identity: { status: 'pass', summary: 'ALICE by TOKEN_GLOBAL' } },
  // The doctor does not request a token it knows the database will refuse.
  'direct-scope-excludes-database': { problems: ['token.scope-excludes-database'], identity: { status: 'skip', summary: 'no DB token (see DB token)' } },
  'direct-no-global-mapping': { problems: ['db.logon-denied'], identity: { status: 'fail', summary: 'ORA-01017: invalid username/password; logon denied' } },
  'direct-no-mapping-admin': { problems: ['db.logon-denied', 'dbconfig.no-mapping-for-principal'], identity: { status: 'fail', summary: 'ORA-01017: invalid username/password; logon denied' }, related: 'dbconfig.no-mapping-for-principal' },
  'direct-db-username-fallback': { problems: ['dbuser.fallback-to-iam-name', 'db.logon-denied'], identity: { status: 'fail', summary: 'ORA-01017: invalid username/password; logon denied' }, related: 'dbuser.fallback-to-iam-name' },
  // The listener refuses before any logon; its handshake asked for no client certificate, so the access list is the one cause.
  // The descriptor's 20 retries are not waited for: one try, then what the driver would do.
  'direct-acl-rejected': { problems: ['db.acl-rejected'], identity: { status: 'fail', summary: expect.stringMatching(/^NJS-511: connection to listener at host 127\.0\.0\.1 port \d+ was refused\./) }, retries: /^node-oracledb would try 21 times \(retry_count=20\), 3 s apart/ },
  'direct-no-create-session': { problems: ['db.logon-denied'], identity: { status: 'fail', summary: 'ORA-01045: user ALICE lacks CREATE SESSION privilege; logon denied' } },
};

describe('dbiam-doctor demo', () => {
  it('--list prints one scenario a line, name first, with the code it reports', async () => {
    const out = await runCli(['demo', '--list']);
    const lines = out.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(SCENARIOS.map((s) => s.name));
    for (const s of SCENARIOS.filter((x) => x.expect)) expect(out.stdout).toContain(`(reports ${[s.expect, ...(s.also ?? [])].join(', ')})`);
  });

  it('rejects an unknown scenario with exit 2', async () => {
    const out = await runCli(['demo', 'no-such-thing']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/unknown demo scenario 'no-such-thing'/);
  });

  it('suggests the scenario that was meant', async () => {
    const out = await runCli(['demo', 'sesion-expired']);
    expect(out.code).toBe(2);
    expect(out.stderr.split('\n')[0]).toBe("dbiam-doctor: unknown demo scenario 'sesion-expired' (did you mean 'session-expired'?) (run 'dbiam-doctor demo --list')");
  });

  // The scenarios through Database Tools (the config names a connection); the direct ones are below.
  it.each(SCENARIOS.filter((s) => !(s.name in DIRECT)).map((s) => [s.name, s.expect] as const))('%s reports %s', async (name, expected) => {
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

  it('every direct-path scenario has a hand-written expectation here', () => {
    expect(SCENARIOS.filter((s) => s.name.startsWith('direct-')).map((s) => s.name)).toEqual(Object.keys(DIRECT));
  });

  it.each(Object.entries(DIRECT))('%s (direct path, real node-oracledb logon)', async (name, want) => {
    const out = await runCli(['demo', name, '--format', 'json']);
    const doc = JSON.parse(out.stdout) as Doc;
    const problems = doc.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code));
    expect(problems).toEqual(want.problems);
    expect(out.code).toBe(want.problems.length === 0 ? 0 : 1);
    const identity = doc.checks.find((c) => c.id === 'db.identity')!;
    expect({ status: identity.status, summary: identity.summary }).toEqual(want.identity);
    if (want.identity.status === 'pass') {
      // The identity panel comes from the driver's own logon, not through Database Tools.
      expect(identity.findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: 'The database sees ALICE (alice) by TOKEN_GLOBAL', evidence: { path: 'node-oracledb thin, direct', 'authentication method': 'TOKEN_GLOBAL', roles: 'SUPPORT_RO' } });
      expect(identity.findings[0]!.detail).toMatch(/^Session user:\s+ALICE$/m);
    }
    if (want.related) expect(identity.findings[0]!.evidence['may also be']).toBe(want.related);
    if (want.retries) expect(identity.findings[0]!.evidence['with your retries']).toMatch(want.retries);
  }, 60_000);

  // Written by hand: the Java user without a wallet. The OS bundle (update-ca-certificates) holds the
  // listener's CA and is shown as such; the JRE's JKS cacerts, read entry by entry, does not, and decides.
  it('jdbc-untrusted: the OS bundle trusts the listener, the JRE cacerts (JKS) Java reads does not', async () => {
    const out = await runCli(['demo', 'jdbc-untrusted', '--format', 'json']);
    const doc = JSON.parse(out.stdout) as Doc;
    const problems = doc.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code));
    expect(problems).toEqual(['tls.untrusted-root']);
    expect(out.code).toBe(1);
    const f = doc.checks.flatMap((c) => c.findings).find((x) => x.code === 'tls.untrusted-root')!;
    expect(f.title).toMatch(/^No trust source Oracle JDBC reads holds the root "dbiam-doctor Simulated Root CA" .*\(.*\/etc\/ssl\/certs\/ca-certificates\.crt does\)$/);
    const os = Object.entries(f.evidence).find(([k]) => k.startsWith('trust: OS CA bundle '));
    expect(os?.[1]).toMatch(/^verified: .*\[from this source\]$/);
    const cacerts = Object.entries(f.evidence).find(([k]) => /^trust: the JRE's cacerts in .* \(JKS, \d+\)$/.test(k));
    expect(cacerts?.[1]).toBe('fails: no root for dbiam-doctor Simulated Root CA here');
    expect(f.evidence['Oracle JDBC consults']).toBe("the JRE's cacerts");
    // A bundle is not handed to keytool: it would import the bundle's first root.
    // The demo's OS bundle is Node's bundled roots plus the listener's CA.
    expect(f.fix.text).toContain(`ca-certificates.crt, among ${tls.rootCertificates.length} others: save it alone as ca.pem`);
    expect(f.fix.text).toContain('keytool -importcert -alias db-ca -file ca.pem');
  }, 60_000);
});
