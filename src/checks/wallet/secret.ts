// A wallet kept in OCI Vault (--wallet-secret-id), as Database Tools key
// stores hold it: read with GetSecretBundle, recognised (whole zip,
// cwallet.sso, PKCS#12, PEM) and, for a zip, inspected in memory within
// limits. Nothing is written to disk and no content is shown: the finding
// names the type, the size and a fingerprint.
import { createHash } from 'node:crypto';
import { relativeTime } from '../../core/duration.js';
import type { Finding } from '../../core/types.js';
import { assessWallet, type WalletAssessment } from '../../core/wallet/assess.js';
import { detectWalletBlob, type BlobGuess } from '../../core/wallet/detect.js';
import { readZip, WALLET_ZIP_LIMITS, type ZipEntry } from '../../core/wallet/zip.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { strainFinding } from '../service-strain.js';
import type { WhoAmIData } from '../identity/whoami.js';
import { WALLET_PASSWORD_ENV, type SecretWalletData } from './data.js';

const MB = 1024 * 1024;

const codes = defineCodes({
  content: { code: 'secret.content', severity: 'info', meaning: 'What the Vault secret holds: its type, size and fingerprint (never the content).', fix: 'Nothing to do; evidence for the report.' },
  unreadable: { code: 'secret.unreadable', severity: 'fail', meaning: 'The secret cannot be read: OCI answered 404 NotAuthorizedOrNotFound (wrong OCID, or no policy granting read on secret-bundles) or 401, or the Secrets service could not be reached.', fix: "Check the secret OCID, and grant the caller 'read secret-bundles' on it (policy: allow group <group> to read secret-bundles in compartment <compartment> where target.secret.id = '<secret-ocid>')." },
  notActive: { code: 'secret.not-active', severity: 'fail', meaning: 'The secret exists but is not ACTIVE (e.g. PENDING_DELETION): its content cannot be read, so nothing using it can connect.', fix: 'Cancel the deletion (oci vault secret cancel-secret-deletion) or point the connection at an active secret.' },
  unrecognised: { code: 'secret.unrecognised-content', severity: 'fail', meaning: 'The secret holds no wallet the doctor recognises (not a wallet zip, cwallet.sso, PKCS#12 or PEM), or a zip that is damaged, encrypted, holds unsafe paths, or was base64-encoded twice.', fix: 'Store, base64-encoded once, a form the doctor reads: one wallet file (cwallet.sso, PKCS#12 or PEM) or the whole wallet zip, e.g. base64 -w0 cwallet.sso.' },
  tooLarge: { code: 'secret.too-large', severity: 'fail', meaning: `The secret's content exceeds what a wallet can be (over ${WALLET_ZIP_LIMITS.maxCompressedBytes / MB} MB, over ${WALLET_ZIP_LIMITS.maxUncompressedBytes / MB} MB unpacked, over ${WALLET_ZIP_LIMITS.maxEntries} files, or a zip bomb); it was not unpacked.`, fix: 'Store the wallet itself in the secret, not an archive of something larger.' },
  walletExpired: { code: 'secret.wallet-expired', severity: 'fail', meaning: "The wallet in the secret has expired (its README expiry line or a certificate); connections that use it fail the TLS handshake.", fix: 'Download a new wallet and put it in the secret in place of the expired one.' },
});

type Spec = (typeof codes.spec)[keyof typeof codes.spec];

