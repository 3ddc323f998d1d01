// What `tls.chain` hands to the checks that open a database connection
// (node-oracledb thin connect options).

/** node-oracledb TLS options that make the doctor's own connection trust and match the server. */
export interface TlsSettings {
  sslServerDNMatch: boolean;
  sslServerCertDN?: string;
  /**
   * PEM for node-oracledb `walletContent` when the server's CA is not among
   * Node's default roots: a throw-away private key, its self-signed
   * certificate and the CA chain. Registered as a secret (it holds a key).
   */
  walletContent?: string;
  /** Directory holding ewallet.pem, when the wallet found on disk is what verifies the server. */
  walletLocation?: string;
  /** The trust source that verified the chain: node-bundled, extra-ca, system, ca-file:<path> or wallet. */
  trustedBy: string;
}
