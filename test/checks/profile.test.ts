// Issue 4's chain links, run through the real doctor command against real
// files, real keys, real JWTs and the simulated Identity service.
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import { identityRoutes } from '../../src/sim/http/identity.js';
import { startHttpSimulator, type RunningSimulator } from '../../src/sim/http/server.js';
import { writeOciHome, type ProfileSpec } from '../../src/sim/home.js';
import { generateRsaKey, healthyTenancy, IDS, type GeneratedKey } from '../../src/sim/tenancy.js';
import { publicKeyToJwk } from '../../src/sim/tokens.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import type { JsonReport } from '../../src/core/report/json.js';

let sim: RunningSimulator;
let key: GeneratedKey;
let clockOffsetMs = 0;

beforeAll(async () => {
  key = generateRsaKey();
  sim = await startHttpSimulator(healthyTenancy(key.publicKeyPem), identityRoutes(), { now: () => new Date(Date.now() + clockOffsetMs), authorize: () => true });
});
afterAll(() => sim.close());

type Doc = JsonReport;

function apiProfile(overrides: Partial<ProfileSpec> = {}): ProfileSpec {
  return { name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem, ...overrides };
}

function sessionToken(publicKeyPem: string, expSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  return sim.ctx.issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now - 60, exp: now + expSeconds, jwk: publicKeyToJwk(publicKeyPem) });
}

async function doctor(profiles: ProfileSpec[] | undefined, argv: string[] = [], env: Record<string, string> = {}, home = tempDir()): Promise<{ doc: Doc; codes: string[]; home: string }> {
  if (profiles) writeOciHome(home, profiles);
  // Only the links issue 4 is about; later links have their own tests.
  const only = argv.includes('--only') ? [] : ['--only', 'profile,session,identity'];
  const out = await runCli(['--format', 'json', ...only, '--endpoint', `identity=${sim.url}`, ...argv], { env, system: fakeSystem({ homeDir: home }), now: () => new Date() });
  const doc = JSON.parse(out.stdout) as Doc;
  return { doc, codes: doc.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code)), home };
}

const status = (doc: Doc, id: string) => doc.checks.find((c) => c.id === id)?.status;

describe('a healthy api_key profile', () => {
  it('passes every link and names the user, with the effective values as evidence', async () => {
    const { doc, codes } = await doctor([apiProfile()]);
    expect(codes).toEqual([]);
    expect(doc.checks.map((c) => [c.id, c.status])).toEqual([
      ['auth.mode', 'pass'], ['profile.config', 'pass'], ['profile.key', 'pass'], ['session.token', 'skip'], ['session.principal-token', 'skip'], ['identity.whoami', 'pass'],
    ]);
    expect(doc.checks.find((c) => c.id === 'identity.whoami')?.summary).toBe('alice@example.com (Database Username alice)');
    const effective = doc.checks.find((c) => c.id === 'profile.config')?.findings.find((f) => f.code === 'config.effective-values');
    expect(effective?.evidence.region).toMatch(/^us-ashburn-1 {2}← .*\.oci\/config:\d+$/);
  });

  it('inherits missing keys from [DEFAULT] and says so', async () => {
    const { doc } = await doctor([apiProfile(), apiProfile({ name: 'PROD', extra: { tenancy: undefined, region: undefined } })], ['--profile', 'PROD']);
    expect(status(doc, 'identity.whoami')).toBe('pass');
    const effective = doc.checks.find((c) => c.id === 'profile.config')?.findings[0];
    expect(effective?.evidence.tenancy).toMatch(/inherited from \[DEFAULT\]/);
  });

  it('takes the profile from oci_cli_rc default_profile when no flag or env names one', async () => {
    const home = tempDir();
    writeOciHome(home, [apiProfile({ name: 'TEAM' })]);
    writeFileSync(join(home, '.oci', 'oci_cli_rc'), '[OCI_CLI_SETTINGS]\ndefault_profile = TEAM\n');
    const { doc } = await doctor(undefined, [], {}, home);
    expect(status(doc, 'identity.whoami')).toBe('pass');
  });
});

