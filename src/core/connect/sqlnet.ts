// sqlnet.ora: the settings the doctor cares about — where the wallet is
// (WALLET_LOCATION), whether the server DN is matched (SSL_SERVER_DN_MATCH),
// and token authentication for thick clients (TOKEN_AUTH, TOKEN_LOCATION).
import { child, nvTrue, parseNvFile, type NvError, type NvNode, type Position } from './nv.js';
import { unquote } from './descriptor.js';

export interface Located<T> {
  value: T;
  /** As written in the file. */
  raw: string;
  at: Position;
}

export interface SqlnetSettings {
  /** WALLET_LOCATION's DIRECTORY (or a plain WALLET_LOCATION = dir). `?` stands for ORACLE_HOME. */
  walletDirectory?: Located<string>;
  /** The METHOD of WALLET_LOCATION (FILE, MCS…), when given. */
  walletMethod?: Located<string>;
  sslServerDnMatch?: Located<boolean>;
  /** e.g. OCI_TOKEN (IAM db-token) or OAUTH. */
  tokenAuth?: Located<string>;
  /** Directory holding the db-token files (`token`, `oci_db_key.pem`). */
  tokenLocation?: Located<string>;
  /** Every top-level parameter, upper-cased name → atom value (lists: undefined). */
  parameters: Map<string, string | undefined>;
  errors: NvError[];
}

export function parseSqlnet(text: string): SqlnetSettings {
  const file = parseNvFile(text);
  const out: SqlnetSettings = { parameters: new Map(), errors: file.errors };
  for (const entry of file.entries) {
    for (const n of entry.names) {
      const key = n.name.toUpperCase();
      out.parameters.set(key, entry.value);
      const atom = entry.value !== undefined ? { raw: entry.value, at: entry.valueAt } : undefined;
      switch (key) {
        case 'WALLET_LOCATION': {
          if (atom) {
            out.walletDirectory = { value: unquote(atom.raw), ...atom };
            break;
          }
          const source = entry.children.find((c) => c.key === 'SOURCE') ?? entry.children[0];
          const method = source ? child(source, 'METHOD') : undefined;
          if (method?.value !== undefined) out.walletMethod = { value: method.value.toUpperCase(), raw: method.value, at: method.valueAt };
          const data = source ? child(source, 'METHOD_DATA') : undefined;
          const dir: NvNode | undefined = data ? child(data, 'DIRECTORY') : undefined;
          if (dir?.value !== undefined) out.walletDirectory = { value: unquote(dir.value), raw: dir.value, at: dir.valueAt };
          break;
        }
        case 'SSL_SERVER_DN_MATCH':
          if (atom) out.sslServerDnMatch = { value: nvTrue(unquote(atom.raw)), ...atom };
          break;
        case 'TOKEN_AUTH':
          if (atom) out.tokenAuth = { value: unquote(atom.raw), ...atom };
          break;
        case 'TOKEN_LOCATION':
          if (atom) out.tokenLocation = { value: unquote(atom.raw), ...atom };
          break;
      }
    }
  }
  return out;
}
