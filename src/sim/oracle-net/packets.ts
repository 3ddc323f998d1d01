// Oracle Net (TNS) packets after the CONNECT, as node-oracledb 26 thin reads
// them (lib/thin/sqlnet/packet.js AcceptPacket, ntTcp.js startRead,
// constants.js NSPAC*/NSPDA*/NSPMK*).
//
// ACCEPT (type 2), sent with a 2-byte length (the client has not yet switched
// to large SDU when it reads it):
//   8 version · 10 service options · 12 SDU (16-bit) · 14 TDU (16-bit) ·
//   16 hardware "1" · 18 accept data length · 20 its offset · 22 flags0 ·
//   23 flags1 · 24-31 unused here · 32 SDU (32-bit) · 36 TDU (32-bit) ·
//   40 compression flags · 41-44 flags2
// flags1 NSINANOSERVICES (0x08): no native network encryption/integrity
// negotiation follows — the client goes straight to TTC. Version 318 (≥ 315:
// large SDU, so every later packet has a 4-byte length; < 319, and flags2
// without 0x02000000, so no end-of-request markers and no fast auth).
//
// DATA (type 6): header, 2 bytes of data flags (0x40 EOF: the client is
// going away; 0x800 end of request: the last packet of a client request),
// then payload.
// MARKER (type 12): 8 marker type (1: one data byte), 9 unused, 10 the data
// byte (1 break, 2 reset).

import { TNS_DATA, TNS_HEADER_LEN } from '../listener/tns.js';

export { TNS_DATA };

export const TNS_ACCEPT = 2;
export const TNS_MARKER = 12;
export const TNS_CONTROL = 14;

export const ACCEPT_VERSION = 318;
const NSINANOSERVICES = 0x08;
const DATA_HEADER_LEN = 10;
export const DATA_FLAG_EOF = 0x40;
export const DATA_FLAG_END_OF_REQUEST = 0x800;
export const MARKER_BREAK = 1;
export const MARKER_RESET = 2;

/** Largest packet the stand-in accepts from a client (the driver's own cap for large SDU). */
export const MAX_PACKET = 2_097_152;

export interface Negotiated {
  sdu: number;
  tdu: number;
}

/** The SDU/TDU to accept: what the client asked for, within the limits the driver checks. */
export function negotiate(asked: { sdu?: number; tdu?: number }): Negotiated {
  return { sdu: clamp(asked.sdu || 8192, 512, 65535), tdu: clamp(asked.tdu || 65535, 255, MAX_PACKET) };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

export function acceptPacket(units: Negotiated): Buffer {
  const buf = Buffer.alloc(45);
  buf.writeUInt16BE(buf.length, 0);
  buf.writeUInt8(TNS_ACCEPT, 4);
  buf.writeUInt16BE(ACCEPT_VERSION, 8);
  buf.writeUInt16BE(0, 10);
  buf.writeUInt16BE(Math.min(units.sdu, 0xffff), 12);
  buf.writeUInt16BE(Math.min(units.tdu, 0xffff), 14);
  buf.writeUInt16BE(1, 16);
  buf.writeUInt16BE(0, 18);
  buf.writeUInt16BE(45, 20);
  buf.writeUInt8(0, 22);
  buf.writeUInt8(NSINANOSERVICES, 23);
  buf.writeUInt32BE(units.sdu, 32);
  buf.writeUInt32BE(units.tdu, 36);
  buf.writeUInt8(0, 40);
  buf.writeUInt32BE(0, 41);
  return buf;
}

/** A TTC payload as DATA packets of at most `sdu` bytes each (4-byte lengths). */
export function dataPackets(payload: Buffer, sdu: number, flags = 0): Buffer[] {
  const room = sdu - DATA_HEADER_LEN;
  const out: Buffer[] = [];
  for (let i = 0; i < payload.length || out.length === 0; i += room) {
    const part = payload.subarray(i, i + room);
    const pkt = Buffer.alloc(DATA_HEADER_LEN + part.length);
    pkt.writeUInt32BE(pkt.length, 0);
    pkt.writeUInt8(TNS_DATA, 4);
    pkt.writeUInt16BE(flags, 8);
    part.copy(pkt, DATA_HEADER_LEN);
    out.push(pkt);
  }
  return out;
}

export function markerPacket(kind: number): Buffer {
  const pkt = Buffer.alloc(11);
  pkt.writeUInt32BE(pkt.length, 0);
  pkt.writeUInt8(TNS_MARKER, 4);
  pkt.writeUInt8(1, 8);
  pkt.writeUInt8(kind, 10);
  return pkt;
}

export interface Packet {
  type: number;
  /** DATA: its data flags; MARKER: the marker byte. */
  flags: number;
  /** DATA: the payload after the data flags. */
  payload: Buffer;
}

/** Splits the byte stream after the ACCEPT into packets (4-byte lengths). Throws on nonsense. */
export class PacketReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Packet[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Packet[] = [];
    while (this.pending.length >= TNS_HEADER_LEN) {
      const len = this.pending.readUInt32BE(0);
      if (len < TNS_HEADER_LEN || len > MAX_PACKET) throw new Error(`bad packet length ${len}`);
      if (this.pending.length < len) break;
      const pkt = this.pending.subarray(0, len);
      this.pending = this.pending.subarray(len);
      const type = pkt[4] as number;
      if (type === TNS_DATA) {
        if (len < DATA_HEADER_LEN) throw new Error('DATA packet without data flags');
        out.push({ type, flags: pkt.readUInt16BE(8), payload: Buffer.from(pkt.subarray(DATA_HEADER_LEN)) });
      } else if (type === TNS_MARKER) {
        out.push({ type, flags: len > 10 ? (pkt[10] as number) : 0, payload: Buffer.alloc(0) });
      } else if (type === TNS_CONTROL) {
        continue; // control packets carry nothing the stand-in acts on
      } else {
        throw new Error(`unexpected packet type ${type}`);
      }
    }
    return out;
  }
}
