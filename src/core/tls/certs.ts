// Certificates as the TLS checks look at them: node:crypto's X509Certificate
// (RSA, EC and EdDSA alike — node-forge reads RSA only) plus the few facts
// it does not expose on Node 20 (the signature algorithm, read from the DER).
import { X509Certificate, createHash } from 'node:crypto';
import { splitPemBlocks } from '../pem.js';

export interface Cert {
  x509: X509Certificate;
  /** Node's multi-line DN, e.g. "C=US\nO=Oracle\nCN=host". */
  subjectRaw: string;
  /** One line, most specific first as Oracle writes DNs: "CN=host,O=Oracle,C=US". */
  subject: string;
  issuer: string;
  /** The subject's common name, or the whole subject when it has none. */
  name: string;
  fingerprint256: string;
  selfIssued: boolean;
  /** Self-issued and its own key verifies its signature: a root. */
  selfSigned: boolean;
  isCA: boolean;
  validFrom: Date;
  validTo: Date;
  /** e.g. sha256WithRSAEncryption, ecdsa-with-SHA384; undefined if unreadable. */
  signatureAlgorithm?: string;
  /** e.g. "RSA 2048", "EC prime256v1", "Ed25519". */
  key: string;
  keyType: string;
  keyBits?: number;
  subjectAltName?: string;
  /** caIssuers URLs (where to download the issuer). */
  caIssuers: string[];
  pem: string;
  /** nameKey() of the subject, read from the DER; set on lazily parsed certificates. */
  subjectKey?: string;
}

export function certFromX509(x: X509Certificate): Cert {
  const subjectRaw = x.subject;
  const selfIssued = x.issuer === x.subject;
  const details = x.publicKey.asymmetricKeyDetails ?? {};
  const keyType = x.publicKey.asymmetricKeyType ?? 'unknown';
  const keyBits = details.modulusLength;
  const key =
    keyType === 'rsa' || keyType === 'rsa-pss' || keyType === 'dsa'
      ? `${keyType.toUpperCase()} ${keyBits ?? '?'}`
      : keyType === 'ec'
        ? `EC ${details.namedCurve ?? '?'}`
        : keyType === 'ed25519'
          ? 'Ed25519'
          : keyType;
  const caIssuers = (x.infoAccess ?? '')
    .split('\n')
    .filter((l) => l.startsWith('CA Issuers - URI:'))
    .map((l) => l.slice('CA Issuers - URI:'.length).trim());
  const signatureAlgorithm = signatureAlgorithmOf(x.raw);
  const cert = {
    x509: x,
    subjectRaw,
    subject: oracleDn(subjectRaw),
    issuer: oracleDn(x.issuer),
    name: commonName(subjectRaw) ?? oracleDn(subjectRaw),
    fingerprint256: x.fingerprint256,
    selfIssued,
    selfSigned: false,
    isCA: x.ca,
    validFrom: new Date(x.validFrom),
    validTo: new Date(x.validTo),
    ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
    key,
    keyType,
    ...(keyBits !== undefined ? { keyBits } : {}),
    ...(x.subjectAltName ? { subjectAltName: x.subjectAltName } : {}),
    caIssuers,
    pem: x.toString(),
  };
  // Verifying a signature costs more than parsing: done once, on first use
  // (a trust store of 140 roots is mostly never asked).
  let verified: boolean | undefined;
  Object.defineProperty(cert, 'selfSigned', {
    enumerable: true,
    get(): boolean {
      if (verified === undefined) {
        try {
          verified = selfIssued && x.verify(x.publicKey);
        } catch {
          verified = false;
        }
      }
      return verified;
    },
  });
  return cert;
}

export function certFromDer(der: Buffer): Cert | undefined {
  try {
    return certFromX509(new X509Certificate(der));
  } catch {
    return undefined;
  }
}

/** Every field of a Cert but those a lazy certificate knows without parsing. */
const PARSED_FIELDS = ['x509', 'subjectRaw', 'subject', 'issuer', 'name', 'selfIssued', 'selfSigned', 'isCA', 'validFrom', 'validTo', 'signatureAlgorithm', 'key', 'keyType', 'keyBits', 'subjectAltName', 'caIssuers', 'pem'] as const satisfies readonly Exclude<keyof Cert, 'fingerprint256' | 'subjectKey'>[];

