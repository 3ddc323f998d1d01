// Just enough Oracle Net (TNS) for the simulated listener: read the client's
// CONNECT, answer with a REFUSE. Layouts checked against node-oracledb 26 thin
// (lib/thin/sqlnet/packet.js, networkSession.js, ntTcp.js, constants.js).
//
// Packet header, 8 bytes, big-endian:
//   0-1  packet length, header included (a 4-byte length at 0-3 is only used
//        once an ACCEPT has negotiated large SDU, i.e. never before or with a
//        REFUSE: until then the thin client reads a 2-byte length)
//   2-3  packet checksum (0)
//   4    packet type: 1 CONNECT, 4 REFUSE, 6 DATA, …
//   5    flags
//   6-7  header checksum (0)
//
// CONNECT (type 1): connect-data length at 24-25, its offset at 26-27 (74 from
// node-oracledb). When the descriptor is longer than 230 bytes — nearly always,
// since the client appends CID and CONNECTION_ID — the CONNECT packet stops at
// byte 74 and the descriptor follows in DATA packets (type 6: 2 data-flag
// bytes at 8-9, data from 10).
//
// REFUSE (type 4):
//   8    user (application) reason   — we send 0x22; node-oracledb never uses it
//   9    system (NS) reason           — we send 0; never read either (packet.js
//        reads offset 8 into both its userReason and systemReason)
//   10-11 refuse data length
//   12…  refuse data: `(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=n)(ERROR_STACK=…))`
// The client takes the data from offset 12 to the end of the packet (so the
// header length must be exact), parses it as a name-value list and reads
// DESCRIPTION/ERR: 12514 → NJS-518, 12505 → NJS-519, any other → NJS-511
// "Cause: ORA-n", none → NJS-511 "Cause: refused".

export const TNS_HEADER_LEN = 8;
export const TNS_CONNECT = 1;
export const TNS_REFUSE = 4;
export const TNS_DATA = 6;
export const TNS_REDIRECT = 5;
export const TNS_RESEND = 11;
/** REDIRECT flag: the data holds the address, a NUL, then the connect data to send there. */
const REDIRECT_FLAG_SEPARATE_DATA = 0x02;

const CONNECT_DATA_LEN_OFFSET = 24;
const CONNECT_DATA_OFFSET_OFFSET = 26;
const DATA_PAYLOAD_OFFSET = 10;
const REFUSE_DATA_OFFSET = 12;
const REDIRECT_DATA_OFFSET = 10;

/** The refuse data a listener sends for error `err` (ERR and the error stack agree). */
export function refuseData(err: number): string {
  return `(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=${err})(ERROR_STACK=(ERROR=(CODE=${err})(EMFI=4))))`;
}

/** A complete REFUSE packet for ORA-`err`. */
export function refusePacket(err: number, opts: { userReason?: number; systemReason?: number } = {}): Buffer {
  const data = Buffer.from(refuseData(err), 'ascii');
  const len = REFUSE_DATA_OFFSET + data.length;
  if (len > 0xffff) throw new RangeError('refuse data too long for a 2-byte packet length');
  const buf = Buffer.alloc(len);
  buf.writeUInt16BE(len, 0);
  buf.writeUInt16BE(0, 2);
  buf.writeUInt8(TNS_REFUSE, 4);
  buf.writeUInt8(0, 5);
  buf.writeUInt16BE(0, 6);
  buf.writeUInt8(opts.userReason ?? 0x22, 8);
  buf.writeUInt8(opts.systemReason ?? 0x00, 9);
  buf.writeUInt16BE(data.length, 10);
  data.copy(buf, REFUSE_DATA_OFFSET);
  return buf;
}

/**
 * A REDIRECT (type 5) to `address` (an `(ADDRESS=…)` text), carrying the
 * client's own connect data for the next listener, as a SCAN listener hands a
 * client to a node listener. Layout as node-oracledb reads it
 * (networkSession.js connect2, packet.js RedirectPacket): redirect data length
 * at 8-9, data from 10; with flag 0x02 the data is `address NUL connect-data`.
 */
