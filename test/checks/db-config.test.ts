// The database side through an admin Database Tools connection: the
// dictionary answers come from the fixture's iamAuthEnabled, globalUsers,
// globalRoles and grants. The judgement of those answers runs on plain facts
// (no simulator); what needs the simulated service's own logon rules (a token
// connection, a deleted password secret, an instance principal) and the
// connect-string path keep the simulator and the listener.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OracleDriver } from '../../src/adapters/oracle-db.js';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { writeOciHome } from '../../src/sim/home.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { ORA_01017_MESSAGE, type SessionSuccess } from '../../src/sim/db-session.js';
import { answerSql } from '../../src/sim/http/dbtools.js';
import type { SimListener } from '../../src/sim/listener/index.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { factsFrom } from '../helpers/facts.js';
import { startTrustedListener } from '../helpers/listener.js';
import type { JsonFinding, JsonReport } from '../../src/core/report/json.js';

type Finding = JsonFinding;
type Doc = JsonReport;

const key = generateRsaKey();
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const admin = ['--admin-dbtools-connection-id', IDS.adminDbtools];

interface RunOptions {
  change?: (f: Fixture) => void;
  argv?: string[];
  instance?: boolean;
  env?: Record<string, string>;
  /** Stands in for the database's logon (given the fixture the simulator serves). */
  driver?: (f: Fixture) => OracleDriver;
  stdin?: NodeJS.ReadStream;
  /** Plain facts from the fixture instead of the simulator (the admin Database Tools path only). */
  facts?: boolean;
}

/** What the admin connection's logon gives in the simulated database: ADMIN by password, DBA. */
const ADMIN_SESSION: SessionSuccess = { ok: true, currentSchema: 'ADMIN', sessionUser: 'ADMIN', authenticatedIdentity: 'ADMIN', enterpriseIdentity: '', authenticationMethod: 'PASSWORD', roles: ['DBA'] };

/**
 * Plain facts for the admin Database Tools path: the fixture's connections, and
 * ExecuteSql answered from the fixture's dictionary as the simulated service
 * answers an ADMIN session (answerSql; ORA-00942 for what it does not answer).
 */
function adminFacts(fixture: Fixture) {
  return factsFrom(fixture, {
    oci: {
      executeSql: async (_id, _conn, sql) => {
        const rs = answerSql(sql, ADMIN_SESSION, adb(fixture));
        const request = 'POST /20201005/databaseToolsConnections/…/actions/executeSql';
        return { ok: true, request, value: rs ? { columns: rs.columns, rows: rs.rows } : { columns: [], rows: [], error: { code: 942, message: 'ORA-00942: table or view does not exist' } } };
      },
    },
  });
}

async function run(opts: RunOptions = {}): Promise<Doc> {
  const fixture = healthyTenancy(key.publicKeyPem);
  opts.change?.(fixture);
  const home = tempDir();
  if (opts.facts) {
    // The dictionary judgement from plain facts: no simulator, no socket.
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
    const out = await runCli(['--format', 'json', '--only', 'db.config', ...(opts.argv ?? admin)], { system: fakeSystem({ homeDir: home }), now: () => new Date(), env: opts.env ?? {}, factsFor: () => adminFacts(fixture) });
    return JSON.parse(out.stdout) as Doc;
  }
  sim = await startSimulator(fixture);
  const auth = opts.instance ? ['--auth', 'instance_principal', '--imds-url', `${sim.url}/opc/v2/`] : [];
  if (!opts.instance) {
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
  }
  const endpoints = ['identity', 'auth', 'dbtools', 'dbtools-runtime'].flatMap((s) => ['--endpoint', `${s}=${sim!.url}`]);
  const out = await runCli(['--format', 'json', '--only', 'db.config', ...auth, ...endpoints, ...(opts.argv ?? admin)], {
    system: fakeSystem({ homeDir: home }),
    now: () => new Date(),
    env: opts.env ?? {},
    ...(opts.driver ? { oracleDriver: opts.driver(fixture) } : {}),
    ...(opts.stdin ? { stdin: opts.stdin } : {}),
  });
  return JSON.parse(out.stdout) as Doc;
}

