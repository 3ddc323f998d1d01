// A PEM wallet for node-oracledb `walletContent` that makes one-way TLS trust
// a custom CA. node-oracledb thin loads the wallet as key, certificate and CA
// at once, so CA certificates alone fail with NJS-505; a throw-away private
// key with its own self-signed certificate, followed by the CA certificates,
// works (the server never asks for the client certificate in one-way TLS).
// node-forge signs the certificate (Node cannot create certificates); it is
// loaded only when a wallet is needed.
import { createPrivateKey, randomBytes } from 'node:crypto';
import { forgeRsaPublicKey, nodeDigest, nodeRsaSigner } from './forge-sign.js';

// The key authenticates nothing (the server never asks for it), so one per
// process serves every wallet: a re-run (r, watch) does not make another. It
// comes from the run's key source (DoctorFacts.newKeyPair: made on libuv's
// thread pool, not on the thread drawing the screen; the demo's from its
// world's keys), kept as PKCS#1 as the wallet has always carried it.
let throwAwayKey: Promise<string> | undefined;
function throwAwayKeyPem(newKeyPair: () => Promise<{ privateKeyPem: string }>): Promise<string> {
  throwAwayKey ??= newKeyPair()
    .then((pair) => createPrivateKey(pair.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString())
    .catch((err: unknown) => {
      throwAwayKey = undefined;
      throw err;
    });
  return throwAwayKey;
}

export async function throwAwayWallet(caPems: readonly string[], newKeyPair: () => Promise<{ privateKeyPem: string }>): Promise<string> {
  const [{ default: forge }, keyPem] = await Promise.all([import('node-forge'), throwAwayKeyPem(newKeyPair)]);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgeRsaPublicKey(forge, keyPem);
  const serial = randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 86_400_000);
  cert.validity.notAfter = new Date(now + 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: 'dbiam-doctor throw-away client' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }]);
  cert.sign(nodeRsaSigner(forge, keyPem), nodeDigest(forge, 'sha256'));
  return [keyPem.trim(), forge.pki.certificateToPem(cert).trim(), ...caPems.map((p) => p.trim())].join('\n') + '\n';
}
