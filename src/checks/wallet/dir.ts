// The wallet directory on disk: found from TNS_ADMIN, or from the directory
// sqlnet.ora's WALLET_LOCATION names. Judges what thin and thick clients
// would miss, the expiry, the password, the roots and the aliases.
import { join, resolve } from 'node:path';
import { relativeTime } from '../../core/duration.js';
import { describeSecret } from '../../core/redact.js';
import { assessWallet, bareAlias, EXPIRING_WITHIN_DAYS, findAlias, KEY_STORE_FILES, type ExpiryFact, type WalletAssessment } from '../../core/wallet/assess.js';
import { detectWalletBlob } from '../../core/wallet/detect.js';
import { parseSqlnet, type SqlnetSettings } from '../../core/connect/sqlnet.js';
import { dnMatchEnabled, expandOracleDirectory } from '../../core/wallet/wallet-location.js';
import type { Finding } from '../../core/types.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { WALLET_PASSWORD_ENV, type WalletData } from './data.js';
import { dataKey } from '../../core/types.js';
import { withSource } from '../../core/evidence.js';

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_STORE_BYTES = 1024 * 1024;

const codes = defineCodes({
  inventory: { code: 'wallet.inventory', severity: 'info', meaning: 'What the wallet directory holds and what thin and thick clients would find in it.', fix: 'Nothing to do; evidence for the report.' },
  dirMissing: { code: 'wallet.dir-missing', severity: 'fail', meaning: "The directory sqlnet.ora's WALLET_LOCATION names does not exist (or is not a directory), and TNS_ADMIN holds no wallet either.", fix: 'Unpack the wallet zip into that directory, or change DIRECTORY= in sqlnet.ora to where the wallet is.' },
  fileMissing: { code: 'wallet.file-missing', severity: 'warn', meaning: 'The wallet directory lacks a file a client needs: thin drivers read ewallet.pem; thick clients read cwallet.sso and sqlnet.ora.', fix: 'Unpack the complete wallet zip again (it holds every file), rather than copying single files.' },
  expired: { code: 'wallet.expired', severity: 'fail', meaning: "The wallet is past its expiry: the README's expiry date has passed, or a certificate in ewallet.pem has expired. Handshakes that rely on an expired certificate fail; the TLS check below says whether this server's chain still verifies.", fix: 'Download a new wallet (Console: Database connection → Download wallet, or oci db autonomous-database generate-wallet) and unpack it over the old one.' },
  expiring: { code: 'wallet.expiring', severity: 'warn', meaning: `The wallet's certificates expire within ${EXPIRING_WITHIN_DAYS} days.`, fix: 'Download a new wallet before that date and replace the old one.' },
  passwordRequired: { code: 'wallet.password-required', severity: 'warn', meaning: 'The private key in ewallet.pem is encrypted; thin drivers need the wallet password (walletPassword), and the doctor cannot verify the key without it.', fix: `Set ${WALLET_PASSWORD_ENV} to the wallet password (the one chosen when the wallet was downloaded, not a database password) and run again.` },
  passwordWrong: { code: 'wallet.password-wrong', severity: 'fail', meaning: 'The wallet password does not decrypt the private key in ewallet.pem (node-oracledb: NJS-505 … bad decrypt).', fix: 'Use the password chosen when this wallet was downloaded; if it is lost, download a new wallet with a new password.' },
  pemUnreadable: { code: 'wallet.pem-unreadable', severity: 'fail', meaning: 'ewallet.pem cannot be read as a PEM wallet (unreadable file, no key or certificate, or damaged blocks); thin drivers fail with NJS-505 or NJS-529.', fix: 'Unpack ewallet.pem again from the wallet zip; do not edit it by hand.' },
  keyMismatch: { code: 'wallet.key-mismatch', severity: 'fail', meaning: 'The private key in ewallet.pem matches the public key of none of its certificates, so it cannot prove it owns any of them.', fix: 'Unpack ewallet.pem again from one wallet zip.' },
  g1Roots: { code: 'wallet.g1-roots', severity: 'warn', meaning: 'The only DigiCert roots in ewallet.pem are first-generation (G1) ones; a server whose chain leads to a DigiCert G2 or G3 root will not verify against it.', fix: 'Download a new wallet and run again; the TLS check names the root the server\'s chain leads to.' },
  aliasMissing: { code: 'wallet.alias-missing', severity: 'fail', meaning: "The alias given as the connect string is not in the wallet's tnsnames.ora.", fix: 'Use one of the aliases listed, or a wallet downloaded for the intended database.' },
  locationMismatch: { code: 'wallet.location-mismatch', severity: 'warn', meaning: "sqlnet.ora's WALLET_LOCATION names another directory than the one the wallet is in; thick clients (SQL*Plus, Instant Client) look there, thin drivers ignore it.", fix: 'Set DIRECTORY= in sqlnet.ora to the wallet directory shown, or move the wallet there.' },
  dnMatchOff: { code: 'wallet.dn-match-off', severity: 'warn', meaning: 'sqlnet.ora turns SSL_SERVER_DN_MATCH off; IAM token authentication needs it on (ORA-25704), and without it the server is not authenticated.', fix: 'Set SSL_SERVER_DN_MATCH=yes in sqlnet.ora.' },
});

