// Certificates for the simulated listener, generated at run time (no private
// key is ever committed): a root, an intermediate and an ADB-like leaf, plus
// throw-away client certificates and the PEM wallets node-oracledb thin reads.
//
// Every call uses fresh keys (from the key pool, each key handed out once, or
// made on the spot) and returns PEM strings; a test file that needs speed
// generates once (and may ask for 1024-bit keys) and passes the result around.
import { createPrivateKey, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { forgeRsaPublicKey, nodeDigest, nodeRsaSigner, withNodeKeyIdentifier } from '../core/tls/forge-sign.js';
import { takeRsaKey } from './key-pool.js';

const { pki } = forge;

/** One certificate with its private key, as PEM. */
export interface CertAndKey {
  certPem: string;
  /** The RSA private key, PEM in PKCS#1 form (generated per run). */
  keyPem: string;
  /**
   * The subject as Oracle writes it in `ssl_server_cert_dn`: most specific
   * first, comma-separated, no spaces after commas, e.g.
   * `CN=adb.us-ashburn-1.oraclecloud.com,O=Oracle Corporation,L=Redwood City,ST=California,C=US`.
   */
  subject: string;
}

export interface Chain {
  root: CertAndKey;
  intermediate: CertAndKey;
  leaf: CertAndKey;
}

/** Subject fields of a certificate; `OU` is left out unless given. */
export interface SubjectFields {
  CN: string;
  OU?: string;
  O?: string;
  L?: string;
  ST?: string;
  C?: string;
}

export const ADB_HOST = 'adb.us-ashburn-1.oraclecloud.com';

/** The subject of an ADB server certificate since 2022 (no `OU=`). */
export const ADB_LEAF_SUBJECT: Readonly<SubjectFields> = {
  CN: ADB_HOST,
  O: 'Oracle Corporation',
  L: 'Redwood City',
  ST: 'California',
  C: 'US',
};

/** The `OU=` older ADB certificates carried (and hard-coded DNs still name). */
export const ADB_LEGACY_OU = 'Oracle BMCS US';

export interface ChainOptions {
  /** RSA modulus length for every key in the chain. Default 2048; 1024 is fine in tests. */
  bits?: number;
  /** Leaf subject fields; merged over the ADB-like defaults. Pass `OU` to get one. */
  leafSubject?: Partial<SubjectFields>;
  /** DNS names in the leaf's subjectAltName. Default: the ADB host name and `localhost`. */
  sanDns?: string[];
  /** IP addresses in the leaf's subjectAltName. Default: `127.0.0.1`. */
  sanIps?: string[];
  /** Leaf validity. Defaults: a day ago → a year from now. */
  leafNotBefore?: Date;
  leafNotAfter?: Date;
  /** Sign every certificate with SHA-1 instead of SHA-256. */
  weakSignature?: boolean;
  /** Reuse an existing CA pair (root + intermediate) and only make a new leaf under it. */
  ca?: { root: CertAndKey; intermediate: CertAndKey };
  /** Common names of the generated CAs (ignored with `ca`). */
  rootCommonName?: string;
  intermediateCommonName?: string;
}

const DAY = 86_400_000;

/** Root → intermediate → leaf, with an ADB-like leaf by default. */
export function makeChain(opts: ChainOptions = {}): Chain {
  const bits = opts.bits ?? 2048;
  const md = opts.weakSignature ? 'sha1' : 'sha256';
  const now = Date.now();
  let root: CertAndKey;
  let intermediate: CertAndKey;
  if (opts.ca) {
    ({ root, intermediate } = opts.ca);
  } else {
    root = issue({
      subject: { CN: opts.rootCommonName ?? 'dbiam-doctor Simulated Root CA', O: 'dbiam-doctor simulator', C: 'US' },
      ca: true,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 3650 * DAY),
      bits,
      md,
    });
    intermediate = issue({
      subject: {
        CN: opts.intermediateCommonName ?? 'dbiam-doctor Simulated Intermediate CA',
        O: 'dbiam-doctor simulator',
        C: 'US',
      },
      ca: true,
      pathLen: 0,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 1825 * DAY),
      bits,
      md,
      issuer: root,
    });
  }
  const subject: SubjectFields = { ...ADB_LEAF_SUBJECT, ...opts.leafSubject } as SubjectFields;
  const leaf = issue({
    subject,
    ca: false,
    serverAuth: true,
    sanDns: opts.sanDns ?? [ADB_HOST, 'localhost'],
    sanIps: opts.sanIps ?? ['127.0.0.1'],
    notBefore: opts.leafNotBefore ?? new Date(now - DAY),
    notAfter: opts.leafNotAfter ?? new Date(now + 365 * DAY),
    bits,
    md,
    issuer: intermediate,
  });
  return { root, intermediate, leaf };
}

/** A self-signed CA, e.g. the one a listener trusts for client certificates. */
export function makeCa(opts: { commonName?: string; bits?: number } = {}): CertAndKey {
  const now = Date.now();
  return issue({
    subject: { CN: opts.commonName ?? 'dbiam-doctor Simulated Client CA', O: 'dbiam-doctor simulator', C: 'US' },
    ca: true,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    bits: opts.bits ?? 2048,
    md: 'sha256',
  });
}

/**
 * A throw-away client key and certificate: self-signed unless `issuer` is
 * given (then signed by it, with clientAuth usage, for mTLS).
 */
export function makeSelfSignedClient(
  opts: { commonName?: string; bits?: number; issuer?: CertAndKey } = {},
): CertAndKey {
  const now = Date.now();
  return issue({
    subject: { CN: opts.commonName ?? 'dbiam-doctor throw-away client', O: 'dbiam-doctor' },
    ca: false,
    clientAuth: true,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    bits: opts.bits ?? 2048,
    md: 'sha256',
    ...(opts.issuer ? { issuer: opts.issuer } : {}),
  });
}

