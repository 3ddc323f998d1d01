// Wallet directories and zips built at test time, as an ADB wallet download
// leaves them: README, ewallet.pem (key + client certificate + CAs),
// tnsnames.ora, sqlnet.ora, a cwallet.sso stand-in. No key is committed.
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCa, makeSelfSignedClient, type CertAndKey } from '../../src/sim/pki.js';
import { pooledKeyMemo } from '../../src/sim/key-pool.js';
import { buildZip } from './zip.js';

export interface WalletSpec {
  /** README expiry; omitted: no README. */
  readmeExpiry?: Date;
  /** Encrypts the key as PKCS#8 with this password. */
  password?: string;
  /** CA certificates to include (default: one generated CA). */
  caPems?: string[];
  /** Client key pair (default: generated, self-signed). */
  client?: CertAndKey;
  /** Aliases in tnsnames.ora (default ledger_high, ledger_medium, ledger_low). */
  aliases?: string[];
  /** DIRECTORY= for sqlnet.ora's WALLET_LOCATION (default ?/network/admin, as downloaded). */
  walletDirectory?: string;
  dnMatch?: string;
  /** Leave these files out. */
  omit?: string[];
  /** openssl-style "Bag Attributes" headers before each block, as some wallets have. */
  bagAttributes?: boolean;
}

/** One CA and client reused across a test file: RSA key generation is the slow part. */
export const testCa: () => CertAndKey = pooledKeyMemo(() => makeCa({ bits: 1024, commonName: 'Wallet Test Root CA' }));
export const testClient: () => CertAndKey = pooledKeyMemo(() => makeSelfSignedClient({ bits: 1024, commonName: 'wallet test client' }));

export function readmeText(expiry: Date): string {
  const stamp = expiry.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '.0 UTC');
  return ['Wallet Expiry Date', '-----------------------', `This wallet was downloaded on 2026-01-02 03:04:05.0 UTC.`, `The SSL certificates provided in this wallet will expire on ${stamp}.`, 'In order to avoid any service interruptions due to an expired SSL certificate, you must re-download the wallet before this date.', ''].join('\n');
}

export function ewalletPem(spec: { client: CertAndKey; caPems: string[]; password?: string; bagAttributes?: boolean }): string {
  const key = spec.password
    ? (createPrivateKey(spec.client.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: spec.password }) as string)
    : spec.client.keyPem;
  const bag = (s: string): string => (spec.bagAttributes ? `Bag Attributes\n    friendlyName: test\n    localKeyID: 01 02 03\n${s}` : s);
  return [bag(key.trim()), bag(spec.client.certPem.trim()), ...spec.caPems.map((p) => bag(p.trim()))].join('\n') + '\n';
}

export function tnsnamesText(aliases: string[], host = 'adb.us-ashburn-1.oraclecloud.com', port = 1522): string {
  return aliases.map((a) => `${a} = (description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=${port})(host=${host}))(connect_data=(service_name=${a}.adb.oraclecloud.com))(security=(ssl_server_dn_match=yes)))\n`).join('\n');
}

export function sqlnetText(directory: string, dnMatch = 'yes'): string {
  return `WALLET_LOCATION = (SOURCE = (METHOD = file) (METHOD_DATA = (DIRECTORY="${directory}")))\nSSL_SERVER_DN_MATCH=${dnMatch}\n`;
}

export function walletFiles(spec: WalletSpec = {}): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {
    'ewallet.pem': ewalletPem({ client: spec.client ?? testClient(), caPems: spec.caPems ?? [testCa().certPem], password: spec.password, bagAttributes: spec.bagAttributes }),
    'tnsnames.ora': tnsnamesText(spec.aliases ?? ['ledger_high', 'ledger_medium', 'ledger_low']),
    'sqlnet.ora': sqlnetText(spec.walletDirectory ?? '?/network/admin', spec.dnMatch),
    'cwallet.sso': Buffer.from('a1f84e36000000060000002100000000', 'hex'),
    'ojdbc.properties': 'oracle.net.wallet_location=(source=(method=file)(method_data=(directory=${TNS_ADMIN})))\n',
  };
  if (spec.readmeExpiry) files.README = readmeText(spec.readmeExpiry);
  for (const f of spec.omit ?? []) delete files[f];
  return files;
}

export function writeWalletDir(dir: string, files: Record<string, string | Buffer>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export function walletZip(files: Record<string, string | Buffer>): Buffer {
  return buildZip(Object.entries(files).map(([name, data]) => ({ name, data: Buffer.isBuffer(data) ? data : Buffer.from(data) })));
}

export const DAY_MS = 86_400_000;
