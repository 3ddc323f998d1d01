// What the protocol layer asks of the database behind it: decide a logon,
// answer a statement. The protocol code (session.ts) knows nothing about
// tokens, fixtures or SQL; adb.ts implements this over the fixture.

/** A token logon as the client sent it (function 115 with AUTH_TOKEN). */
export interface TokenLogon {
  token: string;
  /** AUTH_HEADER: `date: …\n(request-target): <service>\nhost: <host:port>` (proof of possession). */
  header?: string;
  /** AUTH_SIGNATURE: base64 RSA-SHA256 over the header. */
  signature?: string;
  /** Auth mode bits the client sent (IAM token flag 0x20000000). */
  authMode: number;
  /** SERVICE_NAME of the CONNECT the session was accepted on. */
  serviceName: string;
  /** The address:port the client connected to, as the server sees its own socket. */
  serverAddress: string;
}

export interface OraError {
  num: number;
  /** The line a real database sends, e.g. `ORA-01017: invalid username/password; logon denied`. */
  message: string;
}

export type LogonVerdict =
  | { ok: true; session: DbSession }
  /** `reason` is for the simulator's log and tests only; the client sees `error`. */
  | { ok: false; error: OraError; reason: string };

export type StatementAnswer =
  | { kind: 'rows'; columns: string[]; rows: (string | null)[][] }
  /** Accepted, no result set (ALTER SESSION and the like). */
  | { kind: 'done' }
  | { kind: 'error'; error: OraError };

export interface DbSession {
  /** Session user, for the log. */
  user: string;
  /** Values the database returns at logon (AUTH_SESSION_ID, AUTH_VERSION_NO, …). */
  logonParameters: Record<string, string>;
  run(sql: string): StatementAnswer;
}

export interface DatabaseBackend {
  logonWithToken(req: TokenLogon): LogonVerdict;
  /**
   * Local users logging on with a password (O5LOGON, 12c verifier): the
   * password the database holds for `user` (upper case), undefined when
   * there is no such user. Without it, password logons get ORA-28040.
   */
  localPassword?(user: string): string | undefined;
  /** The session of a local user whose password checked out. */
  logonLocalUser?(user: string, serviceName: string): LogonVerdict;
}

export const ORA_00900: OraError = { num: 900, message: 'ORA-00900: invalid SQL statement' };
export const ORA_00942: OraError = { num: 942, message: 'ORA-00942: table or view does not exist' };
