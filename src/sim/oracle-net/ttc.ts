// The TTC messages the stand-in reads and writes, laid out as node-oracledb
// 26 thin encodes and decodes them (lib/thin/protocol/messages/*.js). The
// stand-in announces TTC field version 13 (19c, 19.1 ext 1): no pipelining
// token numbers, no 20c/23ai fields in error or column records.
import { TtcReader, TtcWriter } from './wire.js';

export const FIELD_VERSION = 13;

const MSG_PROTOCOL = 1;
const MSG_DATA_TYPES = 2;
const MSG_FUNCTION = 3;
const MSG_ERROR = 4;
const MSG_ROW_HEADER = 6;
const MSG_ROW_DATA = 7;
const MSG_PARAMETER = 8;
const MSG_STATUS = 9;
const MSG_DESCRIBE_INFO = 16;
const MSG_PIGGYBACK = 17;

export const FN_AUTH_PHASE_ONE = 118;
export const FN_AUTH_PHASE_TWO = 115;
const FN_EXECUTE = 94;
const FN_REEXECUTE = 4;
const FN_REEXECUTE_AND_FETCH = 78;
const FN_FETCH = 5;
const FN_LOGOFF = 9;
const FN_COMMIT = 14;
const FN_ROLLBACK = 15;
const FN_PING = 147;
const FN_CLOSE_CURSORS = 105;
const FN_CANCEL_CURSORS = 120;

/** Auth mode bits (constants.js TNS_AUTH_MODE_*). */
export const AUTH_MODE_WITH_PASSWORD = 0x100;
export const AUTH_MODE_IAM_TOKEN = 0x20000000;

const CHARSET_UTF8 = 873;
const CHARSET_UTF16 = 2000;
const DATA_TYPE_VARCHAR = 1;
const CSFRM_IMPLICIT = 1;

export type ClientCall =
  | { kind: 'protocol' }
  | { kind: 'data-types' }
  | { kind: 'auth'; functionCode: number; user: string; authMode: number; pairs: Map<string, string> }
  | { kind: 'execute'; cursorId: number; sql?: string; prefetch: number; binds: number; defines: number }
  | { kind: 'reexecute'; cursorId: number; fetch: boolean; prefetch: number }
  | { kind: 'fetch'; cursorId: number; rows: number }
  | { kind: 'logoff' }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'ping' }
  | { kind: 'unsupported'; what: string };

export interface ClientRequest {
  /** Cursors the client asks to close (piggybacked). */
  closeCursors: number[];
  call: ClientCall;
}

/** Parses one complete client request. Throws NeedMoreData if it is cut short, Error if it is nonsense. */
export function readRequest(payload: Buffer): ClientRequest {
  const r = new TtcReader(payload);
  const closeCursors: number[] = [];
  for (;;) {
    const type = r.u8();
    if (type === MSG_PROTOCOL) return { closeCursors, call: { kind: 'protocol' } };
    if (type === MSG_DATA_TYPES) return { closeCursors, call: { kind: 'data-types' } };
    if (type === MSG_PIGGYBACK) {
      const fn = r.u8();
      r.u8(); // sequence number
      if (fn !== FN_CLOSE_CURSORS && fn !== FN_CANCEL_CURSORS) return { closeCursors, call: { kind: 'unsupported', what: `piggyback function ${fn}` } };
      r.u8();
      const n = r.ub4();
      for (let i = 0; i < n; i++) {
        const id = r.ub4();
        if (fn === FN_CLOSE_CURSORS) closeCursors.push(id);
      }
      continue;
    }
    if (type !== MSG_FUNCTION) throw new Error(`unexpected TTC message type ${type}`);
    const fn = r.u8();
    r.u8(); // sequence number
    return { closeCursors, call: readFunction(r, fn) };
  }
}

