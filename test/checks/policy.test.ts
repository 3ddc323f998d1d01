// Issue 5 in the doctor: policy.access decides, against the whole simulated
// tenancy (policies, groups, dynamic groups, the database's compartment),
// whether the caller may connect; policy.offline decides the same from
// exported files under --offline. Each finding code, and what a reader needs
// from it: the deciding statement, the near misses and why, the fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { writeOciHome } from '../../src/sim/home.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { factsFrom, type FactsOptions } from '../helpers/facts.js';
import type { JsonFinding, JsonReport } from '../../src/core/report/json.js';

type Finding = JsonFinding;
type Doc = JsonReport;

const key = generateRsaKey();
const OTHER_ADB = 'ocid1.autonomousdatabase.oc1.iad.aaaaaaaaotherdb00000000000000000000000000000099';
const HR = 'ocid1.compartment.oc1..aaaaaaaademohr00000000000000000000000000000000000000098';
/** What the instance needs to read for the doctor when no dynamic group grants it anything. */
const instanceReads = [
  `Allow any-user to inspect policies in tenancy where request.principal.id = '${IDS.instance}'`,
  `Allow any-user to inspect dynamic-groups in tenancy where request.principal.id = '${IDS.instance}'`,
  `Allow any-user to read autonomous-databases in tenancy where request.principal.id = '${IDS.instance}'`,
];

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function dbPolicy(f: Fixture): Fixture['policies'][number] {
  return f.policies.find((p) => p.name === 'db-access') as Fixture['policies'][number];
}

/** Replaces the statements that grant database-connections. */
function replaceDbConnect(f: Fixture, ...statements: string[]): void {
  const p = dbPolicy(f);
  p.statements = [...statements, ...p.statements.filter((s) => !s.includes('database-connections'))];
}

function addPolicy(f: Fixture, name: string, statements: string[], timeCreated = '2026-01-15T09:00:00.000Z'): void {
  f.policies.push({ id: `ocid1.policy.oc1..aaaaaaaatest${name.replace(/[^a-z]/g, '')}000000000000000000000000000`, name, compartmentId: IDS.tenancy, statements, timeCreated });
}

/**
 * One doctor run limited to the policy checks. The user's runs read plain facts
 * built from the fixture (test/helpers/facts.ts: no simulator, no socket);
 * `denied` reads answer 404 as OCI does for a caller without inspect on them.
 * Instance-principal runs federate through the simulator's metadata and auth
 * services, which plain facts do not play.
 */
async function doctor(opts: { change?: (f: Fixture) => void; argv?: string[]; instance?: boolean; denied?: FactsOptions['denied'] } = {}): Promise<{ doc: Doc; code: number }> {
  const fixture = healthyTenancy(key.publicKeyPem);
  opts.change?.(fixture);
  const home = tempDir();
  const argv = ['--format', 'json', '--only', 'policy', '--adb-id', IDS.adb];
  if (!opts.instance) {
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
    const out = await runCli([...argv, ...(opts.argv ?? [])], { system: fakeSystem({ homeDir: home }), now: () => new Date(), factsFor: () => factsFrom(fixture, { denied: opts.denied ?? [] }) });
    return { doc: JSON.parse(out.stdout) as Doc, code: out.code };
  }
  sim = await startSimulator(fixture);
  const url = sim.url;
  const endpoints = ['identity', 'database', 'dbtools', 'auth'].flatMap((s) => ['--endpoint', `${s}=${url}`]);
  const out = await runCli([...argv, '--auth', 'instance_principal', '--imds-url', `${url}/opc/v2/`, ...endpoints, ...(opts.argv ?? [])], {
    system: fakeSystem({ homeDir: home }),
    now: () => new Date(),
  });
  return { doc: JSON.parse(out.stdout) as Doc, code: out.code };
}

