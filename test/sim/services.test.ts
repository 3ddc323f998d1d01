// Simulated Secrets, Database, Database Tools and Database Tools runtime,
// driven through the real oci-* SDK clients (real signatures, real
// deserialization); and the database session logic they share, unit-tested.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as common from 'oci-common';
import { DatabaseClient } from 'oci-database';
import { DatabaseToolsClient, models as dbtoolsModels } from 'oci-databasetools';
import { DatabaseToolsRuntimeClient, models as runtimeModels } from 'oci-databasetoolsruntime';
import { SecretsClient } from 'oci-secrets';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import { establishTokenSession, scopeCoversDatabase, sessionRoles, type TokenSessionRequest } from '../../src/sim/db-session.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { databaseRoutes } from '../../src/sim/http/database.js';
import { dbToolsRoutes } from '../../src/sim/http/dbtools.js';
import { secretsRoutes } from '../../src/sim/http/secrets.js';
import { startHttpSimulator, type RunningSimulator, type SimRequest } from '../../src/sim/http/server.js';
import { generateRsaKey, healthyTenancy, IDS, type GeneratedKey } from '../../src/sim/tenancy.js';

let sim: RunningSimulator;
let key: GeneratedKey;
let base: Fixture;
/** Needs the stub refuses, e.g. 'use database-connections'. */
let denied = new Set<string>();
let calls: { need: string; compartmentId: string; variables?: Record<string, string>; principal?: string }[] = [];

const noRetry = { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } };

function provider(): common.AuthenticationDetailsProvider {
  return new common.SimpleAuthenticationDetailsProvider(IDS.tenancy, IDS.alice, apiKeyFingerprint(key.publicKeyPem), key.privateKeyPem, null, common.Region.US_ASHBURN_1);
}

function client<T extends { endpoint: string }>(Ctor: new (p: { authenticationDetailsProvider: common.AuthenticationDetailsProvider }, c: typeof noRetry) => T): T {
  const c = new Ctor({ authenticationDetailsProvider: provider() }, noRetry);
  c.endpoint = sim.url;
  return c;
}

async function failure(promise: Promise<unknown>): Promise<{ statusCode?: number; serviceCode?: string; message?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { statusCode?: number; serviceCode?: string; message?: string };
  }
  throw new Error('expected the call to fail');
}

/** Replaces the simulator's fixture with a changed copy of the healthy one. */
const simLog = () => sim.ctx.log;

function withFixture(change: (f: Fixture) => void): void {
  const f = structuredClone(base);
  change(f);
  sim.ctx.fixture = f;
}

const adbOf = (f: Fixture) => f.autonomousDatabases[0] as Fixture['autonomousDatabases'][number];
const connOf = (f: Fixture) => f.dbToolsConnections[0] as Fixture['dbToolsConnections'][number];

beforeAll(async () => {
  key = generateRsaKey();
  base = healthyTenancy(key.publicKeyPem);
  sim = await startHttpSimulator(structuredClone(base), [...secretsRoutes(), ...databaseRoutes(), ...dbToolsRoutes()], {
    authorize: (req: SimRequest, need, compartmentId, variables) => {
      calls.push({ need, compartmentId, variables, principal: req.principal?.id });
      return !denied.has(need);
    },
  });
});
afterAll(() => sim.close());
beforeEach(() => {
  denied = new Set();
  calls = [];
  sim.ctx.fixture = structuredClone(base);
});

