// Where the resources the policy check decides about live: the target
// Autonomous Database and the Database Tools connection (their compartments),
// and what a dynamic-group rule sees of this instance (its defined tags).
import { fetchErrorText, readJsonCapped } from './http-body.js';
import { getAutonomousDatabase } from './oci-database.js';
import { getDbToolsConnection } from './oci-dbtools.js';
import type { CallContext, OciResult, SigningIdentity } from './oci-sdk.js';

export interface ResourcePlace {
  id: string;
  compartmentId: string;
  displayName: string;
}

/** The database's place, from the one Autonomous Database reader. */
export async function getAutonomousDatabasePlace(id: SigningIdentity, adbId: string, call: CallContext): Promise<OciResult<ResourcePlace>> {
  const res = await getAutonomousDatabase(id, adbId, call);
  return res.ok ? { ok: true, value: { id: res.value.id, compartmentId: res.value.compartmentId, displayName: res.value.displayName } } : res;
}

/** The Database Tools connection's place, from the one connection reader. */
export async function getDbToolsConnectionPlace(id: SigningIdentity, connectionId: string, call: CallContext): Promise<OciResult<ResourcePlace>> {
  const res = await getDbToolsConnection(id, connectionId, call);
  return res.ok ? { ok: true, value: { id: res.value.id, compartmentId: res.value.compartmentId, displayName: res.value.displayName } } : res;
}

export interface InstanceAttributes {
  id?: string;
  compartmentId?: string;
  /** Defined tags, namespace → key → value (what `tag.ns.key.value` rules test). */
  definedTags: Record<string, Record<string, string>>;
  /** The instance's region and realm (`regionInfo`), in the shape OCI_REGION_METADATA takes; absent when the service gives none or an odd one. */
  regionInfo?: RegionInfo;
}

/** One region's metadata, as the instance metadata service, OCI_REGION_METADATA and ~/.oci/regions-config.json write it. */
export interface RegionInfo {
  realmKey: string;
  realmDomainComponent: string;
  regionKey: string;
  regionIdentifier: string;
}

/** Only plain DNS-label text: these values end up in a shell command the doctor prints. */
const REGION_INFO_VALUE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/;

function regionInfoOf(value: unknown): RegionInfo | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const keys = ['realmKey', 'realmDomainComponent', 'regionKey', 'regionIdentifier'] as const;
  if (!keys.every((k) => typeof v[k] === 'string' && REGION_INFO_VALUE.test(v[k] as string))) return undefined;
  return { realmKey: v.realmKey as string, realmDomainComponent: v.realmDomainComponent as string, regionKey: v.regionKey as string, regionIdentifier: v.regionIdentifier as string };
}

const IMDS_TIMEOUT_MS = 3000;

/** The instance's own metadata (IMDS v2 `instance/`), for the attributes matching rules test. */
export async function readInstanceAttributes(imdsUrl: string, signal?: AbortSignal): Promise<{ ok: true; value: InstanceAttributes } | { ok: false; reason: string }> {
  const url = new URL('instance/', imdsUrl.endsWith('/') ? imdsUrl : `${imdsUrl}/`);
  const timeout = AbortSignal.timeout(IMDS_TIMEOUT_MS);
  try {
    const res = await fetch(url, { headers: { Authorization: 'Bearer Oracle' }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, reason: `the metadata service answered HTTP ${res.status}` };
    }
    const body = (await readJsonCapped(res)) as Record<string, unknown>;
    const definedTags: Record<string, Record<string, string>> = {};
    const tags = body.definedTags;
    if (tags && typeof tags === 'object') {
      for (const [ns, keys] of Object.entries(tags as Record<string, unknown>)) {
        if (!keys || typeof keys !== 'object') continue;
        for (const [key, value] of Object.entries(keys as Record<string, unknown>)) {
          if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') (definedTags[ns] ??= {})[key] = String(value);
        }
      }
    }
    return {
      ok: true,
      value: {
        id: typeof body.id === 'string' ? body.id : undefined,
        compartmentId: typeof body.compartmentId === 'string' ? body.compartmentId : undefined,
        definedTags,
        ...(regionInfoOf(body.regionInfo) ? { regionInfo: regionInfoOf(body.regionInfo) } : {}),
      },
    };
  } catch (err) {
    return { ok: false, reason: timeout.aborted ? `no answer within ${IMDS_TIMEOUT_MS / 1000} s` : fetchErrorText(err) };
  }
}
