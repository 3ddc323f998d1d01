// The database behind the stand-in listener: an Autonomous Database of the
// fixture deciding token logons the way the real one does, then answering
// the doctor's statements from the fixture.
//
// A token logon is checked in this order (each failure ends the logon):
//   1. the token is a JWT signed by the simulated IAM (the data plane's
//      issuer), intact                          → ORA-25707 "The token is invalid."
//   2. not expired, not used before nbf/iat     → ORA-25708 "The token has expired." /
//                                                 ORA-25707 when not yet valid
//   3. proof of possession: AUTH_HEADER and AUTH_SIGNATURE present, the
//      signature verifies with the public key in the token's `jwk` claim
//                                               → ORA-25707 (a key pair the token is not bound to)
//   4. the header's date is within `clockSkewSeconds` of now, its
//      request target is this service            → ORA-01017
//   5. IAM enabled, scope covers the database, policy allows
//      `use database-connections`, a global user maps the principal or one of
//      its groups                                → ORA-01017 (db-session.ts)
//   6. the mapped user holds CREATE SESSION     → ORA-01045
// ORA-25707/25708 and their wording: Oracle's ODP.NET reference
// (docs.oracle.com/en/database/oracle/oracle-database/21/odpnt/ConnnectionOpenWithNewToken.html).
// The client only ever sees the ORA line; `reason` is the simulator's own.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { claimDate, decodeJwt, jwkPublicKeyPem } from '../../core/jwt.js';
import { dynamicGroupNames, policyAuthorizer } from '../authorize.js';
import { establishTokenSession, sessionRoles, type DbPrincipal, type SessionOutcome } from '../db-session.js';
import type { Fixture } from '../fixture.js';
import { answerSql } from '../http/dbtools.js';
import type { SimContext, SimRequest } from '../http/server.js';
import type { TokenIssuer } from '../tokens.js';
import { ORA_00900, ORA_00942, type DatabaseBackend, type DbSession, type LogonVerdict, type OraError, type StatementAnswer, type TokenLogon } from './backend.js';
import { AUTH_MODE_IAM_TOKEN } from './ttc.js';

type Adb = Fixture['autonomousDatabases'][number];

export const ORA_25707: OraError = { num: 25707, message: 'ORA-25707: The token is invalid.' };
export const ORA_25708: OraError = { num: 25708, message: 'ORA-25708: The token has expired.' };

/** What the simulated database reports as its version: 19.27.0.1.0 (the 18.1+ layout of AUTH_VERSION_NO). */
const VERSION_NO = 19 * 2 ** 24 + 27 * 2 ** 16 + 0 * 2 ** 12 + 1 * 2 ** 4 + 0;

export interface AdbBackendOptions {
  fixture: Fixture;
  databaseId: string;
  /** The simulated IAM's issuer: the one the data plane signs DB tokens with. */
  issuer: TokenIssuer;
  now?: () => Date;
  /** How far the proof-of-possession date may be from the database's clock (default 300 s). */
  clockSkewSeconds?: number;
  /** Replaces the fixture's policies for `use database-connections` (default: policyAuthorizer). */
  authorize?: SimContext['authorize'];
  /**
   * Local database users and their passwords (e.g. `{ ADMIN: … }`), for
   * password logons. The fixture holds only global users, so these come
   * from whoever starts the stand-in (the demo: its ADMIN secret).
   */
  localUsers?: Record<string, string>;
}

export type TokenRejection =
  | 'token-invalid'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'no-proof-of-possession'
  | 'pop-signature-invalid'
  | 'pop-header-malformed'
  | 'pop-date-out-of-window'
  | 'pop-wrong-service';

const ORA_01017: OraError = { num: 1017, message: 'ORA-01017: invalid username/password; logon denied' };

function reject(error: OraError, reason: TokenRejection | string, detail: string): LogonVerdict {
  return { ok: false, error, reason: `${reason}: ${detail}` };
}

/** The three lines node-oracledb signs: `date: …`, `(request-target): …`, `host: …`. */
export function parseAuthHeader(header: string): { date: string; target: string; host: string } | undefined {
  const fields = new Map<string, string>();
  for (const line of header.split('\n')) {
    const i = line.indexOf(': ');
    if (i <= 0) return undefined;
    fields.set(line.slice(0, i).toLowerCase(), line.slice(i + 2));
  }
  const date = fields.get('date');
  const target = fields.get('(request-target)');
  const host = fields.get('host');
  return date !== undefined && target !== undefined && host !== undefined ? { date, target, host } : undefined;
}

