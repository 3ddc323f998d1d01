// `dbiam-doctor setup --answers`: golden artifacts for every auth mode and
// mapping kind, answers errors that name the field, and safe re-runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/core/options.js';
import { parseMatchingRule, parseStatement } from '../../src/core/policy/index.js';
import { AnswersError, validateAnswers } from '../../src/core/setup/answers.js';
import { buildArtifacts, matchingRule, policyPlan } from '../../src/core/setup/artifacts.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/setup');
const CASES = readdirSync(FIXTURES).sort();
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GOLDEN = '.golden';

function answersOf(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'answers.json'), 'utf8'));
}

describe('setup --answers golden files', () => {
  it.each(CASES)('%s writes exactly the expected artifacts', async (name) => {
    const out = tempDir();
    const r = await runCli(['setup', '--answers', join(FIXTURES, name, 'answers.json'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expectedDir = join(FIXTURES, name, 'expected');
    const written = readdirSync(out).sort();
    if (UPDATE) {
      mkdirSync(expectedDir, { recursive: true });
      for (const f of written) writeFileSync(join(expectedDir, `${f}${GOLDEN}`), readFileSync(join(out, f)));
    }
    // Goldens carry a suffix so the repository's tsc does not compile the expected connect.ts.
    expect(written).toEqual(readdirSync(expectedDir).map((f) => f.slice(0, -GOLDEN.length)).sort());
    for (const f of written) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(expectedDir, `${f}${GOLDEN}`), 'utf8'));
    expect(r.stdout).toContain('Next: cd');
  });

  it('covers every auth mode and every mapping kind', () => {
    const seen = CASES.map((c) => validateAnswers(answersOf(c)));
    expect(new Set(seen.map((a) => a.authMode))).toEqual(new Set(['api_key', 'security_token', 'instance_principal', 'resource_principal', 'oke_workload_identity']));
    expect(new Set(seen.map((a) => a.mapping.kind))).toEqual(new Set(['shared-group', 'exclusive-user', 'instance', 'dynamic-group']));
    expect(new Set(seen.map((a) => a.target.tls))).toEqual(new Set(['wallet', 'one-way-tls', 'dbtools']));
  });

  it('the shipped examples/answers.json is valid and is the first golden case', () => {
    const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/answers.json'), 'utf8'));
    expect(validateAnswers(example)).toBeTruthy();
    expect(answersOf('api-key-shared-group-dbtools')).toEqual(example);
  });
});

describe('generated policy and rules parse with the project parsers', () => {
  it.each(CASES)('%s', (name) => {
    const a = validateAnswers(answersOf(name));
    const plan = policyPlan(a);
    for (const s of [...plan.statements, ...plan.broader]) {
      const parsed = parseStatement(s);
      expect(parsed.diagnostics.filter((d) => d.severity === 'error'), s).toEqual([]);
      expect(parsed.kind, s).not.toBe('invalid');
    }
    const rule = matchingRule(a);
    if (a.mapping.kind === 'instance' || a.mapping.kind === 'dynamic-group') expect(rule).toBeDefined();
    if (rule) expect(parseMatchingRule(rule).diagnostics.filter((d) => d.severity === 'error'), rule).toEqual([]);
    // The narrowest statement names the database when one is known.
    if (a.target.adbId) expect(plan.statements[0]).toContain(`target.database.id = '${a.target.adbId}'`);
  });

  it("the doctor config holds only keys the doctor accepts, and resolves to the answers", () => {
    for (const name of CASES) {
      const a = validateAnswers(answersOf(name));
      const cfg = buildArtifacts(a).find((x) => x.id === 'doctor-config');
      const content = JSON.parse(cfg?.content ?? '');
      const opts = resolveOptions({ argv: [], env: {}, configFile: { path: 'dbiam-doctor.json', content } });
      expect(opts.auth).toBe(a.authMode);
      expect(opts.region).toBe(a.region);
      expect(opts.adbId).toBe(a.target.adbId);
    }
  });
});

describe('answers errors name the field', () => {
  const good = answersOf('api-key-shared-group-dbtools') as Record<string, Record<string, unknown>>;
  const cases: [string, (a: Record<string, Record<string, unknown>>) => void, string][] = [
    ['missing mapping.group', (a) => delete a.mapping!.group, 'mapping.group: missing'],
    ['bad authMode', (a) => ((a as Record<string, unknown>).authMode = 'password'), 'authMode: expected one of'],
    ['bad adb OCID', (a) => (a.target!.adbId = 'ocid1.instance.oc1..x'), 'target.adbId: expected an Autonomous Database OCID'],
    ['unknown field', (a) => (a.target!.walletPath = '/x'), 'target.walletPath: unknown field'],
    ['mapping that does not fit the mode', (a) => (a.mapping!.kind = 'instance'), "mapping.kind: 'instance' does not fit authMode api_key"],
    ['missing region', (a) => delete (a as Record<string, unknown>).region, 'region: missing'],
    ['quote in a group name', (a) => (a.mapping!.group = "x' or 1=1"), 'mapping.group: expected an IAM group name'],
  ];
  it.each(cases)('%s', async (_label, mutate, message) => {
    const a = structuredClone(good);
    mutate(a);
    expect(() => validateAnswers(a)).toThrow(AnswersError);
    const dir = tempDir();
    const file = join(dir, 'answers.json');
    writeFileSync(file, JSON.stringify(a));
    const r = await runCli(['setup', '--answers', file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a file that is not JSON, or missing, is exit 2 naming the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), '{ nope');
    const bad = await runCli(['setup', '--answers', join(dir, 'a.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not valid JSON');
    const missing = await runCli(['setup', '--answers', join(dir, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('writing', () => {
  const answers = join(FIXTURES, 'security-token-exclusive-user-wallet', 'answers.json');

  it('without --out prints the artifacts and writes nothing', async () => {
    const r = await runCli(['setup', '--answers', answers], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('==> policy.txt');
    expect(r.stdout).toContain('oci session authenticate');
    expect(r.stderr).toContain('add --out DIR');
  });

  it('running twice is safe: the second run leaves every file unchanged', async () => {
    const out = tempDir();
    const first = await runCli(['setup', '--answers', answers, '--out', out]);
    expect(first.stdout).toMatch(/^created /m);
    const before = readdirSync(out).map((f) => [f, statSync(join(out, f)).mtimeMs]);
    const second = await runCli(['setup', '--answers', answers, '--out', out]);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/^(created|replaced) /m);
    expect(second.stdout.match(/^unchanged /gm)?.length).toBe(before.length);
    expect(readdirSync(out).map((f) => [f, statSync(join(out, f)).mtimeMs])).toEqual(before);
  });

  it('a changed file is replaced with a diff shown and the old one kept as .bak', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'policy.txt'), 'Allow group old to use database-connections in tenancy\n');
    const r = await runCli(['setup', '--answers', answers, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`replaced  ${join(out, 'policy.txt')} (previous content kept in ${join(out, 'policy.txt.bak')})`);
    expect(r.stdout).toContain('- Allow group old to use database-connections in tenancy');
    expect(r.stdout).toContain('+ Allow group db-developers');
    expect(readFileSync(join(out, 'policy.txt.bak'), 'utf8')).toBe('Allow group old to use database-connections in tenancy\n');
  });

  it('files naming key files or tokens are 0600', async () => {
    const out = tempDir();
    await runCli(['setup', '--answers', join(FIXTURES, 'api-key-shared-group-dbtools', 'answers.json'), '--out', out]);
    expect(statSync(join(out, 'oci-config-profile.txt')).mode & 0o777).toBe(0o600);
    const out2 = tempDir();
    await runCli(['setup', '--answers', answers, '--out', out2]);
    expect(statSync(join(out2, 'oci-auth.sh')).mode & 0o777).toBe(0o600);
  });

  it('the written config makes the next doctor run need no flags', async () => {
    const out = tempDir();
    await runCli(['setup', '--answers', answers, '--out', out]);
    const r = await runCli(['checks', '--format', 'json'], { cwd: out });
    expect(r.code).toBe(0);
  });

  it('without a terminal and without --answers, setup explains what to pass', async () => {
    const r = await runCli(['setup'], { stdin: { isTTY: false } as NodeJS.ReadStream });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--answers FILE');
  });
});
