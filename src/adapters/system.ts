// Facts about this machine and process, gathered once per run.
import { createRequire } from 'node:module';
import os from 'node:os';
import pkg from '../../package.json' with { type: 'json' };

export interface SystemFacts {
  toolVersion: string;
  nodeVersion: string;
  platform: NodeJS.Platform;
  arch: string;
  osRelease: string;
  homeDir: string;
  userName: string;
  hostName: string;
  /** Versions of the libraries the doctor relies on, as pinned in its package. */
  libraries: Record<string, string>;
  /** The node-oracledb installed beside the doctor (its package.json is read, the driver is not loaded). */
  oracledbVersion?: string;
  /** Where this machine keeps its OS CA bundle files; unset: the documented paths (OS_BUNDLE_FILES). The demo's machine keeps them in its home. */
  osCaBundles?: readonly { path: string; os: string }[];
}

export const TOOL_NAME = 'dbiam-doctor';
export const TOOL_VERSION: string = pkg.version;

function safe<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

export function readSystemFacts(): SystemFacts {
  return {
    toolVersion: TOOL_VERSION,
    nodeVersion: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    homeDir: os.homedir(),
    userName: safe(() => os.userInfo().username, ''),
    hostName: safe(() => os.hostname(), ''),
    libraries: { ...pkg.dependencies },
    ...optional('oracledbVersion', safe(() => String((createRequire(import.meta.url)('oracledb/package.json') as { version: unknown }).version), undefined)),
  };
}
