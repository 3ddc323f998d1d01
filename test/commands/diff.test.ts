// `diff` on reports the demo scenarios produce: every pair names the first
// link where the runs part. The expected link of each scenario and the chain
// order below are written by hand from the scenario descriptions (`demo
// --list`: "reports session.token-expired", …) and the chain in docs/BRIEF
// order, not read from the code under test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Scenario → the check that owns the finding it reports, and that finding. */
const BROKEN: Record<string, { link: string; code: string } | undefined> = {
  healthy: undefined,
  'session-expired': { link: 'session.token', code: 'session.token-expired' },
  'session-key-mismatch': { link: 'session.token', code: 'session.key-mismatch' },
  'fingerprint-mismatch': { link: 'profile.key', code: 'key.fingerprint-mismatch' },
  'db-username-fallback': { link: 'dbuser.name', code: 'dbuser.fallback-to-iam-name' },
  'external-auth-disabled': { link: 'db.identity', code: 'db.external-auth-disabled' },
  'no-global-mapping': { link: 'db.identity', code: 'db.no-global-mapping' },
  'clock-skew': { link: 'identity.whoami', code: 'identity.clock-skew' },
  'policy-missing': { link: 'policy.access', code: 'policy.no-grant' },
  'dynamic-group-not-matching': { link: 'policy.access', code: 'dg.no-match' },
  'expired-wallet': { link: 'wallet.dir', code: 'wallet.expired' },
  'untrusted-ca': { link: 'tls.chain', code: 'tls.untrusted-root' },
  'dn-mismatch': { link: 'tls.chain', code: 'tls.dn-mismatch' },
};
/** Key, session token, the signed call, policy, the database's name for you, TLS, wallet, the database. */
const CHAIN = ['profile.key', 'session.token', 'identity.whoami', 'policy.access', 'dbuser.name', 'tls.chain', 'wallet.dir', 'db.identity'];

const names = Object.keys(BROKEN);
let dir: string;
const file = (name: string): string => join(dir, `${name}.json`);

