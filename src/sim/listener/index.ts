// A simulated Oracle listener on loopback: TLS with a generated chain (each TLS
// fault switchable), then just enough Oracle Net to refuse the connection the
// way a real listener does, so a real node-oracledb thin client raises real
// NJS-5xx errors. Given a `database` (src/sim/oracle-net/), a known service
// from an allowed client is ACCEPTed instead and served by the database
// stand-in: token and password logons, the doctor's statements, logoff.
//
// What node-oracledb 26 thin (Node 20) reports against it:
//   unknown service                  → NJS-518 (listener sends ERR=12514)
//   client IP not in `acl`           → NJS-511 "Cause: ORA-12506" (entries: IPs, CIDRs, VCN OCIDs)
//   `redirect` for a known service   → REDIRECT to that listener; the driver follows it
//   `resend`                         → RESEND first; the driver sends its CONNECT again
//   known service, allowed client    → NJS-511 "Cause: ORA-12520" (see KNOWN_SERVICE_ERR);
//                                      with `database`: ACCEPT, then the stand-in's answers
//   faults.expiredLeaf               → NJS-506 … certificate has expired
//   faults.untrustedRoot             → NJS-506 … unable to get local issuer certificate
//     + sendRoot                     → NJS-506 … self-signed certificate in certificate chain
//   faults.missingIntermediate       → NJS-506 … unable to verify the first certificate
//   faults.wrongHost                 → NJS-506 … NJS-508: … localhost  not present in certificate
//   faults.dnWithOu / ssl_server_cert_dn that disagrees with the subject → NJS-506 … NJS-507
//   faults.requireClientCert, no client certificate at all
//                                    → NJS-511 "Cause: ORA-12506": as ADB, the handshake completes
//                                      and the CONNECT is refused with ERR=12506
//   faults.requireClientCert, wallet whose certificate does not chain to clientCaPem
//                                    → NJS-500 … NJS-521 end-of-file (TLS 1.3: the client's side
//                                      of the handshake is done before the server judges its
//                                      certificate; the listener then hangs up — the simulator's
//                                      choice, what ADB does here is not documented)
//   faults.optionalClientCert        → a CertificateRequest that nothing depends on (a port that
//                                      takes TLS and mTLS): any client certificate, or none, goes on
//   faults.weakSignature             → NJS-506 … CA signature digest algorithm too weak
//   faults.stallHandshake / stallAfterAccept → NJS-510 (connect or transport connect timeout)
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { makeCa, makeChain, makeSelfSignedClient, walletPem, ADB_HOST, ADB_LEGACY_OU, type CertAndKey, type Chain } from '../pki.js';
import { ConnectReader, redirectPacket, refusePacket, resendPacket, type ConnectRequest } from './tns.js';
import { aclAdmits } from './acl.js';
import type { DatabaseBackend } from '../oracle-net/backend.js';
import { serveSession, type SessionLog } from '../oracle-net/session.js';

export { refusePacket, refuseData, redirectPacket, parseConnectData, ConnectReader } from './tns.js';
export { aclAdmits } from './acl.js';

/** ORA-12514: listener does not currently know of service requested. */
export const UNKNOWN_SERVICE_ERR = 12514;
/** ORA-12506: listener rejected connection based on service ACL filtering. */
export const ACL_REFUSED_ERR = 12506;
/**
 * What the simulator answers when the service is known and the client is
 * allowed, i.e. when a real listener would hand the connection to a database:
 * ORA-12520 "TNS:listener could not find available handler for requested type
 * of server" — literally true, there is no database behind it. node-oracledb
 * raises NJS-511 `connection to listener at host … was refused … Cause:
 * ORA-12520`. Reaching it proves TCP, TLS (chain, host name / DN match, client
 * certificate), the ACL and the service name all held.
 */
export const KNOWN_SERVICE_ERR = 12520;