const access = (doc: Doc) => doc.checks.find((c) => c.id === 'policy.access');
const problems = (doc: Doc) => doc.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code));
const finding = (doc: Doc, code: string) => doc.checks.flatMap((c) => c.findings).find((f) => f.code === code) as Finding;

const ADB_VARS = `target.database.id = target.autonomous-database.id = target.id = ${IDS.adb}`;

describe('policy.access from the tenancy\'s facts', () => {
  it('names the granting statement (policy, compartment, number, text) when the user may connect', async () => {
    const { doc, code } = await doctor();
    expect(problems(doc)).toEqual([]);
    expect(code).toBe(0);
    const granted = finding(doc, 'policy.granted');
    expect(granted.title).toBe("User alice@example.com may use database-connections on database ledger: granted by policy 'db-access' statement 1");
    expect(granted.evidence).toMatchObject({
      caller: "user alice@example.com, in group 'Default'/'DBUsers' (groups read from Identity)",
      needs: `use database-connections in compartment Prod:Finance with ${ADB_VARS}`,
      'granted by': `policy 'db-access' (compartment Prod), statement 1: Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${IDS.adb}'`,
    });
    expect(granted.evidence.policies).toMatch(/^9 statements in 2 policies \(read from compartment Prod:Finance, compartment Prod, the tenancy\)$/);
    expect(access(doc)?.summary).toBe("database connect: allowed by policy 'db-access' statement 1");
  });

  it('also decides the wallet secret and the Database Tools connection when they are given', async () => {
    const { doc } = await doctor({ argv: ['--wallet-secret-id', IDS.walletSecret, '--dbtools-connection-id', IDS.dbtools] });
    expect(problems(doc)).toEqual([]);
    const titles = access(doc)?.findings.map((f) => f.title);
    expect(titles).toEqual([
      "User alice@example.com may use database-connections on database ledger: granted by policy 'db-access' statement 1",
      "User alice@example.com may read secret-bundles on the wallet secret: granted by policy 'db-access' statement 4",
      "User alice@example.com may use database-tools-connections on Database Tools connection ledger-support-iam: granted by policy 'db-access' statement 3",
    ]);
    // The connection's own access to its wallet secret, read through the live gateway from the simulated services.
    const own = doc.checks.find((c) => c.id === 'policy.dbtools-connection');
    expect(own?.findings.map((f) => f.code)).toEqual(['dbtools.rp-secrets-readable']);
  });

  it('policy.dbtools-connection: a RESOURCE_PRINCIPAL connection that no dynamic group matches fails, with the rule to add', async () => {
    const { doc } = await doctor({
      argv: ['--dbtools-connection-id', IDS.dbtools],
      change: (f) => {
        f.dbToolsConnections.forEach((c) => (c.runtimeIdentity = 'RESOURCE_PRINCIPAL'));
        f.dynamicGroups = f.dynamicGroups.filter((g) => g.id !== IDS.dbtoolsConnections);
      },
    });
    expect(problems(doc)).toEqual(['dbtools.rp-no-dynamic-group']);
    expect(finding(doc, 'dbtools.rp-no-dynamic-group').evidence['matching rule to add']).toBe(`ALL {resource.id = '${IDS.dbtools}'}`);
  });

  it('policy.no-grant: the closest statements and why each misses, and the least statement to add', async () => {
    const { doc, code } = await doctor({ change: (f) => replaceDbConnect(f) });
    expect(problems(doc)).toEqual(['policy.no-grant']);
    expect(code).toBe(1);
    const f = finding(doc, 'policy.no-grant');
    expect(f.title).toBe('No policy lets user alice@example.com use database-connections on database ledger');
    expect(f.evidence['closest 1']).toBe("policy 'db-access' (compartment Prod), statement 2: Allow group DBUsers to use database-tools-connections in compartment Finance");
    expect(f.evidence['closest 1 misses']).toBe('resource: the statement covers database-tools-connections, which does not include database-connections');
    const suggestion = `Allow group 'Default'/'DBUsers' to use database-connections in compartment Prod:Finance where target.database.id = '${IDS.adb}'`;
    expect(f.evidence['suggested statement']).toBe(suggestion);
    expect(f.fix.text).toContain(suggestion);
    expect(f.fix.commands).toEqual([
      `oci iam policy create --compartment-id ${IDS.tenancy} --name dbiam-doctor-db-connect --description "Granted as suggested by dbiam-doctor" --statements "[\\"${suggestion}\\"]"`,
    ]);
  });

  it('policy.where-excludes-target: the where clause names another database', async () => {
    const { doc } = await doctor({ change: (f) => replaceDbConnect(f, `Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${OTHER_ADB}'`) });
    expect(problems(doc)).toEqual(['policy.where-excludes-target']);
    const f = finding(doc, 'policy.where-excludes-target');
    expect(f.title).toBe("Policy 'db-access' statement 1 would let user alice@example.com use database-connections on database ledger, but its where clause excludes it");
    expect(f.detail).toBe(`The where clause is false for this request: target.database.id = '${OTHER_ADB}' is false, because the request has target.database.id = '${IDS.adb}'.`);
    expect(f.evidence['closest 1 misses']).toBe(`where: target.database.id = '${OTHER_ADB}' is false, because the request has target.database.id = '${IDS.adb}'`);
  });

  it('policy.subject-mismatch: the grant is for another group', async () => {
    const { doc } = await doctor({ change: (f) => replaceDbConnect(f, 'Allow group Administrators to use database-connections in compartment Finance') });
    expect(problems(doc)).toEqual(['policy.subject-mismatch']);
    expect(finding(doc, 'policy.subject-mismatch').evidence['closest 1 misses']).toBe(
      "subject: the statement names group 'Default'/'Administrators', but user alice@example.com is only in 'Default'/'DBUsers'",
    );
  });

  it('policy.location-mismatch: the grant is for a sibling compartment', async () => {
    const { doc } = await doctor({
      change: (f) => {
        f.compartments.push({ id: HR, name: 'HR', parentId: IDS.prod });
        replaceDbConnect(f, 'Allow group DBUsers to use database-connections in compartment HR');
      },
    });
    expect(problems(doc)).toEqual(['policy.location-mismatch']);
    expect(finding(doc, 'policy.location-mismatch').evidence['closest 1 misses']).toBe(
      'location: the statement applies in compartment Prod:HR and the compartments below it, but the target is in compartment Prod:Finance',
    );
  });

  it('policy.verb-too-weak: read where use is needed', async () => {
    const { doc } = await doctor({ change: (f) => replaceDbConnect(f, 'Allow group DBUsers to read database-connections in compartment Finance') });
    expect(problems(doc)).toEqual(['policy.verb-too-weak']);
    expect(finding(doc, 'policy.verb-too-weak').evidence['closest 1 misses']).toBe('verb: the statement grants read, but the request needs use');
  });

  it('policy.denied: a deny statement wins, and the grant it overrides is shown', async () => {
    const { doc } = await doctor({ change: (f) => addPolicy(f, 'guardrails', ['Deny group DBUsers to use database-connections in tenancy']) });
    expect(problems(doc)).toEqual(['policy.denied']);
    const f = finding(doc, 'policy.denied');
    expect(f.evidence['denied by']).toBe("policy 'guardrails' (the tenancy), statement 1: Deny group DBUsers to use database-connections in tenancy");
    expect(f.evidence['overridden grant 1']).toMatch(/^policy 'db-access' \(compartment Prod\), statement 1: /);
  });

  it('policy.recently-changed: the granting policy was created minutes ago', async () => {
    const { doc } = await doctor({ change: (f) => (dbPolicy(f).timeCreated = new Date(Date.now() - 5 * 60_000).toISOString()) });
    expect(problems(doc)).toEqual(['policy.recently-changed']);
    expect(finding(doc, 'policy.recently-changed').title).toBe("Policy 'db-access', which decides use database-connections on database ledger, was created 5 min ago");
  });

  it('policy.unreadable: a warning (never a failure) that says how to export the policies; the export then decides', async () => {
    const noInspect = (f: Fixture) => {
      const p = f.policies.find((x) => x.name === 'support-inspect') as Fixture['policies'][number];
      p.statements = p.statements.filter((s) => !s.includes('inspect policies'));
    };
    const { doc, code } = await doctor({ change: noInspect, denied: ['policies'] });
    expect(problems(doc)).toEqual(['policy.unreadable']);
    expect(code).toBe(0);
    expect(access(doc)?.status).toBe('warn');
    const f = finding(doc, 'policy.unreadable');
    expect(f.title).toBe('Cannot list the policies of compartment Prod:Finance, compartment Prod, the tenancy (404 NotAuthorizedOrNotFound)');
    expect(f.fix.commands).toEqual([
      `for c in ${IDS.finance} ${IDS.prod} ${IDS.tenancy}; do oci iam policy list --all --compartment-id "$c"; done | jq -s '{data: (map(.data) | add // [])}' > policies.json`,
    ]);
    expect(f.fix.text).toContain('--policies policies.json');

    const fixture = healthyTenancy(key.publicKeyPem);
    const file = join(tempDir(), 'policies.json');
    writeFileSync(file, JSON.stringify({ data: fixture.policies.map((p) => ({ id: p.id, name: p.name, 'compartment-id': p.compartmentId, statements: p.statements, 'time-created': p.timeCreated, 'lifecycle-state': 'ACTIVE' })) }));
    const withFile = await doctor({ change: noInspect, denied: ['policies'], argv: ['--policies', file] });
    expect(problems(withFile.doc)).toEqual([]);
    expect(finding(withFile.doc, 'policy.granted').evidence.policies).toBe(`9 statements in 2 policies (from ${file})`);
  });

  it('policy.parse-error: a statement that does not parse is named and left out; the rest still decides', async () => {
    const file = join(tempDir(), 'statements.txt');
    writeFileSync(file, `# exported by hand\nAllow group DBUsers to frobnicate database-connections in tenancy\nAllow group DBUsers to use database-connections in compartment Prod:Finance\n`);
    const { doc } = await doctor({ argv: ['--policies', file] });
    expect(problems(doc)).toEqual(['policy.parse-error']);
    const f = finding(doc, 'policy.parse-error');
    expect(f.title).toBe('1 policy statement does not parse and was left out of the decision');
    expect(f.evidence["policy 'statements file' statement 1"]).toMatch(/^unknown verb `frobnicate`.* \(line 2\): Allow group DBUsers to frobnicate/);
    expect(finding(doc, 'policy.granted').evidence['granted by']).toBe(
      "policy 'statements file' (the tenancy), statement 2: Allow group DBUsers to use database-connections in compartment Prod:Finance",
    );
  });

  it('policy.target-unknown when the database cannot be read', async () => {
    const { doc } = await doctor({ argv: ['--adb-id', OTHER_ADB] });
    expect(problems(doc)).toEqual(['policy.target-unknown']);
    expect(finding(doc, 'policy.target-unknown').title).toBe(`Cannot read database ${OTHER_ADB} to learn its compartment (404 NotAuthorizedOrNotFound)`);
  });
});

