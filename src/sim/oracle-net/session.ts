// One accepted Oracle Net connection: ACCEPT, then TTC requests answered one
// at a time until the client logs off and sends EOF, vanishes, sends
// something that is not TTC, or goes quiet for too long. Nothing a client
// sends can throw out of here: every failure ends this socket only.
import type { Duplex } from 'node:stream';
import type { DatabaseBackend, DbSession, OraError, StatementAnswer } from './backend.js';
import { acceptPacket, dataPackets, DATA_FLAG_END_OF_REQUEST, DATA_FLAG_EOF, markerPacket, MARKER_RESET, negotiate, PacketReader, TNS_DATA, TNS_MARKER, type Negotiated } from './packets.js';
import {
  AUTH_MODE_WITH_PASSWORD,
  authParameters,
  callStatus,
  dataTypes,
  describeInfo,
  errorInfo,
  FN_AUTH_PHASE_ONE,
  protocolInfo,
  readRequest,
  rows as rowRecords,
  type ClientCall,
} from './ttc.js';
import { NeedMoreData } from './wire.js';
import { challenge, serverResponse, type Challenge } from './o5logon.js';

export const BANNER = 'x86_64/Linux 2.4.xx';
/** Largest request the stand-in buffers (the doctor's are a few KB; a DB token ~2 KB). */
const MAX_REQUEST = 1_048_576;

/** ORA-01012: not logged on — a statement before (or after) a successful logon. */
const ORA_01012: OraError = { num: 1012, message: 'ORA-01012: not logged on' };
/** ORA-01013: the answer to a client's break/reset. */
const ORA_01013: OraError = { num: 1013, message: 'ORA-01013: user requested cancel of current operation' };
/** ORA-01001: a fetch on a cursor the session does not have. */
const ORA_01001: OraError = { num: 1001, message: 'ORA-01001: invalid cursor' };
/** ORA-01403: no (more) rows; a query's last fetch ends with it. */
const NO_DATA_FOUND = 1403;
/** ORA-01017: a wrong password or unknown user (the generic text). */
const ORA_01017: OraError = { num: 1017, message: 'ORA-01017: invalid username/password; logon denied' };
/** ORA-28040: the logon protocol the client asked for is not one the stand-in speaks (password logon without local users). */
const ORA_28040: OraError = { num: 28040, message: 'ORA-28040: No matching authentication protocol' };
/** ORA-03115: a TTC function the stand-in does not implement. */
const ORA_03115: OraError = { num: 3115, message: 'ORA-03115: unsupported network datatype or representation' };

export type SessionEnd = 'logoff' | 'eof' | 'client-vanished' | 'garbage' | 'idle-timeout' | 'internal-error';

/** What happened on one accepted connection (for tests and the demo). */
export interface SessionLog {
  /** Set once the client asked to log on. */
  logon?: { ok: true; user: string } | { ok: false; num: number; reason: string };
  /** SQL text of every statement executed, in order. */
  statements: string[];
  /** Why the connection ended (absent while it is open). */
  end?: SessionEnd;
  detail?: string;
}

export interface SessionOptions {
  serviceName: string;
  /** SDU/TDU the client asked for in its CONNECT. */
  asked: { sdu?: number; tdu?: number };
  /** Close the connection after this long without a byte from the client (default 30 s). */
  idleTimeoutMs?: number;
  /** `address:port` the client connected to. */
  serverAddress: string;
}

interface Cursor {
  sql: string;
  columns: string[];
  rows: (string | null)[][];
  next: number;
}