export interface ListenerFaults {
  /** The leaf certificate expired yesterday. */
  expiredLeaf?: boolean;
  /** The server's chain comes from a root the caller is not given (`caPem` is another root). */
  untrustedRoot?: boolean;
  /** The server sends only its leaf, not the intermediate. */
  missingIntermediate?: boolean;
  /** The leaf's SAN and CN cover only the ADB host name: not localhost, not 127.0.0.1. */
  wrongHost?: boolean;
  /** The leaf subject carries `OU=Oracle BMCS US`, as ADB certificates did before 2022. */
  dnWithOu?: boolean;
  /** mTLS, as on ADB port 1522: client certificates must chain to `clientCaPem`. */
  requireClientCert?: boolean;
  /** A port taking both one-way TLS and mTLS: the server asks for a client certificate and goes on without one. */
  optionalClientCert?: boolean;
  /** Every certificate is signed with SHA-1. */
  weakSignature?: boolean;
  /** Accept TCP, never answer TLS. */
  stallHandshake?: boolean;
  /** Complete TLS, read the CONNECT, never answer it. */
  stallAfterAccept?: boolean;
}

export interface ListenerOptions {
  /** Service names the listener knows (compared case-insensitively). */
  services: string[];
  /**
   * The access list, entries as ADB takes them: IP addresses, CIDR blocks,
   * VCN OCIDs (never matched from loopback). When set and no entry admits
   * the client → ORA-12506.
   */
  acl?: string[];
  /**
   * SCAN-style: a known service from an allowed client is not served here but
   * REDIRECTed to this address (another listener, with its own certificate).
   */
  redirect?: { host: string; port: number };
  /** Answer each connection's first CONNECT with RESEND (type 11): the client must send it again. */
  resend?: boolean;
  faults?: ListenerFaults;
  /** Bind address (default 127.0.0.1; `::1` for IPv6 loopback, the leaf then covers it too) and port (default 0: a free one). */
  host?: string;
  port?: number;
  /** RSA key size for generated keys (default 2048; 1024 speeds up tests). */
  bits?: number;
  /** Use this CA pair (root + intermediate) instead of generating one. */
  ca?: { root: CertAndKey; intermediate: CertAndKey };
  /** Also send the root certificate in the chain (a TLS-interception proxy often does). */
  sendRoot?: boolean;
  /** Error for a known service from an allowed client (default KNOWN_SERVICE_ERR). */
  knownServiceErr?: number;
  /**
   * The database behind a known service. When set, an allowed client asking
   * for a known service is ACCEPTed and served by the Oracle Net/TTC stand-in
   * (`src/sim/oracle-net/`) instead of refused with `knownServiceErr`.
   */
  database?: DatabaseBackend;
  /** With `database`: close an accepted connection after this long without data from the client (default 30 s). */
  sessionIdleTimeoutMs?: number;
}

export type RequestOutcome =
  | 'stalled-handshake'
  | 'tls-error'
  | 'client-cert-rejected'
  | 'refused-acl'
  | 'refused-unknown-service'
  | 'refused-known-service'
  | 'redirected'
  | 'accepted'
  | 'stalled-after-accept'
  | 'bad-packet';

/** What the listener saw on one connection (for tests and the demo). */
export interface ListenerRequest {
  remoteAddress: string;
  outcome: RequestOutcome;
  /** The TLS error the server side saw, or the packet problem. */
  detail?: string;
  connect?: ConnectRequest;
  /** The ORA error number sent in the REFUSE. */
  err?: number;
  /** With `database`: what happened on the accepted connection (updated as it goes). */
  session?: SessionLog;
  /** With `resend`: the CONNECT came twice, the first answered with RESEND. */
  resent?: boolean;
}

export interface SimListener {
  /** The bound address (127.0.0.1, or ::1). Connect to `localhost`, which the leaf covers. */
  host: string;
  port: number;
  /** The root the caller should trust (with `untrustedRoot`, NOT the one that signed the chain). */
  caPem: string;
  /** What the server sends in its Certificate message. */
  chainPem: string;
  /** The leaf subject in `ssl_server_cert_dn` form. */
  leafSubject: string;
  /** With `requireClientCert`: the CA client certificates must chain to. */
  clientCaPem?: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  readonly requests: readonly ListenerRequest[];
  /**
   * A PEM wallet for node-oracledb `walletContent`: a client key, its
   * certificate signed by `clientCaPem`, and the root to trust. With
   * `requireClientCert` this gets through mTLS; without it, it is still a
   * valid one-way wallet.
   */
  makeClientWallet(): string;
  /** Connect descriptor for this listener (HOST=localhost, TCPS). */
  descriptor(service: string, opts?: DescriptorOptions): string;
  /** Stop listening and destroy every open socket. */
  close(): Promise<void>;
}

