// The simulated listener against a real node-oracledb thin client: each TLS
// fault and each refusal must produce the error users actually paste.
// Keys are generated at run time: 1024-bit where the runtime accepts them
// (Node 20 and 22; ~20x faster to make than 2048-bit ones), 2048-bit on Node 24,
// whose OpenSSL (security level 2) refuses a 1024-bit server key.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import net from 'node:net';
import forge from 'node-forge';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { startListener, type ListenerOptions, type SimListener } from '../../src/sim/listener/index.js';
import { ConnectReader, refusePacket, parseConnectData } from '../../src/sim/listener/tns.js';
import {
  ADB_HOST,
  makeChain,
  makeSelfSignedClient,
  oneWayTlsWallet,
  type Chain,
} from '../../src/sim/pki.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attempt, attemptWithoutWallet } from './oracle-client.js';
import { tempDir } from '../helpers/deps.js';
import { capturePresentedChain } from '../../src/adapters/net-probe.js';
import { SERVER_KEY_BITS } from '../helpers/certs.js';

const BITS = SERVER_KEY_BITS;
const SERVICE = 'mydb_high';
const OU_DN = `CN=${ADB_HOST},OU=Oracle BMCS US,O=Oracle Corporation,L=Redwood City,ST=California,C=US`;
const PLAIN_DN = `CN=${ADB_HOST},O=Oracle Corporation,L=Redwood City,ST=California,C=US`;

let ca: Chain; // root + intermediate shared by the listeners (and the leaf of the pki tests)
let wallet: string; // one-way wallet trusting ca.root

beforeAll(() => {
  ca = makeChain({ bits: BITS });
  wallet = oneWayTlsWallet(ca.root.certPem, { bits: BITS });
});

const open: SimListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function listen(opts: Partial<ListenerOptions> = {}): Promise<SimListener> {
  const l = await startListener({ services: [SERVICE], bits: BITS, ca: { root: ca.root, intermediate: ca.intermediate }, ...opts });
  open.push(l);
  return l;
}

describe('pki', () => {
  it('makes an ADB-like chain that verifies and covers localhost', () => {
    const root = new X509Certificate(ca.root.certPem);
    const inter = new X509Certificate(ca.intermediate.certPem);
    const leaf = new X509Certificate(ca.leaf.certPem);
    expect(root.ca).toBe(true);
    expect(inter.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(inter.checkIssued(root) && inter.verify(root.publicKey)).toBe(true);
    expect(leaf.checkIssued(inter) && leaf.verify(inter.publicKey)).toBe(true);
    expect(ca.leaf.subject).toBe(PLAIN_DN);
    expect(leaf.subject).not.toContain('OU=');
    expect(leaf.checkHost(ADB_HOST)).toBe(ADB_HOST);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.validTo).toMatch(/GMT$/);
    expect(createPublicKey(ca.leaf.keyPem).asymmetricKeyDetails?.modulusLength).toBe(BITS);
  });

  it('honours OU, SAN, validity and weak-signature options', () => {
    const past = new Date(Date.now() - 30 * 86_400_000);
    const yesterday = new Date(Date.now() - 86_400_000);
    const c = makeChain({
      bits: BITS,
      ca: { root: ca.root, intermediate: ca.intermediate },
      leafSubject: { OU: 'Oracle BMCS US' },
      sanDns: ['db.example.com'],
      sanIps: [],
      leafNotBefore: past,
      leafNotAfter: yesterday,
    });
    const leaf = new X509Certificate(c.leaf.certPem);
    expect(c.root).toBe(ca.root);
    expect(c.leaf.subject).toBe(OU_DN);
    expect(leaf.subject).toContain('OU=Oracle BMCS US');
    expect(leaf.checkHost('localhost')).toBeUndefined();
    expect(leaf.checkHost('db.example.com')).toBe('db.example.com');
    expect(new Date(leaf.validTo).getTime()).toBeLessThan(Date.now());
    expect(leaf.verify(new X509Certificate(ca.intermediate.certPem).publicKey)).toBe(true);

    const weak = makeChain({ bits: BITS, ca: { root: ca.root, intermediate: ca.intermediate }, weakSignature: true });
    expect(forge.pki.certificateFromPem(weak.leaf.certPem).signatureOid).toBe(forge.pki.oids['sha1WithRSAEncryption']);
    expect(forge.pki.certificateFromPem(ca.leaf.certPem).signatureOid).toBe(forge.pki.oids['sha256WithRSAEncryption']);
  });

  it('oneWayTlsWallet is key, its self-signed certificate, then the CA', () => {
    const blocks = [...wallet.matchAll(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g)];
    expect(blocks.map((b) => b[1])).toEqual(['RSA PRIVATE KEY', 'CERTIFICATE', 'CERTIFICATE']);
    const own = new X509Certificate(blocks[1]?.[0] ?? '');
    expect(own.checkPrivateKey(createPrivateKey(blocks[0]?.[0] ?? ''))).toBe(true);
    expect(own.issuer).toBe(own.subject);
    expect(own.verify(own.publicKey)).toBe(true);
    expect(blocks[2]?.[0]).toBe(ca.root.certPem.trim());
    const client = makeSelfSignedClient({ bits: BITS, issuer: ca.intermediate });
    expect(new X509Certificate(client.certPem).checkIssued(new X509Certificate(ca.intermediate.certPem))).toBe(true);
  });
});

