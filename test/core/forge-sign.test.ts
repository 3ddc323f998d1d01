// Certificates forge builds but Node's OpenSSL signs (src/core/tls/forge-sign.ts):
// the signature is the very one forge's own RSA makes (RSASSA-PKCS1-v1_5 is
// deterministic), and Node's X.509 verifies it against the key.
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { forgeRsaPublicKey, nodeDigest, nodeRsaSigner, withNodeKeyIdentifier } from '../../src/core/tls/forge-sign.js';
import { takeRsaKey } from '../../src/sim/key-pool.js';

function certificate(publicKeyPem: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = '01a2b3';
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2027-01-01T00:00:00Z');
  const subject = [{ name: 'commonName', value: 'forge-sign test' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  return cert;
}

describe('nodeRsaSigner', () => {
  it.each([
    ['sha256', () => forge.md.sha256.create()],
    ['sha1', () => forge.md.sha1.create()],
  ] as const)('%s: the same signature forge makes, and it verifies', (_name, md) => {
    const key = takeRsaKey(2048);
    const byNode = certificate(key.publicKeyPem);
    byNode.sign(nodeRsaSigner(forge, key.privateKeyPem), md());
    const byForge = certificate(key.publicKeyPem);
    byForge.sign(forge.pki.privateKeyFromPem(key.privateKeyPem), md());
    expect(Buffer.from(byNode.signature as string, 'binary').toString('hex')).toBe(Buffer.from(byForge.signature as string, 'binary').toString('hex'));
    const x509 = new X509Certificate(forge.pki.certificateToPem(byNode));
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(byNode.verify(byNode)).toBe(true);
  });

  it('a signature under another key does not verify', () => {
    const key = takeRsaKey(2048);
    const other = takeRsaKey(2048);
    const cert = certificate(key.publicKeyPem);
    cert.sign(nodeRsaSigner(forge, other.privateKeyPem), forge.md.sha256.create());
    const x509 = new X509Certificate(forge.pki.certificateToPem(cert));
    expect(x509.verify(x509.publicKey)).toBe(false);
  });
});

describe('forge parts done by Node', () => {
  /** A CA certificate with key identifiers, built and signed entirely by forge, or with the public key, digests and signature from Node. */
  function caCertificate(key: { publicKeyPem: string; privateKeyPem: string }, md: 'sha1' | 'sha256', byNode: boolean): string {
    const cert = certificate(key.publicKeyPem);
    if (byNode) {
      withNodeKeyIdentifier(forge, cert);
      cert.publicKey = forgeRsaPublicKey(forge, key.privateKeyPem);
    }
    cert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'subjectKeyIdentifier' }, { name: 'authorityKeyIdentifier', keyIdentifier: cert.generateSubjectKeyIdentifier().getBytes() }]);
    if (byNode) cert.sign(nodeRsaSigner(forge, key.privateKeyPem), nodeDigest(forge, md));
    else cert.sign(forge.pki.privateKeyFromPem(key.privateKeyPem), forge.md[md].create());
    return forge.pki.certificateToPem(cert);
  }

  it.each(['sha256', 'sha1'] as const)('%s: the certificate is byte for byte the one forge alone makes', (md) => {
    const key = takeRsaKey(2048);
    const pem = caCertificate(key, md, true);
    expect(pem).toBe(caCertificate(key, md, false));
    const x509 = new X509Certificate(pem);
    expect(x509.verify(x509.publicKey)).toBe(true);
  });
});
