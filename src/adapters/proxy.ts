// Node 20's fetch (which the OCI SDK uses) ignores HTTPS_PROXY and friends.
// The doctor routes its own calls through the proxy the environment names,
// by installing undici's env-proxy dispatcher as fetch's global dispatcher.
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

export function proxySettings(env: Readonly<Record<string, string | undefined>>): { httpProxy?: string; httpsProxy?: string; noProxy?: string } | undefined {
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  if (!httpsProxy && !httpProxy) return undefined;
  return { httpProxy: httpProxy ?? httpsProxy, httpsProxy: httpsProxy ?? httpProxy, noProxy: env.NO_PROXY ?? env.no_proxy };
}

let installed: string | undefined;

/** Makes fetch honour the environment's proxy settings (or none); idempotent. */
export async function applyProxyEnvironment(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const settings = proxySettings(env);
  const key = JSON.stringify(settings ?? null);
  if (key === installed) return;
  const undici = await import('undici');
  undici.setGlobalDispatcher(settings ? new undici.EnvHttpProxyAgent(settings) : new undici.Agent());
  installed = key;
}

export const PROXY_ENV_VARS = PROXY_VARS;