describe('TNS packets', () => {
  it('lays out a REFUSE as node-oracledb thin parses it', () => {
    const p = refusePacket(12514);
    const data = '(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=12514)(ERROR_STACK=(ERROR=(CODE=12514)(EMFI=4))))';
    expect(p.readUInt16BE(0)).toBe(p.length); // 2-byte length: no large SDU before ACCEPT
    expect(p.readUInt16BE(2)).toBe(0); // packet checksum
    expect(p[4]).toBe(4); // NSPTRF
    expect(p[5]).toBe(0); // flags
    expect(p.readUInt16BE(6)).toBe(0); // header checksum
    expect(p.readUInt16BE(10)).toBe(data.length); // NSPRFLEN
    expect(p.subarray(12).toString('ascii')).toBe(data); // NSPRFDAT … end of packet
  });

  function connectPacket(cd: string, inline: boolean): Buffer[] {
    const data = Buffer.from(cd, 'ascii');
    const head = Buffer.alloc(74 + (inline ? data.length : 0));
    head.writeUInt16BE(head.length, 0);
    head[4] = 1;
    head.writeUInt16BE(319, 8);
    head.writeUInt16BE(data.length, 24);
    head.writeUInt16BE(74, 26);
    if (inline) {
      data.copy(head, 74);
      return [head];
    }
    const dp = Buffer.alloc(10 + data.length);
    dp.writeUInt16BE(dp.length, 0);
    dp[4] = 6;
    data.copy(dp, 10);
    return [head, dp];
  }

  it('reads the service name from a CONNECT, inline or overflowing into DATA, in any chunking', () => {
    const cd = '(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=x)(PORT=1))(CONNECT_DATA=(service_name = Sales.Example )(CID=(PROGRAM=node))))';
    const inline = new ConnectReader().push(Buffer.concat(connectPacket(cd, true)));
    expect(inline?.serviceName).toBe('Sales.Example');
    const long = cd.replace('(CID=', `(CONNECTION_ID=${'A'.repeat(200)})(CID=`);
    const bytes = Buffer.concat(connectPacket(long, false));
    const r = new ConnectReader();
    let got;
    for (let i = 0; i < bytes.length; i += 7) got = r.push(bytes.subarray(i, i + 7)) ?? got;
    expect(got?.connectData).toBe(long);
    expect(got?.serviceName).toBe('Sales.Example');
    expect(parseConnectData('(DESCRIPTION=(CONNECT_DATA=(SID=ORCL)))')).toEqual({
      connectData: '(DESCRIPTION=(CONNECT_DATA=(SID=ORCL)))',
      sid: 'ORCL',
    });
    expect(() => new ConnectReader().push(refusePacket(1))).toThrow(/CONNECT/);
  });
});

