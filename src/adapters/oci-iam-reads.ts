// Identity reads for the policy check: policies, dynamic groups, the
// compartment tree and a user's groups. Each list is read to its last page
// (bounded), and each failure comes back as an OciFailure, never a throw.
import type { CompartmentInput, DynamicGroupInput, GroupMembership, PolicyInput } from '../core/policy/index.js';
import { aim, attempt, clientConfig, providerFor, type CallContext, type OciResult, type SigningIdentity } from './oci-sdk.js';
import { applyProxyEnvironment } from './proxy.js';
import { cjsModule } from './cjs-module.js';

/** No tenancy has this many pages of policies; the bound keeps a looping server from hanging the check. */
const MAX_PAGES = 200;

type IdentityClient = import('oci-identity').IdentityClient;

async function identityClient(id: SigningIdentity, call: CallContext): Promise<IdentityClient> {
  // The proxy set-up, the client's module and oci-common load side by side.
  const [, { IdentityClient }, config] = await Promise.all([applyProxyEnvironment(call.env), import('oci-identity').then(cjsModule), clientConfig()]);
  const client = new IdentityClient({ authenticationDetailsProvider: providerFor(id) }, config as never);
  aim(client, 'identity', id.region, call.endpoints);
  return client;
}

async function allPages<T>(fetchPage: (page: string | undefined) => Promise<{ items: T[]; opcNextPage?: string }>): Promise<T[]> {
  const out: T[] = [];
  let page: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const res = await fetchPage(page);
    out.push(...res.items);
    page = res.opcNextPage || undefined;
    if (!page) break;
  }
  return out;
}

function isoTime(t: unknown): string | undefined {
  if (t instanceof Date) return Number.isFinite(t.getTime()) ? t.toISOString() : undefined;
  return typeof t === 'string' ? t : undefined;
}

const active = (state: unknown): boolean => state === undefined || state === null || String(state).toUpperCase() === 'ACTIVE';

/** The policies attached to one compartment (not its children). */
export async function listPolicies(id: SigningIdentity, compartmentId: string, call: CallContext): Promise<OciResult<PolicyInput[]>> {
  const client = await identityClient(id, call);
  return attempt(call, async () => {
    const items = await allPages((page) => client.listPolicies({ compartmentId, ...(page ? { page } : {}) }));
    return items
      .filter((p) => active(p.lifecycleState))
      .map((p) => {
        const policy: PolicyInput = { id: p.id, name: p.name, compartmentId: p.compartmentId, statements: Array.isArray(p.statements) ? p.statements : [] };
        const created = isoTime(p.timeCreated);
        if (created) policy.timeCreated = created;
        return policy;
      });
  });
}

export interface DynamicGroupRead extends DynamicGroupInput {
  timeCreated?: string;
}

export async function listDynamicGroups(id: SigningIdentity, tenancyId: string, call: CallContext): Promise<OciResult<DynamicGroupRead[]>> {
  const client = await identityClient(id, call);
  return attempt(call, async () => {
    const items = await allPages((page) => client.listDynamicGroups({ compartmentId: tenancyId, ...(page ? { page } : {}) }));
    return items
      .filter((g) => active(g.lifecycleState))
      .map((g) => {
        const group: DynamicGroupRead = { id: g.id, name: g.name, matchingRule: g.matchingRule };
        const created = isoTime(g.timeCreated);
        if (created) group.timeCreated = created;
        return group;
      });
  });
}

/** Every compartment below the tenancy (one listing), or undefined fields on failure. */
export async function listCompartmentTree(id: SigningIdentity, tenancyId: string, call: CallContext): Promise<OciResult<CompartmentInput[]>> {
  const client = await identityClient(id, call);
  return attempt(call, async () => {
    const items = await allPages((page) =>
      client.listCompartments({ compartmentId: tenancyId, compartmentIdInSubtree: true, accessLevel: 'ANY' as never, ...(page ? { page } : {}) }),
    );
    return items.filter((c) => active(c.lifecycleState)).map((c) => ({ id: c.id, name: c.name, parentId: c.compartmentId }));
  });
}

/**
 * The compartments from `compartmentId` up to the tenancy, read one by one
 * (for callers who may not list the whole tree). Stops at the root or after
 * OCI's maximum nesting depth.
 */
export async function compartmentAncestry(id: SigningIdentity, tenancyId: string, compartmentId: string, call: CallContext): Promise<OciResult<CompartmentInput[]>> {
  const client = await identityClient(id, call);
  return attempt(call, async () => {
    const out: CompartmentInput[] = [];
    let cur = compartmentId;
    for (let depth = 0; depth < 8 && cur !== tenancyId; depth++) {
      const res = await client.getCompartment({ compartmentId: cur });
      const c = res.compartment;
      out.push({ id: c.id, name: c.name, parentId: c.compartmentId });
      if (!c.compartmentId || c.compartmentId === cur) break;
      cur = c.compartmentId;
    }
    return out;
  });
}

/** The groups a user is in, with their names (names are what most statements use). */
export async function listUserGroups(id: SigningIdentity, tenancyId: string, userId: string, call: CallContext): Promise<OciResult<GroupMembership[]>> {
  const client = await identityClient(id, call);
  const memberships = await attempt(call, () =>
    allPages((page) => client.listUserGroupMemberships({ compartmentId: tenancyId, userId, ...(page ? { page } : {}) })),
  );
  if (!memberships.ok) return memberships;
  const groups: GroupMembership[] = [];
  const ids = [...new Set(memberships.value.filter((m) => active(m.lifecycleState)).map((m) => m.groupId))];
  for (const groupId of ids) {
    const g = await attempt(call, () => client.getGroup({ groupId }));
    if (!g.ok) return g;
    groups.push({ id: g.value.group.id, name: g.value.group.name });
  }
  return { ok: true, value: groups.sort((a, b) => a.name.localeCompare(b.name)) };
}