export function serveSession(socket: Duplex & { setTimeout?(ms: number, cb?: () => void): unknown }, backend: DatabaseBackend, opts: SessionOptions): SessionLog {
  const log: SessionLog = { statements: [] };
  const units: Negotiated = negotiate(opts.asked);
  const reader = new PacketReader();
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let session: DbSession | undefined;
  let loggedOff = false;
  let passwordLogon: { user: string; challenge: Challenge } | undefined;
  const cursors = new Map<number, Cursor>();
  let nextCursorId = 1;
  let ended = false;

  const end = (why: SessionEnd, detail?: string): void => {
    if (ended) return;
    ended = true;
    log.end = why;
    if (detail !== undefined) log.detail = detail;
    if (why === 'eof' || why === 'logoff') socket.end();
    else socket.destroy();
  };
  const send = (payload: Buffer): void => {
    for (const p of dataPackets(payload, units.sdu)) socket.write(p);
  };
  const sendError = (e: OraError, extra: { cursorId?: number; rowCount?: number } = {}): void => send(errorInfo({ num: e.num, message: e.message, ...extra }));

  const idle = opts.idleTimeoutMs ?? 30_000;
  socket.setTimeout?.(idle, () => end('idle-timeout', `no data from the client for ${idle} ms`));
  socket.on('close', () => {
    if (!ended) {
      ended = true;
      log.end = loggedOff ? 'logoff' : 'client-vanished';
    }
  });
  socket.on('error', () => {});

  socket.write(acceptPacket(units));

  socket.on('data', (chunk: Buffer) => {
    if (ended) return;
    try {
      for (const packet of reader.push(chunk)) {
        if (ended) return;
        if (packet.type === TNS_MARKER) {
          // A break is followed by a reset; the client then waits for our
          // reset and reads the interrupted call's answer (ORA-01013).
          if (packet.flags === MARKER_RESET) {
            pending = [];
            pendingLen = 0;
            socket.write(markerPacket(MARKER_RESET));
            sendError(ORA_01013);
          }
          continue;
        }
        if (packet.type !== TNS_DATA) continue;
        if (packet.flags & DATA_FLAG_EOF) return end(loggedOff ? 'logoff' : 'eof');
        pending.push(packet.payload);
        pendingLen += packet.payload.length;
        if (pendingLen > MAX_REQUEST) return end('garbage', `request larger than ${MAX_REQUEST} bytes`);
        if (!(packet.flags & DATA_FLAG_END_OF_REQUEST)) continue;
        const payload = Buffer.concat(pending);
        pending = [];
        pendingLen = 0;
        handle(payload);
      }
    } catch (e) {
      end('garbage', (e as Error).message);
    }
  });

  function handle(payload: Buffer): void {
    let request;
    try {
      request = readRequest(payload);
    } catch (e) {
      return end('garbage', e instanceof NeedMoreData ? 'request ends early' : (e as Error).message);
    }
    for (const id of request.closeCursors) cursors.delete(id);
    let reply: Buffer | undefined;
    try {
      reply = answer(request.call);
    } catch (e) {
      return end('internal-error', (e as Error).stack ?? String(e));
    }
    if (reply) send(reply);
  }

  function answer(call: ClientCall): Buffer | undefined {
    switch (call.kind) {
      case 'protocol':
        return protocolInfo(BANNER);
      case 'data-types':
        return dataTypes();
      case 'auth': {
        if (call.functionCode === FN_AUTH_PHASE_ONE || call.authMode & AUTH_MODE_WITH_PASSWORD || !call.pairs.has('AUTH_TOKEN')) return passwordPhase(call);
        const header = call.pairs.get('AUTH_HEADER');
        const signature = call.pairs.get('AUTH_SIGNATURE');
        const verdict = backend.logonWithToken({
          token: call.pairs.get('AUTH_TOKEN') as string,
          ...(header === undefined ? {} : { header }),
          ...(signature === undefined ? {} : { signature }),
          authMode: call.authMode,
          serviceName: opts.serviceName,
          serverAddress: opts.serverAddress,
        });
        if (!verdict.ok) {
          log.logon = { ok: false, num: verdict.error.num, reason: verdict.reason };
          return errorInfo(verdict.error);
        }
        session = verdict.session;
        log.logon = { ok: true, user: session.user };
        return authParameters(session.logonParameters);
      }
      case 'execute': {
        if (!session || loggedOff) return errorInfo(ORA_01012);
        if (call.sql === undefined) return reexecute(call.cursorId, true, call.prefetch);
        log.statements.push(call.sql);
        const result: StatementAnswer = call.binds > 0 || call.defines > 0 ? { kind: 'error', error: ORA_03115 } : session.run(call.sql);
        if (result.kind === 'error') return errorInfo(result.error);
        if (result.kind === 'done') return errorInfo({ num: 0 });
        const cursorId = nextCursorId++;
        const cursor: Cursor = { sql: call.sql, columns: result.columns, rows: result.rows, next: 0 };
        cursors.set(cursorId, cursor);
        const sizes = result.columns.map((_, i) => Math.min(4000, Math.max(1, ...result.rows.map((r) => Buffer.byteLength(r[i] ?? '', 'utf8')))));
        return Buffer.concat([describeInfo(result.columns, sizes), fetchRows(cursorId, cursor, call.prefetch)]);
      }
      case 'reexecute':
        if (!session || loggedOff) return errorInfo(ORA_01012);
        return reexecute(call.cursorId, call.fetch, call.prefetch);
      case 'fetch': {
        if (!session || loggedOff) return errorInfo(ORA_01012);
        const cursor = cursors.get(call.cursorId);
        if (!cursor) return errorInfo(ORA_01001);
        return fetchRows(call.cursorId, cursor, call.rows);
      }
      case 'logoff':
        loggedOff = true;
        session = undefined;
        cursors.clear();
        return callStatus();
      case 'commit':
      case 'rollback':
      case 'ping':
        return session && !loggedOff ? callStatus() : errorInfo(ORA_01012);
      case 'unsupported':
        return errorInfo(ORA_03115);
    }
  }

  /** The two round trips of a password logon (o5logon.ts). */
  function passwordPhase(call: Extract<ClientCall, { kind: 'auth' }>): Buffer {
    if (!backend.localPassword || !backend.logonLocalUser) {
      log.logon = { ok: false, num: ORA_28040.num, reason: 'the database behind this listener has no password users' };
      return errorInfo(ORA_28040);
    }
    if (call.functionCode === FN_AUTH_PHASE_ONE) {
      const user = call.user.toUpperCase();
      passwordLogon = { user, challenge: challenge(backend.localPassword(user)) };
      return authParameters(passwordLogon.challenge.parameters);
    }
    const pending = passwordLogon;
    passwordLogon = undefined;
    const sessKey = call.pairs.get('AUTH_SESSKEY');
    const password = call.pairs.get('AUTH_PASSWORD');
    const checked = pending && sessKey && password ? pending.challenge.verify(sessKey, password) : { ok: false as const };
    if (!pending || !checked.ok) {
      log.logon = { ok: false, num: ORA_01017.num, reason: pending ? `wrong password for ${pending.user}, or no such user` : 'phase two without phase one' };
      return errorInfo(ORA_01017);
    }
    const verdict = backend.logonLocalUser(pending.user, opts.serviceName);
    if (!verdict.ok) {
      log.logon = { ok: false, num: verdict.error.num, reason: verdict.reason };
      return errorInfo(verdict.error);
    }
    session = verdict.session;
    log.logon = { ok: true, user: session.user };
    return authParameters({ ...session.logonParameters, AUTH_SVR_RESPONSE: serverResponse(checked.comboKey) });
  }

  /** The same statement again on its cursor: fresh rows, no describe (the client has it). */
  function reexecute(cursorId: number, fetch: boolean, prefetch: number): Buffer {
    const cursor = cursors.get(cursorId);
    if (!cursor || !session) return errorInfo(ORA_01001);
    log.statements.push(cursor.sql);
    const result = session.run(cursor.sql);
    if (result.kind === 'error') return errorInfo({ ...result.error, cursorId });
    if (result.kind === 'done') return errorInfo({ num: 0, cursorId });
    cursor.rows = result.rows;
    cursor.next = 0;
    return fetch ? fetchRows(cursorId, cursor, prefetch) : errorInfo({ num: 0, cursorId });
  }

  /** Up to `n` rows from the cursor; the last batch ends with ORA-01403, as a database ends it. */
  function fetchRows(cursorId: number, cursor: Cursor, n: number): Buffer {
    const batch = cursor.rows.slice(cursor.next, cursor.next + Math.max(0, n));
    cursor.next += batch.length;
    const done = cursor.next >= cursor.rows.length;
    return Buffer.concat([
      rowRecords(batch),
      errorInfo(done ? { num: NO_DATA_FOUND, message: 'ORA-01403: no data found', cursorId, rowCount: cursor.next } : { num: 0, cursorId, rowCount: cursor.next }),
    ]);
  }

  return log;
}
