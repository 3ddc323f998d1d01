// A simulated database listener whose CA the doctor is told about (--ca-file):
// the TLS side of a direct connection is real, only the logon is stood in for.
import type net from 'node:net';
import tls from 'node:tls';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startListener, type SimListener } from '../../src/sim/listener/index.js';
import { SERVER_KEY_BITS } from './certs.js';
import { tempDir } from './deps.js';

export interface TrustedListener {
  listener: SimListener;
  /** `--dsn <descriptor of ledger_high> --ca-file <its CA>`. */
  dsn: string[];
}

export async function startTrustedListener(): Promise<TrustedListener> {
  const listener = await startListener({ services: ['ledger_high'], host: 'localhost', bits: SERVER_KEY_BITS });
  const caFile = join(tempDir(), 'ca.pem');
  writeFileSync(caFile, listener.caPem);
  return { listener, dsn: ['--dsn', listener.descriptor('ledger_high'), '--ca-file', caFile] };
}

/**
 * A bare loopback TLS server presenting `cert` (a PEM chain, in the order given);
 * `close` destroys its open sockets first, so a client stuck mid-handshake ends at once.
 */
export async function startTlsServer(key: string, cert: string, extra: tls.TlsOptions = {}): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key, cert, ...extra }, (s) => s.on('error', () => {}));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
