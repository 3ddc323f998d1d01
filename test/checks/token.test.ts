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
import { publicKeyToJwk } from '../../src/sim/tokens.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';

interface Doc {
  checks: { id: string; status: string; summary: string; findings: { code: string; severity: string; title: string; evidence: Record<string, string>; fix: { commands: string[] } }[] }[];
}

const key = generateRsaKey();
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function run(opts: { change?: (f: Fixture) => void; argv?: string[]; home?: string; format?: string } = {}) {
  const fixture = healthyTenancy(key.publicKeyPem);
  opts.change?.(fixture);
  sim = await startSimulator(fixture);
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
    sim = await startSimulator(fixture);
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
    sim = await startSimulator(healthyTenancy(key.publicKeyPem));
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
