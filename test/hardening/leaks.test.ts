// Secret leaks: every demo scenario runs with canary secrets planted in every
// secret input it has (the session private key, its pass phrase, the session
// token and every token the simulator issues — DB tokens included —, the
// wallet and DB password variables, Vault secret contents), in every output
// format (the Ink screen included), with --verbose. No 12-character window of any of them may appear
// in stdout, stderr or the report file.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoCustomizer } from '../../src/commands/demo/command.js';
import { SCENARIOS } from '../../src/commands/demo/scenarios.js';
import { IDS } from '../../src/sim/tenancy.js';
import { main } from '../../src/cli.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, FIXED_NOW, tempDir } from '../helpers/deps.js';
import { testClient, walletFiles, writeWalletDir } from '../helpers/wallet.js';
import type { JsonReport } from '../../src/core/report/json.js';
import { suiteKeyCacheEnv } from '../helpers/key-cache-env.js';

const WINDOW = 12;
const canary = (kind: string): string => `${kind}${randomBytes(12).toString('hex')}`;

/** The secret-bearing text of a value: a PEM's body lines (its BEGIN/END lines are public). */
function secretParts(value: string): string[] {
  if (!value.includes('-----BEGIN')) return [value.trim()];
  const body = value.split(/\r?\n/).filter((l) => l.trim() && !/^-----(BEGIN|END) /.test(l) && !/^(Proc-Type|DEK-Info):/.test(l));
  return [...body.map((l) => l.trim()), body.join('')];
}

/** Every 12-character window of `secrets` found in `output` (also with its whitespace removed). */
function leakedWindows(secrets: Map<string, string>, output: string): string[] {
  const haystacks = [output, output.replace(/\s+/g, '')];
  const windows = new Set<string>();
  for (const h of haystacks) for (let i = 0; i + WINDOW <= h.length; i++) windows.add(h.slice(i, i + WINDOW));
  const found: string[] = [];
  for (const [label, value] of secrets) {
    for (const part of secretParts(value)) {
      for (let i = 0; i + WINDOW <= part.length; i++) {
        const w = part.slice(i, i + WINDOW);
        if (windows.has(w)) {
          found.push(`${label}: …${w}…`);
          break;
        }
      }
    }
  }
  return found;
}

interface Planted {
  secrets: Map<string, string>;
  customize: DemoCustomizer;
}

/**
 * Canaries for a demo run. The session key is encrypted with a canary pass
 * phrase (so the doctor must use it); tokens the simulator issues are recorded
 * as they are issued.
 */
function plant(extra?: (setup: Parameters<DemoCustomizer>[0], secrets: Map<string, string>) => void): Planted {
  const secrets = new Map<string, string>();
  const customize: DemoCustomizer = (setup, tools) => {
    const issue = tools.issuer.issue.bind(tools.issuer);
    let n = 0;
    tools.issuer.issue = (claims) => {
      const token = issue(claims);
      secrets.set(`issued token #${++n}`, token);
      return token;
    };
    const passphrase = canary('pp');
    secrets.set('pass phrase', passphrase);
    secrets.set('session private key', setup.profile.privateKeyPem);
    setup.profile.privateKeyPem = createPrivateKey(setup.profile.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
    setup.profile.passphrase = passphrase;
    secrets.set('encrypted session key', setup.profile.privateKeyPem);
    if (setup.profile.token) secrets.set('session token', setup.profile.token);
    // What `oci iam db-token get` left in ~/.oci/db-token (the direct-cached-token scenarios).
    if (setup.dbTokenCache) {
      secrets.set('cached DB token', setup.dbTokenCache.token);
      secrets.set('cached DB token key', setup.dbTokenCache.privateKeyPem);
    }
    const walletPassword = canary('wp');
    const dbPassword = canary('dp');
    const adminPassword = canary('ap');
    setup.env = { ...setup.env, DBIAM_DOCTOR_WALLET_PASSWORD: walletPassword, DBIAM_DOCTOR_DB_PASSWORD: dbPassword, DBIAM_DOCTOR_ADMIN_PASSWORD: adminPassword };
    secrets.set('wallet password', walletPassword);
    secrets.set('DB password', dbPassword);
    secrets.set('admin password', adminPassword);
    for (const s of setup.fixture.secrets) {
      if (s.id === IDS.walletSecret) continue; // the SSO stand-in: public magic bytes, not a secret
      const content = canary(`sc`);
      s.contentBase64 = Buffer.from(content).toString('base64');
      secrets.set(`Vault secret ${s.name}`, content);
    }
    extra?.(setup, secrets);
  };
  return { secrets, customize };
}

const outDir = tempDir('dbiam-doctor-leaks-');
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

type Doc = JsonReport;

/**
 * Two runs cover the four renderings: text streamed to stdout with the
 * Markdown report file, and JSON on stdout with the plain-text report file.
 */
async function runAllFormats(name: string, planted: Planted): Promise<{ output: string; problems: string[] }> {
  const md = join(outDir, `${name}.md`);
  const txt = join(outDir, `${name}.txt`);
  const a = await runCli(['demo', name, '--format', 'text', '--verbose', '--output', md], { demoCustomize: planted.customize });
  const b = await runCli(['demo', name, '--format', 'json', '--verbose', '--output', txt], { demoCustomize: planted.customize });
  const doc = JSON.parse(b.stdout) as Doc;
  const problems = doc.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code));
  return { output: [a.stdout, a.stderr, readFileSync(md, 'utf8'), b.stdout, b.stderr, readFileSync(txt, 'utf8')].join('\n'), problems };
}

