// The simulated OCI services on one loopback HTTP server. Each service keeps
// its real path prefix, so every SDK client can point its endpoint here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID, type KeyObject, createPublicKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { apiKeyFingerprint } from '../../core/fingerprint.js';
import type { Fixture } from '../fixture.js';
import { createTokenIssuer, jwkToPublicKey, type TokenIssuer } from '../tokens.js';
import { faultPlan, pageOf, stepOf } from './faults.js';
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
  /** Why the simulator answered so (e.g. a logon's failure reason), for its log only; never sent. */
  why?: string;
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
  /**
   * Requests seen, for tests: method, path, principal id, status; with
   * `service.latencyMs`, when each arrived and was answered (performance.now()
   * of the simulator's process) and the latency it was given.
   */
  log: { method: string; path: string; principal?: string; status: number; why?: string; receivedMs?: number; answeredMs?: number; latencyMs?: number }[];
  /** Injected faults given so far (fixture `service.faults`), for tests. */
  faultsGiven: { method: string; path: string; kind: string }[];
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Most routes need a signed request; federation and IMDS do not. */
  auth: 'signed' | 'none';
  /** A list operation: its array answer (or `items`) is paged (`page`, `limit`, `opc-next-page`). */
  paged?: boolean;
  handle(req: SimRequest, ctx: SimContext): SimResponse | Promise<SimResponse>;
}

export class OciError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    /** Why, for the simulator's log only; never sent. */
    readonly why?: string,
  ) {}
}

// The words OCI answers with (BRIEF §13): they never say which link broke.
export const NOT_AUTHENTICATED_MESSAGE = 'The required information to complete authentication was not provided or was incorrect.';
export const NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE = 'Authorization failed or requested resource not found.';

/**
 * A refused or missing resource. `what` is for the simulator's own log
 * (`ctx.log[i].why`), never for the caller: the real body is the same for
 * every cause.
 */
export const notAuthorizedOrNotFound = (what: string): OciError => new OciError(404, 'NotAuthorizedOrNotFound', NOT_AUTHORIZED_OR_NOT_FOUND_MESSAGE, what);
export const notAuthenticated = (why: string): OciError => new OciError(401, 'NotAuthenticated', NOT_AUTHENTICATED_MESSAGE, why);

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
  const unauthenticated = notAuthenticated;
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

/** Thrown to drop the connection without an answer (an injected reset). */
class ConnectionReset {}

/** The fixture's fault plan, rebuilt when a test swaps the fixture. */
function planFor(ctx: SimContext): ReturnType<typeof faultPlan> {
  const state = plans.get(ctx);
  if (state && state.fixture === ctx.fixture) return state.plan;
  const plan = faultPlan(ctx.fixture.service, ctx.faultsGiven);
  plans.set(ctx, { fixture: ctx.fixture, plan });
  return plan;
}
const plans = new WeakMap<SimContext, { fixture: Fixture; plan: ReturnType<typeof faultPlan> }>();

/** Gives the injected answers for this request, if any, before the real one. */
async function injectFaults(ctx: SimContext, method: string, path: string): Promise<void> {
  const fault = planFor(ctx).next(method, path);
  if (!fault) return;
  const step = stepOf(fault);
  if (step.kind === 'reset') throw new ConnectionReset();
  // A slow answer: the real one, late.
  if (step.kind === 'delay') return void (await new Promise((r) => setTimeout(r, step.ms)));
  throw Object.assign(new OciError(step.status, step.code, step.message, `injected ${fault.kind}`), { headers: step.headers });
}

/** One page of a list answer, with opc-next-page when more remain. */
function paged(res: SimResponse, query: URLSearchParams, pageSize: number | undefined): SimResponse {
  if (res.status !== 200) return res;
  const body = res.body as unknown;
  const list = Array.isArray(body) ? body : Array.isArray((body as { items?: unknown })?.items) ? ((body as { items: unknown[] }).items) : undefined;
  if (!list) return res;
  const page = pageOf(list, query, pageSize);
  const headers = { ...res.headers, ...(page.next ? { 'opc-next-page': page.next } : {}) };
  return { ...res, body: Array.isArray(body) ? page.items : { ...(body as object), items: page.items }, headers };
}

