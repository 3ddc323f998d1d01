import { describe, expect, it } from 'vitest';
import {
  compilePolicies,
  parseDynamicGroupExport,
  parsePolicyExport,
  parsePolicyFile,
  parseStatementFile,
} from '../../../src/core/policy/index.js';

const ROOT = 'ocid1.tenancy.oc1..acme';

// Shaped like `oci iam policy list --all` output.
const POLICY_LIST = JSON.stringify(
  {
    data: [
      {
        'compartment-id': ROOT,
        'defined-tags': {},
        description: 'database access',
        'freeform-tags': {},
        id: 'ocid1.policy.oc1..p1',
        'inactive-status': null,
        'lifecycle-state': 'ACTIVE',
        name: 'db-access',
        statements: [
          'Allow group DBUsers to use database-connections in compartment Finance:Prod',
          'allow group DBUsers to read secret-bundle in tenancy',
        ],
        'time-created': '2025-05-01T10:00:00.123000+00:00',
        'version-date': null,
      },
      {
        'compartment-id': ROOT,
        id: 'ocid1.policy.oc1..p2',
        'lifecycle-state': 'DELETED',
        name: 'old',
        statements: ['Allow any-user to manage all-resources in tenancy'],
      },
    ],
  },
  null,
  2,
);

const DG_LIST = JSON.stringify({
  data: [
    {
      'compartment-id': ROOT,
      description: 'app hosts',
      id: 'ocid1.dynamicgroup.oc1..d1',
      'lifecycle-state': 'ACTIVE',
      'matching-rule': "ALL {instance.compartment.id = 'ocid1.compartment.oc1..apps'}",
      name: 'AppHosts',
      'time-created': '2025-05-01T10:00:00+00:00',
    },
    {
      'compartment-id': ROOT,
      id: 'ocid1.dynamicgroup.oc1..d2',
      'matching-rule': "resource.type = 'fnfunction'",
      name: 'Fns',
    },
  ],
});

describe('oci iam policy list --all', () => {
  it('reads policies with kebab-case keys, skipping inactive ones', () => {
    const f = parsePolicyExport(POLICY_LIST);
    expect(f.format).toBe('json');
    expect(f.policies).toEqual([
      {
        id: 'ocid1.policy.oc1..p1',
        name: 'db-access',
        compartmentId: ROOT,
        statements: [
          'Allow group DBUsers to use database-connections in compartment Finance:Prod',
          'allow group DBUsers to read secret-bundle in tenancy',
        ],
        timeCreated: '2025-05-01T10:00:00.123000+00:00',
      },
    ]);
    expect(f.diagnostics).toEqual([{ severity: 'info', path: 'data[1]', message: 'policy old is DELETED, not ACTIVE: skipped' }]);
  });

  it('accepts SDK-style camelCase keys, a bare list and a single policy', () => {
    const one = { id: 'p', name: 'n', compartmentId: ROOT, statements: ['Allow any-user to inspect users in tenancy'], timeCreated: 't' };
    expect(parsePolicyExport(JSON.stringify([one])).policies).toEqual([one]);
    expect(parsePolicyExport(JSON.stringify({ data: one })).policies).toEqual([one]);
  });

  it('says where the JSON breaks', () => {
    const f = parsePolicyExport('{"data": [\n  {"id": "p1"\n  "name": "x"}]}');
    expect(f.policies).toEqual([]);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ severity: 'error', line: 3, column: 3 });
    expect(f.diagnostics[0]?.message).toMatch(/^the file is not valid JSON: .* \(line 3, column 3\)$/);
  });

  it('says when the text is cut off', () => {
    const cut = POLICY_LIST.slice(0, 200);
    expect(parsePolicyExport(cut).diagnostics[0]?.message).toMatch(/: the text ends too early; was it cut off\?\)$/);
  });

  it('explains the wrong shape, naming the item', () => {
    const msgs = (text: string) => parsePolicyExport(text).diagnostics.map((d) => [d.path, d.message]);
    expect(msgs('')).toEqual([[undefined, 'the file is empty']]);
    expect(msgs('"hello"')).toEqual([
      [undefined, 'expected the output of `oci iam policy list --all`: an object with a `data` list, but the file holds a string'],
    ]);
    expect(msgs('{"items": []}')).toEqual([
      [undefined, 'expected the output of `oci iam policy list --all`: an object with a `data` list, but the object has no `data` (keys: items)'],
    ]);
    expect(msgs('{"data": 3}')).toEqual([['data', '`data` should be a list, but it is a number']]);
    expect(msgs(DG_LIST)[0]).toEqual([
      'data[0].statements',
      'policy AppHosts has a `matching-rule` and no `statements`: this looks like `oci iam dynamic-group list` output, not policies',
    ]);
    expect(msgs(JSON.stringify({ data: [{ id: 'p', name: 'n', statements: [] }] }))).toEqual([
      ['data[0].compartment-id', 'policy n has no `compartment-id`, so its compartment names cannot be resolved: skipped'],
    ]);
    expect(msgs(JSON.stringify({ data: [7] }))).toEqual([['data[0]', 'a policy should be an object, but this is a number: skipped']]);
  });

  it('keeps statement numbering when an entry is not text', () => {
    const f = parsePolicyExport(JSON.stringify({ data: [{ id: 'p', name: 'n', 'compartment-id': ROOT, statements: [42, 'Allow any-user to inspect users in tenancy'] }] }));
    expect(f.policies[0]?.statements).toEqual(['', 'Allow any-user to inspect users in tenancy']);
    expect(f.diagnostics.map((d) => [d.path, d.message])).toEqual([['data[0].statements[0]', 'statement 1 of policy n is a number, not text: left out']]);
  });
});

