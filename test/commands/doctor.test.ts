import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../src/checks/deps.js';
import { findingFrom } from '../../src/checks/finding.js';
import type { FindingSpec } from '../../src/core/types.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';

const SPEC_FAIL: FindingSpec = { code: 'test.broken-link', severity: 'fail', meaning: 'a link is broken', fix: 'mend it' };
const SPEC_WARN: FindingSpec = { code: 'test.shaky-link', severity: 'warn', meaning: 'a link is shaky', fix: 'brace it' };

// Canaries: obviously fake secrets planted in every input a check could see.
const CANARY = {
  passphrase: 'CANARY-passphrase-7f3a9c1e',
  dbPassword: 'CANARY-dbpassword-2b8d4e6f',
  token: `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"sub":"CANARY-token-claims"}').toString('base64url')}.CANARY-signature-5c7e9a`,
};

function fakeCheck(id: string, category: DoctorCheck['category'], outcome: 'pass' | 'warn' | 'fail', dependsOn: string[] = []): DoctorCheck {
  return {
    id,
    title: `Fake ${id}`,
    category,
    dependsOn,
    timeoutMs: 2000,
    codes: [SPEC_FAIL, SPEC_WARN],
    async run({ deps }) {
      // A check that met secrets registers them, then (carelessly) quotes them.
      deps.secrets.add(CANARY.passphrase, 'pass phrase');
      deps.secrets.add(CANARY.token, 'session token');
      console.log(`library noise with ${CANARY.passphrase} and ${CANARY.token}`);
      if (outcome === 'pass') return { summary: 'fine', findings: [] };
      const spec = outcome === 'fail' ? SPEC_FAIL : SPEC_WARN;
      return {
        summary: outcome,
        findings: [
          findingFrom(spec, {
            title: `link ${id} | with pipe`,
            detail: `the key said ${CANARY.passphrase}; env had ${CANARY.dbPassword}`,
            evidence: { token: CANARY.token, 'pass_phrase': CANARY.passphrase, user: 'ocid1.user.oc1..aaaaaaaexampleuser123456' },
            commands: [`oci session refresh --profile DEFAULT # ${CANARY.passphrase}`],
          }),
        ],
      };
    },
  };
}

const failing = [fakeCheck('a.one', 'env', 'pass'), fakeCheck('a.two', 'profile', 'fail'), fakeCheck('a.three', 'session', 'pass', ['a.two']), fakeCheck('a.four', 'tls', 'warn')];
const env = { DBIAM_DOCTOR_DB_PASSWORD: CANARY.dbPassword };

function leaks(text: string): string[] {
  // Any 12-character window of a canary counts as a leak.
  const found: string[] = [];
  for (const secret of Object.values(CANARY)) {
    for (let i = 0; i + 12 <= secret.length; i++) {
      const window = secret.slice(i, i + 12);
      if (text.includes(window)) {
        found.push(window);
        break;
      }
    }
  }
  return found;
}

