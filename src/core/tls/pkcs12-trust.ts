// The certificates of a PKCS#12 key store (a Java trust store, a wallet's
// ewallet.p12), read with node-forge. Only the certificate bags are taken;
// a private key in the store is never decrypted here. node-forge loads only
// when a store is read: the TLS check of a Node client never needs it.
// Java's own PKCS#12 loader makes a trusted-certificate entry only of a
// certificate bag carrying Oracle's trustedKeyUsage attribute (keytool
// -importcert writes it; openssl pkcs12 -export does not), so the bags that
// carry it are told apart for stores Java's TLS stack loads.
import { X509Certificate } from 'node:crypto';
import type forgeType from 'node-forge';
import { certFromX509, type Cert } from './certs.js';

/** The OID of Java's PKCS#12 bag attribute that marks a trusted certificate (OpenJDK PKCS12KeyStore, ORACLE_TrustedKeyUsage). */
const JAVA_TRUSTED_KEY_USAGE = '2.16.840.1.113894.746875.1.1';
const JAVA_TRUSTED_KEY_USAGE_NAME = 'javaTrustedKeyUsage';

/** `javaTrusted`: the certificates that Java's PKCS#12 loader takes as trusted-certificate entries. */
export type Pkcs12Read = { ok: true; certs: Cert[]; javaTrusted: Cert[] } | { ok: false; reason: string };

export async function certsFromPkcs12(bytes: Uint8Array, password: string | undefined): Promise<Pkcs12Read> {
  const { default: forge } = await import('node-forge');
  // forge keeps only the bag attributes whose OID it has a name for.
  const oids = forge.pki.oids as Record<string, string>;
  oids[JAVA_TRUSTED_KEY_USAGE] ??= JAVA_TRUSTED_KEY_USAGE_NAME;
  oids[JAVA_TRUSTED_KEY_USAGE_NAME] ??= JAVA_TRUSTED_KEY_USAGE;
  let p12: forgeType.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(der, false, password);
  } catch (err) {
    const m = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
    return { ok: false, reason: /mac|password|invalid/i.test(m) ? `the password does not open it (${m})` : `not a readable PKCS#12 store (${m})` };
  }
  const bags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag as string] ?? [];
  const certs: Cert[] = [];
  const javaTrusted: Cert[] = [];
  for (const bag of bags) {
    // forge parses RSA certificates only; others keep their ASN.1.
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as unknown as { asn1?: forgeType.asn1.Asn1 }).asn1;
    if (!asn1) continue;
    try {
      const cert = certFromX509(new X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')));
      certs.push(cert);
      if (bag.attributes?.[oids[JAVA_TRUSTED_KEY_USAGE] as string] !== undefined) javaTrusted.push(cert);
    } catch {
      // A bag that is not an X.509 certificate adds no trust.
    }
  }
  return { ok: true, certs, javaTrusted };
}
