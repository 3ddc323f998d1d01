// A real node-oracledb thin client for the listener tests. oracledb ships no
// type declarations, so it is loaded through require with the little it needs
// typed here (no ambient `declare module`, which could clash with one elsewhere).
import { createRequire } from 'node:module';

interface OracleConnection {
  close(): Promise<void>;
}
interface OracleDb {
  getConnection(options: Record<string, unknown>): Promise<OracleConnection>;
}

const require = createRequire(import.meta.url);
export const oracledb = require('oracledb') as OracleDb;

export interface Attempt {
  /** The error's message ('' if it connected, which the simulator never allows). */
  message: string;
  /** Its first line, e.g. `NJS-518: cannot connect to Oracle Database. …`. */
  firstLine: string;
  /** NJS-/ORA- codes in order of appearance in the message. */
  codes: string[];
  ms: number;
}

/** getConnection with a user and password that never get used: the listener refuses first. */
export async function attempt(connectString: string, walletContent: string, extra: Record<string, unknown> = {}): Promise<Attempt> {
  const started = Date.now();
  let message = '';
  try {
    const conn = await oracledb.getConnection({
      user: 'x',
      password: 'y',
      connectString,
      walletContent,
      connectTimeout: 5,
      transportConnectTimeout: 5,
      ...extra,
    });
    await conn.close();
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
  }
  return {
    message,
    firstLine: message.split('\n')[0] ?? '',
    codes: [...message.matchAll(/\b(?:NJS|ORA)-\d{3,5}\b/g)].map((m) => m[0]),
    ms: Date.now() - started,
  };
}
