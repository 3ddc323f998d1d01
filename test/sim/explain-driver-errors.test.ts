// The explainer's database errors against the errors node-oracledb really
// raises: each case makes the database stand-in (or the driver itself) refuse
// a logon, catches the driver's own Error and explains it the way the
// doctor's db.identity check does (errorTextOf → explainError). The expected
// codes are written by hand from the explainer's catalogue (docs/findings.md).
// Keys are generated at run time; everything listens on 127.0.0.1.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDbToken } from '../../src/adapters/oci-dbtoken.js';
import { newDbKeyPair, type DbKeyPair } from '../../src/adapters/rsa-key-pair.js';
import { errorTextOf, explainError } from '../../src/core/explain/index.js';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { startListener, type ListenerOptions, type SimListener } from '../../src/sim/listener/index.js';
import { adbBackend } from '../../src/sim/oracle-net/adb.js';
import { makeChain, oneWayTlsWallet, type Chain } from '../../src/sim/pki.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { createTokenIssuer, publicKeyToJwk, type TokenIssuer } from '../../src/sim/tokens.js';
import { SERVER_KEY_BITS } from '../helpers/certs.js';

interface Conn {
  close(): Promise<void>;
}
const oracledb = createRequire(import.meta.url)('oracledb') as { getConnection(o: Record<string, unknown>): Promise<Conn> };

const BITS = SERVER_KEY_BITS;
const SERVICE = 'ledger_high';
const TENANCY_SCOPE = `urn:oracle:db::id::${IDS.tenancy}`;
const aliceKey = generateRsaKey(BITS);
let ca: Chain;
let wallet: string;
let issuer: TokenIssuer;
let fixture: Fixture;
let sim: RunningSimulator;
let dbKey: DbKeyPair;

beforeAll(async () => {
  ca = makeChain({ bits: BITS });
  wallet = oneWayTlsWallet(ca.root.certPem, { bits: BITS });
  issuer = createTokenIssuer();
  fixture = healthyTenancy(aliceKey.publicKeyPem);
  sim = await startSimulator(fixture, { issuer });
  dbKey = await newDbKeyPair();
}, 30_000);

afterAll(async () => {
  await sim?.close();
});

/** A DB token for alice from the simulated data plane (as the doctor gets it), bound to `publicKeyPem`. */
async function dbToken(scope = TENANCY_SCOPE, publicKeyPem = dbKey.publicKeyPem): Promise<string> {
  const r = await generateDbToken(
    { kind: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, fingerprint: apiKeyFingerprint(aliceKey.publicKeyPem), privateKeyPem: aliceKey.privateKeyPem, region: 'us-ashburn-1' },
    scope,
    publicKeyPem,
    { endpoints: { dataplane: sim.url }, env: {} },
  );
  if (!r.ok) throw new Error(`data plane refused the DB token: ${r.code} ${r.message}`);
  return r.value;
}

interface Case {
  change?: (fx: Fixture) => void;
  /** The database's clock (default: the real one). */
  dbNow?: () => Date;
  /** The key the database trusts for tokens (default: the simulated IAM's). */
  dbIssuer?: TokenIssuer;
  listener?: Partial<ListenerOptions>;
  service?: string;
  /** getConnection's credentials (default: the token and its key). */
  credentials?: () => Promise<Record<string, unknown>>;
}

