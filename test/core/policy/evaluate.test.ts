import { describe, expect, it } from 'vitest';
import { compilePolicies, evaluate, explainDecision } from '../../../src/core/policy/index.js';
import type { AccessRequest, EvaluationContext, PolicyInput, RequestPrincipal } from '../../../src/core/policy/index.js';

const ROOT = 'ocid1.tenancy.oc1..acme';
const FIN = 'ocid1.compartment.oc1..finance';
const PROD = 'ocid1.compartment.oc1..prod';
const DEV = 'ocid1.compartment.oc1..dev';
const HR = 'ocid1.compartment.oc1..hr';
const DB = 'ocid1.autonomousdatabase.oc1.iad.aaaa';
const OTHER_DB = 'ocid1.autonomousdatabase.oc1.iad.bbbb';

const ctx: EvaluationContext = {
  tenancyId: ROOT,
  tenancyName: 'acme',
  compartments: [
    { id: FIN, name: 'Finance', parentId: ROOT },
    { id: PROD, name: 'Prod', parentId: FIN },
    { id: DEV, name: 'Dev', parentId: FIN },
    { id: HR, name: 'HR', parentId: ROOT },
  ],
};

const alice: RequestPrincipal = {
  kind: 'user',
  userName: 'alice',
  userId: 'ocid1.user.oc1..alice',
  groups: [{ name: 'DBUsers', id: 'ocid1.group.oc1..dbusers' }],
  dynamicGroups: [],
};

const appInstance: RequestPrincipal = {
  kind: 'instance',
  id: 'ocid1.instance.oc1..app1',
  compartmentId: PROD,
  groups: [],
  dynamicGroups: [{ name: 'AppHosts', id: 'ocid1.dynamicgroup.oc1..apphosts' }],
};

function request(over: Partial<AccessRequest> = {}): AccessRequest {
  return {
    principal: alice,
    need: { verb: 'use', resourceType: 'database-connections' },
    location: PROD,
    variables: { 'target.database.id': DB },
    ...over,
  };
}

function policy(statements: string[], compartmentId = ROOT, name = 'p', extra: Partial<PolicyInput> = {}): PolicyInput {
  return { id: `ocid1.policy.oc1..${name}`, name, compartmentId, statements, ...extra };
}

const decide = (statements: string[], req: AccessRequest = request(), compartmentId = ROOT) =>
  evaluate(req, [policy(statements, compartmentId)], ctx).decision;

describe('what grants use database-connections', () => {
  it.each([
    'Allow group DBUsers to use database-connections in compartment Finance:Prod',
    "Allow group 'Default'/'DBUsers' to use database-connections in compartment Finance:Prod",
    'Allow group id ocid1.group.oc1..dbusers to use database-connections in compartment Finance:Prod',
    'Allow group dbusers to manage database-connections in compartment finance:prod',
    'Allow group DBUsers to use autonomous-database-family in compartment Finance',
    'Allow group DBUsers to manage all-resources in tenancy',
    'Allow group DBUsers to {DB_CONNECT} in compartment Finance:Prod',
    'Allow group DBUsers to {db_connect} in compartment Finance:Prod',
    'Allow any-user to use database-connections in tenancy',
    'Allow any-group to use database-connections in tenancy',
    `Allow group DBUsers to use database-connections in compartment id ${PROD}`,
    `Allow group DBUsers to use database-connections in compartment Finance:Prod where target.database.id = '${DB}'`,
  ])('%s', (statement) => {
    expect(decide([statement])).toBe('allowed');
  });

  it.each([
    'Allow group DBUsers to read database-connections in compartment Finance:Prod',
    'Allow group DBUsers to use secret-family in compartment Finance:Prod',
    'Allow group DBUsers to {SECRET_BUNDLE_READ} in compartment Finance:Prod',
    "Allow group 'Other'/'DBUsers' to use database-connections in tenancy",
    'Allow dynamic-group DBUsers to use database-connections in tenancy',
    'Allow service objectstorage to use database-connections in tenancy',
    'Allow group DBUsers to use database-connections in compartment Finance:Dev',
    'Allow group DBUsers to use virtual-network-family in tenancy',
  ])('not: %s', (statement) => {
    expect(decide([statement])).toBe('denied');
  });

  it('treats a DB_CONNECT need like use database-connections, both ways', () => {
    const req = request({ need: { permission: 'DB_CONNECT', resourceType: 'database-connections' } });
    expect(decide(['Allow group DBUsers to use database-connections in tenancy'], req)).toBe('allowed');
    expect(decide(['Allow group DBUsers to {DB_CONNECT} in tenancy'], req)).toBe('allowed');
    expect(decide(['Allow group DBUsers to read database-connections in tenancy'], req)).toBe('denied');
  });

  it('lets any-user and any-group cover instance principals (any-group includes every dynamic group)', () => {
    const req = request({ principal: appInstance });
    expect(decide(['Allow any-user to use database-connections in tenancy'], req)).toBe('allowed');
    expect(decide(['Allow any-group to use database-connections in tenancy'], req)).toBe('allowed');
    expect(decide(['Allow dynamic-group AppHosts to use database-connections in tenancy'], req)).toBe('allowed');
  });
});

