// The simulated tenancy decides access the way IAM does: from its policies,
// evaluated by the same engine the doctor's policy check uses.
import { compilePolicies, dynamicGroupsOf, evaluate, VERBS, type EvaluationContext, type Need, type RequestPrincipal, type Verb } from '../core/policy/index.js';
import type { Fixture } from './fixture.js';
import type { DbPrincipal } from './db-session.js';
import type { SimContext } from './http/server.js';

/** `use database-connections` → a verb need; `{DB_CONNECT} database-connections` → a permission need. */
export function parseNeed(need: string): Need {
  const [first, ...rest] = need.trim().split(/\s+/);
  const resourceType = rest.join(' ');
  const perm = /^\{([A-Z_]+)\}$/.exec(first ?? '');
  if (perm) return { permission: perm[1] as string, resourceType };
  if (!(VERBS as readonly string[]).includes(first ?? '')) throw new Error(`simulator: bad access need '${need}'`);
  return { verb: first as Verb, resourceType };
}

/** Names of the dynamic groups an instance or resource principal falls in. */
export function dynamicGroupNames(fixture: Fixture, principal: DbPrincipal): string[] {
  return principalOf(fixture, principal).dynamicGroups.map((g) => g.name);
}

function principalOf(fixture: Fixture, p: DbPrincipal): RequestPrincipal {
  if (p.kind === 'user') {
    const user = fixture.users.find((u) => u.id === p.id);
    const groups = fixture.groups.filter((g) => user?.groupIds.includes(g.id)).map((g) => ({ id: g.id, name: g.name }));
    return { kind: 'user', id: p.id, userId: p.id, userName: user?.name, groups, dynamicGroups: [] };
  }
  if (p.kind === 'instance') {
    const instance = fixture.instances.find((i) => i.id === p.id);
    const member = instance ? dynamicGroupsOf({ kind: 'instance', instanceId: instance.id, compartmentId: instance.compartmentId, tags: instance.definedTags }, fixture.dynamicGroups) : { groups: [] };
    return { kind: 'instance', id: p.id, compartmentId: instance?.compartmentId, groups: [], dynamicGroups: member.groups };
  }
  const resource = fixture.resourcePrincipals.find((r) => r.id === p.id);
  const member = resource ? dynamicGroupsOf({ kind: 'resource', resourceId: resource.id, resourceType: resource.resourceType, compartmentId: resource.compartmentId }, fixture.dynamicGroups) : { groups: [] };
  return { kind: 'resource', id: p.id, compartmentId: resource?.compartmentId, groups: [], dynamicGroups: member.groups };
}

export function policyAuthorizer(fixture: Fixture): SimContext['authorize'] {
  const ctx: EvaluationContext = {
    tenancyId: fixture.tenancy.id,
    tenancyName: fixture.tenancy.name,
    compartments: [{ id: fixture.tenancy.id, name: fixture.tenancy.name, parentId: null }, ...fixture.compartments],
  };
  // Recompiled when a policy changes while the world runs (a fix applied during --watch).
  const signature = (): string => JSON.stringify(fixture.policies.map((p) => [p.compartmentId, p.statements]));
  let compiledFor = signature();
  let compiled = compilePolicies(fixture.policies, ctx);
  return (req, need, compartmentId, variables = {}) => {
    const p = req.principal;
    if (!p) return false;
    const now = signature();
    if (now !== compiledFor) [compiled, compiledFor] = [compilePolicies(fixture.policies, ctx), now];
    const principal = principalOf(fixture, { kind: p.kind, id: p.id });
    return evaluate({ principal, need: parseNeed(need), location: compartmentId, variables }, compiled, ctx).decision === 'allowed';
  };
}
