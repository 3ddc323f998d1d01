// Class 2 (secrets printed in error paths) and class 8 (--redact incomplete
// and corrupting). Secrets are generated here, in the shapes the redactor
// must recognise without being told the value, and planted where the doctor
// quotes text: a malformed config line, a proxy variable, --dsn, a pasted
// error, the old content of a file setup replaces. No secret may appear in
// any format, -o file or on the screen.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { applyProxyEnvironment } from '../../src/adapters/proxy.js';
import { main } from '../../src/cli.js';
import { redactByShape, Redactor } from '../../src/core/redact.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, FIXED_NOW, tempDir } from '../helpers/deps.js';
import { everyFormat, secretShape, seededRandom } from './hostile.js';
import { suiteKeyCacheEnv } from '../helpers/key-cache-env.js';

const SEED = Number(process.env.HOSTILE_SEED ?? 19);


async function screenOf(argv: string[], env: Record<string, string> = {}): Promise<string> {
  let screen = '';
  const stdout = Object.assign(new EventEmitter(), { isTTY: true, columns: 120, rows: 60, write: (s: string) => ((screen += s), true) });
  let stderr = '';
  await main({
    argv: [...argv, '--format', 'tty'],
    env: { ...suiteKeyCacheEnv(), ...env },
    cwd: tempDir('dbiam-doctor-screen-'),
    system: fakeSystem(),
    now: () => FIXED_NOW,
    stdout,
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    stdin: Readable.from([]) as unknown as NodeJS.ReadStream,
  });
  return `${screen}\n${stderr}`;
}

/** The secret, or any 10-character window of it, in an output. */
function leaked(secret: string, outputs: { name: string; text: string }[]): string[] {
  const found: string[] = [];
  const W = Math.min(10, secret.length);
  for (const o of outputs) {
    for (let i = 0; i + W <= secret.length; i++) {
      if (o.text.includes(secret.slice(i, i + W))) {
        found.push(`${o.name}: …${secret.slice(i, i + W)}…`);
        break;
      }
    }
  }
  return found;
}

function configFile(lines: string[]): string {
  const home = tempDir('dbiam-doctor-secret-home-');
  mkdirSync(join(home, '.oci'));
  const path = join(home, '.oci', 'config');
  writeFileSync(path, ['[DEFAULT]', 'region=us-ashburn-1', 'key_file=/nonexistent/k.pem', ...lines, ''].join('\n'));
  return path;
}

describe('a malformed line of a secret-bearing file is named by line and key, never quoted', () => {
  it('pass_phrase without = and a pasted key body (the examples from the issue)', async () => {
    const rng = seededRandom(SEED);
    const pass = `MyS3cret${Math.floor(rng() * 1e9)}pw`;
    const pem = secretShape(seededRandom(SEED + 100));
    const body = pem.kind === 'pem-body' ? pem.text : 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    const cfg = configFile([`pass_phrase ${pass}`, body]);
    const outs = await everyFormat('secrets', ['--offline', '--config-file', cfg, '--only', 'profile.config']);
    expect(leaked(pass, outs)).toEqual([]);
    expect(leaked(body, outs)).toEqual([]);
    const text = outs[0]?.text ?? '';
    expect(text).toMatch(/line 4: .*pass_phrase/);
    expect(text).toMatch(/line 5: /);
    const screen = await screenOf(['--offline', '--config-file', cfg, '--only', 'profile.config']);
    expect(leaked(pass, [{ name: 'screen', text: screen }])).toEqual([]);
  });

  it('generated secret shapes on malformed lines', async () => {
    const rng = seededRandom(SEED + 1);
    const shapes = Array.from({ length: 8 }, () => secretShape(rng));
    const cfg = configFile(shapes.map((s) => s.text.replace(/[=:]/g, ' ')));
    const outs = await everyFormat('secrets', ['--offline', '--config-file', cfg, '--only', 'profile.config']);
    for (const s of shapes) expect(leaked(s.secret, outs), s.kind).toEqual([]);
  });
});