const check = (doc: Doc) => doc.checks.find((c) => c.id === 'db.config')!;
const problems = (doc: Doc) => check(doc).findings.filter((f) => f.severity !== 'info');
const codes = (doc: Doc) => problems(doc).map((f) => f.code);
const finding = (doc: Doc, code: string) => check(doc).findings.find((f) => f.code === code)!;
const adb = (f: Fixture) => f.autonomousDatabases[0]!;

describe('db.config: the database side, read as ADMIN through Database Tools', () => {
  it('skips itself without an admin connection', async () => {
    const doc = await run({ facts: true, argv: [] });
    expect(check(doc)).toMatchObject({ status: 'skip', summary: 'no admin connection (--admin-dbtools-connection-id or --admin-user)', findings: [] });
  });

  it('healthy: OCI_IAM, and the panel marks the exclusive user and the group role this principal matches', async () => {
    const doc = await run({ facts: true });
    expect(check(doc).status).toBe('pass');
    expect(codes(doc)).toEqual([]);
    expect(check(doc).summary).toBe('OCI_IAM; ALICE maps this principal (exclusive)');
    const panel = finding(doc, 'dbconfig.mappings');
    expect(panel).toMatchObject({ severity: 'info', highlight: true });
    expect(panel.title).toBe('Database side: 1 global user(s), 1 global role(s); this principal maps to ALICE');
    expect(panel.detail).toContain('identity_provider_type:  OCI_IAM');
    expect(panel.detail).toContain('This principal:          user alice (Database Username), groups DBUsers');
    expect(panel.detail).toContain('Logs on as:              ALICE (exclusive mapping: database name alice)');
    expect(panel.detail).toContain('  ALICE  IAM_PRINCIPAL_NAME=alice   <- this principal (exclusive: database name alice)');
    expect(panel.detail).toContain('  SUPPORT_RO  IAM_GROUP_NAME=DBUsers   <- this principal (shared: group DBUsers)');
    expect(panel.evidence['connects as']).toBe('ADMIN by PASSWORD');
  });

  it('dbconfig.external-auth-disabled with the exact ENABLE_EXTERNAL_AUTHENTICATION call', async () => {
    const doc = await run({ facts: true, change: (f) => void (adb(f).iamAuthEnabled = false) });
    expect(codes(doc)).toEqual(['dbconfig.external-auth-disabled']);
    const f = finding(doc, 'dbconfig.external-auth-disabled');
    expect(f.title).toBe('identity_provider_type is NONE, not OCI_IAM');
    expect(f.fix.commands).toEqual(["EXEC DBMS_CLOUD_ADMIN.ENABLE_EXTERNAL_AUTHENTICATION(type => 'OCI_IAM');"]);
  });

  it('dbconfig.no-mapping-for-principal: CREATE USER … IAM_PRINCIPAL_NAME and GRANT CREATE SESSION', async () => {
    const doc = await run({ facts: true, change: (f) => void (adb(f).globalUsers = []) });
    expect(codes(doc)).toEqual(['dbconfig.no-mapping-for-principal']);
    const f = finding(doc, 'dbconfig.no-mapping-for-principal');
    expect(f.title).toBe('No global user maps alice');
    expect(f.fix.commands).toEqual(["CREATE USER ALICE IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_NAME=alice';", 'GRANT CREATE SESSION TO ALICE;']);
    expect(f.fix.text).toContain("'IAM_GROUP_NAME=DBUsers'");
    // The group's global role still matches, but a role gives no schema to log on to.
    expect(finding(doc, 'dbconfig.mappings').detail).toContain('Global roles it gets:    SUPPORT_RO');
  });

  it('names the user after --expect-db-user, and uses a --mapping that fits the principal', async () => {
    const named = await run({ facts: true, argv: [...admin, '--expect-db-user', 'support_alice'], change: (f) => void (adb(f).globalUsers = []) });
    expect(finding(named, 'dbconfig.no-mapping-for-principal').fix.commands).toEqual(["CREATE USER SUPPORT_ALICE IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_NAME=alice';", 'GRANT CREATE SESSION TO SUPPORT_ALICE;']);
    const shared = await run({ facts: true, argv: [...admin, '--mapping', 'IAM_GROUP_NAME=DBUsers'], change: (f) => void (adb(f).globalUsers = []) });
    expect(finding(shared, 'dbconfig.no-mapping-for-principal').fix.commands).toEqual(["CREATE USER DBUSERS IDENTIFIED GLOBALLY AS 'IAM_GROUP_NAME=DBUsers';", 'GRANT CREATE SESSION TO DBUSERS;']);
  });

  it('an exclusive mapping written for the IAM name (not the Database Username) is fixed with ALTER USER', async () => {
    const doc = await run({ facts: true, change: (f) => void (adb(f).globalUsers = [{ name: 'ALICE', mapping: 'IAM_PRINCIPAL_NAME=alice@example.com' }]) });
    expect(codes(doc)).toEqual(['dbconfig.no-mapping-for-principal']);
    // ALICE exists and already holds CREATE SESSION: remap it, grant nothing.
    expect(finding(doc, 'dbconfig.no-mapping-for-principal').fix.commands).toEqual(["ALTER USER ALICE IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_NAME=alice';"]);
    expect(finding(doc, 'dbconfig.mappings').detail).toContain('  ALICE  IAM_PRINCIPAL_NAME=alice@example.com\n');
  });

  it('a global user of that name mapping someone else is left alone: the new user gets another name', async () => {
    const doc = await run({ facts: true, change: (f) => void (adb(f).globalUsers = [{ name: 'ALICE', mapping: 'IAM_PRINCIPAL_NAME=alice.other@example.org' }]) });
    expect(finding(doc, 'dbconfig.no-mapping-for-principal').fix.commands).toEqual(["CREATE USER ALICE_IAM IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_NAME=alice';", 'GRANT CREATE SESSION TO ALICE_IAM;']);
  });

  it('a shared group mapping matches through the user’s groups', async () => {
    const doc = await run({
      facts: true,
      change: (f) => {
        adb(f).globalUsers = [{ name: 'SUPPORT_SHARED', mapping: 'IAM_GROUP_NAME=dbusers' }];
        adb(f).grants.push({ grantee: 'SUPPORT_SHARED', privilege: 'CREATE SESSION' });
      },
    });
    expect(codes(doc)).toEqual([]);
    expect(finding(doc, 'dbconfig.mappings').detail).toContain('Logs on as:              SUPPORT_SHARED (shared mapping: group DBUsers)');
  });

  it('dbconfig.no-create-session when neither the user nor its roles hold CREATE SESSION', async () => {
    const doc = await run({ facts: true, change: (f) => void (adb(f).grants = [{ grantee: 'SUPPORT_RO', privilege: 'SELECT ANY DICTIONARY' }]) });
    expect(codes(doc)).toEqual(['dbconfig.no-create-session']);
    const f = finding(doc, 'dbconfig.no-create-session');
    expect(f.title).toBe('ALICE may not log on: no CREATE SESSION');
    expect(f.fix.commands).toEqual(['GRANT CREATE SESSION TO ALICE;']);
  });

  it('CREATE SESSION through a granted role or the group’s global role is enough', async () => {
    const viaRole = (f: Fixture) => void (adb(f).grants = [{ grantee: 'ALICE', privilege: 'CONNECT' }, { grantee: 'CONNECT', privilege: 'CREATE SESSION' }]);
    expect(codes(await run({ facts: true, change: viaRole }))).toEqual([]);
    const viaGlobalRole = (f: Fixture) => void (adb(f).grants = [{ grantee: 'SUPPORT_RO', privilege: 'CREATE SESSION' }]);
    expect(codes(await run({ facts: true, change: viaGlobalRole }))).toEqual([]);
  });

  it('dbconfig.no-role-for-group: the --mapping group has no global role, so CREATE ROLE', async () => {
    const doc = await run({ facts: true, argv: [...admin, '--mapping', 'IAM_GROUP_NAME=DBUsers'], change: (f) => void (adb(f).globalRoles = []) });
    expect(codes(doc)).toEqual(['dbconfig.no-role-for-group']);
    expect(finding(doc, 'dbconfig.no-role-for-group').fix.commands).toEqual(["CREATE ROLE DBUSERS_ROLE IDENTIFIED GLOBALLY AS 'IAM_GROUP_NAME=DBUsers';"]);
    // With the role in place nothing is missing.
    expect(codes(await run({ facts: true, argv: [...admin, '--mapping', 'IAM_GROUP_NAME=DBUsers'] }))).toEqual([]);
  });

  it('several problems at once: each with its own SQL', async () => {
    const doc = await run({
      facts: true,
      change: (f) => {
        adb(f).iamAuthEnabled = false;
        adb(f).globalUsers = [];
      },
    });
    expect(codes(doc)).toEqual(['dbconfig.external-auth-disabled', 'dbconfig.no-mapping-for-principal']);
    expect(check(doc).summary).toBe('2 thing(s) missing on the database side');
  });

  it('dbconfig.admin-unusable for a non-admin (token) connection: ORA-00942 on the dictionary', async () => {
    const doc = await run({ argv: ['--admin-dbtools-connection-id', IDS.dbtools] });
    expect(codes(doc)).toEqual(['dbconfig.admin-unusable']);
    const f = finding(doc, 'dbconfig.admin-unusable');
    expect(f.title).toBe('The admin connection could not read dba_users: ORA-00942: table or view does not exist');
    expect(f.evidence.query).toBe("select username, external_name from dba_users where authentication_type = 'GLOBAL' order by username");
  });

  it('dbconfig.admin-unusable when the connection cannot be read or its password secret is gone', async () => {
    const missing = await run({ argv: ['--admin-dbtools-connection-id', 'ocid1.databasetoolsconnection.oc1.iad.aaaaaaaanosuchconnection'] });
    expect(codes(missing)).toEqual(['dbconfig.admin-unusable']);
    expect(finding(missing, 'dbconfig.admin-unusable').title).toBe('Cannot read the admin Database Tools connection: 404 NotAuthorizedOrNotFound');
    const noSecret = await run({ change: (f) => void (f.secrets.find((s) => s.id === IDS.adminPasswordSecret)!.state = 'DELETED') });
    expect(finding(noSecret, 'dbconfig.admin-unusable').title).toMatch(/^The admin connection could not read v\$parameter: ORA-01017/);
  });

  it('an instance principal matches by its dynamic group, or is offered an IAM_PRINCIPAL_OCID mapping', async () => {
    const instanceSetup = (f: Fixture) => {
      f.policies.push({
        id: 'ocid1.policy.oc1..aaaaaaaatestinstancedbtools000000000000000000000000',
        name: 'app-dbtools',
        compartmentId: IDS.tenancy,
        statements: [`Allow any-user to inspect dynamic-groups in tenancy where request.principal.id = '${IDS.instance}'`, 'Allow dynamic-group AppServers to use database-tools-connections in compartment Prod:Finance'],
        timeCreated: '2026-01-15T09:00:00.000Z',
      });
    };
    const unmapped = await run({ instance: true, change: instanceSetup });
    expect(codes(unmapped)).toEqual(['dbconfig.no-mapping-for-principal']);
    expect(finding(unmapped, 'dbconfig.no-mapping-for-principal').fix.commands).toEqual([`CREATE USER INSTANCE_00000010 IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_OCID=${IDS.instance}';`, 'GRANT CREATE SESSION TO INSTANCE_00000010;']);

    const mapped = await run({
      instance: true,
      change: (f) => {
        instanceSetup(f);
        adb(f).globalUsers.push({ name: 'APP', mapping: 'IAM_GROUP_NAME=AppServers' });
        adb(f).grants.push({ grantee: 'APP', privilege: 'CREATE SESSION' });
      },
    });
    expect(codes(mapped)).toEqual([]);
    expect(finding(mapped, 'dbconfig.mappings').detail).toContain('Logs on as:              APP (shared mapping: dynamic group AppServers)');
  });
});

