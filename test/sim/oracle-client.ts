// A real node-oracledb thin client for the listener tests. oracledb ships no
// type declarations, so it is loaded through require with the little it needs
// typed here (no ambient `declare module`, which could clash with one elsewhere).
import { createRequire } from 'node:module';
import { withoutRetries } from '../../src/core/connect/retry.js';

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

/**
 * getConnection with a user and password that never get used: the listener
 * refuses first. The descriptor's retries are turned off (ADB's 20 × 3 s would
 * make every refusal a minute) unless `keepRetries`.
 */
export async function attempt(connectString: string, walletContent: string, extra: Record<string, unknown> = {}, opts: { keepRetries?: boolean } = {}): Promise<Attempt> {
  const started = Date.now();
  let message = '';
  try {
    const conn = await oracledb.getConnection({
      user: 'x',
      password: 'y',
      connectString: opts.keepRetries ? connectString : withoutRetries(connectString),
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

/**
 * The same attempt with no wallet at all, as an application connecting with
 * one-way TLS does: node-oracledb then trusts Node's roots plus
 * NODE_EXTRA_CA_CERTS, which Node reads only at start — so it runs in a child
 * process that trusts `caFile`. Retries off, as in `attempt`.
 */
export async function attemptWithoutWallet(connectString: string, caFile: string): Promise<Attempt> {
  const { spawn } = await import('node:child_process');
  const script = `
    const oracledb = require(${JSON.stringify(require.resolve('oracledb'))});
    oracledb.getConnection({ user: 'x', password: 'y', connectString: process.env.CS, connectTimeout: 5, transportConnectTimeout: 5 })
      .then((c) => c.close().then(() => process.stdout.write('')), (e) => process.stdout.write(String(e.message)));`;
  const started = Date.now();
  const message = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, CS: withoutRetries(connectString), NODE_EXTRA_CA_CERTS: caFile }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => child.kill(), 20_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
  return {
    message,
    firstLine: message.split('\n')[0] ?? '',
    codes: [...message.matchAll(/\b(?:NJS|ORA)-\d{3,5}\b/g)].map((m) => m[0]),
    ms: Date.now() - started,
  };
}
