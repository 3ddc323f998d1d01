import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../src/core/policy/index.js';
import type { Condition, ParsedStatement, Statement } from '../../../src/core/policy/index.js';
import { STATEMENTS } from './corpus.js';

function ok(text: string): Statement {
  const p = parseStatement(text);
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(p.statement).toBeDefined();
  return p.statement as Statement;
}

function codes(p: ParsedStatement): string[] {
  return p.diagnostics.map((d) => d.code);
}

describe('the brief corpus', () => {
  // [kind, diagnostic codes] for each statement, in corpus order.
  const expected: [ParsedStatement['kind'], string[]][] = [
    ['allow', []],
    ['allow', []],
    ['allow', []],
    ['allow', []],
    ['allow', []],
    ['invalid', ['placeholder']], // compartment <compartment_id/<tenant_id>>
    ['allow', []],
    ['allow', []],
    ['allow', []],
    ['allow', []],
    ['allow', ['placeholder']], // '<image_OCID>' (a warning)
    ['allow', []],
    ['invalid', ['missing-location', 'unsupported-condition']], // DayShift: no location, `between`
    ['allow', []],
    ['allow', []],
    ['allow', ['quoted-variable']], // 'target.compartment.id' in quotes
    ['allow', []],
    ['allow', []],
    ['allow', []],
    ['allow', []],
    ['cross-tenancy', ['cross-tenancy']],
    ['cross-tenancy', ['cross-tenancy']],
    ['cross-tenancy', ['cross-tenancy']],
    ['cross-tenancy', ['cross-tenancy']],
    ['deny', []],
    ['allow', []],
    ['allow', []],
    ['allow', ['not-an-ocid']], // compartment id compartment-ocid
    ['allow', ['singular-resource-type']], // autonomous-database
    ['allow', []],
  ];

  it('has the 30 statements of the brief', () => {
    expect(STATEMENTS).toHaveLength(expected.length);
  });

  STATEMENTS.forEach((text, i) => {
    const [kind, diag] = expected[i] as [ParsedStatement['kind'], string[]];
    it(`#${i + 1} ${text.slice(0, 60)}`, () => {
      const p = parseStatement(text);
      expect(p.kind).toBe(kind);
      expect(codes(p)).toEqual(diag);
      expect(p.statement !== undefined).toBe(kind === 'allow' || kind === 'deny');
    });
  });

  it('explains the placeholder compartment where it stands', () => {
    const p = parseStatement(STATEMENTS[5] as string);
    expect(p.diagnostics[0]).toMatchObject({
      severity: 'error',
      message:
        '`<compartment_id/<tenant_id>>` is a placeholder from an example, not a value: replace it (a compartment name, a path A:B:C or `id <ocid>` belongs here)',
      offset: 89,
      line: 1,
      column: 90,
    });
  });

  it('reports both the missing location and the unsupported time range', () => {
    const p = parseStatement(STATEMENTS[12] as string);
    expect(p.diagnostics.map((d) => d.message)).toEqual([
      'the statement has no location: add `in tenancy` or `in compartment <name>` before `where`',
      '`between` conditions (time ranges) are not supported here: the statement is not evaluated',
    ]);
  });

  it('says cross-tenancy statements are recognised but not evaluated', () => {
    expect(parseStatement(STATEMENTS[20] as string).diagnostics[0]?.message).toBe(
      'Endorse statements grant access across tenancies: recognised, not evaluated',
    );
    expect(parseStatement(STATEMENTS[21] as string).crossTenancy).toEqual({ keyword: 'admit' });
  });
});

