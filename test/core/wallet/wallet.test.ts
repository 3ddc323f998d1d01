// Wallet parsers: the README expiry line, ewallet.pem with its (encrypted)
// key, blob detection, DigiCert root generations, sqlnet.ora and tnsnames.ora.
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { assessWallet, bareAlias } from '../../../src/core/wallet/assess.js';
import { detectWalletBlob } from '../../../src/core/wallet/detect.js';
import { commonNameOf, digicertRootGeneration } from '../../../src/core/wallet/digicert.js';
import { dnMatchEnabled, expandOracleDirectory } from '../../../src/core/wallet/wallet-location.js';
import { inspectPemWallet } from '../../../src/core/wallet/pem-wallet.js';
import { parseWalletReadme } from '../../../src/core/wallet/readme.js';
import { makeSelfSignedClient } from '../../../src/sim/pki.js';
import { makeCert } from '../../helpers/certs.js';
import { DAY_MS, ewalletPem, testCa, testClient, walletFiles } from '../../helpers/wallet.js';
import { buildZip } from '../../helpers/zip.js';
import { keyFormatOf } from '../../../src/core/private-key.js';

describe('parseWalletReadme', () => {
  it('reads the line Oracle writes, and the download date', () => {
    const r = parseWalletReadme('Wallet Expiry Date\n---\nThis wallet was downloaded on 2022-03-19 21:43:22.0 UTC.\nThe SSL certificates provided in this wallet will expire on 2023-03-19 21:43:22.0 UTC.\n');
    expect(r.expiresAt?.toISOString()).toBe('2023-03-19T21:43:22.000Z');
    expect(r.downloadedAt?.toISOString()).toBe('2022-03-19T21:43:22.000Z');
    expect(r.expiryLine).toMatch(/^The SSL certificates/);
  });

  it.each([
    ['CRLF and no fraction', 'The SSL certificates provided in this wallet will expire on 2023-03-19 21:43:22 UTC.\r\n', '2023-03-19T21:43:22.000Z'],
    ['ISO with Z', 'Certificates will expire on 2023-03-19T21:43:22Z', '2023-03-19T21:43:22.000Z'],
    ['date only', 'This wallet will expire on 2023/03/19.', '2023-03-19T00:00:00.000Z'],
    ['an offset', 'will expire on 2023-03-19 23:43 +02:00', '2023-03-19T21:43:00.000Z'],
    ['leading spaces, upper case', '   THE SSL CERTIFICATES ... WILL EXPIRE ON 2023-03-19 21:43:22.0 GMT', '2023-03-19T21:43:22.000Z'],
  ])('tolerates %s', (_what, text, iso) => {
    expect(parseWalletReadme(text).expiresAt?.toISOString()).toBe(iso);
  });

  it('says why when there is no date to read', () => {
    expect(parseWalletReadme('hello').problem).toBe('the README has no expiry line');
    expect(parseWalletReadme('will expire on the 3rd of March').problem).toMatch(/no date/);
    expect(parseWalletReadme('will expire on 2023-13-40').expiresAt).toBeUndefined();
  });
});

