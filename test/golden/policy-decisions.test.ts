// The golden decision table: every case's expected answer was written by hand
// from the Oracle page named in its `source`. The policy engine and the
// simulator's authorisation are both held to it; neither may be used to
// regenerate it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dynamicGroupsOf, evaluate } from '../../src/core/policy/index.js';
import type { AccessRequest, CompartmentInput, DynamicGroupInput, EvaluationContext, Need, RequestPrincipal, Verb } from '../../src/core/policy/index.js';
import { policyAuthorizer } from '../../src/sim/authorize.js';
import type { Fixture } from '../../src/sim/fixture.js';
import type { SimRequest } from '../../src/sim/http/server.js';

interface GoldenGroup {
  name: string;
  id: string;
  domain?: string;
}
interface GoldenPrincipal {
  kind: 'user' | 'instance' | 'resource';
  id: string;
  name?: string;
  groups?: string[];
  compartment?: string;
  resourceType?: string;
  tags?: Record<string, Record<string, string>>;
}
interface GoldenRule {
  name: string;
  id: string;
  rule: string;
}
interface GoldenCase {
  id: string;
  source: string;
  why: string;
  statements: string[];
  attachedTo?: string;
  dynamicGroups?: GoldenRule[];
  who: string;
  need: string;
  target: string;
  vars?: Record<string, string>;
  expect: 'allowed' | 'denied';
  by?: number[];
  /** Why the simulated tenancy cannot express this case. */
  sim?: string;
}
interface Golden {
  tenancy: { id: string; name: string };
  compartments: { path: string; id: string }[];
  groups: GoldenGroup[];
  principals: Record<string, GoldenPrincipal>;
  dynamicGroups: GoldenRule[];
  cases: GoldenCase[];
}

const golden = JSON.parse(readFileSync(new URL('./policy-decisions.json', import.meta.url), 'utf8')) as Golden;

const compartmentId = (path: string): string => {
  if (path === 'tenancy') return golden.tenancy.id;
  const c = golden.compartments.find((x) => x.path === path);
  if (!c) throw new Error(`golden: unknown compartment ${path}`);
  return c.id;
};

const compartments: CompartmentInput[] = golden.compartments.map((c) => {
  const parts = c.path.split(':');
  const parent = parts.length === 1 ? golden.tenancy.id : compartmentId(parts.slice(0, -1).join(':'));
  return { id: c.id, name: parts[parts.length - 1] as string, parentId: parent };
});

const ctx: EvaluationContext = { tenancyId: golden.tenancy.id, tenancyName: golden.tenancy.name, compartments };

function needOf(text: string): Need {
  const [first, ...rest] = text.split(' ');
  const resourceType = rest.join(' ');
  const perm = /^\{([A-Z_]+)\}$/.exec(first ?? '');
  return perm ? { permission: perm[1] as string, resourceType } : { verb: first as Verb, resourceType };
}

function rulesOf(c: GoldenCase): DynamicGroupInput[] {
  return (c.dynamicGroups ?? golden.dynamicGroups).map((g) => ({ id: g.id, name: g.name, matchingRule: g.rule }));
}

function principalOf(c: GoldenCase): RequestPrincipal {
  const p = golden.principals[c.who];
  if (!p) throw new Error(`golden: unknown principal ${c.who}`);
  if (p.kind === 'user') {
    const groups = (p.groups ?? []).map((id) => {
      const g = golden.groups.find((x) => x.id === id) as GoldenGroup;
      return g.domain ? { id: g.id, name: g.name, domain: g.domain } : { id: g.id, name: g.name };
    });
    return { kind: 'user', id: p.id, userId: p.id, userName: p.name, groups, dynamicGroups: [] };
  }
  const compartment = compartmentId(p.compartment as string);
  const attrs =
    p.kind === 'instance'
      ? { kind: 'instance' as const, instanceId: p.id, compartmentId: compartment, tags: p.tags }
      : { kind: 'resource' as const, resourceId: p.id, resourceType: p.resourceType, compartmentId: compartment, tags: p.tags };
  return { kind: p.kind, id: p.id, compartmentId: compartment, groups: [], dynamicGroups: dynamicGroupsOf(attrs, rulesOf(c)).groups };
}