/** The driver's own error from one logon against the stand-in; fails the test if the logon worked. */
async function driverError(c: Case = {}): Promise<Error> {
  const fx: Fixture = structuredClone(fixture);
  c.change?.(fx);
  const l: SimListener = await startListener({
    services: [SERVICE],
    bits: BITS,
    ca: { root: ca.root, intermediate: ca.intermediate },
    database: adbBackend({ fixture: fx, databaseId: IDS.adb, issuer: c.dbIssuer ?? issuer, localUsers: { ADMIN: 'Adm1n-only-here' }, ...(c.dbNow ? { now: c.dbNow } : {}) }),
    sessionIdleTimeoutMs: 5000,
    ...c.listener,
  });
  try {
    const credentials = c.credentials ? await c.credentials() : { externalAuth: true, accessToken: { token: await dbToken(), privateKey: dbKey.privateKeyPem } };
    // One try: these cases are about the error text, not the descriptor's ADB-style retries.
    const conn = await oracledb.getConnection({ ...credentials, connectString: l.descriptor(c.service ?? SERVICE, { retry: false }), walletContent: wallet, connectTimeout: 5, transportConnectTimeout: 5 });
    await conn.close();
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  } finally {
    await l.close();
  }
  throw new Error('the logon succeeded');
}

/** What the doctor's db.identity check makes of it. */
function explained(err: Error, foundCodes: string[] = []) {
  return explainError(errorTextOf(err), { foundCodes });
}

const withoutCreateSession = (fx: Fixture) => void (fx.autonomousDatabases[0]!.grants = fx.autonomousDatabases[0]!.grants.filter((g) => g.privilege !== 'CREATE SESSION'));

