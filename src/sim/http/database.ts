// The Database service (oci-database, /20160918): GetAutonomousDatabase and
// ListAutonomousDatabases, with the fields the doctor reads and the JSON names
// DatabaseClient deserializes (model.AutonomousDatabase).
//
// Whether IAM authentication is enabled inside the database is not part of the
// OCI model (it is a database parameter, `identity_provider_type`): the fixture's
// `iamAuthEnabled` stays simulator-only and surfaces through SQL and Database
// Tools validation, never here.
import type { Fixture } from '../fixture.js';
import { notAuthorizedOrNotFound, OciError, type Route, type SimContext, type SimRequest } from './server.js';

type Adb = Fixture['autonomousDatabases'][number];

const EPOCH = '2024-01-01T00:00:00.000Z';
const ID = '([^/]+)';

/** `ledger_high` → HIGH; undefined when the service name carries no consumer group. */
function consumerGroup(service: string): string | undefined {
  const m = /_(high|medium|low|tpurgent|tp)$/i.exec(service);
  return m ? (m[1] as string).toUpperCase() : undefined;
}

/** The long-form descriptor ADB hands out for a service. */
export function adbDescriptor(host: string, port: number, service: string): string {
  return `(description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=${port})(host=${host}))(connect_data=(service_name=${service}))(security=(ssl_server_dn_match=yes)))`;
}

/** Connection strings: a MUTUAL (wallet) profile per service, plus a SERVER (one-way TLS) one unless mTLS is required. */
export function connectionStringsModel(adb: Adb): Record<string, unknown> {
  const profiles: Record<string, unknown>[] = [];
  for (const service of adb.serviceNames) {
    const group = consumerGroup(service);
    const base = { displayName: service, protocol: 'TCPS', hostFormat: 'FQDN', sessionMode: 'DIRECT', syntaxFormat: 'LONG', isRegional: false, ...(group ? { consumerGroup: group } : {}) };
    profiles.push({ ...base, value: adbDescriptor(adb.host, adb.mtlsPort, service), tlsAuthentication: 'MUTUAL' });
    if (!adb.mtlsRequired) profiles.push({ ...base, value: adbDescriptor(adb.host, adb.tlsPort, service), tlsAuthentication: 'SERVER' });
  }
  const all: Record<string, string> = {};
  for (const service of adb.serviceNames) all[consumerGroup(service) ?? service.toUpperCase()] = `${adb.host}:${adb.mtlsPort}/${service}`;
  return {
    ...(all.HIGH ? { high: all.HIGH } : {}),
    ...(all.MEDIUM ? { medium: all.MEDIUM } : {}),
    ...(all.LOW ? { low: all.LOW } : {}),
    allConnectionStrings: all,
    profiles,
  };
}

export function autonomousDatabaseModel(adb: Adb): Record<string, unknown> {
  const pe = adb.privateEndpoint;
  return {
    id: adb.id,
    compartmentId: adb.compartmentId,
    displayName: adb.displayName,
    dbName: adb.dbName,
    lifecycleState: 'AVAILABLE',
    timeCreated: EPOCH,
    dbVersion: '19c',
    dbWorkload: 'OLTP',
    isDedicated: false,
    isFreeTier: false,
    dataStorageSizeInTBs: 1,
    computeModel: 'ECPU',
    computeCount: 2,
    openMode: 'READ_WRITE',
    permissionLevel: 'UNRESTRICTED',
    licenseModel: 'LICENSE_INCLUDED',
    isMtlsConnectionRequired: adb.mtlsRequired,
    // The ACL: absent when the database has none (and not applicable to a private endpoint).
    ...(adb.acl.length > 0 ? { whitelistedIps: adb.acl } : {}),
    ...(pe
      ? { privateEndpoint: adb.host, privateEndpointIp: pe.ip, privateEndpointLabel: pe.label, ...(pe.subnetId ? { subnetId: pe.subnetId } : {}), nsgIds: [] }
      : {}),
    connectionStrings: connectionStringsModel(adb),
    freeformTags: {},
    definedTags: {},
  };
}

function canInspect(req: SimRequest, ctx: SimContext, adb: Adb): boolean {
  return ctx.authorize(req, 'inspect autonomous-databases', adb.compartmentId, { 'target.database.id': adb.id });
}

export function databaseRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/20160918/autonomousDatabases/${ID}$`),
      auth: 'signed',
      handle(req, ctx) {
        const adb = ctx.fixture.autonomousDatabases.find((a) => a.id === req.params[0]);
        if (!adb || !canInspect(req, ctx, adb)) throw notAuthorizedOrNotFound(`autonomous database ${req.params[0]}`);
        return { status: 200, body: autonomousDatabaseModel(adb), headers: { etag: `"${adb.id.slice(-12)}"` } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/20160918\/autonomousDatabases$/,
      auth: 'signed',
      paged: true,
      handle(req, ctx) {
        const compartmentId = req.query.get('compartmentId');
        if (!compartmentId) throw new OciError(400, 'MissingParameter', 'compartmentId is required');
        if (compartmentId !== ctx.fixture.tenancy.id && !ctx.fixture.compartments.some((c) => c.id === compartmentId)) throw notAuthorizedOrNotFound(`compartment ${compartmentId}`);
        const displayName = req.query.get('displayName');
        const inCompartment = ctx.fixture.autonomousDatabases.filter((a) => a.compartmentId === compartmentId);
        if (!ctx.authorize(req, 'inspect autonomous-databases', compartmentId)) throw notAuthorizedOrNotFound('autonomous databases');
        return { status: 200, body: inCompartment.filter((a) => !displayName || a.displayName === displayName).map(autonomousDatabaseModel) };
      },
    },
  ];
}