describe('credentials in a proxy variable, --dsn and pasted errors are redacted by shape', () => {
  it('HTTPS_PROXY without a scheme, with / and @ in the password', async () => {
    const rng = seededRandom(SEED + 2);
    for (let i = 0; i < 3; i++) {
      const pw = `p${Math.floor(rng() * 1e6)}/x@y${Math.floor(rng() * 1e6)}`;
      const outs = await everyFormat('secrets', ['--offline', '--only', 'env.proxy'], { env: { HTTPS_PROXY: `proxyuser:${pw}@127.0.0.1:3128` } });
      expect(leaked(pw, outs)).toEqual([]);
      expect(outs[0]?.text).toContain('proxyuser');
    }
  });

  it('--dsn user/password@host/service in the header, the target check and every format', async () => {
    const rng = seededRandom(SEED + 3);
    const pw = `Pw${Math.floor(rng() * 1e9)}x`;
    const outs = await everyFormat('secrets', ['--offline', '--only', 'connect.target', '--dsn', `admin/${pw}@127.0.0.1:1522/svc_high`]);
    expect(leaked(pw, outs)).toEqual([]);
    expect(outs[0]?.text).toContain('admin/[password redacted]@127.0.0.1:1522/svc_high');
    const screen = await screenOf(['--offline', '--only', 'connect.target', '--dsn', `admin/${pw}@127.0.0.1:1522/svc_high`]);
    expect(leaked(pw, [{ name: 'screen', text: screen }])).toEqual([]);
  });

  it('a usage error quoting a value does not echo credentials', async () => {
    const r = await runCli(['--imds-url', 'http://metauser:Zq9SecretPw@[::1']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('Zq9SecretPw');
  });

  it('explain: generated shapes (bearer, pwd=, JWT, PEM body without BEGIN, URL and connect-string passwords)', async () => {
    const rng = seededRandom(SEED + 4);
    for (let round = 0; round < 4; round++) {
      const shapes = Array.from({ length: 5 }, () => secretShape(rng));
      // Each on the line of an error the explainer quotes back (an unknown ORA- code shows its line).
      const text = ['ORA-01017: invalid credential or not authorized; logon denied', ...shapes.map((s, i) => `ORA-2999${i}: connect failed ${s.text}`)].join('\n');
      const outs = await everyFormat('secrets', ['explain', text]);
      expect(outs[0]?.text).toContain('ORA-29990: connect failed');
      for (const s of shapes) expect(leaked(s.secret, outs), s.kind).toEqual([]);
    }
  });
});

describe('setup --out: the diff of a replaced file shows no secret line of the old file', () => {
  it('pass phrases and key bodies in the old file are masked in the diff', async () => {
    const out = tempDir('dbiam-doctor-setup-diff-');
    const answers = join(import.meta.dirname, '../fixtures/setup/api-key-shared-group-dbtools/answers.json');
    await runCli(['setup', '--answers', answers, '--out', out]);
    const pem = secretShape(seededRandom(SEED + 200));
    const pass = `OldPass${Date.now()}phrase`;
    const file = join(out, 'oci-config-profile.txt');
    writeFileSync(file, `${readFileSync(file, 'utf8')}pass_phrase = ${pass}\n${pem.kind === 'pem-body' ? pem.text : ''}\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n`);
    const r = await runCli(['setup', '--answers', answers, '--out', out]);
    const all = `${r.stdout}${r.stderr}`;
    expect(all).toContain('oci-config-profile.txt');
    expect(all).not.toContain(pass);
    expect(all).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj');
    if (pem.kind === 'pem-body') expect(all).not.toContain(pem.text);
  });
});

describe('a proxy value undici could not parse', () => {
  it('user:pass@host without a scheme, / and @ in the password: the proxy receives the right credentials', async () => {
    let auth: string | undefined;
    const held = new Set<Socket>();
    const proxy = createServer((_req, res) => res.writeHead(502).end());
    proxy.on('connect', (req: IncomingMessage, socket: Socket) => {
      auth = req.headers['proxy-authorization'];
      held.add(socket);
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const { port } = proxy.address() as AddressInfo;
    const pw = 'p/a@ss:w0rd';
    try {
      await applyProxyEnvironment({ HTTPS_PROXY: `proxyuser:${pw}@127.0.0.1:${port}` });
      await fetch('https://127.0.0.1:4443/', { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      expect(auth).toBe(`Basic ${Buffer.from(`proxyuser:${pw}`).toString('base64')}`);
    } finally {
      await applyProxyEnvironment({});
      for (const s of held) s.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('--redact: identities, hosts, addresses and IAM names by whole token', () => {
  it('as root, "root" in prose is kept; e-mails, IPs, hosts, groups, compartments and policies are masked', () => {
    const r = new Redactor({ maskIdentifiers: true, homeDir: '/root', userName: 'root', hostName: 'build-7' });
    const out = r.redact(
      "no root for the root compartment. allow group DBUsers to use database-connections in compartment Finance:Apps; policy 'db-access'; user alice@example.com at 10.1.2.3 and fe80::1 via db7.adb.us-ashburn-1.oraclecloudapps.com on build-7; IAM_PRINCIPAL_NAME=alice",
    );
    expect(out).toContain('no root for the root compartment');
    expect(out).not.toContain('<user>');
    for (const s of ['DBUsers', 'Finance', 'db-access', 'alice', '10.1.2.3', 'fe80::1', 'oraclecloudapps', 'build-7']) expect(out, s).not.toContain(s);
  });

  it('the database host of --dsn, even without a domain, in every format', async () => {
    for (const dsn of ['dbhost7:1522/svc_high', '(description=(address=(protocol=tcps)(host=dbhost7)(port=1522))(connect_data=(service_name=s)))']) {
      const outs = await everyFormat('secrets', ['--offline', '--only', 'connect.target', '--redact', '--dsn', dsn]);
      for (const o of outs) expect(o.text, o.name).not.toContain('dbhost7');
      expect(outs[0]?.text).toContain('<host>');
    }
  });

  it('a demo run with --redact as root: no identity of the simulated tenancy, no "<user>" in prose', async () => {
    const r = await runCli(['demo', 'healthy', '--redact', '--format', 'md'], { system: fakeSystem({ userName: 'root', homeDir: '/root', hostName: 'build-7' }) });
    expect(r.stdout).toMatch(/passed/);
    expect(r.stdout).not.toContain('<user>');
    for (const s of ['alice@example.com', "policy 'db-access'"]) expect(r.stdout, s).not.toContain(s);
  }, 60_000);
});

describe('redaction stays linear on megabyte inputs (a pasted blob, a huge error)', () => {
  const inputs: Record<string, () => string> = {
    base64: () => randomBytes(750_000).toString('base64'),
    'colons and slashes': () => 'a:b/c'.repeat(200_000),
    'no @ after a colon': () => `x:${'y'.repeat(1_000_000)}`,
    'kind words': () => 'user group x@y '.repeat(70_000),
    'dotted labels': () => `${'a.b.c.d.e.f'.repeat(100_000)}@`,
  };
  for (const [name, make] of Object.entries(inputs)) {
    it(name, () => {
      const text = make();
      const r = new Redactor({ maskIdentifiers: true, userName: 'tester', hostName: 'testhost' });
      const t0 = performance.now();
      r.redact(text);
      // Linear work is tens of milliseconds here; quadratic backtracking took seconds to minutes.
      expect(performance.now() - t0).toBeLessThan(4000);
    });
  }
});

describe('key body lines without their BEGIN line', () => {
  it('every full body line of 40 generated keys is redacted, while paths, hex digests and OCIDs are kept', () => {
    for (let k = 0; k < 40; k++) {
      const lines = generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString()
        .split('\n')
        .filter((l) => l.length >= 40 && !l.startsWith('-----'));
      for (const l of lines) expect(redactByShape(`key_file line: ${l}`)).not.toContain(l.slice(0, 16));
    }
    // Lines that start with '/' and split into short pieces, as about one random key line in ten thousand
    // does (one failed CI: '/KWX/NGSQ…/lyA/wZ0z…' was kept as a path): every such line of 200,000 random ones.
    let pathShaped = 0;
    for (let i = 0; i < 200_000; i++) {
      const line = randomBytes(48).toString('base64');
      if (!line.startsWith('/') || line.includes('+') || line.split('/').filter(Boolean).length < 5) continue;
      pathShaped++;
      expect(redactByShape(`key_file line: ${line}`)).not.toContain(line.slice(0, 16));
    }
    expect(pathShaped, 'the sample holds path-shaped lines, so the test can fail').toBeGreaterThan(0);
    // One a full run met: 3 digits, 7 short pieces, no long piece with a digit, but 22 capitals in 64.
    const manyCapitals = '/oyzHegAH6lm/3Ezr/qAu/IIjMqSuJafULO/zcBsfRtoFzvBwjnmqVF/w/0WgyZO';
    expect(redactByShape(`key_file line: ${manyCapitals}`)).not.toContain(manyCapitals.slice(0, 16));
    // A full 64-character body line with a single digit and no '+' (about one line in ten thousand).
    const fewDigits = 'AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIj7k';
    expect(redactByShape(`key_file line: ${fewDigits}`)).not.toContain(fewDigits.slice(0, 16));
    for (const kept of ['/home/User1/Documents/projectFolder/wallet/cwallet', '/Users/JaneDoe2/OracleWallets/ProdWallet19/cwallet', '0123456789abcdef0123456789abcdef0123456789abcdef', 'ocid1.user.oc1..aaaaaaaabbbbbbbbccccccccdd123456aaaaaaaabbbbbbbbcccccccc']) expect(redactByShape(kept)).toBe(kept);
  });
});
