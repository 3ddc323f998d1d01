// `dbiam-doctor demo [SCENARIO]`: starts the simulated tenancy in-process,
// writes a throw-away home (OCI config, keys, session token, doctor config),
// and runs the real doctor against it, on the screen or in any --format.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../io.js';
import { ENDPOINT_SERVICES, UsageError, type DoctorOptions } from '../../core/options.js';
import type { SystemFacts } from '../../adapters/system.js';
import { ADMIN_PASSWORD_ENV } from '../../checks/db/config.js';
import { startSimulator } from '../../sim/index.js';
import { startListener } from '../../sim/listener/index.js';
import { writeOciHome } from '../../sim/home.js';
import { adbBackend } from '../../sim/oracle-net/adb.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../sim/tenancy.js';
import { createTokenIssuer, publicKeyToJwk, type TokenIssuer } from '../../sim/tokens.js';
import { SCENARIOS, findScenario, type DemoSetup, type DemoTools } from './scenarios.js';
import { defaultDemoWallet, writeDemoWallet } from './wallet.js';

export function renderScenarioList(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  return `${SCENARIOS.map((s) => `${s.name.padEnd(width)}  ${s.summary}${s.expect ? ` (reports ${[s.expect, ...(s.also ?? [])].join(', ')})` : ''}`).join('\n')}\n`;
}

/** The demo runs with a clean environment: the user's own OCI settings must not leak in. */
function demoEnvironment(home: string, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TERM', 'COLORTERM', 'NO_COLOR', 'FORCE_COLOR', 'TZ', 'SYSTEMROOT'];
  const out: Record<string, string | undefined> = { HOME: home, USERPROFILE: home };
  for (const k of keep) if (env[k] !== undefined) out[k] = env[k];
  return out;
}

/**
 * The database's one local user, ADMIN: its password is the one the doctor
 * is given for --admin-user when the scenario gives one, else the one the
 * admin Database Tools connection's secret holds.
 */
function adminUserOf(setup: DemoSetup): Record<string, string> {
  const given = setup.env?.[ADMIN_PASSWORD_ENV];
  if (given) return { ADMIN: given };
  const secret = setup.fixture.secrets.find((s) => s.id === IDS.adminPasswordSecret);
  return secret ? { ADMIN: Buffer.from(secret.contentBase64, 'base64').toString('utf8') } : {};
}

/** The directory `oci iam db-token get` writes: the token and the private key it is bound to. */
function writeDbTokenCache(dir: string, cache: { token: string; privateKeyPem: string }): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'token'), cache.token, { mode: 0o600 });
  writeFileSync(join(dir, 'oci_db_key.pem'), cache.privateKeyPem, { mode: 0o600 });
}

export interface DemoInput {
  options: DoctorOptions;
  io: CliIO;
  system: SystemFacts;
  /** Runs the doctor (cli main) with the demo's environment. */
  runDoctor(io: CliIO): Promise<number>;
  /**
   * Tests only: changes the setup after the scenario did (e.g. plants canary
   * secrets); `issuer` is the simulator's token issuer, to observe its tokens.
   */
  customize?: DemoCustomizer;
}

export type DemoCustomizer = (setup: DemoSetup, tools: DemoTools & { issuer: TokenIssuer }) => void;

export async function runDemoCommand({ options, io, system, runDoctor, customize }: DemoInput): Promise<number> {
  if (options.list) {
    io.stdout.write(renderScenarioList());
    return 0;
  }
  const scenario = findScenario(options.scenario ?? 'healthy');
  if (!scenario) throw new UsageError(`unknown demo scenario '${options.scenario}' (run 'dbiam-doctor demo --list')`);

  const home = mkdtempSync(join(tmpdir(), 'dbiam-doctor-demo-'));
  const issuer = createTokenIssuer();
  const apiKey = generateRsaKey();
  const sessionKey = generateRsaKey();
  const tools: DemoTools = {
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
  const setup: DemoSetup = {
    fixture: healthyTenancy(apiKey.publicKeyPem),
    sessionKey,
    profile: { name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: sessionKey.privateKeyPem, token: '' },
    serverClockOffsetMs: 0,
    doctorConfig: {},
    wallet: defaultDemoWallet(new Date()),
  };
  setup.profile.token = tools.sessionToken(sessionKey.publicKeyPem, 3600);
  scenario.apply?.(setup, tools);
  customize?.(setup, { ...tools, issuer });

  // The database listener (TLS, then the database stand-in: a real token
  // logon decided from the fixture): the connect string points at it; the
  // wallet and --ca-file trust its root.
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
  try {
    writeOciHome(home, [setup.profile]);
    if (setup.dbTokenCache) writeDbTokenCache(join(home, '.oci', 'db-token'), setup.dbTokenCache);
    const walletDir = join(home, 'wallet');
    writeDemoWallet(walletDir, setup.wallet);
    const configDir = join(home, '.config', 'dbiam-doctor');
    mkdirSync(configDir, { recursive: true });
    const endpoints = Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, sim.url]));
    const caFile = join(home, 'listener-root-ca.pem');
    writeFileSync(caFile, listener.caPem);
    const dsn = listener.descriptor(adb?.serviceNames[0] ?? 'ledger_high', setup.listener?.certDn === undefined ? {} : { certDn: setup.listener.certDn });
    writeFileSync(join(configDir, 'config.json'), `${JSON.stringify({ endpoints, imdsUrl: `${sim.url}/opc/v2/`, adbId: IDS.adb, dbtoolsConnectionId: IDS.dbtools, tnsAdmin: walletDir, dsn, caFiles: [caFile], ...setup.doctorConfig }, null, 2)}\n`);
    const argv = io.argv.filter((a, i) => !(i === io.argv.indexOf('demo')) && a !== options.scenario);
    return await runDoctor({
      ...io,
      argv,
      env: { ...demoEnvironment(home, io.env), ...setup.env },
      cwd: home,
      system: { ...system, homeDir: home },
      // The simulated world is built on the real clock.
      now: undefined,
    });
  } finally {
    await sim.close();
    await listener.close();
    rmSync(home, { recursive: true, force: true });
  }
}
