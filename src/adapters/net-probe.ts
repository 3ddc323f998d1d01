// The network facts behind the connect checks: DNS (every address), a TCP
// connect per address with its timing, and a TLS handshake that records the
// certificate chain exactly as the server sends it — without trusting it.
//
// The handshake is offered as TLS 1.2 first: its server flight is plaintext,
// so the bytes are read as they pass (a tap between the socket and Node's TLS)
// and give the Certificate message in its sent order and any
// CertificateRequest (mutual TLS). A server that only speaks TLS 1.3 is asked
// again with Node's defaults; the chain then comes from OpenSSL's view of it
// (order not known) and a client-certificate demand shows only as a refusal.
//
// Every wait is bounded and every socket is destroyed on timeout or abort: a
// server that accepts and stalls ends as a timeout, never a hang.
import dns from 'node:dns';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';

import { DEFAULT_TIMEOUTS, type ProbeTimeouts } from '../core/net-timeouts.js';

export { DEFAULT_TIMEOUTS, type ProbeTimeouts };

export type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: LookupAll = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

export type DnsResult =
  | { ok: true; addresses: { address: string; family: number }[]; ms: number }
  | { ok: false; code: string; message: string; ms: number; timedOut: boolean };

function elapsed(t0: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100;
}

/** All addresses of a host (an IP literal resolves to itself). */
export async function resolveHost(host: string, opts: { timeoutMs?: number; signal?: AbortSignal; lookup?: LookupAll } = {}): Promise<DnsResult> {
  const t0 = process.hrtime.bigint();
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = net.isIP(bare);
  if (family !== 0) return { ok: true, addresses: [{ address: bare, family }], ms: 0 };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.dnsMs;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const result = await Promise.race([
      (opts.lookup ?? systemLookup)(bare),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEOUT' })), timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(Object.assign(new Error('aborted'), { code: 'ABORTED' }));
        if (opts.signal?.aborted) onAbort();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    if (result.length === 0) return { ok: false, code: 'ENODATA', message: 'the name has no address', ms: elapsed(t0), timedOut: false };
    return { ok: true, addresses: result, ms: elapsed(t0) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const code = e.code ?? 'EDNS';
    return { ok: false, code, message: dnsMessage(code, e.message), ms: elapsed(t0), timedOut: code === 'ETIMEOUT' };
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
  }
}

function dnsMessage(code: string, fallback: string): string {
  switch (code) {
    case 'ENOTFOUND':
      return 'the name does not exist (NXDOMAIN) or has no address';
    case 'EAI_AGAIN':
      return 'the DNS server did not answer (temporary failure)';
    case 'ETIMEOUT':
      return fallback;
    default:
      return fallback;
  }
}

export type TcpResult =
  | { ok: true; ms: number }
  | { ok: false; kind: 'refused' | 'timeout' | 'unreachable' | 'aborted' | 'other'; code: string; message: string; ms: number };

/** One TCP connect to an address; the socket is closed at once. */
export async function connectTcp(address: string, port: number, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TcpResult> {
  const r = await openTcp(address, port, opts);
  if (r.ok) r.socket.destroy();
  return r.ok ? { ok: true, ms: r.ms } : r;
}

type OpenTcp = { ok: true; socket: net.Socket; ms: number } | Extract<TcpResult, { ok: false }>;

function openTcp(address: string, port: number, opts: { timeoutMs?: number; signal?: AbortSignal }): Promise<OpenTcp> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.tcpMs;
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    if (opts.signal?.aborted) return resolve({ ok: false, kind: 'aborted', code: 'ABORTED', message: 'aborted', ms: 0 });
    const socket = net.connect({ host: address, port, noDelay: true });
    let done = false;
    const finish = (r: OpenTcp): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      if (!r.ok) socket.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, kind: 'aborted', code: 'ABORTED', message: 'aborted', ms: elapsed(t0) });
    const timer = setTimeout(() => finish({ ok: false, kind: 'timeout', code: 'ETIMEDOUT', message: `no answer within ${timeoutMs / 1000} s`, ms: elapsed(t0) }), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ ok: true, socket, ms: elapsed(t0) }));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ECONNECT';
      const kind = code === 'ECONNREFUSED' ? 'refused' : code === 'ETIMEDOUT' ? 'timeout' : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'unreachable' : 'other';
      finish({ ok: false, kind, code, message: err.message, ms: elapsed(t0) });
    });
  });
}