type Spec = (typeof codes.spec)[keyof typeof codes.spec];

interface Located {
  /** Where sqlnet.ora and TNS_ADMIN's tnsnames.ora live. */
  netDir: string;
  netEntries: string[];
  netSource: string;
  sqlnetText?: string;
  sqlnet?: SqlnetSettings;
}

/** What this check hands to the checks after it. */
export const WALLET_DATA = dataKey<WalletData>('wallet.dir');

export const walletDirCheck: DoctorCheck = {
  id: WALLET_DATA.checkId,
  title: 'Wallet directory',
  category: 'wallet',
  dependsOn: [],
  timeoutMs: 5000,
  codes: codes.list,
  async run({ deps }) {
    const located = await locate(deps);
    if (typeof located === 'string') return { skipped: located, findings: [] };
    const { netDir, netEntries, sqlnet } = located;
    const findings: Finding[] = [];
    const add = (spec: Spec, parts: Parameters<typeof findingFrom>[1]): void => void findings.push(findingFrom(spec, parts));

    // Which directory is the wallet: TNS_ADMIN when it holds a key store, else WALLET_LOCATION's.
    const netHasStore = KEY_STORE_FILES.some((f) => netEntries.includes(f));
    const walletDirectory = sqlnet?.walletDirectory?.value;
    const location = walletDirectory !== undefined ? expandOracleDirectory(walletDirectory, deps.env) : undefined;
    const locationPath = location?.ok ? resolve(netDir, location.path) : undefined;
    const locationEvidence: Record<string, string> = {};
    if (walletDirectory !== undefined) {
      locationEvidence['sqlnet.ora WALLET_LOCATION'] = withSource(`DIRECTORY=${walletDirectory}`, `${join(netDir, 'sqlnet.ora')}:${sqlnet?.walletDirectory?.at.line ?? '?'}`);
      locationEvidence['resolves to'] = location?.ok ? (locationPath as string) : `(cannot resolve: ${location?.ok === false ? location.reason : ''})`;
    }

    let dir = netDir;
    let source: WalletData['source'] = 'tns-admin';
    let entries = netEntries;
    if (!netHasStore && locationPath && !samePath(locationPath, netDir, deps)) {
      const probe = await deps.files.probe(locationPath);
      if (probe.kind !== 'dir') {
        const why = probe.kind === 'missing' ? 'does not exist' : probe.kind === 'unreadable' ? `cannot be listed (${probe.reason})` : 'is not a directory';
        add(codes.spec.dirMissing, {
          title: `The wallet directory ${locationPath} ${why}`,
          detail: `${located.netSource} (${netDir}) holds no wallet, and sqlnet.ora points at ${locationPath}, which ${why}. Neither thin nor thick clients will find a wallet.`,
          evidence: { ...locationEvidence, [located.netSource]: `${netDir}: ${netEntries.join(', ') || '(empty)'}` },
        });
        return { summary: `wallet directory ${why}`, findings };
      }
      dir = locationPath;
      source = 'sqlnet-wallet-location';
      entries = probe.entries;
    }
    const hasStore = KEY_STORE_FILES.some((f) => entries.includes(f));

    // Read what there is to read.
    const password = deps.env[WALLET_PASSWORD_ENV] || undefined;
    deps.secrets.add(password, 'wallet password');
    const readText = async (name: string): Promise<{ text?: string; problem?: string }> => {
      if (!entries.includes(name)) return {};
      const r = await deps.files.readText(join(dir, name), MAX_TEXT_BYTES);
      return r.ok ? { text: r.text } : { problem: r.reason };
    };
    const pemRead = await readText('ewallet.pem');
    if (pemRead.text !== undefined) deps.secrets.add(pemRead.text, 'ewallet.pem');
    const readme = await readText('README');
    let tnsnamesDir = dir;
    let tnsnames = await readText('tnsnames.ora');
    if (tnsnames.text === undefined && dir !== netDir && netEntries.includes('tnsnames.ora')) {
      tnsnamesDir = netDir;
      const r = await deps.files.readText(join(netDir, 'tnsnames.ora'), MAX_TEXT_BYTES);
      tnsnames = r.ok ? { text: r.text } : { problem: r.reason };
    }
    let sqlnetText = located.sqlnetText;
    let sqlnetFacts = sqlnet;
    if (sqlnetText === undefined && dir !== netDir) {
      const r = await readText('sqlnet.ora');
      sqlnetText = r.text;
      sqlnetFacts = sqlnetText === undefined ? undefined : parseSqlnet(sqlnetText);
    }

    const now = deps.now();
    const a = assessWallet({ names: entries, readme: readme.text, ewalletPem: pemRead.text, tnsnames: tnsnames.text, sqlnet: sqlnetText }, { password, now });
    const inventory: Record<string, string> = {
      directory: withSource(dir, source === 'tns-admin' ? located.netSource : 'sqlnet.ora WALLET_LOCATION'),
      files: entries.join(', ') || '(empty)',
      'thin (node-oracledb, python-oracledb)': a.thinMissing.length === 0 ? 'ewallet.pem and tnsnames.ora present' : `missing ${a.thinMissing.join(', ')}`,
      'thick (Instant Client, SQL*Plus)': a.thickMissing.length === 0 ? `cwallet.sso, sqlnet.ora and tnsnames.ora present${entries.includes('ewallet.p12') ? '' : ' (no ewallet.p12: only auto-login works)'}` : `missing ${a.thickMissing.join(', ')}`,
      ...(await storeEvidence(deps, dir, entries)),
    };

    // Files: thin drivers need ewallet.pem; a directory named as the wallet must hold one.
    if (!hasStore && (source === 'sqlnet-wallet-location' || (locationPath !== undefined && samePath(locationPath, dir, deps)))) {
      add(codes.spec.fileMissing, {
        title: `No wallet files in ${dir}`,
        detail: `sqlnet.ora names ${dir} as the wallet directory, but it holds none of ${KEY_STORE_FILES.join(', ')}.`,
        evidence: { ...locationEvidence, files: inventory.files as string },
      });
    } else if (hasStore && !entries.includes('ewallet.pem')) {
      add(codes.spec.fileMissing, {
        title: `No ewallet.pem in ${dir}: thin drivers cannot use this wallet`,
        detail: `The directory holds ${KEY_STORE_FILES.filter((f) => entries.includes(f)).join(', ')} but no ewallet.pem, the only wallet format node-oracledb and python-oracledb thin mode read.`,
        evidence: { files: inventory.files as string },
        fixText: 'Unpack the complete wallet zip into this directory (recent wallets include ewallet.pem), or download a new wallet.',
      });
    } else if (!hasStore) {
      inventory.wallet = 'no key store: enough for one-way TLS to a server with a publicly trusted certificate, not for mutual TLS';
    }

    // ewallet.pem: readable, key opens with the password, key matches a certificate.
    const pem = a.pem;
    if (pemRead.problem) {
      add(codes.spec.pemUnreadable, { title: `Cannot read ${join(dir, 'ewallet.pem')}: ${pemRead.problem}` });
    } else if (pem && pemRead.text !== undefined) {
      inventory['ewallet.pem'] = `${describeSecret('wallet', pemRead.text)}: ${pem.key.present ? `${pem.key.encrypted ? 'encrypted ' : ''}private key (${pem.key.format})` : 'no private key'}, ${pem.certificates.length} certificate${pem.certificates.length === 1 ? '' : 's'}`;
      pem.certificates.forEach((c, i) => {
        inventory[`certificate ${i + 1}`] = `${c.subject} (${c.isCA ? 'CA' : c.matchesKey ? 'client, matches the key' : 'end entity'}; expires ${c.validTo.toISOString().slice(0, 10)})`;
      });
      const pemEvidence = { 'ewallet.pem': join(dir, 'ewallet.pem'), key: pem.key.present ? pem.key.format : '(none)' };
      // Everything that makes the file unusable goes into one finding.
      const broken: string[] = [];
      if (pem.certificates.length === 0 && !pem.key.present) broken.push('no private key and no certificate in it');
      if (pem.unreadable.length > 0) broken.push(`damaged certificate block at line ${pem.unreadable.map((u) => u.line).join(', ')}: ${pem.unreadable[0]?.reason ?? ''}`);
      if (pem.key.present && pem.key.status === 'unreadable') broken.push(`the private key cannot be read: ${pem.key.reason ?? ''}`);
      if (broken.length > 0) add(codes.spec.pemUnreadable, { title: `ewallet.pem is not a usable PEM wallet: ${broken.join('; ')}`, evidence: pemEvidence });
      if (pem.key.present) {
        if (pem.key.status === 'password-required') {
          add(codes.spec.passwordRequired, {
            title: 'ewallet.pem’s private key is encrypted: the wallet password is needed',
            detail: `The key is encrypted (${pem.key.format}). node-oracledb needs walletPassword for it; the doctor reads the password from ${WALLET_PASSWORD_ENV} to verify it (it does not prompt).`,
            evidence: pemEvidence,
            commands: [`read -rs ${WALLET_PASSWORD_ENV} && export ${WALLET_PASSWORD_ENV}`],
          });
        } else if (pem.key.status === 'password-wrong') {
          // Only the length: a hash of a short password would help guess it from a pasted report.
          const shape = `${(password ?? '').length} characters${password !== undefined && password !== password.trim() ? ', with leading or trailing white space' : ''}`;
          add(codes.spec.passwordWrong, { title: `The wallet password in ${WALLET_PASSWORD_ENV} does not decrypt ewallet.pem’s key`, evidence: { ...pemEvidence, [WALLET_PASSWORD_ENV]: shape } });
        } else if (pem.key.status === 'ok' && pem.certificates.length > 0 && pem.key.certificateIndex === undefined) {
          add(codes.spec.keyMismatch, { title: 'The private key in ewallet.pem matches none of its certificates', evidence: { ...pemEvidence, certificates: pem.certificates.map((c) => c.subject).join(' | ') } });
        } else if (pem.key.status === 'ok' && pem.key.encrypted) inventory.password = `${WALLET_PASSWORD_ENV} decrypts the key`;
      }
    }

    expiryFindings(a, now, add, walletDownloadCommands(deps, dir));

    if (a.g1Roots.length > 0 && a.laterDigicertRoots.length === 0) {
      add(codes.spec.g1Roots, {
        title: 'The wallet trusts only first-generation (G1) DigiCert roots',
        detail: 'The only DigiCert roots found in this wallet are G1 ones. A server whose certificate chains to a newer root does not verify against this wallet, which replaces the default roots in node-oracledb.',
        evidence: Object.fromEntries(a.g1Roots.map((c, i) => [`G1 root ${i + 1}`, `${c.subject} (expires ${c.validTo.toISOString().slice(0, 10)})`])),
        commands: walletDownloadCommands(deps, dir),
      });
    } else if (a.g1Roots.length > 0) inventory['DigiCert roots'] = `G1 and later (${a.laterDigicertRoots.map((c) => c.subject).join('; ')})`;

    aliasFindings(a, { deps, tnsnamesDir, tnsnamesProblem: tnsnames.problem, inventory, add });

    // sqlnet.ora: where thick clients look for the wallet, and DN matching.
    if (locationPath && hasStore && !samePath(locationPath, dir, deps)) {
      add(codes.spec.locationMismatch, {
        title: `sqlnet.ora points thick clients at ${locationPath}, but the wallet is in ${dir}`,
        evidence: locationEvidence,
        commands: [`sed -i.bak 's|DIRECTORY *= *[^)]*|DIRECTORY="${dir}"|' ${shellQuote(join(netDir, 'sqlnet.ora'))}`],
      });
    } else if (location && !location.ok) {
      inventory['sqlnet.ora WALLET_LOCATION'] = `DIRECTORY=${walletDirectory ?? ''} (${location.reason}; thin drivers ignore it, thick clients resolve it themselves)`;
    } else if (locationPath) inventory['sqlnet.ora WALLET_LOCATION'] = `${locationPath} (the wallet directory)`;
    const dnMatch = sqlnetFacts?.sslServerDnMatch?.raw;
    if (dnMatch !== undefined) {
      const on = dnMatchEnabled(dnMatch);
      inventory.SSL_SERVER_DN_MATCH = `${dnMatch}${on === undefined ? ' (not a value Oracle Net knows)' : ''}`;
      if (on === false) add(codes.spec.dnMatchOff, { title: `sqlnet.ora sets SSL_SERVER_DN_MATCH=${dnMatch}`, evidence: { 'sqlnet.ora': join(source === 'tns-admin' ? netDir : dir, 'sqlnet.ora') } });
    } else if (sqlnetText !== undefined) inventory.SSL_SERVER_DN_MATCH = 'not set in sqlnet.ora (thin drivers match the DN by default)';

    findings.unshift(findingFrom(codes.spec.inventory, { title: `Wallet in ${dir}`, evidence: inventory }));
    const data: WalletData = {
      dir,
      source,
      files: entries,
      caPems: pem?.certificates.map((c) => c.pem) ?? [],
      hasPrivateKey: pem?.key.present === true,
      hasClientCertificate: pem?.key.present === true && (pem.key.status === 'ok' ? pem.key.certificateIndex !== undefined : pem.certificates.some((c) => !c.isCA)),
      ...(pemRead.text !== undefined ? { walletPem: pemRead.text } : {}),
      ...(tnsnames.text !== undefined ? { tnsnames: tnsnames.text } : {}),
      ...(sqlnetText !== undefined ? { sqlnet: sqlnetText } : {}),
      ...(password !== undefined && pem?.key.present && pem.key.status === 'ok' ? { password } : {}),
    };
    return { summary: summaryOf(dir, a, hasStore, now), findings, data };
  },
};

