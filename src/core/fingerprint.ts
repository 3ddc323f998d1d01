// OCI API-key fingerprints: MD5 of the DER SubjectPublicKeyInfo, colon hex.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

export function apiKeyFingerprint(publicKey: string | KeyObject): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}