describe('locations and inheritance', () => {
  it('applies a grant on a compartment to the compartments below it, never above', () => {
    expect(decide(['Allow group DBUsers to use database-connections in compartment Finance'])).toBe('allowed');
    expect(decide(['Allow group DBUsers to use database-connections in compartment Finance:Prod'], request({ location: FIN }))).toBe('denied');
    expect(decide(['Allow group DBUsers to use database-connections in compartment HR'])).toBe('denied');
    expect(decide(['Allow group DBUsers to use database-connections in tenancy'], request({ location: ROOT }))).toBe('allowed');
  });

  it('resolves names from the compartment the policy is attached to', () => {
    expect(decide(['Allow group DBUsers to use database-connections in compartment Prod'], request(), FIN)).toBe('allowed');
    expect(decide(['Allow group DBUsers to use database-connections in compartment Prod'], request(), ROOT)).toBe('denied');
    // A policy in Prod that names Prod itself.
    expect(decide(['Allow group DBUsers to use database-connections in compartment Prod'], request(), PROD)).toBe('allowed');
  });

  it('falls back on the policy compartment path when the tree lacks its id', () => {
    const p: PolicyInput = {
      ...policy(['Allow group DBUsers to use database-connections in compartment Prod'], 'ocid1.compartment.oc1..not-in-tree'),
      compartmentPath: ['Finance'],
    };
    expect(evaluate(request(), [p], ctx).decision).toBe('allowed');
    const lost = evaluate(request(), [{ ...p, compartmentPath: undefined }], ctx);
    expect(lost.nearMisses[0]?.reason).toBe(
      'location: the policy\'s compartment ocid1.compartment.oc1..not-in-tree is not in the compartment tree, so compartment Prod cannot be resolved',
    );
  });

  it('treats an unknown target compartment as directly in the tenancy', () => {
    const req = request({ location: 'ocid1.compartment.oc1..unknown' });
    expect(decide(['Allow group DBUsers to use database-connections in tenancy'], req)).toBe('allowed');
    expect(decide(['Allow group DBUsers to use database-connections in compartment id ocid1.compartment.oc1..unknown'], req)).toBe('allowed');
    expect(decide(['Allow group DBUsers to use database-connections in compartment Finance'], req)).toBe('denied');
  });
});

