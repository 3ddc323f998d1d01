import { databaseScope, scopeCovers } from '../../core/db-scope.js';
import { relativeTime } from '../../core/duration.js';
import { claimDate, decodeJwt } from '../../core/jwt.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import { SCOPE_DATA } from './scope.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { withClientFix } from './client-fix.js';
import { strainFinding } from '../service-strain.js';
import type { WhoAmIData } from '../identity/whoami.js';
import type { ScopeData } from './scope.js';
import { dataKey } from '../../core/types.js';

export interface DbTokenData {
  token: string;
  privateKeyPem: string;
  claims: Record<string, unknown>;
  scope: string;
  expires?: Date;
}

const codes = defineCodes({
  excludesDatabase: {
    code: 'token.scope-excludes-database',
    severity: 'fail',
    meaning: 'The DB-token scope does not reach the target database, so the database rejects the token (ORA-01017) even though OCI issued it.',
    fix: 'Request the token for the database’s compartment and OCID (or the tenancy).',
  },
  denied: {
    code: 'token.request-denied',
    severity: 'fail',
    meaning: 'The IAM data plane refused the DB-token request with 404 NotAuthorizedOrNotFound: the scope names something that does not exist for this principal, or the principal may not obtain DB tokens.',
    fix: 'Check the scope’s OCIDs; make sure the principal exists in this tenancy and region.',
  },
  failed: {
    code: 'token.request-failed',
    severity: 'fail',
    meaning: 'The DB-token request failed for another reason (network, authentication, service error).',
    fix: 'Read the answer in the evidence; fix the identity check first if it also failed.',
  },
  issued: {
    code: 'token.issued',
    severity: 'info',
    meaning: 'A DB token was issued; its claims (never the token) are the evidence.',
    fix: 'Nothing to fix.',
  },
});

/** What this check hands to the checks after it. */
export const DB_TOKEN_DATA = dataKey<DbTokenData>('token.db-token');

export const dbTokenCheck: DoctorCheck = {
  id: DB_TOKEN_DATA.checkId,
  title: 'DB token from the IAM data plane',
  category: 'token',
  dependsOn: ['identity.whoami', 'token.scope'],
  timeoutMs: 20000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'no signing identity (see Who am I)', findings: [] };
    const scopeData = dataOf(SCOPE_DATA);
    const scope = scopeData?.text ?? `urn:oracle:db::id::${who.tenancy}`;
    const evidence: Record<string, string> = { scope };
    // The key pair is made off the main thread while the database is read (RSA
    // key generation takes 50-300 ms). A return before it is awaited drops it.
    const keyPair = deps.facts.newKeyPair();
    keyPair.catch(() => undefined);

    if (deps.options.adbId && scopeData) {
      const adb = await deps.facts.oci.autonomousDatabase(who.identity, deps.options.adbId);
      if (adb.ok) {
        const coverage = scopeCovers(scopeData.scope, adb.value, who.tenancy);
        if (!coverage.covers) {
          const narrow = databaseScope(adb.value);
          return {
            summary: 'scope misses the database',
            findings: [findingFrom(codes.spec.excludesDatabase, {
                title: `The token scope does not reach ${adb.value.displayName}`,
                detail: coverage.why,
                evidence: { ...evidence, database: adb.value.id, compartment: adb.value.compartmentId },
                ...withClientFix(codes.spec.excludesDatabase.fix, deps, { scope: narrow }),
                commands: [`--scope ${narrow}`, `oci iam db-token get --scope ${narrow}`],
              })],
          };
        }
      }
    }

    const pair = await keyPair;
    deps.secrets.add(pair.privateKeyPem, 'DB token private key');
    const res = await deps.facts.oci.dbToken(who.identity, scope, pair.publicKeyPem);
    if (!res.ok) {
      const strain = strainFinding(res, 'the DB token request');
      if (strain) return { summary: res.gaveUp === 'throttled' ? 'throttled' : 'service error', findings: [strain] };
      evidence.answer = `${res.status} ${res.code}: ${res.message}`;
      if (res.opcRequestId) evidence['opc-request-id'] = res.opcRequestId;
      const spec = res.status === 404 ? codes.spec.denied : codes.spec.failed;
      return { summary: `${res.status} ${res.code}`, findings: [findingFrom(spec, { title: `No DB token: ${res.status} ${res.code}`, evidence })] };
    }
    const token = res.value;
    deps.secrets.add(token, 'DB token');
    const jwt = decodeJwt(token);
    const claims = jwt.ok ? jwt.jwt.claims : {};
    const now = deps.now();
    const issued = claimDate(claims, 'iat');
    const expires = claimDate(claims, 'exp');
    const shown: Record<string, string> = { subject: String(claims.sub ?? '(none)'), scope: String(claims.scope ?? scope) };
    if (issued) shown.issued = issued.toISOString();
    if (expires) shown.expires = `${expires.toISOString()} (${relativeTime(expires, now)})`;
    shown.token = `${token.length} chars (never shown)`;
    const data: DbTokenData = { token, privateKeyPem: pair.privateKeyPem, claims, scope, expires };
    return {
      summary: `issued for ${shown.subject}${expires ? `, expires ${relativeTime(expires, now)}` : ''}`,
      findings: [findingFrom(codes.spec.issued, { title: 'DB token issued', evidence: shown })],
      data,
    };
  },
};
