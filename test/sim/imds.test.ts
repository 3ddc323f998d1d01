// The simulated instance metadata service and X.509 federation, driven by
// oci-common's real instance-principal provider: IMDS v2 certificates →
// signed /v1/x509 → an ST$ token the simulator accepts on other services.
import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as common from 'oci-common';
import { IdentityClient } from 'oci-identity';
import { decodeJwt } from '../../src/core/jwt.js';
import { federationRoutes, opcSubjectValues } from '../../src/sim/http/federation.js';
import { identityRoutes } from '../../src/sim/http/identity.js';
import { createInstanceIdentityAuthority, imdsRoutes, type InstanceIdentityAuthority } from '../../src/sim/http/imds.js';
import { startHttpSimulator, type RunningSimulator, type SimRequest } from '../../src/sim/http/server.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { keyFormatOf } from '../../src/core/private-key.js';

let sim: RunningSimulator;
let authority: InstanceIdentityAuthority;
const authorizeCalls: { principal?: string; kind?: string; need: string }[] = [];

const noRetry = { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } };

beforeAll(async () => {
  authority = createInstanceIdentityAuthority();
  sim = await startHttpSimulator(healthyTenancy(generateRsaKey().publicKeyPem), [...identityRoutes(), ...imdsRoutes({ instanceId: IDS.instance, authority }), ...federationRoutes({ authority })], {
    authorize: (req: SimRequest, need: string) => {
      authorizeCalls.push({ principal: req.principal?.id, kind: req.principal?.kind, need });
      return true;
    },
  });
});
afterAll(() => sim.close());

const imds = (path: string, headers: Record<string, string> = { Authorization: 'Bearer Oracle' }) => fetch(`${sim.url}/opc/v2/${path}`, { headers });

/** Signs a /v1/x509 request the way oci-common's AuthTokenRequestSigner does. */
function signedFederationRequest(o: { body: string; keyPem: string; keyId: string; date?: Date; base?: string }): RequestInit {
  const host = new URL(o.base ?? sim.url).host;
  const date = (o.date ?? new Date()).toUTCString();
  const sha = createHash('sha256').update(o.body).digest('base64');
  const headers: Record<string, string> = { date, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(o.body)), 'x-content-sha256': sha };
  const names = ['date', '(request-target)', 'host', 'content-type', 'content-length', 'x-content-sha256'];
  const line = (n: string) => (n === '(request-target)' ? '(request-target): post /v1/x509' : n === 'host' ? `host: ${host}` : `${n}: ${headers[n]}`);
  const signature = sign('sha256', Buffer.from(names.map(line).join('\n')), o.keyPem).toString('base64');
  headers.authorization = `Signature version="1",keyId="${o.keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`;
  return { method: 'POST', headers, body: o.body };
}

const b64 = (pem: string) => pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
const sha1Colon = (pem: string) => new X509Certificate(pem).fingerprint.toLowerCase();

describe('simulated instance metadata (IMDS v2)', () => {
  it('answers 401 without Authorization: Bearer Oracle, on every path', async () => {
    for (const path of ['instance/', 'instance/region', 'identity/cert.pem']) {
      expect((await imds(path, {})).status).toBe(401);
      expect((await imds(path, { Authorization: 'Bearer Other' })).status).toBe(401);
    }
  });

  it('describes the instance chosen at start: JSON document, region short code, canonical region name', async () => {
    const doc = (await (await imds('instance/')).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ id: IDS.instance, compartmentId: IDS.finance, displayName: 'app-1', region: 'iad', canonicalRegionName: 'us-ashburn-1', definedTags: { Operations: { Team: 'support' } } });
    expect(await (await imds('instance/region')).text()).toBe('iad');
    expect(await (await imds('instance/canonicalRegionName')).text()).toBe('us-ashburn-1');
    expect(await (await imds('instance/id')).text()).toBe(IDS.instance);
  });

  it('serves an identity certificate whose subject carries the instance, compartment and tenancy, its key and its issuer', async () => {
    const certPem = await (await imds('identity/cert.pem')).text();
    const keyPem = await (await imds('identity/key.pem')).text();
    const interPem = await (await imds('identity/intermediate.pem')).text();
    const cert = new X509Certificate(certPem);
    expect(opcSubjectValues(cert.subject)).toEqual({ 'opc-certtype': 'instance', 'opc-compartment': IDS.finance, 'opc-instance': IDS.instance, 'opc-tenant': IDS.tenancy });
    expect(keyPem.startsWith('-----BEGIN ')).toBe(true);
    expect(keyFormatOf(keyPem)).toBe('pkcs1');
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    const inter = new X509Certificate(interPem);
    expect(cert.checkIssued(inter) && cert.verify(inter.publicKey)).toBe(true);
    // The same instance keeps the same certificate.
    expect(await (await imds('identity/cert.pem')).text()).toBe(certPem);
  });
});

