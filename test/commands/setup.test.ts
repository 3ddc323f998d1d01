// `dbiam-doctor setup --answers`: golden artifacts for every auth mode and
// mapping kind, answers errors that name the field, and safe re-runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/core/options.js';
import { parseMatchingRule, parseStatement } from '../../src/core/policy/index.js';
import { AnswersError, validateAnswers } from '../../src/core/setup/answers.js';
import { dynamicGroupsOf, evaluate, matchingRuleMatches } from '../../src/core/policy/index.js';
import type { Need, RequestPrincipal } from '../../src/core/policy/index.js';
import { DBTOOLS_DYNAMIC_GROUP, buildArtifacts, dbtoolsConnectionRule, matchingRule, policyPlan, tokenScope } from '../../src/core/setup/artifacts.js';
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
    ['unbalanced quotes in a qualified group', (a) => (a.mapping!.group = "'Default/DBUsers"), 'mapping.group: expected an IAM group name'],
    ['a placeholder tenancy OCID', (a) => ((a as Record<string, unknown>).tenancyOcid = 'ocid1.tenancy.oc1..bad'), 'tenancyOcid: expected a tenancy OCID'],
    ['an OCID of another realm format', (a) => (a.target!.adbId = 'ocid1.autonomousdatabase.xx.iad.aaaaaaaaexampleadb'), 'target.adbId: expected an Autonomous Database OCID'],
    ['a plain-TCP descriptor', (a) => (a.target!.connectString = '(description=(address=(protocol=tcp)(port=1521)(host=adb.example.com))(connect_data=(service_name=x_low.adb.oraclecloud.com)))'), 'target.connectString: the descriptor uses protocol=tcp'],
    ['a plain-TCP Easy Connect string', (a) => (a.target!.connectString = 'adb.example.com:1521/x_low.adb.oraclecloud.com'), 'target.connectString: an Easy Connect string without tcps://'],
    ['a descriptor naming no protocol', (a) => (a.target!.connectString = '(description=(address=(port=1522)(host=adb.example.com))(connect_data=(service_name=x)))'), 'target.connectString: the descriptor names no protocol'],
    ['a compartment grant without the compartment OCID', (a) => delete a.target!.compartmentOcid, "target.compartmentOcid: missing: the policy grants one database"],
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
    expect(bad.stderr).toContain('not valid JSON (line 1, column 3)');
    // A hostile file: 500,000 nested brackets are said to end too early, not a stack overflow.
    writeFileSync(join(dir, 'deep.json'), '['.repeat(500_000));
    const deep = await runCli(['setup', '--answers', join(dir, 'deep.json')]);
    expect({ code: deep.code, stderr: deep.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('is not valid JSON (it ends too early)') });
    const missing = await runCli(['setup', '--answers', join(dir, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('setup artifacts follow Oracle’s documents', () => {
  const base = () => structuredClone(answersOf('api-key-shared-group-dbtools')) as Record<string, Record<string, unknown>>;
  const artifact = (a: unknown, id: string) => buildArtifacts(validateAnswers(a)).find((x) => x.id === id)?.content ?? '';

  it('accepts domain-qualified groups and writes them the documented ways', () => {
    for (const [group, subject, mapping] of [
      ['Default/DBUsers', "group 'Default'/'DBUsers'", 'IAM_GROUP_NAME=DBUsers'],
      ["'HRDomain'/'DBUsers'", "group 'HRDomain'/'DBUsers'", 'IAM_GROUP_NAME=HRDomain/DBUsers'],
      ['HRDomain/DBUsers', "group 'HRDomain'/'DBUsers'", 'IAM_GROUP_NAME=HRDomain/DBUsers'],
      ['DBUsers', 'group DBUsers', 'IAM_GROUP_NAME=DBUsers'],
    ] as const) {
      const a = base();
      a.mapping!.group = group;
      const answers = validateAnswers(a);
      expect(policyPlan(answers).statements[0]).toMatch(new RegExp(`^Allow ${subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to use database-connections`));
      expect(artifact(a, 'dba-sql')).toContain(`IDENTIFIED GLOBALLY AS '${mapping}'`);
      // The written statement is read back by the project's own parser as the same group.
      const parsed = parseStatement(policyPlan(answers).statements[0] as string);
      expect(parsed.statement?.subject).toMatchObject({ kind: 'group', refs: [{ by: 'name', name: 'DBUsers' }] });
    }
  });

  it('narrows the DB-token scope to the policy grant: one database, else the compartment, else the tenancy', () => {
    const a = base();
    expect(tokenScope(validateAnswers(a))).toBe('urn:oracle:db::id::ocid1.compartment.oc1..aaaaaaaaexamplecompartment::ocid1.autonomousdatabase.oc1.iad.aaaaaaaaexampleadb');
    delete a.target!.adbId;
    expect(tokenScope(validateAnswers(a))).toBe('urn:oracle:db::id::ocid1.compartment.oc1..aaaaaaaaexamplecompartment');
    a.target!.compartmentPath = 'tenancy';
    expect(tokenScope(validateAnswers(a))).toBe('urn:oracle:db::id::ocid1.tenancy.oc1..aaaaaaaaexampletenancy');
    // The same scope reaches every place that asks for a token.
    const full = validateAnswers(base());
    for (const id of ['node-snippet', 'python-snippet', 'dbtools-cli', 'doctor-config']) expect(artifact(base(), id), id).toContain(tokenScope(full));
  });

  it('writes the complete Database Tools persona policy and the connections’ own dynamic group', () => {
    const a = validateAnswers(base());
    const statements = policyPlan(a).statements;
    const loc = 'in compartment Prod:Finance';
    for (const need of ['read autonomous-database-family', 'read secret-family', 'read database-tools-family', 'use database-tools-connections']) {
      expect(statements, need).toContain(`Allow group prod-db-support-readonly to ${need} ${loc}`);
    }
    expect(statements).toContain(`Allow dynamic-group ${DBTOOLS_DYNAMIC_GROUP} to read secret-family ${loc}`);
    const rule = dbtoolsConnectionRule(a) as string;
    expect(rule).toBe("ALL {resource.type = 'databasetoolsconnection', resource.compartment.id = 'ocid1.compartment.oc1..aaaaaaaaexamplecompartment'}");
    // The rule really matches a connection in that compartment, and the statement lets it read the wallet secret.
    const connection = { kind: 'resource' as const, resourceId: 'ocid1.databasetoolsconnection.oc1.iad.conn1', resourceType: 'databasetoolsconnection', compartmentId: 'ocid1.compartment.oc1..aaaaaaaaexamplecompartment' };
    expect(matchingRuleMatches(rule, connection).matches).toBe(true);
  });

  it('the written policy and rules grant what each persona needs, judged by the policy engine held to the golden table', () => {
    const a = validateAnswers(base());
    const tenancy = a.tenancyOcid;
    const prod = 'ocid1.compartment.oc1..prodcomp';
    const finance = a.target.compartmentOcid as string; // Prod:Finance: the database and connections live here
    const ctx = { tenancyId: tenancy, compartments: [{ id: prod, name: 'Prod', parentId: tenancy }, { id: finance, name: 'Finance', parentId: prod }] };
    const policies = [{ id: 'ocid1.policy.oc1..setup', name: 'setup', compartmentId: tenancy, statements: policyPlan(a).statements }];
    const user = { kind: 'user' as const, userId: 'ocid1.user.oc1..u', userName: 'u', groups: [{ name: 'prod-db-support-readonly', id: 'ocid1.group.oc1..g' }], dynamicGroups: [] };
    const ask = (principal: RequestPrincipal, need: Need, variables: Record<string, string> = {}) => evaluate({ principal, need, location: finance, variables }, policies, ctx).decision;
    expect(ask(user, { verb: 'use', resourceType: 'database-connections' }, { 'target.database.id': a.target.adbId as string })).toBe('allowed');
    expect(ask(user, { verb: 'use', resourceType: 'database-connections' }, { 'target.database.id': 'ocid1.autonomousdatabase.oc1.iad.other' })).toBe('denied');
    expect(ask(user, { verb: 'use', resourceType: 'database-tools-connections' })).toBe('allowed');
    expect(ask(user, { verb: 'read', resourceType: 'secret-bundles' })).toBe('allowed');
    expect(ask(user, { verb: 'read', resourceType: 'autonomous-databases' })).toBe('allowed');
    // The connection itself, a resource principal in the dynamic group its rule defines, reads the wallet secret.
    const rule = { id: 'ocid1.dynamicgroup.oc1..dbtools', name: DBTOOLS_DYNAMIC_GROUP, matchingRule: dbtoolsConnectionRule(a) as string };
    const attrs = { kind: 'resource' as const, resourceId: 'ocid1.databasetoolsconnection.oc1.iad.c', resourceType: 'databasetoolsconnection', compartmentId: finance };
    const connection = { kind: 'resource' as const, id: attrs.resourceId, compartmentId: finance, groups: [], dynamicGroups: dynamicGroupsOf(attrs, [rule]).groups };
    expect(connection.dynamicGroups.map((g) => g.name)).toEqual([DBTOOLS_DYNAMIC_GROUP]);
    expect(ask(connection, { verb: 'read', resourceType: 'secret-bundles' })).toBe('allowed');
  });

  it('says where the documents differ about mapping instance principals, preferring the Autonomous Database form', () => {
    const a = answersOf('instance-principal-instance-one-way');
    const sql = artifact(a, 'dba-sql');
    expect(sql).toContain("Oracle's documents differ");
    expect(sql).toMatch(/^CREATE USER APP_VM IDENTIFIED GLOBALLY AS 'IAM_GROUP_NAME=app-vm';$/m);
    expect(sql).toMatch(/^-- CREATE USER APP_VM IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_OCID=ocid1\.instance/m);
    expect(artifact(answersOf('oke-exclusive-user'), 'dba-sql')).toContain('Unconfirmed');
  });

  it('an alias needs the directory holding tnsnames.ora', () => {
    const a = structuredClone(answersOf('security-token-exclusive-user-wallet')) as Record<string, Record<string, unknown>>;
    delete a.target!.walletDir;
    a.target!.tls = 'one-way-tls';
    expect(() => validateAnswers(a)).toThrow(/target\.walletDir: missing: 'dbprod_high' is a tnsnames alias/);
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