describe('config codes', () => {
  it('config.file-missing, with the setup command', async () => {
    const { codes, doc } = await doctor(undefined, ['--auth', 'api_key']);
    expect(codes).toContain('config.file-missing');
    expect(doc.checks.find((c) => c.id === 'profile.config')?.findings[0]?.fix.commands).toEqual(['oci setup config']);
  });

  it('config.parse-error names the line', async () => {
    const home = tempDir();
    const { configFile } = writeOciHome(home, [apiProfile()]);
    writeFileSync(configFile, `this line is junk\n${(await import('node:fs')).readFileSync(configFile, 'utf8')}`);
    const { doc, codes } = await doctor(undefined, [], {}, home);
    expect(codes).toContain('config.parse-error');
    expect(doc.checks.find((c) => c.id === 'profile.config')?.findings.find((f) => f.code === 'config.parse-error')?.evidence).toHaveProperty('line 1');
  });

  it('config.profile-missing lists the profiles the file has, not "no credentials found" (issue 15)', async () => {
    const { doc, codes } = await doctor([apiProfile(), apiProfile({ name: 'TEAM' })], ['--profile', 'PROD']);
    expect(codes).toContain('config.profile-missing');
    expect(codes).not.toContain('auth.mode-undetermined');
    const finding = doc.checks.find((c) => c.id === 'profile.config')?.findings.find((f) => f.code === 'config.profile-missing');
    expect(finding?.title).toMatch(/\[PROD\]/);
    expect(finding?.evidence.profilesInFile).toBe('DEFAULT, TEAM');
    const explicit = await doctor([apiProfile()], ['--profile', 'NOPE', '--auth', 'api_key']);
    expect(explicit.codes).toContain('config.profile-missing');
  });

  it('an explicit --config-file or OCI_CLI_CONFIG_FILE that does not exist is config.file-missing, naming it', async () => {
    const home = tempDir();
    const flag = await doctor(undefined, ['--config-file', join(home, 'nowhere', 'config')], {}, home);
    expect(flag.codes).toContain('config.file-missing');
    expect(flag.codes).not.toContain('auth.mode-undetermined');
    expect(flag.doc.checks.find((c) => c.id === 'profile.config')?.findings[0]?.title).toContain(join(home, 'nowhere', 'config'));
    const env = await doctor(undefined, [], { OCI_CLI_CONFIG_FILE: join(home, 'missing-config') }, home);
    expect(env.codes).toContain('config.file-missing');
    expect(env.codes).not.toContain('auth.mode-undetermined');
  });

  it('with nothing chosen and nothing found, it is still "no OCI credentials found"', async () => {
    const { codes } = await doctor(undefined, ['--offline']);
    expect(codes).toContain('auth.mode-undetermined');
    expect(codes).not.toContain('config.file-missing');
  });

  it('a --scope is checked even when no credentials were found', async () => {
    const out = await runCli(['--format', 'json', '--only', 'profile,token', '--offline', '--scope', 'urn:oracle:db:id:*'], { system: fakeSystem({ homeDir: tempDir() }), now: () => new Date() });
    const doc = JSON.parse(out.stdout) as Doc;
    const codes = doc.checks.flatMap((c) => c.findings.map((f) => f.code));
    expect(codes).toContain('auth.mode-undetermined');
    expect(codes).toContain('token.scope-malformed');
  });

  it('config.field-missing, config.ocid-malformed, config.region-unknown', async () => {
    expect((await doctor([apiProfile({ extra: { fingerprint: undefined, user: undefined } })])).codes).toContain('config.field-missing');
    expect((await doctor([apiProfile({ user: 'ocid1.group.oc1..aaaaaaaaexamplexexamplexexample' })])).codes).toContain('config.ocid-malformed');
    expect((await doctor([apiProfile({ region: 'mars-olympus-1' })])).codes).toContain('config.region-unknown');
  });

  it('config.sdk-reads-other-file when ~/.oci/config exists but the CLI is pointed elsewhere', async () => {
    const home = tempDir();
    writeOciHome(home, [apiProfile()]);
    const other = join(home, 'other-config');
    writeFileSync(other, `[DEFAULT]\nuser=${IDS.alice}\nfingerprint=${apiKeyFingerprint(key.publicKeyPem)}\nkey_file=${join(home, '.oci', 'default_api_key.pem')}\ntenancy=${IDS.tenancy}\nregion=us-ashburn-1\n`);
    const { codes } = await doctor(undefined, [], { OCI_CLI_CONFIG_FILE: other, OCI_CONFIG_FILE: other }, home);
    expect(codes).toEqual(['config.sdk-reads-other-file']);
  });
});

