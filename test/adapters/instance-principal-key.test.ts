// The session key of an instance-principal federation: the one the run hands
// in (made off the main thread), not two made with generateKeyPairSync by
// oci-common's own supplier per attempt while the screen cannot draw. The
// real SDK federates against the simulator's metadata service and auth
// service, which binds the token to the key presented (`jwk` claim).
import { createRequire } from 'node:module';
import { createPublicKey } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { liveFacts } from '../../src/adapters/live-facts.js';
import { decodeJwt } from '../../src/core/jwt.js';
import { startSimulator } from '../../src/sim/index.js';
import { takeRsaKey } from '../../src/sim/key-pool.js';
import { healthyTenancy } from '../../src/sim/tenancy.js';

// oci-common reads crypto through require() at each call: a spy on the CommonJS module sees its key generations.
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');

let sim: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
  sim = await startSimulator(healthyTenancy(takeRsaKey().publicKeyPem));
});
afterAll(() => sim.close());
afterEach(() => vi.restoreAllMocks());

const configFor = (newKeyPair: () => Promise<{ privateKeyPem: string; publicKeyPem: string }>) => ({
  endpoints: { auth: sim.url, identity: sim.url },
  env: {},
  offline: false,
  nodeVersion: process.versions.node,
  imdsUrl: `${sim.url}/opc/v2/`,
  newKeyPair,
});

describe('instance principal session key', () => {
  it('federates with the key pair the run hands in, and the SDK generates none', async () => {
    const handed = takeRsaKey();
    const asked = vi.fn(async () => handed);
    const keygen = vi.spyOn(crypto, 'generateKeyPairSync');
    const res = await liveFacts(configFor(asked)).principals.instancePrincipalSession();
    expect(res.ok, JSON.stringify(res)).toBe(true);
    if (!res.ok) return;
    expect(asked).toHaveBeenCalledTimes(1);
    expect(keygen).not.toHaveBeenCalled();
    // The session signs with the handed private key, and the service bound the token to its public half.
    expect(res.value.identity.kind).toBe('token');
    expect(res.value.identity.privateKeyPem).toBe(handed.privateKeyPem);
    const token = res.value.identity.kind === 'token' ? res.value.identity.token : '';
    const jwt = decodeJwt(token);
    expect(jwt.ok).toBe(true);
    // The claim is the JWK as a JSON string.
    const jwk = JSON.parse(jwt.ok ? String(jwt.jwt.claims.jwk) : '{}') as Record<string, string>;
    expect(jwk.n).toBe((createPublicKey(handed.publicKeyPem).export({ format: 'jwk' }) as { n: string }).n);
  });
});
