// The simulated Identity and IAM data-plane services, driven through the real
// oci-* SDK clients: real HTTP signatures, verified for real.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as common from 'oci-common';
import { IdentityClient } from 'oci-identity';
import { DataplaneClient } from 'oci-identitydataplane';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import { decodeJwt } from '../../src/core/jwt.js';
import { identityRoutes } from '../../src/sim/http/identity.js';
import { startHttpSimulator, type RunningSimulator } from '../../src/sim/http/server.js';
import { generateRsaKey, healthyTenancy, IDS, type GeneratedKey } from '../../src/sim/tenancy.js';
import { publicKeyToJwk } from '../../src/sim/tokens.js';
import { tempDir } from '../helpers/deps.js';

// BRIEF §13: every rejected signature, unknown key or expired token.
const NOT_AUTHN = 'The required information to complete authentication was not provided or was incorrect.';

let sim: RunningSimulator;
let key: GeneratedKey;
let clockOffsetMs = 0;
let allowInspect = true;

function provider(privateKeyPem: string, fingerprint: string) {
  return new common.SimpleAuthenticationDetailsProvider(IDS.tenancy, IDS.alice, fingerprint, privateKeyPem, null, common.Region.US_ASHBURN_1);
}

function identity(p: common.AuthenticationDetailsProvider): IdentityClient {
  const client = new IdentityClient({ authenticationDetailsProvider: p }, { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } });
  client.endpoint = sim.url;
  return client;
}

async function statusOf(promise: Promise<unknown>): Promise<{ statusCode?: number; serviceCode?: string; message?: string }> {
  try {
    await promise;
    return { statusCode: 200 };
  } catch (err) {
    return err as { statusCode?: number; serviceCode?: string };
  }
}

beforeAll(async () => {
  key = generateRsaKey();
  sim = await startHttpSimulator(healthyTenancy(key.publicKeyPem), identityRoutes(), {
    now: () => new Date(Date.now() + clockOffsetMs),
    authorize: () => allowInspect,
  });
});
afterAll(() => sim.close());

