// Database Tools: the connection (oci-databasetools) and the runtime
// (oci-databasetoolsruntime: validate, executeSql, property sets). The
// runtime connects as the caller (runtime identity AUTHENTICATED_PRINCIPAL),
// which reaches private databases the doctor cannot reach itself.
import { aim, attempt, clientConfig, providerFor, type CallContext, type OciResult, type SigningIdentity } from './oci-sdk.js';
import { applyProxyEnvironment } from './proxy.js';
import { cjsModule } from './cjs-module.js';

export interface DbToolsConnectionFacts {
  id: string;
  displayName: string;
  compartmentId: string;
  type: string;
  authenticationType?: string;
  connectionString?: string;
  userName?: string;
  /** The Vault secret holding the password of a PASSWORD connection. */
  userPasswordSecretId?: string;
  runtimeIdentity?: string;
  privateEndpointId?: string;
  advancedProperties: Record<string, string>;
  keyStores: { keyStoreType?: string; secretId?: string }[];
  relatedResource?: { entityType?: string; identifier?: string };
  /** Defined tags (namespace → key → value): dynamic-group rules can match the connection by them. */
  definedTags: Record<string, Record<string, string>>;
}

export interface ValidationFacts {
  code?: string;
  message?: string;
  cause?: string;
  action?: string;
  sessionUser?: string;
  currentSchema?: string;
  authenticatedIdentity?: string;
  authenticationMethod?: string;
  enterpriseIdentity?: string;
  externalAuthenticationStatuses: { type?: string; status?: string }[];
}

export interface SqlOutcome {
  /** Rows as arrays in select-list order. */
  rows: unknown[][];
  columns: string[];
  error?: { code?: number; message?: string };
}

async function clients(id: SigningIdentity, call: CallContext) {
  // The proxy set-up, the clients' modules and oci-common load side by side.
  const [, toolsSdk, runtimeSdk, loaded] = await Promise.all([applyProxyEnvironment(call.env), import('oci-databasetools'), import('oci-databasetoolsruntime'), clientConfig()]);
  const { DatabaseToolsClient } = cjsModule(toolsSdk);
  const { DatabaseToolsRuntimeClient } = cjsModule(runtimeSdk);
  const config = loaded as never;
  const control = new DatabaseToolsClient({ authenticationDetailsProvider: providerFor(id) }, config);
  aim(control, 'dbtools', id.region, call.endpoints);
  const runtime = new DatabaseToolsRuntimeClient({ authenticationDetailsProvider: providerFor(id) }, config);
  aim(runtime, 'dbtools-runtime', id.region, call.endpoints);
  return { control, runtime };
}

export async function getDbToolsConnection(id: SigningIdentity, connectionId: string, call: CallContext): Promise<OciResult<DbToolsConnectionFacts>> {
  const { control } = await clients(id, call);
  return attempt(call, async () => {
    const c = (await control.getDatabaseToolsConnection({ databaseToolsConnectionId: connectionId })).databaseToolsConnection as unknown as Record<string, unknown> & { keyStores?: { keyStoreType?: string; keyStoreContent?: { secretId?: string } }[] };
    return {
      id: String(c.id),
      displayName: String(c.displayName),
      compartmentId: String(c.compartmentId),
      type: String(c.type),
      authenticationType: c.authenticationType === undefined ? undefined : String(c.authenticationType),
      connectionString: typeof c.connectionString === 'string' ? c.connectionString : undefined,
      userName: typeof c.userName === 'string' ? c.userName : undefined,
      userPasswordSecretId: (c.userPassword as { secretId?: string } | undefined)?.secretId,
      runtimeIdentity: c.runtimeIdentity === undefined ? undefined : String(c.runtimeIdentity),
      privateEndpointId: typeof c.privateEndpointId === 'string' ? c.privateEndpointId : undefined,
      advancedProperties: (c.advancedProperties as Record<string, string> | undefined) ?? {},
      keyStores: (c.keyStores ?? []).map((k) => ({ keyStoreType: k.keyStoreType, secretId: k.keyStoreContent?.secretId })),
      relatedResource: c.relatedResource as DbToolsConnectionFacts['relatedResource'],
      definedTags: (c.definedTags as DbToolsConnectionFacts['definedTags'] | undefined) ?? {},
    };
  });
}

/** The identity provider of the external-authentication property set, e.g. OCI_IAM. */
export async function getExternalAuthProvider(id: SigningIdentity, connectionId: string, call: CallContext): Promise<OciResult<string | undefined>> {
  const { runtime } = await clients(id, call);
  const { models } = cjsModule(await import('oci-databasetoolsruntime'));
  return attempt(call, async () => {
    const res = await runtime.getPropertySet({ databaseToolsConnectionId: connectionId, propertySetKey: models.PropertySetKey.OracleDatabaseExternalAuthentication });
    const provider = (res.propertySet as unknown as { identityProvider?: { type?: string } }).identityProvider;
    return provider?.type;
  });
}

export async function validateDbToolsConnection(id: SigningIdentity, connectionId: string, call: CallContext): Promise<OciResult<ValidationFacts>> {
  const { runtime } = await clients(id, call);
  return attempt(call, async () => {
    const v = (await runtime.validateDatabaseToolsConnection({ databaseToolsConnectionId: connectionId, validateDatabaseToolsConnectionDetails: { type: 'ORACLE_DATABASE' } })).validateDatabaseToolsConnectionResult as unknown as Record<string, unknown>;
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    return {
      code: str('code'),
      message: str('message'),
      cause: str('cause'),
      action: str('action'),
      sessionUser: str('sessionUser'),
      currentSchema: str('currentSchema'),
      authenticatedIdentity: str('authenticatedIdentity'),
      authenticationMethod: str('authenticationMethod'),
      enterpriseIdentity: str('enterpriseIdentity'),
      externalAuthenticationStatuses: (v.externalAuthenticationStatuses as ValidationFacts['externalAuthenticationStatuses'] | undefined) ?? [],
    };
  });
}

export async function executeSql(id: SigningIdentity, connectionId: string, statementText: string, call: CallContext): Promise<OciResult<SqlOutcome>> {
  const { runtime } = await clients(id, call);
  return attempt(call, async () => {
    const res = await runtime.executeSqlDatabaseToolsConnection({
      databaseToolsConnectionId: connectionId,
      executeSqlDatabaseToolsConnectionDetails: { type: 'SYNCHRONOUS', input: { type: 'STANDARD', statementText } } as never,
    });
    const item = ((res.executeSqlResponse as unknown as { items?: Record<string, unknown>[] }).items ?? [])[0] ?? {};
    const error = item.error as { errorCode?: number; errorMessage?: string } | undefined;
    const rs = item.resultSet as { metadata?: { databaseColumnName?: string; uniqueColumnName?: string }[]; items?: Record<string, unknown>[] } | undefined;
    const metadata = rs?.metadata ?? [];
    // Rows are keyed by each column's unique (JSON) name.
    const keys = metadata.map((m) => m.uniqueColumnName ?? m.databaseColumnName ?? '');
    const columns = metadata.map((m) => m.databaseColumnName ?? m.uniqueColumnName ?? '');
    const rows = (rs?.items ?? []).map((row) => keys.map((k) => row[k]));
    return { rows, columns, error: error ? { code: error.errorCode, message: error.errorMessage } : undefined };
  });
}
