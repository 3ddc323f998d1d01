// X.509 federation (auth.<region>.<realm domain> `POST /v1/x509`): an
// instance trades its identity certificate for an instance-principal token.
//
// What oci-common's X509FederationClient sends: a JSON body
// `{certificate, purpose, publicKey, intermediateCertificates}` (base64 DER,
// PEM armour stripped), signed like any OCI request but with the leaf
// certificate's private key, `keyId="<tenancy>/fed-x509/<SHA-1 fingerprint of the
// leaf, colon hex>"`. This route checks all of it itself (it is not an API-key
// or token signature): the chain up to the authority's root, validity dates,
// the fingerprint and tenancy in keyId against the certificate, the signature,
// and that the instance exists. The answer is `{token}`, a principal JWT with
// `ptype: 'instance'` whose `jwk` is the presented session key.
import { createHash, createPublicKey, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import type { Fixture } from '../fixture.js';
import { publicKeyToJwk } from '../tokens.js';
import { defaultInstanceIdentityAuthority, type InstanceIdentityAuthority } from './imds.js';
import { OciError, type Route, type SimContext, type SimRequest } from './server.js';
import { parseSignatureHeader, verifyRequestSignature } from './signature.js';

type Instance = Fixture['instances'][number];

export interface FederationOptions {
  authority?: InstanceIdentityAuthority;
  /** Lifetime of the issued instance-principal token, seconds (default 1200). */
  tokenLifetimeSeconds?: number;
}

export interface X509FederationGrant {
  instance: Instance;
  tenancyId: string;
  /** The session public key the token is bound to (PEM). */
  sessionPublicKeyPem: string;
  /** SHA-1 fingerprint of the leaf, colon hex, lower case. */
  fingerprint: string;
}

const unauthenticated = (why: string) => new OciError(401, 'NotAuthenticated', `X.509 federation refused: ${why}`);

/** Base64 DER or PEM (armour optional, blanks anywhere) → DER. */
function der(value: string): Buffer {
  return Buffer.from(value.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function certificate(value: unknown, what: string): X509Certificate {
  if (typeof value !== 'string' || value.trim() === '') throw new OciError(400, 'InvalidParameter', `${what} is required`);
  try {
    return new X509Certificate(der(value));
  } catch {
    throw new OciError(400, 'InvalidParameter', `${what} is not an X.509 certificate`);
  }
}

function sessionKey(value: unknown): KeyObject {
  if (typeof value !== 'string' || value.trim() === '') throw new OciError(400, 'InvalidParameter', 'publicKey is required');
  try {
    const key = createPublicKey({ key: der(value), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch {
    throw new OciError(400, 'InvalidParameter', 'publicKey is not an RSA public key');
  }
}

/** `OU=opc-tenant:…` and friends from a subject as Node prints it (one attribute per line). */
export function opcSubjectValues(subject: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of subject.split('\n')) {
    const m = /^OU=(opc-[a-z]+):(.+)$/.exec(line.trim());
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

function colonHex(buf: Buffer): string {
  return buf.toString('hex').match(/../g)!.join(':');
}

/** Every check a federation request must pass; the grant, or the OciError to answer. */
export function verifyX509FederationRequest(req: SimRequest, ctx: SimContext, authority: InstanceIdentityAuthority): X509FederationGrant {
  const params = parseSignatureHeader(req.headers.authorization);
  if (!params) throw unauthenticated('the request is not signed');
  const body = req.json<{ certificate?: unknown; publicKey?: unknown; intermediateCertificates?: unknown; purpose?: unknown; fingerprintAlgorithm?: unknown }>();
  const purpose = body.purpose ?? 'DEFAULT';
  if (purpose !== 'DEFAULT') throw new OciError(400, 'InvalidParameter', `purpose ${String(purpose)} is not supported`);
  const leaf = certificate(body.certificate, 'certificate');
  const key = sessionKey(body.publicKey);
  const intermediates = Array.isArray(body.intermediateCertificates) ? body.intermediateCertificates.map((c, i) => certificate(c, `intermediateCertificates[${i}]`)) : [];

  // The chain: leaf ← one of the presented intermediates ← the trusted root.
  const root = new X509Certificate(authority.rootPem);
  const issuer = intermediates.find((c) => leaf.checkIssued(c) && leaf.verify(c.publicKey));
  if (!issuer) throw unauthenticated('the certificate is not issued by any presented intermediate certificate');
  if (!(issuer.checkIssued(root) && issuer.verify(root.publicKey))) throw unauthenticated('the intermediate certificate does not chain to a trusted root');
  const now = ctx.now().getTime();
  for (const [c, what] of [
    [leaf, 'certificate'],
    [issuer, 'intermediate certificate'],
  ] as const) {
    if (now < Date.parse(c.validFrom)) throw unauthenticated(`the ${what} is not yet valid (from ${c.validFrom})`);
    if (now > Date.parse(c.validTo)) throw unauthenticated(`the ${what} expired on ${c.validTo}`);
  }

  // keyId = <tenancy>/fed-x509/<fingerprint of the leaf>.
  const [keyTenancy, kind, keyFingerprint, ...rest] = params.keyId.split('/');
  if (kind !== 'fed-x509' || !keyTenancy || !keyFingerprint || rest.length > 0) throw unauthenticated(`keyId '${params.keyId}' is not <tenancy>/fed-x509/<fingerprint>`);
  const algorithm = typeof body.fingerprintAlgorithm === 'string' && /sha-?256/i.test(body.fingerprintAlgorithm) ? 'sha256' : 'sha1';
  const fingerprint = colonHex(createHash(algorithm).update(leaf.raw).digest());
  if (keyFingerprint.replace(/:/g, '').toLowerCase() !== fingerprint.replace(/:/g, '')) throw unauthenticated('the keyId fingerprint is not the certificate’s');
  const opc = opcSubjectValues(leaf.subject);
  const tenancyId = opc['opc-tenant'] ?? opc['opc-identity'];
  if (!tenancyId) throw unauthenticated('the certificate names no tenancy (OU=opc-tenant:…)');
  if (tenancyId !== keyTenancy) throw unauthenticated('the keyId tenancy is not the certificate’s');
  if (tenancyId !== ctx.fixture.tenancy.id) throw unauthenticated(`unknown tenancy ${tenancyId}`);

  const url = req.path + (req.query.toString() ? `?${req.query.toString()}` : '');
  const verdict = verifyRequestSignature({ method: req.method, url, headers: req.headers, body: req.body }, params, leaf.publicKey, ctx.now());
  if (!verdict.ok) throw unauthenticated(verdict.reason);

  const instanceId = opc['opc-instance'];
  const instance = ctx.fixture.instances.find((i) => i.id === instanceId);
  if (!instanceId || !instance) throw unauthenticated(`no instance ${instanceId ?? '(none named in the certificate)'} exists in the tenancy`);
  return { instance, tenancyId, sessionPublicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint };
}

export function federationRoutes(opts: FederationOptions = {}): Route[] {
  const authority = opts.authority ?? defaultInstanceIdentityAuthority();
  const lifetime = opts.tokenLifetimeSeconds ?? 1200;
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/x509$/,
      auth: 'none',
      handle(req, ctx) {
        const grant = verifyX509FederationRequest(req, ctx, authority);
        const iat = Math.floor(ctx.now().getTime() / 1000);
        const { instance } = grant;
        const token = ctx.issuer.issue({
          sub: instance.id,
          ptype: 'instance',
          tenant: grant.tenancyId,
          'opc-tenant': grant.tenancyId,
          'opc-instance': instance.id,
          'opc-compartment': instance.compartmentId,
          'opc-certtype': 'instance',
          ttype: 'x509',
          fprint: grant.fingerprint,
          iss: 'authService.oracle.com',
          aud: 'oci',
          iat,
          exp: iat + lifetime,
          jti: randomUUID(),
          jwk: publicKeyToJwk(grant.sessionPublicKeyPem),
        });
        return { status: 200, body: { token } };
      },
    },
  ];
}
