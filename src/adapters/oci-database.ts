// Reads an Autonomous Database (oci-database GetAutonomousDatabase): where it
// lives, how it is reached, what it requires. One reader for every check.
import { aim, attempt, clientConfig, providerFor, type CallContext, type OciResult, type SigningIdentity } from './oci-sdk.js';
import { applyProxyEnvironment } from './proxy.js';
import { cjsModule } from './cjs-module.js';

export interface AdbConnectionProfile {
  displayName: string;
  value: string;
  tlsAuthentication?: string;
  protocol?: string;
}

export interface AutonomousDatabaseFacts {
  id: string;
  compartmentId: string;
  displayName: string;
  dbName: string;
  lifecycleState: string;
  isMtlsConnectionRequired?: boolean;
  /** The access control list (client IPs/CIDRs/VCNs); undefined when none. */
  whitelistedIps?: string[];
  privateEndpoint?: string;
  privateEndpointIp?: string;
  profiles: AdbConnectionProfile[];
}

export async function getAutonomousDatabase(id: SigningIdentity, adbId: string, call: CallContext): Promise<OciResult<AutonomousDatabaseFacts>> {
  // The proxy set-up, the client's module and oci-common load side by side.
  const [, { DatabaseClient }, config] = await Promise.all([applyProxyEnvironment(call.env), import('oci-database').then(cjsModule), clientConfig()]);
  const client = new DatabaseClient({ authenticationDetailsProvider: providerFor(id) }, config as never);
  aim(client, 'database', id.region, call.endpoints);
  return attempt(call, async () => {
    const a = (await client.getAutonomousDatabase({ autonomousDatabaseId: adbId })).autonomousDatabase;
    return {
      id: a.id,
      compartmentId: a.compartmentId,
      displayName: a.displayName ?? a.dbName,
      dbName: a.dbName,
      lifecycleState: String(a.lifecycleState),
      isMtlsConnectionRequired: a.isMtlsConnectionRequired,
      whitelistedIps: a.whitelistedIps,
      privateEndpoint: a.privateEndpoint,
      privateEndpointIp: a.privateEndpointIp,
      profiles: (a.connectionStrings?.profiles ?? []).map((p) => ({ displayName: p.displayName, value: p.value, tlsAuthentication: p.tlsAuthentication ? String(p.tlsAuthentication) : undefined, protocol: p.protocol ? String(p.protocol) : undefined })),
    };
  });
}
