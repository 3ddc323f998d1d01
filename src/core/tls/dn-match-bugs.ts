// Thin-mode DN-matching bugs (explain/known-bugs.ts, each with the release
// that fixed it) that hit this server's certificate and connect string with
// the user's driver release, even where the doctor's own match passes.
import type { ConnectTarget } from '../connect/target.js';
import { KNOWN_BUGS, versionHasBug, type KnownBug } from '../explain/known-bugs.js';
import type { IdentityVerdict } from './dn-match.js';

export interface DnMatchContext {
  identity: IdentityVerdict;
  /** The server certificate's CN (python-oracledb 3.x matches it besides the SANs). */
  cn?: string;
  easyConnect?: ConnectTarget['easyConnect'];
}

/** True when `host` is covered only through a wildcard name: no name equals it. */
function wildcardOnly(identity: IdentityVerdict, cn: string | undefined): boolean {
  if (identity.rule !== 'host' || !identity.ok) return false;
  const host = identity.host.toLowerCase();
  const names = [...identity.names, ...(cn ? [cn] : [])].map((n) => n.toLowerCase());
  return !names.includes(host) && names.some((n) => n.includes('*'));
}

export function dnMatchBugs(client: 'node' | 'python', version: string | undefined, c: DnMatchContext): KnownBug[] {
  const bugs: KnownBug[] = [];
  if (client === 'python') {
    if (wildcardOnly(c.identity, c.cn)) bugs.push(KNOWN_BUGS.pythonWildcardSan);
  } else {
    if (c.easyConnect?.sslServerCertDn && c.identity.rule === 'dn') bugs.push(KNOWN_BUGS.nodeEzCertDn);
    if (c.easyConnect && !c.easyConnect.sslServerDnMatch && c.identity.rule !== 'off') bugs.push(KNOWN_BUGS.nodeEzDnMatch);
  }
  return bugs.filter((b) => versionHasBug(b, version));
}
