// --client: the TLS verdict judged against the trust stores the named client
// reads, with its fix. For python the verdict is checked against what the
// machine's own python3 does (its ssl module, create_default_context, as
// python-oracledb thin uses it) against the same loopback server and chain;
// without python3 a fake interpreter script stands in. For jdbc the verdict is
// checked against a real JVM's TLS stack when java is on PATH (skipped otherwise).
// Nothing is installed.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTlsServer } from '../helpers/listener.js';
import { parsePythonProbe, probePython } from '../../src/adapters/python-probe.js';
import { resolveOptions, UsageError } from '../../src/core/options.js';
import type { JsonFinding, JsonReport } from '../../src/core/report/json.js';
import { makeChain, type Chain } from '../../src/sim/pki.js';
import { runCli } from '../helpers/cli.js';
import { jksTrustStore } from '../../src/sim/jks.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';

const SERVICE = 'ledger_high';
const PYTHON = ['python3', 'python'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);

let ca: Chain;
let other: Chain;
let dir: string;
let rootFile: string;
let otherRootFile: string;
const open: { close(): unknown }[] = [];

beforeAll(() => {
  ca = makeChain();
  other = makeChain({ rootCommonName: 'Some Other Root CA', intermediateCommonName: 'Some Other Intermediate' });
  dir = tempDir('dbiam-client-');
  rootFile = join(dir, 'root.pem');
  otherRootFile = join(dir, 'other-root.pem');
  writeFileSync(rootFile, ca.root.certPem);
  writeFileSync(otherRootFile, other.root.certPem);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A loopback TLS server presenting leaf + intermediate of the test chain. */
async function tlsServer(): Promise<number> {
  const server = await startTlsServer(ca.leaf.keyPem, ca.leaf.certPem + ca.intermediate.certPem);
  open.push(server);
  return server.port;
}

async function doctor(argv: string[], env: Record<string, string>, platform?: NodeJS.Platform): Promise<{ doc: JsonReport; codes: string[]; finding(code: string): JsonFinding }> {
  const out = await runCli(['--format', 'json', '--offline', '--only', 'network,tls', ...argv], { env, now: () => new Date(), system: fakeSystem({ homeDir: dir, ...(platform ? { platform } : {}) }) });
  const doc = JSON.parse(out.stdout) as JsonReport;
  const findings = doc.checks.filter((c) => c.category === 'network' || c.category === 'tls').flatMap((c) => c.findings);
  return {
    doc,
    codes: findings.filter((f) => f.severity !== 'info').map((f) => f.code),
    finding: (code) => {
      const f = findings.find((x) => x.code === code);
      if (!f) throw new Error(`no ${code} in ${findings.map((x) => x.code).join(', ')}`);
      return f;
    },
  };
}

/** What python's own ssl module says, connecting the way python-oracledb thin does (default context, host name left to DN matching). */
async function pythonConnects(python: string, port: number, env: Record<string, string>): Promise<'ok' | 'verify-failed'> {
  const script = [
    'import socket, ssl, sys',
    'ctx = ssl.create_default_context()',
    'ctx.check_hostname = False',
    'try:',
    `    with socket.create_connection(("127.0.0.1", ${port}), timeout=5) as s:`,
    '        with ctx.wrap_socket(s, server_hostname="localhost"):',
    '            print("ok")',
    'except ssl.SSLCertVerificationError as e:',
    '    print("verify-failed", e.verify_message)',
  ].join('\n');
  // Asynchronously: the server answering it runs in this process.
  const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(python, ['-c', script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 10_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
  });
  const line = r.stdout.trim();
  if (line === 'ok') return 'ok';
  if (line.startsWith('verify-failed')) return 'verify-failed';
  throw new Error(`python said: ${r.stdout} ${r.stderr}`);
}

describe('--client option', () => {
  it('defaults to node, takes the four clients, and says which are known', () => {
    expect(resolveOptions({ argv: [], env: {} }).client).toBe('node');
    expect(resolveOptions({ argv: ['--client', 'python', '--python', '/opt/py/bin/python'], env: {} })).toMatchObject({ client: 'python', python: '/opt/py/bin/python' });
    expect(resolveOptions({ argv: [], env: {}, configFile: { path: 'dbiam-doctor.json', content: { client: 'jdbc' } } }).client).toBe('jdbc');
    expect(() => resolveOptions({ argv: ['--client', 'ruby'], env: {} })).toThrow(new UsageError("--client: unknown client 'ruby' (one of node, python, jdbc, sqlplus)"));
  });
});

describe('the python probe', () => {
  it('reads JSON only: anything else is a reason', () => {
    expect(parsePythonProbe('py', 'Traceback…')).toMatchObject({ ok: false, reason: 'py did not print the probe\'s JSON' });
    const ok = parsePythonProbe('py', '{"version":"3.12.1","openssl":"OpenSSL 3.0","platform":"linux","verify":{"cafile":null,"capath":"/etc/ssl/certs","openssl_cafile":"/usr/lib/ssl/cert.pem","openssl_capath":"/usr/lib/ssl/certs"},"certifi":null,"oracledb":"3.1.0"}');
    expect(ok).toEqual({ ok: true, value: { interpreter: 'py', version: '3.12.1', openssl: 'OpenSSL 3.0', platform: 'linux', verify: { capath: '/etc/ssl/certs', opensslCafile: '/usr/lib/ssl/cert.pem', opensslCapath: '/usr/lib/ssl/certs' }, oracledb: '3.1.0' } });
  });

  it('a named interpreter that does not exist is "missing", not a crash', async () => {
    const r = await probePython(join(dir, 'no-such-python'), { PATH: '' });
    expect(r).toMatchObject({ ok: false, missing: true, reason: `${join(dir, 'no-such-python')} cannot be run (no such file)` });
  });

  it.skipIf(!PYTHON)('the real python3 reports SSL_CERT_FILE as its CA file', async () => {
    const r = await probePython(PYTHON, { SSL_CERT_FILE: rootFile });
    expect(r.ok && r.value.verify.cafile).toBe(rootFile);
  });
});

describe.skipIf(!PYTHON)('--client python against the real python3 ssl module', () => {
  it('SSL_CERT_FILE holds the root: the doctor and python both verify', async () => {
    const port = await tlsServer();
    const env = { SSL_CERT_FILE: rootFile, PATH: process.env.PATH ?? '' };
    expect(await pythonConnects(PYTHON as string, port, env)).toBe('ok');
    const d = await doctor(['--client', 'python', '--dsn', `tcps://localhost:${port}/${SERVICE}`], env);
    expect(d.codes).toEqual([]);
    const v = d.finding('tls.chain-verified');
    expect(v.title).toBe(`localhost:${port}: chain verified for python-oracledb by SSL_CERT_FILE ${rootFile} (1)`);
    expect(v.fix.text).toBe('Nothing to fix.');
    expect(v.evidence['python-oracledb consults']).toMatch(new RegExp(`^ssl\\.create_default_context\\(\\): ${rootFile}`));
    expect(v.evidence.python).toMatch(/^python3?: Python 3\./);
  });

  it('SSL_CERT_FILE holds another root: python fails with CERTIFICATE_VERIFY_FAILED, the doctor says untrusted for python though Node trusts it', async () => {
    const port = await tlsServer();
    const env = { SSL_CERT_FILE: otherRootFile, PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: rootFile };
    expect(await pythonConnects(PYTHON as string, port, env)).toBe('verify-failed');
    const d = await doctor(['--client', 'python', '--dsn', `tcps://localhost:${port}/${SERVICE}`], env);
    expect(d.codes).toEqual(['tls.untrusted-root']);
    const f = d.finding('tls.untrusted-root');
    // Node (via NODE_EXTRA_CA_CERTS) trusts it; python-oracledb does not read that.
    expect(f.title).toBe(`No trust source python-oracledb reads holds the root "dbiam-doctor Simulated Root CA" that issued localhost:${port}'s chain (NODE_EXTRA_CA_CERTS does)`);
    expect(f.evidence[`trust: SSL_CERT_FILE ${otherRootFile} (1)`]).toBe('fails: no root for dbiam-doctor Simulated Root CA here');
    expect(f.evidence[`trust: NODE_EXTRA_CA_CERTS ${rootFile} (1)`]).toMatch(/^verified: /);
    expect(f.fix.text).toContain(`ssl_context=ssl.create_default_context(cafile='${rootFile}')`);
    expect(f.fix.text).toContain('wallet_location');
    expect(f.fix.text).not.toContain('NODE_EXTRA_CA_CERTS');
  });

  it('the same server with --client node: Node trusts it through NODE_EXTRA_CA_CERTS', async () => {
    const port = await tlsServer();
    const d = await doctor(['--dsn', `tcps://localhost:${port}/${SERVICE}`], { SSL_CERT_FILE: otherRootFile, NODE_EXTRA_CA_CERTS: rootFile });
    expect(d.codes).toEqual([]);
  });

  it('SSL_CERT_FILE names a missing file: python-oracledb loads no CA file, said as its own finding', async () => {
    const port = await tlsServer();
    const missing = join(dir, 'gone.pem');
    const env = { SSL_CERT_FILE: missing, PATH: process.env.PATH ?? '' };
    expect(await pythonConnects(PYTHON as string, port, env)).toBe('verify-failed');
    const d = await doctor(['--client', 'python', '--dsn', `tcps://localhost:${port}/${SERVICE}`], env);
    expect(d.codes).toContain('tls.untrusted-root');
    expect(d.codes).toContain('tls.trust-source-broken');
    expect(d.finding('tls.trust-source-broken').title).toBe(`SSL_CERT_FILE ${missing} adds no trust for python-oracledb: missing: ${missing} does not exist, so ssl.create_default_context() loads no CA file`);
  });
});

describe.skipIf(!PYTHON || spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0)('--client python: the CA directory (SSL_CERT_DIR)', () => {
  it('a hashed directory holding the root verifies for the doctor as for python; the default CA file it replaces is not a problem', async () => {
    const port = await tlsServer();
    const hashDir = join(dir, 'hashed');
    mkdirSync(hashDir, { recursive: true });
    const hash = spawnSync('openssl', ['x509', '-hash', '-noout', '-in', rootFile], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(hashDir, `${hash}.0`), ca.root.certPem);
    const env = { SSL_CERT_FILE: join(dir, 'no-such-bundle.pem'), SSL_CERT_DIR: hashDir, PATH: process.env.PATH ?? '' };
    expect(await pythonConnects(PYTHON as string, port, env)).toBe('ok');
    const d = await doctor(['--client', 'python', '--dsn', `tcps://localhost:${port}/${SERVICE}`], env);
    expect(d.finding('tls.chain-verified').title).toBe(`localhost:${port}: chain verified for python-oracledb by SSL_CERT_DIR ${hashDir} (1)`);
    // SSL_CERT_FILE names a missing file: said, even though the directory holds the root.
    expect(d.codes).toEqual(['tls.trust-source-broken']);
  });
});

describe('--client python without python', () => {
  it('says so plainly and judges with the stores it can read', async () => {
    const port = await tlsServer();
    const d = await doctor(['--client', 'python', '--python', join(dir, 'no-python'), '--ca-file', rootFile, '--dsn', `tcps://localhost:${port}/${SERVICE}`], {});
    expect(d.codes).toEqual(['tls.client-stores-unread']);
    expect(d.finding('tls.client-stores-unread').title).toBe(`--client python: ${join(dir, 'no-python')} cannot be run (no such file): python-oracledb's trust stores (its OpenSSL CA file, certifi) were not read`);
    expect(d.finding('tls.chain-verified').title).toBe(`localhost:${port}: chain verified for python-oracledb by --ca-file ${rootFile} (1)`);
  });

  it('a fake interpreter (a script printing the probe JSON) names a certifi bundle that lacks the root', async () => {
    const port = await tlsServer();
    const fake = join(dir, 'fake-python');
    const json = JSON.stringify({ version: '3.12.0', openssl: 'OpenSSL 3.0.13', platform: 'linux', verify: { cafile: otherRootFile, capath: null, openssl_cafile: otherRootFile, openssl_capath: '' }, certifi: otherRootFile, oracledb: '3.2.0' });
    writeFileSync(fake, `#!/bin/sh\necho '${json}'\n`);
    chmodSync(fake, 0o755);
    const d = await doctor(['--client', 'python', '--python', fake, '--dsn', `tcps://localhost:${port}/${SERVICE}`], { NODE_EXTRA_CA_CERTS: rootFile, REQUESTS_CA_BUNDLE: rootFile });
    expect(d.codes).toEqual(['tls.untrusted-root']);
    // requests' bundle holds the root, but python-oracledb does not read it: shown, not deciding.
    expect(d.finding('tls.untrusted-root').evidence[`trust: REQUESTS_CA_BUNDLE ${rootFile} (read by requests, not by python-oracledb) (1)`]).toMatch(/^verified: /);
    const f = d.finding('tls.untrusted-root');
    expect(f.evidence[`trust: certifi ${otherRootFile} (only with ssl_context=ssl.create_default_context(cafile=certifi.where())) (1)`]).toBe('fails: no root for dbiam-doctor Simulated Root CA here');
    expect(f.evidence.python).toBe(`${fake}: Python 3.12.0, OpenSSL 3.0.13; python-oracledb 3.2.0; certifi installed`);
  });
});

describe('driver versions: the fix needs a driver that takes it', () => {
  /** A stand-in interpreter with python-oracledb `version`, whose CA file lacks the test root. */
  function fakePython(version: string): string {
    const fake = join(dir, `fake-python-${version}`);
    const json = JSON.stringify({ version: '3.9.18', openssl: 'OpenSSL 1.1.1w', platform: 'linux', verify: { cafile: otherRootFile, capath: null, openssl_cafile: otherRootFile, openssl_capath: '' }, certifi: null, oracledb: version });
    writeFileSync(fake, `#!/bin/sh\necho '${json}'\n`);
    chmodSync(fake, 0o755);
    return fake;
  }

  it('python-oracledb 1.4.2 has no ssl_context (2.0.0); 1.1.0 also cannot use a wallet for one-way TLS (1.2.0); 2.0.0 needs nothing', async () => {
    const port = await tlsServer();
    const dsn = `tcps://localhost:${port}/${SERVICE}`;
    const old = await doctor(['--client', 'python', '--python', fakePython('1.4.2'), '--dsn', dsn], {});
    expect(old.codes).toEqual(['tls.untrusted-root', 'tls.driver-too-old']);
    const f = old.finding('tls.driver-too-old');
    expect(f.title).toBe('python-oracledb 1.4.2: connect() has no ssl_context parameter, so a CA file (or certifi) cannot be handed to it — upgrade to 2.0.0 or later');
    expect(f.fix.commands).toContain(`${join(dir, 'fake-python-1.4.2')} -m pip install --upgrade 'oracledb>=2.0.0'`);
    const older = await doctor(['--client', 'python', '--python', fakePython('1.1.0'), '--dsn', dsn], {});
    expect(older.codes).toEqual(['tls.untrusted-root', 'tls.driver-too-old', 'tls.driver-too-old']);
    const current = await doctor(['--client', 'python', '--python', fakePython('2.0.0'), '--dsn', dsn], {});
    expect(current.codes).toEqual(['tls.untrusted-root']);
  });
});

describe('--client node --project: the application\'s node-oracledb', () => {
  /** An application directory whose node_modules/oracledb is `version`. */
  function app(version: string): string {
    const d = join(dir, `app-${version}`);
    mkdirSync(join(d, 'node_modules', 'oracledb'), { recursive: true });
    writeFileSync(join(d, 'node_modules', 'oracledb', 'package.json'), JSON.stringify({ name: 'oracledb', version }));
    return d;
  }

  // node-oracledb release notes 6.6.0 (in-memory wallet: walletContent),
  // https://github.com/oracle/node-oracledb/blob/b7d957d6720ca106e639793aba6b659bfe3b0119/doc/src/release_notes.rst
  it('a CA handed over as walletContent needs 6.6.0: 6.5.1 is told to upgrade, 6.6.0 is not', async () => {
    const port = await tlsServer();
    const dsn = `tcps://localhost:${port}/${SERVICE}`;
    const old = await doctor(['--client', 'node', '--project', app('6.5.1'), '--ca-file', rootFile, '--dsn', dsn], {});
    const f = old.finding('tls.driver-too-old');
    expect(f.title).toBe('node-oracledb 6.5.1: there is no walletContent, so a CA can only be handed over in a wallet directory (walletLocation) or NODE_EXTRA_CA_CERTS — upgrade to 6.6.0 or later');
    expect(f.fix.commands).toEqual(["npm install 'oracledb@>=6.6.0'"]);
    const current = await doctor(['--client', 'node', '--project', app('6.6.0'), '--ca-file', rootFile, '--dsn', dsn], {});
    expect(current.codes).not.toContain('tls.driver-too-old');
  });

  // https://github.com/oracle/node-oracledb/issues/1772: ssl_server_cert_dn in an Easy Connect string got a stray '}' until 7.0.0.
  it("ssl_server_cert_dn in an Easy Connect string: 6.10.0 must go to 7.0.0 although the DN is the certificate's", async () => {
    const port = await tlsServer();
    const dsn = `tcps://localhost:${port}/${SERVICE}?ssl_server_cert_dn="CN=adb.us-ashburn-1.oraclecloud.com,O=Oracle Corporation,L=Redwood City,ST=California,C=US"`;
    const old = await doctor(['--client', 'node', '--project', app('6.10.0'), '--ca-file', rootFile, '--dsn', dsn], {});
    expect(old.codes).toEqual(['tls.driver-too-old']);
    expect(old.finding('tls.driver-too-old').title).toMatch(/^node-oracledb 6\.10\.0: Thin mode added a stray '\}' to the SSL_SERVER_CERT_DN .* — upgrade to 7\.0\.0 or later$/);
    expect((await doctor(['--client', 'node', '--project', app('7.0.0'), '--ca-file', rootFile, '--dsn', dsn], {})).codes).toEqual([]);
  });
});

describe('--client jdbc and sqlplus: their fixes', () => {
  it('jdbc: an untrusted chain gets the trust-store and wallet properties', async () => {
    const port = await tlsServer();
    const d = await doctor(['--client', 'jdbc', '--ca-file', otherRootFile, '--dsn', `tcps://localhost:${port}/${SERVICE}`], {});
    const f = d.finding('tls.untrusted-root');
    expect(f.fix.text).toContain('-Djavax.net.ssl.trustStore=');
    expect(f.fix.text).toContain('-Doracle.net.wallet_location=');
    expect(f.evidence['Oracle JDBC consults']).toMatch(/^the JRE's cacerts/);
  });

  it('jdbc: a PKCS#12 -Djavax.net.ssl.trustStore from JAVA_TOOL_OPTIONS is opened with its password; certificates without Java\'s trusted mark are no trust anchor', async () => {
    const port = await tlsServer();
    const password = `pw-${process.pid}`;
    // node-forge, like openssl pkcs12 -export, writes plain certificate bags: Java loads no trusted entry from them.
    const p12 = forge.pkcs12.toPkcs12Asn1(null, [forge.pki.certificateFromPem(ca.root.certPem)], password, { algorithm: '3des' });
    const store = join(dir, 'truststore.p12');
    writeFileSync(store, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
    const dsn = `tcps://localhost:${port}/${SERVICE}`;
    const unmarked = await doctor(['--client', 'jdbc', '--dsn', dsn], { JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${store} -Djavax.net.ssl.trustStorePassword=${password}` });
    expect(unmarked.codes).toContain('tls.untrusted-root');
    expect(unmarked.finding('tls.untrusted-root').evidence[`trust: -Djavax.net.ssl.trustStore ${store} (JAVA_TOOL_OPTIONS)`]).toBe(`not available: no trusted certificate for Java in ${store}: its 1 certificate(s) lack Java's trusted-certificate attribute, so Java takes none of them as a trust anchor (a PKCS#12 file from openssl pkcs12 -export; keytool -importcert writes the attribute)`);
    expect(JSON.stringify(unmarked.doc)).not.toContain(password);

    const wrong = await doctor(['--client', 'jdbc', '--dsn', dsn], { JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${store} -Djavax.net.ssl.trustStorePassword=wrong` });
    expect(wrong.codes).toContain('tls.untrusted-root');
    expect(wrong.finding('tls.untrusted-root').evidence[`trust: -Djavax.net.ssl.trustStore ${store} (JAVA_TOOL_OPTIONS)`]).toMatch(/^not available: the password does not open it/);
  });

  it('jdbc: JKS trust stores are read without a password, as Java loads them: the -Djavax.net.ssl.trustStore one, else $JAVA_HOME/lib/security/cacerts', async () => {
    const port = await tlsServer();
    const dsn = `tcps://localhost:${port}/${SERVICE}`;
    const trusting = join(dir, 'trusting.jks');
    writeFileSync(trusting, jksTrustStore([{ alias: 'db-ca', cert: ca.root.certPem }]));
    const ok = await doctor(['--client', 'jdbc', '--dsn', dsn], { JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${trusting}` });
    expect(ok.codes).toEqual([]);
    expect(ok.finding('tls.chain-verified').title).toBe(`localhost:${port}: chain verified for Oracle JDBC by -Djavax.net.ssl.trustStore ${trusting} (JAVA_TOOL_OPTIONS) (JKS, 1)`);

    // A JRE whose cacerts (JKS, like Debian's) lacks the root: untrusted, with the store read and counted.
    const javaHome = join(dir, 'jre');
    mkdirSync(join(javaHome, 'lib', 'security'), { recursive: true });
    writeFileSync(join(javaHome, 'lib', 'security', 'cacerts'), jksTrustStore([{ alias: 'some-other-root', cert: other.root.certPem }, { alias: 'another', cert: other.intermediate.certPem }]));
    const bad = await doctor(['--client', 'jdbc', '--dsn', dsn], { JAVA_HOME: javaHome });
    expect(bad.codes).toContain('tls.untrusted-root');
    expect(bad.finding('tls.untrusted-root').evidence[`trust: the JRE's cacerts in ${javaHome} (JKS, 2)`]).toBeDefined();
    expect(bad.finding('tls.untrusted-root').evidence['Oracle JDBC consults']).toBe("the JRE's cacerts");

    // A JDK 8: JAVA_HOME is the JDK, its JRE (and cacerts) under jre/.
    const jdk8 = join(dir, 'jdk8');
    mkdirSync(join(jdk8, 'jre', 'lib', 'security'), { recursive: true });
    writeFileSync(join(jdk8, 'jre', 'lib', 'security', 'cacerts'), jksTrustStore([{ alias: 'db-ca', cert: ca.root.certPem }]));
    const old = await doctor(['--client', 'jdbc', '--dsn', dsn], { JAVA_HOME: jdk8 });
    expect(old.codes).toEqual([]);
    expect(old.finding('tls.chain-verified').title).toBe(`localhost:${port}: chain verified for Oracle JDBC by the JRE's cacerts in ${jdk8} (JKS, 1)`);

    const truncated = join(dir, 'truncated.jks');
    writeFileSync(truncated, jksTrustStore([{ alias: 'db-ca', cert: ca.root.certPem }]).subarray(0, 200));
    const broken = await doctor(['--client', 'jdbc', '--dsn', dsn], { JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${truncated}` });
    expect(broken.finding('tls.untrusted-root').evidence[`trust: -Djavax.net.ssl.trustStore ${truncated} (JAVA_TOOL_OPTIONS)`]).toMatch(/^not available: not a readable Java key store: .*Java cannot load it either/);
  });

  it('the OS store on macOS and Windows is not a file: said so, not guessed', async () => {
    const port = await tlsServer();
    for (const [platform, words] of [['darwin', /keychain/], ['win32', /system certificate store/]] as const) {
      const d = await doctor(['--client', 'sqlplus', '--ca-file', otherRootFile, '--dsn', `tcps://localhost:${port}/${SERVICE}`], {}, platform);
      expect(d.finding('tls.untrusted-root').evidence['trust: OS CA bundle file']).toMatch(new RegExp(`^not available: not read from files: .*${words.source}`));
    }
  });

  it('sqlplus: the fix is the wallet in sqlnet.ora, with TOKEN_AUTH for tokens', async () => {
    const port = await tlsServer();
    const d = await doctor(['--client', 'sqlplus', '--ca-file', otherRootFile, '--dsn', `tcps://localhost:${port}/${SERVICE}`], {});
    const f = d.finding('tls.untrusted-root');
    expect(f.fix.text).toContain('WALLET_LOCATION');
    expect(f.fix.text).toContain('TOKEN_AUTH=OCI_TOKEN');
  });
});

// --client jdbc against a real JVM: the same loopback server, the trust store
// the doctor judges handed to Java's own TLS stack (JSSE, as Oracle JDBC thin
// uses it). A raw SSLSocket does no host-name check, so only the chain is compared.
const JAVA = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

/** What a real JVM says about `store`: a one-file program (JDK 11+ runs a source file directly) that connects to 127.0.0.1 only and prints OK or the exception. */
async function javaHandshake(port: number, store: string, type: 'JKS' | 'PKCS12', password: string): Promise<string> {
  const probe = join(dir, 'Probe.java');
  writeFileSync(probe, [
    'import javax.net.ssl.SSLSocket;',
    'import javax.net.ssl.SSLSocketFactory;',
    'public class Probe {',
    '  public static void main(String[] args) {',
    '    try (SSLSocket s = (SSLSocket) SSLSocketFactory.getDefault().createSocket("127.0.0.1", Integer.parseInt(args[0]))) {',
    '      s.setSoTimeout(5000);',
    '      s.startHandshake();',
    '      System.out.println("OK");',
    '    } catch (Exception e) {',
    '      System.out.println(e.getClass().getName() + ": " + e.getMessage());',
    '    }',
    '  }',
    '}',
  ].join('\n'));
  const args = [`-Djavax.net.ssl.trustStore=${store}`, `-Djavax.net.ssl.trustStorePassword=${password}`, `-Djavax.net.ssl.trustStoreType=${type}`, probe, String(port)];
  // Asynchronously: the server answering it runs in this process. No JAVA_TOOL_OPTIONS reaches it.
  const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile('java', args, { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
  });
  const line = r.stdout.trim();
  if (!line) throw new Error(`java printed nothing: ${r.stderr}`);
  return line;
}

describe.skipIf(!JAVA)('--client jdbc against a real JVM (needs java on PATH)', () => {
  const password = `pw-${process.pid}`;
  const jks = (roots: string[]): Buffer => jksTrustStore(roots.map((cert, i) => ({ alias: `root-${i}`, cert })), password);
  /** Certificate bags without Java's trusted mark, as node-forge and openssl pkcs12 -export write them. */
  const unmarkedP12 = (roots: string[]): Buffer => Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(null, roots.map((c) => forge.pki.certificateFromPem(c)), password, { algorithm: '3des' })).getBytes(), 'binary');
  const PKIX = 'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
  // The expected outcome of each case is written by hand; Java and the doctor must both give it.
  // src/sim/jks.ts writes what keytool writes (test/core/jks-trust.test.ts); the JVM checks its keyed digest with the password.
  const cases = [
    { store: 'JKS holding the issuing root', type: 'JKS', bytes: () => jks([ca.root.certPem]), trusted: true, java: 'OK' },
    { store: 'JKS holding another root', type: 'JKS', bytes: () => jks([other.root.certPem]), trusted: false, java: PKIX },
    {
      store: 'PKCS#12 holding the issuing root unmarked',
      type: 'PKCS12',
      bytes: () => unmarkedP12([ca.root.certPem]),
      trusted: false,
      java: 'javax.net.ssl.SSLException: Unexpected error: java.security.InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty',
    },
  ] as const;

  it.each(cases)('$store: trusted=$trusted for Java and for the doctor', async ({ store: name, type, bytes, trusted, java: expected }) => {
    const port = await tlsServer();
    const store = join(dir, `${name.replace(/\W+/g, '-')}.${type === 'JKS' ? 'jks' : 'p12'}`);
    writeFileSync(store, bytes());
    const [java, d] = await Promise.all([
      javaHandshake(port, store, type, password),
      doctor(['--client', 'jdbc', '--dsn', `tcps://localhost:${port}/${SERVICE}`], { JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${store} -Djavax.net.ssl.trustStorePassword=${password} -Djavax.net.ssl.trustStoreType=${type}` }),
    ]);
    expect(java).toBe(expected);
    if (trusted) {
      expect(d.codes).toEqual([]);
      expect(d.finding('tls.chain-verified').title).toBe(`localhost:${port}: chain verified for Oracle JDBC by -Djavax.net.ssl.trustStore ${store} (JAVA_TOOL_OPTIONS) (JKS, 1)`);
    } else {
      expect(d.codes).toContain('tls.untrusted-root');
      expect(d.finding('tls.untrusted-root').title).toBe(`No trust source Oracle JDBC reads holds the root "dbiam-doctor Simulated Root CA" that issued localhost:${port}'s chain`);
    }
  });

  it('a PKCS#12 store made by keytool -importcert (its entry marked trusted): the doctor verifies with it', async () => {
    const port = await tlsServer();
    const store = join(dir, 'keytool-truststore.p12');
    const root = join(dir, 'keytool-root.pem');
    writeFileSync(root, ca.root.certPem);
    const made = await new Promise<{ err: Error | null; stderr: string }>((resolve) => {
      execFile('keytool', ['-importcert', '-noprompt', '-alias', 'db-root', '-file', root, '-keystore', store, '-storetype', 'PKCS12', '-storepass', password], { env: { PATH: process.env.PATH ?? '' }, timeout: 30_000, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => resolve({ err, stderr }));
    });
    if (made.err) throw new Error(`keytool: ${made.stderr}`);
    const d = await doctor(['--client', 'jdbc', '--dsn', `tcps://localhost:${port}/${SERVICE}`], { JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${store} -Djavax.net.ssl.trustStorePassword=${password} -Djavax.net.ssl.trustStoreType=PKCS12` });
    expect(d.codes).toEqual([]);
    expect(d.finding('tls.chain-verified').title).toBe(`localhost:${port}: chain verified for Oracle JDBC by -Djavax.net.ssl.trustStore ${store} (JAVA_TOOL_OPTIONS) (1)`);
  });
});
