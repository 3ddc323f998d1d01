// The live DoctorFacts: every read the checks make of OCI, the metadata
// service, the network, the trust stores and the database, made here and only
// here. It owns what shapes those reads — --endpoint overrides, the proxy
// environment, the metadata URL, --offline — and caches each read for the run,
// so checks that need the same fact share one request.
import { networkInterfaces } from 'node:os';
import type { DbKeyPair, DoctorFacts, LocalAddress, Fact, MetadataFact, OciReads, PrincipalSources, SigningIdentity } from '../checks/facts.js';
import { DEFAULT_IMDS_URL } from './imds.js';
import { connectTcp, capturePresentedChain, resolveHost } from './net-probe.js';
import type { CallContext, FederationTrace, OciResult, RetryPolicy } from './oci-sdk.js';
import { warmModules, type OciClientModule } from './oci-warm.js';
import type { OracleDriver } from './oracle-db.js';
import { bundledRoots, nodeHasSystemCaOption, systemRoots } from './trust-stores.js';
import type { PythonProbe } from './python-probe.js';
import { newDbKeyPair } from './rsa-key-pair.js';

type LiveReads = typeof import('./live-reads.js');
/** The OCI, metadata, database, OKE and python adapters: loaded on the first read that needs one. */
const reads = (): Promise<LiveReads> => import('./live-reads.js');

export interface LiveFactsConfig {
  /** Per-service base URLs (--endpoint service=url): the simulator, or a private endpoint. */
  endpoints: Record<string, string>;
  env: Readonly<Record<string, string | undefined>>;
  /** --imds-url, else the metadata service's own address. */
  imdsUrl?: string;
  /** --offline: no OCI or metadata request leaves the process. */
  offline: boolean;
  nodeVersion: string;
  /** node-oracledb, or a stand-in where a test cannot run a database's logon. */
  oracleDriver?: OracleDriver;
  /** The run's signal: reads still pending when it aborts (Ctrl+C) give up at once. */
  run?: AbortSignal;
  /** Retries of throttled and failing OCI reads (default: DEFAULT_RETRY). */
  retry?: RetryPolicy;
  /** Client modules to load while the run's first OCI reads are in flight (ociModulesFor). */
  warm?: readonly OciClientModule[];
  /** Where the run's fresh key pairs come from (its DB token's, its throw-away TLS wallet's, an instance principal's session key); default: made fresh, RSA-2048, off the main thread. The demo and tests hand out keys made ahead. */
  newKeyPair?: () => Promise<DbKeyPair>;
}

const OFFLINE: Omit<import('./oci-sdk.js').OciFailure, 'ok'> = { status: 0, code: 'Offline', message: 'not asked: --offline makes no OCI request' };
const ABORTED: Omit<import('./oci-sdk.js').OciFailure, 'ok'> = { status: 0, code: 'Aborted', message: 'the run was interrupted before OCI answered' };

/** `read`, or `onAbort()` as soon as the run is interrupted, whichever comes first. */
function untilAborted<T>(read: Promise<T>, run: AbortSignal | undefined, onAbort: () => T): Promise<T> {
  if (!run) return read;
  if (run.aborted) return Promise.resolve(onAbort());
  return new Promise<T>((resolve, reject) => {
    const stop = (): void => resolve(onAbort());
    run.addEventListener('abort', stop, { once: true });
    read.then(
      (v) => (run.removeEventListener('abort', stop), resolve(v)),
      (e: unknown) => (run.removeEventListener('abort', stop), reject(e)),
    );
  });
}

/** Each identity gets a number, so cache keys tell callers apart without holding their secrets. */
function identityNumbers(): (id: SigningIdentity) => number {
  const ids = new WeakMap<SigningIdentity, number>();
  let next = 0;
  return (id) => {
    let n = ids.get(id);
    if (n === undefined) ids.set(id, (n = next++));
    return n;
  };
}

