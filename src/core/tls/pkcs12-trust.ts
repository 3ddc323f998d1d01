// The certificates of a PKCS#12 key store (a Java trust store, a wallet's
// ewallet.p12), read with node-forge. Only the certificate bags are taken;
// a private key in the store is never decrypted here. node-forge (300 kB)
// loads only when a PKCS#12 store is read, not with every run's checks.
import { X509Certificate } from 'node:crypto';
import type forge from 'node-forge';
import { certFromX509, type Cert } from './certs.js';

export type Pkcs12Read = { ok: true; certs: Cert[] } | { ok: false; reason: string };

export async function certsFromPkcs12(bytes: Uint8Array, password: string | undefined): Promise<Pkcs12Read> {
  const { default: forge } = await import('node-forge');
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(der, false, password);
  } catch (err) {
    const m = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
    return { ok: false, reason: /mac|password|invalid/i.test(m) ? `the password does not open it (${m})` : `not a readable PKCS#12 store (${m})` };
  }
  const bags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag as string] ?? [];
  const certs: Cert[] = [];
  for (const bag of bags) {
    // forge parses RSA certificates only; others keep their ASN.1.
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as unknown as { asn1?: forge.asn1.Asn1 }).asn1;
    if (!asn1) continue;
    try {
      certs.push(certFromX509(new X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'))));
    } catch {
      // A bag that is not an X.509 certificate adds no trust.
    }
  }
  return { ok: true, certs };
}
