// Issue 6's links: the database user name, the DB token (for each auth mode
// the simulator can sign for) and the cached ~/.oci/db-token.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { writeOciHome } from '../../src/sim/home.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { createTokenIssuer, publicKeyToJwk } from '../../src/sim/tokens.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { SERVER_KEY_BITS } from '../helpers/certs.js';
import type { JsonReport } from '../../src/core/report/json.js';

type Doc = JsonReport;

const key = generateRsaKey();
// One token service for every simulator this file starts: each would otherwise make its issuer a key of
// its own, and with about twenty of them the file ran past the run's key set into making keys on the spot.
const issuer = createTokenIssuer();
const startSim = (fixture: Fixture): Promise<RunningSimulator> => startSimulator(fixture, { issuer });
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function run(opts: { change?: (f: Fixture) => void; argv?: string[]; home?: string; format?: string } = {}) {
  const fixture = healthyTenancy(key.publicKeyPem);
  opts.change?.(fixture);
  sim = await startSim(fixture);
  const home = opts.home ?? tempDir();
  writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
  const endpoints = ['identity', 'dataplane', 'database'].flatMap((s) => ['--endpoint', `${s}=${sim!.url}`]);
  const out = await runCli(['--format', opts.format ?? 'json', '--only', 'profile,session,identity,dbuser,token', ...endpoints, ...(opts.argv ?? [])], { system: fakeSystem({ homeDir: home }), now: () => new Date() });
  return { out, doc: opts.format && opts.format !== 'json' ? undefined : (JSON.parse(out.stdout) as Doc), url: sim.url };
}

const problems = (doc: Doc | undefined) => (doc?.checks ?? []).flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code));
const check = (doc: Doc | undefined, id: string) => doc?.checks.find((c) => c.id === id);

describe('DB token', () => {
  it('is issued to an API-key user with the tenancy scope, claims shown, the token never', async () => {
    const { doc, out } = await run({ argv: ['--adb-id', IDS.adb] });
    expect(problems(doc)).toEqual([]);
    const issued = check(doc, 'token.db-token')?.findings.find((f) => f.code === 'token.issued');
    expect(issued?.evidence).toMatchObject({ subject: IDS.alice, scope: `urn:oracle:db::id::${IDS.tenancy}` });
    expect(issued?.evidence.token).toMatch(/^\d+ chars \(never shown\)$/);
    expect(out.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });

  it.each(['text', 'md'])('never shows the token in --format %s', async (format) => {
    const { out } = await run({ format });
    expect(out.stdout).toContain('DB token');
    expect(out.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });

  it('is issued for a session-token profile (which node-oracledb’s own plugin cannot do)', async () => {
    const fixture = healthyTenancy(key.publicKeyPem);
    sim = await startSim(fixture);
    const session = generateRsaKey();
    const now = Math.floor(Date.now() / 1000);
    const token = sim.ctx.issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now, exp: now + 3600, jwk: publicKeyToJwk(session.publicKeyPem) });
    const home = tempDir();
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: session.privateKeyPem, token }]);
    const out = await runCli(['--format', 'json', '--only', 'token', '--endpoint', `identity=${sim.url}`, '--endpoint', `dataplane=${sim.url}`], { system: fakeSystem({ homeDir: home }), now: () => new Date() });
    const doc = JSON.parse(out.stdout) as Doc;
    expect(check(doc, 'token.db-token')?.status).toBe('pass');
  });

  it('is issued to an instance principal', async () => {
    sim = await startSim(healthyTenancy(key.publicKeyPem));
    const url = sim.url;
    const out = await runCli(['--format', 'json', '--only', 'token', '--auth', 'instance_principal', '--imds-url', `${url}/opc/v2/`, ...['identity', 'dataplane', 'auth'].flatMap((s) => ['--endpoint', `${s}=${url}`])], { system: fakeSystem({ homeDir: tempDir() }), now: () => new Date() });
    const doc = JSON.parse(out.stdout) as Doc;
    expect(check(doc, 'token.db-token')?.summary).toMatch(new RegExp(`^issued for ${IDS.instance}`));
  });

  it('token.scope-malformed, locally and under --offline', async () => {
    const { doc } = await run({ argv: ['--scope', 'urn:oracle:db:id:*', '--offline'] });
    expect(problems(doc)).toEqual(['token.scope-malformed']);
  });

  it('token.scope-excludes-database names the narrow scope to use', async () => {
    const { doc } = await run({ argv: ['--adb-id', IDS.adb, '--scope', `urn:oracle:db::id::${IDS.prod}`] });
    expect(problems(doc)).toEqual(['token.scope-excludes-database']);
    expect(check(doc, 'token.db-token')?.findings[0]?.fix.commands[0]).toBe(`--scope urn:oracle:db::id::${IDS.finance}::${IDS.adb}`);
  });

  it('token.scope-excludes-database for --client jdbc and python: the narrow scope in that client\'s own parameter', async () => {
    const narrow = `urn:oracle:db::id::${IDS.finance}::${IDS.adb}`;
    const jdbc = await run({ argv: ['--adb-id', IDS.adb, '--scope', `urn:oracle:db::id::${IDS.prod}`, '--client', 'jdbc'] });
    expect(check(jdbc.doc, 'token.db-token')?.findings[0]?.fix.text).toContain(`oracle.jdbc.provider.accessToken.scope=${narrow}`);
    const py = await run({ argv: ['--adb-id', IDS.adb, '--scope', `urn:oracle:db::id::${IDS.prod}`, '--client', 'python'] });
    expect(check(py.doc, 'token.db-token')?.findings[0]?.fix.text).toContain(`"scope": "${narrow}"`);
  });

  it('token.request-denied for a well-formed scope naming an unknown compartment', async () => {
    const { doc } = await run({ argv: ['--scope', 'urn:oracle:db::id::ocid1.compartment.oc1..aaaaaaaanosuchcompartment000000000000000000000'] });
    expect(problems(doc)).toEqual(['token.request-denied']);
  });

  it('token.request-failed when the data plane cannot be reached', async () => {
    const { doc } = await run({ argv: ['--endpoint', 'dataplane=http://127.0.0.1:9'] });
    expect(problems(doc)).toEqual(['token.request-failed']);
  });
});

