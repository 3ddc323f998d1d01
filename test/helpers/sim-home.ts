// A home directory wired to a running simulator and listener, as a user's
// machine would be: a session profile in ~/.oci, the listener's CA on disk,
// and the doctor's own config (every endpoint, the metadata service, the ADB,
// the Database Tools connection, the connect string) so a bare run goes
// through the whole chain.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENDPOINT_SERVICES } from '../../src/core/options.js';
import { writeOciHome } from '../../src/sim/home.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import type { SimListener } from '../../src/sim/listener/index.js';
import { IDS } from '../../src/sim/tenancy.js';
import { publicKeyToJwk } from '../../src/sim/tokens.js';

export function writeSimulatedHome(home: string, opts: { sim: RunningSimulator; listener: SimListener; key: { publicKeyPem: string; privateKeyPem: string }; config?: Record<string, unknown> }): void {
  const { sim, listener, key } = opts;
  const now = Math.floor(Date.now() / 1000);
  const token = sim.ctx.issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now - 60, exp: now + 3600, jwk: publicKeyToJwk(key.publicKeyPem) });
  writeOciHome(home, [{ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: key.privateKeyPem, token }]);
  const caFile = join(home, 'ca.pem');
  writeFileSync(caFile, listener.caPem);
  const configDir = join(home, '.config', 'dbiam-doctor');
  mkdirSync(configDir, { recursive: true });
  const endpoints = Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, sim.url]));
  const config = { endpoints, imdsUrl: `${sim.url}/opc/v2/`, adbId: IDS.adb, dbtoolsConnectionId: IDS.dbtools, dsn: listener.descriptor('ledger_high'), caFiles: [caFile], ...opts.config };
  writeFileSync(join(configDir, 'config.json'), JSON.stringify(config));
}
