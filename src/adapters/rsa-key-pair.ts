// Fresh RSA-2048 key pairs, made on libuv's thread pool (generation takes
// 50-300 ms of CPU): the DB token's, the throw-away TLS wallet's, an instance
// principal's session key.
import { generateKeyPair } from 'node:crypto';

export interface DbKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function newDbKeyPair(): Promise<DbKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
      (err, publicKeyPem, privateKeyPem) => (err ? reject(err) : resolve({ privateKeyPem, publicKeyPem })),
    );
  });
}

/**
 * A key source whose first `ahead` pairs are started now, so a run that will
 * ask for them finds them made while its modules loaded and OCI answered;
 * each pair is handed out once, and later asks make fresh ones.
 */
export function keyPairsStartedNow(ahead: number, make: () => Promise<DbKeyPair> = newDbKeyPair): () => Promise<DbKeyPair> {
  const started: Promise<DbKeyPair>[] = [];
  for (let i = 0; i < ahead; i++) {
    const pair = make();
    // Marked handled: a run that ends before asking never awaits it.
    pair.catch(() => undefined);
    started.push(pair);
  }
  return () => started.shift() ?? make();
}