interface DiffJson {
  verdict: { link: string; worse: string; a: { status: string; problems: string[] }; b: { status: string; problems: string[] } } | null;
  direction: string;
  secondWorse: boolean;
  links: { id: string; changed: boolean }[];
  facts: { name: string; a?: string; b?: string; same: boolean }[];
  notCompared: string[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbiam-diff-'));
  for (const name of names) {
    const out = await runCli(['demo', name, '--format', 'json']);
    expect(out.stdout.startsWith('{'), `${name}: ${out.stderr}`).toBe(true);
    writeFileSync(file(name), out.stdout);
  }
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pairs = names.flatMap((a, i) => names.slice(i + 1).map((b) => [a, b] as const));

describe('dbiam-doctor diff on the demo scenarios', () => {
  it.each(pairs)('%s vs %s names the first link where they part', async (a, b) => {
    const ba = BROKEN[a];
    const bb = BROKEN[b];
    const expected = !ba ? bb?.link : !bb ? ba.link : CHAIN.indexOf(ba.link) <= CHAIN.indexOf(bb.link) ? ba.link : bb.link;
    const out = await runCli(['diff', file(a), file(b), '--format', 'json']);
    const doc = JSON.parse(out.stdout) as DiffJson;
    expect(doc.verdict?.link).toBe(expected);
    // The broken one at that link is the one whose scenario breaks there (both, when they share it).
    const aBreaks = ba?.link === expected;
    const bBreaks = bb?.link === expected;
    expect(doc.verdict?.worse).toBe(aBreaks && bBreaks ? 'neither' : aBreaks ? 'a' : 'b');
    if (bBreaks) expect(doc.verdict?.b.problems).toContain(bb?.code);
    if (aBreaks) expect(doc.verdict?.a.problems).toContain(ba?.code);
    // Exit 1 exactly when B breaks earlier in the chain than A.
    expect(out.code).toBe(bBreaks && !aBreaks ? 1 : 0);
  });

  it('healthy then broken exits 1 and says where; the other way round exits 0', async () => {
    const worse = await runCli(['diff', file('healthy'), file('session-expired')]);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/Verdict: B departs from A at session\.token \(Session token\): pass in A, fail \(session\.token-expired\) in B\./);
    expect(worse.stdout).toContain('→ session.token');
    const better = await runCli(['diff', file('session-expired'), file('healthy')]);
    expect(better.code).toBe(0);
    expect(better.stdout).toContain('B is better than A.');
  });

  it('lists the facts that differ: an instance principal against a session-token user', async () => {
    const out = await runCli(['diff', file('healthy'), file('dynamic-group-not-matching'), '--format', 'json']);
    const doc = JSON.parse(out.stdout) as DiffJson;
    const fact = (name: string) => doc.facts.find((f) => f.name === name);
    expect(fact('auth mode')).toMatchObject({ a: 'security_token', b: 'instance_principal', same: false });
    expect(fact('principal')?.b).toMatch(/^instance ocid1\.instance\./);
    expect(fact('policy that granted')?.a).toMatch(/statement 1: Allow group DBUsers to use database-connections/);
    expect(fact('policy that granted')?.b).toBeUndefined();
    expect(fact('Node')?.same).toBe(true);
    expect(fact('wallet expiry')?.same).toBe(true);
  });

  it('Markdown puts the verdict and the changed links in a table', async () => {
    const out = await runCli(['diff', file('healthy'), file('expired-wallet'), '--format', 'md']);
    expect(out.stdout).toContain('**Verdict**: B departs from A at wallet.dir');
    expect(out.stdout).toMatch(/\| \*\*→\*\* `wallet\.dir` [^|]+\| pass \| fail wallet\.expired \|/);
    // the scenario's wallet expired three days before the run (src/sim scenario), so the date moves with the clock
    const expired = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const dayBefore = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
    expect(out.stdout).toMatch(new RegExp(`\\| wallet expiry \\| \\d{4}-\\d{2}-\\d{2} \\| (${expired}|${dayBefore}) `));
  });

  it('two identical runs agree and exit 0', async () => {
    const out = await runCli(['diff', file('healthy'), file('healthy')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('The runs agree on every link they share.');
  });

  it('a report from another doctor version is compared on what both contain, and says what was not', async () => {
    const doc = JSON.parse(readFileSync(file('session-expired'), 'utf8')) as { tool: { version: string; host?: string }; context: Record<string, string>; checks: { id: string; title: string; category: string; status: string }[] };
    doc.tool.version = '0.0.9';
    // Older doctors wrote no host.
    delete doc.tool.host;
    delete doc.context.node;
    doc.checks = doc.checks.filter((c) => c.id !== 'tls.chain' && c.id !== 'identity.whoami');
    doc.checks.push({ id: 'future.check', title: 'A check from the future', category: 'future', status: 'pass' });
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify(doc));
    const out = await runCli(['diff', old, file('healthy'), '--format', 'json']);
    const d = JSON.parse(out.stdout) as DiffJson;
    expect(d.verdict?.link).toBe('session.token');
    expect(out.code).toBe(0);
    expect(d.links.map((l) => l.id)).not.toContain('tls.chain');
    expect(d.notCompared).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^check future\.check \(A check from the future\): only in A \(.*old\.json, doctor 0\.0\.9\)$/),
        expect.stringMatching(/^check identity\.whoami .*only in B/),
        expect.stringMatching(/^check tls\.chain .*only in B/),
        expect.stringMatching(/^Node: not recorded by A/),
        expect.stringMatching(/^TLS trust source: not recorded by A/),
        expect.stringMatching(/^principal: not recorded by A/),
      ]),
    );
    expect(d.facts.find((f) => f.name === 'doctor version')).toMatchObject({ a: '0.0.9', b: '0.1.0', same: false });
  });
});