function readFunction(r: TtcReader, fn: number): ClientCall {
  switch (fn) {
    case FN_AUTH_PHASE_ONE:
    case FN_AUTH_PHASE_TWO: {
      const hasUser = r.u8();
      const userLen = r.ub4();
      const authMode = r.ub4();
      r.u8();
      const numPairs = r.ub4();
      r.u8();
      r.u8();
      const user = hasUser && userLen > 0 ? (r.str() ?? '') : '';
      const pairs = new Map<string, string>();
      for (let i = 0; i < numPairs; i++) {
        const kv = r.keyValue();
        pairs.set(kv.key.replace(/\0$/, ''), kv.value);
      }
      return { kind: 'auth', functionCode: fn, user, authMode, pairs };
    }
    case FN_EXECUTE: {
      r.ub4(); // options
      const cursorId = r.ub4();
      const hasSql = r.u8();
      r.ub4(); // sql length
      r.u8(); // pointer (al8i4)
      r.ub4(); // al8i4 length
      r.u8(); // al8o4
      r.u8(); // al8o4l
      r.u8(); // prefetch buffer size
      const prefetch = r.ub4();
      r.ub4(); // max long size
      r.u8(); // pointer (binds)
      const binds = r.ub4();
      for (let i = 0; i < 5; i++) r.u8(); // al8pp, al8txn, al8txl, al8kv, al8kvl
      r.u8(); // pointer (defines)
      const defines = r.ub4();
      r.ub4(); // registration id (low)
      r.u8(); // al8objlist
      r.u8(); // al8objlen
      r.u8(); // pointer (al8blv)
      r.ub4();
      r.u8(); // pointer (al8dnam)
      r.ub4();
      r.ub4(); // registration id (high)
      r.u8(); // pointer (dml row counts)
      r.ub4();
      r.u8();
      // TTC field version ≥ 12.2: SQL signature, SQL id; ≥ 12.2 ext 1: chunk ids.
      r.u8();
      r.ub4();
      r.u8();
      r.ub4();
      r.u8();
      r.u8();
      r.ub4();
      const sql = hasSql ? (r.str() ?? '') : undefined;
      for (let i = 0; i < 13; i++) r.ub4(); // al8i4
      return { kind: 'execute', cursorId, ...(sql === undefined ? {} : { sql }), prefetch, binds, defines };
    }
    case FN_REEXECUTE:
    case FN_REEXECUTE_AND_FETCH: {
      const cursorId = r.ub4();
      const prefetch = r.ub4();
      r.ub4();
      r.ub4();
      return { kind: 'reexecute', cursorId, fetch: fn === FN_REEXECUTE_AND_FETCH, prefetch };
    }
    case FN_FETCH:
      return { kind: 'fetch', cursorId: r.ub4(), rows: r.ub4() };
    case FN_LOGOFF:
      return { kind: 'logoff' };
    case FN_COMMIT:
      return { kind: 'commit' };
    case FN_ROLLBACK:
      return { kind: 'rollback' };
    case FN_PING:
      return { kind: 'ping' };
    default:
      return { kind: 'unsupported', what: `function ${fn}` };
  }
}

// ---------------------------------------------------------------- responses

/** Answer to the protocol message: server version, banner, character sets and capabilities. */
export function protocolInfo(banner: string): Buffer {
  const w = new TtcWriter();
  w.u8(MSG_PROTOCOL).u8(6).u8(0);
  w.raw(Buffer.from(banner.slice(0, 47), 'ascii')).u8(0);
  w.u16le(CHARSET_UTF8);
  w.u8(0); // server flags
  w.u16le(0); // no elements
  // FDO: the client reads bytes 5 and 6 (lengths to skip) and then the
  // national character set at 6 + fdo[5] + fdo[6] + 3.
  const fdo = Buffer.alloc(11);
  fdo.writeUInt16BE(CHARSET_UTF16, 9);
  w.u16be(fdo.length).raw(fdo);
  const compileCaps = Buffer.alloc(53);
  compileCaps[0] = 6; // SQL version
  compileCaps[4] = 8 | 2 | 32 | 64 | 0x80; // logon types (O5LOGON …)
  compileCaps[7] = FIELD_VERSION;
  w.bytesWithLength(compileCaps);
  const runtimeCaps = Buffer.alloc(7);
  runtimeCaps[0] = 2; // compat 8.1
  runtimeCaps[1] = 0x01; // TZ_EX: the database time zone comes with the data types
  runtimeCaps[6] = 0; // no 32K strings: VARCHAR2 up to 4000 bytes
  w.bytesWithLength(runtimeCaps);
  return w.toBuffer();
}

/** Answer to the data-types message: DBTIMEZONE +00:00, then an empty list. */
export function dataTypes(): Buffer {
  const w = new TtcWriter();
  w.u8(MSG_DATA_TYPES);
  // 11-byte INTERVAL DAY TO SECOND: day 0 (biased), hour and minute offsets biased by 60.
  w.u32be(0x80000000).u8(60).u8(60).u8(60).raw(Buffer.from([0x80, 0, 0, 0, 0]));
  w.u16be(0);
  return w.toBuffer();
}

export interface AuthParameter {
  key: string;
  value: string;
  flags?: number;
}