/** Where the Oracle Net files are, or why the check does not apply. */
async function locate(deps: DoctorDeps): Promise<Located | string> {
  const tnsAdmin = deps.options.tnsAdmin;
  if (tnsAdmin) {
    const probe = await deps.files.probe(tnsAdmin);
    if (probe.kind !== 'dir') return `TNS_ADMIN ${tnsAdmin} is not a readable directory (see env.tns-admin)`;
    const sqlnetText = await readIf(deps, tnsAdmin, probe.entries, 'sqlnet.ora');
    return { netDir: tnsAdmin, netEntries: probe.entries, netSource: 'TNS_ADMIN', ...(sqlnetText !== undefined ? { sqlnetText, sqlnet: parseSqlnet(sqlnetText) } : {}) };
  }
  // Without TNS_ADMIN, thick clients read $ORACLE_HOME/network/admin/sqlnet.ora.
  const home = deps.env.ORACLE_HOME;
  const none = 'no wallet directory given (--tns-admin / TNS_ADMIN, or a sqlnet.ora WALLET_LOCATION)';
  if (!home) return none;
  const netDir = join(home, 'network', 'admin');
  const probe = await deps.files.probe(netDir);
  if (probe.kind !== 'dir') return none;
  const sqlnetText = await readIf(deps, netDir, probe.entries, 'sqlnet.ora');
  const sqlnet = sqlnetText === undefined ? undefined : parseSqlnet(sqlnetText);
  if (!sqlnet?.walletDirectory) return none;
  return { netDir, netEntries: probe.entries, netSource: '$ORACLE_HOME/network/admin', sqlnetText, sqlnet };
}

