// The OCI SDK, behind one door. oci-* modules are heavy: they load here, on
// first use, never at start-up. The SDK's own retries are off (a broken
// credential must show its first error, not a minute of back-off); the
// doctor retries only what a busy service answers — 429, 5xx, a dropped
// connection — with a short, bounded back-off (`attempt`).
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { MAX_RESPONSE_BYTES } from './http-body.js';
import type { AuthenticationDetailsProvider } from 'oci-common';
import { applyProxyEnvironment } from './proxy.js';
import { cjsModule } from './cjs-module.js';
import type { DbKeyPair } from './rsa-key-pair.js';

/** What signs requests: an API key, or a session/principal token with its key. */
export type SigningIdentity =
  | { kind: 'api_key'; tenancy: string; user: string; fingerprint: string; privateKeyPem: string; passphrase?: string; region: string }
  | { kind: 'token'; token: string; privateKeyPem: string; passphrase?: string; region: string };

export interface OciFailure {
  ok: false;
  status: number;
  code: string;
  message: string;
  opcRequestId?: string;
  /** How many times the call was made before this answer was kept (absent: once). */
  attempts?: number;
  /** Set when the answer is one retries are for and the doctor stopped retrying: a throttled or failing service. */
  gaveUp?: 'throttled' | 'service-error';
}

export type OciResult<T> = { ok: true; value: T } | OciFailure;

export type ServiceName = 'identity' | 'dataplane' | 'auth' | 'secrets' | 'database' | 'dbtools' | 'dbtools-runtime';

export function providerFor(id: SigningIdentity): AuthenticationDetailsProvider {
  const key = signingKey(id.privateKeyPem, id.passphrase);
  if (id.kind === 'token') {
    return {
      getKeyId: async () => `ST$${id.token}`,
      getPrivateKey: () => key.pem,
      getPassphrase: () => key.passphrase,
    };
  }
  return {
    getKeyId: async () => `${id.tenancy}/${id.user}/${id.fingerprint}`,
    getPrivateKey: () => key.pem,
    getPassphrase: () => key.passphrase,
  };
}

// The key as oci-common gets it. Each SDK client parses its key with sshpk,
// whose pass-phrase decryption is PBKDF2 written in JavaScript (5 ms per
// client for a key Node encrypted with its default 2,048 rounds, more with
// more rounds; 16 % of the secret-leak suite's CPU, whose demo keys are
// encrypted), and the doctor makes a client per call. Node's OpenSSL decrypts
// it once instead; the clear key stays in this process's memory, as the
// SDK's parsed copy did.
let lastKey: { from: string; passphrase: string; pem: string } | undefined;
function signingKey(pem: string, passphrase: string | undefined): { pem: string; passphrase: string | null } {
  if (!passphrase) return { pem, passphrase: null };
  if (lastKey?.from === pem && lastKey.passphrase === passphrase) return { pem: lastKey.pem, passphrase: null };
  try {
    const clear = createPrivateKey({ key: pem, format: 'pem', passphrase }).export({ type: 'pkcs8', format: 'pem' }).toString();
    lastKey = { from: pem, passphrase, pem: clear };
    return { pem: clear, passphrase: null };
  } catch {
    // A key this cannot open goes to the SDK as it is, to fail there the way it does.
    return { pem, passphrase };
  }
}

interface SdkClient {
  endpoint: string;
  regionId: string;
}

/** Points a client at an override (--endpoint) or at the identity's region. */
export function aim(client: SdkClient, service: ServiceName, region: string, endpoints: Record<string, string>): void {
  const override = endpoints[service];
  if (override) client.endpoint = override;
  else client.regionId = region;
}

export async function clientConfig(): Promise<{ retryConfiguration: unknown }> {
  const common = cjsModule(await import('oci-common'));
  return { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } };
}

/**
 * A message as text. The SDK puts whatever the server sent into `message`
 * (a proxy's 407 page parses to an object), and undici's errors nest: never
 * "[object Object]", and never more than a screenful.
 */