describe('dynamic groups (instance principal)', () => {
  it('grants through the dynamic group whose rule matches, and says changes take up to an hour', async () => {
    const { doc } = await doctor({ instance: true, change: (f) => addPolicy(f, 'app-reads', instanceReads) });
    expect(problems(doc)).toEqual([]);
    const f = finding(doc, 'policy.granted');
    expect(f.evidence.caller).toBe(`instance ${IDS.instance} (compartment Prod:Finance), in dynamic group 'Default'/'AppServers' (dynamic groups decided by their matching rules)`);
    expect(f.evidence['granted by']).toBe("policy 'db-access' (compartment Prod), statement 5: Allow dynamic-group AppServers to use database-connections in compartment Finance");
    expect(f.detail).toContain('A dynamic group decides: changes to a dynamic group or its matching rule can take up to an hour to apply.');
  });

  it('dg.no-match: the rule and what it misses, and the rule that would match', async () => {
    const { doc } = await doctor({
      instance: true,
      change: (f) => {
        addPolicy(f, 'app-reads', instanceReads);
        (f.dynamicGroups[0] as Fixture['dynamicGroups'][number]).matchingRule = `ALL {instance.compartment.id = '${IDS.prod}'}`;
      },
    });
    expect(problems(doc)).toEqual(['dg.no-match']);
    const f = finding(doc, 'dg.no-match');
    expect(f.title).toBe(`Dynamic-group 'Default'/'AppServers' does not match instance ${IDS.instance}, so policy 'db-access' statement 5 does not reach it`);
    expect(f.evidence['dynamic group AppServers misses']).toBe(
      `instance.compartment.id = '${IDS.prod}' is false, because the principal has instance.compartment.id = '${IDS.finance}'`,
    );
    const rule = `ANY {ALL {instance.compartment.id = '${IDS.prod}'}, instance.id = '${IDS.instance}'}`;
    expect(f.fix.commands).toEqual([`oci iam dynamic-group update --dynamic-group-id ${IDS.appServers} --matching-rule "${rule}"`]);
  });

  it('matches tag rules against the defined tags the metadata service reports', async () => {
    const { doc } = await doctor({
      instance: true,
      change: (f) => {
        addPolicy(f, 'app-reads', instanceReads);
        (f.dynamicGroups[0] as Fixture['dynamicGroups'][number]).matchingRule = "ALL {tag.Operations.Team.value = 'support'}";
      },
    });
    expect(problems(doc)).toEqual([]);
  });

  it('dg.parse-error for a rule that does not parse; the other groups still decide', async () => {
    const { doc } = await doctor({
      instance: true,
      change: (f) => {
        addPolicy(f, 'app-reads', instanceReads);
        f.dynamicGroups.push({ id: 'ocid1.dynamicgroup.oc1..aaaaaaaabroken000000000000000000000000000000000000097', name: 'Broken', matchingRule: 'ALL {instance.id = }' });
      },
    });
    expect(problems(doc)).toEqual(['dg.parse-error']);
    expect(finding(doc, 'dg.parse-error').title).toBe('The matching rule of dynamic group Broken does not parse');
    expect(finding(doc, 'policy.granted')).toBeDefined();
  });

  it('dg.too-many when the instance falls in more than 5 dynamic groups', async () => {
    const { doc } = await doctor({
      instance: true,
      change: (f) => {
        addPolicy(f, 'app-reads', instanceReads);
        for (let i = 1; i <= 5; i++) f.dynamicGroups.push({ id: `ocid1.dynamicgroup.oc1..aaaaaaaaextra${i}0000000000000000000000000000000000000`, name: `Extra${i}`, matchingRule: `ANY {instance.id = '${IDS.instance}'}` });
      },
    });
    expect(problems(doc)).toEqual(['dg.too-many']);
    expect(finding(doc, 'dg.too-many').title).toBe('The instance is in 6 dynamic groups; more than 5 may not all apply');
  });

  it('dg.unreadable when the instance may not list dynamic groups (a warning)', async () => {
    const { doc, code } = await doctor({ instance: true, change: (f) => addPolicy(f, 'app-reads', instanceReads.filter((s) => !s.includes('dynamic-groups'))) });
    expect(problems(doc)).toEqual(['dg.unreadable']);
    expect(code).toBe(0);
    expect(finding(doc, 'dg.unreadable').fix.commands).toEqual(['oci iam dynamic-group list --all > dynamic-groups.json']);
  });
});