const policiesOf = (c: GoldenCase) => [
  { id: `ocid1.policy.oc1..${c.id}`, name: c.id, compartmentId: compartmentId(c.attachedTo ?? 'tenancy'), statements: c.statements },
];

describe('the golden table itself', () => {
  it('holds at least 80 cases, each with an Oracle source and a unique id', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(80);
    expect(new Set(golden.cases.map((c) => c.id)).size).toBe(golden.cases.length);
    for (const c of golden.cases) {
      expect(c.source, c.id).toMatch(/^https:\/\/docs(\.cloud|\.public\.oneportal\.content\.oci)?\.oracle(cloud)?\.com\//);
      expect(c.why.length, c.id).toBeGreaterThan(10);
    }
  });

  it('covers both outcomes, every principal kind and deny', () => {
    const kinds = new Set(golden.cases.map((c) => golden.principals[c.who]?.kind));
    expect([...kinds].sort()).toEqual(['instance', 'resource', 'user']);
    expect(golden.cases.filter((c) => c.expect === 'denied').length).toBeGreaterThan(20);
    expect(golden.cases.some((c) => c.statements.some((s) => /^deny /i.test(s)))).toBe(true);
  });
});

describe('the policy engine against the golden table', () => {
  it.each(golden.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const request: AccessRequest = { principal: principalOf(c), need: needOf(c.need), location: compartmentId(c.target), variables: c.vars };
    const d = evaluate(request, policiesOf(c), ctx);
    expect(d.decision, `${c.why} (${c.source})`).toBe(c.expect);
    if (c.expect === 'allowed') {
      expect(d.grantedBy.map((g) => g.statementIndex), 'granting statements').toEqual(c.by ?? []);
    } else if (c.by) {
      expect(d.deniedBy?.statementIndex, 'the deny statement that decides').toBe(c.by[0]);
    } else {
      expect(d.deniedBy, 'no deny statement decides').toBeUndefined();
    }
  });
});

describe("the simulator's authorisation against the golden table", () => {
  const simCases = golden.cases.filter((c) => !c.sim);

  it('leaves out only cases it cannot express, each with a reason', () => {
    const skipped = golden.cases.filter((c) => c.sim);
    expect(skipped.length).toBeLessThan(golden.cases.length / 10);
    for (const c of skipped) expect(c.sim?.length).toBeGreaterThan(20);
  });

  function fixtureFor(c: GoldenCase): Fixture {
    const users = Object.values(golden.principals)
      .filter((p) => p.kind === 'user')
      .map((p) => ({ id: p.id, name: p.name as string, groupIds: p.groups ?? [], apiKeys: [], canUseDbCredentials: true, hasDbPassword: false }));
    const fixture = {
      tenancy: { id: golden.tenancy.id, name: golden.tenancy.name, homeRegion: 'us-ashburn-1', regions: ['us-ashburn-1'] },
      compartments: compartments.map((x) => ({ id: x.id, name: x.name, parentId: x.parentId as string })),
      users,
      groups: golden.groups.filter((g) => !g.domain).map((g) => ({ id: g.id, name: g.name })),
      dynamicGroups: rulesOf(c).map((g) => ({ id: g.id, name: g.name, matchingRule: g.matchingRule })),
      policies: policiesOf(c).map((p) => ({ ...p, timeCreated: '2026-01-01T00:00:00Z' })),
      instances: Object.values(golden.principals)
        .filter((p) => p.kind === 'instance')
        .map((p) => ({ id: p.id, displayName: p.id, compartmentId: compartmentId(p.compartment as string), region: 'us-ashburn-1', definedTags: p.tags ?? {} })),
      resourcePrincipals: Object.values(golden.principals)
        .filter((p) => p.kind === 'resource')
        .map((p) => ({ id: p.id, resourceType: p.resourceType as string, compartmentId: compartmentId(p.compartment as string) })),
    };
    // Only the parts the authoriser reads are filled in.
    return fixture as unknown as Fixture;
  }

  it.each(simCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const p = golden.principals[c.who] as GoldenPrincipal;
    const req = { principal: { kind: p.kind, id: p.id } } as unknown as SimRequest;
    const allowed = policyAuthorizer(fixtureFor(c))(req, c.need, compartmentId(c.target), c.vars ?? {});
    expect(allowed ? 'allowed' : 'denied', `${c.why} (${c.source})`).toBe(c.expect);
  });
});
