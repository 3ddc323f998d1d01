// The OKE proxymux, simulated: an HTTPS service inside the cluster that trades
// a pod's Kubernetes service-account token for a resource-principal session
// token (RPST) bound to the pod's key. Served over TLS with a cluster CA the
// pod trusts through its mounted ca.crt, as in a real cluster.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from '../core/jwt.js';
import { makeChain } from './pki.js';
import { publicKeyToJwk, type TokenIssuer } from './tokens.js';

export const PROXYMUX_PATH = '/resourcePrincipalSessionTokens';

export interface SimProxymux {
  host: string;
  port: number;
  /** The cluster CA (what /var/run/secrets/kubernetes.io/serviceaccount/ca.crt holds). */
  caPem: string;
  close(): Promise<void>;
}

export interface ProxymuxOptions {
  issuer: TokenIssuer;
  tenancyId: string;
  /** The workload's compartment (the cluster's), for the token's claims. */
  compartmentId: string;
  now?: () => Date;
  bits?: number;
  /**
   * A basic cluster: workload identity needs an enhanced one, and the
   * proxymux refuses the exchange with 403. The body of the real refusal is
   * not documented; the stand-in sends none.
   */
  basicCluster?: boolean;
}

/** A service-account token: a JWT naming `system:serviceaccount:<namespace>:<name>`. */
function serviceAccountOf(token: string): { namespace: string; name: string } | undefined {
  const jwt = decodeJwt(token);
  if (!jwt.ok) return undefined;
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(String(jwt.jwt.claims.sub ?? ''));
  const exp = jwt.jwt.claims.exp;
  if (!m || (typeof exp === 'number' && exp * 1000 < Date.now())) return undefined;
  return { namespace: m[1] as string, name: m[2] as string };
}

export async function startProxymux(opts: ProxymuxOptions): Promise<SimProxymux> {
  const chain = makeChain({ bits: opts.bits ?? 2048, leafSubject: { CN: 'proxymux.kube-system.svc' }, sanDns: ['localhost'], sanIps: ['127.0.0.1'] });
  const server: Server = createServer({ key: chain.leaf.keyPem, cert: `${chain.leaf.certPem}${chain.intermediate.certPem}` }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c));
    req.on('end', () => {
      const sa = serviceAccountOf(String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
      if (req.method !== 'POST' || req.url !== PROXYMUX_PATH || !sa) {
        res.writeHead(sa ? 404 : 401).end();
        return;
      }
      if (opts.basicCluster) {
        res.writeHead(403).end();
        return;
      }
      let podKey: string;
      try {
        podKey = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { podKey?: unknown }).podKey ?? '');
      } catch {
        res.writeHead(400).end();
        return;
      }
      const body = podKey.replace(/\s+/g, '');
      const pem = `-----BEGIN PUBLIC KEY-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END PUBLIC KEY-----\n`;
      let jwk: string;
      try {
        jwk = publicKeyToJwk(pem);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const now = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
      const workload = `ocid1.workload.oc1..${sa.namespace}-${sa.name}`;
      const token = opts.issuer.issue({ sub: workload, ptype: 'workload', tenant: opts.tenancyId, res_compartment: opts.compartmentId, namespace: sa.namespace, service_account: sa.name, iat: now, exp: now + 1200, jwk });
      // The answer is base64 of a JSON object whose token carries the ST$ prefix.
      res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from(JSON.stringify({ token: `ST$${token}` })).toString('base64'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    caPem: chain.root.certPem,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