describe('dbiam-doctor diff refuses what is not a report (exit 2, says why)', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['empty', '', /empty\.json: empty file/],
    ['not JSON', '{"tool": ', /not JSON \(it ends too early; the text there is not shown\); write reports with --format json/],
    // The wrong file given (a password file): where it breaks, never what it holds.
    ['a password file', 'hunter2-canary\n', /not JSON \(line 1, column 1; the text there is not shown\)/],
    ['an array', '[1,2]', /expected a JSON object, found an array/],
    ['another tool', '{"tool":{"name":"other"},"checks":[]}', /tool\.name is "other", not dbiam-doctor/],
    ['no tool', '{"checks":[]}', /no 'tool' object: not a dbiam-doctor JSON report/],
    ['an explain result', '{"input":{},"explanations":[]}', /this is an 'explain' result, not a doctor run/],
    ['a bad status', '{"tool":{"name":"dbiam-doctor"},"checks":[{"id":"x.y","status":"green"}]}', /checks\[0\]\.status: expected one of pass, warn, fail, skip, error, found "green"/],
    ['a duplicate check', '{"tool":{"name":"dbiam-doctor"},"checks":[{"id":"x","status":"pass"},{"id":"x","status":"pass"}]}', /checks\[1\]\.id: 'x' appears twice/],
    ['non-string evidence', '{"tool":{"name":"dbiam-doctor"},"checks":[{"id":"x","status":"fail","findings":[{"code":"c","severity":"fail","evidence":{"k":{"deep":1}}}]}]}', /checks\[0\]\.findings\[0\]\.evidence\["k"\]: expected a string/],
    ['binary', Buffer.from([0x7b, 0x00, 0x01, 0xff]), /binary data/],
  ];
  it.each(cases)('%s', async (label, content, message) => {
    const bad = join(dir, label === 'empty' ? 'empty.json' : `${label.replace(/\W+/g, '-')}.json`);
    writeFileSync(bad, content);
    const out = await runCli(['diff', file('healthy'), bad]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toContain('hunter2');
  });

  it('a missing file and a file above the size cap', async () => {
    const missing = await runCli(['diff', file('healthy'), join(dir, 'nope.json')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/nope\.json: no such file/)]);
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"pad":"${'x'.repeat(9 * 1024 * 1024)}"}`);
    const out = await runCli(['diff', big, file('healthy')]);
    expect([out.code, out.stderr]).toEqual([2, expect.stringMatching(/big\.json: file is \d+ bytes, more than the 8388608/)]);
  });

  it('hostile values: terminal escapes are shown escaped; a __proto__ evidence key is read as data', async () => {
    const doc = JSON.parse(readFileSync(file('session-expired'), 'utf8')) as { checks: { id: string; summary: string; findings: { evidence: Record<string, string> }[] }[] };
    const token = doc.checks.find((c) => c.id === 'session.token');
    if (!token) throw new Error('no session.token in the demo report');
    token.summary = 'expired \u001b]52;c;ZXZpbA==\u0007\u001b[2J';
    const text = JSON.stringify(doc).replace('"evidence":{', '"evidence":{"__proto__":"polluted",');
    const hostile = join(dir, 'hostile.json');
    writeFileSync(hostile, text);
    const out = await runCli(['diff', file('healthy'), hostile, '--format', 'json']);
    expect(out.code).toBe(1);
    expect(out.stdout).not.toMatch(/\u001b|\u0007/);
    expect(out.stdout).toContain('expired \\\\x1b]52;c;ZXZpbA==\\\\x07');
    expect((JSON.parse(out.stdout) as DiffJson).verdict?.link).toBe('session.token');
  });

  it('needs exactly two reports (usage, exit 2)', async () => {
    const out = await runCli(['diff', file('healthy')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/'diff' needs two JSON reports/);
  });
});