export function adbBackend(opts: AdbBackendOptions): DatabaseBackend {
  const { fixture, issuer } = opts;
  const now = opts.now ?? (() => new Date());
  const skewMs = (opts.clockSkewSeconds ?? 300) * 1000;
  const authorize = opts.authorize ?? policyAuthorizer(fixture);
  let sessionIds = 1000;

  const adbOrThrow = (): Adb => {
    const adb = fixture.autonomousDatabases.find((a) => a.id === opts.databaseId);
    if (!adb) throw new Error(`no database ${opts.databaseId} in the fixture`);
    return adb;
  };
  adbOrThrow();

  const localUsers = new Map(Object.entries(opts.localUsers ?? {}).map(([u, p]) => [u.toUpperCase(), p]));

  return {
    localPassword: (user) => localUsers.get(user.toUpperCase()),
    logonLocalUser(user, serviceName) {
      const adb = adbOrThrow();
      const name = user.toUpperCase();
      const local: Extract<SessionOutcome, { ok: true }> = {
        ok: true,
        currentSchema: name,
        sessionUser: name,
        authenticatedIdentity: name,
        enterpriseIdentity: '',
        authenticationMethod: 'PASSWORD',
        roles: sessionRoles(adb, name, []),
      };
      return { ok: true, session: sqlSession(local, adb, serviceName, sessionIds++) };
    },
    logonWithToken(req: TokenLogon): LogonVerdict {
      const adb = adbOrThrow();
      const at = now();
      // 1-2: the token itself.
      const verdict = issuer.verify(req.token, at);
      if (!verdict.ok) {
        if (/expired/.test(verdict.reason)) return reject(ORA_25708, 'token-expired', verdict.reason);
        return reject(ORA_25707, 'token-invalid', verdict.reason);
      }
      const claims = verdict.claims;
      const notBefore = claimDate(claims, 'nbf') ?? claimDate(claims, 'iat');
      if (notBefore && notBefore.getTime() > at.getTime() + skewMs) return reject(ORA_25707, 'token-not-yet-valid', `valid from ${notBefore.toISOString()}`);
      // 3: proof of possession, with the key the token is bound to.
      if (!(req.authMode & AUTH_MODE_IAM_TOKEN) || req.header === undefined || req.signature === undefined) {
        return reject(ORA_01017, 'no-proof-of-possession', 'the logon carries no AUTH_HEADER/AUTH_SIGNATURE');
      }
      const jwkPem = jwkPublicKeyPem(claims.jwk);
      if (!jwkPem) return reject(ORA_25707, 'token-invalid', 'the token has no usable jwk claim');
      const key: KeyObject = createPublicKey(jwkPem);
      let signed = false;
      try {
        signed = verify('sha256', Buffer.from(req.header, 'utf8'), key, Buffer.from(req.signature, 'base64'));
      } catch {
        signed = false;
      }
      if (!signed) return reject(ORA_25707, 'pop-signature-invalid', 'AUTH_SIGNATURE does not verify with the public key in the token');
      // 4: what was signed.
      const header = parseAuthHeader(req.header);
      if (!header) return reject(ORA_01017, 'pop-header-malformed', JSON.stringify(req.header));
      const date = Date.parse(header.date);
      if (Number.isNaN(date) || Math.abs(date - at.getTime()) > skewMs) {
        return reject(ORA_01017, 'pop-date-out-of-window', `header date ${header.date}, database time ${at.toUTCString()}`);
      }
      if (header.target.toLowerCase() !== req.serviceName.toLowerCase()) {
        return reject(ORA_01017, 'pop-wrong-service', `request target ${header.target}, service ${req.serviceName}`);
      }
      // 5-6: the database's own decision.
      const principal = principalOf(claims);
      if (!principal) return reject(ORA_01017, 'unknown-principal', `sub ${String(claims.sub)}, ptype ${String(claims.ptype)}`);
      const asRequest = { principal: { kind: principal.kind, id: principal.id, tenancyId: String(claims.tenant ?? fixture.tenancy.id), via: 'token', claims } } as SimRequest;
      const outcome = establishTokenSession({
        fixture,
        databaseId: adb.id,
        principal,
        ...(principal.kind === 'user' ? {} : { groupNames: dynamicGroupNames(fixture, principal) }),
        tokenScope: typeof claims.scope === 'string' ? claims.scope : undefined,
        policyAllows: authorize(asRequest, 'use database-connections', adb.compartmentId, { 'target.database.id': adb.id }),
      });
      if (!outcome.ok) return { ok: false, error: { num: outcome.oraCode, message: outcome.message }, reason: `${outcome.reason}: ${outcome.cause}` };
      const sessionId = sessionIds++;
      return { ok: true, session: sqlSession(outcome, adb, req.serviceName, sessionId) };
    },
  };
}

function principalOf(claims: Record<string, unknown>): DbPrincipal | undefined {
  const id = claims.sub;
  const kind = claims.ptype;
  if (typeof id !== 'string') return undefined;
  if (kind === 'user' || kind === 'instance' || kind === 'resource') return { kind, id };
  return undefined;
}

function sqlSession(s: Extract<SessionOutcome, { ok: true }>, adb: Adb, serviceName: string, sessionId: number): DbSession {
  return {
    user: s.sessionUser,
    logonParameters: {
      AUTH_VERSION_NO: String(VERSION_NO),
      AUTH_SESSION_ID: String(sessionId),
      AUTH_SERIAL_NUM: String(40000 + sessionId),
      AUTH_SC_SERVICE_NAME: serviceName,
      AUTH_SC_DBUNIQUE_NAME: adb.dbName.toLowerCase(),
      AUTH_SC_REAL_DBUNIQUE_NAME: adb.dbName.toLowerCase(),
      AUTH_INSTANCENAME: `${adb.dbName.toLowerCase()}_1`,
      AUTH_DBNAME: adb.dbName.toUpperCase(),
      AUTH_MAX_OPEN_CURSORS: '300',
      AUTH_MAX_IDEN_LENGTH: '128',
    },
    run: (sql) => runStatement(sql, s, adb),
  };
}

/** A statement on a session: the doctor's queries from the fixture, else what a database says to the unknown. */
export function runStatement(sql: string, s: Extract<SessionOutcome, { ok: true }>, adb: Adb): StatementAnswer {
  const text = sql.trim().replace(/;\s*$/, '');
  if (/^alter\s+session\s+set\s+/i.test(text)) return { kind: 'done' };
  if (/^select\s+dbtimezone\s+from\s+dual$/i.test(text)) return { kind: 'rows', columns: ['DBTIMEZONE'], rows: [['+00:00']] };
  const answer = answerSql(text, s, adb);
  if (answer) return { kind: 'rows', columns: answer.columns, rows: answer.rows.map((r) => r.map((v) => (v === null || v === undefined ? null : String(v)))) };
  if (/^(select|with)\b/i.test(text)) return { kind: 'error', error: ORA_00942 };
  return { kind: 'error', error: ORA_00900 };
}
