// The trusted certificates of a Java key store in JKS (or JCEKS) format: the
// JRE's cacerts on many JDKs, an ADB wallet's truststore.jks. The layout is
// sun.security.provider.JavaKeyStore's: magic, version (1 or 2), a count, then
// entries — tag 1 (private key: alias, date, protected key bytes, chain) or
// tag 2 (trusted certificate: alias, date, [type,] DER) — and a keyed SHA-1
// at the end. Java itself loads the entries without the password (it checks
// the digest only when given one), so no password is asked for here and the
// protected key bytes are skipped, never read.
//
// The file is hostile input: every length is checked against what is left,
// and the entry count and certificate sizes are capped.
import { X509Certificate } from 'node:crypto';
import { certFromX509, type Cert } from './certs.js';

const JKS_MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;
const TAG_PRIVATE_KEY = 1;
const TAG_TRUSTED_CERT = 2;
const TAG_SECRET_KEY = 3;
/** A JRE cacerts holds about 150 roots; far more is not a trust store. */
const MAX_ENTRIES = 10_000;
const MAX_CERT_BYTES = 256 * 1024;
const MAX_CHAIN = 32;

export interface JksEntry {
  alias: string;
  kind: 'trusted-cert' | 'private-key';
}

export type JksRead =
  | { ok: true; format: 'JKS' | 'JCEKS'; certs: Cert[]; entries: JksEntry[]; skipped: number }
  /** javaRefuses: Java's own loader fails on it too (truncated, bad magic, version or tag). */
  | { ok: false; reason: string; javaRefuses: boolean };

class Truncated extends Error {}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  private need(n: number): void {
    if (n < 0 || this.at + n > this.buf.length) throw new Truncated(`needs ${n} byte(s) at offset ${this.at}, ${this.buf.length - this.at} left`);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  /** Java's DataOutputStream.writeUTF: a 16-bit length, then (modified) UTF-8. */
  utf(): string {
    return this.bytes(this.u16()).toString('utf8');
  }
  skip(n: number): void {
    this.bytes(n);
  }
}

/** The trusted certificates of a JKS/JCEKS store; key entries are counted, not opened. */
export function certsFromJks(bytes: Uint8Array): JksRead {
  const r = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    const magic = r.u32();
    if (magic !== JKS_MAGIC && magic !== JCEKS_MAGIC) return { ok: false, reason: 'not a JKS or JCEKS store (wrong magic number)', javaRefuses: true };
    const format = magic === JKS_MAGIC ? 'JKS' : 'JCEKS';
    const version = r.u32();
    if (version !== 1 && version !== 2) return { ok: false, reason: `${format} version ${version} is not one Java writes (1 or 2)`, javaRefuses: true };
    const count = r.u32();
    if (count > MAX_ENTRIES) return { ok: false, reason: `${format} store claims ${count} entries (more than ${MAX_ENTRIES}): not read`, javaRefuses: false };
    const certs: Cert[] = [];
    const entries: JksEntry[] = [];
    let skipped = 0;
    const trust = (der: Buffer | undefined): void => {
      try {
        if (der) certs.push(certFromX509(new X509Certificate(der)));
        else skipped++;
      } catch {
        skipped++; // Java would refuse the whole store; here the other entries still count.
      }
    };
    const readCert = (): Buffer | undefined => {
      const type = version === 2 ? r.utf() : 'X.509';
      const len = r.u32();
      if (len > MAX_CERT_BYTES) throw new Truncated(`a certificate of ${len} bytes (more than ${MAX_CERT_BYTES})`);
      const der = r.bytes(len);
      return type === 'X.509' ? der : undefined;
    };
    for (let i = 0; i < count; i++) {
      const tag = r.u32();
      if (tag === TAG_SECRET_KEY) return { ok: false, reason: `${format} entry ${i + 1} is a secret key (a serialized Java object): the doctor does not read past it`, javaRefuses: false };
      if (tag !== TAG_PRIVATE_KEY && tag !== TAG_TRUSTED_CERT) return { ok: false, reason: `${format} entry ${i + 1} has tag ${tag}, which Java does not write`, javaRefuses: true };
      const alias = r.utf();
      r.skip(8); // creation date
      if (tag === TAG_PRIVATE_KEY) {
        r.skip(r.u32()); // the protected private key: never opened
        const chain = r.u32();
        if (chain > MAX_CHAIN) throw new Truncated(`a key entry with a chain of ${chain} certificates`);
        for (let j = 0; j < chain; j++) {
          const der = readCert();
          if (j === 0) trust(der);
        }
        entries.push({ alias, kind: 'private-key' });
        continue;
      }
      entries.push({ alias, kind: 'trusted-cert' });
      trust(readCert());
    }
    return { ok: true, format, certs, entries, skipped };
  } catch (err) {
    if (err instanceof Truncated) return { ok: false, reason: `not a readable Java key store: ${err.message}`, javaRefuses: true };
    throw err;
  }
}
