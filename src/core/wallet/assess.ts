// Judges a wallet from its files, wherever they came from (a directory, a
// zip in memory): what thin and thick clients would miss, when it expires,
// whether the key opens with the password, which roots it trusts.
import { looksLikeEzConnect } from '../connect/ezconnect.js';
import { digicertRootGeneration } from './digicert.js';
import { parseSqlnet, type SqlnetSettings } from '../connect/sqlnet.js';
import { aliasesOf, parseTnsnames } from '../connect/tnsnames.js';
import { inspectPemWallet, type PemWallet, type WalletCertificate } from './pem-wallet.js';
import { parseWalletReadme, type WalletReadme } from './readme.js';

export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

/** The files a client needs, by kind of client. */
export const THIN_FILES = ['ewallet.pem', 'tnsnames.ora'] as const;
export const THICK_FILES = ['cwallet.sso', 'sqlnet.ora', 'tnsnames.ora'] as const;
/** Files that make a directory a wallet (as opposed to just Oracle Net configuration). */
export const KEY_STORE_FILES = ['ewallet.pem', 'cwallet.sso', 'ewallet.p12', 'keystore.jks', 'truststore.jks'] as const;

export interface WalletFiles {
  /** Every file name present. */
  names: string[];
  readme?: string;
  ewalletPem?: string;
  tnsnames?: string;
  sqlnet?: string;
}

export interface ExpiryFact {
  /** "README" or "ewallet.pem: CN=…". */
  what: string;
  at: Date;
}

export interface WalletAssessment {
  thinMissing: string[];
  thickMissing: string[];
  hasKeyStore: boolean;
  readme?: WalletReadme;
  pem?: PemWallet;
  expired: ExpiryFact[];
  expiring: ExpiryFact[];
  /** The earliest expiry seen, for the summary. */
  firstExpiry?: ExpiryFact;
  g1Roots: WalletCertificate[];
  laterDigicertRoots: WalletCertificate[];
  aliases?: string[];
  sqlnet?: SqlnetSettings;
}

export function assessWallet(files: WalletFiles, opts: { password?: string; now: Date }): WalletAssessment {
  const has = (n: string): boolean => files.names.includes(n);
  const out: WalletAssessment = {
    thinMissing: THIN_FILES.filter((f) => !has(f)),
    thickMissing: THICK_FILES.filter((f) => !has(f)),
    hasKeyStore: KEY_STORE_FILES.some(has),
    expired: [],
    expiring: [],
    g1Roots: [],
    laterDigicertRoots: [],
  };
  const facts: ExpiryFact[] = [];
  if (files.readme !== undefined) {
    out.readme = parseWalletReadme(files.readme);
    if (out.readme.expiresAt) facts.push({ what: 'README', at: out.readme.expiresAt });
  }
  if (files.ewalletPem !== undefined) {
    out.pem = inspectPemWallet(files.ewalletPem, opts.password);
    for (const c of out.pem.certificates) {
      facts.push({ what: `ewallet.pem: ${c.subject}`, at: c.validTo });
      const gen = digicertRootGeneration(c.subject);
      if (gen === 'G1') out.g1Roots.push(c);
      else if (gen === 'G2+') out.laterDigicertRoots.push(c);
    }
  }
  const now = opts.now.getTime();
  for (const f of facts) {
    if (f.at.getTime() <= now) out.expired.push(f);
    else if (f.at.getTime() - now < EXPIRING_WITHIN_DAYS * DAY_MS) out.expiring.push(f);
  }
  out.firstExpiry = [...facts].sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  if (files.tnsnames !== undefined) out.aliases = aliasesOf(parseTnsnames(files.tnsnames));
  if (files.sqlnet !== undefined) out.sqlnet = parseSqlnet(files.sqlnet);
  return out;
}

/** A DSN that names a tnsnames alias (not a descriptor, not EZConnect). */
export function bareAlias(dsn: string | undefined): string | undefined {
  const d = dsn?.trim();
  if (!d || d.startsWith('(') || looksLikeEzConnect(d) || !/^[A-Za-z0-9_.$#-]+$/.test(d)) return undefined;
  return d;
}

/** Finds an alias the way Oracle Net does: case-insensitively. */
export function findAlias(aliases: readonly string[], alias: string): string | undefined {
  return aliases.find((a) => a.toLowerCase() === alias.toLowerCase());
}