export function messageText(value: unknown): string {
  const MAX = 2000;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Error) text = value.message;
  else if (value === undefined || value === null) text = '';
  else if (typeof (value as { message?: unknown }).message === 'string') {
    // The SDK's network failure: { message: "fetch failed", requestEndpoint, troubleshootingPage }.
    const v = value as { message: string; code?: unknown; requestEndpoint?: unknown };
    text = [v.message, typeof v.code === 'string' ? `(${v.code})` : '', typeof v.requestEndpoint === 'string' ? `at ${v.requestEndpoint}` : ''].filter(Boolean).join(' ');
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > MAX ? `${text.slice(0, MAX)}… (${text.length} chars)` : text;
}

export function failureOf(err: unknown): OciFailure {
  const e = err as { statusCode?: number; serviceCode?: unknown; message?: unknown; opcRequestId?: string };
  if (typeof e?.statusCode === 'number') {
    const code = typeof e.serviceCode === 'string' && e.serviceCode ? e.serviceCode : 'Unknown';
    return { ok: false, status: e.statusCode, code, message: messageText(e.message), opcRequestId: e.opcRequestId };
  }
  // Network failures (refused, DNS, TLS) come as plain errors: status 0.
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (cause?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return { ok: false, status: 0, code: 'ResponseTooLarge', message: `the response body was larger than ${MAX_RESPONSE_BYTES} bytes; the doctor stopped reading it` };
  }
  const code = typeof cause?.code === 'string' ? cause.code : 'NetworkError';
  return { ok: false, status: 0, code, message: messageText(cause?.message ?? (err instanceof Error ? err.message : err)) };
}

/** How long the doctor keeps retrying one read. */
export interface RetryPolicy {
  maxAttempts: number;
  /** First back-off; doubled each time, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Back-off spent on one read at most: well inside the shortest OCI check's time limit (15 s). */
  budgetMs: number;
}

/** A read that gave no answer for this long is not retried. */
const SLOW_SILENCE_MS = 2000;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 2000, budgetMs: 5000 };

/**
 * A run's retry state, shared by its reads. Once one read gave up on a
 * throttling service, later reads make one attempt each: waiting again would
 * only push the run past its checks' time limits.
 */
export interface RetryState {
  policy: RetryPolicy;
  throttledOut: boolean;
}

export function retryState(policy: RetryPolicy = DEFAULT_RETRY): RetryState {
  return { policy, throttledOut: false };
}

/** What a busy or struggling service answers: throttling and server errors. */
function isStrain(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Worth another attempt: a strained service, or no answer at all. The SDK
 * turns every network failure into `{message: 'fetch failed'}` without its
 * cause, so a dropped connection cannot be told from a refused one; both are
 * retried (the SDK's own default does the same), which costs an unreachable
 * endpoint at most the back-off budget.
 */
export function isRetryable(f: OciFailure): boolean {
  return isStrain(f.status) || (f.status === 0 && !PERMANENT_FAILURES.has(f.code));
}

/** Failures made on this side that no second attempt changes. */
const PERMANENT_FAILURES = new Set(['ResponseTooLarge', 'SdkRegionUnknown']);

/**
 * oci-common's instance-principal builder looks the metadata service's region
 * up in its table, ~/.oci/regions-config.json and OCI_REGION_METADATA; for a
 * region none of them knows it throws this before any request
 * (lib/auth/abstract-federation-client-authenticated-details-provider-builder.js).
 */
const SDK_REGION_UNKNOWN = /Endpoint for auth service is not known in region/;

/**
 * Runs an SDK call; retries what `isRetryable` accepts with exponential
 * back-off and jitter, within the policy's attempts and budget. The SDK's
 * error carries no response headers, so a `retry-after` cannot be honoured;
 * the back-off stays short instead.
 */
export async function attempt<T>(ctx: Pick<CallContext, 'retry'>, call: () => Promise<T>): Promise<OciResult<T>> {
  const state = ctx.retry;
  const policy = state && !state.throttledOut ? state.policy : { ...DEFAULT_RETRY, maxAttempts: 1 };
  let spent = 0;
  for (let n = 1; ; n++) {
    let failure: OciFailure;
    const started = Date.now();
    try {
      return { ok: true, value: await call() };
    } catch (err) {
      failure = failureOf(err);
    }
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)) * (0.5 + Math.random() / 2);
    // No answer after a long wait (a black hole, a stalled proxy) is not retried: it would only eat the check's time limit.
    const slowSilence = failure.status === 0 && Date.now() - started > SLOW_SILENCE_MS;
    if (!isRetryable(failure) || slowSilence || n >= policy.maxAttempts || spent + delay > policy.budgetMs) {
      // No answer after retries stays a reachability failure: the checks say so in their own words.
      if (!isStrain(failure.status)) return n > 1 ? { ...failure, attempts: n } : failure;
      if (state && failure.status === 429 && n > 1) state.throttledOut = true;
      return { ...failure, attempts: n, gaveUp: failure.status === 429 ? 'throttled' : 'service-error' };
    }
    spent += delay;
    await new Promise((r) => setTimeout(r, delay));
  }
}