async function readIf(deps: DoctorDeps, dir: string, entries: string[], name: string): Promise<string | undefined> {
  if (!entries.includes(name)) return undefined;
  const r = await deps.files.readText(join(dir, name), MAX_TEXT_BYTES);
  return r.ok ? r.text : undefined;
}

function samePath(a: string, b: string, deps: DoctorDeps): boolean {
  const norm = (p: string): string => (deps.system.platform === 'win32' ? resolve(p).toLowerCase() : resolve(p));
  return norm(a) === norm(b);
}

/** What the binary key stores look like (auto-login, PKCS#12), by their first bytes. */
async function storeEvidence(deps: DoctorDeps, dir: string, entries: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, expected] of [['cwallet.sso', 'sso'], ['ewallet.p12', 'pkcs12']] as const) {
    if (!entries.includes(name)) continue;
    const r = await deps.files.readBytes(join(dir, name), MAX_STORE_BYTES);
    if (!r.ok) {
      out[name] = `unreadable: ${r.reason}`;
      continue;
    }
    const guess = detectWalletBlob(r.bytes);
    const looks = guess.kind === expected ? `looks like ${guess.label}${guess.confirmed ? '' : ' (unconfirmed: ' + guess.basis + ')'}` : `does not look like one: ${guess.label} (${guess.basis})`;
    out[name] = `${r.bytes.length} bytes, ${looks}`;
  }
  return out;
}

