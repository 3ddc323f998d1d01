// A large, deterministic tenancy for timing the parser and evaluator: by
// default 10,000 policies holding 100,000 statements of every subject,
// verb, location and condition form, and one request that exactly one
// statement (the very last) grants. Used by the tests (informational timing)
// and by the benchmark script.
import { compilePolicies, evaluate } from './evaluate.js';
import type { AccessRequest, CompartmentInput, EvaluationContext, PolicyInput } from './types.js';

export interface BenchCorpusOptions {
  policies?: number;
  statementsPerPolicy?: number;
  seed?: number;
}

export interface BenchCorpus {
  context: EvaluationContext;
  policies: PolicyInput[];
  request: AccessRequest;
  statementCount: number;
  /** What `evaluate(request, policies, context)` must decide. */
  expected: 'allowed';
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TENANCY = 'ocid1.tenancy.oc1..benchtenancy';
const DB_ID = 'ocid1.autonomousdatabase.oc1.iad.benchtarget';
const VERBS = ['inspect', 'read', 'use', 'manage'];
const TYPES = [
  'database-connections',
  'autonomous-database-family',
  'autonomous-databases',
  'secret-family',
  'secret-bundles',
  'database-tools-family',
  'database-tools-connections',
  'all-resources',
  'object-family',
  'instance-family',
];

/**
 * The statement as one flat string, as `JSON.parse` of an export yields it.
 * Built from pieces, it would be a tree of string fragments that the parser's
 * first look at flattens: time and memory a real export never costs.
 */
function asRead(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

export function generateBenchCorpus(opts: BenchCorpusOptions = {}): BenchCorpus {
  const policyCount = opts.policies ?? 10_000;
  const perPolicy = opts.statementsPerPolicy ?? 10;
  const rnd = seededRandom(opts.seed ?? 42);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;

  // 10 departments × 5 teams × 4 environments.
  const compartments: CompartmentInput[] = [{ id: TENANCY, name: 'bench' }];
  const paths = new Map<string, string[]>([[TENANCY, []]]);
  const children = new Map<string, string[]>();
  const add = (id: string, name: string, parentId: string): void => {
    compartments.push({ id, name, parentId });
    paths.set(id, [...(paths.get(parentId) ?? []), name]);
    children.set(parentId, [...(children.get(parentId) ?? []), id]);
  };
  for (let d = 0; d < 10; d++) {
    const dept = `ocid1.compartment.oc1..dept${d}`;
    add(dept, `Dept${d}`, TENANCY);
    for (let t = 0; t < 5; t++) {
      const team = `ocid1.compartment.oc1..dept${d}team${t}`;
      add(team, `Team${t}`, dept);
      for (const env of ['Dev', 'Test', 'Prod', 'Sandbox']) add(`${team}${env.toLowerCase()}`, env, team);
    }
  }
  const attachable = compartments.filter((c) => (paths.get(c.id)?.length ?? 0) < 3).map((c) => c.id);
  const descendants = (id: string): string[] => {
    const out: string[] = [];
    const stack = [...(children.get(id) ?? [])];
    while (stack.length > 0) {
      const c = stack.pop() as string;
      out.push(c);
      stack.push(...(children.get(c) ?? []));
    }
    return out;
  };

  const location = (policyCompartment: string): string => {
    const below = descendants(policyCompartment);
    const roll = rnd();
    if (policyCompartment === TENANCY && roll < 0.2) return 'tenancy';
    if (below.length === 0 || roll < 0.3) return `compartment id ${pick(compartments).id}`;
    const target = pick(below);
    const rel = (paths.get(target) ?? []).slice((paths.get(policyCompartment) ?? []).length);
    return `compartment ${rel.join(':')}`;
  };
  const group = (): string => {
    const n = int(1000);
    const r = rnd();
    if (r < 0.15) return `'Dom${n % 3}'/'Group${n}'`;
    if (r < 0.25) return `id ocid1.group.oc1..group${n}`;
    return `Group${n}`;
  };
  const condition = (): string => {
    switch (int(6)) {
      case 0:
        return `target.database.id = 'ocid1.autonomousdatabase.oc1.iad.db${int(5000)}'`;
      case 1:
        return `all {request.principal.type = 'user', target.compartment.name = /*Prod*/}`;
      case 2:
        return `any {request.operation = 'Op${int(50)}', request.user.name != 'svc${int(100)}', target.database.id in ('a${int(9)}', 'b${int(9)}')}`;
      case 3:
        return `request.principal.type = 'workload'`;
      case 4:
        return `all {request.principal.compartment.id = target.compartment.id, any {target.resource.tag.Env.Stage = 'prod', request.region = 'iad'}}`;
      default:
        return `target.compartment.name != /Sandbox*/`;
    }
  };
  const statement = (policyCompartment: string): string => {
    const effect = rnd() < 0.02 ? 'Deny' : 'Allow';
    const r = rnd();
    const subject =
      r < 0.6
        ? `group ${group()}${rnd() < 0.3 ? `, ${group()}` : ''}`
        : r < 0.8
          ? `dynamic-group DynGroup${int(300)}`
          : r < 0.95
            ? 'any-user'
            : 'any-group';
    const access = rnd() < 0.1 ? `{${pick(['DB_CONNECT', 'SECRET_BUNDLE_READ', 'INSTANCE_READ'])}}` : `${pick(VERBS)} ${pick(TYPES)}`;
    const where = effect === 'Deny' || rnd() < 0.5 ? ` where ${condition()}` : '';
    // A deny here must never hit the bench request: give it a condition the request cannot meet.
    const denyGuard = effect === 'Deny' ? ` where request.operation = 'NeverCalled${int(10)}'` : '';
    return `${effect} ${subject} to ${access} in ${location(policyCompartment)}${effect === 'Deny' ? denyGuard : where}`;
  };

  const policies: PolicyInput[] = [];
  let statementCount = 0;
  for (let p = 0; p < policyCount; p++) {
    const compartmentId = rnd() < 0.3 ? TENANCY : pick(attachable);
    const statements: string[] = [];
    for (let s = 0; s < perPolicy; s++) statements.push(asRead(statement(compartmentId)));
    statementCount += statements.length;
    policies.push({
      id: `ocid1.policy.oc1..bench${p}`,
      name: `bench-policy-${p}`,
      compartmentId,
      statements,
      timeCreated: new Date(Date.UTC(2025, 0, 1) + p * 60_000).toISOString(),
    });
  }
  // The one grant, in the last policy (replacing its last statement).
  const last = policies[policies.length - 1];
  if (last) {
    last.compartmentId = TENANCY;
    last.statements[last.statements.length - 1] =
      `Allow group 'Default'/'BenchUsers' to use database-connections in compartment Dept3:Team2:Prod where target.database.id = '${DB_ID}'`;
  } else {
    policies.push({
      id: 'ocid1.policy.oc1..bench-only',
      name: 'bench-policy-only',
      compartmentId: TENANCY,
      statements: [`Allow group 'Default'/'BenchUsers' to use database-connections in compartment Dept3:Team2:Prod where target.database.id = '${DB_ID}'`],
    });
    statementCount = 1;
  }

  return {
    context: { tenancyId: TENANCY, tenancyName: 'bench', compartments },
    policies,
    request: {
      principal: {
        kind: 'user',
        userName: 'bench-user',
        userId: 'ocid1.user.oc1..benchuser',
        groups: [
          { name: 'BenchUsers', id: 'ocid1.group.oc1..benchusers' },
          { name: 'Group7', id: 'ocid1.group.oc1..group7' },
        ],
        dynamicGroups: [],
      },
      need: { verb: 'use', resourceType: 'database-connections' },
      location: 'ocid1.compartment.oc1..dept3team2prod',
      variables: { 'target.database.id': DB_ID },
    },
    statementCount,
    expected: 'allowed',
  };
}

export interface BenchResult {
  policies: number;
  statements: number;
  parseMs: number;
  evaluateMs: number;
  totalMs: number;
  /** CPU time of the process (all threads, the garbage collector's included) over parse and evaluation. */
  cpuMs: number;
  decision: 'allowed' | 'denied';
}

/** Generates the corpus (not timed), then times parsing it and evaluating its request once. */
export function runPolicyBench(opts: BenchCorpusOptions = {}): BenchResult {
  const corpus = generateBenchCorpus(opts);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const compiled = compilePolicies(corpus.policies, corpus.context);
  const t1 = performance.now();
  const d = evaluate(corpus.request, compiled, corpus.context);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return {
    policies: corpus.policies.length,
    statements: corpus.statementCount,
    parseMs: t1 - t0,
    evaluateMs: t2 - t1,
    totalMs: t2 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    decision: d.decision,
  };
}
