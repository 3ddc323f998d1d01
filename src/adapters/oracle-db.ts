// The direct path: node-oracledb thin with the doctor's own DB token
// (externalAuth + accessToken {token, privateKey}), then the identity query
// and session_roles. The driver is injectable: tests stand in for the
// database's authentication phase, which nothing on this machine can run.

import { IDENTITY_QUERY, ROLES_QUERY } from '../core/identity-query.js';

export { IDENTITY_QUERY, ROLES_QUERY };

/** TLS and timeout settings every connection the doctor opens shares (from the TLS step). */
export interface ConnectTls {
  connectString: string;
  walletContent?: string;
  walletLocation?: string;
  walletPassword?: string;
  sslServerDNMatch: boolean;
  sslServerCertDN?: string;
  connectTimeoutSeconds: number;
}

export interface DirectConnectParams extends ConnectTls {
  token: string;
  privateKeyPem: string;
}

/** A local database user (e.g. ADMIN) with its password: the database-side checks. */
export interface AdminConnectParams extends ConnectTls {
  user: string;
  password: string;
}

export interface OracleConnectionLike {
  /** Rows as arrays (node-oracledb's default outFormat); metaData names the columns. */
  execute(sql: string): Promise<{ rows?: unknown[][]; metaData?: { name: string }[] }>;
  close(): Promise<void>;
}

export interface OracleDriver {
  getConnection(config: Record<string, unknown>): Promise<OracleConnectionLike>;
}

export interface SessionIdentity {
  currentSchema?: string;
  sessionUser?: string;
  authenticatedIdentity?: string;
  authenticationMethod?: string;
  enterpriseIdentity?: string;
  roles: string[];
}

export type DirectResult = { ok: true; identity: SessionIdentity } | { ok: false; message: string; stack?: string };

async function realDriver(): Promise<OracleDriver> {
  const mod = (await import('oracledb')) as unknown as { default?: OracleDriver } & OracleDriver;
  return mod.default ?? mod;
}

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** node-oracledb connect options for the connect string, TLS settings and timeouts. */
function connectConfig(p: ConnectTls): Record<string, unknown> {
  const config: Record<string, unknown> = {
    connectString: p.connectString,
    sslServerDNMatch: p.sslServerDNMatch,
    connectTimeout: p.connectTimeoutSeconds,
    transportConnectTimeout: p.connectTimeoutSeconds,
  };
  if (p.sslServerCertDN) config.sslServerCertDN = p.sslServerCertDN;
  if (p.walletContent) config.walletContent = p.walletContent;
  if (p.walletLocation) config.walletLocation = p.walletLocation;
  if (p.walletPassword) config.walletPassword = p.walletPassword;
  return config;
}

export async function runIdentityQuery(p: DirectConnectParams, driver?: OracleDriver): Promise<DirectResult> {
  const d = driver ?? (await realDriver());
  const config = { externalAuth: true, accessToken: { token: p.token, privateKey: p.privateKeyPem }, ...connectConfig(p) };
  let conn: OracleConnectionLike | undefined;
  try {
    conn = await d.getConnection(config);
    const row = (await conn.execute(IDENTITY_QUERY)).rows?.[0] ?? [];
    const roles = ((await conn.execute(ROLES_QUERY)).rows ?? []).map((r) => String(r[0]));
    return { ok: true, identity: { currentSchema: str(row[0]), sessionUser: str(row[1]), authenticatedIdentity: str(row[2]), authenticationMethod: str(row[3]), enterpriseIdentity: str(row[4]), roles } };
  } catch (err) {
    const e = err as Error;
    return { ok: false, message: e?.message ?? String(err), stack: e?.stack };
  } finally {
    await conn?.close().catch(() => undefined);
  }
}

/** One statement's answer: its columns (upper case) and rows, or the database's error. */
export type QueryAnswer = { ok: true; columns: string[]; rows: unknown[][] } | { ok: false; message: string };

export type AdminQueriesResult = { ok: true; answers: QueryAnswer[] } | { ok: false; message: string; stack?: string };

/**
 * Logs on as a local user with its password and runs `statements` one after
 * the other on that session; a statement that fails does not stop the rest.
 */
export async function runAdminQueries(p: AdminConnectParams, statements: readonly string[], driver?: OracleDriver): Promise<AdminQueriesResult> {
  const d = driver ?? (await realDriver());
  let conn: OracleConnectionLike | undefined;
  try {
    conn = await d.getConnection({ user: p.user, password: p.password, ...connectConfig(p) });
  } catch (err) {
    const e = err as Error;
    return { ok: false, message: e?.message ?? String(err), stack: e?.stack };
  }
  try {
    const answers: QueryAnswer[] = [];
    for (const sql of statements) {
      try {
        const r = await conn.execute(sql);
        answers.push({ ok: true, columns: (r.metaData ?? []).map((m) => m.name.toUpperCase()), rows: r.rows ?? [] });
      } catch (err) {
        answers.push({ ok: false, message: (err as Error)?.message ?? String(err) });
      }
    }
    return { ok: true, answers };
  } finally {
    await conn.close().catch(() => undefined);
  }
}
