// Node 20's fetch (which the OCI SDK uses) ignores HTTPS_PROXY and friends.
// The doctor routes its own calls through the proxy the environment names,
// by installing undici's env-proxy dispatcher as fetch's global dispatcher.
import { MAX_RESPONSE_BYTES } from './http-body.js';
import { cjsModule } from './cjs-module.js';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/**
 * A proxy value as a URL undici can parse. Users write `user:pass@host:3128`
 * without a scheme (curl accepts it), and passwords with `/` or `@` unencoded;
 * a URL parser would cut the authority at the first `/` and crash or send the
 * wrong credentials. The scheme defaults to http, and the last `@` before the
 * host ends the credentials, which are then percent-encoded.
 */
export function normalizeProxyUrl(raw: string): string {
  const value = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  const rest = scheme ? value.slice(scheme[0].length) : value;
  const at = rest.lastIndexOf('@');
  if (at < 0) return `${scheme ? scheme[1] : 'http'}://${rest}`;
  const userinfo = rest.slice(0, at);
  const hostPart = rest.slice(at + 1);
  const colon = userinfo.indexOf(':');
  const encode = (s: string): string => encodeURIComponent(safeDecode(s));
  const creds = colon < 0 ? encode(userinfo) : `${encode(userinfo.slice(0, colon))}:${encode(userinfo.slice(colon + 1))}`;
  return `${scheme ? scheme[1] : 'http'}://${creds}@${hostPart}`;
}

/** Already-encoded credentials (`p%40ss`) stay as they are; a stray `%` is taken literally. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function proxySettings(env: Readonly<Record<string, string | undefined>>): { httpProxy?: string; httpsProxy?: string; noProxy?: string } | undefined {
  const httpsRaw = env.HTTPS_PROXY ?? env.https_proxy;
  const httpRaw = env.HTTP_PROXY ?? env.http_proxy;
  if (!httpsRaw && !httpRaw) return undefined;
  const httpsProxy = httpsRaw ? normalizeProxyUrl(httpsRaw) : undefined;
  const httpProxy = httpRaw ? normalizeProxyUrl(httpRaw) : undefined;
  return { httpProxy: httpProxy ?? httpsProxy, httpsProxy: httpsProxy ?? httpProxy, noProxy: env.NO_PROXY ?? env.no_proxy };
}

let installed: string | undefined;

/**
 * Builds with one Node warning, named by its code, left unsaid. undici's
 * EnvHttpProxyAgent announces once per process that it is experimental
 * (code UNDICI-EHPA, lib/dispatcher/env-http-proxy-agent.js); behind a proxy
 * that line would land on the user's stderr, in the middle of the screen.
 */
function withoutWarning<T>(code: string, make: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = function quieter(this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const options = rest[0];
    if (typeof options === 'object' && options !== null && (options as { code?: unknown }).code === code) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Makes fetch honour the environment's proxy settings (or none) and the response size limit; idempotent. */
export async function applyProxyEnvironment(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const settings = proxySettings(env);
  const key = JSON.stringify(settings ?? null);
  if (key === installed) return;
  // maxResponseSize: a peer that streams a body without end is cut off (the SDK reads bodies whole).
  const limits = { maxResponseSize: MAX_RESPONSE_BYTES };
  if (settings) {
    // The proxy agents take undici whole: its index adds the API methods
    // (connect, for the tunnel) to every dispatcher they build on.
    const undici = cjsModule(await import('undici'));
    undici.setGlobalDispatcher(withoutWarning('UNDICI-EHPA', () => new undici.EnvHttpProxyAgent({ ...settings, ...limits })));
  } else {
    // Without a proxy, fetch needs a plain Agent only: undici's index would
    // also load its fetch, WebSocket, cache and mock APIs, about half of its
    // load time in every run that calls OCI.
    const [{ setGlobalDispatcher }, { default: Agent }] = await Promise.all([import('undici/lib/global.js').then(cjsModule), import('undici/lib/dispatcher/agent.js')]);
    setGlobalDispatcher(new Agent(limits));
  }
  installed = key;
}

export const PROXY_ENV_VARS = PROXY_VARS;
