// An instance-principal run that finds its region and realm the way it
// would on a real instance: no --endpoint override at all. The metadata URL
// (--imds-url) points at the simulator on loopback; every other request goes
// through the simulator's HTTPS proxy (HTTPS_PROXY), which sees the host
// names the SDK derives and answers them with certificates from a CA made
// here and trusted through NODE_EXTRA_CA_CERTS. The doctor runs as its own
// process (NODE_EXTRA_CA_CERTS is read at start), under the loopback guard:
// a DNS lookup of a real name or a packet to a real address fails the test.
//
// Expected hosts are written by hand from Oracle's region pages and the
// SDK's endpoint templates (docs/sources.md, "Realms"), never computed.
//
// The tests run concurrently: each run has its own simulator, proxy and home,
// and two of them spend seconds idle in the SDK's own federation retries.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/core/report/json.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { startSimulator } from '../../src/sim/index.js';
import { makeChain, type CertAndKey } from '../../src/sim/pki.js';
import { startServiceProxy } from '../../src/sim/http/service-proxy.js';
import { writeOciHome } from '../../src/sim/home.js';
import { generateRsaKey, healthyTenancy, IDS, type GeneratedKey } from '../../src/sim/tenancy.js';
import { createTokenIssuer, publicKeyToJwk, type TokenIssuer } from '../../src/sim/tokens.js';
import { SERVER_KEY_BITS } from '../helpers/certs.js';
import { ensureBuilt } from '../e2e/pty-harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let ca: { root: CertAndKey; intermediate: CertAndKey };
let caFile: string;
let apiKeyPublicPem: string;
let sessionKey: GeneratedKey;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'dbiam-realms-'));
  const chain = makeChain({ bits: SERVER_KEY_BITS, rootCommonName: 'dbiam-doctor test realm root' });
  ca = { root: chain.root, intermediate: chain.intermediate };
  caFile = join(work, 'test-ca.pem');
  writeFileSync(caFile, chain.root.certPem);
  apiKeyPublicPem = generateRsaKey().publicKeyPem;
  sessionKey = generateRsaKey();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Realm {
  key: string;
  domain: string;
  /** The region's three-letter key, as OCIDs carry it. */
  code: string;
}

/** The healthy tenancy moved to another region and realm: its OCIDs, regions and host names rewritten as they would be there. */
function tenancyIn(region: string, realm: Realm): { fixture: Fixture; adbId: string } {
  const move = (s: string): string =>
    s.replaceAll('.oc1.', `.${realm.key}.`).replaceAll('.iad.', `.${realm.code}.`).replaceAll('us-ashburn-1', region).replaceAll('.oraclecloud.com', `.${realm.domain}`);
  const fixture = JSON.parse(move(JSON.stringify(healthyTenancy(apiKeyPublicPem)))) as Fixture;
  return { fixture, adbId: move(IDS.adb) };
}

interface Run {
  report: JsonReport;
  stderr: string;
  connects: string[];
  code: number | null;
}

/** The doctor as a user on the instance runs it: `--auth instance_principal`, the metadata URL, nothing else pointing anywhere. */
async function runOnInstance(fixture: Fixture, adbId: string, opts: { env?: Record<string, string>; proxyDomains?: string[]; home?: (home: string) => void } = {}): Promise<Run> {
  return runDoctor(fixture, (sim) => ['--auth', 'instance_principal', '--imds-url', `${sim.url}/opc/v2/`, '--adb-id', adbId, '--only', 'auth.mode,identity,policy,token'], opts);
}