export const secretWalletCheck: DoctorCheck = {
  id: 'secret.wallet',
  title: 'Wallet in OCI Vault',
  category: 'wallet',
  dependsOn: ['identity.whoami'],
  timeoutMs: 15000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const secretId = deps.options.walletSecretId;
    if (!secretId) return { skipped: 'no --wallet-secret-id given', findings: [] };
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'needs a working OCI identity (identity.whoami)', findings: [] };
    const endpoint = await deps.facts.oci.serviceUrl('secrets', who.identity.region);
    const res = await deps.facts.oci.secretBundle(who.identity, secretId);
    const evidence: Record<string, string> = { request: res.request, endpoint };
    const findings: Finding[] = [];
    const add = (spec: Spec, parts: Parameters<typeof findingFrom>[1]): void => void findings.push(findingFrom(spec, parts));

    if (!res.ok) {
      const strain = strainFinding(res, 'GetSecretBundle');
      if (strain) return { summary: res.gaveUp === 'throttled' ? 'throttled' : 'service error', findings: [strain] };
      if (res.opcRequestId) evidence['opc-request-id'] = res.opcRequestId;
      evidence.answer = `${res.status} ${res.code}: ${res.message}`;
      // The service does not say which state the secret is in, and its words
      // for a secret pending deletion are not documented (409 IncorrectState
      // or 404): the state is read with the Vault management API.
      const stateCommand = `oci vault secret get --secret-id ${secretId} --query 'data."lifecycle-state"'`;
      if (res.status === 409) {
        add(codes.spec.notActive, {
          title: 'The secret is not ACTIVE (409 IncorrectState): its content cannot be read',
          detail: 'A secret pending deletion answers so: the command to look with shows its state, the fix command cancels a pending deletion.',
          evidence,
          commands: [`oci vault secret cancel-secret-deletion --secret-id ${secretId}`],
          inspect: [stateCommand],
        });
        return { summary: '409 IncorrectState', findings };
      }
      const title = res.status === 404 ? 'OCI answered 404 NotAuthorizedOrNotFound for the secret' : res.status === 0 ? `Cannot reach the Secrets service: ${res.message}` : `The Secrets service answered ${res.status} ${res.code}`;
      const detail = res.status === 404 ? 'No secret has this OCID (in this region), no policy lets this caller read its bundles, or the secret is deleted or pending deletion: OCI does not say which. The command shows whether it exists and its state (it needs read on secrets).' : undefined;
      add(codes.spec.unreadable, { title, ...(detail ? { detail } : {}), evidence, ...(res.status === 404 ? { inspect: [stateCommand] } : {}) });
      return { summary: res.status === 0 ? 'unreachable' : `${res.status} ${res.code}`, findings };
    }

    const bundle = res.value;
    evidence.version = `${bundle.versionNumber ?? '?'}${bundle.stages.length > 0 ? ` (${bundle.stages.join(', ')})` : ''}`;
    const b64 = bundle.contentBase64 ?? '';
    deps.secrets.add(b64, 'secret content');
    if (bundle.contentType !== undefined && bundle.contentType !== 'BASE64') {
      add(codes.spec.unrecognised, { title: `The secret's content type is ${bundle.contentType}, not BASE64`, evidence });
      return { summary: `content type ${bundle.contentType}`, findings };
    }
    // Refuse before decoding: base64 is 4 characters for every 3 bytes.
    const approxBytes = Math.floor((b64.length * 3) / 4);
    if (approxBytes > WALLET_ZIP_LIMITS.maxCompressedBytes) {
      add(codes.spec.tooLarge, { title: `The secret holds about ${(approxBytes / MB).toFixed(1)} MB, more than a wallet can be`, evidence: { ...evidence, size: `${approxBytes} bytes` } });
      return { summary: 'too large', findings };
    }
    const bytes = Buffer.from(b64, 'base64');
    const guess = detectWalletBlob(bytes);
    evidence.type = typeLine(guess);
    evidence.size = `${bytes.length} bytes`;
    evidence.fingerprint = fingerprintOfBytes(bytes);
    const data: SecretWalletData = { secretId, kind: guess.kind, label: guess.label, bytes: bytes.length, fingerprint: evidence.fingerprint };

    if (guess.doubleEncoded) {
      add(codes.spec.unrecognised, { title: `The secret holds base64 text, not the file: ${guess.label}`, detail: 'The content was base64-encoded twice (OCI Vault encodes the secret content once itself). A client that decodes it once gets text, not a wallet.', evidence, fixText: 'Store the file itself, base64-encoded once, e.g. oci vault secret update-base64 --secret-id <secret-ocid> --secret-content-content "$(base64 -w0 cwallet.sso)".' });
      return { summary: 'encoded twice', findings, data };
    }

    switch (guess.kind) {
      case 'zip': {
        const zip = readZip(bytes);
        if (!zip.ok) {
          const spec = zip.problem === 'too-large' || zip.problem === 'too-many-entries' || zip.problem === 'zip-bomb' ? codes.spec.tooLarge : codes.spec.unrecognised;
          add(spec, { title: `The wallet zip in the secret was refused: ${zip.reason}`, evidence: { ...evidence, refused: zip.problem } });
          return { summary: `zip refused (${zip.problem})`, findings, data };
        }
        data.entries = zip.entries.map((e) => e.name);
        evidence.files = data.entries.join(', ') || '(empty)';
        evidence['unpacked size'] = `${zip.totalBytes} bytes`;
        if (zip.notes.length > 0) evidence.notes = zip.notes.join('; ');
        const files = walletFilesOf(zip.entries);
        if (files.ewalletPem !== undefined) deps.secrets.add(files.ewalletPem, 'ewallet.pem');
        const a = assessWallet(files, { password: deps.env[WALLET_PASSWORD_ENV] || undefined, now: deps.now() });
        describeAssessment(a, evidence, deps.now());
        evidence['thin (node-oracledb, python-oracledb)'] = a.thinMissing.length === 0 ? 'ewallet.pem and tnsnames.ora present' : `missing ${a.thinMissing.join(', ')}`;
        evidence['thick (Instant Client, SQL*Plus)'] = a.thickMissing.length === 0 ? 'cwallet.sso, sqlnet.ora and tnsnames.ora present' : `missing ${a.thickMissing.join(', ')}`;
        if (files.ewalletPem !== undefined) data.walletPem = files.ewalletPem;
        if (a.pem) data.caPems = a.pem.certificates.map((c) => c.pem);
        if (files.tnsnames !== undefined) data.tnsnames = files.tnsnames;
        expired(a, evidence, add, deps.now());
        break;
      }
      case 'pem': {
        const text = bytes.toString('utf8');
        deps.secrets.add(text, 'wallet PEM');
        const a = assessWallet({ names: ['ewallet.pem'], ewalletPem: text }, { password: deps.env[WALLET_PASSWORD_ENV] || undefined, now: deps.now() });
        describeAssessment(a, evidence, deps.now());
        data.walletPem = text;
        data.caPems = a.pem?.certificates.map((c) => c.pem) ?? [];
        if (data.caPems.length === 0 && !a.pem?.key.present) {
          add(codes.spec.unrecognised, { title: 'The secret holds PEM text without a key or a certificate', evidence });
          return { summary: 'PEM without key or certificate', findings, data };
        }
        expired(a, evidence, add, deps.now());
        break;
      }
      case 'sso':
      case 'pkcs12':
      case 'jks':
        break;
      default:
        add(codes.spec.unrecognised, { title: guess.kind === 'empty' ? 'The secret is empty' : `The secret holds ${bytes.length} bytes of unrecognised content`, evidence });
        return { summary: guess.label, findings, data };
    }
    findings.unshift(findingFrom(codes.spec.content, { title: `The secret holds a ${guess.label}, ${bytes.length} bytes`, evidence }));
    return { summary: `${guess.label}, ${bytes.length} bytes`, findings, data };
  },
};

