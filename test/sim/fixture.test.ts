import { describe, expect, it } from 'vitest';
import { FixtureError, parseFixture, parseFixtureJson } from '../../src/sim/fixture.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';

const healthy = () => JSON.parse(JSON.stringify(healthyTenancy(generateRsaKey(1024).publicKeyPem))) as Record<string, any>;

function problemsOf(doc: unknown): string[] {
  try {
    parseFixture(doc);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(FixtureError);
    return (err as FixtureError).problems;
  }
}

describe('fixture validation', () => {
  it('accepts the healthy tenancy', () => {
    expect(problemsOf(healthy())).toEqual([]);
  });

  it('names the path of every problem', () => {
    const doc = healthy();
    doc.users[0].groupIds.push('not-an-ocid');
    doc.autonomousDatabases[0].tlsPort = '1521';
    doc.policies[0].statementz = [];
    delete doc.tenancy.homeRegion;
    expect(problemsOf(doc)).toEqual([
      'tenancy.homeRegion: missing',
      "users[0].groupIds[1]: expected an OCID (ocid1.<type>.<realm>.<region>.<id>), got 'not-an-ocid'",
      'policies[0].statementz: unknown field',
      'autonomousDatabases[0].tlsPort: expected a number, got a string',
    ]);
  });

  it('checks references between objects', () => {
    const doc = healthy();
    doc.users[0].groupIds = ['ocid1.group.oc1..aaaaaaaamissinggroup00000000000000000000'];
    doc.policies[0].compartmentId = 'ocid1.compartment.oc1..aaaaaaaanowhere000000000000000000000';
    doc.compartments.push({ id: IDS.prod, name: 'Dup', parentId: IDS.tenancy });
    expect(problemsOf(doc)).toEqual([
      'compartments[2].id: duplicate of compartments[0]',
      'users[0].groupIds[0]: no group with id ocid1.group.oc1..aaaaaaaamissinggroup00000000000000000000',
      'policies[0].compartmentId: no compartment (or tenancy) with id ocid1.compartment.oc1..aaaaaaaanowhere000000000000000000000',
    ]);
  });

  it('reports a JSON syntax error with its position', () => {
    expect(() => parseFixtureJson('{"tenancy": ', 'bad.json')).toThrow(/bad\.json: not valid JSON/);
  });
});