describe('oci iam dynamic-group list --all', () => {
  it('reads dynamic groups and passes on rule warnings with their place', () => {
    const f = parseDynamicGroupExport(DG_LIST);
    expect(f.dynamicGroups).toEqual([
      { id: 'ocid1.dynamicgroup.oc1..d1', name: 'AppHosts', matchingRule: "ALL {instance.compartment.id = 'ocid1.compartment.oc1..apps'}" },
      { id: 'ocid1.dynamicgroup.oc1..d2', name: 'Fns', matchingRule: "resource.type = 'fnfunction'" },
    ]);
    expect(f.diagnostics).toEqual([
      {
        severity: 'warning',
        path: 'data[1].matching-rule',
        line: 1,
        column: 17,
        message: "dynamic group Fns: resource type 'fnfunction' is read as 'fnfunc', the type OCI Functions reports: prefer 'fnfunc'",
      },
    ]);
  });

  it('says when it was given policies instead', () => {
    expect(parseDynamicGroupExport(POLICY_LIST).diagnostics[0]?.message).toBe(
      'dynamic group db-access has `statements` and no `matching-rule`: this looks like `oci iam policy list` output, not dynamic groups',
    );
  });
});

describe('plain-text statement files', () => {
  const TEXT = [
    '# database access for the finance team',
    '',
    'Allow group DBUsers to use database-connections in compartment Finance:Prod',
    '   # indented comment',
    '"allow group DBUsers to read secret-bundles in tenancy",',
    'Allow group DBUsers to use database-connections',
  ].join('\n');

  it('reads one statement a line, ignoring comments and blank lines, and remembers the lines', () => {
    const f = parseStatementFile(TEXT, { compartmentId: ROOT, name: 'finance.txt' });
    expect(f.policies).toEqual([
      {
        id: 'statements-file',
        name: 'finance.txt',
        compartmentId: ROOT,
        statements: [
          'Allow group DBUsers to use database-connections in compartment Finance:Prod',
          'allow group DBUsers to read secret-bundles in tenancy',
          'Allow group DBUsers to use database-connections',
        ],
        sourceLines: [3, 5, 6],
      },
    ]);
    expect(f.diagnostics).toEqual([
      {
        severity: 'warning',
        line: 5,
        column: 1,
        message: 'the statement is wrapped in double quotes (copied from JSON or Terraform?): read without them',
      },
    ]);
  });

  it('reports statement problems against the file line', () => {
    const f = parseStatementFile(TEXT, { compartmentId: ROOT });
    const compiled = compilePolicies(f.policies, { tenancyId: ROOT, compartments: [] });
    expect(compiled.diagnostics.map((d) => [d.sourceLine, d.code])).toEqual([[6, 'missing-location']]);
  });

  it('says when a file holds no statements', () => {
    expect(parseStatementFile('# only a comment\n\n', { compartmentId: ROOT }).diagnostics).toEqual([
      { severity: 'warning', message: 'the file holds no statements (only blank or # comment lines)' },
    ]);
  });

  it('tells JSON from text by the first character', () => {
    expect(parsePolicyFile(`\n  ${POLICY_LIST}`, { compartmentId: ROOT }).format).toBe('json');
    expect(parsePolicyFile(TEXT, { compartmentId: ROOT }).format).toBe('text');
  });
});
