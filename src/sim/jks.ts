// Writes a JKS trust store the way Java's JavaKeyStore.engineStore does
// (magic, version 2, entries, keyed SHA-1 of password + "Mighty Aphrodite" +
// body): the demo's stand-in JRE cacerts, and tests that hold a chain made
// at run time in a JKS without a JDK. test/core/jks-trust.test.ts checks it
// writes byte for byte what keytool wrote for the committed fixtures.
import { createHash, X509Certificate } from 'node:crypto';

export interface JksTrustedCert {
  alias: string;
  /** PEM or DER of the certificate. */
  cert: string | Buffer;
  /** Entry creation time, ms since the epoch. */
  date?: number;
}

/** A private-key entry with opaque key bytes (no real key): for readers that must skip it. */
export interface JksKeyEntry {
  alias: string;
  protectedKey: Buffer;
  chain: (string | Buffer)[];
  date?: number;
}

const der = (c: string | Buffer): Buffer => (typeof c === 'string' ? new X509Certificate(c).raw : c);

function utf(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
function certField(c: string | Buffer): Buffer {
  const d = der(c);
  return Buffer.concat([utf('X.509'), u32(d.length), d]);
}

export function jksTrustStore(entries: (JksTrustedCert | JksKeyEntry)[], password = 'changeit', magic = 0xfeedfeed): Buffer {
  const parts: Buffer[] = [u32(magic), u32(2), u32(entries.length)];
  for (const e of entries) {
    const date = u64(e.date ?? Date.now());
    if ('protectedKey' in e) {
      parts.push(u32(1), utf(e.alias), date, u32(e.protectedKey.length), e.protectedKey, u32(e.chain.length), ...e.chain.map(certField));
    } else {
      parts.push(u32(2), utf(e.alias), date, certField(e.cert));
    }
  }
  const body = Buffer.concat(parts);
  const pw = Buffer.alloc(password.length * 2);
  for (let i = 0; i < password.length; i++) pw.writeUInt16BE(password.charCodeAt(i), i * 2);
  const digest = createHash('sha1').update(pw).update('Mighty Aphrodite').update(body).digest();
  return Buffer.concat([body, digest]);
}
