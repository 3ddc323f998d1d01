// DigiCert's first-generation ("G1") roots, which wallets downloaded before
// Oracle moved its certificates to the G2/G3 hierarchy still carry. They are
// recognised by subject name: the certificates in a wallet are copies, and a
// fingerprint list would miss re-issued copies of the same root.

/** Common names of G1-era DigiCert roots. */
export const DIGICERT_G1_ROOTS = ['DigiCert Global Root CA', 'DigiCert High Assurance EV Root CA', 'DigiCert Assured ID Root CA'] as const;

/** Common names of the later DigiCert roots (G2 and up). */
export const DIGICERT_LATER_ROOTS = [
  'DigiCert Global Root G2',
  'DigiCert Global Root G3',
  'DigiCert Assured ID Root G2',
  'DigiCert Assured ID Root G3',
  'DigiCert Trusted Root G4',
  'DigiCert TLS RSA4096 Root G5',
  'DigiCert TLS ECC P384 Root G5',
] as const;

export type DigicertGeneration = 'G1' | 'G2+';

/** The CN of a DN in Node's multi-line form or the one-line `A=b, C=d` form. */
export function commonNameOf(dn: string): string | undefined {
  const m = /(?:^|[\n,]\s*)CN=([^,\n]+)/.exec(dn);
  return m?.[1]?.trim();
}

/** Which DigiCert root generation a subject names, or undefined for anything else. */
export function digicertRootGeneration(subject: string): DigicertGeneration | undefined {
  const cn = commonNameOf(subject)?.toLowerCase();
  if (!cn) return undefined;
  if (DIGICERT_G1_ROOTS.some((n) => n.toLowerCase() === cn)) return 'G1';
  if (DIGICERT_LATER_ROOTS.some((n) => n.toLowerCase() === cn)) return 'G2+';
  return undefined;
}