export interface DescriptorOptions {
  host?: string;
  /** SSL_SERVER_DN_MATCH (default true). */
  dnMatch?: boolean;
  /** SSL_SERVER_CERT_DN. */
  certDn?: string;
  /** Seconds; fractions allowed here (the driver's own options take integers only). */
  connectTimeout?: number;
  transportConnectTimeout?: number;
  /**
   * RETRY_COUNT and RETRY_DELAY (seconds). Default 20 and 3, what ADB's own
   * connect strings carry; `false` leaves both out (the driver then tries once).
   */
  retry?: { count: number; delaySeconds: number } | false;
  /** More addresses, tried by the driver in order before this listener's (failover). */
  before?: { host: string; port: number }[];
}

/** What ADB's connection strings carry: (retry_count=20)(retry_delay=3). */
export const ADB_RETRY = { count: 20, delaySeconds: 3 } as const;


export function descriptor(host: string, port: number, service: string, opts: DescriptorOptions = {}): string {
  const retry = opts.retry === undefined ? ADB_RETRY : opts.retry;
  const timeouts =
    (retry ? `(RETRY_COUNT=${retry.count})(RETRY_DELAY=${retry.delaySeconds})` : '') +
    (opts.connectTimeout === undefined ? '' : `(CONNECT_TIMEOUT=${opts.connectTimeout})`) +
    (opts.transportConnectTimeout === undefined ? '' : `(TRANSPORT_CONNECT_TIMEOUT=${opts.transportConnectTimeout})`);
  const addresses = [...(opts.before ?? []), { host, port }].map((a) => `(ADDRESS=(PROTOCOL=TCPS)(HOST=${a.host})(PORT=${a.port}))`);
  const addressPart = addresses.length === 1 ? (addresses[0] as string) : `(ADDRESS_LIST=(FAILOVER=ON)(LOAD_BALANCE=OFF)${addresses.join('')})`;
  const security =
    `(SSL_SERVER_DN_MATCH=${opts.dnMatch === false ? 'OFF' : 'ON'})` +
    (opts.certDn === undefined ? '' : `(SSL_SERVER_CERT_DN="${opts.certDn}")`);
  return (
    `(DESCRIPTION=${timeouts}${addressPart}` +
    `(CONNECT_DATA=(SERVICE_NAME=${service}))(SECURITY=${security}))`
  );
}

