// The doctor against a tenancy that misbehaves the way real OCI does during
// incidents: throttling (429), server errors (500, 503), slow answers,
// dropped connections, and lists that come in pages. The real oci-* clients
// talk to the simulator; the expected answers are written by hand.
import { afterEach, describe, expect, it } from 'vitest';
import { listPolicies, listCompartmentTree } from '../../src/adapters/oci-iam-reads.js';
import { getUser, retryState, type CallContext, type SigningIdentity } from '../../src/adapters/oci-sdk.js';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { writeOciHome } from '../../src/sim/home.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';

const key = generateRsaKey();
const identity: SigningIdentity = { kind: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem, region: 'us-ashburn-1' };
// Short back-off: the behaviour, not the waiting, is under test.
const FAST = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, budgetMs: 1000 };

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(service: Fixture['service'], change?: (f: Fixture) => void): Promise<{ sim: RunningSimulator; call: CallContext }> {
  const fixture = healthyTenancy(key.publicKeyPem);
  fixture.service = service;
  change?.(fixture);
  sim = await startSimulator(fixture);
  return { sim, call: { endpoints: { identity: sim.url }, env: {}, retry: retryState(FAST) } };
}

const statuses = (s: RunningSimulator, path: string) => s.ctx.log.filter((l) => l.path === path).map((l) => l.status);

describe('retries of one read', () => {
  const userPath = `/20160918/users/${IDS.alice}`;

  it.each([
    ['a 429 with retry-after', { kind: 'throttle', retryAfterSeconds: 0 }, 429],
    ['a 500', { kind: 'internal-error' }, 500],
    ['a 503', { kind: 'unavailable' }, 503],
    ['a dropped connection', { kind: 'reset' }, 0],
  ] as const)('gets the real answer after %s', async (_what, fault, status) => {
    const { sim, call } = await start({ faults: [{ operation: `GET ${userPath}`, answers: [fault] }] });
    const res = await getUser(identity, IDS.alice, call);
    expect(res).toMatchObject({ ok: true, value: { id: IDS.alice } });
    expect(statuses(sim, userPath)).toEqual([status, 200]);
  });

  it('waits out a slow answer', async () => {
    const { sim, call } = await start({ faults: [{ operation: 'GET /20160918/users/*', answers: [{ kind: 'delay', delayMs: 50 }] }] });
    expect(await getUser(identity, IDS.alice, call)).toMatchObject({ ok: true });
    expect(statuses(sim, userPath)).toEqual([200]);
  });

  it('does not retry what a retry cannot cure (404, 401)', async () => {
    const { sim, call } = await start(undefined);
    const res = await getUser(identity, 'ocid1.user.oc1..aaaaaaaanobody', call);
    expect(res).toMatchObject({ ok: false, status: 404, code: 'NotAuthorizedOrNotFound' });
    expect(res.ok === false && res.gaveUp).toBeUndefined();
    expect(sim.ctx.log).toHaveLength(1);
  });

  it('gives up after its attempts, says it was throttled with the request id, and later reads try once', async () => {
    const throttle = { kind: 'throttle', retryAfterSeconds: 0 } as const;
    const { sim, call } = await start({ faults: [{ operation: '*', answers: Array(10).fill(throttle) }] });
    const res = await getUser(identity, IDS.alice, call);
    expect(res).toMatchObject({ ok: false, status: 429, code: 'TooManyRequests', attempts: 4, gaveUp: 'throttled', opcRequestId: expect.stringMatching(/^[0-9A-F]{32}$/) });
    expect(statuses(sim, userPath)).toEqual([429, 429, 429, 429]);
    // The run's reads now make one attempt each: no more waiting on a throttling tenancy.
    const next = await listPolicies(identity, IDS.prod, call);
    expect(next).toMatchObject({ ok: false, status: 429, gaveUp: 'throttled', attempts: 1 });
    expect(statuses(sim, '/20160918/policies')).toEqual([429]);
  });

  it('stays inside its back-off budget', async () => {
    const { call } = await start({ faults: [{ operation: '*', answers: Array(10).fill({ kind: 'unavailable' }) }] });
    const slow: CallContext = { ...call, retry: retryState({ maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 400, budgetMs: 300 }) };
    const started = Date.now();
    const res = await getUser(identity, IDS.alice, slow);
    expect(res).toMatchObject({ ok: false, status: 503, gaveUp: 'service-error' });
    // 50–100 ms, then 100–200 ms; a third wait would pass 300 ms of back-off.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.ok === false && res.attempts).toBeLessThanOrEqual(3);
  });
});

