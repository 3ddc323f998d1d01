// The instance metadata service (IMDS v2). Probed with a short timeout so a
// laptop, where 169.254.169.254 is a black hole, never hangs.
import { fetchErrorText, readJsonCapped } from './http-body.js';
export const DEFAULT_IMDS_URL = 'http://169.254.169.254/opc/v2/';
export const IMDS_PROBE_TIMEOUT_MS = 2000;

export type ImdsProbe =
  | { reachable: true; instanceId?: string; compartmentId?: string; region?: string; tenancyId?: string }
  | { reachable: false; reason: string };

export async function probeImds(baseUrl: string, signal: AbortSignal, timeoutMs = IMDS_PROBE_TIMEOUT_MS): Promise<ImdsProbe> {
  const url = new URL('instance/', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { headers: { Authorization: 'Bearer Oracle' }, signal: AbortSignal.any([signal, timeout]) });
    if (res.status === 401 || res.status === 403) return { reachable: false, reason: `answered ${res.status}: the v2 endpoint refused the request` };
    if (!res.ok) return { reachable: false, reason: `answered HTTP ${res.status}` };
    const body = (await readJsonCapped(res)) as Record<string, unknown>;
    return {
      reachable: true,
      instanceId: typeof body.id === 'string' ? body.id : undefined,
      compartmentId: typeof body.compartmentId === 'string' ? body.compartmentId : undefined,
      region: typeof body.canonicalRegionName === 'string' ? body.canonicalRegionName : typeof body.region === 'string' ? body.region : undefined,
      tenancyId: typeof body.tenantId === 'string' ? body.tenantId : undefined,
    };
  } catch (err) {
    if (timeout.aborted) return { reachable: false, reason: `no answer within ${timeoutMs / 1000} s` };
    return { reachable: false, reason: fetchErrorText(err) };
  }
}
