// Certificates are built with node-forge (Node cannot create them), but
// forge's RSA is plain JavaScript: one RSA-2048 signature costs 30-60 ms of
// CPU, and the demo's world signs about ten (a fifth of a demo's CPU). The
// signature is made by Node's OpenSSL instead, with the same bytes forge would
// produce: RSASSA-PKCS1-v1_5 (RFC 8017 section 8.2), the DigestInfo of the
// digest padded with block type 1 under the private key.
import { constants, createHash, createPrivateKey, createPublicKey, privateEncrypt, type Hash } from 'node:crypto';
import type forgeType from 'node-forge';

/** A signer forge's `cert.sign(signer, md)` takes in place of its own private key. */
export function nodeRsaSigner(forge: typeof forgeType, privateKeyPem: string): forgeType.pki.rsa.PrivateKey {
  const key = createPrivateKey(privateKeyPem);
  const { asn1 } = forge;
  const { UNIVERSAL } = asn1.Class;
  const signer = {
    sign(md: forgeType.md.MessageDigest): string {
      const oid = (forge.pki.oids as Record<string, string | undefined>)[md.algorithm];
      if (!oid) throw new Error(`no OID for the digest ${md.algorithm}`);
      const digestInfo = asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()), asn1.create(UNIVERSAL, asn1.Type.NULL, false, '')]),
        asn1.create(UNIVERSAL, asn1.Type.OCTETSTRING, false, md.digest().getBytes()),
      ]);
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(asn1.toDer(digestInfo).getBytes(), 'binary')).toString('binary');
    },
  };
  // cert.sign calls only sign(md): the rest of forge's key is never read.
  return signer as unknown as forgeType.pki.rsa.PrivateKey;
}

/**
 * The RSA public key of a PEM key (public or private) as forge's
 * `cert.publicKey` takes it, read by Node: forge's own PEM reader parses the
 * whole private key in JavaScript, milliseconds per certificate.
 */
export function forgeRsaPublicKey(forge: typeof forgeType, keyPem: string): forgeType.pki.rsa.PublicKey {
  const { n, e } = createPublicKey(keyPem).export({ format: 'jwk' });
  if (typeof n !== 'string' || typeof e !== 'string') throw new Error('not an RSA key');
  const big = (b64url: string) => new forge.jsbn.BigInteger(Buffer.from(b64url, 'base64url').toString('hex'), 16);
  return forge.pki.setRsaPublicKey(big(n), big(e));
}

/**
 * A message digest forge's `cert.sign(signer, md)` and key fingerprints take,
 * computed by Node: forge's own SHA-1 and SHA-256 are JavaScript, compiled on
 * first use, several milliseconds of a process's first certificates.
 */
export function nodeDigest(forge: typeof forgeType, algorithm: 'sha1' | 'sha256'): forgeType.md.MessageDigest {
  let hash: Hash = createHash(algorithm);
  const md = {
    algorithm,
    start() {
      hash = createHash(algorithm);
      return md;
    },
    update(bytes: string) {
      hash.update(bytes, 'binary');
      return md;
    },
    digest() {
      return forge.util.createBuffer(hash.copy().digest('binary'), 'raw');
    },
  };
  // cert.sign and getPublicKeyFingerprint call only these four.
  return md as unknown as forgeType.md.MessageDigest;
}

/** Makes `cert.generateSubjectKeyIdentifier` (forge: SHA-1 of the RSAPublicKey) hash with Node. */
export function withNodeKeyIdentifier(forge: typeof forgeType, cert: forgeType.pki.Certificate): forgeType.pki.Certificate {
  cert.generateSubjectKeyIdentifier = () => forge.pki.getPublicKeyFingerprint(cert.publicKey, { type: 'RSAPublicKey', md: nodeDigest(forge, 'sha1') }) as forgeType.util.ByteStringBuffer;
  return cert;
}
