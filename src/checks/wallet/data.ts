// What the wallet checks hand to the checks after them (the TLS verdicts use
// the wallet as a trust source and as the client identity for mutual TLS).

/** From `wallet.dir`: the wallet directory as found on disk. */
export interface WalletData {
  /** The directory the wallet files are in. */
  dir: string;
  /** How the directory was found. */
  source: 'tns-admin' | 'sqlnet-wallet-location';
  /** Every file name in the directory. */
  files: string[];
  /** The certificates in ewallet.pem, one PEM block each, in file order. */
  caPems: string[];
  /** ewallet.pem holds a private key (readable or not). */
  hasPrivateKey: boolean;
  /**
   * ewallet.pem holds a client identity for mutual TLS: a private key and a
   * non-CA certificate (checked to match when the key could be read).
   */
  hasClientCertificate: boolean;
  /** The whole ewallet.pem text (registered as a secret: never put it in a finding). */
  walletPem?: string;
  /** tnsnames.ora text: the wallet's own, else TNS_ADMIN's. */
  tnsnames?: string;
  /** sqlnet.ora text (TNS_ADMIN's, or the wallet directory's). */
  sqlnet?: string;
  /**
   * The wallet password, set only when it decrypted the key (from
   * DBIAM_DOCTOR_WALLET_PASSWORD; registered as a secret).
   */
  password?: string;
}

/** From `secret.wallet`: what the OCI Vault secret holds (nothing is written to disk). */
export interface SecretWalletData {
  secretId: string;
  /** zip, sso, pkcs12, jks, pem, unknown… (see BlobKind). */
  kind: string;
  label: string;
  bytes: number;
  /** sha256:<12 hex> of the decoded content. */
  fingerprint: string;
  /** File names, for a zip. */
  entries?: string[];
  /** Certificates of the PEM (or the zip's ewallet.pem), PEM each. */
  caPems?: string[];
  /** The PEM text, or the zip's ewallet.pem (registered as a secret). */
  walletPem?: string;
  /** The zip's tnsnames.ora. */
  tnsnames?: string;
}

/** The environment variable the wallet password is read from (passwords are never flags). */
export const WALLET_PASSWORD_ENV = 'DBIAM_DOCTOR_WALLET_PASSWORD';