describe('simulated Secrets through SecretsClient', () => {
  it('returns the bundle by id and by name, base64 content, after asking for read secret-bundles with the secret as target', async () => {
    const secrets = client(SecretsClient);
    const byId = await secrets.getSecretBundle({ secretId: IDS.walletSecret });
    expect(byId.secretBundle).toMatchObject({ secretId: IDS.walletSecret, versionNumber: 1, secretBundleContent: { contentType: 'BASE64' } });
    const content = (byId.secretBundle.secretBundleContent as { content: string }).content;
    expect(Buffer.from(content, 'base64').subarray(0, 4).toString('hex')).toBe('a1f84e36');
    expect(calls.at(-1)).toMatchObject({ need: 'read secret-bundles', compartmentId: IDS.finance, variables: { 'target.secret.id': IDS.walletSecret, 'target.secret.name': 'ledger-wallet-sso' }, principal: IDS.alice });

    const byName = await secrets.getSecretBundleByName({ secretName: 'ledger-wallet-sso', vaultId: IDS.vault });
    expect(byName.secretBundle.secretId).toBe(IDS.walletSecret);
    expect(sim.ctx.log.at(-1)?.path).toBe('/20190301/secretbundles/actions/getByName');
  });

  it('answers 404 NotAuthorizedOrNotFound alike for a missing secret, a secret in another vault and a denied caller', async () => {
    const secrets = client(SecretsClient);
    expect(await failure(secrets.getSecretBundle({ secretId: 'ocid1.vaultsecret.oc1.iad.aaaaaaaanosuchsecret' }))).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
    expect(await failure(secrets.getSecretBundleByName({ secretName: 'ledger-wallet-sso', vaultId: 'ocid1.vault.oc1.iad.aaaaaaaaothervault' }))).toMatchObject({ statusCode: 404 });
    denied.add('read secret-bundles');
    expect(await failure(secrets.getSecretBundle({ secretId: IDS.walletSecret }))).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });

  it('refuses a secret pending deletion (409 IncorrectState) and hides a deleted one (404)', async () => {
    const secrets = client(SecretsClient);
    withFixture((f) => ((f.secrets[0] as { state: string }).state = 'PENDING_DELETION'));
    const pending = await failure(secrets.getSecretBundle({ secretId: IDS.walletSecret }));
    expect(pending).toMatchObject({ statusCode: 409, serviceCode: 'IncorrectState' });
    expect(pending.message).not.toMatch(/PENDING|deletion/i);
    withFixture((f) => ((f.secrets[0] as { state: string }).state = 'DELETED'));
    expect(await failure(secrets.getSecretBundle({ secretId: IDS.walletSecret }))).toMatchObject({ statusCode: 404, message: 'Authorization failed or requested resource not found.' });
  });

  it('answers a secret pending deletion with 404 when the fixture picks that (undocumented) form', async () => {
    withFixture((f) => {
      (f.secrets[0] as { state: string }).state = 'PENDING_DELETION';
      f.service = { inactiveSecret: 'not-found' };
    });
    expect(await failure(client(SecretsClient).getSecretBundle({ secretId: IDS.walletSecret }))).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound', message: 'Authorization failed or requested resource not found.' });
  });
});