describe('no secret leaks from the demo scenarios', () => {
  it('the window search finds a planted canary (self-test)', () => {
    const secrets = new Map([['x', 'abcdefghijklmnopqrstuvwxyz']]);
    expect(leakedWindows(secrets, 'before mnopqrstuvwx after')).toHaveLength(1);
    expect(leakedWindows(secrets, 'mnopq rstuvwx')).toHaveLength(1);
    expect(leakedWindows(secrets, 'mnopqrstuvw')).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [s.name, s.expect, s.also ?? []] as const))('%s: text, md, json and the report file hold no canary', async (name, expected, also) => {
    const planted = plant();
    const { output, problems } = await runAllFormats(name, planted);
    // The canaries did not derail the run: it still reports exactly what the scenario is about (in any order).
    expect([...problems].sort()).toEqual(expected === undefined ? [] : [expected, ...also].sort());
    expect([...planted.secrets.keys()]).toEqual(expect.arrayContaining(['session private key', 'pass phrase', 'session token', 'wallet password', 'DB password']));
    // A healthy run reaches the database: the DB token the simulator issued is among the canaries.
    if (expected === undefined) expect([...planted.secrets.keys()].some((k) => k.startsWith('issued token'))).toBe(true);
    expect(leakedWindows(planted.secrets, output)).toEqual([]);
  });

  it.each(['healthy', 'session-expired', 'untrusted-ca'])('%s: the Ink screen (a terminal, 80 columns) holds no canary', async (name) => {
    const planted = plant();
    // A terminal that records every frame Ink writes; stdin is not a terminal,
    // so the screen closes once the run is done.
    let screen = '';
    const stdout = Object.assign(new EventEmitter(), { isTTY: true, columns: 80, rows: 40, write: (s: string) => ((screen += s), true) });
    let stderr = '';
    await main({
      argv: ['demo', name, '--format', 'tty', '--verbose'],
      env: suiteKeyCacheEnv(),
      cwd: outDir,
      system: fakeSystem(),
      now: () => FIXED_NOW,
      stdout,
      stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
      stdin: Readable.from([]) as unknown as NodeJS.ReadStream,
      demoCustomize: planted.customize,
    });
    // The screen did render the run (not an empty capture that trivially holds no secret).
    expect(screen).toMatch(/dbiam-doctor/);
    expect(screen).toMatch(/passed|failed|warning/i);
    expect(leakedWindows(planted.secrets, `${screen}\n${stderr}`)).toEqual([]);
  });

  it('error path: a wrong pass phrase is reported without showing it or the key', async () => {
    const planted = plant((setup, secrets) => {
      const wrong = canary('wrongpp');
      setup.profile.passphrase = wrong;
      secrets.set('wrong pass phrase', wrong);
    });
    const { output, problems } = await runAllFormats('healthy', planted);
    expect(problems).toContain('key.passphrase-wrong');
    expect(leakedWindows(planted.secrets, output)).toEqual([]);
  });

  it('error path: a session token file holding no JWT is reported without showing its content', async () => {
    const planted = plant((setup, secrets) => {
      const garbage = canary('notajwt');
      setup.profile.token = garbage;
      secrets.set('garbage token', garbage);
    });
    const { output, problems } = await runAllFormats('healthy', planted);
    expect(problems).toContain('session.token-malformed');
    expect(leakedWindows(planted.secrets, output)).toEqual([]);
  });

  it.each([
    ['decrypts', 'wallet.dir'],
    ['does not decrypt', 'wallet.password-wrong'],
  ])('wallet password: an encrypted ewallet.pem whose key the password in the environment %s', async (what, expected) => {
    const planted = plant((setup, secrets) => {
      const envPassword = setup.env?.DBIAM_DOCTOR_WALLET_PASSWORD ?? '';
      const keyPassword = what === 'decrypts' ? envPassword : canary('otherwp');
      secrets.set('wallet key password', keyPassword);
      secrets.set('wallet client key', testClient().keyPem);
      const dir = writeWalletDir(join(outDir, `wallet-${what.replace(/ /g, '-')}`), walletFiles({ password: keyPassword, readmeExpiry: new Date(Date.now() + 90 * 86_400_000) }));
      setup.doctorConfig.tnsAdmin = dir;
    });
    const { output, problems } = await runAllFormats('healthy', planted);
    if (expected === 'wallet.password-wrong') expect(problems).toContain(expected);
    else expect(problems).not.toContain('wallet.password-wrong');
    expect(output).toContain('DBIAM_DOCTOR_WALLET_PASSWORD');
    expect(leakedWindows(planted.secrets, output)).toEqual([]);
  });

  it('error path: a Vault secret that is not a wallet is reported without showing its content', async () => {
    const planted = plant((setup, secrets) => {
      const content = canary('notawallet');
      const wallet = setup.fixture.secrets.find((s) => s.id === IDS.walletSecret);
      if (wallet) wallet.contentBase64 = Buffer.from(content).toString('base64');
      setup.doctorConfig.walletSecretId = IDS.walletSecret;
      secrets.set('wallet secret content', content);
    });
    const { output, problems } = await runAllFormats('healthy', planted);
    expect(problems).toContain('secret.unrecognised-content');
    expect(leakedWindows(planted.secrets, output)).toEqual([]);
  });
});

