// Instance metadata service v2 (http://169.254.169.254/opc/v2/), as seen from
// one simulated compute instance chosen when the simulator starts: instance
// facts, region, and the instance identity certificate, key and intermediate
// that instance principals federate with (federation.ts).
//
// Every request needs `Authorization: Bearer Oracle`, or the answer is 401.
// Certificates are generated at run time by an identity authority (a root and
// an intermediate CA); a leaf per instance carries, as OCI's do, the instance,
// compartment and tenancy in OU= attributes (`opc-instance:`, `opc-compartment:`,
// `opc-tenant:`), which is where oci-common reads the tenancy from.
import { createPrivateKey, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import type { Fixture } from '../fixture.js';
import { realmOf, regionKeyOf } from '../realms.js';
import { forgeRsaPublicKey, nodeDigest, nodeRsaSigner, withNodeKeyIdentifier } from '../../core/tls/forge-sign.js';
import { pooledKeyMemo, takeRsaKey } from '../key-pool.js';
import { OciError, type Route, type SimContext, type SimRequest, type SimResponse } from './server.js';

const { pki } = forge;

type Instance = Fixture['instances'][number];

export const IMDS_AUTHORIZATION = 'Bearer Oracle';

export interface InstanceIdentity {
  instanceId: string;
  compartmentId: string;
  tenancyId: string;
  /** The leaf certificate (identity/cert.pem). */
  certPem: string;
  /** Its private key, PKCS#1 (identity/key.pem). */
  keyPem: string;
  /** The issuing intermediate (identity/intermediate.pem). */
  intermediatePem: string;
}

export interface InstanceIdentityAuthority {
  /** The root the federation endpoint trusts; never served by IMDS. */
  readonly rootPem: string;
  readonly intermediatePem: string;
  /** The identity certificate of an instance, made on first use and kept. */
  identityFor(instance: { id: string; compartmentId: string }, tenancyId: string): InstanceIdentity;
}

export interface AuthorityOptions {
  /** RSA key size (default 2048). */
  bits?: number;
  /** Leaf validity from now (default 2 hours; negative makes an expired leaf). */
  leafLifetimeMs?: number;
  now?: () => Date;
}

type Attr = { shortName: string; value: string };

/** An instance's key from the simulator's pool (no synchronous key generation per identity), PKCS#1 as IMDS serves it. */
function rsaKeyPair(bits: number): { privateKeyPem: string; publicKeyPem: string } {
  const pooled = takeRsaKey(bits);
  return { privateKeyPem: createPrivateKey(pooled.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString(), publicKeyPem: pooled.publicKeyPem };
}

function serialNumber(): string {
  const b = randomBytes(16);
  b[0] = (b[0] as number) & 0x7f;
  return b.toString('hex');
}

function makeCertificate(o: { subject: Attr[]; issuer: Attr[]; publicKeyPem: string; signerKeyPem: string; notBefore: Date; notAfter: Date; ca: boolean }): string {
  const cert = withNodeKeyIdentifier(forge, pki.createCertificate());
  cert.publicKey = forgeRsaPublicKey(forge, o.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = o.notBefore;
  cert.validity.notAfter = o.notAfter;
  cert.setSubject(o.subject);
  cert.setIssuer(o.issuer);
  cert.setExtensions(
    o.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', clientAuth: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  cert.sign(nodeRsaSigner(forge, o.signerKeyPem), nodeDigest(forge, 'sha256'));
  return pki.certificateToPem(cert);
}

/** OCI-style leaf subject: the instance in CN and the OU= attributes oci-common parses. */
export function instanceSubject(instanceId: string, compartmentId: string, tenancyId: string): Attr[] {
  return [
    { shortName: 'CN', value: instanceId },
    { shortName: 'OU', value: 'opc-certtype:instance' },
    { shortName: 'OU', value: `opc-compartment:${compartmentId}` },
    { shortName: 'OU', value: `opc-instance:${instanceId}` },
    { shortName: 'OU', value: `opc-tenant:${tenancyId}` },
  ];
}

export function createInstanceIdentityAuthority(opts: AuthorityOptions = {}): InstanceIdentityAuthority {
  const bits = opts.bits ?? 2048;
  const now = opts.now ?? (() => new Date());
  const t0 = now().getTime();
  const rootName: Attr[] = [
    { shortName: 'CN', value: 'Simulated OCI Identity Root' },
    { shortName: 'O', value: 'dbiam-doctor simulator' },
  ];
  const interName: Attr[] = [
    { shortName: 'CN', value: 'Simulated PKISVC Identity Intermediate' },
    { shortName: 'O', value: 'dbiam-doctor simulator' },
  ];
  // The CA pair is made when something first asks for it (most demo scenarios
  // never reach the metadata service's identity or federation): two keys and
  // two certificates a run does not spend otherwise. Its validity still
  // counts from the authority's creation.
  let ca: { rootPem: string; intermediatePem: string; interKeyPem: string } | undefined;
  const caPair = () => {
    if (ca) return ca;
    // The CA keys sign only here (forge reads PKCS#8): from the key pool when the demo filled it.
    const rootKey = takeRsaKey(bits);
    const rootPem = makeCertificate({ subject: rootName, issuer: rootName, publicKeyPem: rootKey.publicKeyPem, signerKeyPem: rootKey.privateKeyPem, notBefore: new Date(t0 - 86_400_000), notAfter: new Date(t0 + 10 * 365 * 86_400_000), ca: true });
    const interKey = takeRsaKey(bits);
    const intermediatePem = makeCertificate({ subject: interName, issuer: rootName, publicKeyPem: interKey.publicKeyPem, signerKeyPem: rootKey.privateKeyPem, notBefore: new Date(t0 - 86_400_000), notAfter: new Date(t0 + 5 * 365 * 86_400_000), ca: true });
    ca = { rootPem, intermediatePem, interKeyPem: interKey.privateKeyPem };
    return ca;
  };
  const issued = new Map<string, InstanceIdentity>();
  return {
    get rootPem() {
      return caPair().rootPem;
    },
    get intermediatePem() {
      return caPair().intermediatePem;
    },
    identityFor(instance, tenancyId) {
      const cacheKey = `${instance.id}|${instance.compartmentId}|${tenancyId}`;
      const known = issued.get(cacheKey);
      if (known) return known;
      const { intermediatePem, interKeyPem } = caPair();
      const key = rsaKeyPair(bits);
      const start = now().getTime();
      const lifetime = opts.leafLifetimeMs ?? 2 * 3_600_000;
      const certPem = makeCertificate({
        subject: instanceSubject(instance.id, instance.compartmentId, tenancyId),
        issuer: interName,
        publicKeyPem: key.publicKeyPem,
        signerKeyPem: interKeyPem,
        notBefore: new Date(Math.min(start, start + lifetime) - 300_000),
        notAfter: new Date(start + lifetime),
        ca: false,
      });
      const identity: InstanceIdentity = { instanceId: instance.id, compartmentId: instance.compartmentId, tenancyId, certPem, keyPem: key.privateKeyPem, intermediatePem };
      issued.set(cacheKey, identity);
      return identity;
    },
  };
}

/** One authority shared by imdsRoutes() and federationRoutes() when neither is given one. */
export const defaultInstanceIdentityAuthority: () => InstanceIdentityAuthority = pooledKeyMemo(() => createInstanceIdentityAuthority());

const REGION_KEYS: Record<string, string> = {
  'us-ashburn-1': 'iad',
  'us-phoenix-1': 'phx',
  'eu-frankfurt-1': 'fra',
  'uk-london-1': 'lhr',
  'ap-tokyo-1': 'nrt',
  'ca-toronto-1': 'yyz',
};

/** What /opc/v2/instance/region answers: the short code for the older regions, else the region identifier. */
export function imdsRegion(regionId: string): string {
  return REGION_KEYS[regionId] ?? regionId;
}

export function instanceMetadataModel(i: Instance): Record<string, unknown> {
  const short = imdsRegion(i.region);
  const realm = realmOf(i.region, i.realm);
  return {
    availabilityDomain: `Uocm:${i.region.toUpperCase()}-AD-1`,
    faultDomain: 'FAULT-DOMAIN-1',
    compartmentId: i.compartmentId,
    displayName: i.displayName,
    hostname: i.displayName,
    id: i.id,
    image: `ocid1.image.${realm.key}.${short}.aaaaaaaasimulatedimage`,
    metadata: {},
    region: short,
    canonicalRegionName: i.region,
    ociAdName: `${short}-ad-1`,
    regionInfo: { realmKey: realm.key, realmDomainComponent: realm.domain, regionKey: i.regionKey ?? regionKeyOf(i.region) ?? (short.length === 3 ? short.toUpperCase() : i.region.toUpperCase()), regionIdentifier: i.region },
    shape: 'VM.Standard.E4.Flex',
    state: 'Running',
    timeCreated: Date.parse('2024-01-01T00:00:00.000Z'),
    agentConfig: { monitoringDisabled: false, managementDisabled: false, allPluginsDisabled: false, pluginsConfig: [] },
    definedTags: i.definedTags,
    freeformTags: {},
  };
}

export interface ImdsOptions {
  /** The instance this metadata service belongs to (an id from the fixture's `instances`). */
  instanceId: string;
  authority?: InstanceIdentityAuthority;
}

function text(body: string, contentType = 'text/plain'): SimResponse {
  return { status: 200, text: body, headers: { 'content-type': contentType } };
}

export function imdsRoutes(opts: ImdsOptions): Route[] {
  const authority = opts.authority ?? defaultInstanceIdentityAuthority();
  const instanceOf = (req: SimRequest, ctx: SimContext): Instance => {
    if (req.headers.authorization !== IMDS_AUTHORIZATION) throw new OciError(401, 'NotAuthenticated', 'Instance metadata v2 requires the header Authorization: Bearer Oracle');
    const i = ctx.fixture.instances.find((x) => x.id === opts.instanceId);
    if (!i) throw new OciError(404, 'NotFound', `The simulated instance ${opts.instanceId} is not in the fixture`);
    return i;
  };
  const identity = (req: SimRequest, ctx: SimContext): InstanceIdentity => authority.identityFor(instanceOf(req, ctx), ctx.fixture.tenancy.id);
  return [
    {
      method: 'GET',
      pattern: /^\/opc\/v2\/instance\/?$/,
      auth: 'none',
      handle: (req, ctx) => ({ status: 200, body: instanceMetadataModel(instanceOf(req, ctx)) }),
    },
    {
      method: 'GET',
      pattern: /^\/opc\/v2\/instance\/([A-Za-z]+)$/,
      auth: 'none',
      handle(req, ctx) {
        const model = instanceMetadataModel(instanceOf(req, ctx));
        const key = req.params[0] as string;
        if (!(key in model)) throw new OciError(404, 'NotFound', `No instance metadata named ${key}`);
        const v = model[key];
        return typeof v === 'string' ? text(v) : { status: 200, body: v };
      },
    },
    {
      method: 'GET',
      pattern: /^\/opc\/v2\/identity\/(cert|key|intermediate)\.pem$/,
      auth: 'none',
      handle(req, ctx) {
        const id = identity(req, ctx);
        const which = req.params[0] as 'cert' | 'key' | 'intermediate';
        return text(which === 'cert' ? id.certPem : which === 'key' ? id.keyPem : id.intermediatePem, 'application/x-pem-file');
      },
    },
  ];
}
