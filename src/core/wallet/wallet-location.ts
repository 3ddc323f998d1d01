// Where sqlnet.ora says the wallet is, as a client would read it, and how
// SSL_SERVER_DN_MATCH is spelled. Parsing sqlnet.ora itself is the connect
// string parser's job (src/core/connect/sqlnet.ts).

/** Whether an SSL_SERVER_DN_MATCH value turns matching on (yes/on/true), off (no/off/false), or is neither. */
export function dnMatchEnabled(value: string): boolean | undefined {
  const v = value.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (['yes', 'on', 'true'].includes(v)) return true;
  if (['no', 'off', 'false'].includes(v)) return false;
  return undefined;
}

export type ResolvedDirectory = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Expands a WALLET_LOCATION directory as a client would: `?` is ORACLE_HOME,
 * `$VAR`, `${VAR}` and `%VAR%` come from the environment.
 */
export function expandOracleDirectory(dir: string, env: Readonly<Record<string, string | undefined>>): ResolvedDirectory {
  let missing: string | undefined;
  const lookup = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') missing ??= name;
    return v ?? '';
  };
  let out = dir;
  if (out.startsWith('?')) out = lookup('ORACLE_HOME') + out.slice(1);
  out = out.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%/g, (_m, a?: string, b?: string, c?: string) => lookup((a ?? b ?? c) as string));
  if (missing) return { ok: false, reason: missing === 'ORACLE_HOME' && dir.startsWith('?') ? `'?' stands for ORACLE_HOME, which is not set here` : `${missing} is not set here` };
  return { ok: true, path: out };
}
