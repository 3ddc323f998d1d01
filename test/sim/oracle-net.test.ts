// The database stand-in against the real node-oracledb thin driver: a DB
// token from the simulated IAM data plane, a TLS listener with a generated
// chain, and the doctor's own identity query (runIdentityQuery) over it.
// Keys are generated at run time; everything listens on 127.0.0.1.
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
import { createTokenIssuer, type TokenIssuer } from '../../src/sim/tokens.js';

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

async function withListener<T>(f: (l: SimListener) => Promise<T>, change?: (fx: Fixture) => void): Promise<T> {
  const fx: Fixture = structuredClone(fixture);
  change?.(fx);
  const l = await startListener({
    services: [SERVICE],
    bits: BITS,
    ca: { root: ca.root, intermediate: ca.intermediate },
    database: adbBackend({ fixture: fx, databaseId: IDS.adb, issuer }),
    sessionIdleTimeoutMs: 5000,
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
