// The trust stores this Node can show: its bundled roots, and the OS store
// where the Node version exposes it (tls.getCACertificates, Node 22.15+ /
// 23.10+). Read once per process; the certificates of both (each one
// OpenSSL loaded, so each parses) are parsed one by one when a verification
// reads them.
import tls from 'node:tls';
import { derOfPem, lazyCertFromDer, type Cert } from '../core/tls/certs.js';

let bundled: Cert[] | undefined;

export function bundledRoots(): Cert[] {
  bundled ??= tls.rootCertificates.map((pem) => lazyCertFromDer(derOfPem(pem)));
  return bundled;
}

export type SystemRoots = { ok: true; certs: Cert[] } | { ok: false; reason: string };

let system: SystemRoots | undefined;

export function systemRoots(nodeVersion = process.versions.node): SystemRoots {
  if (system) return system;
  const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') {
    system = { ok: false, reason: `this Node (v${nodeVersion}) cannot list the OS store: tls.getCACertificates('system') needs Node 22.15+ or 23.10+` };
    return system;
  }
  try {
    // One PEM per certificate OpenSSL loaded (so each parses), hundreds of them: parsed when a verification reads one, as the bundled roots.
    system = { ok: true, certs: get('system').map((pem) => lazyCertFromDer(derOfPem(pem))) };
  } catch (err) {
    system = { ok: false, reason: `reading the OS store failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  return system;
}

/** Whether node-oracledb's process could add the OS store to its defaults (--use-system-ca). */
export function nodeHasSystemCaOption(nodeVersion = process.versions.node): boolean {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);
}
