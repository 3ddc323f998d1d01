// policy.dbtools-connection judged from plain facts: may the Database Tools
// connection read the secrets it names as its own resource principal? The
// expected rules and statements are written by hand from Oracle's Database
// Tools pages (Dynamic Groups, Policies), not computed by the writers.
import { describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../src/adapters/oci-sdk.js';
import type { DoctorFacts } from '../../src/checks/facts.js';
import { WHOAMI_DATA, type WhoAmIData } from '../../src/checks/identity/whoami.js';
import { dbtoolsConnectionAccessCheck } from '../../src/checks/policy/dbtools-connection.js';
import type { CheckOutcome, DataKey } from '../../src/core/types.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { testDeps } from '../helpers/deps.js';
import { factsFrom, type FactsOptions } from '../helpers/facts.js';

const publicKeyPem = generateRsaKey().publicKeyPem;
const identity: SigningIdentity = { kind: 'token', token: 'canary-token', privateKeyPem: 'canary-key', region: 'us-ashburn-1' };
const alice: WhoAmIData = { identity, user: { id: IDS.alice, name: 'alice@example.com', dbUserName: 'alice' }, tenancy: IDS.tenancy };

const CONNECTIONS_RULE = `ALL {resource.type = 'databasetoolsconnection', resource.compartment.id = '${IDS.finance}'}`;
const SECRETS_STATEMENT = 'Allow dynamic-group DbToolsConnections to read secret-family in compartment Finance';

async function judge(opts: { change?: (f: Fixture) => void; argv?: string[]; facts?: FactsOptions; who?: WhoAmIData } = {}): Promise<CheckOutcome> {
  const fixture = healthyTenancy(publicKeyPem);
  opts.change?.(fixture);
  const deps = { ...testDeps({ argv: opts.argv ?? ['--dbtools-connection-id', IDS.dbtools] }), facts: factsFrom(fixture, opts.facts) satisfies DoctorFacts };
  const data = new Map<string, unknown>([[WHOAMI_DATA.checkId, opts.who ?? alice]]);
  return dbtoolsConnectionAccessCheck.run({ deps, dataOf: <T,>(k: DataKey<T>) => data.get(k.checkId) as T | undefined, codesSoFar: () => [], resultOf: () => undefined }, new AbortController().signal);
}

const codes = (o: CheckOutcome) => o.findings.map((f) => f.code);
const dbPolicy = (f: Fixture) => f.policies.find((p) => p.id === IDS.dbPolicy) as Fixture['policies'][number];
const withoutSecretsStatement = (f: Fixture) => {
  dbPolicy(f).statements = dbPolicy(f).statements.filter((s) => s !== SECRETS_STATEMENT);
};
const withoutConnectionsGroup = (f: Fixture) => {
  f.dynamicGroups = f.dynamicGroups.filter((g) => g.id !== IDS.dbtoolsConnections);
};
/** The connection retrieves its password and wallet itself (Database Tools "Resource Principal" page). */
const resourcePrincipal = (...changes: ((f: Fixture) => void)[]) => (f: Fixture) => {
  f.dbToolsConnections.forEach((c) => (c.runtimeIdentity = 'RESOURCE_PRINCIPAL'));
  changes.forEach((change) => change(f));
};

describe('policy.dbtools-connection from plain facts', () => {
  it('names the dynamic group and the granting statement when the connection may read its wallet secret', async () => {
    const out = await judge();
    expect(codes(out)).toEqual(['dbtools.rp-secrets-readable']);
    const f = out.findings[0]!;
    expect(f.title).toBe('Database Tools connection ledger-support-iam may read the secret it names as its own resource principal');
    expect(f.evidence['dynamic groups']).toBe('DbToolsConnections (of 2 read from Identity)');
    expect(f.evidence['secret 1']).toBe(`${IDS.walletSecret} (key store SSO)`);
    expect(f.evidence['secret 1 granted by']).toBe(`policy 'db-access' (compartment Prod), statement 6: ${SECRETS_STATEMENT}`);
    // AUTHENTICATED_PRINCIPAL: the two Database Tools pages say different things about who reads the secrets.
    expect(f.evidence['documents differ']).toMatch(/Policies page .* Resource Principal page/);
    expect(f.evidence.connection).toBe(`ledger-support-iam (${IDS.dbtools}) in compartment Prod:Finance, runtime identity AUTHENTICATED_PRINCIPAL`);
  });

  it('checks every secret a password connection names: its wallet and its user password', async () => {
    const out = await judge({ argv: ['--dbtools-connection-id', IDS.adminDbtools] });
    expect(codes(out)).toEqual(['dbtools.rp-secrets-readable']);
    expect(out.findings[0]?.evidence['secret 2']).toBe(`${IDS.adminPasswordSecret} (user password)`);
    expect(out.summary).toBe('may read its 2 secrets');
  });

  it('gives the exact rule and statement to add when no dynamic group matches the connection', async () => {
    const out = await judge({ change: resourcePrincipal(withoutConnectionsGroup) });
    expect(codes(out)).toEqual(['dbtools.rp-no-dynamic-group']);
    const f = out.findings[0]!;
    expect(f.severity).toBe('fail');
    expect(f.title).toBe('No dynamic group matches Database Tools connection ledger-support-iam, so it cannot read the secrets it names');
    expect(f.evidence['matching rule to add']).toBe(`ALL {resource.id = '${IDS.dbtools}'}`);
    expect(f.evidence['statement to add']).toBe('Allow dynamic-group dbiam-dbtools-connections to read secret-family in compartment Prod:Finance');
    expect(f.fix.text).toContain(`with the matching rule ALL {resource.id = '${IDS.dbtools}'} (or ${CONNECTIONS_RULE} for every connection of its compartment)`);
    expect(f.fix.commands).toEqual([
      `oci iam dynamic-group create --compartment-id ${IDS.tenancy} --name dbiam-dbtools-connections --description "Database Tools connections that read their own secrets" --matching-rule "ALL {resource.id = '${IDS.dbtools}'}"`,
      `oci iam policy create --compartment-id ${IDS.tenancy} --name dbiam-doctor-dbtools-connection-secrets --description "Granted as suggested by dbiam-doctor" --statements "[\\"Allow dynamic-group dbiam-dbtools-connections to read secret-family in compartment Prod:Finance\\"]"`,
    ]);
    // The statement that would grant it is shown with why it does not reach the connection.
    expect(f.evidence['closest 1']).toBe(`policy 'db-access' (compartment Prod), statement 6: ${SECRETS_STATEMENT}`);
  });

  it('shows what a rule meant for connections misses (another compartment, the instance-style variable)', async () => {
    const out = await judge({
      change: resourcePrincipal((f) => {
        const g = f.dynamicGroups.find((x) => x.id === IDS.dbtoolsConnections)!;
        g.matchingRule = `ALL {resource.type = 'databasetoolsconnection', resource.compartment.id = '${IDS.prod}'}`;
      }),
    });
    expect(codes(out)).toEqual(['dbtools.rp-no-dynamic-group']);
    const f = out.findings[0]!;
    expect(f.evidence['dynamic group DbToolsConnections rule']).toContain(IDS.prod);
    expect(f.evidence['dynamic group DbToolsConnections misses']).toContain(IDS.finance);
    // A rule written for instances never matches a connection.
    const instanceStyle = await judge({
      change: resourcePrincipal((f) => {
        f.dynamicGroups.find((x) => x.id === IDS.dbtoolsConnections)!.matchingRule = `ALL {instance.compartment.id = '${IDS.finance}'}`;
      }),
    });
    expect(codes(instanceStyle)).toEqual(['dbtools.rp-no-dynamic-group']);
  });

  it('names the statement for the dynamic group the connection is in when no policy lets it read the secret', async () => {
    const out = await judge({ change: resourcePrincipal(withoutSecretsStatement) });
    expect(codes(out)).toEqual(['dbtools.rp-secret-not-granted']);
    const f = out.findings[0]!;
    expect(f.title).toBe(`Database Tools connection ledger-support-iam is in dynamic group DbToolsConnections, but no policy lets it read secret ${IDS.walletSecret}`);
    expect(f.fix.text).toBe('Add this statement to a policy in the root compartment: Allow dynamic-group DbToolsConnections to read secret-family in compartment Prod:Finance');
  });

  it('writes a dynamic group of another identity domain as \'Domain\'/\'Name\' in the statement', async () => {
    const out = await judge({
      change: resourcePrincipal(withoutSecretsStatement),
      facts: {
        oci: {
          dynamicGroups: async (_id, tenancyId) => ({
            ok: true,
            value: [{ id: IDS.dbtoolsConnections, name: 'Connections', domain: 'HR', matchingRule: CONNECTIONS_RULE }],
            request: `GET /20160918/dynamicGroups?compartmentId=${tenancyId}`,
          }),
        },
      },
    });
    expect(out.findings[0]?.fix.text).toBe("Add this statement to a policy in the root compartment: Allow dynamic-group 'HR'/'Connections' to read secret-family in compartment Prod:Finance");
  });

  it('accepts the documented grant to the connection itself (any-user where request.principal.id), with no dynamic group', async () => {
    const out = await judge({
      change: (f) => {
        withoutConnectionsGroup(f);
        withoutSecretsStatement(f);
        dbPolicy(f).statements.push(`allow any-user to read secret-family in compartment Finance where any { request.principal.id = '${IDS.dbtools}' }`);
      },
    });
    expect(codes(out)).toEqual(['dbtools.rp-secrets-readable']);
    // Naming another connection grants nothing to this one.
    const other = await judge({
      change: resourcePrincipal((f) => {
        withoutConnectionsGroup(f);
        withoutSecretsStatement(f);
        dbPolicy(f).statements.push(`allow any-user to read secret-family in compartment Finance where any { request.principal.id = '${IDS.adminDbtools}' }`);
      }),
    });
    expect(codes(other)).toEqual(['dbtools.rp-no-dynamic-group']);
  });

  it('follows inheritance: read secret-family granted in a parent compartment reaches the connection', async () => {
    const out = await judge({
      change: resourcePrincipal((f) => {
        withoutSecretsStatement(f);
        dbPolicy(f).statements.push('Allow dynamic-group DbToolsConnections to read secrets in compartment Prod');
      }),
    });
    // `secrets` is not `secret-bundles`: reading a secret's content needs secret-bundles (or secret-family).
    expect(codes(out)).toEqual(['dbtools.rp-secret-not-granted']);
    const parent = await judge({
      change: (f) => {
        withoutSecretsStatement(f);
        f.policies.push({ id: 'ocid1.policy.oc1..aaaaaaaatestrootsecrets000000000000000000000000000', name: 'root-secrets', compartmentId: IDS.tenancy, statements: ['Allow dynamic-group DbToolsConnections to read secret-bundles in compartment Prod'], timeCreated: '2026-01-15T09:00:00.000Z' });
      },
    });
    expect(codes(parent)).toEqual(['dbtools.rp-secrets-readable']);
  });

  it('reports a deny statement as the reason, with the deny to remove', async () => {
    const out = await judge({ change: resourcePrincipal((f) => void dbPolicy(f).statements.push('Deny dynamic-group DbToolsConnections to read secret-bundles in compartment Finance')) });
    expect(codes(out)).toEqual(['dbtools.rp-secret-not-granted']);
    expect(out.findings[0]?.fix.text).toBe("Remove or narrow the deny statement: policy 'db-access' (compartment Prod), statement 7: Deny dynamic-group DbToolsConnections to read secret-bundles in compartment Finance");
  });

  it('matches rules on the connection\'s defined tags', async () => {
    const tagged = (facts: ReturnType<typeof factsFrom>) => ({
      dbToolsConnection: async (id: SigningIdentity, connectionId: string) => {
        const read = await facts.oci.dbToolsConnection(id, connectionId);
        return read.ok ? { ...read, value: { ...read.value, definedTags: { Operations: { Team: 'support' } } } } : read;
      },
    });
    const base = factsFrom(healthyTenancy(publicKeyPem));
    const out = await judge({
      change: (f) => (f.dynamicGroups.find((x) => x.id === IDS.dbtoolsConnections)!.matchingRule = "ALL {resource.type = 'databasetoolsconnection', tag.Operations.Team.value = 'support'}"),
      facts: { oci: tagged(base) },
    });
    expect(codes(out)).toEqual(['dbtools.rp-secrets-readable']);
  });

  it('only warns, saying the documents differ, when the connection runs as the caller (AUTHENTICATED_PRINCIPAL)', async () => {
    const out = await judge({ change: withoutConnectionsGroup });
    expect(codes(out)).toEqual(['dbtools.rp-grant-missing']);
    const f = out.findings[0]!;
    expect(f.severity).toBe('warn');
    expect(f.detail).toMatch(/runtime identity AUTHENTICATED_PRINCIPAL.*Policies page .*persona table and Resource Principal page/);
    // The same rule and statement as for a resource-principal connection.
    expect(f.evidence['matching rule to add']).toBe(`ALL {resource.id = '${IDS.dbtools}'}`);
    expect(f.evidence['statement to add']).toBe('Allow dynamic-group dbiam-dbtools-connections to read secret-family in compartment Prod:Finance');
    expect(codes(await judge({ change: withoutSecretsStatement }))).toEqual(['dbtools.rp-grant-missing']);
    // A resource-principal connection carries no such note.
    expect((await judge({ change: resourcePrincipal() })).findings[0]?.evidence['documents differ']).toBeUndefined();
  });

  it('does not decide when a read fails, and says which (the connection itself: skipped, db.identity reports it)', async () => {
    const noGroups = await judge({ facts: { denied: ['dynamicGroups'] } });
    expect(codes(noGroups)).toEqual(['dbtools.rp-unknown']);
    expect(noGroups.findings[0]?.title).toBe('Cannot list the dynamic groups (404 NotAuthorizedOrNotFound)');
    // An unreadable connection is db.identity's finding; this check says why it stopped.
    const noConnection = await judge({ facts: { denied: ['dbToolsConnection'] } });
    expect(noConnection.findings).toEqual([]);
    expect(noConnection.skipped).toBe(`cannot read Database Tools connection ${IDS.dbtools} (404 NotAuthorizedOrNotFound), so the secrets it names are unknown`);
    const noPolicies = await judge({ facts: { denied: ['policies'] } });
    expect(codes(noPolicies)).toEqual(['dbtools.rp-unknown']);
    expect(noPolicies.findings[0]?.evidence.unreadable).toBe('compartment Prod:Finance, compartment Prod, the tenancy');
  });

  it('says what it left out: statements and rules that do not parse', async () => {
    const out = await judge({
      change: (f) => {
        dbPolicy(f).statements.push('Allow dynamic-group DbToolsConnections to read secret-family in');
        f.dynamicGroups.push({ id: 'ocid1.dynamicgroup.oc1..aaaaaaaatestbrokenrule000000000000000000000000000', name: 'Broken', matchingRule: "ALL {resource.type = 'databasetoolsconnection'," });
      },
    });
    expect(codes(out)).toEqual(['dbtools.rp-secrets-readable']);
    expect(out.findings[0]?.evidence['left out']).toBe('1 statement that does not parse');
    expect(out.findings[0]?.evidence['rules that do not parse']).toBe('Broken');
  });

  it('is skipped without --dbtools-connection-id', async () => {
    const out = await judge({ argv: [] });
    expect(out.skipped).toBe('no --dbtools-connection-id');
    expect(out.findings).toEqual([]);
  });
});