/** A logon phase's answer: key/value parameters, then the end-of-call record. */
export function authParameters(params: Record<string, string> | readonly AuthParameter[]): Buffer {
  const w = new TtcWriter();
  const entries: readonly AuthParameter[] = Array.isArray(params) ? params : Object.entries(params).map(([key, value]) => ({ key, value }));
  w.u8(MSG_PARAMETER).ub(entries.length);
  for (const e of entries) w.keyValue(e.key, e.value, e.flags ?? 0);
  writeErrorInfo(w, { num: 0 });
  return w.toBuffer();
}

export interface ErrorRecord {
  /** ORA error number; 0 = success (end of call). */
  num: number;
  message?: string;
  cursorId?: number;
  rowCount?: number;
}

export function errorInfo(e: ErrorRecord): Buffer {
  const w = new TtcWriter();
  writeErrorInfo(w, e);
  return w.toBuffer();
}

function writeErrorInfo(w: TtcWriter, e: ErrorRecord): void {
  w.u8(MSG_ERROR);
  w.ub(0); // end of call status
  w.ub(0); // end-to-end sequence number
  w.ub(e.rowCount ?? 0); // current row number
  w.ub(e.num > 0xffff ? 0 : e.num); // error number
  w.ub(0); // array element error
  w.ub(0); // array element error
  w.ub(e.cursorId ?? 0);
  w.sb(0); // error position
  w.u8(0); // sql type
  w.u8(0); // fatal
  w.u8(0); // flags
  w.u8(0); // user cursor options
  w.u8(0); // UPI parameter
  w.u8(0); // warning flags
  w.ub(0).ub(0).u8(0).ub(0).ub(0); // rowid: rba, partition, (byte), block, slot
  w.ub(0); // OS error
  w.u8(0); // statement error
  w.u8(0); // call number
  w.ub(0); // padding
  w.ub(0); // success iterations
  w.ub(0); // logical rowid
  w.ub(0); // batch error codes
  w.ub(0); // batch error offsets
  w.ub(0); // batch error messages
  w.ub(e.num); // error number (extended)
  w.ub(e.rowCount ?? 0); // row count (extended)
  if (e.num !== 0) w.str(`${e.message ?? `ORA-${String(e.num).padStart(5, '0')}`}\n`);
}

/** A bare end-of-call status (logoff, commit, ping). */
export function callStatus(): Buffer {
  return new TtcWriter().u8(MSG_STATUS).ub(0).ub(0).toBuffer();
}

/** Describe info for a result of VARCHAR2 columns. */
export function describeInfo(columns: readonly string[], maxSizes: readonly number[]): Buffer {
  const w = new TtcWriter();
  w.u8(MSG_DESCRIBE_INFO);
  w.u8(0); // chunked bytes (none)
  w.ub(maxSizes.reduce((a, b) => a + b, 0)); // max row size
  w.ub(columns.length);
  if (columns.length > 0) w.u8(0);
  columns.forEach((name, i) => {
    const size = maxSizes[i] ?? 4000;
    w.u8(DATA_TYPE_VARCHAR);
    w.u8(0); // flags
    w.u8(0); // precision
    w.u8(0); // scale
    w.ub(size); // max size
    w.ub(0); // max array elements
    w.ub(0); // cont flags
    w.ub(0); // OID
    w.ub(0); // version
    w.ub(CHARSET_UTF8);
    w.u8(CSFRM_IMPLICIT);
    w.ub(size); // size in characters
    w.ub(0); // oaccolid (≥ 12.2)
    w.u8(1); // nullable
    w.u8(0); // v7 name length
    w.strAndLength(name);
    w.ub(0); // schema
    w.ub(0); // type name
    w.ub(i + 1); // column position
    w.ub(0); // uds flags
  });
  w.ub(0); // current date
  w.ub(0).ub(0).ub(0).ub(0); // dcbflag, dcbmdbz, dcbmnpr, dcbmxpr
  w.ub(0);
  return w.toBuffer();
}

/** Row header then one row-data record per row (strings or null). */
export function rows(values: readonly (readonly (string | null)[])[]): Buffer {
  const w = new TtcWriter();
  if (values.length === 0) return w.toBuffer();
  w.u8(MSG_ROW_HEADER);
  w.u8(0); // flags
  w.ub(0); // number of requests
  w.ub(0); // iteration number
  w.ub(values.length); // number of iterations
  w.ub(0); // buffer length
  w.ub(0); // bit vector
  w.ub(0); // rxhrid
  for (const row of values) {
    w.u8(MSG_ROW_DATA);
    for (const v of row) w.str(v === null || v === '' ? null : v);
  }
  return w.toBuffer();
}