export interface OciUser {
  id: string;
  name: string;
  dbUserName?: string;
  email?: string;
  canUseDbCredentials?: boolean;
}

export interface CallContext {
  endpoints: Record<string, string>;
  env: Readonly<Record<string, string | undefined>>;
  /** Retries for throttled and failing calls (absent: one attempt). */
  retry?: RetryState;
}

export async function getUser(id: SigningIdentity, userId: string, call: CallContext): Promise<OciResult<OciUser>> {
  // The proxy set-up, the client's module and oci-common load side by side.
  const [, { IdentityClient }, config] = await Promise.all([applyProxyEnvironment(call.env), import('oci-identity').then(cjsModule), clientConfig()]);
  const endpoints = call.endpoints;
  const client = new IdentityClient({ authenticationDetailsProvider: providerFor(id) }, config as never);
  aim(client, 'identity', id.region, endpoints);
  return attempt(call, async () => {
    const res = await client.getUser({ userId });
    const u = res.user;
    return { id: u.id, name: u.name, dbUserName: u.dbUserName, email: u.email, canUseDbCredentials: u.capabilities?.canUseDbCredentials };
  });
}

/**
 * The second-level domain of a region's realm, found as the SDK's clients
 * find it (oci-common lib/endpoint-builder.js, createEndpointFromRegionId):
 * its region table — oraclecloud.com (oc1), oraclegovcloud.com (oc2, oc3),
 * oraclegovcloud.uk (oc4), … — extended by ~/.oci/regions-config.json and
 * OCI_REGION_METADATA; for a region still unknown, the domain in
 * OCI_DEFAULT_REALM, else oc1's. The SDK reads this process's environment,
 * so this does too: it names the host the SDK will really call.
 */
export async function realmDomain(region: string): Promise<string> {
  const fallback = process.env.OCI_DEFAULT_REALM || 'oraclecloud.com';
  try {
    // Loaded on demand like every SDK module: the bundle holds oci-common in a chunk of its own.
    const common = cjsModule(await import('oci-common'));
    return common.Region.fromRegionId(region)?.realm.secondLevelDomain ?? fallback;
  } catch {
    return fallback;
  }
}

/** The base URL a service is reached at, for messages and the clock probe. */
export async function serviceBaseUrl(service: ServiceName, region: string, endpoints: Record<string, string>): Promise<string> {
  const override = endpoints[service];
  if (override) return override;
  const domain = await realmDomain(region);
  const host: Record<ServiceName, string> = {
    identity: `identity.${region}.oci.${domain}`,
    dataplane: `auth.${region}.${domain}`,
    auth: `auth.${region}.${domain}`,
    secrets: `secrets.vaults.${region}.oci.${domain}`,
    database: `database.${region}.${domain}`,
    dbtools: `dbtools.${region}.oci.${domain}`,
    'dbtools-runtime': `dbtools.${region}.oci.${domain}`,
  };
  return `https://${host[service]}`;
}

/** The server's clock, from the Date header of an unauthenticated request. */
export async function serverDate(baseUrl: string, signal: AbortSignal): Promise<Date | undefined> {
  try {
    const res = await fetch(baseUrl, { method: 'GET', signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]) });
    await res.body?.cancel();
    const d = res.headers.get('date');
    return d ? new Date(d) : undefined;
  } catch {
    return undefined;
  }
}