function typeLine(guess: BlobGuess): string {
  return guess.confirmed ? guess.label : `${guess.label} (unconfirmed: ${guess.basis})`;
}

function fingerprintOfBytes(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
}

/** The files of a wallet zip (entries may sit in a folder: Wallet_DB/README). */
function walletFilesOf(entries: ZipEntry[]): Parameters<typeof assessWallet>[0] {
  const byBase = new Map<string, ZipEntry>();
  for (const e of entries) {
    const base = e.name.split('/').at(-1) ?? e.name;
    if (!byBase.has(base)) byBase.set(base, e);
  }
  const text = (name: string): string | undefined => byBase.get(name)?.data.toString('utf8');
  return { names: [...byBase.keys()], readme: text('README'), ewalletPem: text('ewallet.pem'), tnsnames: text('tnsnames.ora'), sqlnet: text('sqlnet.ora') };
}

function describeAssessment(a: WalletAssessment, evidence: Record<string, string>, now: Date): void {
  if (a.pem) {
    const k = a.pem.key;
    evidence['private key'] = k.present ? `${k.encrypted ? 'encrypted ' : ''}${k.format}${k.status === 'password-required' ? ` (set ${WALLET_PASSWORD_ENV} to verify it)` : k.status === 'password-wrong' ? ` (${WALLET_PASSWORD_ENV} does not decrypt it)` : k.status === 'unreadable' ? ` (unreadable: ${k.reason ?? ''})` : ''}` : '(none)';
    evidence.certificates = a.pem.certificates.map((c) => `${c.subject} (expires ${c.validTo.toISOString().slice(0, 10)})`).join(' | ') || '(none)';
  }
  if (a.firstExpiry) evidence.expires = `${a.firstExpiry.at.toISOString()} (${relativeTime(a.firstExpiry.at, now)}, ${a.firstExpiry.what})`;
  if (a.aliases) evidence.aliases = a.aliases.join(', ') || '(none)';
}

function expired(a: WalletAssessment, evidence: Record<string, string>, add: (spec: Spec, parts: Parameters<typeof findingFrom>[1]) => void, now: Date): void {
  const first = a.expired[0];
  if (!first) return;
  add(codes.spec.walletExpired, {
    title: `The wallet in the secret expired ${relativeTime(first.at, now)} (${first.what})`,
    evidence: { ...evidence, ...Object.fromEntries(a.expired.map((f) => [`expired: ${f.what}`, f.at.toISOString()])) },
  });
}
