// ewallet.pem, the wallet thin drivers read: a private key (usually encrypted
// PKCS#8, opened with the wallet password), the client certificate and the CA
// certificates to trust. The password is verified the only reliable way: by
// decrypting the key.
import { X509Certificate } from 'node:crypto';
import { certificateInfo, splitPemBlocks, type CertificateInfo } from '../pem.js';
import { readPrivateKey, type KeyFormat } from '../private-key.js';

export interface WalletCertificate extends CertificateInfo {
  /** The certificate's PEM block. */
  pem: string;
  /** True for the certificate whose public key matches the wallet's private key. */
  matchesKey: boolean;
}

export type WalletKey =
  | { present: false }
  | {
      present: true;
      format: KeyFormat;
      encrypted: boolean;
      /** `ok`: readable (with the password, when encrypted). */
      status: 'ok' | 'password-required' | 'password-wrong' | 'unreadable';
      reason?: string;
      /** Index in `certificates` of the certificate that belongs to the key, when one does. */
      certificateIndex?: number;
    };

export interface PemWallet {
  certificates: WalletCertificate[];
  key: WalletKey;
  /** How many private-key blocks the file holds (node-oracledb uses the first). */
  keyBlocks: number;
  /** Certificate blocks that do not parse, by line. */
  unreadable: { line: number; reason: string }[];
  /** Labels of other PEM blocks. */
  otherBlocks: string[];
}

const KEY_LABEL = /PRIVATE KEY$/;

export function inspectPemWallet(text: string, password: string | undefined): PemWallet {
  const out: PemWallet = { certificates: [], key: { present: false }, keyBlocks: 0, unreadable: [], otherBlocks: [] };
  let keyPem: string | undefined;
  const x509: X509Certificate[] = [];
  for (const block of splitPemBlocks(text)) {
    if (block.label === 'CERTIFICATE' || block.label === 'TRUSTED CERTIFICATE') {
      try {
        const cert = new X509Certificate(block.text);
        x509.push(cert);
        out.certificates.push({ ...certificateInfo(cert, block.line), pem: block.text, matchesKey: false });
      } catch (err) {
        out.unreadable.push({ line: block.line, reason: err instanceof Error ? err.message : String(err) });
      }
    } else if (KEY_LABEL.test(block.label)) {
      out.keyBlocks += 1;
      keyPem ??= block.text;
    } else out.otherBlocks.push(block.label);
  }
  if (keyPem === undefined) return out;
  const read = readPrivateKey(keyPem, password);
  if (!read.ok) {
    const status = read.problem === 'passphrase-missing' ? 'password-required' : read.problem === 'passphrase-wrong' ? 'password-wrong' : 'unreadable';
    out.key = { present: true, format: read.format, encrypted: read.format.endsWith('-encrypted'), status, reason: read.reason };
    return out;
  }
  const index = x509.findIndex((c) => safeCheckPrivateKey(c, read.key));
  if (index >= 0) (out.certificates[index] as WalletCertificate).matchesKey = true;
  out.key = { present: true, format: read.format, encrypted: read.encrypted, status: 'ok', ...(index >= 0 ? { certificateIndex: index } : {}) };
  return out;
}

function safeCheckPrivateKey(cert: X509Certificate, key: Parameters<X509Certificate['checkPrivateKey']>[0]): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}
