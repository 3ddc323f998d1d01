// Chain verdicts per trust source, node-oracledb's DN rules, and certificate
// facts, on chains generated here (RSA with node-forge; EC with openssl, which
// node-forge cannot make: those tests are skipped when openssl is missing).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessChain, type TlsAssessmentInput } from '../../src/core/tls/assess.js';
import forge from 'node-forge';
import { certsFromPem, derOfPem, isWeakSignature, lazyCertFromDer, nameKey, type Cert } from '../../src/core/tls/certs.js';
import { checkIdentity, dnObject } from '../../src/core/tls/dn-match.js';
import { sentInOrder, verifyChainAgainst, type TrustSource } from '../../src/core/tls/trust.js';
import { makeChain, makeCa, ADB_HOST, type Chain } from '../../src/sim/pki.js';
import { makeCert } from '../helpers/certs.js';

const HAS_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

const one = (pem: string): Cert => certsFromPem(pem).certs[0] as Cert;
const source = (id: string, pems: string[]): TrustSource => ({ id, kind: 'ca-file', label: id, certs: pems.map(one) });

let chain: Chain;
let other: Chain;
let leaf: Cert;
let inter: Cert;
let root: Cert;

beforeAll(() => {
  chain = makeChain();
  other = makeChain({ rootCommonName: 'Another Root CA' });
  leaf = one(chain.leaf.certPem);
  inter = one(chain.intermediate.certPem);
  root = one(chain.root.certPem);
});

describe('verifying a chain against one source', () => {
  it('builds leaf ← intermediate ← root and says where each came from', () => {
    const v = verifyChainAgainst([leaf, inter], source('root', [chain.root.certPem]));
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.path.map((s) => [s.cert.name, s.from])).toEqual([
        [ADB_HOST, 'server'],
        ['dbiam-doctor Simulated Intermediate CA', 'server'],
        ['dbiam-doctor Simulated Root CA', 'source'],
      ]);
      expect(v.anchorSentByServer).toBe(false);
    }
  });

  it('names the break: missing intermediate, untrusted root, self-signed in chain, self-signed leaf', () => {
    const trustRoot = source('root', [chain.root.certPem]);
    const trustOther = source('other', [other.root.certPem]);
    const p = (v: ReturnType<typeof verifyChainAgainst>): string => (v.ok ? 'ok' : `${v.problem} at ${v.stuckAt?.name}`);
    expect(p(verifyChainAgainst([leaf], trustRoot))).toBe(`missing-intermediate at ${ADB_HOST}`);
    expect(p(verifyChainAgainst([leaf, inter], trustOther))).toBe('untrusted-root at dbiam-doctor Simulated Intermediate CA');
    expect(p(verifyChainAgainst([leaf, inter, root], trustOther))).toBe('self-signed-in-chain at dbiam-doctor Simulated Root CA');
    const selfSigned = one(makeCa({ commonName: 'db.internal' }).certPem);
    expect(p(verifyChainAgainst([selfSigned], trustOther))).toBe('self-signed-leaf at db.internal');
    // A trust source holding the intermediate as well still needs the root (no partial chains, as OpenSSL).
    expect(p(verifyChainAgainst([leaf], source('both', [chain.intermediate.certPem, chain.root.certPem])))).toBe('ok');
    expect(p(verifyChainAgainst([leaf], source('inter-only', [chain.intermediate.certPem])))).toBe('untrusted-root at dbiam-doctor Simulated Intermediate CA');
    // A leaf issued straight from a root with "Root" in its name: the root is what is missing.
    const direct = makeChain({ ca: { root: other.root, intermediate: other.root } });
    expect(p(verifyChainAgainst([one(direct.leaf.certPem)], trustRoot))).toBe(`untrusted-root at ${ADB_HOST}`);
  });

  it('sees order, root sent and certificates that are not part of the chain', () => {
    expect(sentInOrder([leaf, inter, root])).toMatchObject({ inOrder: true, rootSent: true, unrelated: [] });
    expect(sentInOrder([leaf, root, inter]).inOrder).toBe(false);
    const stray = one(other.intermediate.certPem);
    expect(sentInOrder([leaf, inter, stray]).unrelated.map((c) => c.name)).toEqual(['dbiam-doctor Simulated Intermediate CA']);
  });
});

