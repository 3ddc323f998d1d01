// The connect string, network and TLS links, run through the real doctor
// (--offline: they need no OCI API) against real servers on loopback: the
// simulated Oracle listener with each TLS fault, and plain TLS servers for
// what the listener cannot do (chain order, TLS 1.3 only, EC chains).
// Chains are generated here; every wait is bounded.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTlsServer } from '../helpers/listener.js';
import { DEFAULT_TIMEOUTS, capturePresentedChain, resolveHost, type LookupAll } from '../../src/adapters/net-probe.js';
import type { CliIO } from '../../src/commands/io.js';
import type { DoctorFacts } from '../../src/checks/facts.js';
import { connectTargetCheck } from '../../src/checks/network/target.js';
import { reachCheck } from '../../src/checks/network/reach.js';
import { tlsChainCheck } from '../../src/checks/tls/chain.js';
import { walletContentOf, type TlsSettings } from '../../src/checks/tls/settings.js';
import { KNOWN_SERVICE_ERR, startListener, type ListenerOptions, type SimListener } from '../../src/sim/listener/index.js';
import { ADB_HOST, ADB_LEGACY_OU, makeChain, type Chain } from '../../src/sim/pki.js';
import { attempt } from '../sim/oracle-client.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir, testDeps, testFacts } from '../helpers/deps.js';
import type { DataKey } from '../../src/core/types.js';
import { splitPemBlocks } from '../../src/core/pem.js';
import type { JsonFinding, JsonReport } from '../../src/core/report/json.js';

const SERVICE = 'ledger_high';
const DAY = 86_400_000;
const HAS_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
const PYTHON = ['python3', 'python'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);

type Finding = JsonFinding;
type Doc = JsonReport;

let ca: Chain;
let dir: string;
let rootFile: string;
const open: { close(): unknown }[] = [];

beforeAll(() => {
  ca = makeChain();
  dir = tempDir('dbiam-net-');
  rootFile = join(dir, 'root.pem');
  writeFileSync(rootFile, ca.root.certPem);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function listen(opts: Partial<ListenerOptions> = {}): Promise<SimListener> {
  const l = await startListener({ services: [SERVICE], ca: { root: ca.root, intermediate: ca.intermediate }, ...opts });
  open.push(l);
  return l;
}

/** A TLS server presenting exactly `cert` (a PEM chain in the order given). */
async function tlsServer(key: string, cert: string, extra: tls.TlsOptions = {}): Promise<number> {
  const server = await startTlsServer(key, cert, extra);
  open.push(server);
  return server.port;
}

async function doctor(argv: string[], opts: { env?: Record<string, string>; now?: Date; factsFor?: CliIO['factsFor'] } = {}): Promise<{ doc: Doc; codes: string[]; check(id: string): Doc['checks'][number] | undefined; stdout: string }> {
  const out = await runCli(['--format', 'json', '--offline', '--only', 'network,tls', ...argv], { env: opts.env ?? {}, now: () => opts.now ?? new Date(), system: fakeSystem({ homeDir: dir }), ...(opts.factsFor ? { factsFor: opts.factsFor } : {}) });
  const doc = JSON.parse(out.stdout) as Doc;
  const mine = doc.checks.filter((c) => c.category === 'network' || c.category === 'tls');
  return {
    doc,
    codes: mine.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code)),
    check: (id) => doc.checks.find((c) => c.id === id),
    stdout: out.stdout,
  };
}

const finding = (d: Awaited<ReturnType<typeof doctor>>, code: string): Finding => {
  const f = d.doc.checks.flatMap((c) => c.findings).find((x) => x.code === code);
  if (!f) throw new Error(`no ${code} in ${JSON.stringify(d.codes)}`);
  return f;
};

const hasSystemStoreApi = typeof (tls as unknown as { getCACertificates?: unknown }).getCACertificates === 'function';