describe('simulated Database through DatabaseClient', () => {
  it('describes the ADB: state, mTLS flag, no ACL, TLS and mTLS connection profiles; needs inspect with target.database.id', async () => {
    const res = await client(DatabaseClient).getAutonomousDatabase({ autonomousDatabaseId: IDS.adb });
    const adb = res.autonomousDatabase;
    expect(adb).toMatchObject({ id: IDS.adb, compartmentId: IDS.finance, displayName: 'ledger', dbName: 'LEDGER', lifecycleState: 'AVAILABLE', isMtlsConnectionRequired: false });
    expect(adb.whitelistedIps).toBeUndefined();
    expect(adb.privateEndpoint).toBeUndefined();
    const profiles = adb.connectionStrings?.profiles ?? [];
    const low = profiles.filter((p) => p.displayName === 'ledger_low');
    expect(low.map((p) => p.tlsAuthentication).sort()).toEqual(['MUTUAL', 'SERVER']);
    expect(low.find((p) => p.tlsAuthentication === 'SERVER')).toMatchObject({ protocol: 'TCPS', consumerGroup: 'LOW', value: expect.stringContaining('(port=1521)(host=localhost)') });
    expect(low.find((p) => p.tlsAuthentication === 'MUTUAL')?.value).toContain('(port=1522)');
    expect(adb.connectionStrings?.low).toBe('localhost:1522/ledger_low');
    expect(calls.at(-1)).toMatchObject({ need: 'inspect autonomous-databases', compartmentId: IDS.finance, variables: { 'target.database.id': IDS.adb } });
  });

  it('reports a private endpoint, the ACL, and only MUTUAL profiles when mTLS is required', async () => {
    withFixture((f) => {
      const a = adbOf(f);
      a.host = 'ledger.adb.us-ashburn-1.oraclecloud.com';
      a.privateEndpoint = { label: 'ledger', ip: '10.0.1.17' };
      a.acl = ['203.0.113.7', '10.0.0.0/16'];
      a.mtlsRequired = true;
    });
    const adb = (await client(DatabaseClient).getAutonomousDatabase({ autonomousDatabaseId: IDS.adb })).autonomousDatabase;
    expect(adb).toMatchObject({ privateEndpoint: 'ledger.adb.us-ashburn-1.oraclecloud.com', privateEndpointIp: '10.0.1.17', privateEndpointLabel: 'ledger', isMtlsConnectionRequired: true, whitelistedIps: ['203.0.113.7', '10.0.0.0/16'] });
    expect(new Set(adb.connectionStrings?.profiles?.map((p) => p.tlsAuthentication))).toEqual(new Set(['MUTUAL']));
  });

  it('answers 404 when policy denies it, and lists ADBs by compartment', async () => {
    const db = client(DatabaseClient);
    const list = await db.listAutonomousDatabases({ compartmentId: IDS.finance });
    expect(list.items.map((a) => a.id)).toEqual([IDS.adb]);
    expect((await db.listAutonomousDatabases({ compartmentId: IDS.prod })).items).toEqual([]);
    denied.add('inspect autonomous-databases');
    expect(await failure(db.getAutonomousDatabase({ autonomousDatabaseId: IDS.adb }))).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });
});

describe('simulated Database Tools connections through DatabaseToolsClient', () => {
  it('returns the ORACLE_DATABASE connection: TOKEN auth, SSO key store by secret id, token scope, related ADB, private endpoint', async () => {
    const res = await client(DatabaseToolsClient).getDatabaseToolsConnection({ databaseToolsConnectionId: IDS.dbtools });
    const c = res.databaseToolsConnection as dbtoolsModels.DatabaseToolsConnectionOracleDatabase;
    expect(c).toMatchObject({
      id: IDS.dbtools,
      type: 'ORACLE_DATABASE',
      authenticationType: 'TOKEN',
      runtimeIdentity: 'AUTHENTICATED_PRINCIPAL',
      runtimeSupport: 'SUPPORTED',
      lifecycleState: 'ACTIVE',
      relatedResource: { entityType: 'AUTONOMOUSDATABASE', identifier: IDS.adb },
      keyStores: [{ keyStoreType: 'SSO', keyStoreContent: { valueType: 'SECRETID', secretId: IDS.walletSecret } }],
      advancedProperties: { 'iam.db.token.scope': `urn:oracle:db::id::${IDS.tenancy}` },
      privateEndpointId: expect.stringMatching(/^ocid1\.databasetoolsprivateendpoint\./),
    });
    expect(c.connectionString).toContain('service_name=ledger_low');
    expect(c.userName).toBeUndefined();
    expect(calls.at(-1)).toMatchObject({ need: 'read database-tools-connections', compartmentId: IDS.finance });
  });

  it('shows a PASSWORD connection with its password secret', async () => {
    withFixture((f) => {
      f.secrets.push({ id: 'ocid1.vaultsecret.oc1.iad.aaaaaaaaadminpassword', name: 'ledger-admin', vaultId: IDS.vault, compartmentId: IDS.finance, state: 'ACTIVE', contentBase64: Buffer.from('not-a-real-password').toString('base64') });
      Object.assign(connOf(f), { authType: 'PASSWORD', userName: 'ADMIN', userPasswordSecretId: 'ocid1.vaultsecret.oc1.iad.aaaaaaaaadminpassword' });
    });
    const c = (await client(DatabaseToolsClient).getDatabaseToolsConnection({ databaseToolsConnectionId: IDS.dbtools })).databaseToolsConnection as dbtoolsModels.DatabaseToolsConnectionOracleDatabase;
    expect(c).toMatchObject({ authenticationType: 'PASSWORD', userName: 'ADMIN', userPassword: { valueType: 'SECRETID', secretId: 'ocid1.vaultsecret.oc1.iad.aaaaaaaaadminpassword' } });
    const v = (await client(DatabaseToolsRuntimeClient).validateDatabaseToolsConnection({ databaseToolsConnectionId: IDS.dbtools, validateDatabaseToolsConnectionDetails: { type: 'ORACLE_DATABASE' } }))
      .validateDatabaseToolsConnectionResult as runtimeModels.ValidateDatabaseToolsConnectionOracleDatabaseResult;
    expect(v).toMatchObject({ code: 'OK', sessionUser: 'ADMIN', authenticationMethod: 'PASSWORD', externalAuthenticationStatuses: [{ type: 'OCI_IAM', status: 'ENABLED' }] });
  });
});