describe('doctor command', () => {
  it.each(['text', 'md', 'json'])('shows no secret in --format %s, with --verbose', async (format) => {
    const out = await runCli(['--format', format, '--verbose'], { checks: failing, env });
    expect(out.code).toBe(1);
    expect(leaks(out.stdout + out.stderr)).toEqual([]);
    expect(out.stderr).toContain('library noise with [pass phrase redacted]');
  });

  it('writes JSON only on stdout, in the documented schema', async () => {
    const out = await runCli(['--format', 'json'], { checks: failing, env });
    const doc = JSON.parse(out.stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['tool', 'startedAt', 'durationMs', 'summary', 'checks']));
    expect(doc.tool).toEqual({ name: 'dbiam-doctor', version: '0.1.0', host: 'testhost' });
    expect(doc.summary).toEqual({ pass: 1, warn: 1, fail: 1, skip: 1, error: 0 });
    const two = doc.checks.find((c: { id: string }) => c.id === 'a.two');
    expect(two).toMatchObject({ id: 'a.two', category: 'profile', status: 'fail' });
    expect(two.findings[0]).toMatchObject({ code: 'test.broken-link', severity: 'fail', fix: { text: 'mend it' } });
    expect(doc.checks.find((c: { id: string }) => c.id === 'a.three').status).toBe('skip');
    expect(out.stderr).toBe('');
  });

  it('renders a Markdown report with a summary table, the fix and evidence folded', async () => {
    const out = await runCli(['--format', 'md'], { checks: failing, env });
    expect(out.stdout).toMatch(/^# dbiam-doctor report/);
    expect(out.stdout).toContain('| ✖ | Fake a.two | profile | fail: fail |');
    expect(out.stdout).toContain('### ✖ link a.two | with pipe');
    expect(out.stdout).toContain('**Fix:** mend it');
    expect(out.stdout).toMatch(/```sh\noci session refresh --profile DEFAULT # \[pass phrase redacted\]\n```/);
    expect(out.stdout).toContain('<details><summary>Evidence</summary>');
    // Failures come before warnings.
    expect(out.stdout.indexOf('link a.two')).toBeLessThan(out.stdout.indexOf('link a.four'));
  });

  it('prints plain text without escape codes, header first', async () => {
    const out = await runCli(['--format', 'text'], { checks: failing, env });
    expect(out.stdout.startsWith('dbiam-doctor 0.1.0\n')).toBe(true);
    expect(out.stdout).not.toMatch(/\u001b/);
    expect(out.stdout).toContain('○ Fake a.three — skipped: Fake a.two did not pass (fail)');
    expect(out.stdout).toContain('1 passed, 1 warning, 1 failed, 0 errors, 1 skipped');
  });

  it('masks OCIDs and identities with --redact', async () => {
    const out = await runCli(['--format', 'json', '--redact'], { checks: failing, env });
    expect(out.stdout).not.toContain('exampleuser123456');
    expect(out.stdout).toContain('ocid1.user.oc1.…123456');
  });

  it('exits 0 when nothing failed, 1 on warnings with --strict', async () => {
    const clean = [fakeCheck('b.one', 'env', 'pass'), fakeCheck('b.two', 'env', 'warn')];
    expect((await runCli(['--format', 'text'], { checks: clean })).code).toBe(0);
    expect((await runCli(['--format', 'text', '--strict'], { checks: clean })).code).toBe(1);
  });

  it('runs only what --only names plus its dependencies, and skips what --skip names', async () => {
    const only = JSON.parse((await runCli(['--format', 'json', '--only', 'a.three'], { checks: failing })).stdout);
    expect(only.checks.map((c: { id: string }) => c.id)).toEqual(['a.two', 'a.three']);
    const skipped = JSON.parse((await runCli(['--format', 'json', '--skip', 'profile'], { checks: failing })).stdout);
    expect(skipped.checks.find((c: { id: string }) => c.id === 'a.two')).toMatchObject({ status: 'skip', summary: 'skipped by --skip' });
  });

  it('skips checks that need the OCI API under --offline', async () => {
    const api: DoctorCheck = { ...fakeCheck('c.api', 'identity', 'pass'), needsOciApi: true };
    const doc = JSON.parse((await runCli(['--format', 'json', '--offline'], { checks: [api] })).stdout);
    expect(doc.checks[0]).toMatchObject({ status: 'skip', summary: expect.stringContaining('--offline') });
  });

  it('writes the report to --output in the format of its extension, leaving no temp file', async () => {
    const dir = tempDir();
    const out = await runCli(['--format', 'text', '--output', 'report.json'], { checks: failing, env, cwd: dir });
    expect(out.code).toBe(1);
    const saved = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(JSON.parse(saved).summary.fail).toBe(1);
    expect(leaks(saved)).toEqual([]);
    expect(existsSync(join(dir, 'report.json'))).toBe(true);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('reads options from ./dbiam-doctor.json and rejects a broken one with exit 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dbiam-doctor.json'), JSON.stringify({ only: ['a.one'] }));
    const doc = JSON.parse((await runCli(['--format', 'json'], { checks: failing, cwd: dir })).stdout);
    expect(doc.checks.map((c: { id: string }) => c.id)).toEqual(['a.one']);
    writeFileSync(join(dir, 'dbiam-doctor.json'), '{ "only": ');
    const bad = await runCli(['--format', 'json'], { checks: failing, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toMatch(/dbiam-doctor\.json: not valid JSON/);
    expect(bad.stdout).toBe('');
  });

  it('a hostile ./dbiam-doctor.json (500,000 nested brackets) is exit 2 with the usual one line, not a crash', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dbiam-doctor.json'), '['.repeat(500_000));
    const r = await runCli(['--format', 'json'], { checks: failing, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dbiam-doctor: \S*dbiam-doctor\.json: not valid JSON \(it ends too early; the text there is not shown\)\n$/);
    expect(r.stdout).toBe('');
  });

  it('a broken ./dbiam-doctor.json stops only the commands that read it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dbiam-doctor.json'), '{\n  "profile": "DEFAULT",\n  "region": \n}\n');
    // These never read it: they work and say nothing about it.
    for (const argv of [['explain', 'ORA-01017'], ['checks'], ['help'], ['--help'], ['help', 'diff'], ['diff', '--help'], ['summarize', '--help']]) {
      const r = await runCli(argv, { cwd: dir });
      expect({ argv, code: r.code, stderr: r.stderr }).toEqual({ argv, code: argv[0] === 'explain' ? r.code : 0, stderr: '' });
      expect(r.stdout).not.toContain('dbiam-doctor.json');
    }
    // diff and summarize read their reports as usual.
    writeFileSync(join(dir, 'a.json'), (await runCli(['--format', 'json'], { checks: failing, cwd: tempDir() })).stdout);
    const diff = await runCli(['diff', 'a.json', 'a.json'], { cwd: dir });
    expect({ code: diff.code, stderr: diff.stderr }).toEqual({ code: 0, stderr: '' });
    expect(diff.stdout).toContain('The runs agree on every link they share.');
    const summarize = await runCli(['summarize', 'a.json'], { cwd: dir });
    expect(summarize.stderr).toBe('');
    expect(summarize.stdout).toContain('1 host: 0 with every link holding, 1 with a broken link.');
    expect((await runCli(['summarize', 'none.json'], { cwd: dir })).stderr).not.toContain('dbiam-doctor.json');
    // The doctor, the demo and setup read it: exit 2, one line naming the file and the line.
    for (const argv of [[], ['--format', 'json'], ['demo', 'healthy'], ['setup', '--answers', 'x.json']]) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^dbiam-doctor: \S*dbiam-doctor\.json: not valid JSON \(line 4, column 1; the text there is not shown\)\n$/);
      expect(r.stdout).toBe('');
    }
    // A wrong field is named too.
    writeFileSync(join(dir, 'dbiam-doctor.json'), JSON.stringify({ offline: 'yes' }));
    expect((await runCli([], { cwd: dir })).stderr).toMatch(/dbiam-doctor\.json: offline: expected true or false\n$/);
    expect((await runCli(['checks', '--only', 'auth'], { cwd: dir })).code).toBe(0);
  });

  it('--only takes a check id, a category or the family of ids (auth for auth.mode), and suggests a near one', async () => {
    const auth = JSON.parse((await runCli(['--format', 'json', '--only', 'auth'])).stdout);
    expect(auth.checks.map((c: { id: string }) => c.id)).toEqual(['auth.mode']);
    const session = JSON.parse((await runCli(['--format', 'json', '--offline', '--only', 'session'])).stdout);
    // The category, with what its checks wait for.
    expect(session.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['session.token', 'session.principal-token', 'auth.mode']));
    const typo = await runCli(['--only', 'sesion']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.split('\n')[0]).toBe("dbiam-doctor: --only: unknown check or category 'sesion' (did you mean 'session'?) (run 'dbiam-doctor checks' for the list)");
  });

  it('checks --only lists only the checks it names', async () => {
    const r = await runCli(['checks', '--only', 'auth,tls.chain']);
    expect(r.code).toBe(0);
    const listed = r.stdout.split('\n').filter((l) => /^\S/.test(l) && l !== 'engine');
    expect(listed.map((l) => l.split(' ')[0])).toEqual(['auth.mode', 'tls.chain']);
    const json = JSON.parse((await runCli(['checks', '--only', 'wallet', '--format', 'json'])).stdout);
    expect(json.checks.map((c: { id: string }) => c.id)).toEqual(['wallet.dir', 'secret.wallet', 'secret.admin-password']);
    expect((await runCli(['checks', '--only', 'walet'])).stderr).toContain("(did you mean 'wallet'?)");
  });

  it('exits 2 with one line and where the help is on a bad flag, 0 on --help and --version', async () => {
    const bad = await runCli(['--colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("dbiam-doctor: Unknown option '--colour'\nRun 'dbiam-doctor help' for the options.\n");
    expect((await runCli(['--help'])).stdout).toContain('--format FORMAT');
    expect((await runCli(['--version'])).stdout).toMatch(/^dbiam-doctor \d+\.\d+\.\d+\n$/);
  });

  it('suggests the flag or command that was meant', async () => {
    expect((await runCli(['--dns', 'x'])).stderr.split('\n')[0]).toBe("dbiam-doctor: Unknown option '--dns' (did you mean --dsn?)");
    expect((await runCli(['--proifle', 'x'])).stderr.split('\n')[0]).toContain('(did you mean --profile?)');
    expect((await runCli(['dmeo'])).stderr.split('\n')[0]).toContain("(did you mean 'demo'?)");
    // Nothing near enough: no guess.
    expect((await runCli(['--zzzzzz'])).stderr).not.toContain('did you mean');
  });

  it('a flag belongs to its commands: another command refuses it, naming its own help', async () => {
    // Found by a user: these ran the doctor and exited 0.
    const r = await runCli(['--answers', 'x.json', '--list', '--need', 'use database-connections']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("dbiam-doctor: --answers is not an option of 'doctor'\nRun 'dbiam-doctor help' for the options.\n");
    const e = await runCli(['explain', 'ORA-01017', '--dsn', 'db_high']);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe("dbiam-doctor: --dsn is not an option of 'explain'\nRun 'dbiam-doctor help explain' for the options.\n");
    expect((await runCli(['setup', '--only', 'env'])).code).toBe(2);
  });

  it('help fits an 80-column terminal: one line per command in the overview, option help folded under its column', async () => {
    const overview = (await runCli(['help'])).stdout;
    for (const topic of ['', 'checks', 'demo', 'policy', 'explain', 'setup', 'diff', 'summarize']) {
      const text = (await runCli(topic ? ['help', topic] : ['help'])).stdout;
      const wide = text.split('\n').filter((l) => [...l].length > 80);
      expect({ topic, wide }).toEqual({ topic, wide: [] });
    }
    const commands = overview.slice(overview.indexOf('Commands:\n') + 10, overview.indexOf('\n\n', overview.indexOf('Commands:')));
    expect(commands.split('\n').map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['[doctor]', 'checks', 'demo', 'policy explain', 'explain TEXT|-', 'setup', 'diff A.json B.json', 'summarize REPORT|DIR…', 'help']);
    // A folded option's help continues under its own column, not at the margin.
    expect(overview).toMatch(/--auth MODE {18}auth mode: api_key, security_token,\n {35}instance_principal,/);
  });

  it("help COMMAND and COMMAND --help show that command's own options", async () => {
    const explain = (await runCli(['help', 'explain'])).stdout;
    expect(explain).toMatch(/^Usage: dbiam-doctor explain TEXT\|- /);
    expect(explain).toContain('--format FORMAT');
    expect(explain).not.toContain('--dsn');
    expect((await runCli(['policy', 'explain', '--help'])).stdout).toContain('--need ACCESS');
    expect((await runCli(['policy', 'explain', '--help'])).stdout).not.toContain('--tns-admin');
    const overview = await runCli(['help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('Commands:');
    expect(overview.stdout).toContain('--dsn DSN');
  });
});

describe('checks command and docs', () => {
  it('lists every check with its codes', async () => {
    const out = await runCli(['checks']);
    expect(out.stdout).toContain('env.extra-ca  [env]');
    expect(out.stdout).toContain('env.extra-ca-missing');
    expect(out.stdout).toContain('engine.timeout');
    const json = JSON.parse((await runCli(['checks', '--format', 'json'])).stdout);
    expect(json.checks.length).toBeGreaterThan(0);
  });

  it('keeps docs/findings.md generated from the code (run npm run docs)', async () => {
    const out = await runCli(['checks', '--format', 'md']);
    expect(readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8')).toBe(out.stdout);
  });

  it('declares every finding code once, in area.kebab-case form', async () => {
    const json = JSON.parse((await runCli(['checks', '--format', 'json'])).stdout);
    const all: string[] = [...json.engineCodes, ...json.checks.flatMap((c: { codes: unknown[] }) => c.codes)].map((s: { code: string }) => s.code);
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(code).toMatch(/^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