/** What the server sent during the handshake. */
export interface CapturedChain {
  /** DER certificates, as sent (leaf first if the server orders them right). */
  certificates: Buffer[];
  /** False when the chain came from OpenSSL's view (TLS 1.3): the order sent is then unknown. */
  orderKnown: boolean;
  /** e.g. TLSv1.2, TLSv1.3; undefined when the handshake did not finish. */
  protocol?: string;
  cipher?: string;
  /** True when the server sent a CertificateRequest (it asks for a client certificate: mutual TLS). */
  clientCertRequested?: boolean;
  /** Distinguished names of acceptable client CAs the server listed (count only: they are DER). */
  clientCaNames?: number;
  /** The server hung up right after the handshake (what a listener that wants a client certificate does). */
  closedAfterHandshake?: boolean;
  /** A TLS alert the server sent, e.g. { description: 116, name: 'certificate_required' }. */
  alert?: { level: number; description: number; name: string };
  /** Time from TCP connect to the end of the handshake. */
  ms: number;
  tcpMs: number;
}

export type TlsProbeResult =
  | { ok: true; chain: CapturedChain }
  | {
      ok: false;
      kind: 'tcp' | 'timeout' | 'closed' | 'alert' | 'not-tls' | 'aborted' | 'error';
      message: string;
      code?: string;
      ms: number;
      /** What was captured before it failed (a Certificate message, a CertificateRequest…). */
      partial?: CapturedChain;
      tcp?: Extract<TcpResult, { ok: false }>;
    };

export interface TlsProbeOptions {
  /** Name sent as SNI (omitted for an IP). */
  servername?: string;
  timeouts?: Partial<ProbeTimeouts>;
  signal?: AbortSignal;
}

/**
 * Connects to `address:port`, completes a TLS handshake without verifying
 * anything, and returns what the server presented.
 */
export async function capturePresentedChain(address: string, port: number, opts: TlsProbeOptions = {}): Promise<TlsProbeResult> {
  const first = await handshake(address, port, opts, 'TLSv1.2');
  // protocol_version (70) or handshake_failure before any certificate: TLS 1.3 only.
  const onlyTls13 = !first.ok && first.kind === 'alert' && (first.partial?.alert?.description === 70 || (first.partial?.alert?.description === 40 && first.partial.certificates.length === 0));
  if (onlyTls13) return handshake(address, port, opts, undefined);
  return first;
}

const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 40: 'handshake_failure', 42: 'bad_certificate', 43: 'unsupported_certificate',
  44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied',
  50: 'decode_error', 51: 'decrypt_error', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error', 86: 'inappropriate_fallback',
  90: 'user_canceled', 109: 'missing_extension', 110: 'unsupported_extension', 112: 'unrecognized_name', 116: 'certificate_required', 120: 'no_application_protocol',
};

/** Reads the server's plaintext handshake records (TLS 1.2) as they pass. */
class ServerFlight {
  private buf = Buffer.alloc(0);
  private hs = Buffer.alloc(0);
  private stopped = false;
  private bytes = 0;
  certificates: Buffer[] = [];
  sawCertificate = false;
  clientCertRequested = false;
  clientCaNames = 0;
  alert?: { level: number; description: number; name: string };
  notTls = false;

  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.bytes += chunk.length;
    if (this.bytes > 1 << 20) return void (this.stopped = true);
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 5 && !this.stopped) {
      const type = this.buf[0] as number;
      if (type < 20 || type > 24 || this.buf[1] !== 3) {
        this.notTls = this.certificates.length === 0 && !this.sawCertificate;
        this.stopped = true;
        return;
      }
      const len = this.buf.readUInt16BE(3);
      if (this.buf.length < 5 + len) return;
      const body = this.buf.subarray(5, 5 + len);
      this.buf = this.buf.subarray(5 + len);
      if (type === 20) {
        // ChangeCipherSpec: everything after is encrypted.
        this.stopped = true;
      } else if (type === 21 && body.length >= 2) {
        const description = body[1] as number;
        this.alert = { level: body[0] as number, description, name: ALERTS[description] ?? `alert ${description}` };
      } else if (type === 22) {
        this.hs = Buffer.concat([this.hs, body]);
        this.readHandshake();
      }
    }
  }

  private readHandshake(): void {
    while (this.hs.length >= 4) {
      const type = this.hs[0] as number;
      const len = this.hs.readUIntBE(1, 3);
      if (this.hs.length < 4 + len) return;
      const body = this.hs.subarray(4, 4 + len);
      this.hs = this.hs.subarray(4 + len);
      if (type === 2 && serverHelloIsTls13(body)) {
        this.stopped = true;
        return;
      }
      if (type === 11) this.readCertificates(body);
      if (type === 13) {
        this.clientCertRequested = true;
        this.clientCaNames = countCaNames(body);
      }
      if (type === 14) this.stopped = true; // ServerHelloDone: the server's flight is complete
    }
  }

  private readCertificates(body: Buffer): void {
    this.sawCertificate = true;
    if (body.length < 3) return;
    const total = body.readUIntBE(0, 3);
    let p = 3;
    const end = Math.min(body.length, 3 + total);
    while (p + 3 <= end && this.certificates.length < 32) {
      const n = body.readUIntBE(p, 3);
      p += 3;
      if (p + n > end) break;
      this.certificates.push(Buffer.from(body.subarray(p, p + n)));
      p += n;
    }
  }
}