async function dispatch(routes: Route[], ctx: SimContext, req: IncomingMessage): Promise<SimResponse> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  let match: RegExpExecArray | null = null;
  const route = routes.find((r) => r.method === method && (match = r.pattern.exec(url.pathname)) !== null);
  if (!route || !match) throw notAuthorizedOrNotFound(`no such operation: ${method} ${url.pathname}`);
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
  if (route.auth === 'signed') await injectFaults(ctx, method, url.pathname);
  if (route.auth === 'signed') {
    const params = parseSignatureHeader(req.headers.authorization);
    if (!params) throw notAuthenticated('no signature');
    const signer = resolveSigner(params.keyId, ctx);
    if (signer instanceof OciError) throw signer;
    const verdict = verifyRequestSignature({ method, url: req.url ?? '/', headers: req.headers, body }, params, signer.key, ctx.now());
    if (!verdict.ok) throw verdict.skew ? new OciError(401, 'NotAuthenticated', verdict.skew, verdict.reason) : notAuthenticated(verdict.reason);
    simReq.principal = signer.principal;
  }
  const res = await route.handle(simReq, ctx);
  return route.paged ? paged(res, url.searchParams, ctx.fixture.service?.pageSize) : res;
}

/** A latency drawn uniformly from the fixture's range; undefined without one. */
function latencyOf(range: { min: number; max: number } | undefined): number | undefined {
  if (!range) return undefined;
  const min = Math.max(0, Math.min(range.min, range.max));
  return min + Math.random() * (Math.max(range.min, range.max) - min);
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

/**
 * Resolves once performance.now() reaches `deadline`. Node's timers count on
 * the event loop's millisecond clock, read at the top of each turn, so one
 * setTimeout can end a millisecond or more early; the rest is waited again.
 */
function holdUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const wait = (): void => {
      const left = deadline - performance.now();
      if (left <= 0) resolve();
      else setTimeout(wait, Math.ceil(left));
    };
    wait();
  });
}

export async function startHttpSimulator(fixture: Fixture, routes: Route[], opts: SimulatorOptions): Promise<RunningSimulator> {
  const ctx: SimContext = { fixture, issuer: opts.issuer ?? createTokenIssuer(), now: opts.now ?? (() => new Date()), authorize: opts.authorize, log: [], faultsGiven: [] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID().replace(/-/g, '').toUpperCase();
    const receivedMs = performance.now();
    const latencyMs = latencyOf(ctx.fixture.service?.latencyMs);
    const timing = latencyMs === undefined ? {} : { receivedMs, latencyMs };
    const send = (r: SimResponse, why?: string): void => {
      ctx.log.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] as string, status: r.status, ...(why ? { why } : {}), ...timing, ...(latencyMs === undefined ? {} : { answeredMs: performance.now() }) });
      const payload = r.text !== undefined ? r.text : r.body === undefined ? '' : JSON.stringify(r.body);
      res.writeHead(r.status, { 'content-type': 'application/json', 'opc-request-id': requestId, date: ctx.now().toUTCString(), 'content-length': Buffer.byteLength(payload), ...r.headers });
      res.end(payload);
    };
    // A real region's round trip: the answer (whatever it is) comes no sooner than the latency.
    const answer = latencyMs === undefined ? dispatch(routes, ctx, req) : holdUntil(receivedMs + latencyMs).then(() => dispatch(routes, ctx, req));
    answer.then(
      (r) => send(r, r.why),
      (err: unknown) => {
        if (err instanceof ConnectionReset) {
          ctx.log.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] as string, status: 0, why: 'injected reset' });
          req.socket.destroy();
        } else if (err instanceof OciError) send({ status: err.status, body: { code: err.code, message: err.message }, headers: (err as OciError & { headers?: Record<string, string> }).headers }, err.why);
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
