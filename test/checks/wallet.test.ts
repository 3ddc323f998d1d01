// The wallet directory check through the real doctor, against wallet
// directories written here: what a user sees for each problem, and that no
// wallet secret ever reaches the output.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WalletData } from '../../src/checks/wallet/data.js';
import { runCli } from '../helpers/cli.js';
import { makeCert } from '../helpers/certs.js';
import { tempDir } from '../helpers/deps.js';
import { DAY_MS, sqlnetText, testCa, walletFiles, writeWalletDir, type WalletSpec } from '../helpers/wallet.js';
import type { JsonReport } from '../../src/core/report/json.js';

type Doc = JsonReport;

const now = (): Date => new Date();
const inDays = (d: number): Date => new Date(Date.now() + d * DAY_MS);
const PASSWORD = 'Wallet#Pass-2026';

async function doctor(argv: string[], env: Record<string, string> = {}): Promise<{ doc: Doc; stdout: string; codes: string[]; check: Doc['checks'][number] | undefined }> {
  const out = await runCli(['--format', 'json', '--only', 'wallet.dir', ...argv], { env, now });
  const doc = JSON.parse(out.stdout) as Doc;
  const check = doc.checks.find((c) => c.id === 'wallet.dir');
  return { doc, stdout: out.stdout, codes: (check?.findings ?? []).filter((f) => f.severity !== 'info').map((f) => f.code), check };
}

function wallet(spec: WalletSpec = {}): string {
  return writeWalletDir(join(tempDir(), 'Wallet_LEDGER'), walletFiles({ readmeExpiry: inDays(200), ...spec }));
}

const inventory = (check: Doc['checks'][number] | undefined): Record<string, string> => check?.findings.find((f) => f.code === 'wallet.inventory')?.evidence ?? {};

describe('wallet.dir on a healthy wallet', () => {
  it('passes, lists the files, the aliases and what thin and thick clients find', async () => {
    const dir = wallet();
    const { check, codes } = await doctor(['--tns-admin', dir, '--dsn', 'LEDGER_HIGH']);
    expect(codes).toEqual([]);
    expect(check?.status).toBe('pass');
    const inv = inventory(check);
    expect(inv.files).toBe('README, cwallet.sso, ewallet.pem, ojdbc.properties, sqlnet.ora, tnsnames.ora');
    expect(inv['thin (node-oracledb, python-oracledb)']).toBe('ewallet.pem and tnsnames.ora present');
    expect(inv.aliases).toBe('ledger_high, ledger_medium, ledger_low');
    expect(inv['requested alias']).toMatch(/^LEDGER_HIGH: found in /);
    expect(inv.SSL_SERVER_DN_MATCH).toBe('yes');
    expect(inv['cwallet.sso']).toMatch(/unconfirmed/);
    expect(check?.summary).toMatch(/expires \d{4}-\d\d-\d\d \(in 200 days\)/);
  });

  it('skips itself when no wallet directory is given', async () => {
    const { check } = await doctor([]);
    expect(check).toMatchObject({ status: 'skip', summary: expect.stringMatching(/^no wallet directory given/) });
  });

  it('leaves a missing TNS_ADMIN to env.tns-admin instead of reporting it twice', async () => {
    const { check } = await doctor(['--tns-admin', join(tempDir(), 'nope')]);
    expect(check).toMatchObject({ status: 'skip', summary: expect.stringMatching(/see env\.tns-admin/) });
  });
});

