// Turns setup answers into the artifacts an engineer applies: IAM policy,
// dynamic-group rule, DBA SQL, Database Tools CLI script, OCI profile or
// sign-in command, app snippets and the doctor's own config. Pure text.
import { connectStringKind, parseIamGroupName, type SetupAnswers } from './answers.js';
import { doctorArgsFromConfig, DOCTOR_VERSION, jobManifestYaml, runCommandScript } from './workload-run.js';

export type ArtifactId =
  | 'policy'
  | 'dynamic-group-rule'
  | 'dbtools-dynamic-group-rule'
  | 'dba-sql'
  | 'dbtools-cli'
  | 'oci-auth'
  | 'node-snippet'
  | 'python-snippet'
  | 'doctor-config'
  | 'k8s-job'
  | 'run-command';

export interface Artifact {
  id: ArtifactId;
  /** File name inside the output directory. */
  file: string;
  title: string;
  content: string;
  /** 0o600 for anything naming key files or tokens. */
  mode: number;
}

export interface PolicyPlan {
  /** Statements to apply, narrowest first. */
  statements: string[];
  /** Broader statements, shown as commented alternatives only. */
  broader: string[];
}

/**
 * The DB token scope every snippet and connection asks for: the policy's narrowest
 * grant, never wider (the Database Tools token page asks for iam.db.token.scope to be
 * the same as or more restrictive than the policy). One database when the policy names
 * it, else the compartment, else the tenancy. Answers validation guarantees the
 * database's compartment OCID whenever the grant is narrower than the tenancy.
 */
export function tokenScope(a: SetupAnswers): string {
  const t = a.target;
  if (t.adbId && t.compartmentOcid) return `urn:oracle:db::id::${t.compartmentOcid}::${t.adbId}`;
  if (t.compartmentPath !== 'tenancy' && t.compartmentOcid) return `urn:oracle:db::id::${t.compartmentOcid}`;
  return `urn:oracle:db::id::${a.tenancyOcid}`;
}

/** A statement's location for a compartment path from the root (`Prod:Finance`), or the tenancy. */
export function policyLocation(compartmentPath: string): string {
  return compartmentPath === 'tenancy' ? 'tenancy' : `compartment ${compartmentPath}`;
}

function location(a: SetupAnswers): string {
  return policyLocation(a.target.compartmentPath);
}

/** `Name`, or `'Domain'/'Name'` for a group of a named identity domain (the policy-syntax Subjects page). */
export function policyName(text: string): string {
  const g = parseIamGroupName(text) ?? { name: text };
  return g.domain ? `'${g.domain}'/'${g.name}'` : g.name;
}

/** IAM_GROUP_NAME takes `domain/group` for a non-default domain, the bare name for the default one. */
function mappingName(text: string): string {
  const g = parseIamGroupName(text) ?? { name: text };
  return g.domain && g.domain.toLowerCase() !== 'default' ? `${g.domain}/${g.name}` : g.name;
}

function subject(a: SetupAnswers): string {
  const m = a.mapping;
  if (a.authMode === 'oke_workload_identity') return 'any-user';
  if (m.kind === 'instance' || m.kind === 'dynamic-group') return `dynamic-group ${policyName(m.dynamicGroup as string)}`;
  return `group ${policyName(m.group as string)}`;
}

/** The dynamic group holding the Database Tools connections, whose resource principal reads the wallet secret. */
export const DBTOOLS_DYNAMIC_GROUP = 'dbiam-dbtools-connections';

/**
 * The statement letting the connections of a dynamic group read the secrets they name
 * (Database Tools "Policies" page). `group` as written after `dynamic-group` (see policyName).
 */
export function dbtoolsSecretsStatement(group: string, location: string): string {
  return `Allow dynamic-group ${group} to read secret-family in ${location}`;
}

/**
 * A matching rule for Database Tools connections (Database Tools "Dynamic Groups" page):
 * one connection by its OCID, or every connection of a compartment.
 */
export function dbtoolsMatchingRule(target: { connectionId: string } | { compartmentId: string }): string {
  return 'connectionId' in target
    ? `ALL {resource.id = '${target.connectionId}'}`
    : `ALL {resource.type = 'databasetoolsconnection', resource.compartment.id = '${target.compartmentId}'}`;
}

/** OKE workloads are named by conditions, not by a group. */
function principalConditions(a: SetupAnswers): string[] {
  const o = a.mapping.oke;
  if (a.authMode !== 'oke_workload_identity' || !o) return [];
  return [
    "request.principal.type = 'workload'",
    `request.principal.namespace = '${o.namespace}'`,
    `request.principal.service_account = '${o.serviceAccount}'`,
    `request.principal.cluster_id = '${o.clusterOcid}'`,
  ];
}

