// Facts for check tests, built from the same Fixture type the simulator
// serves: a check test is then plain objects in, findings out, with no
// simulator, no socket and no key generation (milliseconds).
//
// Reads the fixture can answer are answered as the real service would (a
// missing or forbidden resource is a generic 404 NotAuthorizedOrNotFound);
// reads a test did not provide throw, so a check that starts asking for
// something new fails loudly instead of silently seeing "no answer".
import type { AutonomousDatabaseFacts } from '../../src/adapters/oci-database.js';
import type { DbKeyPair, DoctorFacts, Fact, MetadataFact, NetworkReads, OciReads, PrincipalSources, TrustStores, DatabaseSessions } from '../../src/checks/facts.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { pooledKeyMemo, takeRsaKey } from '../../src/sim/key-pool.js';

/** The generic answer OCI gives for a resource that is missing or that the caller may not see. */
export function notAuthorizedOrNotFound<T>(request: string): Fact<T> {
  return { ok: false, status: 404, code: 'NotAuthorizedOrNotFound', message: 'Authorization failed or requested resource not found.', request };
}

function missing(what: string): never {
  throw new Error(`facts: ${what} is not in this test's facts (give it to factsFrom)`);
}

export interface FactsOptions {
  /** OCI reads answered 404 NotAuthorizedOrNotFound, as for a caller without `inspect` on them. */
  denied?: readonly (keyof OciReads)[];
  /** The instance the metadata service describes (an id from fixture.instances), or a failure reason. */
  metadata?: { instanceId: string } | { unreachable: string };
  oci?: Partial<OciReads>;
  principals?: Partial<PrincipalSources>;
  network?: Partial<NetworkReads>;
  trust?: Partial<TrustStores>;
  database?: Partial<DatabaseSessions>;
}

const ok = <T>(value: T, request: string): Fact<T> => ({ ok: true, value, request });

/** A throw-away RSA key pair, made once per test file (what checks ask newKeyPair for). */
const keyPair: () => DbKeyPair = pooledKeyMemo(() => takeRsaKey(2048));

