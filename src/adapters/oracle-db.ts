// The direct path: node-oracledb thin with the doctor's own DB token
// (externalAuth + accessToken {token, privateKey}), then the identity query
// and session_roles. The driver is injectable: tests stand in for the
// database's authentication phase, which nothing on this machine can run.

export const IDENTITY_QUERY =
  "select sys_context('userenv','current_schema'), sys_context('userenv','session_user'), sys_context('userenv','authenticated_identity'), sys_context('userenv','authentication_method'), sys_context('userenv','enterprise_identity') from dual";
export const ROLES_QUERY = 'select role from session_roles order by role';

export interface DirectConnectParams {
  connectString: string;
  token: string;
  privateKeyPem: string;
  walletContent?: string;
  walletLocation?: string;
  walletPassword?: string;
  sslServerDNMatch: boolean;
  sslServerCertDN?: string;
  connectTimeoutSeconds: number;
}

export interface OracleConnectionLike {
  execute(sql: string): Promise<{ rows?: unknown[][] }>;
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

export async function runIdentityQuery(p: DirectConnectParams, driver?: OracleDriver): Promise<DirectResult> {
  const d = driver ?? (await realDriver());
  const config: Record<string, unknown> = {
    externalAuth: true,
    accessToken: { token: p.token, privateKey: p.privateKeyPem },
    connectString: p.connectString,
    sslServerDNMatch: p.sslServerDNMatch,
    connectTimeout: p.connectTimeoutSeconds,
    transportConnectTimeout: p.connectTimeoutSeconds,
  };
  if (p.sslServerCertDN) config.sslServerCertDN = p.sslServerCertDN;
  if (p.walletContent) config.walletContent = p.walletContent;
  if (p.walletLocation) config.walletLocation = p.walletLocation;
  if (p.walletPassword) config.walletPassword = p.walletPassword;
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
