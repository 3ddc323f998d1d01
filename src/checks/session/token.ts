import { relativeTime } from '../../core/duration.js';
import { claimDate, decodeJwt, jwkPublicKeyPem } from '../../core/jwt.js';
import { expandHome } from '../../core/oci-config.js';
import { KEY_DATA } from '../profile/api-key.js';
import { PROFILE_DATA } from '../profile/config.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { KeyData } from '../profile/api-key.js';
import type { ProfileData } from '../profile/config.js';
import { dataKey } from '../../core/types.js';
import { withSource } from '../../core/evidence.js';

export interface SessionData {
  token: string;
  claims: Record<string, unknown>;
  expires?: Date;
}

const WARN_BEFORE_MS = 10 * 60 * 1000;
const MAX_TOKEN_BYTES = 64 * 1024;

const codes = defineCodes({
  missing: { code: 'session.token-missing', severity: 'fail', meaning: 'The session profile names a security_token_file that does not exist or is empty.', fix: 'Log in again to create a new session token.' },
  malformed: { code: 'session.token-malformed', severity: 'fail', meaning: 'The security token file does not hold a readable JWT.', fix: 'Log in again; the file may have been truncated or edited.' },
  expired: { code: 'session.token-expired', severity: 'fail', meaning: 'The session token has expired; every OCI request signed with it is rejected with 401.', fix: 'Refresh the session while it is still valid, or log in again once it has expired.' },
  expiring: { code: 'session.token-expiring', severity: 'warn', meaning: 'The session token expires in less than 10 minutes.', fix: 'Refresh it now so the next steps do not fail half way.' },
  keyMismatch: { code: 'session.key-mismatch', severity: 'fail', meaning: "The public key inside the session token (its jwk claim) is not the profile key_file's public key, so OCI rejects the request signatures.", fix: 'Log in again: `oci session authenticate` writes a matching key and token together.' },
});

/** What this check hands to the checks after it. */
export const SESSION_DATA = dataKey<SessionData>('session.token');

export const sessionTokenCheck: DoctorCheck = {
  id: SESSION_DATA.checkId,
  title: 'Session token',
  category: 'session',
  dependsOn: ['profile.config', 'profile.key'],
  timeoutMs: 3000,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const profile = dataOf(PROFILE_DATA);
    if (!profile || profile.mode !== 'security_token') return { skipped: 'not a session-token profile', findings: [] };
    const p = profile.profileName;
    const region = profile.region || '<region>';
    const authenticate = `oci session authenticate --profile-name ${p} --region ${region}`;
    const refresh = `oci session refresh --profile ${p}`;
    const entry = profile.values.get('security_token_file');
    const path = expandHome(entry?.value ?? '', deps.system.homeDir);
    const evidence: Record<string, string> = { security_token_file: withSource(path, entry?.source ?? '') };
    const read = await deps.files.readText(path, MAX_TOKEN_BYTES);
    if (!read.ok || read.text.trim() === '') {
      return { summary: 'token missing', findings: [findingFrom(codes.spec.missing, { title: `No session token at ${path}${read.ok ? ' (empty file)' : `: ${read.reason}`}`, evidence, commands: [authenticate] })] };
    }
    const token = read.text.trim();
    deps.secrets.add(token, 'session token');
    const jwt = decodeJwt(token);
    if (!jwt.ok) return { summary: 'not a JWT', findings: [findingFrom(codes.spec.malformed, { title: `The session token is not a JWT: ${jwt.reason}`, evidence, commands: [authenticate] })] };
    const claims = jwt.jwt.claims;
    const now = deps.now();
    const issued = claimDate(claims, 'iat');
    const expires = claimDate(claims, 'exp');
    if (issued) evidence.issued = `${issued.toISOString()} (${relativeTime(issued, now)})`;
    evidence.expires = expires ? `${expires.toISOString()} (${relativeTime(expires, now)})` : '(no exp claim)';
    if (typeof claims.sub === 'string') evidence.subject = claims.sub;
    const findings = [];
    if (!expires || expires <= now) {
      findings.push(findingFrom(codes.spec.expired, { title: expires ? `Session token expired ${relativeTime(expires, now)}` : 'Session token has no expiry', evidence, fixText: 'An expired session cannot be refreshed: log in again.', commands: [authenticate] }));
    } else if (expires.getTime() - now.getTime() < WARN_BEFORE_MS) {
      findings.push(findingFrom(codes.spec.expiring, { title: `Session token expires ${relativeTime(expires, now)}`, evidence, commands: [refresh] }));
    }
    const key = dataOf(KEY_DATA);
    if (key) {
      const tokenKeyPem = jwkPublicKeyPem(claims.jwk);
      if (tokenKeyPem !== undefined && tokenKeyPem !== key.publicKeyPem) {
        findings.push(findingFrom(codes.spec.keyMismatch, { title: "The session token was issued for another key than key_file's", evidence: { ...evidence, key_file: key.path }, commands: [authenticate] }));
      }
    }
    const data: SessionData = { token, claims, expires };
    return { summary: expires ? `expires ${relativeTime(expires, now)}` : 'no expiry', findings, data };
  },
};