/** What a lazy certificate holds besides its fields, found by the certificate (the accessors below are shared). */
interface LazyState {
  der: Buffer;
  full?: Cert;
  fingerprint?: string;
}
const lazyState = new WeakMap<object, LazyState>();
const stateOf = (cert: object): LazyState => lazyState.get(cert) as LazyState;
const FINGERPRINT_ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  get(this: object) {
    const s = stateOf(this);
    return (s.fingerprint ??= fingerprint256Of(s.der));
  },
};
const PARSED_ACCESSORS: PropertyDescriptorMap = Object.fromEntries(
  PARSED_FIELDS.map((f) => [
    f,
    {
      enumerable: true,
      get(this: object) {
        const s = stateOf(this);
        return (s.full ??= certFromX509(new X509Certificate(s.der)))[f];
      },
    },
  ]),
);

/**
 * A certificate that OpenSSL parses only when a field is first read, except
 * its fingerprint (a hash of the DER) and its subjectKey. Parsing costs about
 * 0.15 ms a certificate; Node's 140-odd bundled roots are searched by name on
 * every run and only the one or two that could be an issuer are ever read.
 * For certificates known to parse (Node's own roots): a block that does not
 * parse throws on first read instead of being counted as unreadable.
 */
export function lazyCertFromDer(der: Buffer): Cert {
  const cert = {} as Cert;
  lazyState.set(cert, { der });
  // Shared accessors (they find the certificate's state by `this`): no closures per certificate.
  Object.defineProperty(cert, 'fingerprint256', FINGERPRINT_ACCESSOR);
  const key = nameKey(der, 'subject');
  if (key !== undefined) cert.subjectKey = key;
  Object.defineProperties(cert, PARSED_ACCESSORS);
  return cert;
}

/** X509Certificate.fingerprint256's form: SHA-256 of the DER, upper-case hex pairs joined by colons. */
function fingerprint256Of(der: Buffer): string {
  return (createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g) ?? []).join(':');
}

/** The DER of one PEM certificate (Node's tls.rootCertificates entries: one block each). */
export function derOfPem(pem: string): Buffer {
  // Only the lines between BEGIN and END: Node's base64 decoder would read the dashes as base64url.
  return Buffer.from(pem.slice(pem.indexOf('\n'), pem.lastIndexOf('-----END')), 'base64');
}

/** Name string types whose ASCII content Node prints the same whatever the type (UTF8String, PrintableString, IA5String). */
const PLAIN_STRING_TAGS = new Set([0x0c, 0x13, 0x16]);
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A key for a certificate's subject or issuer name, read from the DER: the
 * attribute types and values, with the string type left out. Two names that
 * Node prints alike (X509Certificate.subject / .issuer) have equal keys, so
 * different keys rule a certificate out as an issuer without parsing it.
 * Undefined — compare the printed names — for any name this does not cover:
 * multi-valued RDNs, other string types, non-ASCII text, anything malformed.
 */