describe('a healthy TLS listener', () => {
  it('resolves, reaches and verifies, with one line per trust source and the source node-oracledb consults', async () => {
    const l = await listen();
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile]);
    expect(d.codes).toEqual([]);
    expect(['connect.target', 'net.reach', 'tls.chain'].map((id) => d.check(id)?.status)).toEqual(['pass', 'pass', 'pass']);
    const v = finding(d, 'tls.chain-verified');
    expect(v.title).toBe(`localhost:${l.port}: chain verified by --ca-file ${rootFile} (1)`);
    expect(v.evidence["trust: Node's bundled roots (144)"] ?? Object.entries(v.evidence).find(([k]) => k.startsWith("trust: Node's bundled"))?.[1]).toMatch(/^fails: no root for dbiam-doctor Simulated Root CA/);
    // The OS store is a trust source of its own where Node can read it (22.15+, 23.10+).
    const osStore = Object.entries(v.evidence).find(([k]) => k.startsWith('trust: OS store'));
    if (hasSystemStoreApi) expect(osStore?.[0]).toMatch(/^trust: OS store \(\d+\)$/), expect(osStore?.[1]).toMatch(/^fails: no root for dbiam-doctor Simulated Root CA/);
    else expect(osStore?.[1]).toMatch(/not available: .*needs Node 22.15\+ or 23.10\+/);
    expect(v.evidence[`trust: --ca-file ${rootFile} (1)`]).toBe(`verified: ${ADB_HOST} ← dbiam-doctor Simulated Intermediate CA ← dbiam-doctor Simulated Root CA [from this source]`);
    expect(v.evidence['node-oracledb consults']).toMatch(/^Node's bundled roots; it does not read --ca-file/);
    expect(v.evidence['chain sent (in order sent)']).toMatch(/^1\. CN=adb\.us-ashburn-1\.oraclecloud\.com,O=Oracle Corporation.*; 2\. CN=dbiam-doctor Simulated Intermediate CA/);
    expect(v.evidence['identity rule']).toBe(`host name vs SAN/CN: localhost covered by ${ADB_HOST}, localhost, 127.0.0.1`);
    expect(v.fix.text).toMatch(/walletContent .* NJS-505 .*NODE_EXTRA_CA_CERTS=.*ssl_context=ssl\.create_default_context\(cafile=/);
    expect(d.stdout).not.toContain('PRIVATE KEY');
  });

  it('hands node-oracledb settings that get through TLS: the listener answers for the service (NJS-511 ORA-12520, not NJS-506)', async () => {
    const l = await listen();
    const deps = { ...testDeps({ argv: ['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile] }), now: () => new Date() };
    const secrets: string[] = [];
    deps.secrets = { add: (v, label) => void secrets.push(`${label}:${v?.length}`) };
    const data = new Map<string, unknown>();
    for (const check of [connectTargetCheck, reachCheck, tlsChainCheck]) {
      const out = await check.run({ deps, dataOf: <T>(key: DataKey<T>) => data.get(key.checkId) as T | undefined, codesSoFar: () => [], resultOf: () => undefined }, new AbortController().signal);
      data.set(check.id, out.data);
    }
    const settings = data.get('tls.chain') as TlsSettings;
    expect(settings).toMatchObject({ sslServerDNMatch: true, trustedBy: `ca-file:${rootFile}` });
    // No database connection has asked yet: no throw-away key was made.
    expect(secrets).toEqual([]);
    const walletContent = await walletContentOf(settings, deps.secrets, () => deps.facts.newKeyPair());
    // Asked twice (db.config, then db.identity), it is the same wallet.
    expect(await walletContentOf(settings, deps.secrets, () => deps.facts.newKeyPair())).toBe(walletContent);
    // The throw-away key first, then its certificate and the CA (a CA-only wallet fails NJS-505).
    const labels = splitPemBlocks(walletContent ?? '').map((b) => b.label);
    expect(walletContent?.startsWith('-----BEGIN ')).toBe(true);
    expect(labels[0]).toBe('RSA PRIVATE KEY');
    expect(labels.slice(1).filter((l) => l === 'CERTIFICATE').length).toBeGreaterThanOrEqual(2);
    expect(secrets).toEqual([`throw-away TLS wallet:${walletContent?.length}`]);
    const r = await attempt(l.descriptor(SERVICE), walletContent as string, { sslServerDNMatch: settings.sslServerDNMatch });
    expect(r.codes).toEqual(['NJS-511', `ORA-${KNOWN_SERVICE_ERR}`]);
  });
});

describe('chain faults, one listener each', () => {
  it('tls.untrusted-root: the CA file holds another root', async () => {
    const l = await listen({ faults: { untrustedRoot: true } });
    writeFileSync(join(dir, 'other.pem'), l.caPem);
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', join(dir, 'other.pem')]);
    expect(d.codes).toEqual(['tls.untrusted-root']);
    const f = finding(d, 'tls.untrusted-root');
    expect(f.title).toBe(`No trust source holds the root "dbiam-doctor Simulated Untrusted Root CA" that issued localhost:${l.port}'s chain`);
    expect(f.evidence[`trust: --ca-file ${join(dir, 'other.pem')} (1)`]).toBe('fails: no root for dbiam-doctor Simulated Untrusted Root CA here');
    // Showing the chain fixes nothing: it is a command to look with, and the fix is to trust the CA.
    expect(f.fix.inspect).toEqual([`openssl s_client -connect localhost:${l.port} -servername localhost -showcerts </dev/null`]);
    expect(f.fix.commands).toEqual(['export NODE_EXTRA_CA_CERTS=/path/to/ca.pem']);
  });

  it('tls.self-signed-in-chain: the server also sends that untrusted root', async () => {
    const l = await listen({ faults: { untrustedRoot: true }, sendRoot: true });
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile]);
    expect(d.codes).toEqual(['tls.self-signed-in-chain']);
    expect(finding(d, 'tls.self-signed-in-chain').title).toMatch(/sent a self-signed root \(dbiam-doctor Simulated Untrusted Root CA\)/);
  });

  it('tls.missing-intermediate: the server sends only its leaf', async () => {
    const l = await listen({ faults: { missingIntermediate: true } });
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile]);
    expect(d.codes).toEqual(['tls.missing-intermediate']);
    expect(finding(d, 'tls.missing-intermediate').title).toBe(`localhost:${l.port} sends only its own certificate: the intermediate "dbiam-doctor Simulated Intermediate CA" that issued it is missing`);
  });

  it('tls.chain-out-of-order (warn): root before intermediate; the root sent is noted', async () => {
    const port = await tlsServer(ca.leaf.keyPem, [ca.leaf.certPem, ca.root.certPem, ca.intermediate.certPem].join(''));
    const d = await doctor(['--dsn', `tcps://localhost:${port}/${SERVICE}`, '--ca-file', rootFile]);
    expect(d.codes).toEqual(['tls.chain-out-of-order']);
    const f = finding(d, 'tls.chain-out-of-order');
    expect(f.title).toBe(`localhost:${port} sends its chain out of order: ${ADB_HOST}, dbiam-doctor Simulated Root CA, dbiam-doctor Simulated Intermediate CA`);
    expect(f.evidence['root sent']).toMatch(/also sends its root/);
    expect(d.check('tls.chain')?.status).toBe('warn');
  });

  it('tls.cert-expired: the leaf expired yesterday', async () => {
    const l = await listen({ faults: { expiredLeaf: true } });
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile]);
    expect(d.codes).toEqual(['tls.cert-expired']);
    expect(finding(d, 'tls.cert-expired').title).toMatch(new RegExp(`^The server certificate ${ADB_HOST.replace(/\./g, '\\.')} expired (today|1 day\\(s\\) ago)`));
  });

  it('tls.cert-expiring and tls.cert-not-yet-valid follow the clock the doctor runs on', async () => {
    const l = await listen();
    const later = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile], { now: new Date(Date.now() + 350 * DAY) });
    expect(later.codes).toEqual(['tls.cert-expiring']);
    expect(later.check('tls.chain')?.status).toBe('warn');
    const earlier = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile], { now: new Date(Date.now() - 3 * DAY) });
    expect(earlier.codes).toEqual(['tls.cert-not-yet-valid', 'tls.cert-not-yet-valid', 'tls.cert-not-yet-valid']);
    expect(finding(earlier, 'tls.cert-not-yet-valid').evidence["this machine's clock"]).toBe(new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10) + finding(earlier, 'tls.cert-not-yet-valid').evidence["this machine's clock"]?.slice(10));
  });

  it('tls.weak-signature (SHA-1 chain) and tls.weak-key (1024-bit RSA)', async () => {
    const sha1 = await listen({ faults: { weakSignature: true }, ca: undefined });
    writeFileSync(join(dir, 'sha1-root.pem'), sha1.caPem);
    const d1 = await doctor(['--dsn', sha1.descriptor(SERVICE), '--ca-file', join(dir, 'sha1-root.pem')]);
    expect(d1.codes).toEqual(['tls.weak-signature', 'tls.weak-signature']);
    expect(finding(d1, 'tls.weak-signature').title).toBe(`The server certificate ${ADB_HOST} is signed with sha1WithRSAEncryption`);
    const small = await listen({ bits: 1024, ca: undefined });
    writeFileSync(join(dir, 'small-root.pem'), small.caPem);
    const d2 = await doctor(['--dsn', small.descriptor(SERVICE), '--ca-file', join(dir, 'small-root.pem')]);
    expect(d2.codes).toEqual(['tls.weak-key', 'tls.weak-key', 'tls.weak-key']);
  });
});