describe('where clauses against the request', () => {
  const stmt = (where: string): string => `Allow any-user to use database-connections in tenancy where ${where}`;

  it('makes a condition on a variable the request lacks false, also for != and not in', () => {
    const req = request({ variables: {} });
    expect(decide([stmt("target.database.id = 'x'")], req)).toBe('denied');
    expect(decide([stmt("target.database.id != 'x'")], req)).toBe('denied');
    expect(decide([stmt("target.database.id not in ('x')")], req)).toBe('denied');
    expect(decide([stmt("target.database.id != 'x'")])).toBe('allowed');
  });

  it('compares case-insensitively, with patterns and lists', () => {
    expect(decide([stmt(`target.database.id = '${DB.toUpperCase()}'`)])).toBe('allowed');
    expect(decide([stmt('target.compartment.name = /pro*/')])).toBe('allowed');
    expect(decide([stmt('target.compartment.name = /*dev/')])).toBe('denied');
    expect(decide([stmt(`target.database.id in ('${OTHER_DB}', '${DB}')`)])).toBe('allowed');
    expect(decide([stmt(`target.database.id not in ('${OTHER_DB}', '${DB}')`)])).toBe('denied');
  });

  it('evaluates nested any and all', () => {
    expect(decide([stmt("all {request.user.name = 'alice', any {request.region = 'phx', target.compartment.name = 'Prod'}}")])).toBe(
      'allowed',
    );
    expect(decide([stmt("all {request.user.name = 'alice', any {request.region = 'phx', target.compartment.name = 'Dev'}}")])).toBe(
      'denied',
    );
  });

  it('compares a variable with a variable, and a quoted variable name as text', () => {
    const req = request({ principal: appInstance });
    expect(decide([stmt('request.principal.compartment.id = target.compartment.id')], req)).toBe('allowed');
    expect(decide([stmt("request.principal.compartment.id = 'target.compartment.id'")], req)).toBe('denied');
    expect(decide([stmt('request.principal.compartment.id = target.compartment.id')], request({ principal: appInstance, location: DEV }))).toBe(
      'denied',
    );
  });

  it('matches OKE workloads through request.principal.type and friends', () => {
    const workload = request({
      principal: { kind: 'resource', type: 'workload', groups: [], dynamicGroups: [] },
      variables: { 'request.principal.namespace': 'finance', 'request.principal.service_account': 'app' },
    });
    expect(decide([stmt("all {request.principal.type = 'workload', request.principal.namespace = 'finance'}")], workload)).toBe('allowed');
    expect(decide([stmt("all {request.principal.type = 'workload', request.principal.namespace = 'hr'}")], workload)).toBe('denied');
  });

  it('takes several values for one variable (request.groups.id)', () => {
    const req = request({ principal: { ...alice, groups: [...alice.groups, { name: 'Ops', id: 'ocid1.group.oc1..ops' }] } });
    expect(decide([stmt("request.groups.id = 'ocid1.group.oc1..ops'")], req)).toBe('allowed');
    expect(decide([stmt("request.groups.id != 'ocid1.group.oc1..ops'")], req)).toBe('denied');
  });
});

describe('deny statements', () => {
  it('win over allow, and the allows they override are listed', () => {
    const d = evaluate(
      request(),
      [
        policy(['Allow group DBUsers to use database-connections in tenancy'], ROOT, 'grants'),
        policy(["Deny any-user to use database-connections in compartment Finance where target.database.id = '" + DB + "'"], ROOT, 'guard'),
      ],
      ctx,
    );
    expect(d.decision).toBe('denied');
    expect(d.deniedBy).toEqual({
      policy: 'guard',
      policyId: 'ocid1.policy.oc1..guard',
      statementIndex: 0,
      statement: `Deny any-user to use database-connections in compartment Finance where target.database.id = '${DB}'`,
    });
    expect(d.grantedBy).toEqual([]);
    expect(d.overriddenGrants.map((g) => g.policy)).toEqual(['grants']);
    expect(d.nearMisses).toEqual([]);
    expect(d.suggestion).toBeUndefined();
  });

  it('do not apply when their condition fails', () => {
    expect(
      decide([
        'Allow group DBUsers to use database-connections in tenancy',
        `Deny any-user to use database-connections in tenancy where target.database.id = '${OTHER_DB}'`,
      ]),
    ).toBe('allowed');
  });

  it('deny a weaker verb only where that verb covers the need', () => {
    expect(decide(['Allow group DBUsers to use database-connections in tenancy', 'Deny group DBUsers to read database-connections in tenancy'])).toBe(
      'allowed',
    );
    expect(decide(['Allow group DBUsers to use database-connections in tenancy', 'Deny group DBUsers to manage database-connections in tenancy'])).toBe(
      'denied',
    );
  });
});

