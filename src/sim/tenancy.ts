// The built-in tenancy the demo and the tests start from: a support team that
// reaches a private Autonomous Database with IAM tokens. Keys are generated
// at start-up, never stored.
import { parseFixture, type Fixture } from './fixture.js';
import { takeRsaKey } from './key-pool.js';

export const IDS = {
  tenancy: 'ocid1.tenancy.oc1..aaaaaaaademotenancy000000000000000000000000000000000001',
  prod: 'ocid1.compartment.oc1..aaaaaaaademoprod000000000000000000000000000000000000002',
  finance: 'ocid1.compartment.oc1..aaaaaaaademofinance0000000000000000000000000000000003',
  alice: 'ocid1.user.oc1..aaaaaaaademoalice00000000000000000000000000000000000000004',
  dbUsers: 'ocid1.group.oc1..aaaaaaaademodbusers000000000000000000000000000000000005',
  admins: 'ocid1.group.oc1..aaaaaaaademoadmins0000000000000000000000000000000000006',
  appServers: 'ocid1.dynamicgroup.oc1..aaaaaaaademoappservers00000000000000000000000007',
  dbPolicy: 'ocid1.policy.oc1..aaaaaaaademodbpolicy0000000000000000000000000000000008',
  adminPolicy: 'ocid1.policy.oc1..aaaaaaaademoadminpolicy000000000000000000000000000009',
  instance: 'ocid1.instance.oc1.iad.aaaaaaaademoinstance00000000000000000000000000000010',
  adb: 'ocid1.autonomousdatabase.oc1.iad.aaaaaaaademoadb000000000000000000000000000011',
  vault: 'ocid1.vault.oc1.iad.aaaaaaaademovault000000000000000000000000000000000012',
  walletSecret: 'ocid1.vaultsecret.oc1.iad.aaaaaaaademowalletsecret0000000000000000000013',
  dbtools: 'ocid1.databasetoolsconnection.oc1.iad.aaaaaaaademodbtools00000000000000014',
  function: 'ocid1.fnfunc.oc1.iad.aaaaaaaademofunction000000000000000000000000000015',
  adminDbtools: 'ocid1.databasetoolsconnection.oc1.iad.aaaaaaaademoadmindbtools0000000000017',
  adminPasswordSecret: 'ocid1.vaultsecret.oc1.iad.aaaaaaaademoadminpassword00000000000000000018',
  dbtoolsConnections: 'ocid1.dynamicgroup.oc1..aaaaaaaademodbtoolsconnections000000000000000019',
} as const;