export function nameKey(der: Buffer, which: 'subject' | 'issuer'): string | undefined {
  try {
    const outer = readTlv(der, 0);
    const tbs = readTlv(der, outer.contentStart);
    if (outer.tag !== 0x30 || tbs.tag !== 0x30) return undefined;
    let p = tbs.contentStart;
    if (der[p] === 0xa0) p = readTlv(der, p).end; // version
    p = readTlv(der, p).end; // serialNumber
    p = readTlv(der, p).end; // signature algorithm
    let name = readTlv(der, p); // issuer
    if (which === 'subject') {
      p = readTlv(der, name.end).end; // validity
      name = readTlv(der, p);
    }
    if (name.tag !== 0x30 || name.end > tbs.end) return undefined;
    // The whole name decoded once (Latin-1: one character per byte, so offsets
    // carry over), its parts sliced in JS: a trust store's worth of names in
    // one native call each rather than two per attribute.
    const base = name.contentStart;
    const bytes = der.toString('latin1', base, name.end);
    let key = '';
    for (let q = name.contentStart; q < name.end; ) {
      const rdn = readTlv(der, q);
      q = rdn.end;
      if (rdn.tag !== 0x31) return undefined;
      const atv = readTlv(der, rdn.contentStart);
      if (atv.tag !== 0x30 || atv.end !== rdn.end) return undefined; // more than one attribute in the RDN
      const type = readTlv(der, atv.contentStart);
      const value = readTlv(der, type.end);
      if (type.tag !== 0x06 || value.end !== atv.end || !PLAIN_STRING_TAGS.has(value.tag)) return undefined;
      // A non-ASCII byte is a character above 0x7f.
      const text = bytes.slice(value.contentStart - base, value.end - base);
      if (NON_ASCII.test(text)) return undefined;
      key += `${type.end - type.contentStart}:${bytes.slice(type.contentStart - base, type.end - base)}${text.length}:${text}`;
    }
    return key;
  } catch {
    return undefined;
  }
}

export interface PemCertificates {
  certs: Cert[];
  /** Certificate blocks that do not parse, by line. */
  unreadable: { line: number; reason: string }[];
  /** Private keys and other blocks (their presence matters for wallets). */
  otherLabels: string[];
}

/** Every certificate in a PEM text (one certificate, a certifi bundle with comments, a wallet). */
export function certsFromPem(text: string, limit = 2000): PemCertificates {
  const out: PemCertificates = { certs: [], unreadable: [], otherLabels: [] };
  for (const block of splitPemBlocks(text)) {
    if (block.label !== 'CERTIFICATE' && block.label !== 'TRUSTED CERTIFICATE') {
      out.otherLabels.push(block.label);
      continue;
    }
    if (out.certs.length >= limit) break;
    try {
      out.certs.push(certFromX509(new X509Certificate(block.text)));
    } catch (err) {
      out.unreadable.push({ line: block.line, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** "C=US\nO=Oracle\nCN=h" → "CN=h,O=Oracle,C=US" (Oracle's order: most specific first). */
export function oracleDn(multiLine: string): string {
  return multiLine.split('\n').filter(Boolean).reverse().join(',');
}

function commonName(multiLine: string): string | undefined {
  const cn = multiLine.split('\n').find((l) => l.startsWith('CN='));
  return cn?.slice(3);
}

/** True when `issuer` issued `cert` (names and key identifiers agree, and the signature verifies). */
export function issued(cert: Cert, issuer: Cert): boolean {
  try {
    return cert.x509.checkIssued(issuer.x509) && cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

export function sameCert(a: Cert, b: Cert): boolean {
  return a.fingerprint256 === b.fingerprint256;
}

const SIGNATURE_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

export function isWeakSignature(alg: string | undefined): boolean {
  return alg !== undefined && /^(md2|md5|sha1)|SHA1$|dsa-with-SHA1/i.test(alg);
}

/** The outer signatureAlgorithm of a DER certificate. */
export function signatureAlgorithmOf(der: Buffer): string | undefined {
  try {
    const outer = readTlv(der, 0);
    if (outer.tag !== 0x30) return undefined;
    const tbs = readTlv(der, outer.contentStart);
    const alg = readTlv(der, tbs.end);
    if (alg.tag !== 0x30) return undefined;
    const oid = readTlv(der, alg.contentStart);
    if (oid.tag !== 0x06) return undefined;
    const dotted = decodeOid(der.subarray(oid.contentStart, oid.end));
    return SIGNATURE_OIDS[dotted] ?? dotted;
  } catch {
    return undefined;
  }
}

function readTlv(buf: Buffer, offset: number): { tag: number; contentStart: number; end: number } {
  const tag = buf[offset];
  let len = buf[offset + 1];
  if (tag === undefined || len === undefined) throw new Error('truncated DER');
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] as number);
    p += n;
  }
  if (p + len > buf.length) throw new Error('truncated DER');
  return { tag, contentStart: p, end: p + len };
}

function decodeOid(b: Buffer): string {
  const first = b[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    const byte = b[i] as number;
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}
