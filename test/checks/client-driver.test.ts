// env.runtime, --client: the driver of the --client, read from what is installed,
// against the release that brought IAM token authentication to it. Expected
// releases are written by hand from the release notes cited in
// src/core/client-releases.ts and docs/sources.md.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonFinding, JsonReport } from '../../src/core/report/json.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { buildZip } from '../helpers/zip.js';

// `unzip -p ojdbc8.jar META-INF/MANIFEST.MF`, as posted at
// https://github.com/codejsha/infrastructure-examples/blob/ffbf867e8e107fe90645a3ffdc0be2b5d097b716/oracledb/README.md
const OJDBC8_12_2_MANIFEST = [
  'Manifest-Version: 1.0',
  'Ant-Version: Apache Ant 1.7.1',
  'Implementation-Title: JDBC',
  'Implementation-Version: 12.2.0.1.0',
  'sealed: true',
  'Repository-Id: JAVAVM_12.2.0.1.0_LINUX.X64_161213',
  'Specification-Vendor: Sun Microsystems Inc.',
  'Specification-Title: JDBC',
  'Created-By: 25.91-b14 (Oracle Corporation)',
  'Specification-Version: 4.0',
  'Implementation-Vendor: Oracle Corporation',
  'Main-Class: oracle.jdbc.OracleDriver',
  '',
  'Name: oracle/sql/converter/',
  'Sealed: false',
  '',
].join('\r\n');

let dir: string;
beforeAll(() => {
  dir = tempDir('dbiam-driver-');
});

function jar(sub: string, name: string, manifest: string): string {
  const d = join(dir, sub);
  mkdirSync(d, { recursive: true });
  // A few class entries around the manifest, as in a real jar.
  writeFileSync(join(d, name), buildZip([{ name: 'META-INF/', data: '' }, { name: 'META-INF/MANIFEST.MF', data: manifest }, { name: 'oracle/jdbc/OracleDriver.class', data: Buffer.alloc(4000, 0xca) }]));
  return d;
}

async function driver(argv: string[], env: Record<string, string> = {}): Promise<{ codes: string[]; findings: JsonFinding[] }> {
  const out = await runCli(['--format', 'json', '--offline', '--only', 'env', ...argv], { env, now: () => new Date(), system: fakeSystem({ homeDir: dir }) });
  const doc = JSON.parse(out.stdout) as JsonReport;
  const findings = doc.checks.filter((c) => c.id === 'env.runtime').flatMap((c) => c.findings);
  return { codes: findings.map((f) => f.code), findings };
}

