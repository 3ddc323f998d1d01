// The database stand-in against the real node-oracledb thin driver: a DB
// token from the simulated IAM data plane, a TLS listener with a generated
// chain, and the doctor's own identity query (runIdentityQuery) over it.
// Keys are generated at run time; everything listens on 127.0.0.1.
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIdentityQuery, type DirectConnectParams } from '../../src/adapters/oracle-db.js';
import { generateDbToken, newDbKeyPair, type DbKeyPair } from '../../src/adapters/oci-dbtoken.js';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { startListener, type SimListener } from '../../src/sim/listener/index.js';
import { adbBackend } from '../../src/sim/oracle-net/adb.js';
import { makeChain, oneWayTlsWallet, type Chain } from '../../src/sim/pki.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { AUTH_MODE_IAM_TOKEN } from '../../src/sim/oracle-net/ttc.js';
import { createTokenIssuer, publicKeyToJwk, type TokenIssuer } from '../../src/sim/tokens.js';

const BITS = 1024;
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

/** A DB token for alice from the simulated data plane, bound to `publicKeyPem`. */
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

interface ListenerSetup {
  change?: (fx: Fixture) => void;
  /** The database's clock (default: the real one). */
  now?: () => Date;
  idleTimeoutMs?: number;
}

async function withListener<T>(f: (l: SimListener) => Promise<T>, setup: ListenerSetup = {}): Promise<T> {
  const fx: Fixture = structuredClone(fixture);
  setup.change?.(fx);
  const l = await startListener({
    services: [SERVICE],
    bits: BITS,
    ca: { root: ca.root, intermediate: ca.intermediate },
    database: adbBackend({ fixture: fx, databaseId: IDS.adb, issuer, ...(setup.now ? { now: setup.now } : {}) }),
    sessionIdleTimeoutMs: setup.idleTimeoutMs ?? 5000,
  });
  try {
    return await f(l);
  } finally {
    await l.close();
  }
}

function params(l: SimListener, token: string, privateKeyPem = dbKey.privateKeyPem): DirectConnectParams {
  return { token, privateKeyPem, connectString: l.descriptor(SERVICE), walletContent: wallet, sslServerDNMatch: true, connectTimeoutSeconds: 5 };
}

describe('token logon with the real driver', () => {
  it('logs on with a DB token and returns the identity and roles from the fixture', async () => {
    const token = await dbToken();
    await withListener(async (l) => {
      const r = await runIdentityQuery(params(l, token));
      expect(r).toEqual({
        ok: true,
        identity: {
          currentSchema: 'ALICE',
          sessionUser: 'ALICE',
          authenticatedIdentity: 'alice',
          authenticationMethod: 'TOKEN_GLOBAL',
          enterpriseIdentity: IDS.alice,
          roles: ['SUPPORT_RO'],
        },
      });
      expect(l.requests).toHaveLength(1);
      const s = l.requests[0]?.session;
      expect(l.requests[0]?.outcome).toBe('accepted');
      expect(s?.logon).toEqual({ ok: true, user: 'ALICE' });
      expect(s?.statements).toHaveLength(2);
    });
  }, 30_000);
});

/** The first line of a failed logon, and what the stand-in recorded about it. */
async function failedLogon(token: string, setup: ListenerSetup = {}, privateKeyPem?: string): Promise<{ line: string; reason: string }> {
  return withListener(async (l) => {
    const r = await runIdentityQuery(params(l, token, privateKeyPem));
    if (r.ok) throw new Error('the logon succeeded');
    const logon = l.requests[0]?.session?.logon;
    return { line: r.message.split('\n')[0] as string, reason: logon && !logon.ok ? logon.reason : '(none)' };
  }, setup);
}

