// PEM bundles as users have them: one certificate, a certifi-style bundle with
// comment headers, or a mix. Node's X509Certificate reads RSA and EC alike.
import { X509Certificate } from 'node:crypto';

export interface PemBlock {
  label: string;
  /** The block as text, BEGIN and END lines included. */
  text: string;
  /** 1-based line of the BEGIN line in the input. */
  line: number;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export function splitPemBlocks(input: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  // Lines are counted on from the previous block: counting from the start
  // each time made a 10,000-certificate bundle quadratic (minutes).
  let line = 1;
  let counted = 0;
  for (const m of input.matchAll(BLOCK)) {
    for (let i = input.indexOf('\n', counted); i !== -1 && i < m.index; i = input.indexOf('\n', i + 1)) line += 1;
    counted = m.index;
    blocks.push({ label: m[1] as string, text: m[0], line });
  }
  return blocks;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  isCA: boolean;
  keyType: string;
  line: number;
}

export interface CertificateBundle {
  certificates: CertificateInfo[];
  /** Blocks that claim to be certificates and do not parse, by line. */
  unreadable: { line: number; reason: string }[];
  /** Other PEM blocks (keys…) found in the file, by label. */
  otherBlocks: string[];
}

/** One-line DN from Node's multi-line form ("CN=a\nO=b" → "CN=a, O=b"). */
export function oneLineDn(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

export function certificateInfo(cert: X509Certificate, line: number): CertificateInfo {
  return {
    subject: oneLineDn(cert.subject),
    issuer: oneLineDn(cert.issuer),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    fingerprint256: cert.fingerprint256,
    isCA: cert.ca,
    keyType: cert.publicKey.asymmetricKeyType ?? 'unknown',
    line,
  };
}

export function parseCertificateBundle(input: string): CertificateBundle {
  const bundle: CertificateBundle = { certificates: [], unreadable: [], otherBlocks: [] };
  for (const block of splitPemBlocks(input)) {
    if (block.label !== 'CERTIFICATE' && block.label !== 'TRUSTED CERTIFICATE') {
      bundle.otherBlocks.push(block.label);
      continue;
    }
    try {
      bundle.certificates.push(certificateInfo(new X509Certificate(block.text), block.line));
    } catch (err) {
      bundle.unreadable.push({ line: block.line, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return bundle;
}
