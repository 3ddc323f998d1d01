// Server identity as node-oracledb thin decides it (lib/thin/sqlnet/ntTcp.js):
//   sslServerDNMatch off            → nothing is checked
//   sslServerCertDN given           → split on ',' and '=', every key/value must
//                                      equal the subject's, and the counts must
//                                      agree → otherwise NJS-507
//   no sslServerCertDN              → host name vs SAN/CN (tls.checkServerIdentity)
//                                      → otherwise NJS-508
// Kept literal (including its naive comma split) so the verdict is the driver's.
import tls from 'node:tls';
import type { Cert } from './certs.js';

export interface DnDifference {
  key: string;
  expected?: string;
  actual?: string;
}

export type IdentityVerdict =
  | { rule: 'off'; ok: true }
  | { rule: 'dn'; ok: boolean; differences: DnDifference[]; ouChange: boolean; subjectDn: string }
  | { rule: 'host'; ok: boolean; host: string; names: string[]; reason?: string };

/** The certificate subject as node-oracledb sees it (cert.subject from getPeerCertificate). */
export function subjectObject(cert: Cert): Record<string, string | string[]> {
  const legacy = cert.x509.toLegacyObject() as unknown as { subject?: Record<string, string | string[]> };
  return legacy.subject ?? {};
}

/** node-oracledb's parsing of sslServerCertDN. */
export function dnObject(dn: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const part of dn.split(',')) {
    const [k, v] = part.split('=').map((y) => y.trim());
    out[k as string] = v;
  }
  return out;
}

export function checkIdentity(cert: Cert, host: string, dnMatch: boolean, certDn: string | undefined): IdentityVerdict {
  if (!dnMatch) return { rule: 'off', ok: true };
  if (certDn !== undefined) {
    const want = dnObject(certDn);
    const have = subjectObject(cert);
    const differences: DnDifference[] = [];
    const keys = new Set([...Object.keys(want), ...Object.keys(have)]);
    for (const key of keys) {
      const expected = want[key];
      const raw = have[key];
      const actual = Array.isArray(raw) ? raw.join('+') : raw;
      // The driver compares with `!=`: an array never equals a string.
      const equal = key in want && key in have && !Array.isArray(raw) && expected === actual;
      if (!equal) differences.push({ key, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) });
    }
    const ok = Object.keys(want).length === Object.keys(have).length && differences.length === 0;
    // The 2022 change exactly: the pinned DN is right but for the OU the certificates dropped.
    const ouChange = 'OU' in want && !('OU' in have) && differences.every((d) => d.key === 'OU');
    return { rule: 'dn', ok, differences, ouChange, subjectDn: cert.subject };
  }
  const names = namesOf(cert);
  let reason: string | undefined;
  try {
    const err = tls.checkServerIdentity(host, cert.x509.toLegacyObject() as unknown as tls.PeerCertificate);
    reason = err?.message;
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  return { rule: 'host', ok: reason === undefined, host, names, ...(reason ? { reason } : {}) };
}

/** DNS and IP names the certificate covers (SAN), else its CN. */
export function namesOf(cert: Cert): string[] {
  if (cert.subjectAltName) {
    return cert.subjectAltName
      .split(', ')
      .map((s) => s.replace(/^DNS:/, '').replace(/^IP Address:/, ''))
      .filter(Boolean);
  }
  const cn = commonName(cert.subject);
  return cn ? [cn] : [];
}

/** The CN of a one-line DN ("CN=host,O=Oracle,C=US"), when it has one. */
export function commonName(dn: string): string | undefined {
  return /(?:^|,)CN=([^,]*)/.exec(dn)?.[1];
}