describe('the stand-in rejects what a database rejects', () => {
  it('a token signed by a key other than the simulated IAM: ORA-25707', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = createTokenIssuer().issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: TENANCY_SCOPE, iat: now, exp: now + 3600, jwk: publicKeyToJwk(dbKey.publicKeyPem) });
    const r = await failedLogon(forged);
    expect(r.line).toBe('ORA-25707: The token is invalid.');
    expect(r.reason).toMatch(/^token-invalid: token signature is invalid/);
  }, 30_000);

  it('a proof of possession signed by a key the token is not bound to: ORA-25707', async () => {
    const other = await newDbKeyPair();
    const r = await failedLogon(await dbToken(), {}, other.privateKeyPem);
    expect(r.line).toBe('ORA-25707: The token is invalid.');
    expect(r.reason).toMatch(/^pop-signature-invalid/);
  }, 30_000);

  it('a proof-of-possession date outside the window (the client clock 10 minutes behind the database): ORA-01017', async () => {
    const r = await failedLogon(await dbToken(), { now: () => new Date(Date.now() + 10 * 60_000) });
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^pop-date-out-of-window/);
  }, 30_000);

  it('a token whose scope excludes the database: ORA-01017', async () => {
    const r = await failedLogon(await dbToken(`urn:oracle:db::id::${IDS.prod}`));
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^scope-excludes-database/);
  }, 30_000);

  it('no global user maps the principal or its groups: ORA-01017', async () => {
    const r = await failedLogon(await dbToken(), { change: (fx) => void (fx.autonomousDatabases[0]!.globalUsers = []) });
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^no-mapping/);
  }, 30_000);

  it('IAM authentication not enabled on the database: ORA-01017', async () => {
    const r = await failedLogon(await dbToken(), { change: (fx) => void (fx.autonomousDatabases[0]!.iamAuthEnabled = false) });
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^iam-auth-disabled/);
  }, 30_000);

  it('the mapped user without CREATE SESSION: ORA-01045', async () => {
    const r = await failedLogon(await dbToken(), { change: (fx) => void (fx.autonomousDatabases[0]!.grants = fx.autonomousDatabases[0]!.grants.filter((g) => g.privilege !== 'CREATE SESSION')) });
    expect(r.line).toBe('ORA-01045: user ALICE lacks CREATE SESSION privilege; logon denied');
    expect(r.reason).toMatch(/^no-create-session/);
  }, 30_000);
});

describe('the database side alone (what the driver never sends)', () => {
  const header = (date: Date, service: string): string => `date: ${date.toUTCString()}\n(request-target): ${service}\nhost: 127.0.0.1:1522`;
  const sign = (text: string, keyPem: string): string => createSign('RSA-SHA256').update(text).sign(keyPem, 'base64');
  const logon = (token: string, h: string, signature: string) =>
    adbBackend({ fixture, databaseId: IDS.adb, issuer }).logonWithToken({ token, header: h, signature, authMode: AUTH_MODE_IAM_TOKEN, serviceName: SERVICE, serverAddress: '127.0.0.1:1522' });

  it('accepts a correctly signed header for this service', async () => {
    const h = header(new Date(), SERVICE);
    const v = logon(await dbToken(), h, sign(h, dbKey.privateKeyPem));
    expect(v.ok).toBe(true);
  }, 30_000);

  it('rejects a header whose request target is another service: ORA-01017', async () => {
    const h = header(new Date(), 'ledger_low');
    const v = logon(await dbToken(), h, sign(h, dbKey.privateKeyPem));
    expect(v).toMatchObject({ ok: false, error: { num: 1017, message: 'ORA-01017: invalid username/password; logon denied' } });
    expect(v.ok ? '' : v.reason).toMatch(/^pop-wrong-service/);
  }, 30_000);

  it('rejects an expired token: ORA-25708', () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: TENANCY_SCOPE, iat: now - 7200, exp: now - 3600, jwk: publicKeyToJwk(dbKey.publicKeyPem) });
    const h = header(new Date(), SERVICE);
    const v = logon(expired, h, sign(h, dbKey.privateKeyPem));
    expect(v).toMatchObject({ ok: false, error: { num: 25708, message: 'ORA-25708: The token has expired.' } });
  });

  it('rejects a token not valid yet: ORA-25707', () => {
    const now = Math.floor(Date.now() / 1000);
    const early = issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: TENANCY_SCOPE, iat: now + 3600, nbf: now + 3600, exp: now + 7200, jwk: publicKeyToJwk(dbKey.publicKeyPem) });
    const h = header(new Date(), SERVICE);
    const v = logon(early, h, sign(h, dbKey.privateKeyPem));
    expect(v).toMatchObject({ ok: false, error: { num: 25707 } });
    expect(v.ok ? '' : v.reason).toMatch(/^token-not-yet-valid/);
  });
});