export interface GeneratedKey {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateRsaKey(bits = 2048): GeneratedKey {
  return takeRsaKey(bits);
}

/** The healthy demo tenancy, with the given API public key registered for alice. */
export function healthyTenancy(aliceApiKeyPem: string): Fixture {
  return parseFixture({
    tenancy: { id: IDS.tenancy, name: 'demo-tenancy', homeRegion: 'us-ashburn-1', regions: ['us-ashburn-1'] },
    compartments: [
      { id: IDS.prod, name: 'Prod', parentId: IDS.tenancy },
      { id: IDS.finance, name: 'Finance', parentId: IDS.prod },
    ],
    users: [
      { id: IDS.alice, name: 'alice@example.com', dbUserName: 'alice', email: 'alice@example.com', groupIds: [IDS.dbUsers], apiKeys: [aliceApiKeyPem], canUseDbCredentials: true, hasDbPassword: false },
    ],
    groups: [
      { id: IDS.dbUsers, name: 'DBUsers', description: 'support engineers with read-only database access' },
      { id: IDS.admins, name: 'Administrators' },
    ],
    dynamicGroups: [
      { id: IDS.appServers, name: 'AppServers', matchingRule: `ALL {instance.compartment.id = '${IDS.finance}'}` },
      // The Database Tools connections, which read the secrets they name as their own resource principal.
      { id: IDS.dbtoolsConnections, name: 'DbToolsConnections', matchingRule: `ALL {resource.type = 'databasetoolsconnection', resource.compartment.id = '${IDS.finance}'}` },
    ],
    policies: [
      {
        id: IDS.dbPolicy,
        name: 'db-access',
        compartmentId: IDS.prod,
        statements: [
          `Allow group DBUsers to use database-connections in compartment Finance where target.database.id = '${IDS.adb}'`,
          'Allow group DBUsers to read autonomous-databases in compartment Finance',
          'Allow group DBUsers to use database-tools-connections in compartment Finance',
          'Allow group DBUsers to read secret-bundles in compartment Finance',
          'Allow dynamic-group AppServers to use database-connections in compartment Finance',
          'Allow dynamic-group DbToolsConnections to read secret-family in compartment Finance',
        ],
        timeCreated: '2026-01-15T09:00:00.000Z',
      },
      {
        id: IDS.adminPolicy,
        name: 'support-inspect',
        compartmentId: IDS.tenancy,
        statements: ['Allow group DBUsers to inspect policies in tenancy', 'Allow group DBUsers to inspect dynamic-groups in tenancy', 'Allow group DBUsers to inspect groups in tenancy'],
        timeCreated: '2026-01-15T09:00:00.000Z',
      },
    ],
    instances: [{ id: IDS.instance, displayName: 'app-1', compartmentId: IDS.finance, region: 'us-ashburn-1', definedTags: { Operations: { Team: 'support' } } }],
    resourcePrincipals: [{ id: IDS.function, resourceType: 'fnfunc', compartmentId: IDS.finance }],
    autonomousDatabases: [
      {
        id: IDS.adb,
        displayName: 'ledger',
        dbName: 'LEDGER',
        compartmentId: IDS.finance,
        host: 'localhost',
        tlsPort: 1521,
        mtlsPort: 1522,
        serviceNames: ['ledger_high', 'ledger_medium', 'ledger_low'],
        mtlsRequired: false,
        acl: [],
        iamAuthEnabled: true,
        globalUsers: [{ name: 'ALICE', mapping: 'IAM_PRINCIPAL_NAME=alice' }],
        globalRoles: [{ name: 'SUPPORT_RO', mapping: 'IAM_GROUP_NAME=DBUsers' }],
        grants: [
          { grantee: 'ALICE', privilege: 'CREATE SESSION' },
          { grantee: 'SUPPORT_RO', privilege: 'SELECT ANY DICTIONARY' },
        ],
      },
    ],
    secrets: [
      // The ADB wallet's cwallet.sso, base64 in the vault as Database Tools expects (a stand-in: the SSO magic and no keys).
      { id: IDS.walletSecret, name: 'ledger-wallet-sso', vaultId: IDS.vault, compartmentId: IDS.finance, state: 'ACTIVE', contentBase64: Buffer.from('a1f84e36000000060000002100000000', 'hex').toString('base64') },
      // The ADMIN password the admin connection logs on with (Database Tools reads it; the doctor never does).
      { id: IDS.adminPasswordSecret, name: 'ledger-admin-password', vaultId: IDS.vault, compartmentId: IDS.finance, state: 'ACTIVE', contentBase64: Buffer.from('demo-placeholder-not-a-password').toString('base64') },
    ],
    dbToolsConnections: [
      {
        id: IDS.dbtools,
        displayName: 'ledger-support-iam',
        compartmentId: IDS.finance,
        authType: 'TOKEN',
        databaseId: IDS.adb,
        connectionString: '(description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=1522)(host=localhost))(connect_data=(service_name=ledger_low))(security=(ssl_server_dn_match=yes)))',
        privateEndpointId: 'ocid1.databasetoolsprivateendpoint.oc1.iad.aaaaaaaademodbtoolspe0000000000000000000000000016',
        runtimeIdentity: 'AUTHENTICATED_PRINCIPAL',
        keyStores: [{ keyStoreType: 'SSO', secretId: IDS.walletSecret }],
        advancedProperties: { 'iam.db.token.scope': `urn:oracle:db::id::${IDS.tenancy}` },
      },
      {
        // The admin setup path (BRIEF 9): a PASSWORD connection as ADMIN, for the database-side check.
        id: IDS.adminDbtools,
        displayName: 'ledger-admin',
        compartmentId: IDS.finance,
        authType: 'PASSWORD',
        databaseId: IDS.adb,
        connectionString: '(description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=1522)(host=localhost))(connect_data=(service_name=ledger_low))(security=(ssl_server_dn_match=yes)))',
        userName: 'ADMIN',
        userPasswordSecretId: IDS.adminPasswordSecret,
        privateEndpointId: 'ocid1.databasetoolsprivateendpoint.oc1.iad.aaaaaaaademodbtoolspe0000000000000000000000000016',
        runtimeIdentity: 'AUTHENTICATED_PRINCIPAL',
        keyStores: [{ keyStoreType: 'SSO', secretId: IDS.walletSecret }],
        advancedProperties: {},
      },
    ],
  });
}
