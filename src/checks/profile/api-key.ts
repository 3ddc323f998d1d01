import type { KeyObject } from 'node:crypto';
import { expandHome } from '../../core/oci-config.js';
import { readPrivateKey } from '../../core/private-key.js';
import { PROFILE_DATA } from './config.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { ProfileData } from './config.js';
import { dataKey } from '../../core/types.js';
import { withSource } from '../../core/evidence.js';

export interface KeyData {
  path: string;
  privateKeyPem: string;
  passphrase?: string;
  key: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

const MIN_RSA_BITS = 2048;
const MAX_KEY_BYTES = 256 * 1024;

const codes = defineCodes({
  fileMissing: { code: 'key.file-missing', severity: 'fail', meaning: 'The key_file named by the profile does not exist.', fix: 'Point key_file at the private key whose public half is uploaded to your user (Profile → API keys), or create a new pair with `oci setup keys`.' },
  unreadable: { code: 'key.unreadable', severity: 'fail', meaning: 'The key file cannot be read or holds no usable PEM private key.', fix: 'Make the file readable by this user and make sure it is a PEM private key (-----BEGIN … PRIVATE KEY-----).' },
  permissionsOpen: { code: 'key.permissions-open', severity: 'warn', meaning: 'The private key file is readable by the group or by everyone; the OCI CLI warns about this and other users can copy the key.', fix: 'Restrict it to its owner.' },
  passphraseMissing: { code: 'key.passphrase-missing', severity: 'fail', meaning: 'The key is encrypted, but the profile has no pass_phrase, so nothing can sign with it non-interactively.', fix: 'Add pass_phrase to the profile (or use an unencrypted key kept with mode 600).' },
  passphraseWrong: { code: 'key.passphrase-wrong', severity: 'fail', meaning: 'The pass_phrase in the profile does not decrypt the key.', fix: 'Put the right pass phrase in the profile, or create a new key pair and upload its public key.' },
  tooWeak: { code: 'key.too-weak', severity: 'fail', meaning: 'OCI API keys must be RSA keys of at least 2048 bits.', fix: 'Create a new 2048-bit (or larger) RSA key with `oci setup keys` and upload its public key.' },
  fingerprintMismatch: { code: 'key.fingerprint-mismatch', severity: 'fail', meaning: "The fingerprint in the profile is not the key file's fingerprint, so OCI looks up a different key (or none) and rejects every request with 401.", fix: "Set fingerprint to the key file's fingerprint, and make sure that public key is uploaded to the user." },
});

/** What this check hands to the checks after it. */
export const KEY_DATA = dataKey<KeyData>('profile.key');

export const apiKeyCheck: DoctorCheck = {
  id: KEY_DATA.checkId,
  title: 'Signing key',
  category: 'profile',
  dependsOn: ['profile.config'],
  timeoutMs: 5000,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const profile = dataOf(PROFILE_DATA);
    if (!profile) return { skipped: 'no profile', findings: [] };
    const configured = profile.values.get('key_file');
    if (!configured?.value) return { skipped: 'no key_file in the profile', findings: [] };
    const path = expandHome(configured.value, deps.system.homeDir);
    const evidence: Record<string, string> = { key_file: withSource(path, configured.source) };
    const probe = await deps.files.probe(path);
    if (probe.kind === 'missing') return { summary: 'key file missing', findings: [findingFrom(codes.spec.fileMissing, { title: `Key file not found: ${path}`, evidence, commands: ['oci setup keys'] })] };
    if (probe.kind !== 'file') return { summary: 'unreadable', findings: [findingFrom(codes.spec.unreadable, { title: `Key file is not a regular file: ${path}`, evidence })] };
    const findings = [];
    if (deps.system.platform !== 'win32' && (probe.mode & 0o077) !== 0) {
      findings.push(findingFrom(codes.spec.permissionsOpen, { title: `Key file is readable by others (mode ${probe.mode.toString(8).padStart(3, '0')})`, evidence, commands: [`chmod 600 ${path}`] }));
    }
    const read = await deps.files.readText(path, MAX_KEY_BYTES);
    if (!read.ok) return { summary: 'unreadable', findings: [...findings, findingFrom(codes.spec.unreadable, { title: `Cannot read ${path}: ${read.reason}`, evidence })] };
    deps.secrets.add(read.text, 'private key');
    const passphrase = profile.values.get('pass_phrase')?.value;
    deps.secrets.add(passphrase, 'pass phrase');
    const key = readPrivateKey(read.text, passphrase);
    if (!key.ok) {
      const spec = key.problem === 'passphrase-missing' ? codes.spec.passphraseMissing : key.problem === 'passphrase-wrong' ? codes.spec.passphraseWrong : codes.spec.unreadable;
      return { summary: key.reason, findings: [...findings, findingFrom(spec, { title: `${path}: ${key.reason}`, evidence: { ...evidence, format: key.format } })] };
    }
    evidence.format = `${key.type}${key.bits ? ` ${key.bits}-bit` : ''}, ${key.format}${key.encrypted ? ' (encrypted)' : ''}`;
    evidence['fingerprint of key_file'] = key.fingerprint;
    if (key.type !== 'rsa' || (key.bits ?? 0) < MIN_RSA_BITS) {
      findings.push(findingFrom(codes.spec.tooWeak, { title: `Key is ${key.type}${key.bits ? ` ${key.bits}-bit` : ''}; OCI needs RSA of at least ${MIN_RSA_BITS} bits`, evidence, commands: ['oci setup keys'] }));
    }
    const fingerprint = profile.values.get('fingerprint');
    if (fingerprint?.value && fingerprint.value.toLowerCase() !== key.fingerprint) {
      findings.push(
        findingFrom(codes.spec.fingerprintMismatch, {
          title: 'The profile fingerprint does not belong to the key file',
          evidence: { ...evidence, 'fingerprint in profile': withSource(fingerprint.value, fingerprint.source) },
          fixText: `Set fingerprint = ${key.fingerprint} in [${profile.profileName}] if that public key is the one uploaded to your user; otherwise upload it.`,
          inspect: [`openssl rsa -pubout -outform DER -in ${path} | openssl md5 -c`],
        }),
      );
    }
    const data: KeyData = { path, privateKeyPem: read.text, passphrase, key: key.key, publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
    return { summary: `${evidence.format}, fingerprint ${key.fingerprint}`, findings, data };
  },
};
