// The screen's pinned verdict comes from the reports' one rule (first broken
// link in chain order, and the note when the identity query passed by another
// path), redacted; and the raw lines that carry it reach the terminal whole.
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redact.js';
import type { CheckResult, Finding } from '../../src/core/types.js';
import { shortFix } from '../../src/core/report/verdict.js';
import { screenVerdict } from '../../src/core/view-model.js';
import { RawLines, rowsOf } from '../../src/ui/alt-screen.js';

function finding(code: string, severity: Finding['severity'], title: string, over: Partial<Finding> = {}): Finding {
  return { code, severity, title, detail: '', evidence: {}, fix: { text: `fix ${code}`, commands: [`run-fix ${code}`] }, ...over };
}

function check(id: string, title: string, status: CheckResult['status'], findings: Finding[] = []): CheckResult {
  return { id, title, category: 'env', status, durationMs: 1, summary: '', findings };
}

// A warning early in the chain, a failure later, and an identity query that passed through Database Tools.
const chain = (): CheckResult[] => [
  check('env.proxy', 'Proxy settings', 'warn', [finding('env.proxy-not-applied', 'warn', 'Proxy not applied')]),
  check('tls.chain', 'TLS certificate chain', 'fail', [finding('tls.untrusted-root', 'fail', 'Untrusted root')]),
  check('wallet.dir', 'Wallet directory', 'fail', [finding('wallet.expired', 'fail', 'Wallet expired')]),
  check('db.identity', 'Identity query: who the database sees', 'pass', [
    finding('db.identity-confirmed', 'info', 'The database sees ALICE', { highlight: true, evidence: { path: 'Database Tools connection ledger' }, fix: { text: '', commands: [] } }),
  ]),
];

describe('screenVerdict', () => {
  it('names the first broken link in chain order (not the worst panel), with its command and the Database Tools note', () => {
    const v = screenVerdict(chain(), new Redactor(), { done: true });
    expect(v?.status).toBe('broken');
    expect(v?.line).toBe('✖ Untrusted root [tls.untrusted-root] → run-fix tls.untrusted-root');
    expect(v?.command).toBe('run-fix tls.untrusted-root');
    expect(v?.note).toMatch(/^The identity query succeeded through Database Tools connection ledger, but TLS certificate chain failed \(tls\.untrusted-root\): a direct connection from here would still fail/);
  });

  it('while checks run: only a broken link is pinned; once done, a healthy run says which path the identity query took', () => {
    const [warn, , , identity] = chain() as [CheckResult, CheckResult, CheckResult, CheckResult];
    expect(screenVerdict([warn], new Redactor(), { done: false })).toBeUndefined();
    expect(screenVerdict(chain().slice(0, 2), new Redactor(), { done: false })?.line).toMatch(/^✖ Untrusted root \[tls\.untrusted-root\]/);
    const healthy = screenVerdict([identity], new Redactor(), { done: true });
    expect(healthy).toMatchObject({ status: 'healthy', line: '✔ The database sees ALICE (through Database Tools connection ledger)' });
    expect(healthy?.note).toBeUndefined();
  });

  it('offers the fix command, never a command that only looks, and the fix in words (shortened) when there is no fix command', () => {
    const look = 'openssl s_client -connect db.example:1522 -showcerts </dev/null';
    const both = [check('tls.chain', 'TLS certificate chain', 'fail', [finding('tls.untrusted-root', 'fail', 'Untrusted root', { fix: { text: 'Trust the CA.', commands: ['export NODE_EXTRA_CA_CERTS=/path/to/ca.pem'], inspect: [look] } })])];
    expect(screenVerdict(both, new Redactor(), { done: true })?.line).toBe('✖ Untrusted root [tls.untrusted-root] → export NODE_EXTRA_CA_CERTS=/path/to/ca.pem');
    const words =
      'python-oracledb: pass wallet_location=/home/alice/wallet (its ewallet.pem is added to the defaults) and config_dir=/home/alice/wallet. Thick clients: add the CA to the wallet with orapki.';
    const lookOnly = [check('tls.chain', 'TLS certificate chain', 'fail', [finding('tls.untrusted-root', 'fail', 'Untrusted root', { fix: { text: words, commands: [], inspect: [look] } })])];
    const v = screenVerdict(lookOnly, new Redactor(), { done: true });
    // The first sentence without its aside: what to do, not the command that shows the chain.
    expect(v?.line).toBe('✖ Untrusted root [tls.untrusted-root] → python-oracledb: pass wallet_location=/home/alice/wallet and config_dir=/home/alice/wallet.');
    expect(v?.command).toBeUndefined();
  });

  it('leaves nothing that steers the terminal in the line', () => {
    const evil = [check('tls.chain', 'TLS', 'fail', [finding('tls.untrusted-root', 'fail', 'Root \u001b]52;c;aGk=\u0007 evil \u001b[2J')])];
    const v = screenVerdict(evil, new Redactor(), { done: true });
    expect(v?.line).not.toContain('\u001b');
    expect(v?.line).not.toContain('\u0007');
  });

  it('is redacted like every other string on the screen', () => {
    const secret = `pw-${Date.now().toString(36)}-canary`;
    const redactor = new Redactor();
    redactor.addSecret(secret);
    const v = screenVerdict([check('tls.chain', 'TLS', 'fail', [finding('tls.untrusted-root', 'fail', `Bad ${secret}`, { fix: { text: '', commands: [`login --password ${secret}`] } })])], redactor, { done: true });
    expect(`${v?.line} ${v?.command}`).not.toContain(secret);
  });
});

describe('RawLines', () => {
  const long = `oci iam policy create --statements ${'x'.repeat(130)}`;

  it('puts the command in place of its placeholder and drops the blank rows reserved under it', () => {
    const raw = new RawLines();
    const t = raw.token(long, 80);
    expect(rowsOf(long, 80)).toBe(3);
    const out = raw.fill(['above', t, '', '', 'below'].join('\n')).split('\n');
    expect(out.map((l) => l.replace('\u001b[0m', ''))).toEqual(['above', long, 'below']);
  });

  it('cuts the command to the rows left when the viewport cut the reserved rows off', () => {
    const raw = new RawLines();
    const t = raw.token(long, 80);
    const out = raw.fill([t, 'a footer line'].join('\n')).split('\n');
    expect(out).toHaveLength(2);
    const shown = (out[0] as string).replace('\u001b[0m', '');
    expect([...shown]).toHaveLength(80);
    expect(shown.endsWith('…')).toBe(true);
    expect(out[1]).toBe('a footer line');
  });
});

describe('shortFix', () => {
  it('keeps a short fix as it is', () => {
    expect(shortFix('Log in again.')).toBe('Log in again.');
  });

  it('takes the first sentence, not cut inside a file name or "e.g."', () => {
    expect(shortFix('Point NODE_EXTRA_CA_CERTS at ca.pem, e.g. the one in the wallet. Then run again.')).toBe('Point NODE_EXTRA_CA_CERTS at ca.pem, e.g. the one in the wallet.');
  });

  it('cuts a long sentence at a word, with …', () => {
    const long = `Ask the network team to exempt ${'db-host.example.com '.repeat(10)}from inspection.`;
    expect(shortFix(long, 60)).toBe('Ask the network team to exempt db-host.example.com…');
  });
});