describe('paging', () => {
  it('reads every page of a list (opc-next-page)', async () => {
    const extra = ['one', 'two', 'three'].map((n, i) => ({ id: `ocid1.policy.oc1..aaaaaaaapaged${i}`, name: `paged-${n}`, compartmentId: IDS.prod, statements: ['Allow group DBUsers to inspect autonomous-databases in compartment Prod'], timeCreated: '2024-01-01T00:00:00Z' }));
    const { sim, call } = await start({ pageSize: 1 }, (f) => f.policies.push(...extra));
    const res = await listPolicies(identity, IDS.prod, call);
    // db-access lives in Prod, and the three added here: four policies, one a page.
    expect(res.ok && res.value.map((p) => p.name).sort()).toEqual(['db-access', 'paged-one', 'paged-three', 'paged-two']);
    expect(statuses(sim, '/20160918/policies')).toEqual([200, 200, 200, 200]);
    const tree = await listCompartmentTree(identity, IDS.tenancy, call);
    expect(tree.ok && tree.value.map((c) => c.name).sort()).toEqual(['Finance', 'Prod']);
  });
});

describe('a whole run against a tenancy that throttles every first call and pages every list', () => {
  async function doctor(change?: (f: Fixture) => void) {
    const { sim } = await start({ faults: [{ operation: '*', answers: [{ kind: 'throttle', retryAfterSeconds: 1 }] }], pageSize: 1 }, change);
    const home = tempDir();
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
    const endpoints = ['identity', 'dataplane', 'database', 'dbtools', 'dbtools-runtime'].flatMap((s) => ['--endpoint', `${s}=${sim.url}`]);
    const out = await runCli(['--format', 'json', '--only', 'db', '--adb-id', IDS.adb, '--dbtools-connection-id', IDS.dbtools, ...endpoints], { system: fakeSystem({ homeDir: home }), now: () => new Date(), env: {} });
    const doc = JSON.parse(out.stdout) as { checks: { id: string; status: string; findings: { code: string; severity: string }[] }[] };
    return { sim, doc, problems: doc.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code)) };
  }

  it('healthy: every read throttled once, still the identity panel and no problem', async () => {
    const { sim, doc, problems } = await doctor();
    expect(problems).toEqual([]);
    expect(doc.checks.find((c) => c.id === 'db.identity')?.findings[0]?.code).toBe('db.identity-confirmed');
    // Throttled it was: every distinct operation once, each retried to a real answer.
    expect(sim.ctx.faultsGiven.length).toBeGreaterThanOrEqual(8);
    expect(sim.ctx.faultsGiven.every((f) => f.kind === 'throttle')).toBe(true);
    expect(sim.ctx.log.filter((l) => l.status === 429)).toHaveLength(sim.ctx.faultsGiven.length);
  }, 60_000);

  it('no global mapping: the same verdict as an untroubled tenancy', async () => {
    const { problems } = await doctor((f) => Object.assign(f.autonomousDatabases[0]!, { globalUsers: [], globalRoles: [] }));
    expect(problems).toEqual(['db.no-global-mapping']);
  }, 60_000);

  it('throttled to the end: oci.throttled with the request id, not a wrong diagnosis', async () => {
    const throttle = { kind: 'throttle', retryAfterSeconds: 0 } as const;
    const { sim } = await start({ faults: [{ operation: 'GET /20160918/users/*', answers: Array(10).fill(throttle) }] });
    const home = tempDir();
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
    const out = await runCli(['--format', 'json', '--only', 'identity.whoami', '--endpoint', `identity=${sim.url}`], { system: fakeSystem({ homeDir: home }), now: () => new Date(), env: {} });
    const whoami = (JSON.parse(out.stdout) as { checks: { id: string; findings: { code: string; evidence: Record<string, string> }[] }[] }).checks.find((c) => c.id === 'identity.whoami');
    expect(whoami?.findings.map((f) => f.code)).toEqual(['oci.throttled']);
    expect(whoami?.findings[0]?.evidence).toMatchObject({ request: `GET /20160918/users/${IDS.alice}`, answer: expect.stringMatching(/^429 TooManyRequests/), 'opc-request-id': expect.stringMatching(/^[0-9A-F]{32}$/) });
    expect(Number(whoami?.findings[0]?.evidence.attempts)).toBeGreaterThan(1);
  }, 60_000);
});
