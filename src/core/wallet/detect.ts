// What a wallet blob is (a Vault secret's content, a file in a wallet
// directory): a whole wallet zip, an auto-login cwallet.sso, a PKCS#12
// ewallet.p12, a Java key store, or PEM. Where the format is undocumented
// the guess is marked unconfirmed, and the bytes that led to it are named.
import { splitPemBlocks } from '../pem.js';
import { looksLikeZip } from './zip.js';

export type BlobKind = 'zip' | 'sso' | 'pkcs12' | 'jks' | 'pem' | 'empty' | 'unknown';

export interface BlobGuess {
  kind: BlobKind;
  /** What to call it in a message, e.g. "PKCS#12 key store (ewallet.p12)". */
  label: string;
  /** False when the format is recognised by an undocumented marker. */
  confirmed: boolean;
  /** What the guess rests on. */
  basis: string;
  /** The content was base64 of the blob described (encoded twice). */
  doubleEncoded?: boolean;
}

/** The first bytes of every auto-login wallet seen; Oracle does not document the format. */
export const SSO_MAGIC = Buffer.from([0xa1, 0xf8, 0x4e]);

// ContentInfo types a PFX's authSafe carries: data (1.2.840.113549.1.7.1) or signedData (…7.2).
const OID_PKCS7_DATA = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);
const OID_PKCS7_SIGNED = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);

export function detectWalletBlob(input: Uint8Array): BlobGuess {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const direct = detectDirect(bytes);
  if (direct.kind !== 'unknown') return direct;
  // Secrets are base64 already; some people encode the file once more before storing it.
  const text = bytes.toString('latin1').trim();
  if (text.length >= 16 && /^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const inner = detectDirect(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
    if (inner.kind !== 'unknown' && inner.kind !== 'empty') return { ...inner, label: `base64 text of ${inner.label}`, doubleEncoded: true };
  }
  return direct;
}

function detectDirect(bytes: Buffer): BlobGuess {
  if (bytes.length === 0) return { kind: 'empty', label: 'empty content', confirmed: true, basis: 'zero bytes' };
  if (looksLikeZip(bytes)) return { kind: 'zip', label: 'wallet zip', confirmed: true, basis: 'ZIP signature PK\\x03\\x04' };
  if (bytes.length >= 3 && bytes.subarray(0, 3).equals(SSO_MAGIC)) {
    return { kind: 'sso', label: 'auto-login wallet (cwallet.sso)', confirmed: false, basis: 'first bytes a1 f8 4e, seen in cwallet.sso files; Oracle does not document the format' };
  }
  if (bytes.length >= 4 && (bytes.readUInt32BE(0) === 0xfeedfeed || bytes.readUInt32BE(0) === 0xcececece)) {
    return { kind: 'jks', label: bytes[0] === 0xfe ? 'Java key store (JKS)' : 'Java key store (JCEKS)', confirmed: true, basis: `magic ${bytes.subarray(0, 4).toString('hex')}` };
  }
  const p12 = pkcs12Shape(bytes);
  if (p12) return p12;
  const head = bytes.subarray(0, 64 * 1024).toString('latin1');
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(head)) {
    const blocks = splitPemBlocks(bytes.toString('utf8'));
    const certs = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE').length;
    const keys = blocks.filter((b) => /PRIVATE KEY$/.test(b.label)).length;
    const what = [keys ? `${keys === 1 ? 'a private key' : `${keys} private keys`}` : '', certs ? `${certs} certificate${certs === 1 ? '' : 's'}` : ''].filter(Boolean).join(' + ') || 'no key or certificate';
    return { kind: 'pem', label: `PEM (${what})`, confirmed: true, basis: '-----BEGIN …----- blocks' };
  }
  return { kind: 'unknown', label: 'unrecognised content', confirmed: true, basis: `first bytes ${bytes.subarray(0, 8).toString('hex').replace(/(..)(?!$)/g, '$1 ')}` };
}

/** A PFX: SEQUENCE { INTEGER 3, ContentInfo SEQUENCE { OID data|signedData, … }, … }. */
function pkcs12Shape(b: Buffer): BlobGuess | undefined {
  if (b[0] !== 0x30) return undefined;
  const len = derLength(b, 1);
  if (!len) return undefined;
  let p = 1 + len.size;
  if (b[p] !== 0x02 || b[p + 1] !== 0x01 || b[p + 2] !== 0x03) return undefined;
  p += 3;
  if (b[p] !== 0x30) return { kind: 'pkcs12', label: 'PKCS#12 key store (ewallet.p12)', confirmed: false, basis: 'a DER SEQUENCE with version 3 (the PFX shape), without the expected content' };
  const inner = derLength(b, p + 1);
  if (!inner) return undefined;
  p += 1 + inner.size;
  const oid = b.subarray(p, p + OID_PKCS7_DATA.length);
  if (oid.equals(OID_PKCS7_DATA) || oid.equals(OID_PKCS7_SIGNED)) {
    return { kind: 'pkcs12', label: 'PKCS#12 key store (ewallet.p12)', confirmed: true, basis: 'DER PFX: version 3 and a PKCS#7 content' };
  }
  return { kind: 'pkcs12', label: 'PKCS#12 key store (ewallet.p12)', confirmed: false, basis: 'a DER SEQUENCE with version 3 (the PFX shape), without the expected content' };
}

function derLength(b: Buffer, at: number): { value: number; size: number } | undefined {
  const first = b[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { value: first, size: 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 4 || at + n >= b.length) return undefined;
  let value = 0;
  for (let i = 1; i <= n; i++) value = value * 256 + (b[at + i] as number);
  return { value, size: 1 + n };
}
