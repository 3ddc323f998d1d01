// How the client named with --client gets a DB token, written for it: the
// one owner of the per-client token-flow fix texts. python-oracledb: the
// oci_tokens plugin (extra_auth_params, an auth_type per auth mode) or
// access_token; Oracle JDBC: the ojdbc-provider-oci Access Token Provider or
// OCI_TOKEN with the token `oci iam db-token get` wrote; SQL*Plus and thick
// clients: `oci iam db-token get` and TOKEN_AUTH=OCI_TOKEN. node-oracledb is
// the doctor's own driver: its fix is the finding's own.
import type { AuthMode, ClientKind } from '../../core/options.js';

/** oci_tokens auth_type for each auth mode the plugin documents. */
const PY_AUTH_TYPE: Partial<Record<AuthMode, string>> = {
  api_key: 'ConfigFileAuthentication',
  security_token: 'SecurityToken',
  instance_principal: 'InstancePrincipal',
  resource_principal: 'ResourcePrincipal',
};

/** ojdbc-provider-oci authenticationMethod for each auth mode it documents (no session-token method). */
const JDBC_AUTH_METHOD: Partial<Record<AuthMode, string>> = {
  api_key: 'config-file',
  instance_principal: 'instance-principal',
  resource_principal: 'resource-principal',
};

export interface TokenFlowContext {
  /** The auth mode in force, when known. */
  auth?: AuthMode;
  /** The OCI config profile (config-file and session-token modes). */
  profile?: string;
  /** A DB-token scope that reaches the database, when known. */
  scope?: string;
}

function pythonFix(c: TokenFlowContext): string {
  const authType = (c.auth && PY_AUTH_TYPE[c.auth]) ?? 'ConfigFileAuthentication';
  const keys = [`"auth_type": "${authType}"`];
  if (authType === 'ConfigFileAuthentication' || authType === 'SecurityToken') keys.push(`"profile": "${c.profile ?? 'DEFAULT'}"`);
  // The plugin takes a scope with these auth types only.
  if (c.scope && ['ConfigFileAuthentication', 'InstancePrincipal', 'SimpleAuthentication'].includes(authType)) keys.push(`"scope": "${c.scope}"`);
  return (
    'python-oracledb: let the oci_tokens plugin fetch a token at each connect instead of a file that expires: ' +
    `import oracledb.plugins.oci_tokens, then oracledb.connect(..., extra_auth_params={${keys.join(', ')}}) (python-oracledb 3.0.0 or later, with python -m pip install 'oracledb[oci_auth]'). ` +
    `Or give the access_token parameter a 2-tuple (the token, its private key) read from the files 'oci iam db-token get${c.scope ? ` --scope ${c.scope}` : ''}' writes, fetched again when they expire.`
  );
}

function jdbcFix(c: TokenFlowContext): string {
  const method = c.auth ? JDBC_AUTH_METHOD[c.auth] : 'config-file';
  const props = ['oracle.jdbc.provider.accessToken=ojdbc-provider-oci-token'];
  if (method) props.push(`oracle.jdbc.provider.accessToken.authenticationMethod=${method}`);
  if (method === 'config-file' && c.profile) props.push(`oracle.jdbc.provider.accessToken.profile=${c.profile}`);
  if (c.scope) props.push(`oracle.jdbc.provider.accessToken.scope=${c.scope}`);
  return (
    `Oracle JDBC: let ojdbc-provider-oci (com.oracle.database.jdbc:ojdbc-provider-oci on the class path) fetch the token: in the connection properties file (ojdbc.properties; not as -D system properties) set ${props.join(', ')}` +
    `${method ? '' : ' (the provider has no session-token method: use the OCI_TOKEN way below)'}. ` +
    `Or run 'oci iam db-token get${c.scope ? ` --scope ${c.scope}` : ''}' and connect with oracle.jdbc.tokenAuthentication=OCI_TOKEN on the URL ((SECURITY=(TOKEN_AUTH=OCI_TOKEN)) in a descriptor), fetching the token again when it expires.`
  );
}

function thickFix(c: TokenFlowContext): string {
  return (
    `SQL*Plus / thick clients: run 'oci iam db-token get${c.scope ? ` --scope ${c.scope}` : ''}' (it writes token and oci_db_key.pem together to ~/.oci/db-token; the token lasts an hour), ` +
    'set TOKEN_AUTH=OCI_TOKEN in sqlnet.ora (TOKEN_LOCATION when the files are elsewhere) and connect with a slash: sqlplus /@<alias>.'
  );
}

/** The token-flow fix for `client`, or '' for node (the finding's own fix is node's). */
export function tokenFlowFix(client: ClientKind, c: TokenFlowContext): string {
  switch (client) {
    case 'python':
      return pythonFix(c);
    case 'jdbc':
      return jdbcFix(c);
    case 'sqlplus':
      return thickFix(c);
    case 'node':
      return '';
  }
}

/** A finding's fixText: its own fix, then the chosen client's way (nothing added for node). */
export function withClientFix(fix: string, deps: { options: { client: ClientKind; auth?: AuthMode; profile?: string } }, c: Omit<TokenFlowContext, 'auth' | 'profile'>): { fixText?: string } {
  const extra = tokenFlowFix(deps.options.client, { ...c, ...(deps.options.auth ? { auth: deps.options.auth } : {}), ...(deps.options.profile ? { profile: deps.options.profile } : {}) });
  return extra ? { fixText: `${fix} ${extra}` } : {};
}
