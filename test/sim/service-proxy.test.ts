// The simulator's HTTPS proxy, as a client sees it: CONNECT for a realm's
// service host gives a TLS endpoint with that host's certificate from the
// test CA, behind which the simulated services answer; any other host is
// refused, and plain HTTP is not proxied.
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/index.js';
import { makeChain } from '../../src/sim/pki.js';
import { startServiceProxy, type RunningServiceProxy } from '../../src/sim/http/service-proxy.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { generateRsaKey, healthyTenancy } from '../../src/sim/tenancy.js';
import { SERVER_KEY_BITS } from '../helpers/certs.js';

let sim: RunningSimulator;
let proxy: RunningServiceProxy;
let rootPem: string;

beforeAll(async () => {
  const chain = makeChain({ bits: SERVER_KEY_BITS });
  rootPem = chain.root.certPem;
  sim = await startSimulator(healthyTenancy(generateRsaKey().publicKeyPem));
  proxy = await startServiceProxy({ targetPort: sim.port, ca: { root: chain.root, intermediate: chain.intermediate }, bits: SERVER_KEY_BITS });
});
afterAll(async () => {
  await proxy?.close();
  await sim?.close();
});

/** Sends CONNECT target; resolves with the proxy's status and, on 200, the tunnel. */
function connectThrough(target: string): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: target, headers: { host: target } });
    req.setTimeout(5000, () => req.destroy(new Error('no answer to CONNECT within 5 s')));
    req.on('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on('error', reject);
    req.end();
  });
}

/** TLS over the tunnel, verifying against the test root only, with the host name as SNI. */
function tlsOver(socket: Socket, servername: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ socket, servername, ca: [rootPem] }, () => resolve(tls));
    tls.setTimeout(5000, () => tls.destroy(new Error('no TLS handshake within 5 s')));
    tls.on('error', reject);
  });
}

/** One HTTP/1.1 request over the TLS tunnel; the raw answer's status line. */
function statusLine(tls: TLSSocket, host: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    tls.on('data', (c: Buffer) => {
      data += c.toString();
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        resolve(data.slice(0, end));
        tls.destroy();
      }
    });
    tls.on('error', reject);
    tls.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

describe('service proxy', () => {
  it('tunnels a realm host: a certificate for that name from the test CA, and the simulated service behind it', async () => {
    const host = 'identity.uk-gov-london-1.oci.oraclegovcloud.uk';
    const { status, socket } = await connectThrough(`${host}:443`);
    expect(status).toBe(200);
    const tls = await tlsOver(socket, host);
    expect(tls.authorized).toBe(true);
    expect(tls.getPeerCertificate().subjectaltname).toBe(`DNS:${host}`);
    // An unsigned read: Identity answers as it would, 401 NotAuthenticated.
    expect(await statusLine(tls, host, '/20160918/users/ocid1.user.oc4..aaaa')).toMatch(/^HTTP\/1\.1 401 /);
    expect(proxy.connects).toContain(`${host}:443`);
  });

  it('refuses a host outside the realms\' domains with 403, and records it', async () => {
    const { status, socket } = await connectThrough('example.com:443').catch(() => ({ status: 0, socket: undefined }));
    socket?.destroy();
    expect(status).toBe(403);
    expect(proxy.connects).toContain('example.com:443');
  });

  it('does not proxy plain HTTP', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'GET', path: 'http://auth.us-ashburn-1.oraclecloud.com/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
  });
});