describe('key codes', () => {
  it('key.file-missing and key.unreadable', async () => {
    expect((await doctor([apiProfile({ extra: { key_file: '/nonexistent/key.pem' } })])).codes).toContain('key.file-missing');
    expect((await doctor([apiProfile({ privateKeyPem: 'not a key at all' })])).codes).toContain('key.unreadable');
  });

  it.skipIf(process.platform === 'win32')('key.permissions-open with the chmod to run', async () => {
    const home = tempDir();
    const written = writeOciHome(home, [apiProfile()]);
    chmodSync(written.profiles.DEFAULT!.keyFile, 0o644);
    const { doc, codes } = await doctor(undefined, [], {}, home);
    expect(codes).toEqual(['key.permissions-open']);
    expect(doc.checks.find((c) => c.id === 'profile.key')?.findings[0]?.fix.commands[0]).toMatch(/^chmod 600 /);
  });

  it('key.passphrase-missing and key.passphrase-wrong for encrypted PKCS#8 and PKCS#1 keys; the right one passes', async () => {
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const enc = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type, format: 'pem', cipher: 'aes-256-cbc', passphrase: 'CANARY-right-phrase' } });
      const fp = apiKeyFingerprint(enc.publicKey);
      expect((await doctor([apiProfile({ privateKeyPem: enc.privateKey, fingerprint: fp })])).codes).toContain('key.passphrase-missing');
      expect((await doctor([apiProfile({ privateKeyPem: enc.privateKey, fingerprint: fp, passphrase: 'wrong' })])).codes).toContain('key.passphrase-wrong');
      const ok = await doctor([apiProfile({ privateKeyPem: enc.privateKey, fingerprint: fp, passphrase: 'CANARY-right-phrase' })]);
      expect(status(ok.doc, 'profile.key')).toBe('pass');
      expect(JSON.stringify(ok.doc)).not.toContain('CANARY-right');
    }
  });

  it('key.too-weak for RSA 1024 and for an EC key; RSA 4096 passes', async () => {
    const weak = generateRsaKey(1024);
    expect((await doctor([apiProfile({ privateKeyPem: weak.privateKeyPem, fingerprint: apiKeyFingerprint(weak.publicKeyPem) })])).codes).toContain('key.too-weak');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'sec1', format: 'pem' } });
    expect((await doctor([apiProfile({ privateKeyPem: ec.privateKey, fingerprint: apiKeyFingerprint(ec.publicKey) })])).codes).toContain('key.too-weak');
    const big = generateRsaKey(4096);
    const ok = await doctor([apiProfile({ privateKeyPem: big.privateKeyPem, fingerprint: apiKeyFingerprint(big.publicKeyPem) })]);
    expect(status(ok.doc, 'profile.key')).toBe('pass');
  });

  it('key.fingerprint-mismatch gives the right fingerprint', async () => {
    const { doc, codes } = await doctor([apiProfile({ fingerprint: '11:22:33:44:55:66:77:88:99:00:aa:bb:cc:dd:ee:ff' })]);
    expect(codes).toEqual(['key.fingerprint-mismatch']);
    expect(doc.checks.find((c) => c.id === 'profile.key')?.findings[0]?.evidence['fingerprint of key_file']).toBe(apiKeyFingerprint(key.publicKeyPem));
  });
});

