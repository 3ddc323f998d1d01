import { describe, expect, it } from 'vitest';
import { dynamicGroupsOf, matchingRuleMatches, parseMatchingRule } from '../../../src/core/policy/index.js';
import type { PrincipalAttributes } from '../../../src/core/policy/index.js';
import { MATCHING_RULES } from './corpus.js';

const INSTANCE: PrincipalAttributes = {
  instanceId: 'ocid1.instance.oc1..app1',
  compartmentId: 'ocid1.compartment.oc1..apps',
  tags: { department: { operations: '45' } },
};

const FUNCTION: PrincipalAttributes = {
  resourceId: 'ocid1.fnfunc.oc1..f1',
  resourceType: 'fnfunc',
  compartmentId: 'ocid1.compartment.oc1..fn',
};

describe('the brief corpus of matching rules', () => {
  const expected: string[][] = [
    [],
    ['comma-in-ocid'],
    [],
    [],
    [],
    ['placeholder', 'placeholder', 'placeholder'], // '<your_compartment_ocid>'
    [],
    ['template-placeholder', 'template-placeholder'],
    [],
  ];

  it('has the 9 rules of the brief', () => {
    expect(MATCHING_RULES).toHaveLength(expected.length);
  });

  MATCHING_RULES.forEach((rule, i) => {
    it(`#${i + 1} ${rule.replace(/\n/g, ' ').slice(0, 60)}`, () => {
      const p = parseMatchingRule(rule);
      expect(p.condition).toBeDefined();
      expect(p.diagnostics.map((d) => d.code)).toEqual(expected[i]);
    });
  });

  it('reads the multi-line rule with positions on the right lines', () => {
    const p = parseMatchingRule(MATCHING_RULES[7] as string);
    expect(p.condition).toMatchObject({ kind: 'group', mode: 'any', items: [{ mode: 'all' }, { mode: 'all' }] });
    expect(p.diagnostics.map((d) => [d.line, d.column])).toEqual([
      [2, 62],
      [3, 58],
    ]);
  });
});

describe('matching', () => {
  it('matches a bare tag-existence rule, and says why not when the tag is absent', () => {
    expect(matchingRuleMatches('tag.department.operations.value', INSTANCE).matches).toBe(true);
    expect(matchingRuleMatches('tag.department.operations.value', { ...INSTANCE, tags: {} })).toEqual({
      matches: false,
      failed: [
        {
          condition: 'tag.department.operations.value',
          reason: 'tag.department.operations.value is false, because the principal has no tag department.operations',
        },
      ],
      diagnostics: [],
    });
  });

  it('compares tag values, ignoring case in names and values', () => {
    expect(matchingRuleMatches("tag.Department.Operations.value = '45'", INSTANCE).matches).toBe(true);
    expect(matchingRuleMatches("tag.department.operations.value = '46'", INSTANCE).failed[0]?.reason).toBe(
      "tag.department.operations.value = '46' is false, because the principal has tag.department.operations.value = '45'",
    );
  });

  it('matches an instance by compartment and id, with = and !=', () => {
    const rule = "all {instance.compartment.id = 'ocid1.compartment.oc1..apps', instance.id != 'ocid1.instance.oc1..other'}";
    expect(matchingRuleMatches(rule, INSTANCE).matches).toBe(true);
    expect(matchingRuleMatches(rule, { ...INSTANCE, instanceId: 'ocid1.instance.oc1..other' }).failed).toEqual([
      {
        condition: "instance.id != 'ocid1.instance.oc1..other'",
        reason: "instance.id != 'ocid1.instance.oc1..other' is false, because the principal has instance.id = 'ocid1.instance.oc1..other'",
      },
    ]);
  });

  it('never matches a resource rule for an instance, even with !=', () => {
    const r = matchingRuleMatches("resource.type != 'fnfunc'", INSTANCE);
    expect(r.matches).toBe(false);
    expect(r.failed[0]?.reason).toBe("resource.type != 'fnfunc' is false, because the principal does not carry resource.type");
  });

  it('matches resource types whatever their case (ApiGateway vs apigateway)', () => {
    const gw: PrincipalAttributes = { resourceId: 'ocid1.apigateway.oc1..g', resourceType: 'apigateway', compartmentId: 'c1' };
    expect(matchingRuleMatches("ALL {resource.type = 'ApiGateway', resource.compartment.id = 'c1'}", gw).matches).toBe(true);
  });

  it('reports every failing branch of an any {} that fails', () => {
    const r = matchingRuleMatches("any {resource.type = 'dbsystem', resource.type = 'vmcluster'}", FUNCTION);
    expect(r.failed.map((f) => f.condition)).toEqual(["resource.type = 'dbsystem'", "resource.type = 'vmcluster'"]);
  });

  it('reports nothing from an any {} branch that holds', () => {
    const rule = "all {any {resource.type = 'dbsystem', resource.type = 'fnfunc'}, resource.compartment.id = 'elsewhere'}";
    expect(matchingRuleMatches(rule, FUNCTION).failed.map((f) => f.condition)).toEqual(["resource.compartment.id = 'elsewhere'"]);
  });

  it('accepts fnfunction with a warning and matches it as fnfunc', () => {
    const r = matchingRuleMatches("ALL {resource.type = 'fnfunction', resource.compartment.id = 'ocid1.compartment.oc1..fn'}", FUNCTION);
    expect(r.matches).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['fnfunction', "resource type 'fnfunction' is read as 'fnfunc', the type OCI Functions reports: prefer 'fnfunc'"],
    ]);
    expect(matchingRuleMatches("resource.type = 'fnfunc'", { ...FUNCTION, resourceType: 'fnfunction' }).matches).toBe(true);
  });

  it('reads a rule spread over several lines', () => {
    const rule = "ANY {\n  instance.compartment.id = 'x',\n  instance.compartment.id = 'ocid1.compartment.oc1..apps'\n}";
    expect(matchingRuleMatches(rule, INSTANCE).matches).toBe(true);
  });

  it('matches nothing when the rule does not parse', () => {
    expect(matchingRuleMatches("ALL {instance.id = 'x'", INSTANCE)).toMatchObject({
      matches: false,
      failed: [{ reason: 'the rule does not parse, so it matches nothing' }],
    });
  });
});

