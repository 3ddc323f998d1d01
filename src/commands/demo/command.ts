// `dbiam-doctor demo [SCENARIO]`: starts the simulated tenancy in-process,
// writes a throw-away home (OCI config, keys, session token, doctor config),
// and runs the real doctor against it, on the screen or in any --format.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import type { CliIO } from '../io.js';
import { ENDPOINT_SERVICES, OPTION_DEFS, UsageError, didYouMean, type DoctorOptions } from '../../core/options.js';
import type { SystemFacts } from '../../adapters/system.js';
import { writeOciHome } from '../../sim/home.js';
import { jksTrustStore } from '../../sim/jks.js';
import { demoCacheDir } from '../../sim/cache-dir.js';
import { prefillRsaKeysFromCache } from '../../sim/key-cache.js';
import { takeRsaKeyOffThread } from '../../sim/key-pool.js';
import { generateRsaKey, IDS } from '../../sim/tenancy.js';
import { createTokenIssuer, type TokenIssuer } from '../../sim/tokens.js';
import { SCENARIOS, findScenario, type DemoSetup, type DemoTools } from './scenarios.js';
import { writeDemoWallet } from './wallet.js';
import { DEMO_WORLD_KEYS, demoTools, healthySetup, startDemoWorld } from './world.js';

export function renderScenarioList(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  return `${SCENARIOS.map((s) => `${s.name.padEnd(width)}  ${s.summary}${s.expect ? ` (reports ${[s.expect, ...(s.also ?? [])].join(', ')})` : ''}`).join('\n')}\n`;
}

/**
 * The demo runs with a clean environment: the user's own OCI settings must not
 * leak in. What the clipboard tools need to reach the user's display is kept
 * (y and c copy through them besides OSC 52); X clients look for their
 * authority file under HOME when XAUTHORITY is unset (libXau; see
 * https://doc.servo.org/x11rb_protocol/xauth/file/fn.get_xauthority_file_name.html),
 * and HOME is the demo's.
 */
function demoEnvironment(home: string, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TERM', 'COLORTERM', 'NO_COLOR', 'FORCE_COLOR', 'TZ', 'SYSTEMROOT', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'XAUTHORITY'];
  const out: Record<string, string | undefined> = { HOME: home, USERPROFILE: home };
  for (const k of keep) if (env[k] !== undefined) out[k] = env[k];
  if (env.DISPLAY && !env.XAUTHORITY && env.HOME) out.XAUTHORITY = join(env.HOME, '.Xauthority');
  return out;
}

/**
 * The database's one local user, ADMIN: its password is the one the doctor
 * is given for --admin-user when the scenario gives one, else the one the
 * admin Database Tools connection's secret holds.
 */
/**
 * A stand-in interpreter for --client python: prints what the probe would on
 * a Linux Python whose CA file and certifi bundle hold public roots only
 * (Node's bundled roots stand in for them). A shell script: POSIX only.
 */
function writePythonStandIn(home: string): string {
  const bundle = join(home, 'python', 'cacert.pem');
  mkdirSync(join(home, 'python'), { recursive: true });
  writeFileSync(bundle, `${tls.rootCertificates.join('\n')}\n`);
  const probe = { version: '3.12.3', openssl: 'OpenSSL 3.0.13 30 Jan 2024', platform: 'linux', verify: { cafile: bundle, capath: null, openssl_cafile: bundle, openssl_capath: '' }, certifi: bundle, oracledb: '3.1.0' };
  const script = join(home, 'python', 'python3');
  writeFileSync(script, `#!/bin/sh\necho '${JSON.stringify(probe)}'\n`, { mode: 0o755 });
  return script;
}

/**
 * The Java user's machine: an OS CA bundle that holds the listener's CA (as
 * after update-ca-certificates) and a JRE whose cacerts, in JKS like
 * Debian's, holds public roots only (Node's bundled roots stand in for them).
 */
function writeJavaStandIn(home: string, listenerCaPem: string): { javaHome: string; osBundle: string } {
  const roots = tls.rootCertificates;
  const osBundle = join(home, 'etc', 'ssl', 'certs', 'ca-certificates.crt');
  mkdirSync(dirname(osBundle), { recursive: true });
  writeFileSync(osBundle, `${[...roots, listenerCaPem.trim()].join('\n')}\n`);
  const javaHome = join(home, 'jdk');
  mkdirSync(join(javaHome, 'lib', 'security'), { recursive: true });
  writeFileSync(join(javaHome, 'lib', 'security', 'cacerts'), jksTrustStore(roots.map((cert, i) => ({ alias: `root-${i}`, cert }))));
  return { javaHome, osBundle };
}

/** The directory `oci iam db-token get` writes: the token and the private key it is bound to. */
function writeDbTokenCache(dir: string, cache: { token: string; privateKeyPem: string }): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'token'), cache.token, { mode: 0o600 });
  writeFileSync(join(dir, 'oci_db_key.pem'), cache.privateKeyPem, { mode: 0o600 });
}