describe('near misses, word for word', () => {
  const FINANCE_DB = policy(
    [
      'Allow group DBAdmins to use database-connections in compartment Prod',
      'Allow group DBUsers to read database-connections in compartment Prod',
      'Allow group DBUsers to use secret-family in compartment Prod',
      'Allow group DBUsers to use database-connections in compartment Dev',
      `Allow group DBUsers to use database-connections in compartment Prod where target.database.id = '${OTHER_DB}'`,
      'Allow group DBUsers to use database-connections in compartment Prdo',
    ],
    FIN,
    'FinanceDB',
  );

  it('explains each kind, nearest first', () => {
    const d = evaluate(request(), [FINANCE_DB], ctx);
    expect(d.decision).toBe('denied');
    expect(d.nearMisses.map((m) => [m.statementIndex, m.kinds, m.reason])).toEqual([
      [1, ['verb'], 'verb: the statement grants read, but the request needs use'],
      [
        3,
        ['location'],
        'location: the statement applies in compartment Finance:Dev and the compartments below it, but the target is in compartment Finance:Prod',
      ],
      [
        4,
        ['where'],
        `where: target.database.id = '${OTHER_DB}' is false, because the request has target.database.id = '${DB}'`,
      ],
      [
        5,
        ['location'],
        'location: compartment Prdo is not found under compartment Finance (where the policy is attached), so the statement applies nowhere',
      ],
      [0, ['subject'], "subject: the statement names group 'Default'/'DBAdmins', but user alice is only in 'Default'/'DBUsers'"],
      [2, ['resource'], 'resource: the statement covers secret-family, which does not include database-connections'],
    ]);
    expect(d.nearMisses[0]).toEqual({
      policy: 'FinanceDB',
      policyId: 'ocid1.policy.oc1..FinanceDB',
      statementIndex: 1,
      statement: 'Allow group DBUsers to read database-connections in compartment Prod',
      kinds: ['verb'],
      details: [{ kind: 'verb', text: 'the statement grants read, but the request needs use' }],
      reason: 'verb: the statement grants read, but the request needs use',
    });
  });

  it('says when the request lacks the variable a condition needs', () => {
    const d = evaluate(request({ variables: {} }), [policy([`Allow group DBUsers to use database-connections in tenancy where target.database.id = '${DB}'`])], ctx);
    expect(d.nearMisses[0]?.reason).toBe(`where: target.database.id = '${DB}' is false, because the request does not carry target.database.id`);
  });

  it('lists several failed aspects in one near miss', () => {
    const d = evaluate(request({ principal: appInstance }), [FINANCE_DB], ctx);
    expect(d.nearMisses.find((m) => m.statementIndex === 1)?.reason).toBe(
      "subject: the statement names group 'Default'/'DBUsers', but instance ocid1.instance.oc1..app1 is not a user: instance and resource principals are matched through dynamic groups, not groups; verb: the statement grants read, but the request needs use",
    );
  });

  it('explains permission lists and permission needs', () => {
    const perms = evaluate(request(), [policy(['Allow group DBUsers to {SECRET_BUNDLE_READ} in tenancy'])], ctx);
    expect(perms.nearMisses[0]?.reason).toBe('verb: the statement grants {SECRET_BUNDLE_READ}, but use database-connections needs {DB_CONNECT}');
    const need = request({ need: { permission: 'DB_CONNECT', resourceType: 'database-connections' } });
    expect(evaluate(need, [policy(['Allow group DBUsers to read database-connections in tenancy'])], ctx).nearMisses[0]?.reason).toBe(
      'verb: the statement grants read, but DB_CONNECT on database-connections needs use',
    );
  });

  it('explains subjects for each kind of principal', () => {
    const reason = (statement: string, principal: RequestPrincipal): string | undefined =>
      evaluate(request({ principal }), [policy([statement])], ctx).nearMisses[0]?.reason;
    expect(reason('Allow dynamic-group AppHosts to use database-connections in tenancy', alice)).toBe(
      "subject: the statement names dynamic-group 'Default'/'AppHosts', but user alice is a user: users are matched through groups, not dynamic groups",
    );
    expect(reason('Allow dynamic-group DbHosts to use database-connections in tenancy', appInstance)).toBe(
      "subject: the statement names dynamic-group 'Default'/'DbHosts', but instance ocid1.instance.oc1..app1 is only in 'Default'/'AppHosts'",
    );
    expect(reason('Allow dynamic-group DbHosts to use database-connections in tenancy', { ...appInstance, dynamicGroups: [] })).toBe(
      "subject: the statement names dynamic-group 'Default'/'DbHosts', but instance ocid1.instance.oc1..app1 is in no dynamic group",
    );
    expect(reason('Allow group A, id ocid1.group.oc1..b to use database-connections in tenancy', { ...alice, groups: [] })).toBe(
      "subject: the statement names groups 'Default'/'A', id ocid1.group.oc1..b, but user alice is in no group",
    );
    expect(reason('Allow any-group to use database-connections in tenancy', { kind: 'service', serviceName: 'objectstorage', groups: [], dynamicGroups: [] })).toBe(
      'subject: the statement is for any-group, which covers users and instance and resource principals (every group and dynamic group), but the caller is service objectstorage',
    );
  });

  it('keeps only statements that miss by at most two aspects, and at most maxNearMisses', () => {
    const far = 'Allow group Nobody to read secret-family in compartment HR';
    expect(evaluate(request(), [policy([far])], ctx).nearMisses).toEqual([]);
    const many = Array.from({ length: 30 }, (_, i) => `Allow group G${i} to use database-connections in tenancy`);
    expect(evaluate(request(), [policy(many)], { ...ctx, maxNearMisses: 3 }).nearMisses.map((m) => m.statementIndex)).toEqual([0, 1, 2]);
  });
});