describe('no secret leaks from explain', () => {
  it.each(['text', 'md', 'json'])('pasted passwords, pass phrases, tokens, keys and env secrets stay out of the %s output', async (format) => {
    const secrets = new Map<string, string>([
      ['password', canary('pw')],
      ['pass phrase', canary('pp')],
      ['env secret', canary('env')],
      ['token', `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: canary('sub') })).toString('base64url')}.${randomBytes(64).toString('base64url')}`],
    ]);
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    secrets.set('private key', pem);
    const pasted = [
      'ORA-01017: invalid username/password; logon denied',
      `connect: user=ADMIN password=${secrets.get('password')} dsn=ledger_high`,
      `pass_phrase = ${secrets.get('pass phrase')}`,
      `Authorization: Bearer ${secrets.get('token')}`,
      `the database password is ${secrets.get('env secret')}`,
      pem,
      'NJS-506: connection to host db.example.com port 1522 encountered TLS handshake failure.',
    ].join('\n');
    const stdin = Readable.from([Buffer.from(pasted)]) as unknown as NodeJS.ReadStream;
    const out = await runCli(['explain', '-', '--format', format], { stdin, env: { DBIAM_DOCTOR_DB_PASSWORD: secrets.get('env secret') } });
    expect(out.stdout).toMatch(/ORA-01017|01017/);
    expect(leakedWindows(secrets, `${out.stdout}\n${out.stderr}`)).toEqual([]);
  });
});