describe('simulated Database Tools runtime through DatabaseToolsRuntimeClient', () => {
  const validate = async () =>
    (await client(DatabaseToolsRuntimeClient).validateDatabaseToolsConnection({ databaseToolsConnectionId: IDS.dbtools, validateDatabaseToolsConnectionDetails: { type: 'ORACLE_DATABASE' } }))
      .validateDatabaseToolsConnectionResult as runtimeModels.ValidateDatabaseToolsConnectionOracleDatabaseResult;
  const sql = async (statementText: string) =>
    (
      await client(DatabaseToolsRuntimeClient).executeSqlDatabaseToolsConnection({
        databaseToolsConnectionId: IDS.dbtools,
        executeSqlDatabaseToolsConnectionDetails: { type: 'SYNCHRONOUS', input: { type: 'STANDARD', statementText } } as runtimeModels.ExecuteSqlDatabaseToolsConnectionSynchronousDetails,
      })
    ).executeSqlResponse as runtimeModels.ExecuteSqlResponseStandard;
  const IDENTITY_QUERY = "select sys_context('userenv','current_schema'), sys_context('userenv','session_user'), sys_context('userenv','authenticated_identity'), sys_context('userenv','authentication_method') from dual";

  it('validates the healthy connection as the caller: mapped user, IAM identity, TOKEN_GLOBAL, OCI_IAM enabled', async () => {
    const v = await validate();
    expect(v).toMatchObject({ type: 'ORACLE_DATABASE', code: 'OK', databaseName: 'LEDGER', currentSchema: 'ALICE', sessionUser: 'ALICE', authenticatedIdentity: 'alice', authenticationMethod: 'TOKEN_GLOBAL', enterpriseIdentity: IDS.alice });
    expect(v.externalAuthenticationStatuses).toEqual([expect.objectContaining({ type: 'OCI_IAM', status: 'ENABLED' })]);
    expect(calls.map((c) => c.need)).toEqual(['use database-tools-connections', 'use database-connections']);
    expect(calls[1]).toMatchObject({ compartmentId: IDS.finance, variables: { 'target.database.id': IDS.adb }, principal: IDS.alice });
  });

  // The broken link, and the reason the simulator logs for it (a hand-written table); the caller sees only ORA-01017.
  it.each([
    ['IAM authentication disabled on the ADB', (f: Fixture) => (adbOf(f).iamAuthEnabled = false), 'iam-auth-disabled'],
    ['no global user for the caller', (f: Fixture) => (adbOf(f).globalUsers = []), 'no-mapping'],
    ['exclusive mapping names the IAM name while the Database Username differs', (f: Fixture) => (adbOf(f).globalUsers = [{ name: 'ALICE', mapping: 'IAM_PRINCIPAL_NAME=alice@example.com' }]), 'no-mapping'],
    ['token scope names the parent compartment', (f: Fixture) => (connOf(f).advancedProperties['iam.db.token.scope'] = `urn:oracle:db::id::${IDS.prod}`), 'scope-excludes-database'],
    ['token scope missing', (f: Fixture) => delete connOf(f).advancedProperties['iam.db.token.scope'], 'scope-missing'],
  ])('fails with a bare ORA-01017 when %s', async (_what, change, reason) => {
    withFixture(change);
    const v = await validate();
    expect(v).toMatchObject({ type: 'ORACLE_DATABASE', code: 'ORA-01017', message: 'ORA-01017: invalid username/password; logon denied' });
    // Nothing names the broken link: no cause, no action, no session.
    expect(v.cause).toBeUndefined();
    expect(v.action).toBeUndefined();
    expect(v.sessionUser).toBeUndefined();
    expect(v.externalAuthenticationStatuses).toBeUndefined();
    expect(simLog().at(-1)?.why).toBe(reason);
  });

  it('fails with a bare ORA-01017 when no policy lets the caller use database-connections', async () => {
    denied.add('use database-connections');
    const v = await validate();
    expect(v).toMatchObject({ code: 'ORA-01017', message: 'ORA-01017: invalid username/password; logon denied' });
    expect(v.cause).toBeUndefined();
    expect(simLog().at(-1)?.why).toBe('policy-denies');
  });

  it('answers 404 when the caller may not use the connection', async () => {
    denied.add('use database-tools-connections');
    expect(await failure(validate())).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });

  it('maps through a shared global user for the caller’s group when there is no exclusive mapping', async () => {
    withFixture((f) => {
      adbOf(f).globalUsers = [{ name: 'support_shared', mapping: 'IAM_GROUP_NAME=dbusers' }];
      adbOf(f).grants.push({ grantee: 'SUPPORT_SHARED', privilege: 'CREATE SESSION' });
    });
    expect(await validate()).toMatchObject({ code: 'OK', sessionUser: 'SUPPORT_SHARED', authenticatedIdentity: 'alice' });
  });

  it('runs the identity query and session_roles, shaped like ExecuteSqlResponse', async () => {
    const res = await sql(IDENTITY_QUERY);
    expect(res.type).toBe('STANDARD');
    const item = res.items[0];
    expect(item).toMatchObject({ statementId: 1, statementType: 'QUERY', statementText: IDENTITY_QUERY });
    expect(item?.error).toBeUndefined();
    expect(item?.resultSet?.metadata?.map((m) => m.databaseColumnName)).toEqual([
      "SYS_CONTEXT('USERENV','CURRENT_SCHEMA')",
      "SYS_CONTEXT('USERENV','SESSION_USER')",
      "SYS_CONTEXT('USERENV','AUTHENTICATED_IDENTITY')",
      "SYS_CONTEXT('USERENV','AUTHENTICATION_METHOD')",
    ]);
    const names = item?.resultSet?.metadata?.map((m) => m.uniqueColumnName as string) ?? [];
    expect(names.map((n) => item?.resultSet?.items?.[0]?.[n])).toEqual(['ALICE', 'ALICE', 'alice', 'TOKEN_GLOBAL']);

    const aliased = await sql("SELECT SYS_CONTEXT('USERENV', 'SESSION_USER') AS who FROM DUAL;");
    expect(aliased.items[0]?.resultSet?.items).toEqual([{ who: 'ALICE' }]);

    const roles = await sql('select * from session_roles');
    expect(roles.items[0]?.resultSet).toMatchObject({ metadata: [{ databaseColumnName: 'ROLE' }], items: [{ role: 'SUPPORT_RO' }], count: 1, hasMore: false });
  });

  it('returns the logon error as the statement error when no session can be established', async () => {
    withFixture((f) => (adbOf(f).iamAuthEnabled = false));
    const res = await sql(IDENTITY_QUERY);
    expect(res.items[0]?.error).toMatchObject({ errorCode: 1017, errorMessage: expect.stringMatching(/^ORA-01017/) });
    expect(res.items[0]?.resultSet).toBeUndefined();
  });

  it('reads the ORACLE_DATABASE_EXTERNAL_AUTHENTICATION property set from the database: OCI_IAM, or NONE when IAM is not enabled', async () => {
    const runtime = client(DatabaseToolsRuntimeClient);
    const read = () => runtime.getPropertySet({ databaseToolsConnectionId: IDS.dbtools, propertySetKey: runtimeModels.PropertySetKey.OracleDatabaseExternalAuthentication });
    expect((await read()).propertySet).toMatchObject({ key: 'ORACLE_DATABASE_EXTERNAL_AUTHENTICATION', identityProvider: { type: 'OCI_IAM' } });
    withFixture((f) => (adbOf(f).iamAuthEnabled = false));
    expect((await read()).propertySet).toMatchObject({ key: 'ORACLE_DATABASE_EXTERNAL_AUTHENTICATION', identityProvider: { type: 'NONE' } });
  });

  it('answers a statement it does not know with a bare ORA-00942', async () => {
    const res = await sql('select * from v$session');
    expect(res.items[0]?.error).toEqual({ errorCode: 942, errorLine: 1, errorColumn: 1, errorMessage: 'ORA-00942: table or view does not exist' });
  });
});

