// A loopback HTTPS proxy in front of the simulated tenancy. A client run
// with HTTPS_PROXY pointing here, and no endpoint overrides, calls the host
// names its SDK derives from the region and realm (auth.<region>.<realm
// domain>, identity.<region>.oci.<realm domain>, …): it sends
// `CONNECT host:443`, the proxy answers for hosts in the realms' domains
// with a certificate for that name (signed by a CA the test made and the
// client trusts, e.g. through NODE_EXTRA_CA_CERTS), and hands the decrypted
// requests to the simulator's loopback port. Nothing is resolved and nothing
// is dialled but the simulator, and every CONNECT target is recorded, so a
// test can say which realm's hosts the client asked for.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { makeChain, type CertAndKey } from '../pki.js';

/** Second-level domains of the realms the proxy answers for (others are refused with 403, as a corporate proxy's allow-list does). */
export const SERVICE_PROXY_DOMAINS = ['oraclecloud.com', 'oraclegovcloud.com', 'oraclegovcloud.uk'];

export interface ServiceProxyOptions {
  /** The simulator's loopback port (plain HTTP). */
  targetPort: number;
  /** The CA that signs each host's certificate: its root is what the client must trust. */
  ca: { root: CertAndKey; intermediate: CertAndKey };
  /** Domains answered for, beyond none (default SERVICE_PROXY_DOMAINS); a fixture's own realm domain goes here. */
  domains?: string[];
  /** RSA size of the per-host keys (default 2048; 1024 is fine where the runtime accepts it). */
  bits?: number;
}

export interface RunningServiceProxy {
  /** `http://127.0.0.1:PORT`: the value for HTTPS_PROXY. */
  url: string;
  port: number;
  /** Every CONNECT target, `host:port`, in the order asked (refused ones too). */
  readonly connects: string[];
  close(): Promise<void>;
}

function answersFor(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => h.endsWith(`.${d.toLowerCase()}`));
}

/** `host:port` of a CONNECT request line, or undefined when it is not one. */
function connectTarget(url: string | undefined): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(url ?? '');
  if (!m) return undefined;
  return { host: m[1] as string, port: Number(m[2]) };
}

export async function startServiceProxy(opts: ServiceProxyOptions): Promise<RunningServiceProxy> {
  const domains = opts.domains ?? SERVICE_PROXY_DOMAINS;
  const connects: string[] = [];
  const contexts = new Map<string, SecureContext>();
  const sockets = new Set<Socket>();
  const contextFor = (host: string): SecureContext => {
    let ctx = contexts.get(host);
    if (!ctx) {
      const { leaf, intermediate } = makeChain({ ca: opts.ca, bits: opts.bits ?? 2048, leafSubject: { CN: host }, sanDns: [host], sanIps: [] });
      ctx = createSecureContext({ key: leaf.keyPem, cert: `${leaf.certPem.trim()}\n${intermediate.certPem.trim()}\n` });
      contexts.set(host, ctx);
    }
    return ctx;
  };

  const server: Server = createServer((_req, res) => {
    // Plain-HTTP proxying (absolute URIs) is not offered: OCI is HTTPS only.
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this proxy only tunnels HTTPS (CONNECT)\n');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = connectTarget(req.url);
    connects.push(req.url ?? '');
    if (!target || !answersFor(target.host, domains)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    let context: SecureContext;
    try {
      context = contextFor(target.host);
    } catch {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) client.unshift(head);
    const tls = new TLSSocket(client, { isServer: true, secureContext: context });
    const upstream = connect(opts.targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => (sockets.delete(upstream), tls.destroy()));
    const end = (): void => {
      tls.destroy();
      upstream.destroy();
    };
    tls.on('error', end);
    upstream.on('error', end);
    tls.on('close', end);
    tls.pipe(upstream).pipe(tls);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