describe("node-oracledb's identity rules", () => {
  it('sslServerCertDN: every RDN equal and the same count; order and blanks do not matter', () => {
    const reversed = 'C=US, ST=California, L=Redwood City, O=Oracle Corporation, CN=' + ADB_HOST;
    expect(checkIdentity(leaf, 'localhost', true, chain.leaf.subject)).toMatchObject({ rule: 'dn', ok: true });
    expect(checkIdentity(leaf, 'localhost', true, reversed)).toMatchObject({ rule: 'dn', ok: true });
    const ou = checkIdentity(leaf, 'localhost', true, `CN=${ADB_HOST},OU=Oracle BMCS US,O=Oracle Corporation,L=Redwood City,ST=California,C=US`);
    expect(ou).toMatchObject({ rule: 'dn', ok: false, ouChange: true, differences: [{ key: 'OU', expected: 'Oracle BMCS US' }] });
    expect(checkIdentity(leaf, 'localhost', true, `CN=${ADB_HOST}`)).toMatchObject({ ok: false });
    // Only a DN that is right but for the OU is the 2022 change.
    expect(checkIdentity(leaf, 'localhost', true, 'CN=other.example,OU=Oracle BMCS US')).toMatchObject({ ok: false, ouChange: false });
    // The driver compares keys as written: lower-case keys never match.
    expect(checkIdentity(leaf, 'localhost', true, chain.leaf.subject.replace('CN=', 'cn='))).toMatchObject({ ok: false });
    expect(dnObject('CN=a, O=b')).toEqual({ CN: 'a', O: 'b' });
  });

  it('without sslServerCertDN the host name must be covered; with DN match off nothing is checked', () => {
    expect(checkIdentity(leaf, 'localhost', true, undefined)).toMatchObject({ rule: 'host', ok: true });
    expect(checkIdentity(leaf, '127.0.0.1', true, undefined)).toMatchObject({ rule: 'host', ok: true });
    const wrong = checkIdentity(leaf, 'db.example.com', true, undefined);
    expect(wrong).toMatchObject({ rule: 'host', ok: false, names: [ADB_HOST, 'localhost', '127.0.0.1'] });
    expect(checkIdentity(leaf, 'db.example.com', false, 'CN=nonsense')).toEqual({ rule: 'off', ok: true });
  });
});