describe('rule errors and warnings', () => {
  const first = (rule: string): string | undefined => parseMatchingRule(rule).diagnostics[0]?.message;

  it('explains two conditions without braces', () => {
    expect(first("instance.id = 'a', instance.id = 'b'")).toBe(
      'expected the end of the rule (wrap several conditions in `ANY {…}` or `ALL {…}`), found `,`',
    );
  });

  it('flags an unknown variable, an empty rule and a missing value', () => {
    expect(first("instance.name = 'a'")).toBe(
      '`instance.name` is not a matching-rule variable (instance.id, instance.compartment.id, resource.id, resource.type, resource.compartment.id, tag.<namespace>.<key>.value): it never matches',
    );
    expect(parseMatchingRule(' \n ').diagnostics.map((d) => d.code)).toEqual(['empty']);
    expect(first('instance.id =')).toBe("expected a value in quotes, such as 'ocid1…', found the end of the text");
    expect(first('instance.id')).toBe("`instance.id` has no operator: write `instance.id = 'value'`");
  });

  it('flags unquoted values but still evaluates them', () => {
    const r = matchingRuleMatches('resource.type = fnfunc', FUNCTION);
    expect(r.matches).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unquoted-value']);
  });
});

describe('dynamic groups of a principal', () => {
  const groups = Array.from({ length: 7 }, (_, i) => ({
    id: `ocid1.dynamicgroup.oc1..g${i}`,
    name: `DG${i}`,
    matchingRule: i < 6 ? "instance.compartment.id = 'ocid1.compartment.oc1..apps'" : "instance.compartment.id = 'other'",
  }));

  it('lists the groups whose rule matches', () => {
    const m = dynamicGroupsOf(INSTANCE, groups.slice(4));
    expect(m.groups).toEqual([
      { id: 'ocid1.dynamicgroup.oc1..g4', name: 'DG4' },
      { id: 'ocid1.dynamicgroup.oc1..g5', name: 'DG5' },
    ]);
    expect(m.warnings).toEqual([]);
  });

  it('warns when an instance is in more than 5 dynamic groups', () => {
    expect(dynamicGroupsOf(INSTANCE, groups).warnings).toEqual([
      "the instance matches 6 dynamic groups (DG0, DG1, DG2, DG3, DG4, DG5), more than 5, a per-instance limit reported in the field but not found in Oracle's documentation: grants through some of them may not apply",
    ]);
  });

  it('passes on rule diagnostics with the group they belong to', () => {
    const m = dynamicGroupsOf(FUNCTION, [{ id: 'd1', name: 'Fns', matchingRule: "resource.type = 'fnfunction'" }]);
    expect(m.groups.map((g) => g.name)).toEqual(['Fns']);
    expect(m.diagnostics).toMatchObject([{ code: 'fnfunction', dynamicGroup: 'Fns', dynamicGroupId: 'd1' }]);
  });
});