export function redirectPacket(address: string, connectData: string): Buffer {
  const data = Buffer.from(`${address}\0${connectData}`, 'ascii');
  const len = REDIRECT_DATA_OFFSET + data.length;
  if (len > 0xffff) throw new RangeError('redirect data too long for a 2-byte packet length');
  const buf = Buffer.alloc(len);
  buf.writeUInt16BE(len, 0);
  buf.writeUInt8(TNS_REDIRECT, 4);
  buf.writeUInt8(REDIRECT_FLAG_SEPARATE_DATA, 5);
  buf.writeUInt16BE(data.length, 8);
  data.copy(buf, REDIRECT_DATA_OFFSET);
  return buf;
}

/**
 * A RESEND (type 11) with no flags: node-oracledb (networkSession.js connect2)
 * sends its CONNECT again on the same connection (flag 0x08 would ask it to
 * renegotiate TLS first, which the stand-in never does).
 */
export function resendPacket(): Buffer {
  const buf = Buffer.alloc(TNS_HEADER_LEN);
  buf.writeUInt16BE(TNS_HEADER_LEN, 0);
  buf.writeUInt8(TNS_RESEND, 4);
  return buf;
}

export interface ConnectRequest {
  /** The connect descriptor the client sent, as text. */
  connectData: string;
  /** SERVICE_NAME from CONNECT_DATA (case-insensitive), if any. */
  serviceName?: string;
  /** SID from CONNECT_DATA, if any. */
  sid?: string;
  /** SDU and TDU the client asked for (CONNECT bytes 58 and 62, 32-bit; else 14 and 16). */
  sdu?: number;
  tdu?: number;
}

/**
 * Incremental reader of the client's first bytes. Feed it every chunk; it
 * returns the request once the whole descriptor has arrived, else undefined.
 * Throws on bytes that are not a TNS CONNECT.
 */
export class ConnectReader {
  private buf: Buffer = Buffer.alloc(0);
  private wanted = -1;
  private data: Buffer[] = [];
  private got = 0;
  private units: { sdu: number; tdu: number } | undefined;

  push(chunk: Buffer): ConnectRequest | undefined {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= TNS_HEADER_LEN) {
      const len = this.buf.readUInt16BE(0);
      if (len < TNS_HEADER_LEN) throw new Error(`bad TNS packet length ${len}`);
      if (this.buf.length < len) return undefined;
      const packet = this.buf.subarray(0, len);
      this.buf = this.buf.subarray(len);
      const type = packet[4];
      if (this.wanted < 0) {
        if (type !== TNS_CONNECT) throw new Error(`expected a TNS CONNECT packet, got type ${String(type)}`);
        if (len < CONNECT_DATA_OFFSET_OFFSET + 2) throw new Error('TNS CONNECT packet too short');
        this.wanted = packet.readUInt16BE(CONNECT_DATA_LEN_OFFSET);
        this.units = len >= 66 ? { sdu: packet.readUInt32BE(58), tdu: packet.readUInt32BE(62) } : { sdu: packet.readUInt16BE(14), tdu: packet.readUInt16BE(16) };
        const off = packet.readUInt16BE(CONNECT_DATA_OFFSET_OFFSET);
        if (len > off) this.take(packet.subarray(off));
      } else if (type === TNS_DATA) {
        this.take(packet.subarray(DATA_PAYLOAD_OFFSET));
      } else {
        throw new Error(`unexpected TNS packet type ${String(type)} while reading connect data`);
      }
      if (this.got >= this.wanted) return { ...parseConnectData(Buffer.concat(this.data).subarray(0, this.wanted).toString('ascii')), ...this.units };
    }
    return undefined;
  }

  private take(b: Buffer): void {
    this.data.push(b);
    this.got += b.length;
  }
}

/** SERVICE_NAME and SID out of a connect descriptor, case-insensitively. */
export function parseConnectData(text: string): ConnectRequest {
  const start = text.search(/\(\s*DESCRIPTION\s*=/i);
  const connectData = start >= 0 ? text.slice(start) : text;
  const pick = (name: string): string | undefined => {
    const m = new RegExp(`\\(\\s*${name}\\s*=\\s*([^)]*?)\\s*\\)`, 'i').exec(connectData);
    return m?.[1] === undefined || m[1] === '' ? undefined : m[1];
  };
  const serviceName = pick('SERVICE_NAME');
  const sid = pick('SID');
  return {
    connectData,
    ...(serviceName === undefined ? {} : { serviceName }),
    ...(sid === undefined ? {} : { sid }),
  };
}