describe('inspectPemWallet', () => {
  const client = testClient();
  const ca = testCa();

  it('plain key: the key opens and belongs to the client certificate; every certificate kept as PEM', () => {
    const w = inspectPemWallet(ewalletPem({ client, caPems: [ca.certPem] }), undefined);
    expect(w.key).toMatchObject({ present: true, encrypted: false, status: 'ok', certificateIndex: 0 });
    expect(w.certificates.map((c) => [c.matchesKey, c.isCA])).toEqual([[true, false], [false, true]]);
    expect(w.certificates[1]?.pem).toBe(ca.certPem.trim());
  });

  it('encrypted PKCS#8: no password → password-required; wrong → password-wrong; right → ok', () => {
    const text = ewalletPem({ client, caPems: [ca.certPem], password: 'Wallet#Pass1', bagAttributes: true });
    expect(keyFormatOf(text)).toBe('pkcs8-encrypted');
    expect(inspectPemWallet(text, undefined).key).toMatchObject({ status: 'password-required', encrypted: true, format: 'pkcs8-encrypted' });
    expect(inspectPemWallet(text, 'not-it').key).toMatchObject({ status: 'password-wrong' });
    expect(inspectPemWallet(text, 'Wallet#Pass1').key).toMatchObject({ status: 'ok', encrypted: true, certificateIndex: 0 });
    // Bag Attributes lines between the blocks do not disturb the reading.
    expect(inspectPemWallet(text, undefined).certificates).toHaveLength(2);
  });

  it('a key from another wallet matches no certificate', () => {
    const other = makeSelfSignedClient({ bits: 1024 });
    const w = inspectPemWallet(ewalletPem({ client: { ...client, keyPem: other.keyPem }, caPems: [ca.certPem] }), undefined);
    expect(w.key).toMatchObject({ status: 'ok' });
    expect(w.key.present && w.key.certificateIndex).toBeUndefined();
  });

  it('a damaged certificate block is reported by its line; the others are still read', () => {
    const w = inspectPemWallet(`${client.keyPem}\n${client.certPem}\n-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n`, undefined);
    expect(w.unreadable).toHaveLength(1);
    expect(w.unreadable[0]?.line).toBeGreaterThan(1);
    expect(w.certificates).toHaveLength(1);
  });
});

describe('detectWalletBlob', () => {
  it('a zip', () => expect(detectWalletBlob(buildZip([{ name: 'a', data: 'b' }]))).toMatchObject({ kind: 'zip', confirmed: true }));
  it('cwallet.sso by its first bytes, marked unconfirmed', () => {
    expect(detectWalletBlob(Buffer.from('a1f84e36000000060000002100000000', 'hex'))).toMatchObject({ kind: 'sso', confirmed: false, basis: expect.stringContaining('a1 f8 4e') });
  });
  it('a real PKCS#12 (built with node-forge)', () => {
    const c = testClient();
    const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(c.keyPem), [forge.pki.certificateFromPem(c.certPem)], 'pw', { algorithm: '3des' });
    const der = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    expect(detectWalletBlob(der)).toMatchObject({ kind: 'pkcs12', confirmed: true });
  });
  it('a DER certificate is not taken for PKCS#12', () => {
    const der = Buffer.from(testCa().certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(detectWalletBlob(der).kind).toBe('unknown');
  });
  it('PEM, saying what it holds', () => {
    expect(detectWalletBlob(Buffer.from(ewalletPem({ client: testClient(), caPems: [testCa().certPem] })))).toMatchObject({ kind: 'pem', label: 'PEM (a private key + 2 certificates)' });
  });
  it('JKS by its magic', () => expect(detectWalletBlob(Buffer.from('feedfeed00000002', 'hex'))).toMatchObject({ kind: 'jks' }));
  it('base64 of a zip: encoded twice', () => {
    const twice = Buffer.from(buildZip([{ name: 'a', data: 'b' }]).toString('base64'));
    expect(detectWalletBlob(twice)).toMatchObject({ kind: 'zip', doubleEncoded: true });
  });
  it('garbage and nothing', () => {
    expect(detectWalletBlob(Buffer.from('hello world, not a wallet'))).toMatchObject({ kind: 'unknown' });
    expect(detectWalletBlob(Buffer.alloc(0))).toMatchObject({ kind: 'empty' });
  });
});

describe('DigiCert root generations, by subject', () => {
  it.each([
    ['C=US, O=DigiCert Inc, OU=www.digicert.com, CN=DigiCert Global Root CA', 'G1'],
    ['C=US\nO=DigiCert Inc\nOU=www.digicert.com\nCN=DigiCert High Assurance EV Root CA', 'G1'],
    ['CN=DigiCert Assured ID Root CA, O=DigiCert Inc', 'G1'],
    ['C=US, O=DigiCert Inc, OU=www.digicert.com, CN=DigiCert Global Root G2', 'G2+'],
    ['CN=DigiCert Global Root G3', 'G2+'],
    ['CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1', undefined],
    ['CN=Some Other Root', undefined],
  ])('%s → %s', (dn, gen) => expect(digicertRootGeneration(dn)).toBe(gen));
  it('reads the CN of either DN form', () => expect(commonNameOf('C=US\nCN=x y')).toBe('x y'));
});