describe('db-session: the logon decision', () => {
  const f = () => healthyTenancy(generateRsaKey(1024).publicKeyPem);
  const fixture = f();
  const adb = adbOf(fixture);
  const request = (over: Partial<TokenSessionRequest> = {}): TokenSessionRequest => ({
    fixture,
    databaseId: IDS.adb,
    principal: { kind: 'user', id: IDS.alice },
    tokenScope: `urn:oracle:db::id::${IDS.finance}`,
    policyAllows: true,
    ...over,
  });

  it('accepts the scope forms that cover the database and refuses the others', () => {
    for (const ok of ['urn:oracle:db::id::*', `urn:oracle:db::id::${IDS.tenancy}`, `urn:oracle:db::id::${IDS.finance}`, `urn:oracle:db::id::${IDS.finance}::${IDS.adb}`]) {
      expect(scopeCoversDatabase(ok, fixture, adb)).toEqual({ ok: true });
    }
    expect(scopeCoversDatabase(`urn:oracle:db::id::${IDS.prod}`, fixture, adb)).toMatchObject({ ok: false, reason: 'scope-excludes-database' });
    expect(scopeCoversDatabase(`urn:oracle:db::id::${IDS.prod}::${IDS.adb}`, fixture, adb)).toMatchObject({ ok: false, reason: 'scope-excludes-database' });
    expect(scopeCoversDatabase('urn:oracle:db:id:*', fixture, adb)).toMatchObject({ ok: false, reason: 'scope-malformed' });
    expect(scopeCoversDatabase(`urn:oracle:db::id::*::${IDS.adb}`, fixture, adb)).toMatchObject({ ok: false, reason: 'scope-malformed' });
    expect(scopeCoversDatabase(undefined, fixture, adb)).toMatchObject({ ok: false, reason: 'scope-missing' });
  });

  it('checks in order: IAM enabled, scope, policy, mapping, CREATE SESSION', () => {
    const disabled = structuredClone(fixture);
    adbOf(disabled).iamAuthEnabled = false;
    expect(establishTokenSession(request({ fixture: disabled, tokenScope: undefined, policyAllows: false }))).toMatchObject({ ok: false, reason: 'iam-auth-disabled' });
    expect(establishTokenSession(request({ tokenScope: undefined, policyAllows: false }))).toMatchObject({ ok: false, reason: 'scope-missing' });
    expect(establishTokenSession(request({ policyAllows: false }))).toMatchObject({ ok: false, reason: 'policy-denies', code: 'ORA-01017' });
    const noGrant = structuredClone(fixture);
    adbOf(noGrant).grants = [];
    expect(establishTokenSession(request({ fixture: noGrant }))).toMatchObject({ ok: false, reason: 'no-create-session', code: 'ORA-01045', message: 'ORA-01045: user ALICE lacks CREATE SESSION privilege; logon denied' });
    expect(establishTokenSession(request({ principal: { kind: 'user', id: 'ocid1.user.oc1..nobody' } }))).toMatchObject({ ok: false, reason: 'unknown-principal' });
  });

  it('prefers an exclusive mapping, compares names case-insensitively, and falls back to the IAM name without a Database Username', () => {
    const both = structuredClone(fixture);
    adbOf(both).globalUsers = [
      { name: 'SHARED', mapping: 'IAM_GROUP_NAME=DBUsers' },
      { name: 'ALICE', mapping: 'IAM_PRINCIPAL_NAME=ALICE' },
    ];
    adbOf(both).grants.push({ grantee: 'SHARED', privilege: 'CREATE SESSION' });
    expect(establishTokenSession(request({ fixture: both }))).toMatchObject({ ok: true, sessionUser: 'ALICE', mapping: { kind: 'exclusive' } });

    const noDbName = structuredClone(fixture);
    delete (noDbName.users[0] as { dbUserName?: string }).dbUserName;
    expect(establishTokenSession(request({ fixture: noDbName }))).toMatchObject({ ok: false, reason: 'no-mapping' });
    adbOf(noDbName).globalUsers = [{ name: 'ALICE', mapping: 'IAM_PRINCIPAL_NAME=Alice@Example.com' }];
    expect(establishTokenSession(request({ fixture: noDbName }))).toMatchObject({ ok: true, sessionUser: 'ALICE', authenticatedIdentity: 'alice@example.com' });
  });

  it('maps an instance principal by IAM_PRINCIPAL_OCID or through a dynamic group, identified by its OCID', () => {
    const byOcid = structuredClone(fixture);
    adbOf(byOcid).globalUsers.push({ name: 'APP', mapping: `IAM_PRINCIPAL_OCID=${IDS.instance}` });
    adbOf(byOcid).grants.push({ grantee: 'APP', privilege: 'CREATE SESSION' });
    expect(establishTokenSession(request({ fixture: byOcid, principal: { kind: 'instance', id: IDS.instance } }))).toMatchObject({ ok: true, sessionUser: 'APP', authenticatedIdentity: IDS.instance, mapping: { kind: 'exclusive' } });

    const byGroup = structuredClone(fixture);
    adbOf(byGroup).globalUsers.push({ name: 'APP_SHARED', mapping: 'IAM_GROUP_NAME=AppServers' });
    adbOf(byGroup).grants.push({ grantee: 'APP_SHARED', privilege: 'CREATE SESSION' });
    expect(establishTokenSession(request({ fixture: byGroup, principal: { kind: 'instance', id: IDS.instance } }))).toMatchObject({ ok: false, reason: 'no-mapping' });
    expect(establishTokenSession(request({ fixture: byGroup, principal: { kind: 'instance', id: IDS.instance }, groupNames: ['AppServers'] }))).toMatchObject({ ok: true, sessionUser: 'APP_SHARED', mapping: { kind: 'shared' } });
  });

  it('lists session roles: global roles of the groups plus roles granted to the user, transitively', () => {
    const roles = structuredClone(fixture);
    adbOf(roles).grants.push({ grantee: 'ALICE', privilege: 'DWROLE' }, { grantee: 'DWROLE', privilege: 'CONNECT' }, { grantee: 'CONNECT', privilege: 'CREATE SESSION' });
    expect(sessionRoles(adbOf(roles), 'ALICE', ['DBUsers'])).toEqual(['CONNECT', 'DWROLE', 'SUPPORT_RO']);
    expect(sessionRoles(adbOf(roles), 'ALICE', [])).toEqual(['CONNECT', 'DWROLE']);
  });
});
