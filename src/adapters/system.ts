// Facts about this machine and process, gathered once per run.
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
  };
}
