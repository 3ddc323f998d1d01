import { defineCodes, findingFrom } from '../finding.js';
import type { DoctorCheck } from '../deps.js';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

const codes = defineCodes({
  proxyNotApplied: {
    code: 'env.proxy-not-applied',
    severity: 'warn',
    meaning:
      "A proxy variable is set. The doctor sends its own OCI calls through it, but Node's built-in fetch (which the OCI SDK uses) ignores proxy variables on Node 20, and node-oracledb uses a proxy only when its connect options or descriptor name one: your own Node application may go direct and time out.",
    fix: "In your application install undici's EnvHttpProxyAgent as the global dispatcher (or set NODE_USE_ENV_PROXY=1 on a Node release that supports it), and give node-oracledb httpsProxy/httpsProxyPort.",
  },
});

/** Shows a proxy URL without the credentials it may carry. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/i, '$1***@');
}

export const proxyCheck: DoctorCheck = {
  id: 'env.proxy',
  title: 'Proxy settings',
  category: 'env',
  dependsOn: [],
  timeoutMs: 2000,
  codes: codes.list,
  async run({ deps }) {
    const set = PROXY_VARS.filter((v) => deps.env[v]);
    if (set.length === 0) return { summary: 'no proxy variables set', findings: [] };
    const evidence: Record<string, string> = {};
    for (const v of set) evidence[v] = withoutCredentials(deps.env[v] as string);
    const noProxy = deps.env.NO_PROXY ?? deps.env.no_proxy;
    evidence.NO_PROXY = noProxy ? noProxy : '(not set)';
    return {
      summary: `${set.join(', ')} set`,
      findings: [
        findingFrom(codes.spec.proxyNotApplied, {
          title: `${set[0]} is set: your Node app must apply it itself`,
          evidence,
          commands: ["import { setGlobalDispatcher, EnvHttpProxyAgent } from 'undici'; setGlobalDispatcher(new EnvHttpProxyAgent());"],
        }),
      ],
    };
  },
};
