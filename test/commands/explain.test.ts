import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, allCodes } from '../../src/checks/catalogue.js';
import type { CliIO } from '../../src/commands/io.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';

const NJS_518 = 'NJS-518: cannot connect to Oracle Database. Service "nope_high" is not registered with the listener at host 127.0.0.1 port 1522. (CONNECTION_ID=bW9ja2Nvbm4=)';
const NJS_506 = 'NJS-506: connection to host db.example.com port 1522 encountered TLS handshake failure. (CONNECTION_ID=eDE=)\nunable to get local issuer certificate';

function stdinOf(text: string, isTTY = false): NodeJS.ReadStream {
  const stream = Readable.from([Buffer.from(text)]) as unknown as NodeJS.ReadStream;
  stream.isTTY = isTTY;
  return stream;
}

// Canaries: obviously fake secrets pasted along with the errors.
const CANARY = {
  token: `eyJhbGciOiJSUzI1NiIsImtpZCI6ImNhbmFyeSJ9.${Buffer.from('{"sub":"CANARY-token-subject","exp":1}').toString('base64url')}.Q0FOQVJZLXNpZ25hdHVyZS03ZjNh`,
  password: 'CANARY-pw-5c7e9a1b',
  envSecret: 'CANARY-env-2b8d4e6f',
};

