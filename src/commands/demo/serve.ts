// `dbiam-doctor demo --serve [SCENARIO]`: the simulated tenancy and its
// database listener on loopback, for anyone's own SDK, CLI or driver code.
// Prints one JSON document (endpoints, a ready OCI config profile, a
// tnsnames entry, the environment to use) and runs until interrupted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyFingerprint } from '../../core/fingerprint.js';
import { ENDPOINT_SERVICES } from '../../core/options.js';
import { writeOciHome } from '../../sim/home.js';
import { startServiceProxy, type RunningServiceProxy } from '../../sim/http/service-proxy.js';
import { makeChain } from '../../sim/pki.js';
import { generateRsaKey, IDS } from '../../sim/tenancy.js';
import { createTokenIssuer } from '../../sim/tokens.js';
import type { CliIO } from '../io.js';
import type { Scenario } from './scenarios.js';
import { writeDemoWallet } from './wallet.js';
import { demoTools, healthySetup, startDemoWorld, type DemoWorld } from './world.js';

/** The JSON document `--serve` prints: everything a client needs to reach the stand-in. */
export interface ServeDocument {
  scenario: string;
  /** The throw-away home holding the config, keys, token, wallet and CA (removed on exit). */
  home: string;
  /** Base URL per service, for `client.endpoint = …` (SDKs) or `--endpoint` (OCI CLI, the doctor). */
  endpoints: Record<string, string>;
  /** The instance metadata service (instance principals: the SDK builder's metadataBaseUrl). */
  imdsUrl: string;
  ociConfig: { file: string; profile: string; text: string };
  database: { id: string; service: string; descriptor: string; tnsnames: string; tnsAdmin: string; caFile: string };
  /** Environment for a shell that uses the stand-in. */
  env: Record<string, string>;
  /** The doctor against it, as argv after `dbiam-doctor`. */
  doctorArgs: string[];
  /**
   * The other way in, without endpoint overrides: an HTTPS proxy (HTTPS_PROXY) that answers for the
   * realms' real service host names, with certificates from a CA made for this run. `caFile` holds
   * that CA and the listener's, for NODE_EXTRA_CA_CERTS.
   */
  proxy: { url: string; caFile: string };
}

/** Resolves on the first interrupt (SIGINT/SIGTERM via io.onSignal), or never without one. */
function interrupted(io: CliIO): Promise<void> {
  return new Promise((resolve) => {
    const remove = io.onSignal?.(() => {
      remove?.();
      resolve();
    });
  });
}

/** `onWorld`: the benchmark's look at the running world (its calls), not used by the command. */
export async function serveDemo(scenario: Scenario, io: CliIO, onWorld?: (world: DemoWorld) => void): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'dbiam-doctor-serve-'));
  const issuer = createTokenIssuer();
  const sessionKey = generateRsaKey();
  const tools = demoTools(issuer);
  // A served session lasts a working day, not the demo's hour.
  const setup = healthySetup(tools, sessionKey, generateRsaKey().publicKeyPem, 8 * 3600);
  scenario.apply?.(setup, tools);
  // `oci session authenticate` writes the session key's fingerprint too, and the SDK's session provider insists on it.
  setup.profile.fingerprint ??= apiKeyFingerprint(setup.sessionKey.publicKeyPem);

  const adb = setup.fixture.autonomousDatabases[0];
  const service = adb?.serviceNames[0] ?? 'ledger_high';
  const world = await startDemoWorld(setup, issuer);
  onWorld?.(world);
  const { listener } = world;
  let proxy: RunningServiceProxy | undefined;
  try {
    const proxyCa = makeChain({ rootCommonName: 'dbiam-doctor serve proxy root', intermediateCommonName: 'dbiam-doctor serve proxy intermediate' });
    proxy = await startServiceProxy({ targetPort: Number(new URL(world.simUrl).port), ca: { root: proxyCa.root, intermediate: proxyCa.intermediate } });
    const { configFile } = writeOciHome(home, [setup.profile]);
    const walletDir = join(home, 'wallet');
    writeDemoWallet(walletDir, setup.wallet);
    const caFile = join(home, 'listener-root-ca.pem');
    writeFileSync(caFile, listener.caPem);
    const proxyCaFile = join(home, 'proxy-and-listener-roots.pem');
    writeFileSync(proxyCaFile, `${proxyCa.root.certPem.trim()}\n${listener.caPem.trim()}\n`);
    const descriptor = listener.descriptor(service, setup.listener?.certDn === undefined ? {} : { certDn: setup.listener.certDn });
    const endpoints = Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, world.simUrl]));
    const imdsUrl = `${world.simUrl}/opc/v2/`;
    const doc: ServeDocument = {
      scenario: scenario.name,
      home,
      endpoints,
      imdsUrl,
      ociConfig: { file: configFile, profile: setup.profile.name, text: readFileSync(configFile, 'utf8') },
      database: { id: IDS.adb, service, descriptor, tnsnames: `${service} = ${descriptor}\n`, tnsAdmin: walletDir, caFile },
      env: { OCI_CLI_CONFIG_FILE: configFile, OCI_CONFIG_FILE: configFile, OCI_CLI_PROFILE: setup.profile.name, OCI_CLI_AUTH: 'security_token', TNS_ADMIN: walletDir, NODE_EXTRA_CA_CERTS: caFile },
      doctorArgs: [
        ...ENDPOINT_SERVICES.flatMap((s) => ['--endpoint', `${s}=${world.simUrl}`]),
        '--imds-url', imdsUrl,
        '--adb-id', IDS.adb,
        '--dbtools-connection-id', IDS.dbtools,
        '--dsn', descriptor,
        '--tns-admin', walletDir,
        '--ca-file', caFile,
      ],
      proxy: { url: proxy.url, caFile: proxyCaFile },
    };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    await interrupted(io);
    return 0;
  } finally {
    await proxy?.close();
    await world.close();
    rmSync(home, { recursive: true, force: true });
  }
}