describe('sqlnet.ora and tnsnames.ora, as the wallet reads them', () => {
  it('WALLET_LOCATION across lines with comments, SSL_SERVER_DN_MATCH, and the aliases (several names for one entry, IFILE skipped)', () => {
    const sqlnet = '# downloaded\nWALLET_LOCATION =\n  (SOURCE =\n    (METHOD = file)\n    (METHOD_DATA =\n      (DIRECTORY = "/opt/wallets/ledger")))  # where\n\nSSL_SERVER_DN_MATCH = yes\n';
    const tnsnames = 'IFILE = /etc/extra.ora\nledger_high = (description=(address=(protocol=tcps)(host=h)(port=1522))\n  (connect_data=(service_name=s)))\nA1, a2 =\n (description=(address=(host=x)(port=1)))\n';
    const a = assessWallet({ names: ['sqlnet.ora', 'tnsnames.ora'], sqlnet, tnsnames }, { now: new Date() });
    expect(a.sqlnet?.walletDirectory).toMatchObject({ value: '/opt/wallets/ledger', at: { line: 6 } });
    expect(a.sqlnet?.sslServerDnMatch?.raw).toBe('yes');
    expect(a.aliases).toEqual(['ledger_high', 'A1', 'a2']);
  });

  it('SSL_SERVER_DN_MATCH spellings', () => {
    expect(dnMatchEnabled('ON')).toBe(true);
    expect(dnMatchEnabled('"no"')).toBe(false);
    expect(dnMatchEnabled('maybe')).toBeUndefined();
  });

  it('expands ? and environment variables as clients do', () => {
    expect(expandOracleDirectory('?/network/admin', { ORACLE_HOME: '/u01/oh' })).toEqual({ ok: true, path: '/u01/oh/network/admin' });
    expect(expandOracleDirectory('?/network/admin', {})).toMatchObject({ ok: false, reason: expect.stringContaining('ORACLE_HOME') });
    expect(expandOracleDirectory('${TNS_ADMIN}/w', { TNS_ADMIN: '/t' })).toEqual({ ok: true, path: '/t/w' });
    expect(expandOracleDirectory('%WALLETS%\\x', { WALLETS: 'C:\\w' })).toEqual({ ok: true, path: 'C:\\w\\x' });
  });

  it('bare aliases vs other connect strings', () => {
    expect(bareAlias('ledger_high')).toBe('ledger_high');
    expect(bareAlias('host:1522/svc')).toBeUndefined();
    expect(bareAlias('(description=(address=(host=h)))')).toBeUndefined();
    expect(bareAlias('tcps://h:1522/s')).toBeUndefined();
  });
});

describe('assessWallet', () => {
  const now = new Date();
  it('one expiry list from the README and the certificates; the expired ones and the soon ones apart', () => {
    const old = makeCert({ commonName: 'Old CA', isCA: true, notBefore: new Date(now.getTime() - 400 * DAY_MS), notAfter: new Date(now.getTime() - DAY_MS) });
    const files = walletFiles({ readmeExpiry: new Date(now.getTime() + 10 * DAY_MS), caPems: [testCa().certPem, old.certPem] });
    const a = assessWallet({ names: Object.keys(files), readme: files.README as string, ewalletPem: files['ewallet.pem'] as string }, { now });
    expect(a.expired.map((f) => f.what)).toEqual(['ewallet.pem: CN=Old CA, O=dbiam-doctor tests']);
    expect(a.expiring.map((f) => f.what)).toEqual(['README']);
    expect(a.firstExpiry?.what).toBe('ewallet.pem: CN=Old CA, O=dbiam-doctor tests');
  });

  it('what thin and thick clients would miss', () => {
    const a = assessWallet({ names: ['cwallet.sso', 'sqlnet.ora', 'README'] }, { now });
    expect(a.thinMissing).toEqual(['ewallet.pem', 'tnsnames.ora']);
    expect(a.thickMissing).toEqual(['tnsnames.ora']);
  });
});