describe('the explainer names the right code for the errors node-oracledb raises from real logons', () => {
  it('a token the database cannot verify (another IAM key): ORA-25707 is db.token-invalid', async () => {
    const err = await driverError({ dbIssuer: createTokenIssuer() });
    expect(err.message).toMatch(/^ORA-25707: The token is invalid\./);
    expect(explained(err).map((e) => e.code)).toEqual(['db.token-invalid']);
  }, 30_000);

  it('a private key the token is not bound to: ORA-25707 is db.token-invalid', async () => {
    const other = await newDbKeyPair();
    const err = await driverError({ credentials: async () => ({ externalAuth: true, accessToken: { token: await dbToken(), privateKey: other.privateKeyPem } }) });
    expect(err.message).toMatch(/^ORA-25707:/);
    expect(explained(err).map((e) => e.code)).toEqual(['db.token-invalid']);
  }, 30_000);

  it('an expired token: the driver refuses it itself (NJS-087), db.token-expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: TENANCY_SCOPE, iat: now - 7200, exp: now - 3600, jwk: publicKeyToJwk(dbKey.publicKeyPem) });
    const err = await driverError({ credentials: async () => ({ externalAuth: true, accessToken: { token: expired, privateKey: dbKey.privateKeyPem } }) });
    expect(err.message).toMatch(/^NJS-087:/);
    const [first] = explained(err);
    expect(first).toMatchObject({ code: 'db.token-expired', errors: ['NJS-087'] });
    expect(first!.cause).toMatch(/^The driver/);
  }, 30_000);

  it('a token still valid by the client’s clock but expired by the database’s (its clock two hours ahead): the driver reports ORA-25708 under NJS-087, db.token-expired', async () => {
    const err = await driverError({ dbNow: () => new Date(Date.now() + 2 * 3600_000) });
    // node-oracledb re-labels the database's ORA-25708 as its own NJS-087 (adjustErrorXref in lib/errors.js, https://github.com/oracle/node-oracledb/blob/main/lib/errors.js) and keeps the ORA line.
    expect(err.message).toMatch(/^NJS-087: access token has expired\nORA-25708: The token has expired\./);
    const [first] = explained(err);
    expect(first).toMatchObject({ code: 'db.token-expired', errors: ['NJS-087', 'ORA-25708'] });
    expect(first!.cause).toMatch(/^The database/);
  }, 30_000);

  it('a proof-of-possession date ten minutes off the database’s clock: ORA-01017, db.logon-denied', async () => {
    const err = await driverError({ dbNow: () => new Date(Date.now() + 10 * 60_000) });
    expect(err.message).toMatch(/^ORA-01017:/);
    expect(explained(err).map((e) => e.code)).toEqual(['db.logon-denied']);
  }, 30_000);

  it('a scope that leaves the database out: ORA-01017, db.logon-denied, tied to the scope finding of the run', async () => {
    const err = await driverError({ credentials: async () => ({ externalAuth: true, accessToken: { token: await dbToken(`urn:oracle:db::id::${IDS.prod}`), privateKey: dbKey.privateKeyPem } }) });
    expect(err.message).toMatch(/^ORA-01017: invalid username\/password; logon denied/);
    const [first] = explained(err, ['token.scope-excludes-database']);
    expect(first).toMatchObject({ code: 'db.logon-denied', related: ['token.scope-excludes-database'] });
  }, 30_000);

  it('no global user maps the principal: ORA-01017, db.logon-denied with no-global-mapping first among the ranked causes', async () => {
    const err = await driverError({ change: (fx) => void (fx.autonomousDatabases[0]!.globalUsers = []) });
    const [first] = explained(err);
    expect(first?.code).toBe('db.logon-denied');
    expect(first?.causes.map((c) => c.code).slice(0, 2)).toEqual(['db.logon-denied', 'db.no-global-mapping']);
    // When the admin read of the same run (db.config) found no mapping, that is the cause.
    expect(explained(err, ['dbconfig.no-mapping-for-principal'])[0]).toMatchObject({ code: 'db.logon-denied', related: ['dbconfig.no-mapping-for-principal'], cause: expect.stringMatching(/^No global user or role in the database maps/) });
  }, 30_000);

  it('IAM authentication disabled: ORA-01017, db.logon-denied, tied to db.external-auth-disabled when the run found it', async () => {
    const err = await driverError({ change: (fx) => void (fx.autonomousDatabases[0]!.iamAuthEnabled = false) });
    expect(explained(err, ['db.external-auth-disabled'])[0]).toMatchObject({ code: 'db.logon-denied', related: ['db.external-auth-disabled'] });
  }, 30_000);

  it('the mapped user without CREATE SESSION: ORA-01045, db.logon-denied naming the user and the grant', async () => {
    const err = await driverError({ change: withoutCreateSession });
    expect(err.message).toMatch(/^ORA-01045: user ALICE lacks CREATE SESSION privilege; logon denied/);
    const [first] = explained(err);
    expect(first).toMatchObject({ code: 'db.logon-denied', title: 'The mapped database user ALICE may not create a session (ORA-01045)', commands: ['GRANT CREATE SESSION TO ALICE;'] });
  }, 30_000);

  it('a wrong ADMIN password (the admin path): ORA-01017, db.logon-denied', async () => {
    const err = await driverError({ credentials: async () => ({ user: 'ADMIN', password: 'not-the-password' }) });
    expect(err.message).toMatch(/^ORA-01017:/);
    expect(explained(err).map((e) => e.code)).toEqual(['db.logon-denied']);
  }, 30_000);

  it('a service the listener does not know: NJS-518, db.service-unknown', async () => {
    const err = await driverError({ service: 'ledger_nope' });
    expect(err.message).toMatch(/^NJS-518: cannot connect to Oracle Database\. Service "ledger_nope" is not registered/);
    expect(explained(err).map((e) => e.code)).toEqual(['db.service-unknown']);
  }, 30_000);

  it('a client outside the access control list: NJS-511 / ORA-12506, ranked between mutual TLS and the access list; with a wallet given, db.acl-rejected first', async () => {
    const err = await driverError({ listener: { acl: ['192.0.2.10'] } });
    expect(err.message).toMatch(/^NJS-511: connection to listener at host 127\.0\.0\.1 port \d+ was refused\./);
    expect(errorTextOf(err)).toMatch(/^Cause: ORA-12506$/m);
    // Without the run's facts the explainer cannot tell the two apart and ranks a missing wallet first.
    expect(explained(err)[0]?.causes.map((c) => c.code)).toEqual(['tls.client-cert-required', 'db.acl-rejected']);
    // This logon gave the driver a wallet, so the access list is the likelier cause.
    expect(explainError(errorTextOf(err), { run: { walletGiven: true } }).map((e) => e.code)).toEqual(['db.acl-rejected']);
  }, 30_000);
});