describe('policy.offline: exported files under --offline', () => {
  function exportFiles(change?: (f: Fixture) => void): { policies: string; dynamicGroups: string; compartments: string } {
    const f = healthyTenancy(key.publicKeyPem);
    change?.(f);
    const dir = tempDir();
    const files = { policies: join(dir, 'policies.json'), dynamicGroups: join(dir, 'dynamic-groups.json'), compartments: join(dir, 'compartments.json') };
    writeFileSync(files.policies, JSON.stringify({ data: f.policies.map((p) => ({ id: p.id, name: p.name, 'compartment-id': p.compartmentId, statements: p.statements, 'time-created': p.timeCreated })) }));
    writeFileSync(files.dynamicGroups, JSON.stringify({ data: f.dynamicGroups.map((g) => ({ id: g.id, name: g.name, 'matching-rule': g.matchingRule, 'compartment-id': IDS.tenancy })) }));
    writeFileSync(files.compartments, JSON.stringify({ data: f.compartments.map((c) => ({ id: c.id, name: c.name, 'compartment-id': c.parentId, 'lifecycle-state': 'ACTIVE' })) }));
    return files;
  }

  async function offline(argv: string[]): Promise<Doc> {
    const out = await runCli(['--format', 'json', '--only', 'policy.offline', '--offline', '--adb-id', IDS.adb, ...argv], { system: fakeSystem({ homeDir: tempDir() }), now: () => new Date() });
    return JSON.parse(out.stdout) as Doc;
  }

  it('decides for the group of --mapping in the compartment --in names', async () => {
    const files = exportFiles();
    const doc = await offline(['--policies', files.policies, '--compartments', files.compartments, '--in', 'compartment Prod:Finance', '--mapping', 'IAM_GROUP_NAME=DBUsers']);
    expect(problems(doc)).toEqual([]);
    expect(doc.checks.find((c) => c.id === 'policy.offline')?.status).toBe('pass');
    const f = finding(doc, 'policy.granted');
    expect(f.evidence['granted by']).toBe(`policy 'db-access' (compartment Prod), statement 1: Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${IDS.adb}'`);
    expect(f.evidence.caller).toBe("the user, in group 'Default'/'DBUsers' (--mapping IAM_GROUP_NAME=DBUsers)");
  });

  it('decides for an instance from the dynamic-groups export: dg.no-match', async () => {
    const files = exportFiles((f) => ((f.dynamicGroups[0] as Fixture['dynamicGroups'][number]).matchingRule = `ALL {instance.compartment.id = '${IDS.prod}'}`));
    const doc = await offline([
      '--policies', files.policies, '--dynamic-groups', files.dynamicGroups, '--compartments', files.compartments,
      '--in', 'compartment Prod:Finance', '--as', `instance:${IDS.instance}`, '--principal-compartment', IDS.finance,
    ]);
    expect(problems(doc)).toEqual(['dg.no-match']);
  });

  it('skips with the reason when the place or the caller is unknown, and ends warn on an unreadable file', async () => {
    const files = exportFiles();
    const noPlace = await offline(['--policies', files.policies, '--mapping', 'IAM_GROUP_NAME=DBUsers']);
    expect(noPlace.checks.find((c) => c.id === 'policy.offline')?.summary).toBe("offline, the database's compartment is unknown: give it with --in 'compartment A:B' (its path from the tenancy)");
    const noCaller = await offline(['--policies', files.policies, '--in', 'tenancy']);
    expect(noCaller.checks.find((c) => c.id === 'policy.offline')?.summary).toBe("offline, the caller is unknown: name it with --as group:NAME (or --mapping 'IAM_GROUP_NAME=…')");
    const missing = await offline(['--policies', '/nonexistent/policies.json', '--in', 'tenancy', '--as', 'group:DBUsers']);
    expect(problems(missing)).toEqual(['policy.unreadable']);
    expect(finding(missing, 'policy.unreadable').detail).toBe('cannot read /nonexistent/policies.json: no such file');
  });
});
