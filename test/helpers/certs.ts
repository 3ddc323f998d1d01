// Certificates generated at test time (never committed): a CA and leaves
// signed by it, with the validity window under the test's control.
import forge from 'node-forge';
import { takeRsaKey } from '../../src/sim/key-pool.js';

/**
 * RSA size for keys that a TLS server presents in tests: 1024-bit where the
 * runtime accepts them (Node 20 and 22; ~20x faster to make than 2048-bit),
 * 2048-bit on Node 24, whose OpenSSL (security level 2) refuses a 1024-bit
 * server key with 'ee key too small'.
 */
export const SERVER_KEY_BITS = Number(process.versions.node.split('.')[0]) >= 24 ? 2048 : 1024;

export interface TestCert {
  certPem: string;
  keyPem: string;
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export interface CertOptions {
  commonName: string;
  issuer?: TestCert;
  isCA?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  altNames?: string[];
  bits?: number;
}

let serial = 1;

export function makeCert(opts: CertOptions): TestCert {
  // A native key from the run's pool (forge's own keygen is pure JavaScript and far slower).
  const pem = takeRsaKey(opts.bits ?? 1024);
  const keys = { publicKey: forge.pki.publicKeyFromPem(pem.publicKeyPem) as forge.pki.rsa.PublicKey, privateKey: forge.pki.privateKeyFromPem(pem.privateKeyPem) as forge.pki.rsa.PrivateKey };
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: opts.commonName }, { name: 'organizationName', value: 'dbiam-doctor tests' }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: opts.isCA === true }];
  if (opts.isCA) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true });
  if (opts.altNames) extensions.push({ name: 'subjectAltName', altNames: opts.altNames.map((value) => ({ type: 2, value })) });
  cert.setExtensions(extensions);
  cert.sign(opts.issuer ? opts.issuer.key : keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey), cert, key: keys.privateKey };
}
