// The simulated OCI services on one loopback HTTP server. Each service keeps
// its real path prefix, so every SDK client can point its endpoint here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID, type KeyObject, createPublicKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { apiKeyFingerprint } from '../../core/fingerprint.js';
import type { Fixture } from '../fixture.js';
import { createTokenIssuer, jwkToPublicKey, type TokenIssuer } from '../tokens.js';
import { parseSignatureHeader, verifyRequestSignature } from './signature.js';

export interface Principal {
  kind: 'user' | 'instance' | 'resource';
  id: string;
  tenancyId: string;
  /** How the request was signed: an API key or a token (`ST$…`). */
  via: 'api_key' | 'token';
  claims?: Record<string, unknown>;
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  params: string[];
  principal?: Principal;
  json<T = Record<string, unknown>>(): T;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  /** A raw text body instead of JSON (IMDS answers PEM and plain text); set content-type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

export interface SimContext {
  fixture: Fixture;
  issuer: TokenIssuer;
  now(): Date;
  /**
   * Whether the caller holds an access (`inspect policies`,
   * `read secret-bundles`, …) in a compartment, decided by the fixture's
   * policies; `variables` carries `target.*` values for where clauses.
   */
  authorize(req: SimRequest, need: string, compartmentId: string, variables?: Record<string, string>): boolean;
  /** Requests seen, for tests: method, path, principal id, status. */
  log: { method: string; path: string; principal?: string; status: number }[];
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Most routes need a signed request; federation and IMDS do not. */
  auth: 'signed' | 'none';
  handle(req: SimRequest, ctx: SimContext): SimResponse | Promise<SimResponse>;
}

export class OciError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

export const notAuthorizedOrNotFound = (what: string): OciError =>
  new OciError(404, 'NotAuthorizedOrNotFound', `Authorization failed or requested resource not found: ${what}`);

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new OciError(413, 'RequestEntityTooLarge', 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Finds the key that signed the request and who it belongs to. */
function resolveSigner(keyId: string, ctx: SimContext): { key: KeyObject; principal: Principal } | OciError {
  const unauthenticated = (why: string) => new OciError(401, 'NotAuthenticated', `The required information to complete authentication was not provided or was incorrect. ${why}`);
  if (keyId.startsWith('ST$')) {
    const verdict = ctx.issuer.verify(keyId.slice(3), ctx.now());
    if (!verdict.ok) return unauthenticated(`Security token rejected: ${verdict.reason}.`);
    const c = verdict.claims;
    let key: KeyObject;
    try {
      key = jwkToPublicKey(c.jwk);
    } catch {
      return unauthenticated('Security token carries no usable jwk.');
    }
    const kind = c.ptype === 'instance' ? 'instance' : c.ptype === 'resource' || c.ptype === 'workload' ? 'resource' : 'user';
    return { key, principal: { kind, id: String(c.sub), tenancyId: String(c.tenant), via: 'token', claims: c } };
  }
  const [tenancyId, userId, fingerprint] = keyId.split('/');
  if (!tenancyId || !userId || !fingerprint) return unauthenticated(`Malformed keyId.`);
  if (tenancyId !== ctx.fixture.tenancy.id) return unauthenticated('Unknown tenancy.');
  const user = ctx.fixture.users.find((u) => u.id === userId);
  if (!user) return unauthenticated('Unknown user.');
  const pem = user.apiKeys.find((k) => apiKeyFingerprint(k) === fingerprint);
  if (!pem) return unauthenticated('No API key with this fingerprint is registered for the user.');
  return { key: createPublicKey(pem), principal: { kind: 'user', id: user.id, tenancyId, via: 'api_key' } };
}

async function dispatch(routes: Route[], ctx: SimContext, req: IncomingMessage): Promise<SimResponse> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  let match: RegExpExecArray | null = null;
  const route = routes.find((r) => r.method === method && (match = r.pattern.exec(url.pathname)) !== null);
  if (!route || !match) throw new OciError(404, 'NotAuthorizedOrNotFound', `No such operation: ${method} ${url.pathname}`);
  const simReq: SimRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    params: (match as RegExpExecArray).slice(1).map((p) => decodeURIComponent(p)),
    json<T>() {
      try {
        return JSON.parse(body.toString('utf8') || '{}') as T;
      } catch {
        throw new OciError(400, 'InvalidParameter', 'Request body is not valid JSON');
      }
    },
  };
  if (route.auth === 'signed') {
    const params = parseSignatureHeader(req.headers.authorization);
    if (!params) throw new OciError(401, 'NotAuthenticated', 'The required information to complete authentication was not provided.');
    const signer = resolveSigner(params.keyId, ctx);
    if (signer instanceof OciError) throw signer;
    const verdict = verifyRequestSignature({ method, url: req.url ?? '/', headers: req.headers, body }, params, signer.key, ctx.now());
    if (!verdict.ok) throw new OciError(401, 'NotAuthenticated', `The required information to complete authentication was not provided or was incorrect: ${verdict.reason}.`);
    simReq.principal = signer.principal;
  }
  return route.handle(simReq, ctx);
}

export interface RunningSimulator {
  url: string;
  port: number;
  ctx: SimContext;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  now?: () => Date;
  issuer?: TokenIssuer;
  authorize: SimContext['authorize'];
}

export async function startHttpSimulator(fixture: Fixture, routes: Route[], opts: SimulatorOptions): Promise<RunningSimulator> {
  const ctx: SimContext = { fixture, issuer: opts.issuer ?? createTokenIssuer(), now: opts.now ?? (() => new Date()), authorize: opts.authorize, log: [] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID().replace(/-/g, '').toUpperCase();
    const send = (r: SimResponse, principal?: string): void => {
      ctx.log.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] as string, principal, status: r.status });
      const payload = r.text !== undefined ? r.text : r.body === undefined ? '' : JSON.stringify(r.body);
      res.writeHead(r.status, { 'content-type': 'application/json', 'opc-request-id': requestId, date: ctx.now().toUTCString(), 'content-length': Buffer.byteLength(payload), ...r.headers });
      res.end(payload);
    };
    dispatch(routes, ctx, req).then(
      (r) => send(r),
      (err: unknown) => {
        if (err instanceof OciError) send({ status: err.status, body: { code: err.code, message: err.message } });
        else send({ status: 500, body: { code: 'InternalServerError', message: err instanceof Error ? err.message : String(err) } });
      },
    );
  });
  // Keep-alive sockets from SDK clients must not hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ctx,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