describe('identity: host name and DN, as node-oracledb matches them', () => {
  it('tls.hostname-mismatch: the certificate covers only the ADB host name (NJS-508)', async () => {
    const l = await listen({ faults: { wrongHost: true } });
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile]);
    expect(d.codes).toEqual(['tls.hostname-mismatch']);
    const f = finding(d, 'tls.hostname-mismatch');
    expect(f.title).toBe(`The server certificate does not cover localhost (it covers ${ADB_HOST}) — node-oracledb: NJS-508`);
    expect(f.fix.text).toContain(`(SSL_SERVER_CERT_DN="CN=${ADB_HOST},O=Oracle Corporation,L=Redwood City,ST=California,C=US")`);
    // With SSL_SERVER_DN_MATCH off, node-oracledb checks nothing.
    const off = await doctor(['--dsn', l.descriptor(SERVICE, { dnMatch: false }), '--ca-file', rootFile]);
    expect(off.codes).toEqual(['connect.dn-match-off']);
  });

  it('tls.dn-mismatch: a DN with the OU ADB certificates dropped in 2022 (NJS-507); the exact subject passes', async () => {
    const l = await listen();
    const withOu = `CN=${ADB_HOST},OU=${ADB_LEGACY_OU},O=Oracle Corporation,L=Redwood City,ST=California,C=US`;
    const d = await doctor(['--dsn', l.descriptor(SERVICE, { certDn: withOu }), '--ca-file', rootFile]);
    expect(d.codes).toEqual(['tls.dn-mismatch']);
    const f = finding(d, 'tls.dn-mismatch');
    expect(f.title).toBe(`SSL_SERVER_CERT_DN names OU=${ADB_LEGACY_OU}, but the server certificate has no OU (a DN copied from an older certificate?) — node-oracledb: NJS-507`);
    expect(f.evidence.differences).toBe(`OU: expected '${ADB_LEGACY_OU}', certificate has (absent)`);
    expect(f.fix.text).toContain(`(SSL_SERVER_CERT_DN="${l.leafSubject}")`);
    const exact = await doctor(['--dsn', l.descriptor(SERVICE, { certDn: l.leafSubject }), '--ca-file', rootFile]);
    expect(exact.codes).toEqual([]);
  });
});