describe('subjects', () => {
  it('reads a list of group names, each in the Default domain', () => {
    const s = ok('Allow group A-Admins, B-Admins to manage all-resources in compartment Projects-A-and-B');
    expect(s.subject).toEqual({
      kind: 'group',
      refs: [
        { by: 'name', domain: 'Default', name: 'A-Admins', domainGiven: false, key: 'default/a-admins' },
        { by: 'name', domain: 'Default', name: 'B-Admins', domainGiven: false, key: 'default/b-admins' },
      ],
    });
  });

  it('reads group ids', () => {
    const s = ok('Allow group id ocid1.group.oc1..aaa, id ocid1.group.oc1..bbb to use users in tenancy');
    expect(s.subject).toEqual({
      kind: 'group',
      refs: [
        { by: 'id', id: 'ocid1.group.oc1..aaa', key: 'ocid1.group.oc1..aaa' },
        { by: 'id', id: 'ocid1.group.oc1..bbb', key: 'ocid1.group.oc1..bbb' },
      ],
    });
  });

  it('reads domain-qualified names, quoted or not, and mixes names and ids', () => {
    const s = ok("Allow group 'ExampleDomain'/'TeamAdmins', Domain-B/Domain-B-Admins, id ocid1.group.oc1..x to use cloud-shell in tenancy");
    expect(s.subject.kind === 'group' && s.subject.refs.map((r) => r.key)).toEqual([
      'exampledomain/teamadmins',
      'domain-b/domain-b-admins',
      'ocid1.group.oc1..x',
    ]);
  });

  it('reads dynamic groups by name, domain and id', () => {
    const s = ok("Allow dynamic-group 'Ops'/'AppHosts', id ocid1.dynamicgroup.oc1..d to use database-connections in tenancy");
    expect(s.subject).toMatchObject({ kind: 'dynamic-group', refs: [{ domain: 'Ops', name: 'AppHosts' }, { id: 'ocid1.dynamicgroup.oc1..d' }] });
  });

  it('accepts `dynamic group` with a space, with a warning', () => {
    const p = parseStatement('Allow dynamic group AppHosts to use database-connections in tenancy');
    expect(p.statement?.subject).toMatchObject({ kind: 'dynamic-group', refs: [{ name: 'AppHosts' }] });
    expect(p.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'dynamic-group-space',
        message: '`dynamic group` is written `dynamic-group`, with a hyphen',
        offset: 6,
        length: 13,
        line: 1,
        column: 7,
      },
    ]);
  });

  it('reads any-user, any-group and service lists', () => {
    expect(ok('Allow any-user to inspect users in tenancy').subject).toEqual({ kind: 'any-user' });
    expect(ok('allow ANY-GROUP to inspect users in tenancy').subject).toEqual({ kind: 'any-group' });
    expect(ok('allow service compute, blockstorage to use key-family in tenancy').subject).toEqual({
      kind: 'service',
      names: ['compute', 'blockstorage'],
    });
  });

  it('refuses single users and missing names with a pointed message', () => {
    expect(parseStatement('Allow user alice to use users in tenancy').diagnostics[0]?.message).toBe(
      "policies do not name single users: use `group <name>`, or `any-user … where request.user.id = '<user ocid>'`",
    );
    expect(parseStatement('Allow group to use users in tenancy').diagnostics[0]?.message).toBe('a group name is missing before `to`');
    expect(parseStatement('Allow everyone to use users in tenancy').diagnostics[0]?.message).toBe(
      'expected a subject (group, dynamic-group, any-user, any-group or service), found `everyone`',
    );
  });
});

describe('verbs, permissions and resource types', () => {
  it.each(['inspect', 'READ', 'Use', 'manage'])('reads the verb %s in any case', (verb) => {
    expect(ok(`Allow group G to ${verb} database-connections in tenancy`).access).toEqual({ kind: 'verb', verb: verb.toLowerCase() });
  });

  it('reads a permission list, with or without a resource type', () => {
    expect(ok('Allow group G to {DB_CONNECT} in tenancy')).toMatchObject({ access: { kind: 'permissions', permissions: ['DB_CONNECT'] } });
    expect(ok('Allow group G to {DB_CONNECT, SECRET_BUNDLE_READ} in tenancy').resourceType).toBeUndefined();
    expect(ok('Allow group G to {DB_CONNECT} database-connections in tenancy').resourceType).toBe('database-connections');
  });

  it('warns about a lower-case permission and reads it upper-case', () => {
    const p = parseStatement('Allow group G to {db_connect} in tenancy');
    expect(p.statement?.access).toEqual({ kind: 'permissions', permissions: ['DB_CONNECT'] });
    expect(p.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'lowercase-permission',
        message: 'permission `db_connect` is in lower case: OCI permission names are upper case (DB_CONNECT)',
        offset: 18,
        length: 10,
        line: 1,
        column: 19,
      },
    ]);
  });

  it('warns about a singular type and reads the plural', () => {
    const p = parseStatement('allow group G to read secret-bundle in tenancy');
    expect(p.statement?.resourceType).toBe('secret-bundles');
    expect(p.diagnostics.map((d) => [d.code, d.message, d.column])).toEqual([
      ['singular-resource-type', '`secret-bundle` is not a resource type: OCI names it `secret-bundles` (read as secret-bundles)', 23],
    ]);
  });

  it('warns about an unknown type and keeps it as written', () => {
    const p = parseStatement('allow group G to use database-connexions in tenancy');
    expect(p.statement?.resourceType).toBe('database-connexions');
    expect(p.diagnostics.map((d) => d.message)).toEqual([
      '`database-connexions` is not a resource type known here: it only matches requests for exactly that type',
    ]);
  });

  it('refuses an unknown verb, a missing type and an empty permission list', () => {
    expect(parseStatement('allow group G to connect database-connections in tenancy').diagnostics[0]?.message).toBe(
      'unknown verb `connect`: use inspect, read, use or manage, or a {PERMISSION} list',
    );
    expect(parseStatement('allow group G to use in tenancy').diagnostics[0]?.message).toBe(
      'a resource type is missing after `use`, e.g. `use database-connections`',
    );
    expect(parseStatement('allow group G to {} in tenancy').diagnostics[0]?.message).toBe(
      'expected a permission name such as DB_CONNECT, found `}`',
    );
  });
});