describe('the suggested statement', () => {
  const none: PolicyInput[] = [policy(['Allow group Nobody to inspect users in compartment HR'])];

  it('names a group the user is in, the exact need, the target path and the database', () => {
    const d = evaluate(request(), none, ctx);
    expect(d.suggestion).toEqual({
      statement: `Allow group 'Default'/'DBUsers' to use database-connections in compartment Finance:Prod where target.database.id = '${DB}'`,
      attachToCompartmentId: ROOT,
      notes: [],
    });
  });

  it('prefers the group a near-miss statement already names', () => {
    const principal = { ...alice, groups: [{ name: 'Everyone', id: 'g1' }, { name: 'DBUsers', id: 'g2', domain: 'Corp' }] };
    const d = evaluate(request({ principal }), [policy(["Allow group 'Corp'/'DBUsers' to read database-connections in tenancy"])], ctx);
    expect(d.suggestion?.statement).toBe(
      `Allow group 'Corp'/'DBUsers' to use database-connections in compartment Finance:Prod where target.database.id = '${DB}'`,
    );
  });

  it('names a user without groups by OCID, and says a group is better', () => {
    const d = evaluate(request({ principal: { ...alice, groups: [] }, variables: {}, location: ROOT }), none, ctx);
    expect(d.suggestion).toEqual({
      statement: "Allow any-user to use database-connections in tenancy where request.user.id = 'ocid1.user.oc1..alice'",
      attachToCompartmentId: ROOT,
      notes: ['user alice is in no group, so the statement names the user by OCID; a group is easier to maintain.'],
    });
  });

  it('names a dynamic group for an instance, or says one is needed', () => {
    expect(evaluate(request({ principal: appInstance }), none, ctx).suggestion?.statement).toBe(
      `Allow dynamic-group 'Default'/'AppHosts' to use database-connections in compartment Finance:Prod where target.database.id = '${DB}'`,
    );
    const d = evaluate(request({ principal: { ...appInstance, dynamicGroups: [] } }), none, ctx);
    expect(d.suggestion).toEqual({
      statement: `Allow dynamic-group '<new-dynamic-group>' to use database-connections in compartment Finance:Prod where target.database.id = '${DB}'`,
      attachToCompartmentId: ROOT,
      notes: [
        "instance ocid1.instance.oc1..app1 is in no dynamic group: a dynamic group is needed. Create one with the matching rule ALL {instance.id = 'ocid1.instance.oc1..app1'} and put its name in place of <new-dynamic-group>; a new dynamic group can take up to an hour to apply.",
      ],
    });
    expect(d.viaDynamicGroup).toBe(true);
  });

  it('names an OKE workload by its attributes', () => {
    const d = evaluate(
      request({
        principal: { kind: 'resource', type: 'workload', groups: [], dynamicGroups: [] },
        variables: {
          'target.database.id': DB,
          'request.principal.namespace': 'finance',
          'request.principal.service_account': 'app',
          'request.principal.cluster_id': 'ocid1.cluster.oc1..c',
        },
      }),
      none,
      ctx,
    );
    expect(d.suggestion?.statement).toBe(
      `Allow any-user to use database-connections in compartment Finance:Prod where all {request.principal.type = 'workload', request.principal.namespace = 'finance', request.principal.service_account = 'app', request.principal.cluster_id = 'ocid1.cluster.oc1..c', target.database.id = '${DB}'}`,
    );
    expect(d.viaDynamicGroup).toBe(false);
  });

  it('grants what it suggests', () => {
    for (const principal of [alice, appInstance, { ...alice, groups: [] }]) {
      const req = request({ principal });
      const suggestion = evaluate(req, none, ctx).suggestion?.statement as string;
      expect(evaluate(req, [policy([suggestion])], ctx).decision).toBe('allowed');
    }
  });
});