function where(conditions: string[]): string {
  if (conditions.length === 0) return '';
  if (conditions.length === 1) return ` where ${conditions[0]}`;
  return ` where all {${conditions.join(', ')}}`;
}

export function policyPlan(a: SetupAnswers): PolicyPlan {
  const who = subject(a);
  const loc = location(a);
  const principal = principalConditions(a);
  const statements: string[] = [];
  const broader: string[] = [];
  const connect = `Allow ${who} to use database-connections in ${loc}`;
  if (a.target.adbId) {
    statements.push(`${connect}${where([...principal, `target.database.id = '${a.target.adbId}'`])}`);
    broader.push(`${connect}${where(principal)}`);
  } else {
    statements.push(`${connect}${where(principal)}`);
  }
  if (a.target.tls === 'dbtools') {
    // The persona "Database Tools connection with authenticated principal user", then the
    // connection's own resource principal, which reads the secrets the connection names.
    statements.push(
      `Allow ${who} to read autonomous-database-family in ${loc}${where(principal)}`,
      `Allow ${who} to read secret-family in ${loc}${where(principal)}`,
      `Allow ${who} to read database-tools-family in ${loc}${where(principal)}`,
      `Allow ${who} to use database-tools-connections in ${loc}${where(principal)}`,
      dbtoolsSecretsStatement(DBTOOLS_DYNAMIC_GROUP, loc),
    );
  } else if (a.target.walletSecretId) {
    statements.push(`Allow ${who} to read secret-bundles in ${loc}${where([...principal, `target.secret.id = '${a.target.walletSecretId}'`])}`);
  }
  return { statements, broader };
}

/** The matching rule for the Database Tools connections' dynamic group (Database Tools "Dynamic Groups" page). */
export function dbtoolsConnectionRule(a: SetupAnswers): string | undefined {
  const t = a.target;
  if (t.tls !== 'dbtools') return undefined;
  return dbtoolsMatchingRule(t.dbtoolsConnectionId ? { connectionId: t.dbtoolsConnectionId } : { compartmentId: t.compartmentOcid as string });
}

/** The dynamic group's matching rule, for instance and resource principals. */
export function matchingRule(a: SetupAnswers): string | undefined {
  const m = a.mapping;
  if (m.kind === 'instance') return `ALL {instance.id = '${m.instanceOcid}'}`;
  if (m.kind !== 'dynamic-group') return undefined;
  if (a.authMode === 'resource_principal') return `ALL {resource.type = '${m.resourceType}', resource.compartment.id = '${m.compartmentOcidForRule}'}`;
  return `ALL {instance.compartment.id = '${m.compartmentOcidForRule}'}`;
}

/**
 * Autonomous Database's page on IAM users says instance and resource principals can be
 * mapped only through a dynamic group (a shared mapping); other pages map one instance
 * by IAM_PRINCIPAL_OCID. For an Autonomous Database the dynamic-group mapping is written
 * and the other is offered as the fallback; elsewhere the reverse.
 */
function instanceMappings(a: SetupAnswers): { primary: string; fallback: string } {
  const m = a.mapping;
  const byGroup = `IAM_GROUP_NAME=${mappingName(m.dynamicGroup as string)}`;
  const byOcid = `IAM_PRINCIPAL_OCID=${m.instanceOcid}`;
  return a.target.adbId ? { primary: byGroup, fallback: byOcid } : { primary: byOcid, fallback: byGroup };
}

/** The IDENTIFIED GLOBALLY value the database maps the principal with. */
export function globalMapping(a: SetupAnswers): string {
  const m = a.mapping;
  switch (m.kind) {
    case 'shared-group':
      return `IAM_GROUP_NAME=${mappingName(m.group as string)}`;
    case 'exclusive-user':
      return a.authMode === 'oke_workload_identity' ? `IAM_PRINCIPAL_OCID=${m.principalOcid}` : `IAM_PRINCIPAL_NAME=${m.userName}`;
    case 'instance':
      return instanceMappings(a).primary;
    case 'dynamic-group':
      return `IAM_GROUP_NAME=${mappingName(m.dynamicGroup as string)}`;
  }
}

