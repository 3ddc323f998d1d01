// TTC scalar encodings, as node-oracledb thin reads and writes them
// (lib/impl/datahandlers/buffer.js, lib/thin/protocol/packet.js):
//   UB2/UB4/UB8  one length byte (0 = the value 0; bit 0x80 = negative, signed
//                forms only) followed by that many big-endian bytes
//   bytes with length  one length byte 0…252 then the bytes; 254 = chunked
//                (UB4 chunk length + bytes, repeated, ended by UB4 0);
//                0 or 255 = null
//   key/value    UB4 key length, key with length, UB4 value length, value with
//                length (only when non-empty), UB4 flags

const MAX_SHORT_LENGTH = 252;
const LONG_LENGTH_INDICATOR = 254;
const NULL_LENGTH_INDICATOR = 255;
const CHUNK = 65536;

/** Thrown by TtcReader when the request is cut short: wait for more bytes, or reject it. */
export class NeedMoreData extends Error {
  constructor() {
    super('message ends early');
  }
}

export class TtcWriter {
  private buf = Buffer.alloc(256);
  private pos = 0;

  private reserve(n: number): number {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  // reserve() may replace this.buf: take the offset first, then the buffer.
  u8(n: number): this {
    const at = this.reserve(1);
    this.buf[at] = n & 0xff;
    return this;
  }
  u16be(n: number): this {
    const at = this.reserve(2);
    this.buf.writeUInt16BE(n, at);
    return this;
  }
  u16le(n: number): this {
    const at = this.reserve(2);
    this.buf.writeUInt16LE(n, at);
    return this;
  }
  u32be(n: number): this {
    const at = this.reserve(4);
    this.buf.writeUInt32BE(n >>> 0, at);
    return this;
  }
  raw(b: Buffer | Uint8Array): this {
    const at = this.reserve(b.length);
    Buffer.from(b.buffer, b.byteOffset, b.length).copy(this.buf, at);
    return this;
  }
  /** Unsigned variable-length integer (UB2, UB4 and UB8 share the format). */
  ub(n: number): this {
    if (n < 0 || !Number.isInteger(n)) throw new RangeError(`not an unsigned integer: ${n}`);
    if (n === 0) return this.u8(0);
    if (n <= 0xff) return this.u8(1).u8(n);
    if (n <= 0xffff) return this.u8(2).u16be(n);
    if (n <= 0xffffffff) return this.u8(4).u32be(n);
    const at = this.reserve(9);
    this.buf[at] = 8;
    this.buf.writeBigUInt64BE(BigInt(n), at + 1);
    return this;
  }
  /** Signed variable-length integer (SB2, SB4). */
  sb(n: number): this {
    const sign = n < 0 ? 0x80 : 0;
    const v = Math.abs(n);
    if (v === 0) return this.u8(0);
    if (v <= 0xff) return this.u8(1 | sign).u8(v);
    if (v <= 0xffff) return this.u8(2 | sign).u16be(v);
    return this.u8(4 | sign).u32be(v);
  }
  bytesWithLength(b: Buffer): this {
    if (b.length <= MAX_SHORT_LENGTH) return this.u8(b.length).raw(b);
    this.u8(LONG_LENGTH_INDICATOR);
    for (let i = 0; i < b.length; i += CHUNK) {
      const part = b.subarray(i, i + CHUNK);
      this.ub(part.length).raw(part);
    }
    return this.ub(0);
  }
  /** A string (UTF-8) with its length; null as the null indicator. */
  str(s: string | null): this {
    if (s === null) return this.u8(NULL_LENGTH_INDICATOR);
    return this.bytesWithLength(Buffer.from(s, 'utf8'));
  }
  /** UB4 byte length, then the string with its length (the form of names in TTC structures). */
  strAndLength(s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.ub(b.length);
    return b.length > 0 ? this.bytesWithLength(b) : this;
  }
  keyValue(key: string, value: string, flags = 0): this {
    const k = Buffer.from(key, 'utf8');
    const v = Buffer.from(value, 'utf8');
    this.ub(k.length).bytesWithLength(k).ub(v.length);
    if (v.length > 0) this.bytesWithLength(v);
    return this.ub(flags);
  }
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

export class TtcReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  bytes(n: number): Buffer {
    if (n > this.remaining) throw new NeedMoreData();
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  u8(): number {
    return this.bytes(1)[0] as number;
  }
  u16be(): number {
    return this.bytes(2).readUInt16BE(0);
  }
  /** Variable-length integer of at most `max` bytes (UB2: 2, UB4: 4, UB8: 8). */
  private int(max: number, signed: boolean): number {
    let size = this.u8();
    let negative = false;
    if (size & 0x80) {
      if (!signed) throw new Error(`negative value where an unsigned integer of ${max} bytes was expected`);
      negative = true;
      size &= 0x7f;
    }
    if (size > max) throw new Error(`integer of ${size} bytes where at most ${max} were expected`);
    if (size === 0) return 0;
    const b = this.bytes(size);
    let v = 0;
    for (const byte of b) v = v * 256 + byte;
    return negative ? -v : v;
  }
  ub2(): number {
    return this.int(2, false);
  }
  ub4(): number {
    return this.int(4, false);
  }
  ub8(): number {
    return this.int(8, false);
  }
  sb4(): number {
    return this.int(4, true);
  }
  /** Bytes with their length (see the header); null for the null indicators. */
  bytesWithLength(): Buffer | null {
    const n = this.u8();
    if (n === 0 || n === NULL_LENGTH_INDICATOR) return null;
    if (n !== LONG_LENGTH_INDICATOR) return Buffer.from(this.bytes(n));
    const parts: Buffer[] = [];
    for (;;) {
      const len = this.ub4();
      if (len === 0) break;
      parts.push(Buffer.from(this.bytes(len)));
    }
    return Buffer.concat(parts);
  }
  str(): string | null {
    const b = this.bytesWithLength();
    return b === null ? null : b.toString('utf8');
  }
  keyValue(): { key: string; value: string; flags: number } {
    const keyLen = this.ub4();
    const key = keyLen > 0 ? (this.str() ?? '') : (this.bytesWithLength(), '');
    const valueLen = this.ub4();
    const value = valueLen > 0 ? (this.str() ?? '') : '';
    const flags = this.ub4();
    return { key, value, flags };
  }
}