describe('expiry', () => {
  it('wallet.expired from the README, with the line as evidence and the download commands', async () => {
    const { codes, check } = await doctor(['--tns-admin', wallet({ readmeExpiry: inDays(-3) }), '--adb-id', 'ocid1.autonomousdatabase.oc1.iad.x']);
    expect(codes).toEqual(['wallet.expired']);
    const f = check?.findings.find((x) => x.code === 'wallet.expired');
    expect(f?.title).toMatch(/^The wallet expired 3 days ago/);
    expect(f?.evidence['README line']).toMatch(/^The SSL certificates provided in this wallet will expire on /);
    expect(f?.fix.commands[0]).toContain('generate-wallet --autonomous-database-id ocid1.autonomousdatabase.oc1.iad.x');
  });

  it('wallet.expiring within 30 days', async () => {
    const { codes, check } = await doctor(['--tns-admin', wallet({ readmeExpiry: inDays(12) })]);
    expect(codes).toEqual(['wallet.expiring']);
    expect(check?.status).toBe('warn');
  });

  it('a certificate inside ewallet.pem that expired, with a README still in the future: one wallet.expired naming it', async () => {
    const old = makeCert({ commonName: 'Expired Wallet CA', isCA: true, notBefore: inDays(-800), notAfter: inDays(-2) });
    const { codes, check } = await doctor(['--tns-admin', wallet({ caPems: [testCa().certPem, old.certPem] })]);
    expect(codes).toEqual(['wallet.expired']);
    expect(check?.findings.find((x) => x.code === 'wallet.expired')?.title).toMatch(/^Certificate CN=Expired Wallet CA.* in ewallet\.pem expired 2 days ago/);
  });

  it('README and a certificate both expired: still one finding, both in the evidence', async () => {
    const old = makeCert({ commonName: 'Expired Wallet CA', isCA: true, notBefore: inDays(-800), notAfter: inDays(-2) });
    const { codes, check } = await doctor(['--tns-admin', wallet({ readmeExpiry: inDays(-1), caPems: [old.certPem] })]);
    expect(codes).toEqual(['wallet.expired']);
    expect(Object.keys(check?.findings.find((x) => x.code === 'wallet.expired')?.evidence ?? {})).toEqual(expect.arrayContaining(['README', 'ewallet.pem: CN=Expired Wallet CA, O=dbiam-doctor tests']));
  });
});

describe('the wallet password (DBIAM_DOCTOR_WALLET_PASSWORD)', () => {
  it('an encrypted key without the password: wallet.password-required, telling where the password goes', async () => {
    const { codes, check } = await doctor(['--tns-admin', wallet({ password: PASSWORD })]);
    expect(codes).toEqual(['wallet.password-required']);
    expect(check?.findings.find((f) => f.code === 'wallet.password-required')?.fix.commands[0]).toContain('DBIAM_DOCTOR_WALLET_PASSWORD');
  });

  it('a wrong password: wallet.password-wrong, and the password itself is never printed (only its length)', async () => {
    const wrong = 'Not-The-Wallet-Password';
    const { codes, stdout, check } = await doctor(['--tns-admin', wallet({ password: PASSWORD })], { DBIAM_DOCTOR_WALLET_PASSWORD: wrong });
    expect(codes).toEqual(['wallet.password-wrong']);
    expect(check?.findings.find((f) => f.code === 'wallet.password-wrong')?.evidence.DBIAM_DOCTOR_WALLET_PASSWORD).toBe(`${wrong.length} characters`);
    expect(stdout).not.toContain(wrong);
  });

  it('the right password with a stray trailing space is wrong, and the evidence says why', async () => {
    const { codes, check } = await doctor(['--tns-admin', wallet({ password: PASSWORD })], { DBIAM_DOCTOR_WALLET_PASSWORD: `${PASSWORD} ` });
    expect(codes).toEqual(['wallet.password-wrong']);
    expect(check?.findings[1]?.evidence.DBIAM_DOCTOR_WALLET_PASSWORD).toMatch(/with leading or trailing white space$/);
  });

  it('the right password decrypts the key: pass, and the inventory says so', async () => {
    const { codes, check } = await doctor(['--tns-admin', wallet({ password: PASSWORD, bagAttributes: true })], { DBIAM_DOCTOR_WALLET_PASSWORD: PASSWORD });
    expect(codes).toEqual([]);
    expect(inventory(check).password).toBe('DBIAM_DOCTOR_WALLET_PASSWORD decrypts the key');
  });

  it('no key material, no certificate text and no password in any output format', async () => {
    const dir = wallet({ password: PASSWORD });
    for (const format of ['json', 'text', 'md']) {
      const out = await runCli(['--format', format, '--only', 'wallet.dir', '--tns-admin', dir], { env: { DBIAM_DOCTOR_WALLET_PASSWORD: PASSWORD }, now });
      expect(out.stdout).not.toContain(PASSWORD);
      expect(out.stdout).not.toMatch(/BEGIN (ENCRYPTED )?PRIVATE KEY|BEGIN CERTIFICATE/);
      if (format === 'json') expect(out.stdout).toContain('wallet redacted');
    }
  });
});

