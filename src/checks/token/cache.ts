import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { relativeTime } from '../../core/duration.js';
import { claimDate, decodeJwt, jwkPublicKeyPem } from '../../core/jwt.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { withClientFix } from './client-fix.js';

const MAX_FILE_BYTES = 64 * 1024;

const codes = defineCodes({
  expired: {
    code: 'token.cache-expired',
    severity: 'fail',
    meaning: 'The DB token that `oci iam db-token get` left in ~/.oci/db-token has expired; thick clients using TOKEN_AUTH=OCI_TOKEN send it and are refused (ORA-25708).',
    fix: 'Fetch a new one before connecting (tokens last about an hour).',
  },
  keyMismatch: {
    code: 'token.cache-key-mismatch',
    severity: 'fail',
    meaning: 'The key pair in ~/.oci/db-token is not the one the cached token was issued for; the database rejects the proof of possession (ORA-25707).',
    fix: 'Fetch the token again so the token and key pair are written together.',
  },
});

/** TOKEN_AUTH / TOKEN_LOCATION lines of a sqlnet.ora, for evidence. */
function tokenSettings(sqlnet: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of sqlnet.matchAll(/^\s*(TOKEN_AUTH|TOKEN_LOCATION)\s*=\s*(.+?)\s*$/gim)) out[`sqlnet.ora ${(m[1] as string).toUpperCase()}`] = (m[2] as string).replace(/^"|"$/g, '');
  return out;
}

export const dbTokenCacheCheck: DoctorCheck = {
  id: 'token.cache',
  title: 'Cached DB token (~/.oci/db-token)',
  category: 'token',
  dependsOn: [],
  timeoutMs: 3000,
  codes: codes.list,
  async run({ deps }) {
    const dir = join(deps.system.homeDir, '.oci', 'db-token');
    const probe = await deps.files.probe(dir);
    if (probe.kind !== 'dir') return { skipped: 'no ~/.oci/db-token (oci iam db-token get was not used)', findings: [] };
    const token = await deps.files.readText(join(dir, 'token'), MAX_FILE_BYTES);
    if (!token.ok) return { skipped: `no token file in ${dir}`, findings: [] };
    const text = token.text.trim();
    deps.secrets.add(text, 'cached DB token');
    const evidence: Record<string, string> = { directory: dir, files: probe.entries.join(', ') };
    if (deps.options.tnsAdmin) {
      const sqlnet = await deps.files.readText(join(deps.options.tnsAdmin, 'sqlnet.ora'), MAX_FILE_BYTES);
      if (sqlnet.ok) Object.assign(evidence, tokenSettings(sqlnet.text));
    }
    const jwt = decodeJwt(text);
    if (!jwt.ok) return { summary: 'unreadable token', findings: [findingFrom(codes.spec.expired, { title: `The cached DB token is not a JWT: ${jwt.reason}`, evidence, ...withClientFix(codes.spec.expired.fix, deps, {}), commands: ['oci iam db-token get'] })] };
    const findings = [];
    const now = deps.now();
    const expires = claimDate(jwt.jwt.claims, 'exp');
    if (expires) evidence.expires = `${expires.toISOString()} (${relativeTime(expires, now)})`;
    if (!expires || expires <= now) findings.push(findingFrom(codes.spec.expired, { title: expires ? `The cached DB token expired ${relativeTime(expires, now)}` : 'The cached DB token has no expiry', evidence, ...withClientFix(codes.spec.expired.fix, deps, {}), commands: ['oci iam db-token get'] }));
    const key = await deps.files.readText(join(dir, 'oci_db_key.pem'), MAX_FILE_BYTES);
    if (key.ok) {
      deps.secrets.add(key.text, 'cached DB token private key');
      const tokenKey = jwkPublicKeyPem(jwt.jwt.claims.jwk);
      let keyPublic: string | undefined;
      try {
        keyPublic = createPublicKey(key.text).export({ type: 'spki', format: 'pem' }).toString();
      } catch {
        keyPublic = undefined;
      }
      if (tokenKey && keyPublic && tokenKey !== keyPublic) findings.push(findingFrom(codes.spec.keyMismatch, { title: 'oci_db_key.pem does not belong to the cached token', evidence, ...withClientFix(codes.spec.keyMismatch.fix, deps, {}), commands: ['oci iam db-token get'] }));
    }
    return { summary: expires ? `expires ${relativeTime(expires, now)}` : 'no expiry', findings };
  },
};