describe('db.config over the connect string: --admin-user, password from DBIAM_DOCTOR_ADMIN_PASSWORD', () => {
  // The network and TLS are real (the simulated listener, its CA in --ca-file);
  // the database's logon and dictionary are played by a stand-in that answers
  // the doctor's statements from the fixture, as the Database Tools simulator does.
  let listener: SimListener;
  let dsn: string[] = [];
  const password = `adminpw-${randomBytes(9).toString('hex')}`;
  beforeAll(async () => {
    ({ listener, dsn } = await startTrustedListener());
  });
  afterAll(() => listener.close());

  const adminSession: SessionSuccess = { ok: true, currentSchema: 'ADMIN', sessionUser: 'ADMIN', authenticatedIdentity: 'ADMIN', enterpriseIdentity: '', authenticationMethod: 'PASSWORD', roles: ['DBA'] };
  function adminDriver(seen: Record<string, unknown>[] = []): (f: Fixture) => OracleDriver {
    return (f) => ({
      async getConnection(config) {
        seen.push(config);
        if (config.user !== 'ADMIN' || config.password !== password) throw new Error(ORA_01017_MESSAGE);
        return {
          async execute(sql: string) {
            const rs = answerSql(sql, adminSession, adb(f));
            if (!rs) throw new Error('ORA-00942: table or view does not exist');
            return { metaData: rs.columns.map((name) => ({ name })), rows: rs.rows };
          },
          async close() {},
        };
      },
    });
  }
  const env = { DBIAM_DOCTOR_ADMIN_PASSWORD: password };

  it('logs on as ADMIN with the connect string and TLS settings of the run, and judges the same facts', async () => {
    const seen: Record<string, unknown>[] = [];
    const doc = await run({ argv: [...dsn, '--admin-user', 'ADMIN'], env, driver: adminDriver(seen) });
    expect(codes(doc)).toEqual([]);
    expect(check(doc).summary).toBe('OCI_IAM; ALICE maps this principal (exclusive)');
    expect(seen[0]).toMatchObject({ user: 'ADMIN', password, sslServerDNMatch: true, connectString: expect.stringContaining(`(PORT=${listener.port})`) });
    // The listener's CA is only in --ca-file: the admin logon gets the same throw-away wallet as the identity query.
    expect(seen[0]!.walletContent).toMatch(/BEGIN CERTIFICATE/);
    const panel = finding(doc, 'dbconfig.mappings');
    expect(panel.evidence['connects as']).toBe('ADMIN by PASSWORD (DBIAM_DOCTOR_ADMIN_PASSWORD)');
    expect(panel.detail).toContain('  ALICE  IAM_PRINCIPAL_NAME=alice   <- this principal (exclusive: database name alice)');
    expect(JSON.stringify(doc)).not.toContain(password);
  });

  it('finds what is missing over this path too', async () => {
    const doc = await run({ argv: [...dsn, '--admin-user', 'ADMIN'], env, driver: adminDriver(), change: (f) => void (adb(f).iamAuthEnabled = false) });
    expect(codes(doc)).toEqual(['dbconfig.external-auth-disabled']);
  });

  it('dbconfig.admin-password-missing, with the command that reads it unechoed, when the variable is not set', async () => {
    const seen: Record<string, unknown>[] = [];
    const doc = await run({ argv: [...dsn, '--admin-user', 'ADMIN'], driver: adminDriver(seen) });
    expect(codes(doc)).toEqual(['dbconfig.admin-password-missing']);
    expect(finding(doc, 'dbconfig.admin-password-missing').fix.commands).toEqual(['read -rs DBIAM_DOCTOR_ADMIN_PASSWORD && export DBIAM_DOCTOR_ADMIN_PASSWORD']);
    expect(seen).toEqual([]); // no logon attempt without a password: no lockout counter touched
  });

  it('at a terminal without the variable, the password is asked for (raw mode, Backspace edits) and used', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, modes: [] as boolean[] });
    Object.assign(terminal, { setRawMode: (m: boolean) => (terminal.modes.push(m), (terminal.isRaw = m), terminal) });
    terminal.write(`${password}x\u007f\r`);
    const seen: Record<string, unknown>[] = [];
    const doc = await run({ argv: [...dsn, '--admin-user', 'ADMIN'], driver: adminDriver(seen), stdin: terminal as unknown as NodeJS.ReadStream });
    expect(codes(doc)).toEqual([]);
    expect(seen[0]).toMatchObject({ user: 'ADMIN', password });
    expect(terminal.modes).toEqual([true, false]); // raw while typing, restored after
  });

  it('a wrong password is dbconfig.admin-unusable naming ORA-01017, without the password', async () => {
    const wrong = `wrongpw-${randomBytes(9).toString('hex')}`;
    const doc = await run({ argv: [...dsn, '--admin-user', 'ADMIN'], env: { DBIAM_DOCTOR_ADMIN_PASSWORD: wrong }, driver: adminDriver() });
    expect(codes(doc)).toEqual(['dbconfig.admin-unusable']);
    const f = finding(doc, 'dbconfig.admin-unusable');
    expect(f.title).toBe(`Cannot log on as ADMIN over the connect string: ${ORA_01017_MESSAGE}`);
    expect(f.detail).toMatch(/check DBIAM_DOCTOR_ADMIN_PASSWORD/);
    expect(JSON.stringify(doc)).not.toContain(wrong);
  });

  it('a user without dictionary access is dbconfig.admin-unusable naming the view', async () => {
    const doc = await run({
      argv: [...dsn, '--admin-user', 'ADMIN'],
      env,
      driver: (f) => {
        const inner = adminDriver()(f);
        return {
          async getConnection(config) {
            const c = await inner.getConnection(config);
            return { execute: (sql) => (/dba_users/.test(sql) ? Promise.reject(new Error('ORA-00942: table or view does not exist')) : c.execute(sql)), close: () => c.close() };
          },
        };
      },
    });
    expect(finding(doc, 'dbconfig.admin-unusable').title).toBe('The admin connection could not read dba_users: ORA-00942: table or view does not exist');
  });

  it('with the real node-oracledb, a service the listener does not know ends as admin-unusable with the driver message', async () => {
    const wrong = dsn.map((a) => a.replace('ledger_high', 'ledger_nope'));
    const doc = await run({ argv: [...wrong, '--admin-user', 'ADMIN'], env });
    expect(codes(doc)).toEqual(['dbconfig.admin-unusable']);
    expect(finding(doc, 'dbconfig.admin-unusable').title).toMatch(/^Cannot log on as ADMIN over the connect string: NJS-518/);
  });

  it('with both admin paths the Database Tools connection runs, and the evidence says --admin-user was not used', async () => {
    const seen: Record<string, unknown>[] = [];
    const doc = await run({ argv: [...admin, ...dsn, '--admin-user', 'ADMIN'], env, driver: adminDriver(seen) });
    expect(codes(doc)).toEqual([]);
    expect(seen).toEqual([]);
    expect(finding(doc, 'dbconfig.mappings').evidence).toMatchObject({ 'connects as': 'ADMIN by PASSWORD', '--admin-user': 'ADMIN not used: the admin Database Tools connection is' });
  });

  it('skips itself with --admin-user but no connect string', async () => {
    const doc = await run({ argv: ['--admin-user', 'ADMIN'], env });
    expect(check(doc)).toMatchObject({ status: 'skip', summary: 'no connect string (--dsn) to log on as ADMIN over' });
  });
});