describe('cached DB token (~/.oci/db-token)', () => {
  function writeCache(home: string, exp: number, tokenKey: string, fileKey: string) {
    const dir = join(home, '.oci', 'db-token');
    mkdirSync(dir, { recursive: true });
    const now = Math.floor(Date.now() / 1000);
    const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: IDS.alice, exp: now + exp, jwk: publicKeyToJwk(tokenKey) })).toString('base64url')}.c2ln`;
    writeFileSync(join(dir, 'token'), jwt);
    writeFileSync(join(dir, 'oci_db_key.pem'), fileKey);
  }

  it('passes when fresh and matching, fails when expired or when the key differs (offline)', async () => {
    const pair = generateRsaKey();
    const ok = tempDir();
    writeCache(ok, 600, pair.publicKeyPem, pair.privateKeyPem);
    expect(problems((await run({ home: ok, argv: ['--offline'] })).doc)).toEqual([]);
    const expired = tempDir();
    writeCache(expired, -60, pair.publicKeyPem, pair.privateKeyPem);
    expect(problems((await run({ home: expired, argv: ['--offline'] })).doc)).toEqual(['token.cache-expired']);
    const mismatch = tempDir();
    writeCache(mismatch, 600, generateRsaKey().publicKeyPem, pair.privateKeyPem);
    expect(problems((await run({ home: mismatch, argv: ['--offline'] })).doc)).toEqual(['token.cache-key-mismatch']);
  });

  // Parameter names written by hand from python-oracledb's authentication guide, ojdbc-provider-oci's README
  // and the ADB / SQL*Plus IAM token docs (docs/sources.md: python-oci-tokens-plugin, ojdbc-provider-oci, jdbc-token-url, sqlplus-iam-token).
  it("an expired cached token: the fix is the chosen client's way to get a token", async () => {
    const pair = generateRsaKey();
    const expired = tempDir();
    writeCache(expired, -60, pair.publicKeyPem, pair.privateKeyPem);
    const fixFor = async (argv: string[]): Promise<string> => check((await run({ home: expired, argv: ['--offline', ...argv] })).doc, 'token.cache')!.findings[0]!.fix.text;
    expect(await fixFor([])).toBe('Fetch a new one before connecting (tokens last about an hour).');
    const py = await fixFor(['--client', 'python', '--auth', 'security_token', '--profile', 'SESSION']);
    expect(py).toContain('import oracledb.plugins.oci_tokens');
    expect(py).toContain('extra_auth_params={"auth_type": "SecurityToken", "profile": "SESSION"}');
    expect(py).toContain('the access_token parameter a 2-tuple (the token, its private key)');
    const ip = await fixFor(['--client', 'python', '--auth', 'instance_principal']);
    expect(ip).toContain('extra_auth_params={"auth_type": "InstancePrincipal"}');
    const jdbc = await fixFor(['--client', 'jdbc']);
    expect(jdbc).toContain('oracle.jdbc.provider.accessToken=ojdbc-provider-oci-token, oracle.jdbc.provider.accessToken.authenticationMethod=config-file');
    expect(jdbc).toContain('oracle.jdbc.tokenAuthentication=OCI_TOKEN');
    expect(jdbc).toContain('(SECURITY=(TOKEN_AUTH=OCI_TOKEN))');
    // The provider documents no session-token method: the OCI_TOKEN way is named instead.
    expect(await fixFor(['--client', 'jdbc', '--auth', 'security_token'])).toContain('the provider has no session-token method');
    const thick = await fixFor(['--client', 'sqlplus']);
    expect(thick).toContain("'oci iam db-token get'");
    expect(thick).toContain('TOKEN_AUTH=OCI_TOKEN in sqlnet.ora');
    expect(thick).toContain('sqlplus /@<alias>');
  });
});

describe('IAM database user name', () => {
  it('shows the Database Username when set', async () => {
    const { doc } = await run();
    expect(check(doc, 'dbuser.name')?.summary).toBe('alice (Database Username)');
  });

  it('dbuser.fallback-to-iam-name: a warning alone, a failure against --expect-db-user', async () => {
    const unset = (f: Fixture) => void delete f.users[0]!.dbUserName;
    const warn = await run({ change: unset });
    expect(problems(warn.doc)).toEqual(['dbuser.fallback-to-iam-name']);
    expect(check(warn.doc, 'dbuser.name')?.status).toBe('warn');
    const fail = await run({ change: unset, argv: ['--expect-db-user', 'alice'] });
    expect(check(fail.doc, 'dbuser.name')?.status).toBe('fail');
    expect(check(fail.doc, 'dbuser.name')?.findings[0]?.title).toBe("No Database Username: the database sees 'alice@example.com', not 'alice'");
  });

  it('dbuser.too-long and dbuser.invalid-characters', async () => {
    expect(problems((await run({ change: (f) => void (f.users[0]!.dbUserName = 'a'.repeat(129)) })).doc)).toEqual(['dbuser.too-long']);
    expect(problems((await run({ change: (f) => void (f.users[0]!.dbUserName = 'älice smith') })).doc)).toEqual(['dbuser.invalid-characters']);
  });

  it('dbuser.no-db-password is reported as information when DB credentials are off', async () => {
    const { doc } = await run({ change: (f) => void (f.users[0]!.canUseDbCredentials = false) });
    expect(problems(doc)).toEqual([]);
    expect(check(doc, 'dbuser.name')?.findings.map((f) => f.code)).toEqual(['dbuser.no-db-password']);
  });
});

describe('mapping expectations (--mapping)', () => {
  it('passes when the user is in the mapped group or the exclusive name matches', async () => {
    expect(problems((await run({ argv: ['--mapping', 'IAM_GROUP_NAME=dbusers'] })).doc)).toEqual([]);
    expect(problems((await run({ argv: ['--mapping', 'IAM_PRINCIPAL_NAME=ALICE'] })).doc)).toEqual([]);
    expect(check((await run({ argv: ['--mapping', `IAM_PRINCIPAL_OCID=${IDS.alice}`] })).doc, 'dbuser.mapping')?.status).toBe('pass');
  });

  it('dbuser.not-in-mapped-group names the groups the user is in', async () => {
    const { doc } = await run({ argv: ['--mapping', 'IAM_GROUP_NAME=Administrators'] });
    expect(problems(doc)).toEqual(['dbuser.not-in-mapped-group']);
    expect(check(doc, 'dbuser.mapping')?.findings[0]?.evidence['groups of this principal']).toBe('DBUsers');
  });

  it('dbuser.mapping-mismatch for an exclusive mapping written for the IAM name when a Database Username is set', async () => {
    const { doc } = await run({ argv: ['--mapping', 'IAM_PRINCIPAL_NAME=alice@example.com'] });
    expect(problems(doc)).toEqual(['dbuser.mapping-mismatch']);
    expect(check(doc, 'dbuser.mapping')?.findings[0]?.fix.commands[0]).toBe("CREATE USER <name> IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_NAME=alice';");
  });
});

describe('resource principal', () => {
  it('signs with its RPST and key: the DB token is issued to the resource', async () => {
    sim = await startSim(healthyTenancy(key.publicKeyPem));
    const rp = generateRsaKey();
    const now = Math.floor(Date.now() / 1000);
    const rpst = sim.ctx.issuer.issue({ sub: IDS.function, res_id: IDS.function, ptype: 'resource', tenant: IDS.tenancy, res_tenant: IDS.tenancy, res_compartment: IDS.finance, iat: now, exp: now + 900, jwk: publicKeyToJwk(rp.publicKeyPem) });
    const dir = tempDir();
    writeFileSync(join(dir, 'rp.pem'), rp.privateKeyPem);
    const env = { OCI_RESOURCE_PRINCIPAL_VERSION: '2.2', OCI_RESOURCE_PRINCIPAL_RPST: rpst, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: join(dir, 'rp.pem'), OCI_RESOURCE_PRINCIPAL_REGION: 'us-ashburn-1' };
    const out = await runCli(['--format', 'json', '--only', 'token', '--endpoint', `identity=${sim.url}`, '--endpoint', `dataplane=${sim.url}`], { env, system: fakeSystem({ homeDir: tempDir() }), now: () => new Date() });
    const doc = JSON.parse(out.stdout) as Doc;
    expect(check(doc, 'identity.whoami')?.summary).toBe(`resource ${IDS.function} in ${IDS.finance} (signed with its RPST)`);
    expect(check(doc, 'token.db-token')?.summary).toMatch(new RegExp(`^issued for ${IDS.function}`));
    expect(out.stdout).not.toContain(rpst.slice(0, 40));
  });
});

describe('OKE workload identity', () => {
  it('trades the service-account token at the proxymux (trusting the cluster CA) and gets a DB token', async () => {
    const { startProxymux } = await import('../../src/sim/proxymux.js');
    sim = await startSim(healthyTenancy(key.publicKeyPem));
    const mux = await startProxymux({ issuer: sim.ctx.issuer, tenancyId: IDS.tenancy, compartmentId: IDS.finance, bits: SERVER_KEY_BITS });
    try {
      const dir = tempDir();
      const now = Math.floor(Date.now() / 1000);
      const saToken = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:finance:reports', exp: now + 3600 })).toString('base64url')}.c2ln`;
      writeFileSync(join(dir, 'token'), saToken);
      writeFileSync(join(dir, 'ca.crt'), mux.caPem);
      const env = { KUBERNETES_SERVICE_HOST: mux.host, KUBERNETES_SERVICE_PORT_PROXYMUX: String(mux.port), OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH: join(dir, 'token'), OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH: join(dir, 'ca.crt'), OCI_RESOURCE_PRINCIPAL_REGION: 'us-ashburn-1' };
      const out = await runCli(['--format', 'json', '--only', 'token', '--auth', 'oke_workload_identity', '--endpoint', `dataplane=${sim.url}`], { env, system: fakeSystem({ homeDir: tempDir() }), now: () => new Date() });
      const doc = JSON.parse(out.stdout) as Doc;
      expect(check(doc, 'identity.whoami')?.summary).toBe('workload ocid1.workload.oc1..finance-reports (token from the proxymux)');
      expect(check(doc, 'token.db-token')?.summary).toMatch(/^issued for ocid1\.workload\.oc1\.\.finance-reports/);
      // Without the cluster CA the proxymux certificate is not trusted.
      const noCa = await runCli(['--format', 'json', '--only', 'identity', '--auth', 'oke_workload_identity'], { env: { ...env, OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH: join(dir, 'missing.crt') }, system: fakeSystem({ homeDir: tempDir() }), now: () => new Date() });
      expect(JSON.parse(noCa.stdout).checks.find((c: { id: string }) => c.id === 'identity.whoami').findings[0].code).toBe('identity.oke-exchange-failed');
    } finally {
      await mux.close();
    }
  });

  it('a basic cluster: the proxymux answers 403 and the finding says workload identity needs an enhanced cluster', async () => {
    const { startProxymux } = await import('../../src/sim/proxymux.js');
    sim = await startSim(healthyTenancy(key.publicKeyPem));
    const mux = await startProxymux({ issuer: sim.ctx.issuer, tenancyId: IDS.tenancy, compartmentId: IDS.finance, bits: SERVER_KEY_BITS, basicCluster: true });
    try {
      const dir = tempDir();
      const now = Math.floor(Date.now() / 1000);
      const saToken = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:finance:reports', exp: now + 3600 })).toString('base64url')}.c2ln`;
      writeFileSync(join(dir, 'token'), saToken);
      writeFileSync(join(dir, 'ca.crt'), mux.caPem);
      const env = { KUBERNETES_SERVICE_HOST: mux.host, KUBERNETES_SERVICE_PORT_PROXYMUX: String(mux.port), OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH: join(dir, 'token'), OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH: join(dir, 'ca.crt'), OCI_RESOURCE_PRINCIPAL_REGION: 'us-ashburn-1' };
      const out = await runCli(['--format', 'json', '--only', 'identity', '--auth', 'oke_workload_identity'], { env, system: fakeSystem({ homeDir: tempDir() }), now: () => new Date() });
      const f = JSON.parse(out.stdout).checks.find((c: { id: string }) => c.id === 'identity.whoami').findings[0];
      expect(f.code).toBe('identity.oke-exchange-failed');
      expect(f.title).toBe('The proxymux did not issue a token: proxymux answered HTTP 403');
      expect(f.detail).toMatch(/enhanced clusters/);
    } finally {
      await mux.close();
    }
  });
});