describe('files, roots, aliases, locations', () => {
  it('a thick-only wallet (no ewallet.pem): wallet.file-missing, naming thin drivers', async () => {
    const { codes, check } = await doctor(['--tns-admin', wallet({ omit: ['ewallet.pem'] })]);
    expect(codes).toEqual(['wallet.file-missing']);
    expect(check?.findings.find((f) => f.code === 'wallet.file-missing')?.title).toMatch(/thin drivers cannot use this wallet/);
  });

  it('TNS_ADMIN with only tnsnames.ora is fine for one-way TLS: no finding, the inventory says why', async () => {
    const dir = join(tempDir(), 'net');
    mkdirSync(dir);
    writeFileSync(join(dir, 'tnsnames.ora'), 'x = (description=(address=(host=h)(port=1521)))\n');
    const { codes, check } = await doctor(['--tns-admin', dir]);
    expect(codes).toEqual([]);
    expect(inventory(check).wallet).toMatch(/one-way TLS/);
  });

  it('G1-only DigiCert roots: wallet.g1-roots; with a G2 root beside them, no finding', async () => {
    const g1 = makeCert({ commonName: 'DigiCert Global Root CA', isCA: true });
    const g2 = makeCert({ commonName: 'DigiCert Global Root G2', isCA: true });
    const only = await doctor(['--tns-admin', wallet({ caPems: [g1.certPem] })]);
    expect(only.codes).toEqual(['wallet.g1-roots']);
    expect(only.check?.findings.find((f) => f.code === 'wallet.g1-roots')?.evidence['G1 root 1']).toMatch(/CN=DigiCert Global Root CA/);
    const both = await doctor(['--tns-admin', wallet({ caPems: [g1.certPem, g2.certPem] })]);
    expect(both.codes).toEqual([]);
  });

  it('a key that belongs to no certificate in ewallet.pem: wallet.key-mismatch', async () => {
    const stranger = makeCert({ commonName: 'someone else' });
    const files = walletFiles({ readmeExpiry: inDays(200) });
    files['ewallet.pem'] = `${stranger.keyPem}\n${testCa().certPem}`;
    const { codes } = await doctor(['--tns-admin', writeWalletDir(join(tempDir(), 'w'), files)]);
    expect(codes).toEqual(['wallet.key-mismatch']);
  });

  it('an ewallet.pem that is not PEM: wallet.pem-unreadable', async () => {
    const files = walletFiles({ readmeExpiry: inDays(200) });
    files['ewallet.pem'] = 'this is not a wallet\n';
    const { codes } = await doctor(['--tns-admin', writeWalletDir(join(tempDir(), 'w'), files)]);
    expect(codes).toEqual(['wallet.pem-unreadable']);
  });

  it('SSL_SERVER_DN_MATCH=no: wallet.dn-match-off', async () => {
    expect((await doctor(['--tns-admin', wallet({ dnMatch: 'no' })])).codes).toEqual(['wallet.dn-match-off']);
  });

  it('sqlnet.ora points at another directory than the wallet: wallet.location-mismatch with the sed fix', async () => {
    const dir = wallet({ walletDirectory: '/opt/oracle/wallets/other' });
    const { codes, check } = await doctor(['--tns-admin', dir]);
    expect(codes).toEqual(['wallet.location-mismatch']);
    const f = check?.findings.find((x) => x.code === 'wallet.location-mismatch');
    expect(f?.evidence['resolves to']).toBe('/opt/oracle/wallets/other');
    expect(f?.fix.commands[0]).toContain(`DIRECTORY="${dir}"`);
    // The suggested command really fixes it.
    execFileSync('sh', ['-c', f?.fix.commands[0] as string], { timeout: 5000 });
    expect((await doctor(['--tns-admin', dir])).codes).toEqual([]);
  });

  it('$TNS_ADMIN in WALLET_LOCATION resolves to the wallet itself: no mismatch', async () => {
    const dir = wallet({ walletDirectory: '$TNS_ADMIN' });
    const { codes } = await doctor([], { TNS_ADMIN: dir });
    expect(codes).toEqual([]);
  });

  it('TNS_ADMIN holds only Oracle Net files and WALLET_LOCATION names the wallet: the wallet is found there', async () => {
    const walletDir = wallet({ omit: ['sqlnet.ora'] });
    const net = join(tempDir(), 'net');
    mkdirSync(net);
    writeFileSync(join(net, 'sqlnet.ora'), sqlnetText(walletDir));
    const { codes, check, doc } = await doctor(['--tns-admin', net, '--dsn', 'ledger_low']);
    expect(codes).toEqual([]);
    expect(inventory(check).directory).toBe(`${walletDir}  ← sqlnet.ora WALLET_LOCATION`);
    expect(doc.checks[0]?.summary).toContain(walletDir);
  });

  it('…and an alias the wallet does not define there: wallet.alias-missing, listing the aliases', async () => {
    const walletDir = wallet({ omit: ['sqlnet.ora'] });
    const net = join(tempDir(), 'net');
    mkdirSync(net);
    writeFileSync(join(net, 'sqlnet.ora'), sqlnetText(walletDir));
    const { codes, check } = await doctor(['--tns-admin', net, '--dsn', 'payroll_high']);
    expect(codes).toEqual(['wallet.alias-missing']);
    expect(check?.findings.find((f) => f.code === 'wallet.alias-missing')?.evidence.aliases).toBe('ledger_high, ledger_medium, ledger_low');
  });

  it('an alias missing from TNS_ADMIN’s own tnsnames.ora is left to the connect-string check (no second finding)', async () => {
    const { codes, check } = await doctor(['--tns-admin', wallet(), '--dsn', 'payroll_high']);
    expect(codes).toEqual([]);
    expect(inventory(check)['requested alias']).toMatch(/not in .* \(reported with the connect string\)/);
  });

  it('WALLET_LOCATION names a directory that does not exist, and TNS_ADMIN holds no wallet: wallet.dir-missing', async () => {
    const net = join(tempDir(), 'net');
    mkdirSync(net);
    writeFileSync(join(net, 'sqlnet.ora'), sqlnetText('/nonexistent/wallet/dir'));
    writeFileSync(join(net, 'tnsnames.ora'), 'x = (description=)\n');
    const { codes } = await doctor(['--tns-admin', net]);
    expect(codes).toEqual(['wallet.dir-missing']);
  });

  it('WALLET_LOCATION names an empty directory: wallet.file-missing', async () => {
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    const net = join(tempDir(), 'net');
    mkdirSync(net);
    writeFileSync(join(net, 'sqlnet.ora'), sqlnetText(empty));
    const { codes } = await doctor(['--tns-admin', net]);
    expect(codes).toEqual(['wallet.file-missing']);
  });

  it('without TNS_ADMIN, $ORACLE_HOME/network/admin/sqlnet.ora leads to the wallet', async () => {
    const walletDir = wallet();
    const home = tempDir();
    mkdirSync(join(home, 'network', 'admin'), { recursive: true });
    writeFileSync(join(home, 'network', 'admin', 'sqlnet.ora'), sqlnetText(walletDir));
    const { codes, check } = await doctor([], { ORACLE_HOME: home });
    expect(codes).toEqual([]);
    expect(check?.status).toBe('pass');
  });
});

