// What a connect string resolves to: the addresses to reach and the TLS
// identity rules the driver will apply. `connect.target` hands this to the
// network and TLS checks (re-exported from src/checks/network/target.ts).
import type { Position } from './nv.js';
import type { RetryPlan } from './retry.js';

export interface ConnectAddress {
  host: string;
  port: number;
  protocol: 'tcp' | 'tcps';
}

export interface ConnectTarget {
  /** The connect descriptor, as one line node-oracledb accepts as connectString. */
  descriptor: string;
  addresses: ConnectAddress[];
  serviceName?: string;
  /** SSL_SERVER_DN_MATCH; node-oracledb's default is true. */
  sslServerDnMatch: boolean;
  /** SSL_SERVER_CERT_DN, quotes removed. */
  sslServerCertDn?: string;
  /** Where it came from, e.g. "--dsn (EZConnect)" or "alias ledger_high in /w/tnsnames.ora:3". */
  source: string;
  /** RETRY_COUNT (and RETRY_DELAY, seconds) when set: how often the driver tries again after a failure. */
  retry?: RetryPlan;
  /** An EZConnect string: which DN parameters it sets itself (node-oracledb Thin mode had a bug with each, by release). */
  easyConnect?: { sslServerDnMatch: boolean; sslServerCertDn: boolean };
}

/** Extra facts the checks show but other engineers need not depend on. */
export interface ConnectDetails {
  kind: 'ezconnect' | 'descriptor' | 'alias';
  sid?: string;
  retryCount?: number;
  retryDelay?: number;
  connectTimeout?: string;
  httpsProxy?: string;
  walletLocation?: string;
  /** Protocols the thin drivers do not speak (ipc, beq…), with where. */
  unsupported: { protocol: string; at?: Position }[];
}

export interface ConnectProblem {
  kind: 'parse-error' | 'alias-not-found';
  message: string;
  at?: Position;
  /** File the position refers to; undefined for the --dsn text. */
  file?: string;
  /** The text the position points into (for a caret excerpt). */
  text?: string;
  /** Aliases that do exist, for alias-not-found. */
  known?: string[];
}

export type Resolution = { ok: true; target: ConnectTarget; details: ConnectDetails } | ({ ok: false } & ConnectProblem);