/** Any 12-character window of a canary in the output is a leak. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of Object.values(CANARY)) {
    for (let i = 0; i + 12 <= secret.length; i++) if (text.includes(secret.slice(i, i + 12))) found.push(secret.slice(i, i + 12));
  }
  return found;
}

describe('dbiam-doctor explain', () => {
  it('prints text by default when stdout is not a terminal, and exits 0 when everything was recognised', async () => {
    const r = await runCli(['explain', NJS_518]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^dbiam-doctor 0\.1\.0\npasted error: \d+ chars from node-oracledb\n\n1 problem recognised\n/);
    expect(r.stdout).toContain('✖ FAIL: Service "nope_high" is not registered with the listener at 127.0.0.1:1522');
    expect(r.stdout).toContain('  code: db.service-unknown');
    expect(r.stdout).toContain('    recognised: NJS-518');
    expect(r.stdout).toContain('    $ grep -io "service_name=[^)]*" "$TNS_ADMIN/tnsnames.ora"');
  });

  it('names the check that reports the same code live', async () => {
    const r = await runCli(['explain', '{"code": "NotAuthenticated", "status": 401}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('code: identity.not-authenticated (check: Who am I (one signed OCI call))');
  });

  it('exits 1 when some error was not recognised, and says what was', async () => {
    const r = await runCli(['explain', `${NJS_518}\n\nORA-00942: table or view does not exist`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 problem recognised, 1 error not recognised');
    expect(r.stdout).toContain('⚠ WARN: Not a known error on the IAM-to-database path: ORA-00942');
    expect(r.stdout).toContain('code: explain.unknown-error');
  });

  it('--format tty renders the same text (no screen for a one-shot answer)', async () => {
    const text = await runCli(['explain', NJS_506, '--format', 'text']);
    const tty = await runCli(['explain', NJS_506, '--format', 'tty']);
    expect(tty.stdout).toBe(text.stdout);
  });

  it('--format md renders a ticket-ready section per explanation', async () => {
    const r = await runCli(['explain', NJS_506, '--format', 'md']);
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md).toMatch(/^# dbiam-doctor: pasted error explained\n\n\*\*1 problem recognised\*\* · \d+ chars from node-oracledb · dbiam-doctor 0\.1\.0\n/);
    expect(md).toContain("## ✖ The server's certificate chain does not lead to a root this client trusts at db.example.com:1522");
    // The title of the check that reports the code live; its area while that check is not in this build.
    const owner = allCodes().find((e) => e.spec.code === 'tls.untrusted-root')?.owner;
    const ownerTitle = ALL_CHECKS.find((c) => c.id === owner)?.title ?? 'tls checks';
    expect(md).toContain(`FAIL · \`tls.untrusted-root\` · reported live by: ${ownerTitle}`);
    expect(md).toContain('```sh\nopenssl s_client -connect db.example.com:1522 -showcerts </dev/null\n```');
    expect(md).toContain('| recognised | NJS-506 → unable to get local issuer certificate |');
  });

  it('--format json writes {input: {length}, explanations} and nothing else', async () => {
    const input = `${NJS_518}\nORA-25706: ?`;
    const r = await runCli(['explain', input, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { input: { length: number; clients: string[] }; recognised: boolean; explanations: Record<string, unknown>[] };
    expect(doc.input).toEqual({ length: input.length, clients: ['node-oracledb'] });
    expect(doc.recognised).toBe(false);
    expect(doc.explanations).toHaveLength(2);
    expect(doc.explanations[0]).toMatchObject({
      code: 'db.service-unknown',
      severity: 'fail',
      fix: { text: expect.any(String), commands: expect.any(Array) },
      recognised: 'NJS-518',
      errors: ['NJS-518'],
      related: [],
      evidence: { service: 'nope_high', host: '127.0.0.1', port: '1522' },
      // The check that reports the code live, if this build has it.
      check: allCodes().find((e) => e.spec.code === 'db.service-unknown')?.owner ?? null,
    });
    expect(doc.explanations[1]).toMatchObject({ code: 'explain.unknown-error', severity: 'warn', errors: ['ORA-25706'] });
  });

  it('reads the error from standard input with -', async () => {
    const r = await runCli(['explain', '-', '--format', 'json'], { stdin: stdinOf(`${NJS_506}\n`) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { input: { length: number }; explanations: { code: string }[] };
    expect(doc.input.length).toBe(NJS_506.length + 1);
    expect(doc.explanations.map((e) => e.code)).toEqual(['tls.untrusted-root']);
  });

  it('prompts on stderr when standard input is a terminal', async () => {
    const r = await runCli(['explain', '-'], { stdin: stdinOf('NJS-087: access token has expired', true) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Paste the error, then press Ctrl\+D/);
    expect(r.stdout).toContain('db.token-expired');
  });

  it.each([
    ['no text at all', ['explain'], {}],
    ['an empty text', ['explain', '   '], {}],
    ['- without standard input', ['explain', '-'], {}],
    ['- with empty standard input', ['explain', '-'], { stdin: stdinOf('') }],
    ['two texts', ['explain', 'a', 'b'], {}],
  ] as [string, string[], Partial<CliIO>][])('exits 2 on %s', async (_what, argv, io) => {
    const r = await runCli(argv, io);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dbiam-doctor: /);
  });

  it('refuses standard input larger than a megabyte', async () => {
    const r = await runCli(['explain', '-'], { stdin: stdinOf('x'.repeat(1024 * 1024 + 10)) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than/);
  });

  it('never prints a token, a password= value or a secret from the environment that came with the paste, in any format', async () => {
    const pasted = [
      `ORA-00942: table or view does not exist -- token ${CANARY.token} password=${CANARY.password}`,
      'NJS-506: connection to host db.example.com port 1522 encountered TLS handshake failure. (CONNECTION_ID=eQ==)',
      `weird cause with "walletPassword": "${CANARY.password}" and ${CANARY.envSecret}`,
      'NJS-168: access token function failed.',
      `Error: token ${CANARY.token} rejected, password: ${CANARY.password}`,
    ].join('\n');
    const env = { DBIAM_DOCTOR_DB_PASSWORD: CANARY.envSecret };
    const dir = tempDir();
    for (const format of ['text', 'md', 'json']) {
      const r = await runCli(['explain', '-', '--format', format, '--output', join(dir, `out.${format === 'text' ? 'txt' : format}`)], { env, stdin: stdinOf(pasted) });
      expect(r.code).toBe(1);
      expect(leaks(r.stdout), format).toEqual([]);
      expect(leaks(r.stderr), format).toEqual([]);
      // The redacted lines are still shown, so the reader sees what was pasted.
      expect(r.stdout, format).toMatch(/\[token redacted, \d+ chars\]/);
      expect(r.stdout, format).toContain('password=[redacted]');
      expect(r.stdout, format).toContain('[DBIAM_DOCTOR_DB_PASSWORD redacted]');
    }
    for (const file of ['out.txt', 'out.md', 'out.json']) expect(leaks(readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
  });

  it('--redact also masks OCIDs quoted by the error', async () => {
    const text = '{"code": "NotAuthorizedOrNotFound", "status": 404, "operation_name": "get_autonomous_database", "request_endpoint": "GET https://database.us-ashburn-1.oraclecloud.com/20160918/autonomousDatabases/ocid1.autonomousdatabase.oc1.iad.anuwcljrexampleexampleexample123456"}';
    const plain = await runCli(['explain', text]);
    expect(plain.stdout).toContain('ocid1.autonomousdatabase.oc1.iad.anuwcljrexampleexampleexample123456');
    const masked = await runCli(['explain', text, '--redact']);
    expect(masked.code).toBe(0);
    expect(masked.stdout).not.toContain('anuwcljrexampleexampleexample123456');
    expect(masked.stdout).toContain('ocid1.autonomousdatabase.oc1.iad.…123456');
  });

  it('writes the explanation to --output in the format of its extension', async () => {
    const dir = tempDir();
    const r = await runCli(['explain', NJS_518, '--output', join(dir, 'explained.md')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'explained.md'), 'utf8')).toMatch(/^# dbiam-doctor: pasted error explained/);
  });
});

describe('explain on bad input: a clear answer, never a crash', () => {
  it('an empty argument and one of only white space say so, exit 2', async () => {
    const empty = await runCli(['explain', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/error text is empty/);
    const blank = await runCli(['explain', ' \n\t \n']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/only white space/);
  });

  it('binary data on standard input is refused as not being error text', async () => {
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    const stream = Readable.from([binary]) as unknown as NodeJS.ReadStream;
    const r = await runCli(['explain', '-'], { stdin: stream });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not look like error text/);
    expect(r.stdout).toBe('');
  });

  it('10 MB of text as an argument is refused with its size, quickly', async () => {
    const t = Date.now();
    const r = await runCli(['explain', `${NJS_518}\n`.repeat(Math.ceil((10 * 1024 * 1024) / NJS_518.length))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than 1048576/);
    expect(Date.now() - t).toBeLessThan(5000);
  });
});

describe('explain speaks the doctor’s vocabulary', () => {
  it('its fix text is the catalogue’s fix for the code, and its JSON has the finding shape', async () => {
    const r = await runCli(['explain', NJS_518, '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { explanations: Record<string, unknown>[] };
    const spec = allCodes().find((e) => e.spec.code === 'db.service-unknown')?.spec;
    expect(doc.explanations[0]).toMatchObject({ code: 'db.service-unknown', title: expect.any(String), detail: expect.any(String), fix: { text: spec?.fix }, evidence: expect.any(Object) });
    expect(doc.explanations[0]).not.toHaveProperty('cause');
  });

  it('an error with several causes lists them ranked, each with the look that tells it apart', async () => {
    // oracle/ojdbc-extensions#205: ORA-12506 when mutual TLS is required and no wallet was given.
    const r = await runCli(['explain', 'During connection establishment it throws ORA-12506: TNS:listener rejected connection based on service ACL filtering']);
    expect(r.stdout).toMatch(/2 possible causes, most likely first/);
    // Text output folds long lines (continuations indented): read them joined.
    const unfolded = r.stdout.replace(/\n {6,}/g, ' ');
    expect(unfolded).toMatch(/cause 1: tls\.client-cert-required: .*tell: oci db autonomous-database get .*is-mtls-connection-required/);
    expect(unfolded).toMatch(/cause 2: db\.acl-rejected: .*whitelisted-ips/);
  });
});