describe('instance principals end to end through oci-common', () => {
  it('builds a provider from IMDS + /v1/x509 whose ST$ token the simulator accepts on Identity', async () => {
    const builder = new common.InstancePrincipalsAuthenticationDetailsProviderBuilder();
    builder.metadataBaseUrl = `${sim.url}/opc/v2/`;
    builder.federationEndpoint = sim.url;
    const provider = await builder.build();
    // oci-common asks IMDS for the region only to derive the federation endpoint: with a custom endpoint the provider has none.
    expect(provider.getRegion()).toBeUndefined();

    const keyId = await provider.getKeyId();
    expect(keyId.startsWith('ST$')).toBe(true);
    const token = keyId.slice(3);
    const jwt = decodeJwt(token);
    expect(jwt.ok).toBe(true);
    if (!jwt.ok) return;
    expect(jwt.jwt.claims).toMatchObject({ sub: IDS.instance, ptype: 'instance', tenant: IDS.tenancy, 'opc-compartment': IDS.finance });
    // The token is bound to the provider's session key, not to the certificate key.
    const sessionPublic = createPublicKey(sessionPublicKeyPem(provider));
    // jwk is a JSON string, as the real federation service writes it.
    expect(typeof jwt.jwt.claims.jwk).toBe('string');
    expect((JSON.parse(jwt.jwt.claims.jwk as string) as { n: string }).n).toBe(sessionPublic.export({ format: 'jwk' }).n);

    const client = new IdentityClient({ authenticationDetailsProvider: provider }, noRetry);
    client.endpoint = sim.url;
    authorizeCalls.length = 0;
    const res = await client.getCompartment({ compartmentId: IDS.finance });
    expect(res.compartment.name).toBe('Finance');
    const federation = sim.ctx.log.filter((l) => l.path === '/v1/x509');
    expect(federation.at(-1)?.status).toBe(200);
    expect(sim.ctx.log.at(-1)).toMatchObject({ path: `/20160918/compartments/${IDS.finance}`, status: 200 });

    // Signed by the instance principal: a policy-checked call sees kind 'instance'.
    await client.listPolicies({ compartmentId: IDS.prod });
    expect(authorizeCalls.at(-1)).toMatchObject({ principal: IDS.instance, kind: 'instance', need: 'inspect policies' });
  });
});

/** The provider's session public key (its keyId is "ST$<token>"; the key pair sits in its supplier). */
function sessionPublicKeyPem(provider: object): string {
  const supplier = (provider as { sessionKeySupplier: { getKeyPair(): { getPublic(): string } } }).sessionKeySupplier;
  return supplier.getKeyPair().getPublic();
}

