// The demo's simulated world, shared by `demo` (which runs the doctor in it)
// and `demo --serve` (which hands it to anyone's own client): the tools a
// scenario uses, the healthy starting setup, and the tenancy and database
// listener on loopback.
import { ADMIN_PASSWORD_ENV } from '../../core/options.js';
import type { RunningSimulator } from '../../sim/http/server.js';
import { startSimulator } from '../../sim/index.js';
import { startListener, type SimListener } from '../../sim/listener/index.js';
import { adbBackend } from '../../sim/oracle-net/adb.js';
import { generateRsaKey, healthyTenancy, IDS, type GeneratedKey } from '../../sim/tenancy.js';
import { publicKeyToJwk, type TokenIssuer } from '../../sim/tokens.js';
import type { DemoSetup, DemoTools } from './scenarios.js';
import { defaultDemoWallet } from './wallet.js';

/**
 * RSA-2048 keys a demo takes. Its world takes seven as it is built: the token
 * issuer's, the API and session keys, the listener's root, intermediate and
 * leaf, the wallet's client key; two more, the instance-identity root and
 * intermediate of the simulated metadata service, when the run first asks it
 * for an identity; the most key-hungry scenarios (a second session key, a
 * cached db-token's own key) take eleven.
 * The doctor's run in it takes two more: its DB token's key pair and its
 * throw-away TLS wallet's key; under instance principal a third, the
 * federation's session key (the world then takes nine, the metadata service's
 * pair included). The demo reads them from its per-machine cache or makes
 * them ahead, in parallel (key-cache.ts); a scenario that takes more makes its
 * extra keys on the spot.
 */
export const DEMO_WORLD_KEYS = 13;

export function demoTools(issuer: TokenIssuer): DemoTools {
  return {
    newKey: () => generateRsaKey(),
    sessionToken(publicKeyPem: string, seconds: number): string {
      const now = Math.floor(Date.now() / 1000);
      return issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, sess_exp: now + 86400, iat: now - 60, exp: now + seconds, jwk: publicKeyToJwk(publicKeyPem) });
    },
    dbToken(publicKeyPem: string, seconds: number): string {
      const now = Math.floor(Date.now() / 1000);
      const iat = Math.min(now - 60, now + seconds - 3600);
      return issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: `urn:oracle:db::id::${IDS.tenancy}`, aud: 'urn:oracle:db::id::*', iss: 'authService.oracle.com', iat, exp: now + seconds, jwk: publicKeyToJwk(publicKeyPem), tokenType: 'db-token' });
    },
  };
}

/** The healthy tenancy, signed in as alice with a session of `sessionSeconds`, before a scenario breaks it. */
export function healthySetup(tools: DemoTools, sessionKey: GeneratedKey, apiKeyPublicPem: string, sessionSeconds: number): DemoSetup {
  const setup: DemoSetup = {
    fixture: healthyTenancy(apiKeyPublicPem),
    sessionKey,
    profile: { name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: sessionKey.privateKeyPem, token: '' },
    serverClockOffsetMs: 0,
    doctorConfig: {},
    wallet: defaultDemoWallet(new Date()),
  };
  setup.profile.token = tools.sessionToken(sessionKey.publicKeyPem, sessionSeconds);
  return setup;
}

/** The local users the database stand-in accepts a password logon from: ADMIN, with the admin secret's password (or the scenario's). */
function adminUserOf(setup: DemoSetup): Record<string, string> {
  const given = setup.env?.[ADMIN_PASSWORD_ENV];
  if (given) return { ADMIN: given };
  const secret = setup.fixture.secrets.find((s) => s.id === IDS.adminPasswordSecret);
  return secret ? { ADMIN: Buffer.from(secret.contentBase64, 'base64').toString('utf8') } : {};
}

export interface DemoWorld {
  listener: SimListener;
  simUrl: string;
  /** Every call the simulated services answered (ctx.log): what the bench reads a real-shaped run's waits from. */
  calls: RunningSimulator['ctx']['log'];
  close(): Promise<void>;
}

/**
 * The database listener (TLS, then the database stand-in: a real token logon
 * decided from the fixture) and the simulated OCI services. The fixture's
 * database learns the listener's port, and the wallet trusts its root.
 */
export async function startDemoWorld(setup: DemoSetup, issuer: TokenIssuer): Promise<DemoWorld> {
  const adb = setup.fixture.autonomousDatabases[0];
  const listener = await startListener({
    services: adb?.serviceNames ?? [],
    // The database's access control list, as its listener applies it.
    ...(adb && adb.acl.length > 0 ? { acl: adb.acl } : {}),
    ...(setup.listener?.faults ? { faults: setup.listener.faults } : {}),
    ...(adb ? { database: adbBackend({ fixture: setup.fixture, databaseId: adb.id, issuer, localUsers: adminUserOf(setup) }), sessionIdleTimeoutMs: 10_000 } : {}),
  });
  if (adb) adb.tlsPort = listener.port;
  if (setup.wallet.caPems.length === 0) setup.wallet.caPems = [listener.caPem];
  setup.wallet.port = listener.port;
  const sim = await startSimulator(setup.fixture, { issuer, now: () => new Date(Date.now() + setup.serverClockOffsetMs) }).catch(async (err: unknown) => {
    await listener.close();
    throw err;
  });
  return {
    listener,
    simUrl: sim.url,
    calls: sim.ctx.log,
    async close() {
      await sim.close();
      await listener.close();
    },
  };
}