describe('auth mode codes', () => {
  it('auth.mode-conflict: OCI_CLI_AUTH=api_key with a session profile', async () => {
    const session = generateRsaKey();
    const { codes } = await doctor([{ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: session.privateKeyPem, token: sessionToken(session.publicKeyPem, 3600) }], [], { OCI_CLI_AUTH: 'api_key' });
    expect(codes).toContain('auth.mode-conflict');
  });

  it('auth.imds-unreachable when instance_principal is asked for off an instance (bounded wait)', async () => {
    const started = Date.now();
    const { codes } = await doctor(undefined, ['--auth', 'instance_principal', '--imds-url', 'http://127.0.0.1:9/opc/v2/']);
    expect(codes).toContain('auth.imds-unreachable');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('auth.resource-principal-incomplete and auth.oke-workload-incomplete name what is missing', async () => {
    expect((await doctor(undefined, [], { OCI_RESOURCE_PRINCIPAL_VERSION: '2.2' })).codes).toEqual(['auth.resource-principal-incomplete']);
    expect((await doctor(undefined, ['--auth', 'oke_workload_identity'], { KUBERNETES_SERVICE_HOST: '10.0.0.1' })).codes).toEqual(['auth.oke-workload-incomplete']);
  });
});

describe('session token codes', () => {
  const session = () => generateRsaKey();
  const profile = (k: GeneratedKey, token: string | undefined, extra?: ProfileSpec['extra']): ProfileSpec => ({ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: k.privateKeyPem, token, extra });

  it('a valid session passes and who-am-I signs with ST$', async () => {
    const k = session();
    const { doc, codes } = await doctor([profile(k, sessionToken(k.publicKeyPem, 3600))]);
    expect(codes).toEqual([]);
    expect(doc.checks.find((c) => c.id === 'session.token')?.summary).toMatch(/^expires in (59|60) min$/);
    expect(status(doc, 'identity.whoami')).toBe('pass');
  });

  it('session.token-missing and session.token-malformed', async () => {
    const k = session();
    expect((await doctor([profile(k, '')])).codes).toContain('session.token-missing');
    expect((await doctor([profile(k, 'not.a-jwt')])).codes).toContain('session.token-malformed');
  });

  it('session.token-expired gives the exact re-login command', async () => {
    const k = session();
    const { doc, codes } = await doctor([profile(k, sessionToken(k.publicKeyPem, -600))]);
    expect(codes).toEqual(['session.token-expired']);
    expect(doc.checks.find((c) => c.id === 'session.token')?.findings[0]?.fix.commands).toEqual(['oci session authenticate --profile-name DEFAULT --region us-ashburn-1']);
  });

  it('session.token-expiring suggests a refresh', async () => {
    const k = session();
    const { doc, codes } = await doctor([profile(k, sessionToken(k.publicKeyPem, 300))]);
    expect(codes).toEqual(['session.token-expiring']);
    expect(doc.checks.find((c) => c.id === 'session.token')?.findings[0]?.fix.commands).toEqual(['oci session refresh --profile DEFAULT']);
  });

  it('session.key-mismatch when the token was issued for another key', async () => {
    const k = session();
    expect((await doctor([profile(k, sessionToken(session().publicKeyPem, 3600))])).codes).toContain('session.key-mismatch');
  });
});

describe('who am I through the simulator', () => {
  it('identity.not-authenticated for a key that was never uploaded, with the upload command', async () => {
    const other = generateRsaKey();
    const { doc, codes } = await doctor([apiProfile({ privateKeyPem: other.privateKeyPem, fingerprint: apiKeyFingerprint(other.publicKeyPem) })]);
    expect(codes).toEqual(['identity.not-authenticated']);
    expect(doc.checks.find((c) => c.id === 'identity.whoami')?.findings[0]?.fix.commands[0]).toMatch(/^oci iam user api-key upload --user-id ocid1\.user\./);
  });

  it('identity.clock-skew when the server clock is 10 minutes away', async () => {
    clockOffsetMs = 10 * 60 * 1000;
    try {
      const { doc, codes } = await doctor([apiProfile()]);
      expect(codes).toEqual(['identity.clock-skew']);
      expect(doc.checks.find((c) => c.id === 'identity.whoami')?.findings[0]?.evidence['local clock']).toMatch(/behind/);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('identity.not-found when the session subject is not a user of this tenancy', async () => {
    const k = generateRsaKey();
    const now = Math.floor(Date.now() / 1000);
    const token = sim.ctx.issuer.issue({ sub: 'ocid1.user.oc1..aaaaaaaaotherrealmuser00000000000000000000000000000000000', ptype: 'user', tenant: IDS.tenancy, iat: now, exp: now + 3600, jwk: publicKeyToJwk(k.publicKeyPem) });
    const { codes } = await doctor([{ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: k.privateKeyPem, token }]);
    expect(codes).toEqual(['identity.not-found']);
  });

  it('a user OCID that does not own the key is a 401, as OCI answers it', async () => {
    const { codes } = await doctor([apiProfile({ user: 'ocid1.user.oc1..aaaaaaaanotarealuser000000000000000000000000000000000000000' })]);
    expect(codes).toEqual(['identity.not-authenticated']);
  });

  it('skips the signed call under --offline and still runs every local check', async () => {
    const { doc } = await doctor([apiProfile()], ['--offline']);
    expect(doc.checks.map((c) => [c.id, c.status])).toEqual([
      ['auth.mode', 'pass'], ['profile.config', 'pass'], ['profile.key', 'pass'], ['session.token', 'skip'], ['session.principal-token', 'skip'], ['identity.whoami', 'skip'],
    ]);
  });
});

describe('principal tokens', () => {
  const jwt = (exp: number) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: IDS.function, exp: Math.floor(Date.now() / 1000) + exp })).toString('base64url')}.c2ln`;
  const rpEnv = (rpst: string) => ({ OCI_RESOURCE_PRINCIPAL_VERSION: '2.2', OCI_RESOURCE_PRINCIPAL_RPST: rpst, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: '/x/key.pem', OCI_RESOURCE_PRINCIPAL_REGION: 'us-ashburn-1' });

  it('reads an RPST given inline or as a file and reports its expiry', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rpst'), jwt(600));
    const fromFile = await doctor(undefined, [], rpEnv(join(dir, 'rpst')));
    expect(status(fromFile.doc, 'session.principal-token')).toBe('pass');
    expect((await doctor(undefined, [], rpEnv(jwt(-60)))).codes).toEqual(['principal.token-expired']);
    expect((await doctor(undefined, [], rpEnv(join(dir, 'missing')))).codes).toEqual(['principal.token-unreadable']);
  });

  it('reads the OKE service-account token from OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), jwt(-5));
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT_PROXYMUX: '12250', OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH: join(dir, 'token') };
    expect((await doctor(undefined, ['--auth', 'oke_workload_identity'], env)).codes).toEqual(['principal.token-expired']);
  });
});

describe('proxy', () => {
  it('sends the signed call through HTTP_PROXY and still warns that the app must do the same', async () => {
    const { createServer, request } = await import('node:http');
    const seen: string[] = [];
    // A minimal forward proxy: absolute-form requests, forwarded as they came.
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const target = new URL(req.url ?? '/');
      const up = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    // undici tunnels through CONNECT, even to http:// targets.
    const { connect } = await import('node:net');
    proxy.on('connect', (req, socket, head) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, p] = (req.url ?? '').split(':');
      const up = connect(Number(p), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as { port: number }).port;
    try {
      const { doc } = await doctor([apiProfile()], ['--only', 'identity,env.proxy'], { HTTP_PROXY: `http://127.0.0.1:${port}` });
      expect(status(doc, 'identity.whoami')).toBe('pass');
      expect(seen).toContain(`CONNECT 127.0.0.1:${sim.port}`);
      expect(doc.checks.find((c) => c.id === 'env.proxy')?.findings[0]?.code).toBe('env.proxy-not-applied');
    } finally {
      const { applyProxyEnvironment } = await import('../../src/adapters/proxy.js');
      await applyProxyEnvironment({});
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('instance principal', () => {
  it('federates through the metadata service and the auth service, and names the instance', async () => {
    const { startSimulator } = await import('../../src/sim/index.js');
    const full = await startSimulator(healthyTenancy(key.publicKeyPem));
    try {
      const out = await runCli(['--format', 'json', '--only', 'profile,session,identity', '--auth', 'instance_principal', '--imds-url', `${full.url}/opc/v2/`, '--endpoint', `auth=${full.url}`, '--endpoint', `identity=${full.url}`], {
        system: fakeSystem({ homeDir: tempDir() }),
        now: () => new Date(),
      });
      const doc = JSON.parse(out.stdout) as Doc;
      expect(doc.checks.find((c) => c.id === 'identity.whoami')).toMatchObject({ status: 'pass', summary: `instance ${IDS.instance} in ${IDS.finance}` });
      expect(out.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
    } finally {
      await full.close();
    }
  });
});
