// What `tls.chain` hands to the checks that open a database connection
// (node-oracledb thin connect options).
import { throwAwayWallet } from '../../core/tls/throwaway-wallet.js';

/** node-oracledb TLS options that make the doctor's own connection trust and match the server. */
export interface TlsSettings {
  sslServerDNMatch: boolean;
  sslServerCertDN?: string;
  /**
   * The CA certificates (PEM) a throw-away wallet must carry when the
   * server's CA is not among Node's default roots. The wallet itself (a
   * private key, its self-signed certificate, then these) is built only when
   * a database connection asks for it: see walletContentOf.
   */
  walletCaPems?: readonly string[];
  /** Directory holding ewallet.pem, when the wallet found on disk is what verifies the server. */
  walletLocation?: string;
  /** The trust source that verified the chain: node-bundled, extra-ca, system, ca-file:<path> or wallet. */
  trustedBy: string;
  /** Whether the server asked for a client certificate (TLS 1.2 handshakes show it; undefined when unknown). */
  clientCertRequested?: boolean;
}

// One wallet per settings object: db.config and db.identity read the same
// settings and share one key generation.
const built = new WeakMap<object, Promise<string>>();

/**
 * node-oracledb `walletContent` for these settings, or undefined when none is
 * needed. Built on first request (an RSA key and a certificate: work a run
 * without a database connection never pays) and registered as a secret.
 */
export function walletContentOf(
  tls: Pick<TlsSettings, 'walletCaPems'>,
  secrets: { add(value: string | undefined, label: string): void },
  newKeyPair: () => Promise<{ privateKeyPem: string }>,
): Promise<string | undefined> {
  const cas = tls.walletCaPems;
  if (!cas || cas.length === 0) return Promise.resolve(undefined);
  let wallet = built.get(tls);
  if (!wallet) {
    wallet = throwAwayWallet(cas, newKeyPair).then((content) => {
      secrets.add(content, 'throw-away TLS wallet');
      return content;
    });
    built.set(tls, wallet);
  }
  return wallet;
}
