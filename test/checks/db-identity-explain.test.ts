// db.identity on the direct path, judged from plain facts: a driver error is
// explained with the run's own facts (was a wallet given?) and in the
// catalogue's words.
import { describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../src/adapters/oci-sdk.js';
import { codeSpecs } from '../../src/checks/catalogue.js';
import { dbIdentityCheck } from '../../src/checks/db/identity.js';
import { WHOAMI_DATA, type WhoAmIData } from '../../src/checks/identity/whoami.js';
import { CONNECT_TARGET_DATA } from '../../src/checks/network/target.js';
import { TLS_SETTINGS_DATA } from '../../src/checks/tls/chain.js';
import type { TlsSettings } from '../../src/checks/tls/settings.js';
import { DB_TOKEN_DATA, type DbTokenData } from '../../src/checks/token/db-token.js';
import type { ConnectTarget } from '../../src/core/connect/target.js';
import type { CheckOutcome, DataKey } from '../../src/core/types.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { testDeps } from '../helpers/deps.js';
import { factsFrom } from '../helpers/facts.js';

const fixture = healthyTenancy(generateRsaKey().publicKeyPem);
const identity: SigningIdentity = { kind: 'token', token: 'canary-token', privateKeyPem: 'canary-key', region: 'us-ashburn-1' };
const who: WhoAmIData = { identity, user: { id: IDS.alice, name: 'alice@example.com', dbUserName: 'alice' }, tenancy: IDS.tenancy };
const token: DbTokenData = { token: 'canary-db-token', privateKeyPem: 'canary-db-key', claims: {}, scope: `urn:oracle:db::id::${IDS.tenancy}` };
const target: ConnectTarget = { descriptor: '(description=(address=(protocol=tcps)(host=adb.us-ashburn-1.oraclecloud.com)(port=1522))(connect_data=(service_name=ledger_high)))', addresses: [{ host: 'adb.us-ashburn-1.oraclecloud.com', port: 1522, protocol: 'tcps' }], serviceName: 'ledger_high', sslServerDnMatch: true, source: '--dsn' };
// What node-oracledb thin raises when the listener refuses with ERR=12506.
const REFUSED = 'NJS-511: connection to listener at host 10.0.0.5 port 1522 was refused. (CONNECTION_ID=abc)\nCause: ORA-12506';

async function judge(tls: TlsSettings, run = new AbortController(), whileConnecting = (): void => {}): Promise<CheckOutcome> {
  const identityQuery = async () => {
    whileConnecting();
    return { ok: false as const, message: REFUSED };
  };
  const facts = factsFrom(fixture, { database: { identityQuery } });
  const deps = { ...testDeps(), facts, catalogue: async () => codeSpecs() };
  const data = new Map<string, unknown>([[WHOAMI_DATA.checkId, who], [DB_TOKEN_DATA.checkId, token], [CONNECT_TARGET_DATA.checkId, target], [TLS_SETTINGS_DATA.checkId, tls]]);
  return dbIdentityCheck.run({ deps, dataOf: <T,>(k: DataKey<T>) => data.get(k.checkId) as T | undefined, codesSoFar: () => [], resultOf: () => undefined }, run.signal);
}

describe('db.identity explains a refused direct logon with the run’s own facts', () => {
  it('ORA-12506 with no wallet given: mutual TLS first; with a wallet: the access list first', async () => {
    const noWallet = await judge({ sslServerDNMatch: true, trustedBy: 'node-bundled' });
    expect(noWallet.findings[0]?.code).toBe('tls.client-cert-required');
    const withWallet = await judge({ sslServerDNMatch: true, trustedBy: 'wallet', walletLocation: '/home/u/wallet' });
    expect(withWallet.findings[0]?.code).toBe('db.acl-rejected');
  });
});

describe('db.identity after the run stopped waiting for it', () => {
  it('a connection that fails once the check\'s limit ran out is not explained: the check ends with the run\'s reason', async () => {
    // node-oracledb's connect cannot be called off; it answers after the engine gave up on the check.
    const run = new AbortController();
    const reason = new Error('timed out after 30000 ms');
    await expect(judge({ sslServerDNMatch: true, trustedBy: 'node-bundled' }, run, () => run.abort(reason))).rejects.toBe(reason);
  });
});
