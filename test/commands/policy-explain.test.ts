// `dbiam-doctor policy explain`: offline decisions from exported files, with
// exit codes 0 (allowed), 1 (denied), 2 (the question cannot be asked).
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/commands/policy-explain/command.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaacme';
const PROD = 'ocid1.compartment.oc1..aaaaaaaaprod';
const FIN = 'ocid1.compartment.oc1..aaaaaaaafinance';
const DB = 'ocid1.autonomousdatabase.oc1.iad.aaaaaaaaledger';
const OTHER_DB = 'ocid1.autonomousdatabase.oc1.iad.aaaaaaaaother';
const INSTANCE = 'ocid1.instance.oc1.iad.aaaaaaaaapp1';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = tempDir();
  writeFileSync(
    file('policies.json'),
    JSON.stringify({
      data: [
        {
          id: 'ocid1.policy.oc1..aaaaaaaadbaccess',
          name: 'db-access',
          'compartment-id': PROD,
          'lifecycle-state': 'ACTIVE',
          'time-created': '2026-01-15T09:00:00.000+00:00',
          statements: [
            `Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${DB}'`,
            'Allow group DBUsers to read autonomous-databases in compartment Finance',
            'Allow dynamic-group AppServers to use database-connections in compartment Finance',
          ],
        },
        { id: 'ocid1.policy.oc1..aaaaaaaaroot', name: 'root', 'compartment-id': TENANCY, statements: ['Allow group Admins to manage all-resources in tenancy'] },
      ],
    }),
  );
  writeFileSync(
    file('compartments.json'),
    JSON.stringify({
      data: [
        { id: PROD, name: 'Prod', 'compartment-id': TENANCY, 'lifecycle-state': 'ACTIVE' },
        { id: FIN, name: 'Finance', 'compartment-id': PROD, 'lifecycle-state': 'ACTIVE' },
      ],
    }),
  );
  writeFileSync(
    file('dynamic-groups.json'),
    JSON.stringify({ data: [{ id: 'ocid1.dynamicgroup.oc1..aaaaaaaaapp', name: 'AppServers', 'matching-rule': `ALL {instance.compartment.id = '${FIN}', tag.Operations.Team.value = 'support'}` }] }),
  );
  writeFileSync(file('deny.txt'), `# guardrails\nAllow group DBUsers to use database-connections in tenancy\nDeny group DBUsers to use database-connections in compartment Prod\n`);
  writeFileSync(file('broken.json'), '{"data": [ {"id": "x", ');
});

const base = () => ['policy', 'explain', '--policies', file('policies.json'), '--compartments', file('compartments.json'), '--need', 'use database-connections', '--in', 'compartment Prod:Finance'];

