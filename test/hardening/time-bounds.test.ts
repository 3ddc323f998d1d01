// Time bounds: whatever does not answer — a black-holed database address, a
// listener that accepts TCP and stalls, a TLS handshake that never completes,
// a metadata service or an OCI endpoint that never responds — the full run
// ends within 2× the largest step timeout (--timeout 2 here), and says which
// step timed out. All on loopback: a "black hole" is a TCP server that
// accepts and never sends a byte.
//
// Most runs are concurrent (each in its own home), as they are mostly waiting
// for their timeout.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_SERVICES } from '../../src/core/options.js';
import { startSimulator } from '../../src/sim/index.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { descriptor, startListener, type ListenerFaults } from '../../src/sim/listener/index.js';
import { writeOciHome } from '../../src/sim/home.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { publicKeyToJwk } from '../../src/sim/tokens.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import type { JsonReport } from '../../src/core/report/json.js';

const STEP_TIMEOUT_S = 2;
/** The engine's own timeout, or a check's (net.tcp-timeout, tls.handshake-timeout). */
const TIMEOUT_CODES = /^(engine\.timeout|[a-z-]+\.[a-z-]*timeout)$/;
const BOUND_MS = 2 * STEP_TIMEOUT_S * 1000;

let sim: RunningSimulator;
/** The OCI config and key every run's home gets. */
let writeHome: (home: string) => void;
const homes: string[] = [];
let blackHole: net.Server;
let silentHttp: HttpServer;
const held = new Set<net.Socket>();
const listeners: { close(): Promise<void> }[] = [];

function silentUrl(): string {
  const { port } = silentHttp.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  // The doctor's modules load on a run's first use (cli.ts, live facts): load
  // them here, so the first timed run measures the run, not this worker
  // compiling the checks and the SDK for the first time.
  const [, { ociModulesFor, warmModules }] = await Promise.all([import('../../src/commands/doctor/load.js'), import('../../src/adapters/oci-warm.js')]);
  await warmModules(ociModulesFor({}));
  const key = generateRsaKey();
  sim = await startSimulator(healthyTenancy(key.publicKeyPem));
  const now = Math.floor(Date.now() / 1000);
  const token = sim.ctx.issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now - 60, exp: now + 3600, jwk: publicKeyToJwk(key.publicKeyPem) });
  writeHome = (home) => writeOciHome(home, [{ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: key.privateKeyPem, token }]);
  // Accepts every connection and never sends a byte.
  blackHole = net.createServer((s) => {
    held.add(s);
    s.on('error', () => undefined);
    s.resume();
  });
  // Reads every request and never answers it.
  silentHttp = createHttpServer((req) => {
    req.resume();
  });
  silentHttp.on('connection', (s) => held.add(s));
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => silentHttp.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await Promise.all(listeners.map((l) => l.close()));
  await new Promise((r) => blackHole.close(r));
  await new Promise((r) => silentHttp.close(r));
  await sim.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

type Doc = JsonReport;

/** A home of its own for one run: the OCI config and key, and the doctor's config file with `config` over the simulator's endpoints. */
function homeWith(config: Record<string, unknown>): string {
  const home = tempDir('dbiam-doctor-time-');
  homes.push(home);
  writeHome(home);
  const dir = join(home, '.config', 'dbiam-doctor');
  mkdirSync(dir, { recursive: true });
  const endpoints = Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, sim.url]));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ imdsUrl: `${sim.url}/opc/v2/`, adbId: IDS.adb, ...config, endpoints: { ...endpoints, ...(config.endpoints as object | undefined) } }));
  return home;
}

async function timedRun(home: string, argv: string[] = []): Promise<{ ms: number; doc: Doc }> {
  const started = performance.now();
  const out = await runCli(['--format', 'json', '--timeout', String(STEP_TIMEOUT_S), ...argv], { env: { HOME: home }, cwd: home, system: fakeSystem({ homeDir: home }), now: () => new Date() });
  const ms = performance.now() - started;
  const doc = JSON.parse(out.stdout) as Doc;
  return { ms, doc };
}

/** The checks that ended with a timeout finding. */
const timedOut = (doc: Doc): string[] => doc.checks.filter((c) => c.findings.some((f) => TIMEOUT_CODES.test(f.code))).map((c) => c.id);

/** A home whose DSN points at a listener with `faults`, its CA trusted. */
async function stalledListenerHome(faults: ListenerFaults): Promise<string> {
  const l = await startListener({ services: ['ledger_high'], faults });
  listeners.push(l);
  const caDir = tempDir('dbiam-doctor-time-ca-');
  homes.push(caDir);
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, l.caPem);
  return homeWith({ dsn: l.descriptor('ledger_high'), caFiles: [caFile] });
}

describe.concurrent(`every run ends within ${BOUND_MS} ms (2× --timeout ${STEP_TIMEOUT_S}) with a timeout finding`, () => {
  it('black-holed database address (TCP accepted, nothing ever sent)', async () => {
    const { port } = blackHole.address() as net.AddressInfo;
    const { ms, doc } = await timedRun(homeWith({ dsn: descriptor('127.0.0.1', port, 'ledger_high') }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(timedOut(doc)).toEqual(['tls.chain']);
  });

  it('stalled TLS handshake', async () => {
    const { ms, doc } = await timedRun(await stalledListenerHome({ stallHandshake: true }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(timedOut(doc)).toEqual(['tls.chain']);
  });

  it('slow instance metadata service (instance principal auth)', async () => {
    const { ms, doc } = await timedRun(homeWith({ imdsUrl: `${silentUrl()}/opc/v2/` }), ['--auth', 'instance_principal']);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(timedOut(doc)).toEqual(['auth.mode']);
  });

  it('slow OCI endpoint (Identity never answers)', async () => {
    const { ms, doc } = await timedRun(homeWith({ endpoints: { identity: silentUrl() } }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(timedOut(doc)).toEqual(['identity.whoami']);
    expect(doc.checks.find((c) => c.id === 'identity.whoami')?.status).toBe('error');
  });
});

// Alone, after the others: its run goes the furthest (a TLS handshake, then the driver's connect) before its
// timeout starts; four runs beside it on a loaded machine pushed it past the bound, and so did going first
// (loading what the others have loaded by then).
describe(`a run ends within ${BOUND_MS} ms (2× --timeout ${STEP_TIMEOUT_S}) with a timeout finding`, () => {
  it('accept-and-stall after TLS (the listener reads CONNECT and never answers)', async () => {
    const { ms, doc } = await timedRun(await stalledListenerHome({ stallAfterAccept: true }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(timedOut(doc)).toEqual(['db.identity']);
  });
});