describe('flags, skipped statements and diagnostics', () => {
  it('flags a deciding policy created within 15 minutes of now', () => {
    const p = (timeCreated: string) => [policy(['Allow group DBUsers to use database-connections in tenancy'], ROOT, 'p', { timeCreated })];
    const now = '2025-06-01T12:00:00Z';
    expect(evaluate(request(), p('2025-06-01T11:50:00Z'), { ...ctx, now }).recentlyChanged).toBe(true);
    expect(evaluate(request(), p('2025-06-01T11:40:00Z'), { ...ctx, now }).recentlyChanged).toBe(false);
    expect(evaluate(request(), p('2025-06-01T11:50:00Z'), ctx).recentlyChanged).toBe(false);
    expect(evaluate(request(), p('not a date'), { ...ctx, now }).recentlyChanged).toBe(false);
  });

  it('flags a grant through a dynamic group', () => {
    const d = evaluate(request({ principal: appInstance }), [policy(['Allow dynamic-group AppHosts to use database-connections in tenancy'])], ctx);
    expect(d).toMatchObject({ decision: 'allowed', viaDynamicGroup: true });
  });

  it('skips bad and cross-tenancy statements, evaluates the rest, and says where the problems are', () => {
    const d = evaluate(
      request(),
      [
        policy(
          [
            'Allow group DBUsers to use database-connections',
            'Endorse group DBUsers to use database-connections in any-tenancy',
            'Allow group DBUsers to use database-connections in tenancy',
          ],
          ROOT,
          'mixed',
          { sourceLines: [3, 5, 8] },
        ),
      ],
      ctx,
    );
    expect(d.decision).toBe('allowed');
    expect(d.grantedBy.map((g) => g.statementIndex)).toEqual([2]);
    expect(d.skipped).toEqual({ invalid: 1, crossTenancy: 1 });
    expect(d.diagnostics.map((x) => [x.policy, x.statementIndex, x.sourceLine, x.code])).toEqual([
      ['mixed', 0, 3, 'missing-location'],
      ['mixed', 1, 5, 'cross-tenancy'],
    ]);
  });

  it('gives the same decision from compiled policies', () => {
    const policies = [policy(['Allow group DBUsers to use database-connections in compartment Finance'])];
    const compiled = compilePolicies(policies, ctx);
    expect(evaluate(request(), compiled, ctx)).toEqual(evaluate(request(), policies, ctx));
    expect(evaluate(request({ location: HR }), compiled, ctx).decision).toBe('denied');
  });
});

