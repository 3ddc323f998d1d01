// DB-token scopes: the example values of `oci iam db-token get --scope`
// (https://docs.cloud.oracle.com/iaas/tools/oci-cli/latest/oci_cli_docs/cmdref/iam/db-token/get.html),
// copied as data, must all parse; their meaning is checked against a database.
import { describe, expect, it } from 'vitest';
import { parseDbScope, scopeCovers } from '../../../src/core/db-scope.js';

const CLI_HELP_EXAMPLES = [
  'urn:oracle:db::id::*',
  'urn:oracle:db::id::ocid1.tenancy.oc1..xxxx',
  'urn:oracle:db::id::ocid1.compartment.oc1..xxxx',
  'urn:oracle:db::id::ocid1.compartment.oc1..xxxx::ocid1.autonomousdatabase.oc1.phx.xxxx',
  'urn:oracle:db::path::mytenantname',
  'urn:oracle:db::path::mytenantname:mycompartmentname',
  'urn:oracle:db::path::mytenantname:mycompartmentname::ocid1.autonomousdatabase.oc1.phx.xxxx',
];

const TENANCY = 'ocid1.tenancy.oc1..acme';
const DB = { id: 'ocid1.autonomousdatabase.oc1.phx.xxxx', compartmentId: 'ocid1.compartment.oc1..prod' };

describe('parseDbScope', () => {
  it.each(CLI_HELP_EXAMPLES)('accepts the documented form %s', (scope) => {
    expect(parseDbScope(scope)).toMatchObject({ ok: true });
  });

  it('reads the path forms into names and a database', () => {
    expect(parseDbScope('urn:oracle:db::path::acme')).toEqual({ ok: true, scope: { kind: 'path', tenancyName: 'acme', compartmentNames: [] } });
    expect(parseDbScope(`urn:oracle:db::path::acme:Prod::${DB.id}`)).toEqual({ ok: true, scope: { kind: 'path', tenancyName: 'acme', compartmentNames: ['Prod'], databaseId: DB.id } });
  });

  it.each([
    ['urn:oracle:db:id:*', /must start with urn:oracle:db::id:: or urn:oracle:db::path::/],
    ['urn:oracle:db::path::', /is not a tenancy name/],
    ['urn:oracle:db::path::acme::ocid1.autonomousdatabase.oc1.phx.xxxx', /names the database’s compartment/],
    ['urn:oracle:db::path::acme:Prod::ocid1.instance.oc1.phx.xxxx', /is not an autonomous database OCID/],
    ['urn:oracle:db::path::acme:Prod::a::b', /more than one database OCID/],
  ])('refuses %s', (scope, problem) => {
    const parsed = parseDbScope(scope);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});

describe('scopeCovers with path scopes', () => {
  const cover = (scope: string, names = {}) => {
    const parsed = parseDbScope(scope);
    if (!parsed.ok) throw new Error(parsed.problem);
    return scopeCovers(parsed.scope, DB, TENANCY, names);
  };

  it('compares names when they are known', () => {
    expect(cover('urn:oracle:db::path::acme', { tenancyName: 'ACME' })).toEqual({ covers: true });
    expect(cover('urn:oracle:db::path::acme:Prod', { tenancyName: 'acme', databaseCompartmentPath: ['Prod'] })).toEqual({ covers: true });
    expect(cover('urn:oracle:db::path::other', { tenancyName: 'acme' })).toMatchObject({ covers: false, why: expect.stringMatching(/tenancy other/) });
    expect(cover('urn:oracle:db::path::acme:HR', { tenancyName: 'acme', databaseCompartmentPath: ['Prod'] })).toMatchObject({ covers: false });
  });

  it('refuses another database even without names, and says when names could not be checked', () => {
    expect(cover('urn:oracle:db::path::acme:Prod::ocid1.autonomousdatabase.oc1.phx.other')).toMatchObject({ covers: false });
    expect(cover('urn:oracle:db::path::acme:Prod')).toMatchObject({ covers: true, unverified: expect.stringMatching(/tenancy name is not known/) });
  });
});