describe('assessing a chain', () => {
  const input = (over: Partial<TlsAssessmentInput>): TlsAssessmentInput => ({
    presented: [leaf, inter],
    orderKnown: true,
    host: 'localhost',
    sslServerDnMatch: true,
    sources: [source('node-bundled', []), source('ca-file:/root.pem', [chain.root.certPem])],
    walletHasClientCert: false,
    now: new Date(),
    ...over,
  });

  it('any source may verify without a wallet; with a wallet only the wallet decides', () => {
    expect(assessChain(input({})).trustedBy?.id).toBe('ca-file:/root.pem');
    const wallet: TrustSource = { ...source('wallet', [other.root.certPem]), kind: 'wallet' };
    const a = assessChain(input({ sources: [...input({}).sources, wallet], walletSourceId: 'wallet' }));
    expect(a.trustedBy).toBeUndefined();
    expect(a.problems.map((p) => p.kind)).toEqual(['untrusted-root']);
  });

  it('calls a chain intercepted when a proxy product signs it, or when an Oracle Cloud host misses the public roots', () => {
    const proxy = makeChain({ rootCommonName: 'Zscaler Root CA', intermediateCommonName: 'Zscaler Intermediate Root CA' });
    const sent = [one(proxy.leaf.certPem), one(proxy.intermediate.certPem)];
    expect(assessChain(input({ presented: sent })).problems.map((p) => p.kind)).toEqual(['intercepted']);
    const bundled: TrustSource = { id: 'node-bundled', kind: 'node-bundled', label: 'bundled', certs: certsFromPem(tls.rootCertificates.join('\n')).certs };
    const cloud = assessChain(input({ host: ADB_HOST, sources: [bundled] }));
    expect(cloud.problems.map((p) => p.kind)).toEqual(['intercepted']);
    // Trusted through the user's own CA: no problem, but the check still notes the sign.
    expect(assessChain(input({ host: ADB_HOST, sources: [bundled, source('ca', [chain.root.certPem])] })).problems).toEqual([]);
  });

  it('dates against the given clock: expired, not yet valid, expiring within 30 days', () => {
    const day = 86_400_000;
    const kinds = (now: Date): string[] => assessChain(input({ now })).problems.map((p) => `${p.kind}:${'role' in p ? p.role : ''}`);
    expect(kinds(new Date(Date.now() + 400 * day))).toEqual(['expired:server certificate']);
    expect(kinds(new Date(Date.now() + 350 * day))).toEqual(['expiring:server certificate']);
    expect(kinds(new Date(Date.now() - 3 * day))).toEqual(['not-yet-valid:server certificate', 'not-yet-valid:intermediate', 'not-yet-valid:root']);
  });

  it('weak signatures and keys, mutual TLS without a client certificate', () => {
    const weak = makeChain({ weakSignature: true, bits: 1024 });
    const a = assessChain(input({ presented: [one(weak.leaf.certPem), one(weak.intermediate.certPem)], sources: [source('r', [weak.root.certPem])] }));
    expect(a.problems.map((p) => `${p.kind}:${'role' in p ? p.role : ''}`)).toEqual([
      'weak-signature:server certificate', 'weak-key:server certificate', 'weak-signature:intermediate', 'weak-key:intermediate', 'weak-key:root',
    ]);
    expect(isWeakSignature('sha1WithRSAEncryption')).toBe(true);
    expect(isWeakSignature('ecdsa-with-SHA256')).toBe(false);
    expect(assessChain(input({ clientCertRequested: true, closedAfterHandshake: true })).problems.map((p) => p.kind)).toEqual(['client-cert-required']);
    expect(assessChain(input({ serverAlert: 'certificate_required' })).problems.map((p) => p.kind)).toEqual(['client-cert-required']);
    expect(assessChain(input({ clientCertRequested: true, closedAfterHandshake: true, walletHasClientCert: true })).problems).toEqual([]);
    // A request the handshake went on without: optional (TLS-or-mTLS port) or decided after it (ADB: ORA-12506).
    expect(assessChain(input({ clientCertRequested: true, closedAfterHandshake: false })).problems).toEqual([]);
    expect(assessChain(input({ clientCertRequested: true })).problems).toEqual([]);
  });
});

describe.skipIf(!HAS_OPENSSL)('EC certificates and certifi-style bundles (openssl-generated)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dbiam-ec-'));
    const ossl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30', '-nodes', '-subj', '/CN=Test EC Root');
    ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-nodes', '-subj', '/CN=ec.example');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:ec.example\n');
    ossl('x509', '-req', '-in', 'leaf.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '10', '-extfile', 'ext.cnf');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an EC chain, its ecdsa signature, and verifies it', () => {
    const ecRoot = one(readFileSync(join(dir, 'root.pem'), 'utf8'));
    const ecLeaf = one(readFileSync(join(dir, 'leaf.pem'), 'utf8'));
    expect(ecRoot.key).toBe('EC prime256v1');
    expect(ecLeaf.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(verifyChainAgainst([ecLeaf], { ...source('x', []), certs: [ecRoot] }).ok).toBe(true);
  });

  it('a certifi-style bundle (comment headers, EC and RSA roots, a damaged block) parses without a crash', () => {
    const header = (label: string): string => `\n# Issuer: CN=${label} O=Test\n# Subject: CN=${label} O=Test\n# Label: "${label}"\n# Serial: 1\n# MD5 Fingerprint: 00\n# SHA1 Fingerprint: 00\n# SHA256 Fingerprint: 00\n`;
    const bundle =
      header('Test EC Root') + readFileSync(join(dir, 'root.pem'), 'utf8') +
      header('RSA Root') + chain.root.certPem +
      header('Broken') + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' +
      tls.rootCertificates.slice(0, 20).map((p, i) => header(`real ${i}`) + p).join('\n');
    const parsed = certsFromPem(bundle);
    expect(parsed.certs.length).toBe(22);
    expect(parsed.unreadable).toHaveLength(1);
    expect(parsed.certs.filter((c) => c.keyType === 'ec').length).toBeGreaterThanOrEqual(1);
    expect(verifyChainAgainst([leaf, inter], { id: 'certifi', kind: 'ca-file', label: 'certifi', certs: parsed.certs }).ok).toBe(true);
  });
});

