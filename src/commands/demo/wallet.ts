// The demo's wallet directory, written into its throw-away home as an ADB
// wallet download leaves it: README with the expiry line, ewallet.pem (a
// throw-away client key and certificate plus the CA to trust), tnsnames.ora,
// sqlnet.ora pointing at the directory itself, and a cwallet.sso stand-in.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCa, oneWayTlsWallet } from '../../sim/pki.js';

export interface DemoWallet {
  /** The README's "will expire on" date. */
  readmeExpiresAt: Date;
  /** CA certificates ewallet.pem trusts; empty: a throw-away demo CA. */
  caPems: string[];
  /** Where tnsnames.ora's aliases point (default: localhost, the ADB's mTLS port). */
  host: string;
  port: number;
  /** Aliases, e.g. ledger_high → service ledger_high. */
  services: string[];
}

export function defaultDemoWallet(now: Date): DemoWallet {
  return { readmeExpiresAt: new Date(now.getTime() + 365 * 86_400_000), caPems: [], host: 'localhost', port: 1522, services: ['ledger_high', 'ledger_medium', 'ledger_low'] };
}

/** The stand-in's first bytes are the auto-login magic; it holds no keys. */
const SSO_STAND_IN = Buffer.from('a1f84e36000000060000002100000000', 'hex');

export function writeDemoWallet(dir: string, w: DemoWallet): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caPems = w.caPems.length > 0 ? w.caPems : [makeCa({ commonName: 'dbiam-doctor Demo Root CA' }).certPem];
  const stamp = w.readmeExpiresAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '.0 UTC');
  const files: Record<string, string | Buffer> = {
    README: ['Wallet Expiry Date', '------------------', `The SSL certificates provided in this wallet will expire on ${stamp}.`, 'Download a new wallet before this date.', ''].join('\n'),
    'ewallet.pem': oneWayTlsWallet(caPems),
    'cwallet.sso': SSO_STAND_IN,
    'tnsnames.ora': w.services.map((s) => `${s} = (description=(retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=${w.port})(host=${w.host}))(connect_data=(service_name=${s}))(security=(ssl_server_dn_match=yes)))\n`).join('\n'),
    'sqlnet.ora': `WALLET_LOCATION = (SOURCE = (METHOD = file) (METHOD_DATA = (DIRECTORY="${dir}")))\nSSL_SERVER_DN_MATCH=yes\n`,
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { mode: 0o600 });
}