describe('policy explain', () => {
  it('exits 0 and names the granting statement when allowed', async () => {
    const out = await runCli([...base(), '--as', 'user:alice', '--as', 'group:DBUsers', '--target', `database.id=${DB}`]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      [
        'Allowed: user alice may use database-connections in compartment Prod:Finance.',
        'Granted by:',
        `  policy 'db-access', statement 1: Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${DB}'`,
        '',
      ].join('\n'),
    );
  });

  it('exits 1 and explains each near miss word for word, with the statement to add', async () => {
    const out = await runCli([...base(), '--as', 'group:DBUsers', '--target', `database.id=${OTHER_DB}`]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe(
      [
        'Denied: no statement grants the user use database-connections in compartment Prod:Finance.',
        'Closest statements:',
        `  policy 'db-access', statement 1: Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${DB}'`,
        `    where: target.database.id = '${DB}' is false, because the request has target.database.id = '${OTHER_DB}'`,
        "  policy 'root', statement 1: Allow group Admins to manage all-resources in tenancy",
        "    subject: the statement names group 'Default'/'Admins', but the user is only in 'Default'/'DBUsers'",
        "  policy 'db-access', statement 2: Allow group DBUsers to read autonomous-databases in compartment Finance",
        '    verb: the statement grants read, but the request needs use',
        '    resource: the statement covers autonomous-databases, which does not include database-connections',
        "  policy 'db-access', statement 3: Allow dynamic-group AppServers to use database-connections in compartment Finance",
        "    subject: the statement names dynamic-group 'Default'/'AppServers', but the caller is a user: users are matched through groups, not dynamic groups",
        'This statement would grant it (in a policy attached to the root compartment):',
        `  Allow group 'Default'/'DBUsers' to use database-connections in compartment Prod:Finance where target.database.id = '${OTHER_DB}'`,
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with the decision, the statements (index from 0), the near misses and the suggestion', async () => {
    const allowed = JSON.parse((await runCli([...base(), '--as', 'group:DBUsers', '--target', `database.id=${DB}`, '--format', 'json'])).stdout);
    expect(allowed.decision).toBe('allowed');
    expect(allowed.grantedBy).toEqual([
      { policy: 'db-access', policyId: 'ocid1.policy.oc1..aaaaaaaadbaccess', statementIndex: 0, statement: `Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${DB}'` },
    ]);
    expect(allowed.suggestion).toBeNull();
    expect(allowed).not.toHaveProperty('deniedBy');

    const denied = await runCli([...base(), '--as', 'group:DBUsers', '--target', `database.id=${OTHER_DB}`, '--format', 'json']);
    expect(denied.code).toBe(1);
    const doc = JSON.parse(denied.stdout);
    expect(doc.decision).toBe('denied');
    expect(doc.grantedBy).toEqual([]);
    expect(doc.nearMisses[0]).toMatchObject({ statementIndex: 0, kinds: ['where'], reason: `where: target.database.id = '${DB}' is false, because the request has target.database.id = '${OTHER_DB}'` });
    for (const m of doc.nearMisses) expect(Object.keys(m)).toEqual(expect.arrayContaining(['statement', 'reason']));
    expect(doc.suggestion).toBe(`Allow group 'Default'/'DBUsers' to use database-connections in compartment Prod:Finance where target.database.id = '${OTHER_DB}'`);
  });

  it('names the deny statement that wins (deniedBy), from a plain statements file', async () => {
    const out = await runCli(['policy', 'explain', '--policies', file('deny.txt'), '--as', 'group:DBUsers', '--need', 'use database-connections', '--in', 'compartment Prod:Finance', '--format', 'json']);
    expect(out.code).toBe(1);
    const doc = JSON.parse(out.stdout);
    expect(doc.deniedBy).toEqual({ policy: 'deny.txt', policyId: 'deny.txt', statementIndex: 1, statement: 'Deny group DBUsers to use database-connections in compartment Prod' });
    expect(doc.overriddenGrants.map((g: { statementIndex: number }) => g.statementIndex)).toEqual([0]);
  });

  it('decides for an instance through the dynamic groups its compartment and tags put it in', async () => {
    const args = [...base(), '--dynamic-groups', file('dynamic-groups.json'), '--as', `instance:${INSTANCE}`, '--principal-compartment', FIN];
    const tagged = await runCli([...args, '--tag', 'Operations.Team=support']);
    expect(tagged.code).toBe(0);
    expect(tagged.stdout).toContain("Granted by:\n  policy 'db-access', statement 3: Allow dynamic-group AppServers to use database-connections in compartment Finance");
    expect(tagged.stdout).toContain('A dynamic group is involved: changes to a dynamic group or its matching rule can take up to an hour to apply.');
    expect(tagged.stdout).toContain('Dynamic groups (1 read):\n  AppServers: matches');

    const untagged = await runCli(args);
    expect(untagged.code).toBe(1);
    expect(untagged.stdout).toContain('  AppServers: does not match: tag.Operations.Team.value = \'support\' is false, because the principal does not carry tag.Operations.Team.value');
  });

  it('renders Markdown for a ticket', async () => {
    const out = await runCli([...base(), '--as', 'group:DBUsers', '--format', 'md']);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^## Policy decision: denied\n/);
    expect(out.stdout).toContain('### Closest statements');
    expect(out.stdout).toContain("```\nAllow group 'Default'/'DBUsers' to use database-connections in compartment Prod:Finance\n```");
  });

  it.each([
    [['policy', 'explain', '--as', 'group:X', '--need', 'use database-connections', '--in', 'tenancy'], 'dbiam-doctor: policy explain needs --policies FILE'],
    [['--need', 'connect database-connections'], "dbiam-doctor: --need 'connect database-connections' should start with a verb"],
    [['--as', 'role:DBA'], "dbiam-doctor: --as 'role:DBA' is not one of group:NAME"],
    [['--as', `instance:${INSTANCE}`], 'dbiam-doctor: --as instance:… needs --principal-compartment OCID'],
    [['--as', 'group:X', '--target', 'database.id'], "dbiam-doctor: --target 'database.id' should be VAR=VALUE"],
    [['--as', 'group:X', '--policies', '/nonexistent/p.json'], 'dbiam-doctor: --policies /nonexistent/p.json: no such file'],
  ])('exits 2 with a one-line reason: %j', async (args, reason) => {
    const argv = args[0] === 'policy' ? args : [...base(), ...args];
    const out = await runCli(argv);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.startsWith(reason)).toBe(true);
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 on a policies file that is not valid JSON, naming where it breaks', async () => {
    const out = await runCli(['policy', 'explain', '--policies', file('broken.json'), '--as', 'group:X', '--need', 'use database-connections', '--in', 'tenancy']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^dbiam-doctor: --policies .*broken\.json: the file is not valid JSON: .*\(line 1, column \d+: the text ends too early; was it cut off\?\)\n$/);
  });

  it('refuses a 10 GB --policies file by its size, without reading it, saying the size and the limit', async () => {
    const huge = file('huge.json');
    // Grown sparse: no 10 GB is written, and reading it would take minutes and the memory.
    writeFileSync(huge, '');
    truncateSync(huge, 10 * 1024 ** 3);
    const out = await runCli(['policy', 'explain', '--policies', huge, '--as', 'group:X', '--need', 'use database-connections', '--in', 'tenancy']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`dbiam-doctor: --policies ${huge}: the file is ${10 * 1024 ** 3} bytes, more than ${MAX_FILE_BYTES} (is it the right file?)\n`);
  });
});