/** The doctor as its own process, with HTTPS_PROXY at the simulator's proxy and the test CA trusted; `home` holds ~/.oci. */
async function runDoctor(fixture: Fixture, argsFor: (sim: { url: string }) => string[], opts: { env?: Record<string, string>; proxyDomains?: string[]; home?: (home: string) => void; issuer?: TokenIssuer } = {}): Promise<Run> {
  const sim = await startSimulator(fixture, opts.issuer ? { issuer: opts.issuer } : {});
  const proxy = await startServiceProxy({ targetPort: sim.port, ca, bits: SERVER_KEY_BITS, ...(opts.proxyDomains ? { domains: opts.proxyDomains } : {}) });
  const home = mkdtempSync(join(work, 'home-'));
  mkdirSync(join(home, '.oci'));
  opts.home?.(home);
  try {
    // The built CLI, as users run it (and without compiling the sources in every child).
    const args = [join(ROOT, 'dist/cli.js'), 'doctor', ...argsFor(sim), '--format', 'json'];
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      HTTPS_PROXY: proxy.url,
      // As on a real instance behind a proxy: the metadata service is reached directly.
      NO_PROXY: '127.0.0.1,localhost',
      NODE_EXTRA_CA_CERTS: caFile,
      ...opts.env,
    };
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
      child.on('close', (c) => (clearTimeout(timer), resolve(c)));
    });
    let report: JsonReport;
    try {
      report = JSON.parse(stdout) as JsonReport;
    } catch {
      throw new Error(`the doctor wrote no JSON report (exit ${code}):\n${stdout.slice(0, 2000)}\n${stderr.slice(0, 2000)}`);
    }
    return { report, stderr, connects: [...proxy.connects], code };
  } finally {
    await proxy.close();
    await sim.close();
  }
}