export function liveFacts(config: LiveFactsConfig): DoctorFacts {
  const cache = new Map<string, Promise<unknown>>();
  const numberOf = identityNumbers();
  // One retry state per run: once OCI throttled a read to the end, later reads try once.
  let call: CallContext | undefined;
  const newKeyPair = config.newKeyPair ?? newDbKeyPair;
  const callContext = (m: LiveReads): CallContext => (call ??= { endpoints: config.endpoints, env: config.env, retry: m.retryState(config.retry) });
  const metadataUrl = config.imdsUrl ?? DEFAULT_IMDS_URL;

  /** One promise per key per run. */
  function once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      cache.set(key, p);
    }
    return p;
  }

  let warming: Promise<void> | undefined;

  /** An OCI read, cached, with the request it stands for; under --offline, a failure without a request. */
  function ociRead<T>(name: string, id: SigningIdentity, args: readonly string[], request: string, read: (m: LiveReads, call: CallContext) => Promise<OciResult<T>>): Promise<Fact<T>> {
    return once(`${name}#${numberOf(id)}#${args.join('\u0000')}`, async (): Promise<Fact<T>> => {
      if (config.offline) return { ok: false, ...OFFLINE, request };
      // The run reaches OCI: the clients its later reads use load meanwhile, not between them.
      warming ??= warmModules(config.warm ?? []);
      const m = await reads();
      const res = await untilAborted(read(m, callContext(m)), config.run, (): OciResult<T> => ({ ok: false, ...ABORTED }));
      return res.ok ? { ok: true, value: res.value, request } : { ...res, request };
    });
  }

  const oci: OciReads = {
    user: (id, userId) => ociRead('user', id, [userId], `GET /20160918/users/${userId}`, (m, c) => m.getUser(id, userId, c)),
    userGroups: (id, tenancyId, userId) => ociRead('userGroups', id, [tenancyId, userId], `GET /20160918/userGroupMemberships?userId=${userId}`, (m, c) => m.listUserGroups(id, tenancyId, userId, c)),
    dynamicGroups: (id, tenancyId) => ociRead('dynamicGroups', id, [tenancyId], `GET /20160918/dynamicGroups?compartmentId=${tenancyId}`, (m, c) => m.listDynamicGroups(id, tenancyId, c)),
    policies: (id, compartmentId) => ociRead('policies', id, [compartmentId], `GET /20160918/policies?compartmentId=${compartmentId}`, (m, c) => m.listPolicies(id, compartmentId, c)),
    compartmentTree: (id, tenancyId) => ociRead('compartmentTree', id, [tenancyId], `GET /20160918/compartments?compartmentId=${tenancyId}&compartmentIdInSubtree=true`, (m, c) => m.listCompartmentTree(id, tenancyId, c)),
    compartmentAncestry: (id, tenancyId, compartmentId) => ociRead('compartmentAncestry', id, [tenancyId, compartmentId], `GET /20160918/compartments/${compartmentId}`, (m, c) => m.compartmentAncestry(id, tenancyId, compartmentId, c)),
    autonomousDatabase: (id, adbId) => ociRead('autonomousDatabase', id, [adbId], `GET /20160918/autonomousDatabases/${adbId}`, (m, c) => m.getAutonomousDatabase(id, adbId, c)),
    dbToolsConnection: (id, connectionId) => ociRead('dbToolsConnection', id, [connectionId], `GET /20201005/databaseToolsConnections/${connectionId}`, (m, c) => m.getDbToolsConnection(id, connectionId, c)),
    dbToolsExternalAuth: (id, connectionId) => ociRead('dbToolsExternalAuth', id, [connectionId], `GET /20201005/databaseToolsConnections/${connectionId}/propertySets/ORACLE_DATABASE_EXTERNAL_AUTHENTICATION`, (m, c) => m.getExternalAuthProvider(id, connectionId, c)),
    validateDbToolsConnection: (id, connectionId) => ociRead('validate', id, [connectionId], `POST /20201005/databaseToolsConnections/${connectionId}/actions/validateConnection`, (m, c) => m.validateDbToolsConnection(id, connectionId, c)),
    executeSql: (id, connectionId, sql) => ociRead('executeSql', id, [connectionId, sql], `POST /20201005/databaseToolsConnections/${connectionId}/actions/executeSql`, (m, c) => m.executeSql(id, connectionId, sql, c)),
    secretBundle: (id, secretId) => ociRead('secretBundle', id, [secretId], `GET /20190301/secretbundles/${secretId}`, (m, c) => m.getSecretBundle(id, secretId, c)),
    dbToken: (id, scope, publicKeyPem) => ociRead('dbToken', id, [scope, publicKeyPem], 'POST /v1/actions/generateScopedAccessToken', (m, c) => m.generateDbToken(id, scope, publicKeyPem, c)),
    serviceUrl: async (service, region) => (await reads()).serviceBaseUrl(service, region, config.endpoints),
    serverDate: async (service, region, signal) => {
      if (config.offline) return undefined;
      const m = await reads();
      return m.serverDate(await m.serviceBaseUrl(service, region, config.endpoints), signal);
    },
  };

  const principals: PrincipalSources = {
    metadataUrl,
    probeMetadata: (signal) => (config.offline ? Promise.resolve({ reachable: false, reason: 'not asked (--offline)' }) : once('probeMetadata', async () => (await reads()).probeImds(metadataUrl, signal))),
    instanceMetadata: () =>
      once('instanceMetadata', async (): Promise<MetadataFact> => {
        if (config.offline) return { ok: false, reason: 'not asked (--offline)', source: metadataUrl };
        const res = await (await reads()).readInstanceAttributes(metadataUrl, config.run);
        return res.ok ? { ok: true, value: res.value, source: metadataUrl } : { ok: false, reason: res.reason, source: metadataUrl };
      }),
    instancePrincipalSession: (region) =>
      once(`instancePrincipal#${region ?? ''}`, async () => {
        // Until the SDK has read the region, the auth host is only a pattern: its domain depends on the realm.
        const requestTo = (auth: string | undefined): string => `GET ${metadataUrl}identity/cert.pem, then POST ${auth ?? 'https://auth.<region>.<realm domain>'}/v1/x509`;
        if (config.offline) return { ok: false, ...OFFLINE, request: requestTo(config.endpoints.auth) };
        const trace: FederationTrace = {};
        const m = await reads();
        const res = await untilAborted(m.instancePrincipalSession({ imdsUrl: metadataUrl, ...(region ? { region } : {}), call: callContext(m), trace, newKeyPair }), config.run, (): OciResult<never> => ({ ok: false, ...ABORTED }));
        const request = requestTo(trace.federationEndpoint ?? config.endpoints.auth);
        return res.ok ? { ok: true, value: res.value, request } : { ...res, request };
      }),
    okeExchange: async (opts) => (config.offline ? { ok: false, reason: 'not asked (--offline)' } : (await reads()).exchangeServiceAccountToken(opts)),
  };

  const pythonProbes = new Map<string, Promise<PythonProbe>>();
  return {
    oci,
    principals,
    network: {
      resolve: (host, signal) => resolveHost(host, { signal }),
      connect: (address, port, signal) => connectTcp(address, port, { signal }),
      tlsChain: (address, port, opts) => capturePresentedChain(address, port, opts),
      localAddresses: () =>
        Object.entries(networkInterfaces()).flatMap(([name, list]) =>
          (list ?? []).filter((a) => !a.internal).map((a): LocalAddress => ({ interface: name, address: a.address, family: a.family === 'IPv4' ? 'ipv4' : 'ipv6' })),
        ),
    },
    trust: {
      bundledRoots: () => bundledRoots(),
      systemRoots: () => systemRoots(config.nodeVersion),
      hasSystemCaOption: () => nodeHasSystemCaOption(config.nodeVersion),
      python: (interpreter) => {
        const key = interpreter ?? '';
        let probe = pythonProbes.get(key);
        if (!probe) pythonProbes.set(key, (probe = reads().then((m) => m.probePython(interpreter, config.env))));
        return probe;
      },
    },
    database: {
      identityQuery: async (params) => (await reads()).runIdentityQuery(params, config.oracleDriver),
      adminQueries: async (params, statements) => (await reads()).runAdminQueries(params, statements, config.oracleDriver),
    },
    newKeyPair,
    renew: (run) => liveFacts({ ...config, ...(run ? { run } : {}) }),
  };
}