/** Where Oracle's documents disagree about the mapping: said in the DBA script, with the other recipe. */
function mappingNotes(a: SetupAnswers): string[] {
  const m = a.mapping;
  if (m.kind === 'instance') {
    const { fallback } = instanceMappings(a);
    return [
      "-- Oracle's documents differ here: the Autonomous Database page on IAM users maps instance",
      '-- principals only through a dynamic group (IAM_GROUP_NAME), while other pages map one instance',
      `-- by IAM_PRINCIPAL_OCID. This script uses the form ${a.target.adbId ? 'documented for Autonomous Database' : 'for one instance'}; if the identity`,
      '-- query fails with ORA-01017 although the policy and token are right, drop the user and try the other:',
      `-- CREATE USER ${m.dbUser} IDENTIFIED GLOBALLY AS ${sqlString(fallback)};`,
    ];
  }
  if (a.authMode === 'oke_workload_identity') {
    return [
      "-- Unconfirmed: Oracle's Autonomous Database page documents only dynamic-group (shared) mappings",
      '-- for instance and resource principals, and OKE workloads cannot be in dynamic groups. Mapping the',
      '-- workload by IAM_PRINCIPAL_OCID follows the other database pages; prove it with the identity query.',
    ];
  }
  return [];
}

function policyText(a: SetupAnswers): string {
  const plan = policyPlan(a);
  const lines = [
    '# IAM policy statements for dbiam-doctor setup, narrowest first.',
    `# Attach it to the root compartment (tenancy)${a.target.compartmentPath === 'tenancy' ? '' : `: 'compartment ${a.target.compartmentPath}' is resolved from the policy's own compartment`}.`,
    '# Policies take effect in about 10 seconds.',
    ...plan.statements,
  ];
  if (plan.broader.length > 0) {
    lines.push('', '# Broader alternative, only if the statement above cannot name the database:');
    for (const s of plan.broader) lines.push(`# ${s}`);
  }
  return `${lines.join('\n')}\n`;
}