const check = (run: Run, id: string) => {
  const c = run.report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} in the report: ${run.report.checks.map((x) => x.id).join(', ')}`);
  return c;
};

describe.concurrent('instance principal: region and realm from the metadata service, through a proxy', () => {
  // region, realm, and the only hosts the doctor may ask the proxy for there (port 443).
  it.each([
    ['us-ashburn-1', { key: 'oc1', domain: 'oraclecloud.com', code: 'iad' }, ['auth.us-ashburn-1.oraclecloud.com', 'identity.us-ashburn-1.oci.oraclecloud.com', 'database.us-ashburn-1.oraclecloud.com']],
    ['us-langley-1', { key: 'oc2', domain: 'oraclegovcloud.com', code: 'lfi' }, ['auth.us-langley-1.oraclegovcloud.com', 'identity.us-langley-1.oci.oraclegovcloud.com', 'database.us-langley-1.oraclegovcloud.com']],
    ['us-gov-ashburn-1', { key: 'oc3', domain: 'oraclegovcloud.com', code: 'ric' }, ['auth.us-gov-ashburn-1.oraclegovcloud.com', 'identity.us-gov-ashburn-1.oci.oraclegovcloud.com', 'database.us-gov-ashburn-1.oraclegovcloud.com']],
    ['uk-gov-london-1', { key: 'oc4', domain: 'oraclegovcloud.uk', code: 'ltn' }, ['auth.uk-gov-london-1.oraclegovcloud.uk', 'identity.uk-gov-london-1.oci.oraclegovcloud.uk', 'database.uk-gov-london-1.oraclegovcloud.uk']],
  ] as const)('%s (%o): federates at the realm\'s auth host and reads Identity there', async (region, realm, hosts) => {
    const { fixture, adbId } = tenancyIn(region, realm);
    const run = await runOnInstance(fixture, adbId);
    const whoami = check(run, 'identity.whoami');
    expect(whoami.status, JSON.stringify(whoami.findings)).toBe('pass');
    expect(whoami.summary).toContain(`ocid1.instance.${realm.key}.${realm.code}.`);
    expect(check(run, 'token.db-token').status).toBe('pass');
    // Every tunnel was to one of the realm's hosts on 443, and the two the run cannot do without were asked for.
    const allowed = hosts.map((h) => `${h}:443`);
    expect(run.connects.length).toBeGreaterThan(0);
    for (const target of run.connects) expect(allowed).toContain(target);
    expect(run.connects).toContain(`auth.${region}.${realm.domain}:443`);
    expect(run.connects).toContain(`identity.${region}.oci.${realm.domain}:443`);
    // Nothing on stderr behind the proxy either: no Node warning from the HTTP client (undici's UNDICI-EHPA) where the screen draws.
    expect(run.stderr).toBe('');
  });
});

describe.concurrent('the loopback guard watches these runs', () => {
  it('without the proxy, the doctor\'s first move is a DNS lookup of the realm\'s auth host, and the guard blocks and reports it', async () => {
    const { fixture, adbId } = tenancyIn('us-langley-1', { key: 'oc2', domain: 'oraclegovcloud.com', code: 'lfi' });
    // The child reports what the guard blocked to a log of its own, so the suite's after-each check (which reads
    // the worker's log, shared by the tests running beside this one) does not fail a test for the leak provoked here.
    const blockedLog = join(work, 'guard-blocked.log');
    const run = await runOnInstance(fixture, adbId, { env: { HTTPS_PROXY: '', DBIAM_LOOPBACK_GUARD_LOG: blockedLog } });
    expect(check(run, 'identity.whoami').status).toBe('fail');
    const blocked = existsSync(blockedLog) ? readFileSync(blockedLog, 'utf8').split('\n').filter(Boolean) : [];
    expect(blocked.some((line) => line.includes('auth.us-langley-1.oraclegovcloud.com'))).toBe(true);
    expect(run.connects).toEqual([]);
  });
});

describe.concurrent('instance principal in a region the installed SDK does not know', () => {
  // A hypothetical new region of the EU Sovereign Cloud realm (oc19, oraclecloud.eu): oci-common 2.139.1 lists
  // that realm but not this region. Its metadata, as the metadata service gives it and as OCI_REGION_METADATA takes it.
  const REGION_METADATA = '{"realmKey":"oc19","realmDomainComponent":"oraclecloud.eu","regionKey":"NCY","regionIdentifier":"eu-newcity-1"}';
  const inNewRegion = (): { fixture: Fixture; adbId: string } => {
    const moved = tenancyIn('eu-newcity-1', { key: 'oc19', domain: 'oraclecloud.eu', code: 'ncy' });
    for (const i of moved.fixture.instances) Object.assign(i, { realm: { key: 'oc19', domain: 'oraclecloud.eu' }, regionKey: 'NCY' });
    return moved;
  };

  it('stops before any request, and the fix hands the SDK the region metadata the instance reports', async () => {
    const { fixture, adbId } = inNewRegion();
    const run = await runOnInstance(fixture, adbId, { proxyDomains: ['oraclecloud.eu'] });
    const whoami = check(run, 'identity.whoami');
    expect(whoami.status).toBe('fail');
    const finding = whoami.findings[0];
    expect(finding?.code).toBe('identity.principal-federation-failed');
    expect(finding?.title).toContain('eu-newcity-1');
    expect(finding?.fix.commands).toEqual([`export OCI_REGION_METADATA='${REGION_METADATA}'`]);
    expect(finding?.evidence?.regionInfo).toBe('eu-newcity-1 (NCY) in realm oc19, domain oraclecloud.eu');
    // No auth host was derived, so nothing was asked of the proxy.
    expect(run.connects).toEqual([]);
  });

  it('with OCI_REGION_METADATA set, federates at the new region\'s auth host in its realm\'s domain', async () => {
    const { fixture, adbId } = inNewRegion();
    const run = await runOnInstance(fixture, adbId, { proxyDomains: ['oraclecloud.eu'], env: { OCI_REGION_METADATA: REGION_METADATA } });
    const whoami = check(run, 'identity.whoami');
    expect(whoami.status, JSON.stringify(whoami.findings)).toBe('pass');
    expect(check(run, 'token.db-token').status).toBe('pass');
    const allowed = ['auth.eu-newcity-1.oraclecloud.eu:443', 'identity.eu-newcity-1.oci.oraclecloud.eu:443', 'database.eu-newcity-1.oraclecloud.eu:443'];
    for (const target of run.connects) expect(allowed).toContain(target);
    expect(run.connects).toContain('auth.eu-newcity-1.oraclecloud.eu:443');
  });

  it('with the region in ~/.oci/regions-config.json instead, the same', async () => {
    const { fixture, adbId } = inNewRegion();
    const run = await runOnInstance(fixture, adbId, { proxyDomains: ['oraclecloud.eu'], home: (home) => writeFileSync(join(home, '.oci', 'regions-config.json'), `[${REGION_METADATA}]\n`) });
    expect(check(run, 'identity.whoami').status, JSON.stringify(check(run, 'identity.whoami').findings)).toBe('pass');
    expect(run.connects).toContain('auth.eu-newcity-1.oraclecloud.eu:443');
    for (const target of run.connects) expect(target).toMatch(/^[a-z.-]+\.eu-newcity-1\.(oci\.)?oraclecloud\.eu:443$/);
  });

  it('names the auth host it federated at in a government realm (evidence, not a pattern)', async () => {
    const { fixture, adbId } = tenancyIn('us-langley-1', { key: 'oc2', domain: 'oraclegovcloud.com', code: 'lfi' });
    // The proxy refuses every host, so federation fails after the SDK derived the endpoint.
    const run = await runOnInstance(fixture, adbId, { proxyDomains: ['invalid.example'] });
    const whoami = check(run, 'identity.whoami');
    expect(whoami.status).toBe('fail');
    expect(whoami.findings[0]?.evidence?.request).toContain('POST https://auth.us-langley-1.oraclegovcloud.com/v1/x509');
    expect(run.connects[0]).toBe('auth.us-langley-1.oraclegovcloud.com:443');
  });
});

describe.concurrent('a session profile in a government realm, no endpoint override', () => {
  const realm = { key: 'oc2', domain: 'oraclegovcloud.com', code: 'lfi' };
  /** A session token for alice, as `oci session authenticate` leaves it, signed by `issuer`. */
  const sessionToken = (issuer: TokenIssuer, tenancyId: string, userId: string): string => {
    const now = Math.floor(Date.now() / 1000);
    return issuer.issue({ sub: userId, ptype: 'user', tenant: tenancyId, sess_exp: now + 86400, iat: now - 60, exp: now + 3600, jwk: publicKeyToJwk(sessionKey.publicKeyPem) });
  };
  const run = async (tokenIssuer: (simIssuer: TokenIssuer) => TokenIssuer): Promise<Run> => {
    const { fixture } = tenancyIn('us-langley-1', realm);
    const issuer = createTokenIssuer();
    const token = sessionToken(tokenIssuer(issuer), fixture.tenancy.id, fixture.users[0]?.id ?? '');
    return runDoctor(fixture, () => ['--only', 'profile,session,identity'], {
      issuer,
      home: (home) => writeOciHome(home, [{ name: 'DEFAULT', mode: 'security_token', tenancy: fixture.tenancy.id, region: 'us-langley-1', privateKeyPem: sessionKey.privateKeyPem, token }]),
    });
  };

  it('reads the user at the realm\'s Identity host', async () => {
    const r = await run((simIssuer) => simIssuer);
    expect(check(r, 'identity.whoami').status, JSON.stringify(check(r, 'identity.whoami').findings)).toBe('pass');
    expect(r.connects).toEqual(['identity.us-langley-1.oci.oraclegovcloud.com:443']);
  });

  it('a session Identity refuses: the evidence names the realm\'s host and the fix logs in to the region', async () => {
    // Signed by another issuer: the service answers its generic 401.
    const r = await run(() => createTokenIssuer());
    const whoami = check(r, 'identity.whoami');
    expect(whoami.findings[0]?.code).toBe('identity.not-authenticated');
    expect(whoami.findings[0]?.evidence?.endpoint).toBe('https://identity.us-langley-1.oci.oraclegovcloud.com');
    expect(whoami.findings[0]?.fix.commands).toEqual(['oci session authenticate --profile-name DEFAULT --region us-langley-1']);
  });
});