export function factsFrom(fixture: Fixture, options: FactsOptions = {}): DoctorFacts {
  const denied = new Set(options.denied ?? []);
  const guard = <T>(name: keyof OciReads, request: string, answer: () => Fact<T>): Promise<Fact<T>> => Promise.resolve(denied.has(name) ? notAuthorizedOrNotFound<T>(request) : answer());

  const adbFacts = (a: Fixture['autonomousDatabases'][number]): AutonomousDatabaseFacts => ({
    id: a.id,
    compartmentId: a.compartmentId,
    displayName: a.displayName,
    dbName: a.dbName,
    lifecycleState: 'AVAILABLE',
    isMtlsConnectionRequired: a.mtlsRequired,
    ...(a.acl.length > 0 ? { whitelistedIps: a.acl } : {}),
    // As the database service answers for a private-endpoint database: the endpoint's host name and address.
    ...(a.privateEndpoint ? { privateEndpoint: a.host, privateEndpointIp: a.privateEndpoint.ip } : {}),
    profiles: [],
  });

  const oci: OciReads = {
    user: (_id, userId) => {
      const request = `GET /20160918/users/${userId}`;
      return guard('user', request, () => {
        const u = fixture.users.find((x) => x.id === userId);
        return u ? ok({ id: u.id, name: u.name, ...(u.dbUserName ? { dbUserName: u.dbUserName } : {}), ...(u.email ? { email: u.email } : {}), canUseDbCredentials: u.canUseDbCredentials }, request) : notAuthorizedOrNotFound(request);
      });
    },
    userGroups: (_id, _tenancy, userId) => {
      const request = `GET /20160918/userGroupMemberships?userId=${userId}`;
      return guard('userGroups', request, () => {
        const u = fixture.users.find((x) => x.id === userId);
        return ok(fixture.groups.filter((g) => u?.groupIds.includes(g.id)).map((g) => ({ id: g.id, name: g.name })), request);
      });
    },
    dynamicGroups: (_id, tenancyId) => {
      const request = `GET /20160918/dynamicGroups?compartmentId=${tenancyId}`;
      return guard('dynamicGroups', request, () => ok(fixture.dynamicGroups.map((g) => ({ id: g.id, name: g.name, matchingRule: g.matchingRule })), request));
    },
    policies: (_id, compartmentId) => {
      const request = `GET /20160918/policies?compartmentId=${compartmentId}`;
      return guard('policies', request, () => ok(fixture.policies.filter((p) => p.compartmentId === compartmentId).map((p) => ({ id: p.id, name: p.name, compartmentId: p.compartmentId, statements: p.statements, timeCreated: p.timeCreated })), request));
    },
    compartmentTree: (_id, tenancyId) => {
      const request = `GET /20160918/compartments?compartmentId=${tenancyId}&compartmentIdInSubtree=true`;
      return guard('compartmentTree', request, () => ok(fixture.compartments.map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })), request));
    },
    compartmentAncestry: (_id, tenancyId, compartmentId) => {
      const request = `GET /20160918/compartments/${compartmentId}`;
      return guard('compartmentAncestry', request, () => {
        const out: { id: string; name: string; parentId: string }[] = [];
        for (let c = fixture.compartments.find((x) => x.id === compartmentId); c && c.id !== tenancyId; c = fixture.compartments.find((x) => x.id === c?.parentId)) out.push({ id: c.id, name: c.name, parentId: c.parentId });
        return ok(out, request);
      });
    },
    autonomousDatabase: (_id, adbId) => {
      const request = `GET /20160918/autonomousDatabases/${adbId}`;
      return guard('autonomousDatabase', request, () => {
        const a = fixture.autonomousDatabases.find((x) => x.id === adbId);
        return a ? ok(adbFacts(a), request) : notAuthorizedOrNotFound(request);
      });
    },
    dbToolsConnection: (_id, connectionId) => {
      const request = `GET /20201005/databaseToolsConnections/${connectionId}`;
      return guard('dbToolsConnection', request, () => {
        const c = fixture.dbToolsConnections.find((x) => x.id === connectionId);
        if (!c) return notAuthorizedOrNotFound(request);
        return ok(
          {
            id: c.id,
            displayName: c.displayName,
            compartmentId: c.compartmentId,
            type: 'ORACLE_DATABASE',
            authenticationType: c.authType,
            connectionString: c.connectionString,
            ...(c.userName ? { userName: c.userName } : {}),
            ...(c.userPasswordSecretId ? { userPasswordSecretId: c.userPasswordSecretId } : {}),
            ...(c.runtimeIdentity ? { runtimeIdentity: c.runtimeIdentity } : {}),
            ...(c.privateEndpointId ? { privateEndpointId: c.privateEndpointId } : {}),
            advancedProperties: c.advancedProperties,
            keyStores: c.keyStores.map((k) => ({ keyStoreType: k.keyStoreType, secretId: k.secretId })),
            relatedResource: { entityType: 'AUTONOMOUSDATABASE', identifier: c.databaseId },
            definedTags: {},
          },
          request,
        );
      });
    },
    dbToolsExternalAuth: () => missing('oci.dbToolsExternalAuth'),
    validateDbToolsConnection: () => missing('oci.validateDbToolsConnection'),
    executeSql: () => missing('oci.executeSql'),
    secretBundle: () => missing('oci.secretBundle'),
    dbToken: () => missing('oci.dbToken'),
    serviceUrl: async (service, region) => `https://${service}.${region}.oci.example`,
    serverDate: () => Promise.resolve(undefined),
    ...options.oci,
  };

  const metadata = (): MetadataFact => {
    const source = 'http://127.0.0.1:9/opc/v2/';
    const m = options.metadata;
    if (!m) return { ok: false, reason: 'no metadata service in this test', source };
    if ('unreachable' in m) return { ok: false, reason: m.unreachable, source };
    const i = fixture.instances.find((x) => x.id === m.instanceId);
    return i ? { ok: true, value: { id: i.id, compartmentId: i.compartmentId, definedTags: i.definedTags }, source } : missing(`instance ${m.instanceId}`);
  };

  const facts: DoctorFacts = {
    oci,
    principals: {
      metadataUrl: 'http://127.0.0.1:9/opc/v2/',
      probeMetadata: async () => {
        const m = metadata();
        return m.ok ? { reachable: true, ...(m.value.id ? { instanceId: m.value.id } : {}) } : { reachable: false, reason: m.reason };
      },
      instanceMetadata: async () => metadata(),
      instancePrincipalSession: () => missing('principals.instancePrincipalSession'),
      okeExchange: () => missing('principals.okeExchange'),
      ...options.principals,
    },
    network: {
      resolve: () => missing('network.resolve'),
      connect: () => missing('network.connect'),
      tlsChain: () => missing('network.tlsChain'),
      localAddresses: () => missing('network.localAddresses'),
      ...options.network,
    },
    trust: { bundledRoots: () => [], systemRoots: () => ({ ok: false, reason: 'not in this test' }), hasSystemCaOption: () => false, python: (interpreter) => Promise.resolve({ ok: false, interpreter: interpreter ?? 'python3', missing: true, reason: 'not in this test' }), ...options.trust },
    database: { identityQuery: () => missing('database.identityQuery'), adminQueries: () => missing('database.adminQueries'), ...options.database },
    newKeyPair: async () => keyPair(),
    renew: () => factsFrom(fixture, options),
  };
  return facts;
}