/**
 * A PEM wallet (node-oracledb `walletContent`, or an `ewallet.pem`) that makes
 * one-way TLS trust `caPem`.
 *
 * node-oracledb thin builds its TLS context with the wallet as key,
 * certificate *and* CA at once, so a wallet holding only CA certificates fails
 * with NJS-505 (`DECODER routines::unsupported`). This wallet is a throw-away
 * private key, its self-signed certificate (first, so it matches the key), then
 * the CA certificates to trust. The server never asks for the client
 * certificate in one-way TLS, so the throw-away pair is never used.
 */
export function oneWayTlsWallet(caPem: string | string[], opts: { bits?: number } = {}): string {
  const client = makeSelfSignedClient({ bits: opts.bits ?? 2048 });
  return walletPem(client, caPem);
}

/** key + certificate + extra certificates, as one PEM text (order matters: see oneWayTlsWallet). */
export function walletPem(client: CertAndKey, certificates: string | string[]): string {
  const extra = (Array.isArray(certificates) ? certificates : [certificates]).map((p) => p.trim());
  return [client.keyPem.trim(), client.certPem.trim(), ...extra].join('\n') + '\n';
}

/** The Oracle-style DN string of a subject (most specific first). */
export function dnString(s: SubjectFields): string {
  const order: (keyof SubjectFields)[] = ['CN', 'OU', 'O', 'L', 'ST', 'C'];
  return order.flatMap((k) => (s[k] === undefined ? [] : [`${k}=${s[k]}`])).join(',');
}

// ---------------------------------------------------------------------------

interface IssueSpec {
  subject: SubjectFields;
  ca: boolean;
  pathLen?: number;
  serverAuth?: boolean;
  clientAuth?: boolean;
  sanDns?: string[];
  sanIps?: string[];
  notBefore: Date;
  notAfter: Date;
  bits: number;
  md: 'sha1' | 'sha256';
  /** Signer; self-signed when absent. */
  issuer?: CertAndKey;
}

/**
 * The certificates issue() made, by their result: a chain's next certificate
 * reads its issuer's subject and key identifier from here instead of parsing
 * the PEM back (forge's parser, milliseconds for the first in a process).
 */
const issuedHere = new WeakMap<CertAndKey, { pem: string; cert: forge.pki.Certificate }>();

function issue(spec: IssueSpec): CertAndKey {
  // From the key pool (made ahead, in parallel, for the demo) or made now.
  const pooled = takeRsaKey(spec.bits);
  const cert = withNodeKeyIdentifier(forge, pki.createCertificate());
  cert.publicKey = forgeRsaPublicKey(forge, pooled.publicKeyPem);
  cert.serialNumber = serialHex();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  const attrs = subjectAttributes(spec.subject);
  cert.setSubject(attrs);

  let signingKeyPem = pooled.privateKeyPem;
  let authorityKeyId: string;
  if (spec.issuer) {
    const known = issuedHere.get(spec.issuer);
    const issuerCert = known?.pem === spec.issuer.certPem ? known.cert : pki.certificateFromPem(spec.issuer.certPem);
    cert.setIssuer(issuerCert.subject.attributes);
    signingKeyPem = spec.issuer.keyPem;
    authorityKeyId = issuerCert.generateSubjectKeyIdentifier().getBytes();
  } else {
    cert.setIssuer(attrs);
    authorityKeyId = cert.generateSubjectKeyIdentifier().getBytes();
  }

  const extensions: object[] = [
    spec.ca
      ? { name: 'basicConstraints', critical: true, cA: true, ...(spec.pathLen === undefined ? {} : { pathLenConstraint: spec.pathLen }) }
      : { name: 'basicConstraints', critical: true, cA: false },
    spec.ca
      ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true, digitalSignature: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId },
  ];
  if (spec.serverAuth || spec.clientAuth) {
    extensions.push({ name: 'extKeyUsage', serverAuth: spec.serverAuth === true, clientAuth: spec.clientAuth === true });
  }
  const altNames = [
    ...(spec.sanDns ?? []).map((value) => ({ type: 2, value })),
    ...(spec.sanIps ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign(nodeRsaSigner(forge, signingKeyPem), nodeDigest(forge, spec.md));

  const made: CertAndKey = {
    certPem: pki.certificateToPem(cert),
    keyPem: pkcs1Pem(pooled.privateKeyPem),
    subject: dnString(spec.subject),
  };
  issuedHere.set(made, { pem: made.certPem, cert });
  return made;
}

/**
 * The key as PKCS#1 PEM, written by Node with the CRLF line ends forge's
 * privateKeyToPem gives (the same bytes, without forge's JavaScript bignum
 * encoding: milliseconds per certificate).
 */
function pkcs1Pem(privateKeyPem: string): string {
  return createPrivateKey(privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString().replace(/\r?\n/g, '\r\n');
}

/** X.509 order (least specific first), as real ADB certificates carry it. */
function subjectAttributes(s: SubjectFields): forge.pki.CertificateField[] {
  const order: [keyof SubjectFields, string][] = [
    ['C', 'countryName'],
    ['ST', 'stateOrProvinceName'],
    ['L', 'localityName'],
    ['O', 'organizationName'],
    ['OU', 'organizationalUnitName'],
    ['CN', 'commonName'],
  ];
  return order.flatMap(([k, name]) => (s[k] === undefined ? [] : [{ name, value: s[k] }]));
}

/** A random positive 16-byte serial number, as hex. */
function serialHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0] as number) & 0x7f;
  if (b[0] === 0) b[0] = 0x01;
  return b.toString('hex');
}