describe('the data handed to later checks', () => {
  it('WalletData: dir, files, every certificate as PEM, the key flag, texts, and the verified password', async () => {
    const { walletDirCheck } = await import('../../src/checks/wallet/dir.js');
    const { testDeps } = await import('../helpers/deps.js');
    const dir = wallet({ password: PASSWORD });
    const added: string[] = [];
    const deps = { ...testDeps({ argv: ['--tns-admin', dir], env: { DBIAM_DOCTOR_WALLET_PASSWORD: PASSWORD } }), now, secrets: { add: (v: string | undefined, label: string) => void (v && added.push(label)) } };
    const out = await walletDirCheck.run({ deps, dataOf: () => undefined, codesSoFar: () => [], resultOf: () => undefined }, new AbortController().signal);
    const data = out.data as WalletData;
    expect(data).toMatchObject({ dir, source: 'tns-admin', hasPrivateKey: true, hasClientCertificate: true, password: PASSWORD });
    expect(data.caPems).toHaveLength(2);
    expect(data.caPems[1]).toBe(testCa().certPem.trim());
    expect(data.walletPem).toContain('ENCRYPTED PRIVATE KEY');
    expect(data.tnsnames).toContain('ledger_high');
    expect(data.sqlnet).toContain('WALLET_LOCATION');
    expect(added).toEqual(expect.arrayContaining(['wallet password', 'ewallet.pem']));
  });
});
