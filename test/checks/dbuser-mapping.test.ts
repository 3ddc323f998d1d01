// dbuser.mapping judged from plain facts: the simulator's fixture type in,
// findings out — no simulator, no socket (see test/helpers/facts.ts).
import { describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../src/adapters/oci-sdk.js';
import { dbUserMappingCheck } from '../../src/checks/dbuser/mapping.js';
import { DBUSER_DATA, type DbUserData } from '../../src/checks/dbuser/name.js';
import type { DoctorFacts } from '../../src/checks/facts.js';
import { WHOAMI_DATA, type WhoAmIData } from '../../src/checks/identity/whoami.js';
import type { CheckOutcome, DataKey } from '../../src/core/types.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { testDeps } from '../helpers/deps.js';
import { factsFrom, type FactsOptions } from '../helpers/facts.js';

const fixture = healthyTenancy(generateRsaKey().publicKeyPem);
const identity: SigningIdentity = { kind: 'token', token: 'canary-token', privateKeyPem: 'canary-key', region: 'us-ashburn-1' };
const alice: WhoAmIData = { identity, user: { id: IDS.alice, name: 'alice@example.com', dbUserName: 'alice' }, tenancy: IDS.tenancy };
const instance: WhoAmIData = { identity, principal: { kind: 'instance', id: IDS.instance, compartmentId: IDS.finance }, tenancy: IDS.tenancy };

async function judge(mapping: string, who: WhoAmIData, facts: FactsOptions = {}, db?: DbUserData): Promise<CheckOutcome> {
  const deps = { ...testDeps({ argv: ['--mapping', mapping] }), facts: factsFrom(fixture, facts) satisfies DoctorFacts };
  const data = new Map<string, unknown>([[WHOAMI_DATA.checkId, who], ...(db ? [[DBUSER_DATA.checkId, db] as const] : [])]);
  return dbUserMappingCheck.run({ deps, dataOf: <T,>(k: DataKey<T>) => data.get(k.checkId) as T | undefined, codesSoFar: () => [], resultOf: () => undefined }, new AbortController().signal);
}

describe('dbuser.mapping from plain facts', () => {
  it('passes when the user is in the mapped group', async () => {
    const out = await judge('IAM_GROUP_NAME=DBUsers', alice);
    expect(out.findings).toEqual([]);
    expect(out.summary).toBe('member of DBUsers');
  });

  it('names the groups the user is in when the mapped one is not among them', async () => {
    const out = await judge('IAM_GROUP_NAME=Auditors', alice);
    expect(out.findings.map((f) => f.code)).toEqual(['dbuser.not-in-mapped-group']);
    expect(out.findings[0]?.evidence['groups of this principal']).toBe('DBUsers');
    expect(out.findings[0]?.fix.commands[0]).toContain(`--user-id ${IDS.alice}`);
  });

  it('says why it cannot decide when the groups are unreadable (404, as OCI answers without inspect groups)', async () => {
    const out = await judge('IAM_GROUP_NAME=DBUsers', alice, { denied: ['userGroups'] });
    expect(out.findings).toEqual([]);
    expect(out.skipped).toBe('cannot list the user’s groups (404 NotAuthorizedOrNotFound)');
  });

  it("puts an instance in the dynamic groups whose rules match its token's compartment", async () => {
    expect((await judge('IAM_GROUP_NAME=AppServers', instance, { metadata: { instanceId: IDS.instance } })).findings).toEqual([]);
    // Without the metadata service the compartment still comes from the token.
    expect((await judge('IAM_GROUP_NAME=AppServers', instance, { metadata: { unreachable: 'connect ECONNREFUSED' } })).findings).toEqual([]);
    const elsewhere: WhoAmIData = { ...instance, principal: { kind: 'instance', id: IDS.instance, compartmentId: IDS.prod } };
    const out = await judge('IAM_GROUP_NAME=AppServers', elsewhere, { metadata: { instanceId: IDS.instance } });
    expect(out.findings.map((f) => f.code)).toEqual(['dbuser.not-in-mapped-group']);
    expect(out.findings[0]?.evidence['groups of this principal']).toBe('(none)');
  });

  it('compares an exclusive mapping with the name the database sees, and an OCID mapping with the principal', async () => {
    const db: DbUserData = { name: 'alice', fallback: false } as DbUserData;
    expect((await judge('IAM_PRINCIPAL_NAME=alice', alice, {}, db)).findings).toEqual([]);
    expect((await judge('IAM_PRINCIPAL_NAME=bob', alice, {}, db)).findings.map((f) => f.code)).toEqual(['dbuser.mapping-mismatch']);
    const other = await judge(`IAM_PRINCIPAL_OCID=${IDS.instance}`, alice);
    expect(other.findings[0]?.title).toBe(`The mapping names ${IDS.instance}, but this principal is ${IDS.alice}`);
  });
});