function serverHelloIsTls13(body: Buffer): boolean {
  // version(2) random(32) session_id(1+n) cipher(2) compression(1) extensions(2+…)
  let p = 34;
  if (body.length < p + 1) return false;
  p += 1 + (body[p] as number);
  p += 3;
  if (body.length < p + 2) return false;
  const extEnd = Math.min(body.length, p + 2 + body.readUInt16BE(p));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = body.readUInt16BE(p);
    const len = body.readUInt16BE(p + 2);
    if (type === 43 && len >= 2) return body.readUInt16BE(p + 4) === 0x0304;
    p += 4 + len;
  }
  return false;
}

function countCaNames(body: Buffer): number {
  // TLS 1.2: certificate_types<1..>, signature_algorithms<2..>, certificate_authorities<0..2^16-1>
  let p = 0;
  if (body.length < 1) return 0;
  p += 1 + (body[0] as number);
  if (body.length < p + 2) return 0;
  p += 2 + body.readUInt16BE(p);
  if (body.length < p + 2) return 0;
  const end = Math.min(body.length, p + 2 + body.readUInt16BE(p));
  p += 2;
  let n = 0;
  while (p + 2 <= end) {
    p += 2 + body.readUInt16BE(p);
    n++;
  }
  return n;
}

/** Passes bytes between a socket and Node's TLS, showing the incoming ones to `onData`. */
class Tap extends Duplex {
  constructor(
    private readonly inner: net.Socket,
    onData: (chunk: Buffer) => void,
  ) {
    super();
    inner.on('data', (chunk: Buffer) => {
      onData(chunk);
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err) => this.destroy(err));
    inner.on('close', () => this.destroy());
  }
  override _read(): void {
    this.inner.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.inner.destroyed) return cb();
    this.inner.write(chunk, () => cb());
  }
  override _final(cb: () => void): void {
    this.inner.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }
}