describe('interception, mutual TLS, handshakes that do not finish', () => {
  it('tls.intercepted: a chain signed by an inspecting proxy, with the bypass advice', async () => {
    const proxy = makeChain({ rootCommonName: 'Zscaler Root CA', intermediateCommonName: 'Zscaler Intermediate Root CA' });
    const l = await listen({ ca: { root: proxy.root, intermediate: proxy.intermediate }, sendRoot: true });
    const d = await doctor(['--dsn', l.descriptor(SERVICE)]);
    expect(d.codes).toEqual(['tls.intercepted']);
    const f = finding(d, 'tls.intercepted');
    expect(f.title).toMatch(/looks intercepted: the chain names zscaler, a TLS-inspecting product/i);
    expect(f.fix.text).toMatch(/exempt localhost port \d+ from TLS inspection/);
  });

  it('tls.client-cert-required: a server that asks for a client certificate and ends the handshake without one, no wallet', async () => {
    const port = await tlsServer(ca.leaf.keyPem, ca.leaf.certPem + ca.intermediate.certPem, { requestCert: true, rejectUnauthorized: true, ca: ca.root.certPem, maxVersion: 'TLSv1.2' });
    const d = await doctor(['--dsn', `tcps://localhost:${port}/${SERVICE}`, '--ca-file', rootFile]);
    expect(d.codes).toEqual(['tls.client-cert-required']);
    const f = finding(d, 'tls.client-cert-required');
    expect(f.title).toMatch(/requires a client certificate \(mutual TLS\): the server sent a CertificateRequest during the handshake and hung up when none came; no wallet provides one/);
    expect(f.fix.commands[0]).toMatch(/^oci db autonomous-database generate-wallet/);
  });

  // ADB with mutual TLS required finishes the handshake without a client
  // certificate and refuses the CONNECT after it (ORA-12506); a port taking
  // both TLS and mTLS asks too and goes on. Neither is "required" from TLS alone.
  for (const fault of ['requireClientCert', 'optionalClientCert'] as const) {
    it(`a CertificateRequest the handshake goes on without (${fault}) is not taken for "client certificate required"`, async () => {
      const l = await listen({ faults: { [fault]: true } });
      const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile]);
      expect(d.codes).toEqual([]);
      const v = finding(d, 'tls.chain-verified');
      expect(v.evidence['client certificate']).toMatch(/^requested by the server.*; the handshake went on without one, so it may be optional \(a port taking TLS and mutual TLS\) or required: ADB decides after the handshake and refuses the connection with ORA-12506$/);
    });
  }

  it('a wallet in TNS_ADMIN with a client certificate satisfies mutual TLS and becomes the only trust source', async () => {
    const l = await listen({ faults: { requireClientCert: true } });
    const walletDir = join(dir, 'mtls-wallet');
    mkdirSync(walletDir, { recursive: true });
    writeFileSync(join(walletDir, 'ewallet.pem'), l.makeClientWallet());
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--tns-admin', walletDir, '--ca-file', join(dir, 'other.pem')]);
    expect(d.codes).toEqual([]);
    const v = finding(d, 'tls.chain-verified');
    expect(v.title).toMatch(/chain verified by wallet ewallet\.pem in .*mtls-wallet/);
    expect(v.evidence['node-oracledb consults']).toMatch(/^the wallet \(.*ewallet\.pem\) only: a wallet replaces Node's default roots/);
    expect(v.evidence['client certificate']).toMatch(/^requested by the server/);
  });

  it('tls.handshake-timeout: the port accepts TCP and never answers; bounded by the TLS limit', async () => {
    const l = await listen({ faults: { stallHandshake: true } });
    const saved = DEFAULT_TIMEOUTS.tlsMs;
    DEFAULT_TIMEOUTS.tlsMs = 400;
    try {
      const started = Date.now();
      const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', rootFile]);
      expect(d.codes).toEqual(['tls.handshake-timeout']);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      DEFAULT_TIMEOUTS.tlsMs = saved;
    }
  });

  it('tls.handshake-failed: the port speaks something else than TLS', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.end('+OK not a database\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }) });
    const port = (server.address() as net.AddressInfo).port;
    const d = await doctor(['--dsn', `tcps://localhost:${port}/${SERVICE}`]);
    expect(d.codes).toEqual(['tls.handshake-failed']);
    expect(finding(d, 'tls.handshake-failed').title).toBe(`localhost:${port} does not speak TLS on this port`);
  });

  it('a TLS 1.3-only server: asked again with Node defaults; the chain is still judged', async () => {
    const port = await tlsServer(ca.leaf.keyPem, ca.leaf.certPem + ca.intermediate.certPem, { minVersion: 'TLSv1.3' });
    const d = await doctor(['--dsn', `tcps://localhost:${port}/${SERVICE}`, '--ca-file', rootFile]);
    expect(d.codes).toEqual([]);
    const v = finding(d, 'tls.chain-verified');
    expect(v.evidence['chain sent (order not visible under TLS 1.3)']).toMatch(/^1\. CN=adb/);
    expect(v.evidence.handshake).toMatch(/^TLSv1\.3 /);
  });

  it('honours the abort signal: a stalled handshake ends at once', async () => {
    const l = await listen({ faults: { stallHandshake: true } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    const r = await capturePresentedChain('127.0.0.1', l.port, { signal: ac.signal });
    expect(r).toMatchObject({ ok: false, kind: 'aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('trust sources', () => {
  it('NODE_EXTRA_CA_CERTS is a source of its own and part of what node-oracledb consults', async () => {
    const l = await listen();
    const d = await doctor(['--dsn', l.descriptor(SERVICE)], { env: { NODE_EXTRA_CA_CERTS: rootFile } });
    expect(d.codes).toEqual([]);
    const v = finding(d, 'tls.chain-verified');
    expect(v.title).toBe(`localhost:${l.port}: chain verified by NODE_EXTRA_CA_CERTS ${rootFile} (1)`);
    expect(v.evidence['node-oracledb consults']).toBe("Node's bundled roots + NODE_EXTRA_CA_CERTS");
  });

  it('an unreadable --ca-file gets its own line and does not stop the others', async () => {
    const l = await listen();
    const d = await doctor(['--dsn', l.descriptor(SERVICE), '--ca-file', join(dir, 'nope.pem'), '--ca-file', rootFile]);
    expect(d.codes).toEqual([]);
    expect(finding(d, 'tls.chain-verified').evidence[`trust: --ca-file ${join(dir, 'nope.pem')}`]).toBe(`not available: cannot read ${join(dir, 'nope.pem')}: no such file`);
  });

  it.skipIf(!HAS_OPENSSL)('an EC chain verified by a certifi-style bundle with comment headers and EC roots (openssl-generated)', async () => {
    const ec = tempDir('dbiam-ec-');
    const ossl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: ec, stdio: 'ignore' });
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650', '-nodes', '-subj', '/CN=Test EC Root/O=dbiam-doctor tests');
    ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-nodes', '-subj', '/CN=localhost');
    writeFileSync(join(ec, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
    ossl('x509', '-req', '-in', 'leaf.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '90', '-extfile', 'ext.cnf');
    const header = (label: string): string => `\n# Issuer: CN=${label}\n# Subject: CN=${label}\n# Label: "${label}"\n# Serial: 42\n# SHA256 Fingerprint: 00:11\n`;
    const bundle = join(ec, 'cacert.pem');
    writeFileSync(bundle, tls.rootCertificates.map((p, i) => header(`root ${i}`) + p).join('\n') + header('Test EC Root') + readFileSync(join(ec, 'root.pem'), 'utf8'));
    const port = await tlsServer(readFileSync(join(ec, 'leaf.key'), 'utf8'), readFileSync(join(ec, 'leaf.pem'), 'utf8'));
    const d = await doctor(['--dsn', `tcps://localhost:${port}/${SERVICE}`, '--ca-file', bundle]);
    expect(d.codes).toEqual([]);
    const v = finding(d, 'tls.chain-verified');
    expect(v.title).toBe(`localhost:${port}: chain verified by --ca-file ${bundle} (${tls.rootCertificates.length + 1})`);
    expect(v.evidence['chain sent (in order sent)']).toMatch(/EC prime256v1, ecdsa-with-SHA256/);
  });
});

describe('network', () => {
  it('failover and IPv6: a dead first address, then two listeners (127.0.0.1 and ::1, each its own certificate) — reach and TLS report per address', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const dead = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const v4 = await listen();
    const v6 = await listen({ host: '::1' });
    const dsn = v6.descriptor(SERVICE, { host: '::1', before: [{ host: '127.0.0.1', port: dead }, { host: '127.0.0.1', port: v4.port }] });
    const d = await doctor(['--dsn', dsn, '--ca-file', rootFile]);
    expect(d.codes).toEqual([]);
    const reach = finding(d, 'net.reachable');
    expect(reach.title).toBe('2 of 3 address(es) accept TCP connections');
    expect(reach.evidence[`tcps://127.0.0.1:${dead}`]).toBe('127.0.0.1 refused');
    expect(reach.evidence[`tcps://[::1]:${v6.port}`]).toMatch(/^::1 connected in [\d.]+ ms$/);
    const tlsFinding = finding(d, 'tls.chain-verified');
    expect(tlsFinding.evidence.server).toBe(`127.0.0.1:${v4.port} (127.0.0.1)`);
    expect(tlsFinding.evidence[`TLS at [::1]:${v6.port} (::1)`]).toMatch(/^another server certificate: CN=adb\.us-ashburn-1\.oraclecloud\.com.* \(judged only at the first address\)$/);
    // The doctor handshook with both listeners.
    expect(v6.connections).toBeGreaterThanOrEqual(2);
  });

  it('net.tcp-refused: nothing listens on the port', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const d = await doctor(['--dsn', `tcps://127.0.0.1:${port}/${SERVICE}`]);
    expect(d.codes).toEqual(['net.tcp-refused']);
    // nc only tells whether the port answers: a look, not a fix.
    expect(finding(d, 'net.tcp-refused').fix.inspect).toEqual([`nc -vz 127.0.0.1 ${port}`]);
    expect(finding(d, 'net.tcp-refused').fix.commands).toEqual([]);
    expect(d.check('tls.chain')?.status).toBe('skip');
  });

  it('net.dns-failed: the name does not resolve', async () => {
    // The resolver answers as getaddrinfo does for an unknown name; no query leaves loopback.
    const unknownName: LookupAll = async (host) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: host });
    };
    const d = await doctor(['--dsn', `tcps://no-such-host.invalid:1522/${SERVICE}`], {
      factsFor: function unknownNames(config): DoctorFacts {
        const facts = testFacts(config);
        return { ...facts, network: { ...facts.network, resolve: (host, signal) => resolveHost(host, { signal, lookup: unknownName }) }, renew: () => unknownNames(config) };
      },
    });
    expect(d.codes).toEqual(['net.dns-failed']);
    expect(finding(d, 'net.dns-failed').fix.inspect).toContain('nslookup no-such-host.invalid');
    expect(finding(d, 'net.dns-failed').fix.commands).toEqual([]);
  });

  describe.skipIf(!PYTHON)('net.tcp-timeout', () => {
    let child: ChildProcess | undefined;
    afterAll(() => void child?.kill());
    it('a listener whose accept queue is full drops the SYN: the connect times out (bounded)', async () => {
      // Python holds a listening socket with a backlog of 0 and never accepts;
      // once its queue is full the kernel drops new SYNs.
      child = spawn(PYTHON as string, ['-c', "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(30)"], { stdio: ['ignore', 'pipe', 'ignore'] });
      const port = await new Promise<number>((resolve, reject) => {
        child?.stdout?.once('data', (b: Buffer) => resolve(Number(b.toString().trim())));
        setTimeout(() => reject(new Error('python did not start')), 5000);
      });
      // One connection the kernel completed fills a backlog-0 queue: wait for it, not for a while.
      const filler = net.connect(port, '127.0.0.1');
      filler.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the filler connection was not completed within 5 s')), 5000);
        filler.once('connect', () => (clearTimeout(t), resolve()));
      });
      const saved = DEFAULT_TIMEOUTS.tcpMs;
      DEFAULT_TIMEOUTS.tcpMs = 500;
      try {
        const d = await doctor(['--dsn', `tcps://127.0.0.1:${port}/${SERVICE}`]);
        expect(d.codes).toEqual(['net.tcp-timeout']);
        expect(finding(d, 'net.tcp-timeout').title).toBe(`No TCP answer from 127.0.0.1:${port} within 0.5 s`);
      } finally {
        DEFAULT_TIMEOUTS.tcpMs = saved;
        filler.destroy();
      }
    });
  });
});