function expiryFindings(a: WalletAssessment, now: Date, add: (spec: Spec, parts: Parameters<typeof findingFrom>[1]) => void, commands: string[]): void {
  const line = (f: ExpiryFact): string => `${f.at.toISOString()} (${relativeTime(f.at, now)})`;
  const evidence = (facts: ExpiryFact[]): Record<string, string> => ({
    ...Object.fromEntries(facts.map((f) => [f.what, line(f)])),
    ...(a.readme?.expiryLine && facts.some((f) => f.what === 'README') ? { 'README line': a.readme.expiryLine } : {}),
    now: now.toISOString(),
  });
  const subject = (f: ExpiryFact): string => (f.what === 'README' ? 'The wallet' : `Certificate ${f.what.replace(/^ewallet\.pem: /, '')} in ewallet.pem`);
  const first = a.expired[0];
  if (first) {
    add(codes.spec.expired, { title: `${subject(first)} expired ${relativeTime(first.at, now)}`, evidence: evidence([...a.expired, ...a.expiring]), commands });
    return;
  }
  const soon = a.expiring[0];
  if (soon) add(codes.spec.expiring, { title: `${subject(soon)} expires ${relativeTime(soon.at, now)}`, evidence: evidence(a.expiring), commands });
}

function aliasFindings(
  a: WalletAssessment,
  ctx: { deps: DoctorDeps; tnsnamesDir: string; tnsnamesProblem?: string; inventory: Record<string, string>; add: (spec: Spec, parts: Parameters<typeof findingFrom>[1]) => void },
): void {
  const { deps, inventory } = ctx;
  const path = join(ctx.tnsnamesDir, 'tnsnames.ora');
  if (ctx.tnsnamesProblem) inventory['tnsnames.ora'] = `unreadable: ${ctx.tnsnamesProblem}`;
  else if (a.aliases) inventory.aliases = a.aliases.length > 0 ? a.aliases.join(', ') : '(none)';
  const alias = bareAlias(deps.options.dsn);
  if (!alias) return;
  const found = a.aliases ? findAlias(a.aliases, alias) : undefined;
  if (found) {
    inventory['requested alias'] = `${alias}: found in ${path}`;
    return;
  }
  // TNS_ADMIN's own tnsnames.ora is where the connect string is resolved: a
  // missing alias there is the connect-string check's finding, not a second one here.
  const tnsAdmin = deps.options.tnsAdmin;
  if (tnsAdmin && samePath(ctx.tnsnamesDir, tnsAdmin, deps)) {
    inventory['requested alias'] = `${alias}: not in ${path} (reported with the connect string)`;
    return;
  }
  ctx.add(codes.spec.aliasMissing, {
    title: a.aliases ? `Alias ${alias} is not in the wallet’s tnsnames.ora` : `No tnsnames.ora in the wallet to resolve ${alias}`,
    evidence: { dsn: alias, tnsnames: a.aliases ? path : '(none)', aliases: a.aliases?.join(', ') || '(none)' },
  });
}

function walletDownloadCommands(deps: DoctorDeps, dir: string): string[] {
  const adb = deps.options.adbId ?? '<autonomous-database-ocid>';
  return [`oci db autonomous-database generate-wallet --autonomous-database-id ${adb} --file Wallet.zip --password '<new wallet password>'`, `unzip -o Wallet.zip -d ${shellQuote(dir)}`];
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function summaryOf(dir: string, a: WalletAssessment, hasStore: boolean, now: Date): string {
  const parts = [dir];
  if (!hasStore) parts.push('no key store');
  else parts.push(a.thinMissing.includes('ewallet.pem') ? 'no ewallet.pem' : 'ewallet.pem');
  if (a.firstExpiry) parts.push(`expires ${a.firstExpiry.at.toISOString().slice(0, 10)} (${relativeTime(a.firstExpiry.at, now)})`);
  if (a.aliases) parts.push(`${a.aliases.length} alias${a.aliases.length === 1 ? '' : 'es'}`);
  return parts.join(', ');
}
