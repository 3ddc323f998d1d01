// The simulator's per-call latency (fixture `service.latencyMs`): every
// answer, a metadata read or a refused signed call alike, comes no sooner
// than a wait drawn from the range, and the log says when each call arrived,
// how long it was held and when it was answered.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { generateRsaKey, healthyTenancy } from '../../src/sim/tenancy.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function call(path: string, headers: Record<string, string> = {}): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${sim?.url}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

describe('simulated latency per call', () => {
  it('holds every answer for a wait within the range, and logs it', async () => {
    const fixture = healthyTenancy(generateRsaKey().publicKeyPem);
    fixture.service = { ...fixture.service, latencyMs: { min: 40, max: 80 } };
    sim = await startSimulator(fixture);
    const answers = [
      await call('/opc/v2/instance/', { authorization: 'Bearer Oracle' }),
      // Unsigned, so refused: a refusal takes the round trip too.
      await call('/20160918/users/ocid1.user.oc1..nobody'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401]);
    for (const a of answers) expect(a.ms).toBeGreaterThanOrEqual(40);
    expect(sim.ctx.log).toHaveLength(2);
    for (const entry of sim.ctx.log) {
      expect(entry.latencyMs).toBeGreaterThanOrEqual(40);
      expect(entry.latencyMs).toBeLessThanOrEqual(80);
      expect((entry.answeredMs ?? 0) - (entry.receivedMs ?? 0)).toBeGreaterThanOrEqual(entry.latencyMs ?? 0);
    }
  });

  it('without a range, answers are not held and the log carries no timing', async () => {
    sim = await startSimulator(healthyTenancy(generateRsaKey().publicKeyPem));
    expect((await call('/opc/v2/instance/', { authorization: 'Bearer Oracle' })).status).toBe(200);
    expect(sim.ctx.log[0]).not.toHaveProperty('latencyMs');
    expect(sim.ctx.log[0]).not.toHaveProperty('receivedMs');
  });

  it('a fixture file with a latency range that is not numbers is refused', async () => {
    const { parseFixture } = await import('../../src/sim/fixture.js');
    const fixture = healthyTenancy(generateRsaKey().publicKeyPem) as unknown as Record<string, unknown>;
    expect(() => parseFixture(JSON.parse(JSON.stringify({ ...fixture, service: { latencyMs: { min: '40', max: 80 } } })))).toThrow(/latencyMs/);
  });
});
