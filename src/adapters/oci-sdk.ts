// The OCI SDK, behind one door. oci-* modules are heavy: they load here, on
// first use, never at start-up. Requests are made once (no retries), so a
// broken credential shows its first error instead of a minute of back-off.
import { MAX_RESPONSE_BYTES } from './http-body.js';
import type { AuthenticationDetailsProvider } from 'oci-common';
import { applyProxyEnvironment } from './proxy.js';

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
}

export type OciResult<T> = { ok: true; value: T } | OciFailure;

export type ServiceName = 'identity' | 'dataplane' | 'auth' | 'secrets' | 'database' | 'dbtools' | 'dbtools-runtime';

export function providerFor(id: SigningIdentity): AuthenticationDetailsProvider {
  if (id.kind === 'token') {
    return {
      getKeyId: async () => `ST$${id.token}`,
      getPrivateKey: () => id.privateKeyPem,
      getPassphrase: () => id.passphrase ?? null,
    };
  }
  return {
    getKeyId: async () => `${id.tenancy}/${id.user}/${id.fingerprint}`,
    getPrivateKey: () => id.privateKeyPem,
    getPassphrase: () => id.passphrase ?? null,
  };
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
  const common = await import('oci-common');
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

export async function attempt<T>(call: () => Promise<T>): Promise<OciResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    return failureOf(err);
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
}

export async function getUser(id: SigningIdentity, userId: string, call: CallContext): Promise<OciResult<OciUser>> {
  await applyProxyEnvironment(call.env);
  const endpoints = call.endpoints;
  const { IdentityClient } = await import('oci-identity');
  const client = new IdentityClient({ authenticationDetailsProvider: providerFor(id) }, (await clientConfig()) as never);
  aim(client, 'identity', id.region, endpoints);
  return attempt(async () => {
    const res = await client.getUser({ userId });
    const u = res.user;
    return { id: u.id, name: u.name, dbUserName: u.dbUserName, email: u.email, canUseDbCredentials: u.capabilities?.canUseDbCredentials };
  });
}

/** The base URL a service is reached at, for messages and the clock probe. */
export function serviceBaseUrl(service: ServiceName, region: string, endpoints: Record<string, string>): string {
  const override = endpoints[service];
  if (override) return override;
  const host: Record<ServiceName, string> = {
    identity: `identity.${region}.oci.oraclecloud.com`,
    dataplane: `auth.${region}.oraclecloud.com`,
    auth: `auth.${region}.oraclecloud.com`,
    secrets: `secrets.vaults.${region}.oci.oraclecloud.com`,
    database: `database.${region}.oraclecloud.com`,
    dbtools: `dbtools.${region}.oci.oraclecloud.com`,
    'dbtools-runtime': `dbtools.${region}.oci.oraclecloud.com`,
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
}

/**
 * Instance principal: the SDK reads the instance identity from the metadata
 * service and federates it at the auth service (`/v1/x509`) for a token bound
 * to a fresh session key. That exchange is itself the signed call that proves
 * the credentials.
 */
export async function instancePrincipalSession(opts: { imdsUrl: string; region?: string; call: CallContext }): Promise<OciResult<PrincipalSession>> {
  await applyProxyEnvironment(opts.call.env);
  const common = await import('oci-common');
  const { decodeJwt } = await import('../core/jwt.js');
  return attempt(async () => {
    const builder = new common.InstancePrincipalsAuthenticationDetailsProviderBuilder();
    builder.metadataBaseUrl = opts.imdsUrl.endsWith('/') ? opts.imdsUrl : `${opts.imdsUrl}/`;
    const auth = opts.call.endpoints.auth;
    if (auth) builder.federationEndpoint = auth;
    const provider = await builder.build();
    const keyId = await provider.getKeyId();
    const token = keyId.startsWith('ST$') ? keyId.slice(3) : keyId;
    const jwt = decodeJwt(token);
    const claims = jwt.ok ? jwt.jwt.claims : {};
    const region = opts.region ?? provider.getRegion()?.regionId ?? '';
    return { identity: { kind: 'token', token, privateKeyPem: provider.getPrivateKey(), region }, claims };
  });
}