/** The doctor's arguments: the demo's minus the word `demo` and the scenario name, each at its own place. */
export function withoutDemoWords(argv: readonly string[], scenario: string | undefined): string[] {
  const command = argv.indexOf('demo');
  const named = scenario === undefined ? -1 : argv.findIndex((a, i) => i > command && a === scenario && !isOptionValue(argv, i));
  return argv.filter((_a, i) => i !== command && i !== named);
}

/** True when argv[i] is the value of the option before it (`-o healthy`, `--format md`). */
function isOptionValue(argv: readonly string[], i: number): boolean {
  const prev = argv[i - 1];
  if (prev === undefined || !/^-/.test(prev) || prev.includes('=')) return false;
  const name = prev.replace(/^--?/, '');
  const def = OPTION_DEFS.find((d) => d.flag === name || d.short === name);
  return def !== undefined && def.kind !== 'boolean';
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
  if (!scenario) {
    const near = didYouMean(options.scenario ?? '', SCENARIOS.map((s) => s.name));
    throw new UsageError(`unknown demo scenario '${options.scenario}'${near ? ` (did you mean '${near}'?)` : ''} (run 'dbiam-doctor demo --list')`);
  }
  if (options.serve) return (await import('./serve.js')).serveDemo(scenario, io);

  // The world's keys before anything takes one: from the per-machine cache, else
  // made in parallel off the event loop. The cache belongs to the user who ran
  // the demo: its place is read from their environment, not the demo's home.
  await prefillRsaKeysFromCache(demoCacheDir(io.env, system.homeDir), DEMO_WORLD_KEYS);
  const home = mkdtempSync(join(tmpdir(), 'dbiam-doctor-demo-'));
  const issuer = createTokenIssuer();
  const apiKey = generateRsaKey();
  const sessionKey = generateRsaKey();
  const tools = demoTools(issuer);
  const setup = healthySetup(tools, sessionKey, apiKey.publicKeyPem, 3600);
  scenario.apply?.(setup, tools);
  customize?.(setup, { ...tools, issuer });

  const world = await startDemoWorld(setup, issuer);
  const { listener } = world;
  const adb = setup.fixture.autonomousDatabases[0];
  try {
    writeOciHome(home, [setup.profile]);
    if (setup.dbTokenCache) writeDbTokenCache(join(home, '.oci', 'db-token'), setup.dbTokenCache);
    const walletDir = join(home, 'wallet');
    writeDemoWallet(walletDir, setup.wallet);
    const configDir = join(home, '.config', 'dbiam-doctor');
    mkdirSync(configDir, { recursive: true });
    const endpoints = Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, world.simUrl]));
    const caFile = join(home, 'listener-root-ca.pem');
    writeFileSync(caFile, listener.caPem);
    // The python user passes neither --ca-file nor wallet_location: Python's own stores decide.
    if (setup.pythonStandIn) Object.assign(setup.doctorConfig, { caFiles: undefined, python: writePythonStandIn(home) });
    // The Java user has no wallet and no --ca-file: the JRE's trust store decides.
    let machine = system;
    if (setup.javaStandIn) {
      const java = writeJavaStandIn(home, listener.caPem);
      Object.assign(setup.doctorConfig, { caFiles: undefined, tnsAdmin: undefined });
      setup.env = { ...setup.env, JAVA_HOME: java.javaHome };
      machine = { ...system, osCaBundles: [{ path: java.osBundle, os: 'the demo machine, Debian layout' }] };
    }
    const dsn = listener.descriptor(adb?.serviceNames[0] ?? 'ledger_high', setup.listener?.certDn === undefined ? {} : { certDn: setup.listener.certDn });
    writeFileSync(join(configDir, 'config.json'), `${JSON.stringify({ endpoints, imdsUrl: `${world.simUrl}/opc/v2/`, adbId: IDS.adb, dbtoolsConnectionId: IDS.dbtools, tnsAdmin: walletDir, dsn, caFiles: [caFile], ...setup.doctorConfig }, null, 2)}\n`);
    // Drop the command word and the scenario's own position only: `-o healthy` keeps its value.
    const argv = withoutDemoWords(io.argv, options.scenario);
    return await runDoctor({
      ...io,
      argv,
      env: { ...demoEnvironment(home, io.env), ...setup.env },
      cwd: home,
      // -o and `s` write where the user ran the demo, not into the home deleted below.
      reportDir: io.reportDir ?? io.cwd,
      system: { ...machine, homeDir: home },
      // The simulated world is built on the real clock.
      now: undefined,
      // The doctor's own fresh keys (the DB token's pair, the throw-away TLS
      // wallet's) are two more of the world's, read from the same cache: made
      // on the spot they were two RSA-2048 keys per demo, 0.2–0.7 s of a core
      // each on Node 20. Once the world's are used up, made as in a real run.
      newKeyPair: io.newKeyPair ?? (() => takeRsaKeyOffThread(2048)),
    });
  } finally {
    await world.close();
    rmSync(home, { recursive: true, force: true });
  }
}