describe('listener with a real node-oracledb thin client', () => {
  it('trusted chain, unknown service → NJS-518 (listener sent ERR=12514)', async () => {
    const l = await listen();
    const a = await attempt(l.descriptor('nope_high'), wallet);
    expect(a.firstLine).toMatch(/^NJS-518: cannot connect to Oracle Database\. Service "nope_high" is not registered with the listener at host 127\.0\.0\.1 port \d+/);
    expect(l.connections).toBe(1);
    expect(l.requests).toMatchObject([{ remoteAddress: '127.0.0.1', outcome: 'refused-unknown-service', err: 12514, connect: { serviceName: 'nope_high' } }]);
    expect(l.requests[0]?.connect?.connectData).toMatch(/^\(DESCRIPTION=.*\(CONNECTION_ID=/);
  });

  it('known service from an allowed client → NJS-511 Cause: ORA-12520 (auth is not emulated)', async () => {
    const l = await listen({ acl: ['127.0.0.1'] });
    const a = await attempt(l.descriptor(SERVICE.toUpperCase()), wallet);
    expect(a.firstLine).toMatch(/^NJS-511: connection to listener at host 127\.0\.0\.1 port \d+ was refused\./);
    expect(a.message).toMatch(/\nCause: ORA-12520$/);
    expect(l.requests[0]?.outcome).toBe('refused-known-service');
  });

  it('client not in the ACL → NJS-511 Cause: ORA-12506, before the service is looked at', async () => {
    const l = await listen({ acl: ['10.0.0.7'] });
    const a = await attempt(l.descriptor('nope_high'), wallet);
    expect(a.firstLine).toMatch(/^NJS-511: connection to listener at host 127\.0\.0\.1 port \d+ was refused\./);
    expect(a.message).toMatch(/\nCause: ORA-12506$/);
    expect(l.requests[0]?.outcome).toBe('refused-acl');
  });

  it('untrusted root → NJS-506 unable to get local issuer certificate', async () => {
    const l = await listen({ faults: { untrustedRoot: true } });
    expect(l.caPem).toBe(ca.root.certPem); // what the caller trusts did not sign the chain
    const a = await attempt(l.descriptor(SERVICE), wallet);
    expect(a.firstLine).toMatch(/^NJS-506: connection to host 127\.0\.0\.1 port \d+ encountered TLS handshake failure\./);
    expect(a.message.split('\n')[1]).toBe('unable to get local issuer certificate');
    await until(() => l.requests.length > 0);
    // Node checks the chain after the handshake and just hangs up: no alert.
    expect(l.requests[0]).toMatchObject({ remoteAddress: '127.0.0.1', outcome: 'tls-error', detail: 'client closed the connection during the TLS handshake' });
  });

  it('untrusted root sent in the chain (TLS interception) → NJS-506 self-signed certificate in certificate chain', async () => {
    const l = await listen({ faults: { untrustedRoot: true }, sendRoot: true });
    const a = await attempt(l.descriptor(SERVICE), wallet);
    expect(a.codes).toEqual(['NJS-506']);
    expect(a.message.split('\n')[1]).toBe('self-signed certificate in certificate chain');
  });

  it('wrong host → NJS-506 wrapping NJS-508', async () => {
    const l = await listen({ faults: { wrongHost: true } });
    const a = await attempt(l.descriptor(SERVICE), wallet);
    expect(a.codes).toEqual(['NJS-506', 'NJS-508']);
    // sic: two spaces (the driver appends " " + origin host, empty here)
    expect(a.message.split('\n')[1]).toBe('NJS-508: TLS detected an invalid certificate. localhost  not present in certificate');
    const byIp = await attempt(l.descriptor(SERVICE, { host: '127.0.0.1' }), wallet);
    expect(byIp.message.split('\n')[1]).toBe('NJS-508: TLS detected an invalid certificate. 127.0.0.1  not present in certificate');
  });

  it('ssl_server_cert_dn with OU= against an OU-less certificate → NJS-506 wrapping NJS-507; the exact DN passes', async () => {
    const l = await listen();
    const a = await attempt(l.descriptor(SERVICE, { certDn: OU_DN }), wallet);
    expect(a.codes).toEqual(['NJS-506', 'NJS-507']);
    expect(a.message.split('\n')[1]).toBe('NJS-507: TLS detected an invalid certificate. Server DN in certificate does not match the specified DN');
    const ok = await attempt(l.descriptor(SERVICE, { certDn: l.leafSubject }), wallet);
    expect(ok.codes).toEqual(['NJS-511', 'ORA-12520']);
  });

  it('certificate with OU= against a DN without it → NJS-507 too; with it → passes', async () => {
    const l = await listen({ faults: { dnWithOu: true } });
    expect(l.leafSubject).toBe(OU_DN);
    expect((await attempt(l.descriptor(SERVICE, { certDn: PLAIN_DN }), wallet)).codes).toEqual(['NJS-506', 'NJS-507']);
    expect((await attempt(l.descriptor(SERVICE, { certDn: OU_DN }), wallet)).codes).toEqual(['NJS-511', 'ORA-12520']);
    // Host-name matching ignores the OU entirely.
    expect((await attempt(l.descriptor(SERVICE), wallet)).codes).toEqual(['NJS-511', 'ORA-12520']);
  });

  it('expired leaf → NJS-506 certificate has expired', async () => {
    const l = await listen({ faults: { expiredLeaf: true } });
    const a = await attempt(l.descriptor(SERVICE), wallet);
    expect(a.codes).toEqual(['NJS-506']);
    expect(a.message.split('\n')[1]).toBe('certificate has expired');
  });

  it('missing intermediate (client trusts only the root) → NJS-506 unable to verify the first certificate', async () => {
    const l = await listen({ faults: { missingIntermediate: true } });
    expect(l.chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    const a = await attempt(l.descriptor(SERVICE), wallet);
    expect(a.codes).toEqual(['NJS-506']);
    // Node 24 appends "; if the root CA is installed locally, try running Node.js with --use-system-ca".
    expect(a.message.split('\n')[1]).toMatch(/^unable to verify the first certificate(; if the root CA is installed locally, try running Node\.js with --use-system-ca)?$/);
  });

  it('SHA-1 signed chain → NJS-506 CA signature digest algorithm too weak', async () => {
    const l = await listen({ faults: { weakSignature: true }, ca: undefined });
    const a = await attempt(l.descriptor(SERVICE), oneWayTlsWallet(l.caPem, { bits: BITS }));
    expect(a.codes).toEqual(['NJS-506']);
    expect(a.message.split('\n')[1]).toBe('CA signature digest algorithm too weak');
  });

  it('a wallet holding only the CA → NJS-505 before any byte is sent', async () => {
    const l = await listen();
    const a = await attempt(l.descriptor(SERVICE), ca.root.certPem);
    expect(a.codes).toEqual(['NJS-505']);
    expect(a.message.split('\n')[1]).toBe('error:1E08010C:DECODER routines::unsupported');
  });

  it('mTLS and no client certificate at all → the handshake completes, then NJS-511 "Cause: ORA-12506", as ADB answers', async () => {
    const l = await listen({ faults: { requireClientCert: true } });
    const a = await attemptWithoutWallet(l.descriptor(SERVICE), caFile());
    expect(a.codes).toEqual(['NJS-511', 'ORA-12506']);
    expect(a.firstLine).toMatch(/^NJS-511: connection to listener at host 127\.0\.0\.1 port \d+ was refused\./);
    expect(l.requests).toMatchObject([{ outcome: 'client-cert-rejected', detail: 'no client certificate', err: 12506, connect: { serviceName: SERVICE } }]);
  });

  it('a port taking TLS and mTLS asks for a client certificate and goes on without one, or with any', async () => {
    const l = await listen({ faults: { optionalClientCert: true } });
    const probe = await capturePresentedChain('127.0.0.1', l.port);
    expect(probe).toMatchObject({ ok: true, chain: { clientCertRequested: true, closedAfterHandshake: false } });
    const none = await attemptWithoutWallet(l.descriptor(SERVICE), caFile());
    expect(none.codes).toEqual(['NJS-511', 'ORA-12520']);
    const selfSigned = await attempt(l.descriptor(SERVICE), wallet);
    expect(selfSigned.codes).toEqual(['NJS-511', 'ORA-12520']);
    expect(l.requests.map((r) => r.outcome)).toEqual(['refused-known-service', 'refused-known-service']);
  });

  it('mTLS without a client certificate the listener trusts → NJS-500 + NJS-521 end-of-file', async () => {
    const l = await listen({ faults: { requireClientCert: true } });
    expect(l.clientCaPem).toMatch(/BEGIN CERTIFICATE/);
    const a = await attempt(l.descriptor(SERVICE), wallet);
    expect(a.firstLine).toBe('NJS-500: connection to Oracle Database was closed or broken');
    expect(a.message.split('\n')[1]).toMatch(/^NJS-521: connection to host 127\.0\.0\.1 port \d+ received end-of-file on communication channel\./);
    expect(l.requests[0]).toMatchObject({ outcome: 'client-cert-rejected', detail: expect.stringMatching(/not issued by the listener's client CA \(self-signed\)$/) });
  });

  it('mTLS with the listener-issued client wallet → past TLS to the REFUSE', async () => {
    const l = await listen({ faults: { requireClientCert: true } });
    const a = await attempt(l.descriptor(SERVICE), l.makeClientWallet());
    expect(a.codes).toEqual(['NJS-511', 'ORA-12520']);
    const b = await attempt(l.descriptor('other_low'), l.makeClientWallet());
    expect(b.codes).toEqual(['NJS-518']);
  });

  it('stalled handshake → NJS-510 transportConnectTimeout, in bounded time', async () => {
    const l = await listen({ faults: { stallHandshake: true } });
    const a = await attempt(l.descriptor(SERVICE, { connectTimeout: 1, transportConnectTimeout: 1 }), wallet);
    expect(a.firstLine).toMatch(/^NJS-510: connection to host 127\.0\.0\.1 port \d+ timed out\. Request exceeded "transportConnectTimeout" of 1 seconds\./);
    expect(a.ms).toBeGreaterThanOrEqual(900);
    expect(a.ms).toBeLessThan(4000);
    expect(l.requests).toMatchObject([{ outcome: 'stalled-handshake' }]);
  });

  it('stall after TLS (CONNECT never answered) → NJS-510 connectTimeout', async () => {
    const l = await listen({ faults: { stallAfterAccept: true } });
    const a = await attempt(l.descriptor(SERVICE, { connectTimeout: 1, transportConnectTimeout: 1 }), wallet);
    expect(a.firstLine).toMatch(/^NJS-510: .* Request exceeded "connectTimeout" of 1 seconds\./);
    expect(a.ms).toBeLessThan(4000);
    expect(l.requests).toMatchObject([{ outcome: 'stalled-after-accept', connect: { serviceName: SERVICE } }]);
  });

  it('close() destroys open sockets: a client stuck in the handshake fails at once', async () => {
    const l = await listen({ faults: { stallHandshake: true } });
    const pending = attempt(l.descriptor(SERVICE), wallet); // 5 s timeouts
    await until(() => l.connections === 1);
    const t = Date.now();
    await l.close();
    const a = await pending;
    expect(Date.now() - t).toBeLessThan(2000);
    expect(a.codes[0]).toBe('NJS-506');
    // Which of the two the client sees depends on how far its hello got before the close.
    expect(a.message.split('\n')[1]).toMatch(/socket disconnected before secure TLS connection was established|read ECONNRESET/);
    // Nothing listens any more.
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(l.port, '127.0.0.1');
      s.on('connect', () => resolve('connected'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('listener behaviour as ADB', () => {
  it('access lists take CIDR blocks; a VCN OCID never admits a client from outside the VCN', async () => {
    const block = await listen({ acl: ['198.51.100.0/24', '127.0.0.0/8'] });
    expect((await attempt(block.descriptor(SERVICE), wallet)).codes).toEqual(['NJS-511', 'ORA-12520']);
    const vcn = await listen({ acl: ['ocid1.vcn.oc1.iad.amaaaaaasimulatedvcn', '10.0.0.0/16'] });
    expect((await attempt(vcn.descriptor(SERVICE), wallet)).codes).toEqual(['NJS-511', 'ORA-12506']);
    expect(vcn.requests).toMatchObject([{ outcome: 'refused-acl', err: 12506 }]);
  });

  it('binds IPv6 ::1: the driver connects to HOST=::1 and the access list matches the IPv6 client', async () => {
    const l = await listen({ host: '::1', acl: ['::1/128'] });
    expect(l.host).toBe('::1');
    const a = await attempt(l.descriptor(SERVICE, { host: '::1' }), wallet);
    expect(a.codes).toEqual(['NJS-511', 'ORA-12520']);
    expect(l.requests).toMatchObject([{ remoteAddress: '::1', outcome: 'refused-known-service' }]);
  });

  it('SCAN-style REDIRECT: the driver follows it to a second listener with its own certificate', async () => {
    const node = await listen();
    const scan = await listen({ redirect: { host: 'localhost', port: node.port } });
    expect(node.chainPem).not.toBe(scan.chainPem);
    const a = await attempt(scan.descriptor(SERVICE), wallet);
    expect(a.codes).toEqual(['NJS-511', 'ORA-12520']);
    expect(a.firstLine).toContain(`port ${node.port} was refused`);
    expect(scan.requests).toMatchObject([{ outcome: 'redirected', detail: `localhost:${node.port}`, connect: { serviceName: SERVICE } }]);
    expect(node.requests).toMatchObject([{ outcome: 'refused-known-service', connect: { serviceName: SERVICE } }]);
  });

  it('RESEND: the driver sends its CONNECT again on the same connection and gets the answer to it', async () => {
    const l = await listen({ resend: true });
    const a = await attempt(l.descriptor(SERVICE), wallet);
    expect(a.codes).toEqual(['NJS-511', 'ORA-12520']);
    expect(l.connections).toBe(1);
    expect(l.requests).toMatchObject([{ outcome: 'refused-known-service', resent: true, connect: { serviceName: SERVICE } }]);
  });

  it('failover: with the first address dead the driver goes on to the next one', async () => {
    const dead = await freePort();
    const l = await listen();
    const descriptor = l.descriptor(SERVICE, { before: [{ host: '127.0.0.1', port: dead }] });
    expect(descriptor).toContain(`(ADDRESS_LIST=(FAILOVER=ON)(LOAD_BALANCE=OFF)(ADDRESS=(PROTOCOL=TCPS)(HOST=127.0.0.1)(PORT=${dead}))(ADDRESS=(PROTOCOL=TCPS)(HOST=localhost)(PORT=${l.port})))`);
    const a = await attempt(descriptor, wallet);
    expect(a.codes).toEqual(['NJS-511', 'ORA-12520']);
    expect(l.requests).toHaveLength(1);
  });

  it("descriptors carry ADB's (retry_count=20)(retry_delay=3); the driver tries 1 + retry_count times, retry_delay apart, even after a REFUSE", async () => {
    const l = await listen({ acl: ['203.0.113.7'] });
    expect(l.descriptor(SERVICE)).toContain('(RETRY_COUNT=20)(RETRY_DELAY=3)');
    const a = await attempt(l.descriptor(SERVICE, { retry: { count: 2, delaySeconds: 1 } }), wallet, {}, { keepRetries: true });
    expect(a.codes).toEqual(['NJS-511', 'ORA-12506']);
    expect(l.requests.map((r) => r.outcome)).toEqual(['refused-acl', 'refused-acl', 'refused-acl']);
    expect(a.ms).toBeGreaterThanOrEqual(1900);
    const once = await attempt(l.descriptor(SERVICE), wallet);
    expect(once.codes).toEqual(['NJS-511', 'ORA-12506']);
    expect(l.requests).toHaveLength(4);
  });
});

/** A port nothing listens on (bound, then closed). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let caPath: string | undefined;
/** The shared root as a file (for NODE_EXTRA_CA_CERTS). */
function caFile(): string {
  caPath ??= join(tempDir('dbiam-listener-'), 'root.pem');
  writeFileSync(caPath, ca.root.certPem);
  return caPath;
}