describe('connect strings', () => {
  it('net.protocol-not-tcps: plain TCP cannot carry an IAM token; nothing after it runs', async () => {
    const d = await doctor(['--dsn', 'localhost:1521/ledger_high']);
    expect(d.codes).toEqual(['net.protocol-not-tcps']);
    expect(finding(d, 'net.protocol-not-tcps').fix.commands).toEqual(["dbiam-doctor --dsn 'tcps://localhost:1522/ledger_high'"]);
    expect(d.check('net.reach')?.status).toBe('skip');
  });

  it('connect.parse-error points at the line and column, with the text marked', async () => {
    const d = await doctor(['--dsn', '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=15x22))(CONNECT_DATA=(SERVICE_NAME=x)))']);
    expect(d.codes).toEqual(['connect.parse-error']);
    const f = finding(d, 'connect.parse-error');
    expect(f.title).toBe("Connect string error at --dsn: line 1, column 52: PORT must be a number from 1 to 65535, found '15x22'");
    expect(f.evidence.excerpt).toBe('(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=▸15x22))(CONNECT_DATA=(SERVICE_NAME=x)))');
  });

  it('aliases from --tns-admin, through IFILE, and connect.alias-not-found with a suggestion', async () => {
    const l = await listen();
    const tnsDir = join(dir, 'tns');
    mkdirSync(join(tnsDir, 'more'), { recursive: true });
    writeFileSync(join(tnsDir, 'tnsnames.ora'), `# main\nother = (DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=x)(PORT=1)))\nIFILE = more/ledger.ora\n`);
    writeFileSync(join(tnsDir, 'more', 'ledger.ora'), `ledger_high =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCPS)(HOST = localhost)(PORT = ${l.port}))\n    (CONNECT_DATA = (SERVICE_NAME = ${SERVICE}))\n  )\n`);
    const d = await doctor(['--dsn', 'ledger_high', '--tns-admin', tnsDir, '--ca-file', rootFile]);
    expect(d.codes).toEqual([]);
    expect(finding(d, 'connect.resolved').evidence.source).toBe(`alias ledger_high in ${join(tnsDir, 'more', 'ledger.ora')}:1`);
    expect(d.check('tls.chain')?.status).toBe('pass');
    const miss = await doctor(['--dsn', 'ledger_hgih', '--tns-admin', tnsDir]);
    expect(miss.codes).toEqual(['connect.alias-not-found']);
    const f = finding(miss, 'connect.alias-not-found');
    expect(f.title).toBe(`Alias ledger_hgih is not defined in ${join(tnsDir, 'tnsnames.ora')}, ${join(tnsDir, 'more', 'ledger.ora')} (did you mean ledger_high?)`);
    expect(f.evidence['aliases defined']).toBe('other, ledger_high');
  });

  it('no --dsn: the network and TLS checks skip with the reason', async () => {
    const d = await doctor([]);
    expect(d.codes).toEqual([]);
    expect(d.check('connect.target')?.summary).toMatch(/^no target: pass --dsn/);
    expect(d.check('net.reach')?.status).toBe('skip');
  });
});