describe("Node's bundled roots, parsed only when a verification reads them", () => {
  const lazyRoots = (): Cert[] => tls.rootCertificates.map((pem) => lazyCertFromDer(derOfPem(pem)));
  const fields = ({ x509, subjectKey: _key, ...rest }: Cert): Record<string, unknown> => ({ ...rest, der: x509.raw.toString('base64') });

  it('each reads the same as the certificate parsed at once', () => {
    const lazy = lazyRoots();
    const eager = certsFromPem(tls.rootCertificates.join('\n')).certs;
    expect(lazy).toHaveLength(tls.rootCertificates.length);
    expect(lazy.map((c) => c.fingerprint256)).toEqual(eager.map((c) => c.fingerprint256));
    expect(lazy.map(fields)).toEqual(eager.map(fields));
  });

  it('a name key never tells apart two names Node prints alike, and most roots have one', () => {
    const roots = lazyRoots();
    const keyed = roots.filter((c) => c.subjectKey !== undefined);
    expect(keyed.length).toBeGreaterThan(roots.length / 2);
    for (const a of keyed) for (const b of keyed) if (a.subjectRaw === b.subjectRaw) expect(a.subjectKey).toBe(b.subjectKey);
    for (const a of keyed) for (const b of keyed) if (a.subjectKey === b.subjectKey) expect(a.subjectRaw).toBe(b.subjectRaw);
  });

  it('a name with non-ASCII text has no key (the printed names are compared instead); an ASCII one has', () => {
    const cert = forge.pki.createCertificate();
    const key = forge.pki.rsa.generateKeyPair({ bits: 512, e: 0x10001 });
    cert.publicKey = key.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(Date.now() - 86_400_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
    cert.setSubject([{ name: 'commonName', value: forge.util.encodeUtf8('Zürich Root'), valueTagClass: utf8 }]);
    cert.setIssuer([{ name: 'commonName', value: 'Zurich Root', valueTagClass: utf8 }]);
    cert.sign(key.privateKey, forge.md.sha256.create());
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    expect(nameKey(der, 'subject')).toBeUndefined();
    expect(nameKey(der, 'issuer')).toBe('3:\x55\x04\x0311:Zurich Root');
  });

  it('finds the issuer named with another string type (PrintableString vs UTF8String), as OpenSSL does', () => {
    const ca = makeCert({ commonName: 'Mixed Encoding Root', isCA: true });
    const leafCert = forge.pki.createCertificate();
    leafCert.publicKey = ca.cert.publicKey;
    leafCert.serialNumber = '7f';
    leafCert.validity.notBefore = new Date(Date.now() - 86_400_000);
    leafCert.validity.notAfter = new Date(Date.now() + 86_400_000);
    leafCert.setSubject([{ name: 'commonName', value: 'mixed.example' }]);
    // The root's subject is PrintableString (forge's default); the leaf names its issuer in UTF8String
    // (forge's types call the tag a Class).
    const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
    leafCert.setIssuer(ca.cert.subject.attributes.map((a) => ({ name: a.name, value: a.value, valueTagClass: utf8 })));
    leafCert.sign(ca.key, forge.md.sha256.create());
    const mixedLeaf = one(forge.pki.certificateToPem(leafCert));
    const lazyCa = [lazyCertFromDer(derOfPem(ca.certPem))];
    expect(mixedLeaf.issuer).toBe(one(ca.certPem).subject);
    expect(nameKey(mixedLeaf.x509.raw, 'issuer')).toBe(lazyCa[0]?.subjectKey);
    const v = verifyChainAgainst([mixedLeaf], { id: 'roots', kind: 'node-bundled', label: 'roots', certs: [...lazyRoots(), ...lazyCa] });
    expect(v.ok).toBe(true);
    expect(verifyChainAgainst([mixedLeaf], { id: 'roots', kind: 'node-bundled', label: 'roots', certs: lazyRoots() }).ok).toBe(false);
  });
});