function ruleText(group: string, rule: string, why?: string): string {
  return [
    `# Matching rule for dynamic group ${group}. Rule changes can take up to an hour to apply.`,
    ...(why ? [`# ${why}`] : []),
    rule,
    '',
  ].join('\n');
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function dbaSql(a: SetupAnswers): string {
  const m = a.mapping;
  const map = globalMapping(a);
  const lines = ['-- Run as ADMIN (or a DBA). Generated by dbiam-doctor setup.', ''];
  if (a.target.adbId) {
    lines.push('-- 1. Let the database accept OCI IAM tokens (Autonomous Database).', 'BEGIN', "  DBMS_CLOUD_ADMIN.ENABLE_EXTERNAL_AUTHENTICATION(type => 'OCI_IAM');", 'END;', '/');
  } else {
    lines.push('-- 1. Let the database accept OCI IAM tokens.', 'ALTER SYSTEM SET IDENTITY_PROVIDER_TYPE = OCI_IAM SCOPE = BOTH;');
  }
  lines.push("-- Check: SELECT name, value FROM v$parameter WHERE name = 'identity_provider_type';  -- expect OCI_IAM", '');
  lines.push(`-- 2. Map the IAM principal (${map}) to the database.`, ...mappingNotes(a));
  const grantees: string[] = [];
  if (m.dbUser) {
    lines.push(`CREATE USER ${m.dbUser} IDENTIFIED GLOBALLY AS ${sqlString(map)};`);
    lines.push(`GRANT CREATE SESSION TO ${m.dbUser};`);
    grantees.push(m.dbUser);
  }
  if (m.role) {
    lines.push(`CREATE ROLE ${m.role} IDENTIFIED GLOBALLY AS ${sqlString(map)};`);
    if (!m.dbUser) lines.push(`GRANT CREATE SESSION TO ${m.role};`);
    grantees.push(m.role);
  }
  lines.push('');
  const grantee = grantees[grantees.length - 1] ?? 'GRANTEE';
  if (a.access === 'read-only') {
    lines.push('-- 3. Read-only access: grant SELECT on just the objects needed (placeholders; edit before running).');
    lines.push(`-- GRANT SELECT ON <schema>.<table> TO ${grantee};`);
    lines.push(`-- GRANT SELECT ON <schema>.<view> TO ${grantee};`);
    lines.push('-- Avoid broad roles such as SELECT_CATALOG_ROLE unless support really needs them.');
  } else {
    lines.push(`-- 3. Grant what the application needs to ${grantee} (least privilege).`);
  }
  lines.push('', '-- To undo a trial:', ...grantees.map((g) => (g === m.dbUser ? `-- DROP USER ${g};` : `-- DROP ROLE ${g};`)), '');
  return lines.join('\n');
}

/** POSIX shell single-quoting. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function dbtoolsScript(a: SetupAnswers): string {
  const t = a.target;
  const m = a.mapping;
  const grantee = m.dbUser ?? m.role ?? 'APP_USER';
  const map = globalMapping(a);
  const keyStores = JSON.stringify([{ keyStoreType: 'SSO', keyStoreContent: { valueType: 'SECRETID', secretId: t.walletSecretId ?? '<wallet-secret-ocid>' }, keyStorePassword: null }]);
  const related = t.adbId ? JSON.stringify({ entityType: 'AUTONOMOUSDATABASE', identifier: t.adbId }) : undefined;
  const createUserSql = JSON.stringify({
    type: 'STANDARD',
    statementText: m.dbUser
      ? `CREATE USER ${m.dbUser} IDENTIFIED GLOBALLY AS ${sqlString(map)}; GRANT CREATE SESSION TO ${m.dbUser};`
      : `CREATE ROLE ${grantee} IDENTIFIED GLOBALLY AS ${sqlString(map)}; GRANT CREATE SESSION TO ${grantee};`,
  });
  const identitySql = JSON.stringify({
    type: 'STANDARD',
    statementText:
      "select sys_context('userenv','current_schema') current_schema, sys_context('userenv','session_user') session_user, sys_context('userenv','authenticated_identity') authenticated_identity, sys_context('userenv','authentication_method') authentication_method from dual",
  });
  const dropSql = JSON.stringify({ type: 'STANDARD', statementText: m.dbUser ? `DROP USER ${m.dbUser}` : `DROP ROLE ${grantee}` });
  const common = (name: string): string[] => [
    `    --compartment-id "$COMPARTMENT_OCID" \\`,
    `    --display-name ${shq(name)} \\`,
    `    --connection-string "$DB_CONNECT_STRING" \\`,
    `    --private-endpoint-id "$PRIVATE_ENDPOINT_ID" \\`,
    `    --key-stores "$KEY_STORES_JSON" \\`,
    `    --runtime-support SUPPORTED \\`,
    `    --runtime-identity AUTHENTICATED_PRINCIPAL \\`,
    ...(related ? [`    --related-resource "$RELATED_RESOURCE_JSON" \\`] : []),
    `    --wait-for-state SUCCEEDED \\`,
    `    --query 'data.resources[0].identifier' --raw-output`,
  ];
  const lines = [
    '#!/bin/sh',
    '# Database Tools flow for IAM token access, generated by dbiam-doctor setup.',
    '# Run the steps one at a time and read each result; nothing here is idempotent.',
    'set -eu',
    '',
    `export OCI_CLI_PROFILE=${shq(a.profile ?? 'DEFAULT')}`,
    `export OCI_CLI_REGION=${shq(a.region)}`,
    `export OCI_CLI_AUTH=${shq(a.authMode)}`,
    `COMPARTMENT_OCID=${shq(t.compartmentOcid ?? '<compartment-ocid>')}`,
    `DB_CONNECT_STRING=${shq(t.connectString ?? '<connect-string>')}`,
    `PRIVATE_ENDPOINT_ID=${shq(t.privateEndpointId ?? '<database-tools-private-endpoint-ocid>')}`,
    `ADMIN_PASSWORD_SECRET_ID=${shq(t.adminPasswordSecretId ?? '<admin-password-secret-ocid>')}`,
    `DB_TOKEN_SCOPE=${shq(tokenScope(a))}`,
    `KEY_STORES_JSON=${shq(keyStores)}`,
    ...(related ? [`RELATED_RESOURCE_JSON=${shq(related)}`] : []),
    '',
  ];
  if (t.dbtoolsConnectionId) {
    lines.push(`# The token connection exists already: ${t.dbtoolsConnectionId}`, `IAM_CONNECTION_ID=${shq(t.dbtoolsConnectionId)}`, '');
  } else {
    lines.push(
      '# 1. A temporary admin connection; the ADMIN password stays in the Vault secret.',
      'ADMIN_CONNECTION_ID="$(oci dbtools connection create-oracle-database \\',
      `    --user-name ADMIN \\`,
      `    --authentication-type PASSWORD \\`,
      `    --user-password-secret-id "$ADMIN_PASSWORD_SECRET_ID" \\`,
      ...common('dbiam-admin-setup'),
      ')"',
      'echo "admin connection: $ADMIN_CONNECTION_ID"',
      '',
      '# 2. The global user (or role) and CREATE SESSION, through the admin connection.',
      `oci dbtools-runtime connection execute-sql sync --connection-id "$ADMIN_CONNECTION_ID" --request-input ${shq(createUserSql)}`,
      '',
      '# 3. Turn on OCI IAM external authentication for the database.',
      'oci dbtools-runtime property-set update oracle-database-external-authentication-details \\',
      '    --connection-id "$ADMIN_CONNECTION_ID" \\',
      '    --property-set-key ORACLE_DATABASE_EXTERNAL_AUTHENTICATION \\',
      `    --identity-provider '{"type":"OCI_IAM"}' \\`,
      '    --force',
      '',
      '# 4. The token connection the team uses: no password, a DB token with this scope.',
      `ADVANCED_PROPERTIES_JSON="$(printf '{"iam.db.token.scope":"%s"}' "$DB_TOKEN_SCOPE")"`,
      'IAM_CONNECTION_ID="$(oci dbtools connection create-oracle-database \\',
      '    --authentication-type TOKEN \\',
      '    --advanced-properties "$ADVANCED_PROPERTIES_JSON" \\',
      ...common('dbiam-token-access'),
      ')"',
      'echo "token connection: $IAM_CONNECTION_ID"',
      '',
    );
  }
  lines.push(
    '# 5. Validate as a member of the mapped group; expect OCI IAM external authentication enabled.',
    'oci dbtools-runtime connection validate oracle-database --connection-id "$IAM_CONNECTION_ID"',
    '',
    '# 6. Prove who the database thinks you are.',
    `oci dbtools-runtime connection execute-sql sync --connection-id "$IAM_CONNECTION_ID" --request-input ${shq(identitySql)}`,
    '',
    '# 7. Clean-up. Delete the admin connection once setup is done; the rest only to undo a trial.',
    ...(t.dbtoolsConnectionId
      ? []
      : [
          `# oci dbtools-runtime connection execute-sql sync --connection-id "$ADMIN_CONNECTION_ID" --request-input ${shq(dropSql)}`,
          '# oci dbtools connection delete --connection-id "$IAM_CONNECTION_ID" --force',
          'oci dbtools connection delete --connection-id "$ADMIN_CONNECTION_ID" --force',
        ]),
    '',
  );
  return lines.join('\n');
}

function ociAuth(a: SetupAnswers): string {
  const profile = a.profile ?? 'DEFAULT';
  switch (a.authMode) {
    case 'api_key': {
      const k = a.apiKey ?? {};
      return [
        `# Add to ~/.oci/config (or create it with: oci setup config).`,
        `[${profile}]`,
        `user=${k.userOcid ?? '<your user OCID>'}`,
        `fingerprint=${k.fingerprint ?? '<fingerprint of the uploaded API key>'}`,
        `key_file=${k.keyFile ?? '~/.oci/oci_api_key.pem'}`,
        `tenancy=${a.tenancyOcid}`,
        `region=${a.region}`,
        '',
      ].join('\n');
    }
    case 'security_token':
      return [
        '# Sign in through the browser; this writes the profile with its security_token_file.',
        `oci session authenticate --profile-name ${shq(profile)} --region ${shq(a.region)}`,
        '# Headless machine: add --no-browser (session lasts at most 60 minutes).',
        `# Extend a session: oci session refresh --profile ${shq(profile)}`,
        '',
      ].join('\n');
    case 'instance_principal':
      return ['# No profile: the instance signs in with its own certificate.', 'export OCI_CLI_AUTH=instance_principal', ''].join('\n');
    case 'resource_principal':
      return [
        '# No profile: the service sets OCI_RESOURCE_PRINCIPAL_VERSION, _RPST, _PRIVATE_PEM and _REGION.',
        'export OCI_CLI_AUTH=resource_principal',
        '',
      ].join('\n');
    case 'oke_workload_identity':
      return [
        '# No profile: the pod uses its service-account token through the OKE proxymux.',
        `# Run the pod as service account ${a.mapping.oke?.serviceAccount} in namespace ${a.mapping.oke?.namespace}.`,
        'export OCI_CLI_AUTH=oke_workload_identity',
        `export OCI_RESOURCE_PRINCIPAL_REGION=${shq(a.region)}`,
        '',
      ].join('\n');
  }
}

function connectStringFor(a: SetupAnswers): string {
  return a.target.connectString ?? '<connect string from the ADB console: Database connection>';
}

/** Whether node-oracledb's own OCI token plugin covers this mode (it lacks session tokens, OKE and, before 26, resource principals). */
export function pluginCovers(a: SetupAnswers): boolean {
  return a.authMode === 'api_key' || a.authMode === 'instance_principal';
}

/** A tnsnames alias resolves only from the directory holding tnsnames.ora (node-oracledb NJS-516, python-oracledb DPY-4027 otherwise). */
function configDirOf(a: SetupAnswers): string | undefined {
  const cs = a.target.connectString;
  return cs && connectStringKind(cs) === 'alias' ? (a.target.walletDir ?? '/path/to/wallet') : undefined;
}

function nodeTlsLines(a: SetupAnswers): string[] {
  const configDir = configDirOf(a);
  const alias = configDir ? [`    // The alias is looked up in tnsnames.ora in this directory.`, `    configDir: ${JSON.stringify(configDir)},`] : [];
  if (a.target.tls === 'wallet') {
    return [
      ...alias,
      `    // Mutual TLS: the directory holding ewallet.pem; the wallet password comes from the environment.`,
      `    walletLocation: ${JSON.stringify(a.target.walletDir ?? '/path/to/wallet')},`,
      `    walletPassword: process.env.WALLET_PASSWORD,`,
    ];
  }
  return [...alias, '    // One-way TLS: the server certificate is checked against Node\'s roots (add NODE_EXTRA_CA_CERTS for a private CA).'];
}

function nodeSnippet(a: SetupAnswers): string {
  const dsn = JSON.stringify(connectStringFor(a));
  const scope = JSON.stringify(tokenScope(a));
  const header = [
    `// node-oracledb (thin) connecting with an OCI IAM DB token, auth mode ${a.authMode}.`,
    '// Generated by dbiam-doctor setup. npm install oracledb oci-common oci-identitydataplane',
  ];
  const identityQuery = [
    'export async function whoAmI(): Promise<unknown> {',
    '  const connection = await connect();',
    '  try {',
    "    const result = await connection.execute(\"select sys_context('userenv','session_user'), sys_context('userenv','authenticated_identity'), sys_context('userenv','authentication_method') from dual\");",
    '    return result.rows;',
    '  } finally {',
    '    await connection.close();',
    '  }',
    '}',
    '',
  ];
  if (pluginCovers(a)) {
    const cfg =
      a.authMode === 'api_key'
        ? [`      authType: 'configFileBasedAuthentication',`, `      profile: ${JSON.stringify(a.profile ?? 'DEFAULT')},`, `      configFileLocation: process.env.OCI_CONFIG_FILE ?? \`\${process.env.HOME}/.oci/config\`,`]
        : [`      authType: 'instancePrincipal',`];
    return [
      ...header,
      '// node-oracledb\'s own OCI token plugin covers this mode: it fetches and refreshes the token.',
      "import oracledb from 'oracledb';",
      "import 'oracledb/plugins/token/extensionOci';",
      '',
      'export async function connect(): Promise<oracledb.Connection> {',
      '  return oracledb.getConnection({',
      '    externalAuth: true,',
      `    connectString: ${dsn},`,
      '    tokenAuthConfigOci: {',
      ...cfg,
      `      scope: ${scope},`,
      '    },',
      ...nodeTlsLines(a),
      '  });',
      '}',
      '',
      ...identityQuery,
    ].join('\n');
  }
  const provider: Record<string, string[]> = {
    security_token: [
      "  // The session profile written by 'oci session authenticate'.",
      `  return new common.SessionAuthDetailProvider(process.env.OCI_CONFIG_FILE ?? \`\${process.env.HOME}/.oci/config\`, ${JSON.stringify(a.profile ?? 'DEFAULT')});`,
    ],
    resource_principal: ['  return common.ResourcePrincipalAuthenticationDetailsProvider.builder();'],
    oke_workload_identity: ['  return new common.OkeWorkloadIdentityAuthenticationDetailsProvider.OkeWorkloadIdentityAuthenticationDetailsProviderBuilder().build();'],
  };
  return [
    ...header,
    "// node-oracledb's OCI plugin lacks this mode, so the token comes from the OCI SDK:",
    '// a fresh key pair, generateScopedAccessToken, and {token, privateKey} for the driver.',
    "import { generateKeyPairSync } from 'node:crypto';",
    "import oracledb from 'oracledb';",
    "import * as common from 'oci-common';",
    "import { DataplaneClient } from 'oci-identitydataplane';",
    '',
    `async function provider(): Promise<common.AuthenticationDetailsProvider> {`,
    ...(provider[a.authMode] ?? []),
    '}',
    '',
    'async function dbToken(): Promise<{ token: string; privateKey: string }> {',
    "  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });",
    '  const client = new DataplaneClient({ authenticationDetailsProvider: await provider() });',
    `  client.regionId = ${JSON.stringify(a.region)};`,
    '  const response = await client.generateScopedAccessToken({',
    '    generateScopedAccessTokenDetails: {',
    `      scope: ${scope},`,
    "      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),",
    '    },',
    '  });',
    "  return { token: response.securityToken.token, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };",
    '}',
    '',
    'export async function connect(): Promise<oracledb.Connection> {',
    '  return oracledb.getConnection({',
    '    externalAuth: true,',
    `    connectString: ${dsn},`,
    '    // Called again when the token expires (about an hour); errors surface as NJS-168 with the cause in err.stack.',
    '    accessToken: async () => dbToken(),',
    ...nodeTlsLines(a),
    '  });',
    '}',
    '',
    ...identityQuery,
  ].join('\n');
}

function pythonSnippet(a: SetupAnswers): string {
  const dsn = JSON.stringify(connectStringFor(a));
  const scope = JSON.stringify(tokenScope(a));
  const configDir = configDirOf(a);
  const tls = [
    ...(configDir ? [`        config_dir=${JSON.stringify(configDir)},`] : []),
    ...(a.target.tls === 'wallet'
      ? [`        wallet_location=${JSON.stringify(a.target.walletDir ?? '/path/to/wallet')},`, '        wallet_password=os.environ.get("WALLET_PASSWORD"),']
      : []),
  ];
  const head = [`# python-oracledb (thin) with an OCI IAM DB token, auth mode ${a.authMode}.`, '# Generated by dbiam-doctor setup. pip install oracledb oci', 'import os', 'import oracledb'];
  if (pluginCovers(a)) {
    const params =
      a.authMode === 'api_key'
        ? ['"auth_type": "ConfigFileAuthentication"', `"profile": ${JSON.stringify(a.profile ?? 'DEFAULT')}`, '"file_location": os.path.expanduser("~/.oci/config")']
        : ['"auth_type": "InstancePrincipal"'];
    return [
      ...head,
      'import oracledb.plugins.oci_tokens  # noqa: F401  (registers the OCI token hook)',
      '',
      '',
      'def connect():',
      '    return oracledb.connect(',
      `        dsn=${dsn},`,
      `        extra_auth_params={${[...params, `"scope": ${scope}`].join(', ')}},`,
      ...tls,
      '    )',
      '',
    ].join('\n');
  }
  const signer: Record<string, string[]> = {
    security_token: [
      `    config = oci.config.from_file(profile_name=${JSON.stringify(a.profile ?? 'DEFAULT')})`,
      '    with open(os.path.expanduser(config["security_token_file"])) as f:',
      '        token = f.read()',
      '    key = oci.signer.load_private_key_from_file(config["key_file"])',
      '    return config, oci.auth.signers.SecurityTokenSigner(token, key)',
    ],
    resource_principal: ['    signer = oci.auth.signers.get_resource_principals_signer()', `    return {"region": ${JSON.stringify(a.region)}}, signer`],
    oke_workload_identity: ['    signer = oci.auth.signers.get_oke_workload_identity_resource_principal_signer()', `    return {"region": ${JSON.stringify(a.region)}}, signer`],
  };
  return [
    ...head,
    'import oci',
    'from cryptography.hazmat.primitives import serialization',
    'from cryptography.hazmat.primitives.asymmetric import rsa',
    '',
    '',
    'def _signer():',
    ...(signer[a.authMode] ?? []),
    '',
    '',
    'def db_token():',
    '    """A fresh key pair and a DB token for its public key (python-oracledb takes the pair as a tuple)."""',
    '    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)',
    '    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()',
    '    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()',
    '    config, signer = _signer()',
    '    client = oci.identity_data_plane.DataplaneClient(config, signer=signer)',
    '    details = oci.identity_data_plane.models.GenerateScopedAccessTokenDetails(',
    `        scope=${scope}, public_key=public_pem`,
    '    )',
    '    token = client.generate_scoped_access_token(details).data.token',
    '    return token, private_pem',
    '',
    '',
    'def connect():',
    '    return oracledb.connect(',
    `        dsn=${dsn},`,
    '        access_token=db_token(),',
    ...tls,
    '    )',
    '',
  ].join('\n');
}

/** The doctor's own config: the options its next run needs, so `npx dbiam-doctor` takes no flags. */
export function doctorConfig(a: SetupAnswers): Record<string, unknown> {
  const t = a.target;
  const m = a.mapping;
  const cfg: Record<string, unknown> = { auth: a.authMode };
  if (a.authMode === 'api_key' || a.authMode === 'security_token') cfg.profile = a.profile ?? 'DEFAULT';
  cfg.region = a.region;
  if (t.adbId) cfg.adbId = t.adbId;
  if (t.connectString && t.tls !== 'dbtools') cfg.dsn = t.connectString;
  if ((t.tls === 'wallet' || configDirOf(a)) && t.walletDir) cfg.tnsAdmin = t.walletDir;
  if (t.walletSecretId) cfg.walletSecretId = t.walletSecretId;
  if (t.dbtoolsConnectionId) cfg.dbtoolsConnectionId = t.dbtoolsConnectionId;
  cfg.scope = tokenScope(a);
  if (m.dbUser) cfg.expectDbUser = m.dbUser;
  cfg.mapping = globalMapping(a);
  return cfg;
}

export const DOCTOR_CONFIG_FILE = 'dbiam-doctor.json';

/** Every artifact for these answers, in the order the wizard shows them. */
export function buildArtifacts(a: SetupAnswers): Artifact[] {
  const out: Artifact[] = [{ id: 'policy', file: 'policy.txt', title: 'IAM policy statements', content: policyText(a), mode: 0o644 }];
  const rule = matchingRule(a);
  if (rule) out.push({ id: 'dynamic-group-rule', file: 'dynamic-group-rule.txt', title: `Dynamic group ${a.mapping.dynamicGroup}: matching rule`, content: ruleText(a.mapping.dynamicGroup as string, rule), mode: 0o644 });
  const connectionRule = dbtoolsConnectionRule(a);
  if (connectionRule) {
    out.push({
      id: 'dbtools-dynamic-group-rule',
      file: 'dbtools-dynamic-group-rule.txt',
      title: `Dynamic group ${DBTOOLS_DYNAMIC_GROUP}: the Database Tools connections`,
      content: ruleText(DBTOOLS_DYNAMIC_GROUP, connectionRule, 'The connections read the wallet secret as their own resource principal, through this dynamic group.'),
      mode: 0o644,
    });
  }
  out.push({ id: 'dba-sql', file: 'dba.sql', title: 'SQL for the DBA', content: dbaSql(a), mode: 0o644 });
  if (a.target.tls === 'dbtools') out.push({ id: 'dbtools-cli', file: 'dbtools-setup.sh', title: 'OCI CLI: Database Tools flow', content: dbtoolsScript(a), mode: 0o700 });
  const authTitle = a.authMode === 'api_key' ? '~/.oci/config profile' : a.authMode === 'security_token' ? 'oci session authenticate' : 'OCI CLI auth setting';
  // The profile names the key file; the session command leads to a token file.
  out.push({ id: 'oci-auth', file: a.authMode === 'api_key' ? 'oci-config-profile.txt' : 'oci-auth.sh', title: authTitle, content: ociAuth(a), mode: a.authMode === 'api_key' || a.authMode === 'security_token' ? 0o600 : 0o644 });
  out.push({ id: 'node-snippet', file: 'connect.ts', title: 'node-oracledb connection', content: nodeSnippet(a), mode: 0o644 });
  out.push({ id: 'python-snippet', file: 'connect.py', title: 'python-oracledb connection', content: pythonSnippet(a), mode: 0o644 });
  out.push(...workloadRunArtifacts(a));
  out.push({ id: 'doctor-config', file: DOCTOR_CONFIG_FILE, title: "The doctor's config", content: `${JSON.stringify(doctorConfig(a), null, 2)}\n`, mode: 0o644 });
  return out;
}

/** The doctor run inside the workload, where principals can be seen: a Job for OKE, Run Command for instances. */
function workloadRunArtifacts(a: SetupAnswers): Artifact[] {
  // Local paths (tnsAdmin) do not exist in the workload; auth and profile come from the run itself.
  const args = doctorArgsFromConfig(doctorConfig(a), ['auth', 'profile', 'tnsAdmin']);
  const oke = a.mapping.oke;
  if (a.authMode === 'oke_workload_identity' && oke) {
    return [{ id: 'k8s-job', file: 'dbiam-doctor-job.yaml', title: 'Kubernetes Job: the doctor as the workload', content: jobManifestYaml({ namespace: oke.namespace, serviceAccount: oke.serviceAccount, region: a.region, version: DOCTOR_VERSION, doctorArgs: args }), mode: 0o644 }];
  }
  if (a.authMode === 'instance_principal') {
    return [{ id: 'run-command', file: 'dbiam-doctor-run-command.sh', title: 'Run Command: the doctor on the instance', content: runCommandScript({ version: DOCTOR_VERSION, doctorArgs: args, ...(a.mapping.instanceOcid ? { instanceOcid: a.mapping.instanceOcid } : {}) }), mode: 0o755 }];
  }
  return [];
}