describe('locations', () => {
  it('reads tenancy, a name, a path and an id', () => {
    expect(ok('Allow group G to use users in TENANCY').location).toEqual({ kind: 'tenancy' });
    expect(ok('Allow group G to use users in compartment Prod').location).toEqual({ kind: 'compartment-path', path: ['Prod'] });
    expect(ok('Allow group G to use users in compartment A:B:C').location).toEqual({ kind: 'compartment-path', path: ['A', 'B', 'C'] });
    expect(ok('Allow group G to use users in compartment id ocid1.compartment.oc1..x').location).toEqual({
      kind: 'compartment-id',
      id: 'ocid1.compartment.oc1..x',
    });
  });

  it('refuses a missing location, an empty path segment and a named tenancy', () => {
    expect(parseStatement('Allow group G to use users').diagnostics.map((d) => d.code)).toEqual(['missing-location']);
    expect(parseStatement('Allow group G to use users in compartment A::B').diagnostics[0]?.message).toBe(
      'compartment path `A::B` has an empty name in it',
    );
    expect(parseStatement('Allow group G to use users in tenancy Other').diagnostics[0]?.message).toBe(
      '`in tenancy Other` names another tenancy, which only Endorse and Admit statements do',
    );
    expect(parseStatement('Allow group G to use users in compartment Prod extra').diagnostics[0]?.message).toBe(
      'expected `where` or the end of the statement after the location, found `extra`',
    );
  });
});

