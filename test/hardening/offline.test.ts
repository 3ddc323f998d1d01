// `--offline` makes no connection to any OCI service. The doctor runs with a
// complete setup (session profile, wallet-less connect string to a loopback
// listener, every service endpoint and the metadata service pointed at a
// simulator that logs each request) and every socket the process opens is
// recorded: none may reach the simulator or leave the loopback interface.
import { rmSync } from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/index.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startListener } from '../../src/sim/listener/index.js';
import { writeOciHome } from '../../src/sim/home.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { publicKeyToJwk } from '../../src/sim/tokens.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { writeSimulatedHome } from '../helpers/sim-home.js';
import type { JsonReport } from '../../src/core/report/json.js';

interface Destination {
  host?: string;
  port?: number;
  path?: string;
}

let sim: RunningSimulator;
let listener: Awaited<ReturnType<typeof startListener>>;
let home: string;
const destinations: Destination[] = [];
const originalConnect = net.Socket.prototype.connect;

/** Records where every socket of this process connects (TCP, TLS, HTTP: all go through Socket#connect). */
function guardSockets(): void {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect() hands over its normalized arguments as one array.
    const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
      const o = first as { host?: string; port?: number | string; path?: string };
      destinations.push({ host: o.host ?? 'localhost', port: o.port === undefined ? undefined : Number(o.port), path: o.path });
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      destinations.push({ host: typeof second === 'string' ? second : 'localhost', port: Number(first) });
    } else if (typeof first === 'string') destinations.push({ path: first });
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

const isLoopback = (host: string | undefined): boolean => host === undefined || host === 'localhost' || /^127\./.test(host) || host === '::1' || host === '[::1]';

beforeAll(async () => {
  const key = generateRsaKey();
  sim = await startSimulator(healthyTenancy(key.publicKeyPem));
  listener = await startListener({ services: ['ledger_high'] });
  home = tempDir('dbiam-doctor-offline-');
  writeSimulatedHome(home, { sim, listener, key, config: { walletSecretId: IDS.walletSecret } });
});
afterAll(async () => {
  await sim.close();
  await listener.close();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  destinations.length = 0;
  sim.ctx.log.length = 0;
  guardSockets();
});
afterEach(() => {
  net.Socket.prototype.connect = originalConnect;
});

type Doc = JsonReport;

async function doctor(argv: string[], env: Record<string, string> = {}): Promise<Doc> {
  const out = await runCli(['--format', 'json', ...argv], { env: { HOME: home, ...env }, cwd: home, system: fakeSystem({ homeDir: home }), now: () => new Date() });
  return JSON.parse(out.stdout) as Doc;
}

const toSim = (d: Destination): boolean => d.port === sim.port;

describe('--offline', () => {
  it('the socket guard sees the requests of an online run (self-test)', async () => {
    await doctor(['--only', 'profile,session,identity']);
    expect(sim.ctx.log.length).toBeGreaterThan(0);
    expect(destinations.some(toSim)).toBe(true);
  });

  it('a full run with a session profile makes no request to any OCI service and opens no socket to the simulator', async () => {
    const doc = await doctor(['--offline']);
    expect(doc.checks.length).toBeGreaterThan(10);
    // The checks that need OCI are skipped, not failed.
    expect(doc.checks.find((c) => c.id === 'identity.whoami')?.status).toBe('skip');
    expect(sim.ctx.log).toEqual([]);
    expect(destinations.filter(toSim)).toEqual([]);
    expect(destinations.filter((d) => !d.path && !isLoopback(d.host))).toEqual([]);
  });

  it('with instance principal auth it does not ask the metadata service either', async () => {
    await doctor(['--offline', '--auth', 'instance_principal']);
    expect(sim.ctx.log).toEqual([]);
    expect(destinations.filter(toSim)).toEqual([]);
    expect(destinations.filter((d) => !d.path && !isLoopback(d.host))).toEqual([]);
  });

  it('with no profile at all it does not probe the metadata service to guess the auth mode', async () => {
    const empty = tempDir('dbiam-doctor-offline-empty-');
    try {
      const out = await runCli(['--format', 'json', '--offline', '--imds-url', `${sim.url}/opc/v2/`], { env: { HOME: empty }, cwd: empty, system: fakeSystem({ homeDir: empty }), now: () => new Date() });
      const doc = JSON.parse(out.stdout) as { checks: { id: string; findings: { code: string; evidence: Record<string, string> }[] }[] };
      const none = doc.checks.find((c) => c.id === 'auth.mode')?.findings.find((f) => f.code === 'auth.mode-undetermined');
      expect(none?.evidence.instanceMetadata).toBe('not asked (--offline)');
      expect(sim.ctx.log).toEqual([]);
      expect(destinations.filter(toSim)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('with the real OCI endpoints (no overrides) it opens no socket off the loopback interface', async () => {
    const bare = tempDir('dbiam-doctor-offline-bare-');
    try {
      const now = Math.floor(Date.now() / 1000);
      const key = generateRsaKey();
      const token = sim.ctx.issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now - 60, exp: now + 3600, jwk: publicKeyToJwk(key.publicKeyPem) });
      writeOciHome(bare, [{ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: key.privateKeyPem, token }]);
      const out = await runCli(['--format', 'json', '--offline', '--adb-id', IDS.adb], { env: { HOME: bare }, cwd: bare, system: fakeSystem({ homeDir: bare }), now: () => new Date() });
      expect(JSON.parse(out.stdout)).toHaveProperty('checks');
      expect(destinations.filter((d) => !d.path && !isLoopback(d.host))).toEqual([]);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