describe('simulated identity through the real SDK', () => {
  it('accepts a request signed with the registered API key and answers GetUser', async () => {
    const res = await identity(provider(key.privateKeyPem, apiKeyFingerprint(key.publicKeyPem))).getUser({ userId: IDS.alice });
    expect(res.user).toMatchObject({ id: IDS.alice, name: 'alice@example.com', dbUserName: 'alice', capabilities: { canUseDbCredentials: true } });
    expect(res.opcRequestId).toMatch(/^[0-9A-F]{32}$/);
    expect(sim.ctx.log.at(-1)).toMatchObject({ method: 'GET', path: `/20160918/users/${IDS.alice}`, status: 200 });
  });

  it('rejects a signature made with another key under the registered fingerprint (tampered)', async () => {
    const other = generateRsaKey();
    const err = await statusOf(identity(provider(other.privateKeyPem, apiKeyFingerprint(key.publicKeyPem))).getUser({ userId: IDS.alice }));
    expect(err).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
    // The generic words OCI uses for every authentication failure; the cause stays in the simulator's log.
    expect(err.message).toBe(NOT_AUTHN);
    expect(sim.ctx.log.at(-1)?.why).toMatch(/does not verify/);
  });

  it('rejects an unknown key', async () => {
    const other = generateRsaKey();
    const err = await statusOf(identity(provider(other.privateKeyPem, apiKeyFingerprint(other.publicKeyPem))).getUser({ userId: IDS.alice }));
    expect(err).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
    expect(err.message).toBe(NOT_AUTHN);
    expect(sim.ctx.log.at(-1)?.why).toBe('No API key with this fingerprint is registered for the user.');
  });

  it('rejects a clock more than 5 minutes off', async () => {
    clockOffsetMs = 6 * 60 * 1000;
    try {
      const err = await statusOf(identity(provider(key.privateKeyPem, apiKeyFingerprint(key.publicKeyPem))).getUser({ userId: IDS.alice }));
      expect(err).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
      // The one 401 that says why: the clock-skew wording.
      expect(err.message).toMatch(/^Date '.*' is not within allowed clock skew\. Current '.*', valid datetime range: \[/);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('lists memberships, policies per compartment, compartments and regions', async () => {
    const client = identity(provider(key.privateKeyPem, apiKeyFingerprint(key.publicKeyPem)));
    const m = await client.listUserGroupMemberships({ compartmentId: IDS.tenancy, userId: IDS.alice });
    expect(m.items.map((x) => x.groupId)).toEqual([IDS.dbUsers]);
    const p = await client.listPolicies({ compartmentId: IDS.prod });
    expect(p.items.map((x) => x.name)).toEqual(['db-access']);
    const c = await client.listCompartments({ compartmentId: IDS.tenancy, compartmentIdInSubtree: true });
    expect(c.items.map((x) => x.name).sort()).toEqual(['Finance', 'Prod']);
    const r = await client.listRegionSubscriptions({ tenancyId: IDS.tenancy });
    expect(r.items[0]).toMatchObject({ regionName: 'us-ashburn-1', isHomeRegion: true });
  });

  it('answers 404 NotAuthorizedOrNotFound when the policies deny listing policies', async () => {
    allowInspect = false;
    try {
      const err = await statusOf(identity(provider(key.privateKeyPem, apiKeyFingerprint(key.publicKeyPem))).listPolicies({ compartmentId: IDS.prod }));
      expect(err).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound', message: 'Authorization failed or requested resource not found.' });
    } finally {
      allowInspect = true;
    }
  });
});

describe('simulated IAM data plane and session tokens', () => {
  function dataplane(p: common.AuthenticationDetailsProvider): DataplaneClient {
    const client = new DataplaneClient({ authenticationDetailsProvider: p }, { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } });
    client.endpoint = sim.url;
    return client;
  }

  it('issues a DB token bound to the presented public key, for a well-formed scope', async () => {
    const dbKey = generateRsaKey();
    const scope = `urn:oracle:db::id::${IDS.finance}::${IDS.adb}`;
    const res = await dataplane(provider(key.privateKeyPem, apiKeyFingerprint(key.publicKeyPem))).generateScopedAccessToken({
      generateScopedAccessTokenDetails: { scope, publicKey: dbKey.publicKeyPem },
    });
    const jwt = decodeJwt(res.securityToken.token);
    expect(jwt.ok).toBe(true);
    if (!jwt.ok) return;
    expect(jwt.jwt.claims).toMatchObject({ sub: IDS.alice, scope });
    // jwk is a JSON string holding the key, as the real token services write it.
    expect(typeof jwt.jwt.claims.jwk).toBe('string');
    expect(JSON.parse(jwt.jwt.claims.jwk as string).n).toBe(JSON.parse(publicKeyToJwk(dbKey.publicKeyPem)).n);
    expect((jwt.jwt.claims.exp as number) - (jwt.jwt.claims.iat as number)).toBe(3600);
  });

  it('answers a malformed scope with 404 NotAuthorizedOrNotFound', async () => {
    const err = await statusOf(
      dataplane(provider(key.privateKeyPem, apiKeyFingerprint(key.publicKeyPem))).generateScopedAccessToken({
        generateScopedAccessTokenDetails: { scope: 'urn:oracle:db:id:*', publicKey: generateRsaKey().publicKeyPem },
      }),
    );
    expect(err).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });

  it('accepts requests signed with a session token (ST$) and its session key, and rejects an expired one', async () => {
    const session = generateRsaKey();
    const now = Math.floor(Date.now() / 1000);
    const dir = tempDir();
    const writeProfile = (token: string) => {
      writeFileSync(join(dir, 'token'), token);
      writeFileSync(join(dir, 'key.pem'), session.privateKeyPem);
      writeFileSync(join(dir, 'config'), `[DEFAULT]\nfingerprint=${apiKeyFingerprint(session.publicKeyPem)}\nkey_file=${join(dir, 'key.pem')}\ntenancy=${IDS.tenancy}\nregion=us-ashburn-1\nsecurity_token_file=${join(dir, 'token')}\n`);
      return new common.SessionAuthDetailProvider(join(dir, 'config'), 'DEFAULT');
    };
    const good = sim.ctx.issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now, exp: now + 3600, jwk: publicKeyToJwk(session.publicKeyPem) });
    const res = await identity(writeProfile(good)).getUser({ userId: IDS.alice });
    expect(res.user.id).toBe(IDS.alice);
    const expired = sim.ctx.issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now - 7200, exp: now - 3600, jwk: publicKeyToJwk(session.publicKeyPem) });
    const err = await statusOf(identity(writeProfile(expired)).getUser({ userId: IDS.alice }));
    expect(err).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
    expect(err.message).toBe(NOT_AUTHN);
    expect(sim.ctx.log.at(-1)?.why).toMatch(/expired/);
  });
});