describe('where clauses', () => {
  const where = (text: string): Condition => ok(`Allow group G to use database-connections in tenancy where ${text}`).where as Condition;

  it('reads = and != with quoted values', () => {
    expect(where("target.database.id = 'ocid1.x'")).toMatchObject({
      kind: 'compare',
      variable: 'target.database.id',
      op: '=',
      value: { kind: 'literal', value: 'ocid1.x', quoted: true },
    });
    expect(where('request.user.name != "alice"')).toMatchObject({ op: '!=', value: { value: 'alice' } });
  });

  it('reads in and not in lists', () => {
    expect(where("request.utc-timestamp.month-of-year in ('6', '7', '8')")).toMatchObject({
      kind: 'in',
      negated: false,
      values: [{ value: '6' }, { value: '7' }, { value: '8' }],
    });
    expect(where("request.operation not in ('ListBuckets')")).toMatchObject({ kind: 'in', negated: true });
  });

  it('reads nested any and all in any case', () => {
    const c = where("ALL {request.principal.type = 'workload', Any {request.region = 'iad', all {request.ad = 'AD-1'}}}");
    expect(c).toMatchObject({
      kind: 'group',
      mode: 'all',
      items: [{ kind: 'compare' }, { kind: 'group', mode: 'any', items: [{ kind: 'compare' }, { kind: 'group', mode: 'all' }] }],
    });
  });

  it('reads patterns, next to = without a space', () => {
    expect(where('all {target.group.name=/A-*/,target.group.name!=/*-Admins/}')).toMatchObject({
      items: [
        { value: { kind: 'pattern', source: 'A-*', anchoredStart: true, anchoredEnd: false } },
        { op: '!=', value: { kind: 'pattern', source: '*-Admins', anchoredStart: false, anchoredEnd: true } },
      ],
    });
  });

  it('reads an unquoted variable as a variable to compare with', () => {
    expect(where('request.principal.compartment.id = target.compartment.id')).toMatchObject({
      value: { kind: 'variable', name: 'target.compartment.id' },
    });
  });

  it('warns about a variable in quotes, an unquoted ${var}, an unquoted word and an unknown variable', () => {
    const p = parseStatement(
      "Allow any-user to use database-connections in tenancy where all {request.principal.compartment.id = 'target.compartment.id', target.database.id = ${var.db_id}, request.region = iad, request.colour = 'red'}",
    );
    expect(p.statement).toBeDefined();
    expect(p.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'quoted-variable',
        "'target.compartment.id' is in quotes, so it is compared as text, not as the variable: remove the quotes to compare with the variable",
      ],
      [
        'unquoted-template',
        '`${var.db_id}` is an unsubstituted template variable and is not quoted: substitute it and put the value in quotes',
      ],
      ['unquoted-value', "value `iad` is not quoted: write 'iad'"],
      ['unknown-variable', '`request.colour` is not a known policy variable'],
    ]);
  });

  it('normalises smart quotes, with a warning at each', () => {
    const p = parseStatement('Allow group G to use database-connections in tenancy where target.database.id = \u2018ocid1.x\u2019');
    expect(p.statement?.where).toMatchObject({ value: { value: 'ocid1.x' } });
    expect(p.source).toBe("Allow group G to use database-connections in tenancy where target.database.id = 'ocid1.x'");
    expect(p.diagnostics.map((d) => [d.code, d.message, d.column])).toEqual([
      ['smart-quote', "typographic quote \u2018 read as ': OCI expects plain ASCII quotes", 81],
      ['smart-quote', "typographic quote \u2019 read as ': OCI expects plain ASCII quotes", 89],
    ]);
    expect(parseStatement('Allow group \u201cG\u201d to use users in tenancy').statement?.subject).toMatchObject({ refs: [{ name: 'G' }] });
  });

  it('warns about a comma inside a quoted OCID', () => {
    const p = parseStatement("Allow group G to use database-connections in tenancy where target.database.id = 'ocid1.autonomousdatabase.oc1..x,'");
    expect(p.diagnostics.map((d) => d.code)).toEqual(['comma-in-ocid']);
  });

  it('refuses broken conditions with a message saying what was expected', () => {
    const msg = (w: string): string | undefined =>
      parseStatement(`Allow group G to use users in tenancy where ${w}`).diagnostics.find((d) => d.severity === 'error')?.message;
    expect(msg("target.user.name 'x'")).toBe("expected `=`, `!=`, `in` or `not in` after `target.user.name`, found 'x'");
    expect(msg('target.user.name')).toBe("`target.user.name` has no operator: write `target.user.name = 'value'`");
    expect(msg("all {target.user.name = 'x'")).toBe('`all {` opened at column 45 is never closed with `}`');
    expect(msg("all {target.user.name = 'x',}")).toBe('a comma is followed by `}`: remove the trailing comma');
    expect(msg('all {}')).toBe('`all {}` is empty: it needs at least one condition');
    expect(msg("target.user.name = 'x")).toBe("quote opened here is never closed: 'x");
    expect(msg('target.user.name = /abc')).toBe('pattern /abc has no closing `/`');
    expect(msg("request.utc-timestamp < '2025'")).toBe('`<` comparisons are not supported here: the statement is not evaluated');
    expect(msg("request.utc-timestamp before '2025'")).toBe(
      '`before` conditions (time ranges) are not supported here: the statement is not evaluated',
    );
    expect(msg("{target.user.name = 'x'}")).toBe("`{` must follow `any` or `all`, e.g. `all {a = 'x', b = 'y'}`");
    expect(msg("target.user.name = 'x' extra")).toBe('expected the end of the statement after the condition, found `extra`');
    expect(parseStatement('Allow group G to use users in tenancy where').diagnostics[0]?.message).toBe('`where` is not followed by a condition');
  });
});

describe('odd input', () => {
  it('reports an empty statement and a statement that does not start with a keyword', () => {
    expect(parseStatement('   ').diagnostics.map((d) => d.code)).toEqual(['empty']);
    expect(parseStatement('Permit group G to use users in tenancy').diagnostics[0]?.message).toBe(
      'a statement starts with Allow or Deny (or Endorse, Admit, Define), not `Permit`',
    );
  });

  it('gives line and column inside a multi-line statement', () => {
    const p = parseStatement("Allow group G to use database-connections in tenancy\nwhere all {\n  target.database.id = 'x',\n  request.colour = 'y'\n}");
    expect(p.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['unknown-variable', 4, 3]]);
  });

  it('keeps the source offsets when smart quotes are replaced', () => {
    const text = 'Allow group \u2018A\u2019 to use users in tenancy';
    expect(parseStatement(text).source).toHaveLength(text.length);
  });
});
