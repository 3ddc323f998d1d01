// Reads a PEM private key the way the OCI SDK must: PKCS#1 or PKCS#8, plain
// or encrypted, and says precisely why one cannot be used.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { apiKeyFingerprint } from './fingerprint.js';

export type KeyFormat = 'pkcs1' | 'pkcs8' | 'pkcs8-encrypted' | 'pkcs1-encrypted' | 'sec1' | 'openssh' | 'unknown';

export type PrivateKeyResult =
  | { ok: true; key: KeyObject; format: KeyFormat; encrypted: boolean; type: string; bits?: number; publicKeyPem: string; fingerprint: string }
  | { ok: false; problem: 'not-pem' | 'passphrase-missing' | 'passphrase-wrong' | 'unreadable'; format: KeyFormat; reason: string };

/** Private-key PEM labels (the words after BEGIN) and what they mean, in the order they are recognised. */
const KEY_LABELS: readonly (readonly [label: string, format: KeyFormat])[] = [
  ['ENCRYPTED PRIVATE KEY', 'pkcs8-encrypted'],
  ['RSA PRIVATE KEY', 'pkcs1'],
  ['PRIVATE KEY', 'pkcs8'],
  ['EC PRIVATE KEY', 'sec1'],
  ['OPENSSH PRIVATE KEY', 'openssh'],
];

export function keyFormatOf(pem: string): KeyFormat {
  const labels = new Set([...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]));
  const format = KEY_LABELS.find(([label]) => labels.has(label))?.[1] ?? 'unknown';
  // Traditional (PKCS#1) encryption shows in the headers, not the label.
  return format === 'pkcs1' && /Proc-Type:\s*4,ENCRYPTED/.test(pem) ? 'pkcs1-encrypted' : format;
}

export function readPrivateKey(pem: string, passphrase: string | undefined): PrivateKeyResult {
  const format = keyFormatOf(pem);
  if (format === 'unknown') return { ok: false, problem: 'not-pem', format, reason: 'no PEM private key block (-----BEGIN … PRIVATE KEY-----) in the file' };
  if (format === 'openssh') return { ok: false, problem: 'not-pem', format, reason: 'an OpenSSH key; OCI needs a PEM key (openssl genrsa, or ssh-keygen -m PEM)' };
  const encrypted = format === 'pkcs8-encrypted' || format === 'pkcs1-encrypted';
  if (encrypted && !passphrase) return { ok: false, problem: 'passphrase-missing', format, reason: 'the key is encrypted and no pass phrase is configured' };
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const message = e.message ?? String(err);
    if (encrypted && /bad decrypt|wrong|decrypt|unsupported/i.test(message)) return { ok: false, problem: 'passphrase-wrong', format, reason: 'the pass phrase does not decrypt the key' };
    return { ok: false, problem: 'unreadable', format, reason: message.split('\n')[0] ?? message };
  }
  const publicKey = createPublicKey(key);
  const details = key.asymmetricKeyDetails;
  return {
    ok: true,
    key,
    format,
    encrypted,
    type: key.asymmetricKeyType ?? 'unknown',
    bits: details?.modulusLength,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: apiKeyFingerprint(publicKey),
  };
}