describe('the decision as text', () => {
  it('reads well when allowed', () => {
    const d = evaluate(request(), [policy(['Allow group DBUsers to use database-connections in compartment Finance'], ROOT, 'FinanceDB')], ctx);
    expect(explainDecision(d, request(), ctx)).toBe(
      [
        'Allowed: user alice may use database-connections in compartment Finance:Prod.',
        'Granted by:',
        "  policy 'FinanceDB', statement 1: Allow group DBUsers to use database-connections in compartment Finance",
      ].join('\n'),
    );
  });

  it('reads well when a deny wins', () => {
    const d = evaluate(
      request(),
      [policy(['Allow group DBUsers to use database-connections in tenancy', 'Deny any-user to manage database-connections in compartment Finance'], ROOT, 'P')],
      { ...ctx, now: '2025-06-01T12:00:00Z' },
    );
    expect(explainDecision(d, request(), ctx)).toBe(
      [
        'Denied: a deny statement matches user alice for use database-connections in compartment Finance:Prod, and deny wins over allow:',
        "  policy 'P', statement 2: Deny any-user to manage database-connections in compartment Finance",
        'Without it, these statements would allow the request:',
        "  policy 'P', statement 1: Allow group DBUsers to use database-connections in tenancy",
      ].join('\n'),
    );
  });

  it('reads well when nothing grants', () => {
    const req = request({ principal: { ...appInstance, dynamicGroups: [] } });
    const d = evaluate(
      req,
      [
        policy(['Allow dynamic-group AppHosts to use database-connections in compartment Prod', 'Allow group DBUsers to use database-connections'], FIN, 'FinanceDB', {
          timeCreated: '2025-06-01T11:59:00Z',
        }),
      ],
      { ...ctx, now: '2025-06-01T12:00:00Z' },
    );
    expect(explainDecision(d, req, ctx)).toBe(
      [
        'Denied: no statement grants instance ocid1.instance.oc1..app1 use database-connections in compartment Finance:Prod.',
        'Closest statements:',
        "  policy 'FinanceDB', statement 1: Allow dynamic-group AppHosts to use database-connections in compartment Prod",
        "    subject: the statement names dynamic-group 'Default'/'AppHosts', but instance ocid1.instance.oc1..app1 is in no dynamic group",
        'This statement would grant it (in a policy attached to the root compartment):',
        `  Allow dynamic-group '<new-dynamic-group>' to use database-connections in compartment Finance:Prod where target.database.id = '${DB}'`,
        "  Note: instance ocid1.instance.oc1..app1 is in no dynamic group: a dynamic group is needed. Create one with the matching rule ALL {instance.id = 'ocid1.instance.oc1..app1'} and put its name in place of <new-dynamic-group>; a new dynamic group can take up to an hour to apply.",
        'A dynamic group is involved: changes to a dynamic group or its matching rule can take up to an hour to apply.',
        '1 statement did not parse and was not evaluated (see the diagnostics).',
      ].join('\n'),
    );
  });

  it('mentions a recent change', () => {
    const d = evaluate(
      request(),
      [policy(['Allow group DBUsers to use database-connections in tenancy'], ROOT, 'New', { timeCreated: '2025-06-01T11:58:00Z' })],
      { ...ctx, now: new Date('2025-06-01T12:00:00Z') },
    );
    expect(explainDecision(d, request(), ctx).split('\n').at(-1)).toBe(
      'The deciding policy was created in the last 15 minutes: policy changes usually apply within seconds, so retry once before changing more.',
    );
  });
});

describe("the default domain's Administrators and deny statements", () => {
  const admin: RequestPrincipal = { kind: 'user', userName: 'root', userId: 'ocid1.user.oc1..root', groups: [{ name: 'Administrators', id: 'ocid1.group.oc1..admins' }], dynamicGroups: [] };
  const statements = ['Allow group Administrators to manage all-resources in tenancy', 'Deny any-user to use database-connections in tenancy'];

  it('names the deny statement that matched but was not applied, and says why', () => {
    const d = evaluate(request({ principal: admin }), [policy(statements)], ctx);
    expect(d.decision).toBe('allowed');
    expect(d.exemptedDeny?.statementIndex).toBe(1);
    expect(explainDecision(d, request({ principal: admin }), ctx)).toContain("members of the default domain's Administrators group are exempt from deny statements");
  });

  it('applies the deny to an Administrators group of another identity domain', () => {
    const other: RequestPrincipal = { ...admin, groups: [{ name: 'Administrators', id: 'ocid1.group.oc1..hradmins', domain: 'HR' }] };
    const d = evaluate(request({ principal: other }), [policy(["Allow group 'HR'/'Administrators' to manage all-resources in tenancy", statements[1] as string])], ctx);
    expect(d.decision).toBe('denied');
    expect(d.exemptedDeny).toBeUndefined();
    expect(d.deniedBy?.statementIndex).toBe(1);
  });
});