describe('--client jdbc --classpath: the ojdbc jar manifest', () => {
  it('ojdbc8 12.2.0.1.0 (a real manifest) predates IAM tokens: upgrade to 19.14', async () => {
    const d = await driver(['--client', 'jdbc', '--classpath', jar('old', 'ojdbc8.jar', OJDBC8_12_2_MANIFEST)]);
    expect(d.codes).toEqual(['env.driver-version', 'env.driver-too-old']);
    expect(d.findings[0]!.title).toBe('Oracle JDBC 12.2.0.1.0 (ojdbc8.jar)');
    expect(d.findings[1]!.title).toMatch(/^Oracle JDBC \(ojdbc\) 12\.2\.0\.1\.0 predates IAM token authentication .*: upgrade to 19\.14 or later$/);
  });

  it('by release line: 19.13 needs 19.14, 21.3 needs 21.4, 21.4 and 23.x have it', async () => {
    const at = async (v: string): Promise<string | undefined> => {
      const d = await driver(['--client', 'jdbc', '--classpath', jar(`v${v}`, 'ojdbc11.jar', `Manifest-Version: 1.0\r\nImplementation-Version: ${v}\r\n`)]);
      return d.findings.find((f) => f.code === 'env.driver-too-old')?.evidence.needed;
    };
    expect(await at('19.13.0.0.1')).toMatch(/from 19\.14$/);
    expect(await at('19.14.0.0')).toBeUndefined();
    expect(await at('21.3.0.0')).toMatch(/from 21\.4$/);
    expect(await at('21.4.0.0.1')).toBeUndefined();
    expect(await at('23.3.0.23.09')).toBeUndefined();
  });

  it('no --classpath, no jar, or a broken jar: said, not guessed', async () => {
    expect((await driver(['--client', 'jdbc'])).findings[0]!.title).toBe('The ojdbc jar was not looked for (no --classpath DIR)');
    mkdirSync(join(dir, 'empty'), { recursive: true });
    expect((await driver(['--client', 'jdbc', '--classpath', join(dir, 'empty')])).findings[0]!.title).toBe(`No ojdbc jar in ${join(dir, 'empty')}`);
    mkdirSync(join(dir, 'broken'), { recursive: true });
    writeFileSync(join(dir, 'broken', 'ojdbc11.jar'), 'PK\x03\x04 not really');
    const broken = await driver(['--client', 'jdbc', '--classpath', join(dir, 'broken')]);
    expect(broken.codes).toEqual(['env.driver-unread']);
    expect(broken.findings[0]!.title).toMatch(/^ojdbc11\.jar: version not read \(not a readable jar: /);
  });
});

describe('--client sqlplus: the Instant Client library name gives the release line only', () => {
  const ic = (name: string): string => {
    const d = join(dir, `ic-${name}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, name), '');
    return d;
  };

  it('libclntsh.so.12.1 predates token auth: upgrade to 19.13', async () => {
    const d = await driver(['--client', 'sqlplus', '--instant-client', ic('libclntsh.so.12.1')]);
    expect(d.codes).toEqual(['env.driver-version', 'env.driver-too-old']);
    expect(d.findings[1]!.evidence.needed).toBe('IAM token authentication (TOKEN_AUTH=OCI_TOKEN), from 19.13');
  });

  it('libclntsh.so.19.1 (ORACLE_HOME/lib): which 19 release is unknown, and said so', async () => {
    const home = join(dir, 'oh');
    mkdirSync(join(home, 'lib'), { recursive: true });
    writeFileSync(join(home, 'lib', 'libclntsh.so.19.1'), '');
    const d = await driver(['--client', 'sqlplus'], { ORACLE_HOME: home });
    expect(d.codes).toEqual(['env.driver-version']);
    expect(d.findings[0]!.evidence['IAM token authentication (TOKEN_AUTH=OCI_TOKEN)']).toBe('from 19.13 in this release line; the file name does not say which 19.x release is installed');
  });

  it('the directory the zip unzips into names the update: instantclient_19_12 needs 19.13, instantclient_21_4 has it', async () => {
    const named = (sub: string, lib: string): string => {
      const d = join(dir, 'named', sub);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, lib), '');
      return d;
    };
    const old = await driver(['--client', 'sqlplus', '--instant-client', named('instantclient_19_12', 'libclntsh.so.19.1')]);
    expect(old.codes).toEqual(['env.driver-version', 'env.driver-too-old']);
    expect(old.findings[1]!.title).toBe('Oracle Instant Client 19.12 predates IAM token authentication (TOKEN_AUTH=OCI_TOKEN): upgrade to 19.13 or later');
    expect((await driver(['--client', 'sqlplus', '--instant-client', named('instantclient_21_4', 'libclntsh.so.21.1')])).codes).toEqual(['env.driver-version']);
  });

  it('libclntsh.dylib.23.1 (macOS) has it', async () => {
    const d = await driver(['--client', 'sqlplus', '--instant-client', ic('libclntsh.dylib.23.1')]);
    expect(d.codes).toEqual(['env.driver-version']);
  });
});

describe('--client node --project: the node-oracledb the application installs', () => {
  /** An application directory whose node_modules/oracledb/package.json names `version` (as npm writes it). */
  function app(version: string): string {
    const d = join(dir, `app-${version}`);
    mkdirSync(join(d, 'node_modules', 'oracledb'), { recursive: true });
    writeFileSync(join(d, 'node_modules', 'oracledb', 'package.json'), JSON.stringify({ name: 'oracledb', version, main: 'index.js' }));
    return d;
  }
  const upgrades = (d: { findings: JsonFinding[] }): (string | undefined)[] => d.findings.filter((f) => f.code === 'env.driver-too-old').map((f) => f.evidence.needed?.replace(/.*, from /, ''));

  // node-oracledb release notes, https://github.com/oracle/node-oracledb/blob/b7d957d6720ca106e639793aba6b659bfe3b0119/doc/src/release_notes.rst:
  // 6.0.0 made Thin mode the default (the 6.0.0 appendix_a lists IAM tokens as supported in Thin mode); 5.x had Thick mode only.
  it('5.5.0 predates IAM tokens in Thin mode: upgrade to 6.0.0', async () => {
    const d = await driver(['--client', 'node', '--project', app('5.5.0')]);
    expect(d.codes).toEqual(['env.driver-version', 'env.driver-too-old']);
    expect(d.findings[0]!.title).toBe(`node-oracledb 5.5.0 (${join(dir, 'app-5.5.0')})`);
    expect(d.findings[1]!.title).toBe('node-oracledb 5.5.0 predates IAM token authentication in Thin mode (accessToken with externalAuth): upgrade to 6.0.0 or later');
    expect(d.findings[1]!.fix.text).toContain('npm install oracledb@latest');
  });

  // 6.8.0: plugins for OCI IAM token generation (extensionOci); 6.9.0: instance principal authentication in them.
  it('the extensionOci plugin the fixes use: 6.7.0 needs 6.8.0 for api_key; 6.8.0 needs 6.9.0 for instance_principal; 26.0.0 has both', async () => {
    expect(upgrades(await driver(['--client', 'node', '--auth', 'api_key', '--project', app('6.7.0')]))).toEqual(['6.8.0']);
    expect(upgrades(await driver(['--client', 'node', '--auth', 'instance_principal', '--project', app('6.8.0')]))).toEqual(['6.9.0']);
    expect(upgrades(await driver(['--client', 'node', '--auth', 'api_key', '--project', app('6.8.0')]))).toEqual([]);
    // No plugin for session tokens: the token comes from the SDK through accessToken, in Thin mode from 6.0.0.
    expect(upgrades(await driver(['--client', 'node', '--auth', 'security_token', '--project', app('6.0.0')]))).toEqual([]);
    const current = await driver(['--client', 'node', '--auth', 'instance_principal', '--project', app('26.0.0')]);
    expect(current.codes).toEqual(['env.driver-version']);
  });

  it('found in a parent directory, as require finds it; none at all is said', async () => {
    const sub = join(app('6.9.0'), 'src', 'db');
    mkdirSync(sub, { recursive: true });
    const d = await driver(['--client', 'node', '--project', sub]);
    expect(d.findings[0]!.evidence.installed).toBe(`node-oracledb 6.9.0 (${join(dir, 'app-6.9.0', 'node_modules', 'oracledb', 'package.json')})`);
    const bare = join(dir, 'bare-app');
    mkdirSync(bare, { recursive: true });
    const none = await driver(['--client', 'node', '--project', bare]);
    expect(none.codes).toEqual(['env.driver-unread']);
    expect(none.findings[0]!.title).toMatch(/^node-oracledb not read: no node_modules\/oracledb in /);
    const file = join(dir, 'app-6.9.0', 'node_modules', 'oracledb', 'package.json');
    expect((await driver(['--client', 'node', '--project', file])).findings[0]!.title).toBe(`node-oracledb not read: --project ${file} is not a readable directory`);
  });

  it('without --project nothing is compared: the doctor runs its own, current driver', async () => {
    expect((await driver(['--client', 'node'])).codes).toEqual([]);
  });
});

describe('--client python: python-oracledb from the probe', () => {
  function fakePython(version: string): string {
    const fake = join(dir, `fake-python-${version}`);
    const json = JSON.stringify({ version: '3.11.2', openssl: 'OpenSSL 3.0.11', platform: 'linux', verify: { cafile: null, capath: null, openssl_cafile: '/nonexistent', openssl_capath: '' }, certifi: null, oracledb: version || null });
    writeFileSync(fake, `#!/bin/sh\necho '${json}'\n`);
    chmodSync(fake, 0o755);
    return fake;
  }

  it('2.5.1 has access_token but not the oci_tokens plugin (3.0.0)', async () => {
    const d = await driver(['--client', 'python', '--python', fakePython('2.5.1')]);
    expect(d.findings.filter((f) => f.code === 'env.driver-too-old').map((f) => f.evidence.needed?.replace(/.*, from /, ''))).toEqual(['3.0.0']);
    expect(d.findings[0]!.evidence['IAM token authentication (the access_token parameter)']).toBe('yes');
  });

  it('the auth mode decides the auth_type needed: instance_principal from 3.2.0, security_token from 4.0.0', async () => {
    const py = fakePython('3.1.0');
    expect((await driver(['--client', 'python', '--python', py])).codes).toEqual(['env.driver-version']);
    const ip = await driver(['--client', 'python', '--python', py, '--auth', 'instance_principal']);
    expect(ip.findings.filter((f) => f.code === 'env.driver-too-old').map((f) => f.title)).toEqual(['python-oracledb 3.1.0 predates auth_type "InstancePrincipal" in the oci_tokens plugin: upgrade to 3.2.0 or later']);
    const st = await driver(['--client', 'python', '--python', fakePython('3.2.0')], { OCI_CLI_AUTH: 'security_token' });
    expect(st.findings.filter((f) => f.code === 'env.driver-too-old').map((f) => f.title)).toEqual(['python-oracledb 3.2.0 predates auth_type "SecurityToken" and "ResourcePrincipal" in the oci_tokens plugin: upgrade to 4.0.0 or later']);
    expect((await driver(['--client', 'python', '--python', fakePython('4.0.0'), '--auth', 'security_token'])).codes).toEqual(['env.driver-version']);
  });

  it('a Python without python-oracledb: said, with the pip command for that interpreter', async () => {
    const d = await driver(['--client', 'python', '--python', fakePython('')]);
    expect(d.codes).toEqual(['env.driver-unread']);
    expect(d.findings[0]!.title).toBe(`python-oracledb is not installed for ${join(dir, 'fake-python-')}`);
  });

  it('no Python: nothing here (the TLS check says so plainly)', async () => {
    expect((await driver(['--client', 'python', '--python', join(dir, 'no-such-python')])).codes).toEqual([]);
  });
});