export interface PrincipalSession {
  identity: SigningIdentity;
  claims: Record<string, unknown>;
  /** Where the token was federated: the auth endpoint the SDK derived from the instance's region and realm (or the override). */
  federationEndpoint?: string;
}

/** What an instance-principal attempt learnt on the way, kept when it fails: the auth endpoint the SDK derived, if it got that far. */
export interface FederationTrace {
  federationEndpoint?: string;
}

/**
 * The session key an instance-principal federation binds its token to, made
 * by the caller (off the main thread) instead of by the SDK. oci-common's own
 * supplier (lib/auth/session-key-supplier.js) makes an RSA-2048 pair with
 * generateKeyPairSync when it is built and again in refreshKeys(), which the
 * federation client calls before every token request
 * (lib/auth/X509-federation-client.js): two blocking key generations per
 * attempt, a frozen screen meanwhile. The pair handed in is fresh and unused,
 * so the first refresh keeps it; a later one (a token renewed within the
 * run) makes a new pair as the SDK would.
 */
function sessionKeySupplier(fresh: DbKeyPair): { getKeyPair(): { getPublic(): string; getPrivate(): string }; refreshKeys(): void } {
  let pair = fresh;
  let refreshes = 0;
  return {
    getKeyPair: () => ({ getPublic: () => pair.publicKeyPem, getPrivate: () => pair.privateKeyPem }),
    refreshKeys: () => {
      if (refreshes++ === 0) return;
      const made = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      pair = { publicKeyPem: made.publicKey, privateKeyPem: made.privateKey };
    },
  };
}

/**
 * Instance principal: the SDK reads the instance identity from the metadata
 * service and federates it at the auth service (`/v1/x509`) for a token bound
 * to a fresh session key (`newKeyPair`, one per attempt). That exchange is
 * itself the signed call that proves the credentials.
 */
export async function instancePrincipalSession(opts: { imdsUrl: string; region?: string; call: CallContext; trace?: FederationTrace; newKeyPair: () => Promise<DbKeyPair> }): Promise<OciResult<PrincipalSession>> {
  await applyProxyEnvironment(opts.call.env);
  const common = cjsModule(await import('oci-common'));
  const { decodeJwt } = await import('../core/jwt.js');
  return attempt(opts.call, async () => {
    const builder = new common.InstancePrincipalsAuthenticationDetailsProviderBuilder();
    builder.sessionKeySupplier = sessionKeySupplier(await opts.newKeyPair()) as never;
    builder.metadataBaseUrl = opts.imdsUrl.endsWith('/') ? opts.imdsUrl : `${opts.imdsUrl}/`;
    const auth = opts.call.endpoints.auth;
    if (auth) builder.federationEndpoint = auth;
    // The SDK derives auth.<region>.<realm domain> from the metadata service's region while building; the
    // federation itself happens at getKeyId. The builder subclass defines a setter without a getter for
    // federationEndpoint, so the derived value is read from the field it is kept in.
    const derived = (): string | undefined => (builder as unknown as { _federationEndpoint?: string })._federationEndpoint || undefined;
    let keyId: string;
    let provider: Awaited<ReturnType<typeof builder.build>>;
    try {
      provider = await builder.build();
      keyId = await provider.getKeyId();
    } catch (err) {
      // Typed here, so the check reads a code rather than the SDK's wording, and no retry is spent on it.
      const message = err instanceof Error ? err.message : String(err);
      if (SDK_REGION_UNKNOWN.test(message)) throw Object.assign(new Error(message), { cause: { code: 'SdkRegionUnknown', message } });
      throw err;
    } finally {
      const endpoint = derived();
      if (opts.trace && endpoint) opts.trace.federationEndpoint = endpoint;
    }
    const token = keyId.startsWith('ST$') ? keyId.slice(3) : keyId;
    const jwt = decodeJwt(token);
    const claims = jwt.ok ? jwt.jwt.claims : {};
    const region = opts.region ?? provider.getRegion()?.regionId ?? '';
    return { identity: { kind: 'token', token, privateKeyPem: provider.getPrivateKey(), region }, claims, ...(derived() ? { federationEndpoint: derived() } : {}) };
  });
}
