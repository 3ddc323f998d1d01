// What checks read from the outside world, behind one injected gateway.
// Types only: the live implementation is src/adapters/live-facts.ts, the
// tests' is test/helpers/facts.ts. A check never opens a socket or calls the
// SDK itself; it asks for a fact and judges what comes back. Every read is
// made once per run (the gateway caches it), so two checks asking for the
// user's groups see the same answer and cost one request.
import type { InstanceAttributes, ResourcePlace } from '../adapters/oci-policy-targets.js';
import type { DbKeyPair } from '../adapters/rsa-key-pair.js';
import type { AutonomousDatabaseFacts } from '../adapters/oci-database.js';
import type { DbToolsConnectionFacts, SqlOutcome, ValidationFacts } from '../adapters/oci-dbtools.js';
import type { DynamicGroupRead } from '../adapters/oci-iam-reads.js';
import type { ImdsProbe } from '../adapters/imds.js';
import type { DnsResult, TcpResult, TlsProbeOptions, TlsProbeResult } from '../adapters/net-probe.js';
import type { OciFailure, OciUser, PrincipalSession, ServiceName, SigningIdentity } from '../adapters/oci-sdk.js';
import type { SecretBundleFacts } from '../adapters/oci-secrets.js';
import type { AdminConnectParams, AdminQueriesResult, DirectConnectParams, DirectResult } from '../adapters/oracle-db.js';
import type { ProxymuxResult } from '../adapters/oke-proxymux.js';
import type { SystemRoots } from '../adapters/trust-stores.js';
import type { PythonProbe } from '../adapters/python-probe.js';
import type { Cert } from '../core/tls/certs.js';
import type { CompartmentInput, GroupMembership, PolicyInput } from '../core/policy/index.js';

export type { PythonProbe, PythonTrust } from '../adapters/python-probe.js';
export type { DbKeyPair, DbToolsConnectionFacts, DynamicGroupRead, InstanceAttributes, ResourcePlace, SigningIdentity };

/** A failed read: the request that was made and what the service answered (status 0: no answer). */
export interface FactFailure extends OciFailure {
  /** The request as a user would repeat it, e.g. `GET /20160918/users/ocid1.user…`. */
  request: string;
}

/** One fact: its value and where it came from, or the failure with the request made. */
export type Fact<T> = { ok: true; value: T; request: string } | FactFailure;

/** What the instance metadata service said, or why it could not be read. */
export type MetadataFact = { ok: true; value: InstanceAttributes; source: string } | { ok: false; reason: string; source: string };

/** Reads signed with the caller's identity (its own region and credentials). */
export interface OciReads {
  user(identity: SigningIdentity, userId: string): Promise<Fact<OciUser>>;
  userGroups(identity: SigningIdentity, tenancyId: string, userId: string): Promise<Fact<GroupMembership[]>>;
  dynamicGroups(identity: SigningIdentity, tenancyId: string): Promise<Fact<DynamicGroupRead[]>>;
  policies(identity: SigningIdentity, compartmentId: string): Promise<Fact<PolicyInput[]>>;
  compartmentTree(identity: SigningIdentity, tenancyId: string): Promise<Fact<CompartmentInput[]>>;
  compartmentAncestry(identity: SigningIdentity, tenancyId: string, compartmentId: string): Promise<Fact<CompartmentInput[]>>;
  autonomousDatabase(identity: SigningIdentity, adbId: string): Promise<Fact<AutonomousDatabaseFacts>>;
  dbToolsConnection(identity: SigningIdentity, connectionId: string): Promise<Fact<DbToolsConnectionFacts>>;
  dbToolsExternalAuth(identity: SigningIdentity, connectionId: string): Promise<Fact<string | undefined>>;
  validateDbToolsConnection(identity: SigningIdentity, connectionId: string): Promise<Fact<ValidationFacts>>;
  executeSql(identity: SigningIdentity, connectionId: string, sql: string): Promise<Fact<SqlOutcome>>;
  secretBundle(identity: SigningIdentity, secretId: string): Promise<Fact<SecretBundleFacts>>;
  dbToken(identity: SigningIdentity, scope: string, publicKeyPem: string): Promise<Fact<string>>;
  /** The base URL a service is reached at (the --endpoint override, else the region's). */
  serviceUrl(service: ServiceName, region: string): Promise<string>;
  /** The service's clock, from the Date header of an unsigned request (undefined: no answer). */
  serverDate(service: ServiceName, region: string, signal: AbortSignal): Promise<Date | undefined>;
}

/** How principals without a profile get their credentials. */
export interface PrincipalSources {
  /** Where the metadata service is asked (the default address, or --imds-url). */
  readonly metadataUrl: string;
  /** A short probe: is there a metadata service (an OCI instance)? */
  probeMetadata(signal: AbortSignal): Promise<ImdsProbe>;
  /** The instance's own attributes (compartment, defined tags), read once per run. */
  instanceMetadata(): Promise<MetadataFact>;
  /** The instance identity federated at the auth service for a principal token. */
  instancePrincipalSession(region?: string): Promise<Fact<PrincipalSession>>;
  /** The pod's service-account token exchanged at the OKE proxymux. */
  okeExchange(opts: { host: string; port: number; serviceAccountToken: string; clusterCaPem?: string; publicKeyPem: string; signal: AbortSignal }): Promise<ProxymuxResult>;
}

/** One address on one of this machine's network interfaces. */
export interface LocalAddress {
  interface: string;
  address: string;
  family: 'ipv4' | 'ipv6';
}

/** DNS, TCP and the TLS chain as the server presents it. */
export interface NetworkReads {
  resolve(host: string, signal: AbortSignal): Promise<DnsResult>;
  connect(address: string, port: number, signal: AbortSignal): Promise<TcpResult>;
  tlsChain(address: string, port: number, opts: TlsProbeOptions): Promise<TlsProbeResult>;
  /**
   * This machine's own addresses (loopback left out), read from its interfaces:
   * no packet leaves. Behind NAT none of them is the address others see.
   */
  localAddresses(): LocalAddress[];
}

/** The trust sources this Node has of its own. */
export interface TrustStores {
  bundledRoots(): Cert[];
  systemRoots(): SystemRoots;
  /** Whether Node can be told to add the OS store to its defaults (--use-system-ca). */
  hasSystemCaOption(): boolean;
  /** The trust stores of a Python (the one named, else python3 on PATH), from a short read-only probe; once per run. */
  python(interpreter?: string): Promise<PythonProbe>;
}

/** The database, through node-oracledb thin. */
export interface DatabaseSessions {
  identityQuery(params: DirectConnectParams): Promise<DirectResult>;
  adminQueries(params: AdminConnectParams, statements: readonly string[]): Promise<AdminQueriesResult>;
}

export interface DoctorFacts {
  oci: OciReads;
  principals: PrincipalSources;
  network: NetworkReads;
  trust: TrustStores;
  database: DatabaseSessions;
  /** A key pair for a DB token, a session or the throw-away TLS wallet (generated, never read from the user's disk). */
  newKeyPair(): Promise<DbKeyPair>;
  /**
   * The same gateway with every cache emptied, for a new run (`r` on the
   * screen); reads still pending when `run` aborts end as failures at once.
   */
  renew(run?: AbortSignal): DoctorFacts;
}