async function handshake(address: string, port: number, opts: TlsProbeOptions, maxVersion: 'TLSv1.2' | undefined): Promise<TlsProbeResult> {
  const t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const tcp = await openTcp(address, port, { timeoutMs: t.tcpMs, signal: opts.signal });
  if (!tcp.ok) return { ok: false, kind: tcp.kind === 'aborted' ? 'aborted' : 'tcp', message: tcp.message, code: tcp.code, ms: tcp.ms, tcp };
  const t0 = process.hrtime.bigint();
  const flight = new ServerFlight();
  const raw = tcp.socket;
  const usingTap = maxVersion !== undefined;
  const transport: Duplex = usingTap ? new Tap(raw, (c) => flight.push(c)) : raw;
  const servername = opts.servername && net.isIP(opts.servername) === 0 ? opts.servername : undefined;

  return new Promise<TlsProbeResult>((resolve) => {
    let settled = false;
    let secured = false;
    let captured: CapturedChain | undefined;
    const socket = tls.connect({
      socket: transport as net.Socket,
      ...(servername ? { servername } : {}),
      rejectUnauthorized: false,
      ...(maxVersion ? { maxVersion } : {}),
      // Nothing is verified here and the tap reads the chain as sent: an empty
      // CA list spares building Node's default store (its ~140 roots parsed by
      // OpenSSL, about 20 ms). The TLS 1.3 retry keeps the default store, as
      // its chain comes from getPeerCertificate(), which looks issuers up there.
      ...(usingTap ? { ca: [] } : {}),
    });
    const partial = (): CapturedChain => ({
      certificates: captured?.certificates ?? flight.certificates,
      orderKnown: captured?.orderKnown ?? usingTap,
      ...(usingTap ? { clientCertRequested: flight.clientCertRequested, clientCaNames: flight.clientCaNames } : {}),
      ...(flight.alert ? { alert: flight.alert } : {}),
      ms: elapsed(t0),
      tcpMs: tcp.ms,
    });
    const cleanup = (): void => {
      clearTimeout(timer);
      clearTimeout(watch);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      raw.destroy();
    };
    const settle = (r: TlsProbeResult): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(r);
    };
    const fail = (kind: Extract<TlsProbeResult, { ok: false }>['kind'], message: string, code?: string): void => {
      const p = partial();
      settle({ ok: false, kind, message, ...(code ? { code } : {}), ms: p.ms, partial: p });
    };
    let watch: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => fail('timeout', `no TLS handshake within ${t.tlsMs / 1000} s`), t.tlsMs);
    const onAbort = (): void => fail('aborted', 'aborted');
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    socket.once('secureConnect', () => {
      secured = true;
      const certificates = usingTap && flight.certificates.length > 0 ? flight.certificates : peerChain(socket);
      captured = {
        certificates,
        orderKnown: usingTap && flight.certificates.length > 0,
        protocol: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.name,
        ...(usingTap ? { clientCertRequested: flight.clientCertRequested, clientCaNames: flight.clientCaNames } : {}),
        ms: elapsed(t0),
        tcpMs: tcp.ms,
      };
      const done = (closed: boolean): void => {
        const c = captured as CapturedChain;
        settle({ ok: true, chain: { ...c, closedAfterHandshake: closed, ...(flight.alert ? { alert: flight.alert } : {}) } });
      };
      // A listener that requires a client certificate hangs up (or alerts)
      // right after a handshake in which it got none; TLS 1.3 hides the request,
      // so watch there too.
      if (flight.clientCertRequested || !usingTap) {
        socket.once('close', () => done(true));
        socket.once('end', () => done(true));
        socket.resume();
        watch = setTimeout(() => done(false), t.closeWatchMs);
      } else {
        done(false);
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (secured && captured) {
        // After the handshake: the server refused us (e.g. TLS 1.3 alert 116).
        const alert = /alert certificate required/i.test(err.message) ? { level: 2, description: 116, name: 'certificate_required' } : flight.alert;
        settle({ ok: true, chain: { ...captured, closedAfterHandshake: true, ...(alert ? { alert } : {}) } });
        return;
      }
      if (flight.notTls) return fail('not-tls', 'the server did not answer with TLS (is this port plain TCP?)', err.code);
      if (flight.alert && flight.alert.level === 2) return fail('alert', `the server ended the handshake with alert ${flight.alert.name}`, err.code);
      const m = /alert (.+?)(?:$|:)/.exec(err.message);
      if (m && !usingTap) return fail('alert', `the server ended the handshake with alert ${m[1]}`, err.code);
      if (/wrong version number|packet length too long|unknown protocol/i.test(err.message)) return fail('not-tls', 'the server did not answer with TLS (is this port plain TCP?)', err.code);
      if (err.code === 'ECONNRESET' || /socket disconnected|socket hang up/i.test(err.message)) return fail('closed', 'the server closed the connection during the handshake', err.code);
      fail('error', err.message, err.code);
    });
    socket.once('close', () => {
      if (!secured) fail(flight.notTls ? 'not-tls' : 'closed', flight.notTls ? 'the server did not answer with TLS (is this port plain TCP?)' : 'the server closed the connection during the handshake');
    });
  });
}

/** The peer chain from OpenSSL's view: leaf, then each issuer it found in what was sent. */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  while (cert && cert.raw && out.length < 32) {
    const key = cert.fingerprint256;
    if (seen.has(key)) break;
    seen.add(key);
    out.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return out;
}
