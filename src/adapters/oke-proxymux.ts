// OKE workload identity: the pod trades its service-account token for a
// resource-principal session token at the cluster's proxymux. The doctor
// calls it with node:https and the cluster CA, because the SDK's own client
// passes its CA through an agent that native fetch ignores (the SDK's known
// failure on Node 18+).
import { MAX_RESPONSE_BYTES } from './http-body.js';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

export type ProxymuxResult = { ok: true; token: string } | { ok: false; reason: string; /** The HTTP status, when the proxymux answered. */ status?: number };

export function exchangeServiceAccountToken(opts: { host: string; port: number; serviceAccountToken: string; clusterCaPem?: string; publicKeyPem: string; signal: AbortSignal; timeoutMs?: number }): Promise<ProxymuxResult> {
  const podKey = opts.publicKeyPem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const body = JSON.stringify({ podKey });
  return new Promise((resolve) => {
    const req = request(
      {
        host: opts.host,
        port: opts.port,
        path: '/resourcePrincipalSessionTokens',
        method: 'POST',
        headers: { authorization: `Bearer ${opts.serviceAccountToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        ca: opts.clusterCaPem ? [...rootCertificates, opts.clusterCaPem] : undefined,
        signal: AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 5000)]),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (c: Buffer) => {
          total += c.length;
          // A token answer is a few KB: a stream without end is cut off, not collected.
          if (total > MAX_RESPONSE_BYTES) {
            res.destroy();
            req.destroy();
            resolve({ ok: false, reason: `proxymux answer was larger than ${MAX_RESPONSE_BYTES} bytes; stopped reading` });
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve({ ok: false, reason: `proxymux answered HTTP ${res.statusCode}`, ...(res.statusCode ? { status: res.statusCode } : {}) });
          try {
            const parsed = JSON.parse(Buffer.from(Buffer.concat(chunks).toString('utf8'), 'base64').toString('utf8')) as { token?: unknown };
            const token = typeof parsed.token === 'string' ? parsed.token.replace(/^ST\$/, '') : '';
            resolve(token ? { ok: true, token } : { ok: false, reason: 'proxymux answer holds no token' });
          } catch {
            resolve({ ok: false, reason: 'proxymux answer is not base64 JSON' });
          }
        });
      },
    );
    req.on('error', (err) => resolve({ ok: false, reason: err.message }));
    req.end(body);
  });
}
