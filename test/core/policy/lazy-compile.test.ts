// compilePolicies keeps the statements the skim is sure of as text and parses
// them when evaluation reaches them, passing over those whose type, verb or
// subject cannot match the request. Whatever it leaves unparsed, a decision
// must be the one it gives when every statement is parsed first.
import { describe, expect, it } from 'vitest';
import {
  compilePolicies,
  evaluate,
  generateBenchCorpus,
  seededRandom,
  type AccessRequest,
  type CompiledPolicies,
  type EvaluationContext,
  type GroupMembership,
  type PolicyInput,
  type PrincipalKind,
  type VariableValue,
} from '../../../src/core/policy/index.js';
import { STATEMENTS } from './corpus.js';

function parsedUpFront(policies: readonly PolicyInput[], ctx: EvaluationContext): CompiledPolicies {
  const compiled = compilePolicies(policies, ctx);
  for (let k = 0; k < compiled.statementCount; k++) compiled.statementAt(k);
  return compiled;
}

const VERBS = ['inspect', 'read', 'use', 'manage'] as const;
const TYPES = ['database-connections', 'autonomous-databases', 'secret-bundles', 'objects', 'instances', 'users', 'all-resources'];

describe('statements parsed when evaluation reaches them', () => {
  it('decide every request as when all are parsed first: grants, denies, near misses, suggestion and diagnostics', () => {
    const rnd = seededRandom(314);
    const int = (n: number) => Math.floor(rnd() * n);
    const corpus = generateBenchCorpus({ policies: 300, statementsPerPolicy: 10, seed: 9 });
    // Some of the corpus's odd statements too, and groups whose names need care: regex characters, domains, case.
    const policies: PolicyInput[] = [
      ...corpus.policies,
      { id: 'ocid1.policy.oc1..odd', name: 'odd', compartmentId: corpus.context.tenancyId, statements: [...STATEMENTS] },
      {
        id: 'ocid1.policy.oc1..names',
        name: 'names',
        compartmentId: corpus.context.tenancyId,
        statements: [
          `Allow group 'a+b (ops)' to use database-connections in tenancy`,
          `Allow group 'Ops'/'DB.Users' to manage autonomous-databases in tenancy`,
          `Deny group dbusers to manage secret-bundles in tenancy`,
          `Allow dynamic-group 'Dom1'/'DynGroup5' to read all-resources in tenancy`,
          `Allow group id OCID1.GROUP.OC1..GROUP7 to inspect users in tenancy where request.region = 'iad'`,
          `Allow group 'Dom0'/'Group12', Group13 to {DB_CONNECT} in tenancy`,
        ],
      },
    ];
    const eager = parsedUpFront(policies, corpus.context);
    const compartments = corpus.context.compartments.map((c) => c.id);
    const groupNames = ['Group7', 'group12', 'Group13', 'BenchUsers', 'a+b (ops)', 'DB.Users', 'DBUsers', 'Administrators', 'Dom0/Group12'];
    let allowed = 0;
    let deniedByStatement = 0;
    for (let i = 0; i < 150; i++) {
      const groups: GroupMembership[] = [];
      for (let g = int(3); g > 0; g--) {
        const n = groupNames[int(groupNames.length)] as string;
        const domain = rnd() < 0.2 ? ['Dom0', 'Ops', 'dom1'][int(3)] : undefined;
        groups.push({ name: n, id: rnd() < 0.3 ? `ocid1.group.oc1..group${int(20)}` : `ocid1.group.oc1..${n.toLowerCase()}`, ...(domain ? { domain } : {}) });
      }
      const dynamicGroups: GroupMembership[] = rnd() < 0.3 ? [{ name: `DynGroup${int(10)}`, id: `ocid1.dynamicgroup.oc1..d${int(10)}`, ...(rnd() < 0.5 ? { domain: 'Dom1' } : {}) }] : [];
      const kind = (dynamicGroups.length > 0 ? 'instance' : ['user', 'user', 'any', 'service'][int(4)]) as PrincipalKind;
      const variables: Record<string, VariableValue> = {};
      if (rnd() < 0.5) variables['target.database.id'] = rnd() < 0.3 ? 'ocid1.autonomousdatabase.oc1.iad.benchtarget' : `ocid1.autonomousdatabase.oc1.iad.db${int(5000)}`;
      if (rnd() < 0.3) variables['request.operation'] = `NeverCalled${int(10)}`;
      if (rnd() < 0.3) variables['request.principal.type'] = ['user', 'workload'][int(2)] as string;
      const request: AccessRequest = {
        principal: { kind, userName: 'u', userId: 'ocid1.user.oc1..u', serviceName: kind === 'service' ? 'objectstorage' : undefined, groups, dynamicGroups },
        need: rnd() < 0.2 ? { permission: ['DB_CONNECT', 'SECRET_BUNDLE_READ'][int(2)] as string, resourceType: TYPES[int(TYPES.length)] as string } : { verb: VERBS[int(4)] as (typeof VERBS)[number], resourceType: TYPES[int(TYPES.length)] as string },
        location: compartments[int(compartments.length)] as string,
        variables,
      };
      // A fresh compile each time: a denied request parses every statement (for its near misses).
      const got = evaluate(request, compilePolicies(policies, corpus.context), corpus.context);
      expect(got).toEqual(evaluate(request, eager, corpus.context));
      if (got.decision === 'allowed') allowed++;
      if (got.deniedBy) deniedByStatement++;
    }
    // Both ways out were taken, and a deny decided some.
    expect(allowed).toBeGreaterThan(15);
    expect(150 - allowed).toBeGreaterThan(15);
    expect(deniedByStatement).toBeGreaterThan(0);
  });
});