export async function startListener(opts: ListenerOptions): Promise<SimListener> {
  const faults = opts.faults ?? {};
  const bits = opts.bits ?? 2048;
  const services = new Set(opts.services.map((s) => s.toLowerCase()));
  const acl = opts.acl;
  const knownServiceErr = opts.knownServiceErr ?? KNOWN_SERVICE_ERR;

  // The chain the server presents, and the root the caller is told to trust.
  const leafOpts = {
    bits,
    ...(faults.weakSignature ? { weakSignature: true } : {}),
    ...(faults.dnWithOu ? { leafSubject: { OU: ADB_LEGACY_OU } } : {}),
    ...(faults.wrongHost ? { sanDns: [ADB_HOST], sanIps: [] } : opts.host === '::1' ? { sanIps: ['127.0.0.1', '::1'] } : {}),
    ...(faults.expiredLeaf
      ? { leafNotBefore: new Date(Date.now() - 400 * 86_400_000), leafNotAfter: new Date(Date.now() - 86_400_000) }
      : {}),
  };
  let served: Chain;
  let trustedRoot: string;
  if (faults.untrustedRoot) {
    served = makeChain({ ...leafOpts, rootCommonName: 'dbiam-doctor Simulated Untrusted Root CA' });
    trustedRoot = opts.ca?.root.certPem ?? makeCa({ commonName: 'dbiam-doctor Simulated Root CA', bits }).certPem;
  } else {
    served = makeChain({ ...leafOpts, ...(opts.ca ? { ca: opts.ca } : {}) });
    trustedRoot = served.root.certPem;
  }
  const chainParts = [served.leaf.certPem];
  if (!faults.missingIntermediate) chainParts.push(served.intermediate.certPem);
  if (opts.sendRoot) chainParts.push(served.root.certPem);
  const chainPem = chainParts.map((p) => p.trim()).join('\n') + '\n';

  const clientCa = faults.requireClientCert || faults.optionalClientCert ? makeCa({ bits }) : undefined;
  let walletCa: CertAndKey | undefined = clientCa;

  const secureContext = tls.createSecureContext({
    key: served.leaf.keyPem,
    cert: chainPem,
    // Without a client CA the server verifies nothing; an empty list spares
    // loading Node's default root store (about 20 ms of a demo's start).
    ca: clientCa ? clientCa.certPem : [],
    // A real server with an old SHA-1 chain or a small key runs an old TLS
    // stack; Node's default security level would refuse to even load them
    // (Node 24's OpenSSL refuses a 1024-bit key: 'ee key too small').
    ...(faults.weakSignature || bits < 2048 ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
  });
  const clientCaCert = clientCa ? new X509Certificate(clientCa.certPem) : undefined;

  let connections = 0;
  const requests: ListenerRequest[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };

  const server = net.createServer((socket) => {
    connections++;
    track(socket);
    const remoteAddress = normalizeIp(socket.remoteAddress ?? '');
    if (faults.stallHandshake) {
      requests.push({ remoteAddress, outcome: 'stalled-handshake' });
      socket.resume(); // read and drop the ClientHello, never answer
      return;
    }
    // Each socket is wrapped by hand (not through tls.Server) so that the
    // client address and every outcome stay in reach. The client certificate
    // is requested but judged in 'secure' below, not by `rejectUnauthorized`:
    // Node would then destroy the socket at once, racing the client's CONNECT
    // packet (EOF or ECONNRESET on the client, depending on timing).
    const tlsSocket = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext,
      requestCert: clientCa !== undefined,
      rejectUnauthorized: false,
    });
    track(tlsSocket);
    let secure = false;
    let failed = false;
    tlsSocket.on('error', (err) => {
      if (secure || failed) return;
      failed = true;
      requests.push({ remoteAddress, outcome: 'tls-error', detail: err.message });
    });
    tlsSocket.on('close', () => {
      if (secure || failed) return;
      failed = true;
      // What node-oracledb does when it rejects the server's certificate:
      // Node checks the chain after the handshake and just closes the socket.
      requests.push({ remoteAddress, outcome: 'tls-error', detail: 'client closed the connection during the TLS handshake' });
    });
    tlsSocket.on('secure', () => {
      secure = true;
      const rejected = clientCaCert && faults.requireClientCert ? judgeClientCertificate(tlsSocket, clientCaCert) : undefined;
      if (rejected === NO_CLIENT_CERTIFICATE) {
        // ADB: the handshake completes without a client certificate and the
        // listener refuses the CONNECT with ERR=12506, as for an access list.
        serveTns(tlsSocket, remoteAddress, rejected);
        return;
      }
      if (rejected) {
        // mTLS and no acceptable client certificate: hang up, no TNS answer.
        // TLS 1.3: the client's side of the handshake is already done and its
        // CONNECT is on the way; node-oracledb reports NJS-500 + NJS-521
        // end-of-file. The CONNECT is read and dropped (no RST).
        requests.push({ remoteAddress, outcome: 'client-cert-rejected', detail: rejected });
        tlsSocket.resume();
        tlsSocket.end();
        return;
      }
      serveTns(tlsSocket, remoteAddress);
    });
  });

  const serveTns = (tlsSocket: tls.TLSSocket, remoteAddress: string, noClientCert?: string): void => {
    let reader = new ConnectReader();
    let done = false;
    let resent = false;
    tlsSocket.on('data', (chunk: Buffer) => {
      if (done) return;
      let request: ConnectRequest | undefined;
      try {
        request = reader.push(chunk);
      } catch (e) {
        done = true;
        requests.push({ remoteAddress, outcome: 'bad-packet', detail: (e as Error).message });
        tlsSocket.destroy();
        return;
      }
      if (!request) return;
      if (opts.resend && !resent) {
        // Ask for the CONNECT again; the driver sends the same packet once more.
        resent = true;
        reader = new ConnectReader();
        tlsSocket.write(resendPacket());
        return;
      }
      done = true;
      const seen = resent ? { resent: true } : {};
      if (faults.stallAfterAccept) {
        requests.push({ remoteAddress, outcome: 'stalled-after-accept', connect: request, ...seen });
        return; // keep reading (and ignoring) until the client gives up or close()
      }
      // The ACL is checked first: it depends on the address only, as on ADB.
      let outcome: RequestOutcome;
      let err: number;
      if (noClientCert) {
        requests.push({ remoteAddress, outcome: 'client-cert-rejected', detail: noClientCert, connect: request, ...seen, err: ACL_REFUSED_ERR });
        tlsSocket.end(refusePacket(ACL_REFUSED_ERR));
        return;
      }
      if (acl && !aclAdmits(acl, remoteAddress)) {
        outcome = 'refused-acl';
        err = ACL_REFUSED_ERR;
      } else if (request.serviceName === undefined || !services.has(request.serviceName.toLowerCase())) {
        outcome = 'refused-unknown-service';
        err = UNKNOWN_SERVICE_ERR;
      } else if (opts.redirect) {
        const to = opts.redirect;
        requests.push({ remoteAddress, outcome: 'redirected', connect: request, ...seen, detail: `${to.host}:${to.port}` });
        tlsSocket.end(redirectPacket(`(ADDRESS=(PROTOCOL=TCPS)(HOST=${to.host})(PORT=${to.port}))`, request.connectData));
        return;
      } else if (opts.database) {
        const session = serveSession(tlsSocket, opts.database, {
          serviceName: request.serviceName,
          asked: { ...(request.sdu === undefined ? {} : { sdu: request.sdu }), ...(request.tdu === undefined ? {} : { tdu: request.tdu }) },
          serverAddress: `${normalizeIp(tlsSocket.localAddress ?? '')}:${tlsSocket.localPort ?? 0}`,
          ...(opts.sessionIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: opts.sessionIdleTimeoutMs }),
        });
        requests.push({ remoteAddress, outcome: 'accepted', connect: request, ...seen, session });
        return;
      } else {
        outcome = 'refused-known-service';
        err = knownServiceErr;
      }
      requests.push({ remoteAddress, outcome, connect: request, ...seen, err });
      tlsSocket.end(refusePacket(err));
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;

  let closed: Promise<void> | undefined;
  const listener: SimListener = {
    host: address.address,
    port: address.port,
    caPem: trustedRoot,
    chainPem,
    leafSubject: served.leaf.subject,
    ...(clientCa ? { clientCaPem: clientCa.certPem } : {}),
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    makeClientWallet() {
      walletCa ??= makeCa({ bits });
      const client = makeSelfSignedClient({ bits, issuer: walletCa, commonName: 'dbiam-doctor simulated client' });
      return walletPem(client, trustedRoot);
    },
    descriptor(service, dopts = {}) {
      return descriptor(dopts.host ?? 'localhost', address.port, service, dopts);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
      return closed;
    },
  };
  return listener;
}

const NO_CLIENT_CERTIFICATE = 'no client certificate';

/** Why the client certificate is not acceptable, or undefined if it is. */
function judgeClientCertificate(tlsSocket: tls.TLSSocket, ca: X509Certificate): string | undefined {
  const peer = tlsSocket.getPeerX509Certificate();
  if (!peer) return NO_CLIENT_CERTIFICATE;
  const subject = peer.subject.replace(/\n/g, ',');
  if (!peer.checkIssued(ca) || !peer.verify(ca.publicKey)) {
    return `client certificate ${subject} is not issued by the listener's client CA` + (peer.issuer === peer.subject ? ' (self-signed)' : '');
  }
  const now = Date.now();
  if (new Date(peer.validFrom).getTime() > now || new Date(peer.validTo).getTime() < now) {
    return `client certificate ${subject} is outside its validity period`;
  }
  return undefined;
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