describe('X.509 federation refusals', () => {
  async function identity() {
    const cert = await (await imds('identity/cert.pem')).text();
    const key = await (await imds('identity/key.pem')).text();
    const inter = await (await imds('identity/intermediate.pem')).text();
    return { cert, key, inter };
  }
  const session = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const body = (cert: string, inter: string[]) => JSON.stringify({ certificate: b64(cert), purpose: 'DEFAULT', publicKey: b64(session.publicKey), intermediateCertificates: inter.map(b64) });

  it('accepts a hand-signed request and answers {token}', async () => {
    const { cert, key, inter } = await identity();
    const res = await fetch(`${sim.url}/v1/x509`, signedFederationRequest({ body: body(cert, [inter]), keyPem: key, keyId: `${IDS.tenancy}/fed-x509/${sha1Colon(cert)}` }));
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()) as object)).toEqual(['token']);
  });

  it('refuses an unsigned request, a wrong fingerprint, a wrong tenancy, a missing intermediate, a foreign CA, another key, a skewed clock', async () => {
    const { cert, key, inter } = await identity();
    const keyId = `${IDS.tenancy}/fed-x509/${sha1Colon(cert)}`;
    const post = async (init: RequestInit) => {
      const r = await fetch(`${sim.url}/v1/x509`, init);
      return { status: r.status, body: (await r.json()) as { code: string; message: string } };
    };
    const unsigned = await post({ method: 'POST', headers: { 'content-type': 'application/json' }, body: body(cert, [inter]) });
    expect(unsigned).toMatchObject({ status: 401, body: { code: 'NotAuthenticated' } });

    const wrongFp = await post(signedFederationRequest({ body: body(cert, [inter]), keyPem: key, keyId: `${IDS.tenancy}/fed-x509/${'00:'.repeat(19)}00` }));
    expect(wrongFp.body.message).toMatch(/fingerprint/);

    const wrongTenancy = await post(signedFederationRequest({ body: body(cert, [inter]), keyPem: key, keyId: `ocid1.tenancy.oc1..other/fed-x509/${sha1Colon(cert)}` }));
    expect(wrongTenancy.body.message).toMatch(/tenancy/);

    const noIntermediate = await post(signedFederationRequest({ body: body(cert, []), keyPem: key, keyId }));
    expect(noIntermediate).toMatchObject({ status: 401 });
    expect(noIntermediate.body.message).toMatch(/intermediate/);

    const foreign = createInstanceIdentityAuthority().identityFor({ id: IDS.instance, compartmentId: IDS.finance }, IDS.tenancy);
    const foreignCa = await post(signedFederationRequest({ body: body(foreign.certPem, [foreign.intermediatePem]), keyPem: foreign.keyPem, keyId: `${IDS.tenancy}/fed-x509/${sha1Colon(foreign.certPem)}` }));
    expect(foreignCa.body.message).toMatch(/trusted root/);

    const otherKey = await post(signedFederationRequest({ body: body(cert, [inter]), keyPem: session.privateKey, keyId }));
    expect(otherKey.body.message).toMatch(/does not verify/);

    const skewed = await post(signedFederationRequest({ body: body(cert, [inter]), keyPem: key, keyId, date: new Date(Date.now() - 10 * 60_000) }));
    expect(skewed.body.message).toMatch(/5 minutes/);
  });

  it('refuses an expired certificate and an instance that is not in the tenancy', async () => {
    const expired = createInstanceIdentityAuthority({ leafLifetimeMs: -60_000 });
    const sim2 = await startHttpSimulator(healthyTenancy(generateRsaKey().publicKeyPem), [...imdsRoutes({ instanceId: IDS.instance, authority: expired }), ...federationRoutes({ authority: expired })], { authorize: () => true });
    try {
      const id = expired.identityFor({ id: IDS.instance, compartmentId: IDS.finance }, IDS.tenancy);
      const r = await fetch(`${sim2.url}/v1/x509`, signedFederationRequest({ base: sim2.url, body: body(id.certPem, [id.intermediatePem]), keyPem: id.keyPem, keyId: `${IDS.tenancy}/fed-x509/${sha1Colon(id.certPem)}` }));
      expect(r.status).toBe(401);
      expect(((await r.json()) as { message: string }).message).toMatch(/expired/);
    } finally {
      await sim2.close();
    }
    const ghost = authority.identityFor({ id: 'ocid1.instance.oc1.iad.aaaaaaaaterminated', compartmentId: IDS.finance }, IDS.tenancy);
    const r = await fetch(`${sim.url}/v1/x509`, signedFederationRequest({ body: body(ghost.certPem, [ghost.intermediatePem]), keyPem: ghost.keyPem, keyId: `${IDS.tenancy}/fed-x509/${sha1Colon(ghost.certPem)}` }));
    expect(r.status).toBe(401);
    expect(((await r.json()) as { message: string }).message).toMatch(/no instance/);
  });
});
