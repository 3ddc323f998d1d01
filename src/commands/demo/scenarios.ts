// The demo's scenarios: the healthy tenancy, and one broken link each. A
// scenario changes the throw-away setup; it names the finding code the
// doctor must report for it (tests run every scenario and assert exactly that).
import { ADMIN_PASSWORD_ENV } from '../../core/options.js';
import type { Fixture } from '../../sim/fixture.js';
import type { ProfileSpec } from '../../sim/home.js';
import type { ListenerFaults } from '../../sim/listener/index.js';
import { ADB_HOST, ADB_LEGACY_OU } from '../../sim/pki.js';
import { IDS } from '../../sim/tenancy.js';
import type { DemoWallet } from './wallet.js';

export interface DemoSetup {
  fixture: Fixture;
  /** The key pair of the demo session (key_file and the token's jwk). */
  sessionKey: { privateKeyPem: string; publicKeyPem: string };
  profile: ProfileSpec;
  /** Offset of the simulated OCI clock from the real one. */
  serverClockOffsetMs: number;
  /** Extra doctor options for this scenario (written to the doctor config file). */
  doctorConfig: Record<string, unknown>;
  /** The wallet directory written into the home (TNS_ADMIN). */
  wallet: DemoWallet;
  /** The simulated database listener the connect string (--dsn) points at. */
  listener?: DemoListener;
  /** Extra environment variables of the doctor run (e.g. DBIAM_DOCTOR_WALLET_PASSWORD). */
  env?: Record<string, string>;
  /** What `oci iam db-token get` left in ~/.oci/db-token (token and oci_db_key.pem); none by default. */
  dbTokenCache?: { token: string; privateKeyPem: string };
  /**
   * A stand-in Python for --client python (a script printing what the probe
   * would): its OpenSSL CA file and certifi bundle hold public roots only; no
   * --ca-file. The wallet (which node-oracledb uses) still trusts the listener.
   */
  pythonStandIn?: boolean;
  /**
   * A machine for --client jdbc without a wallet: its OS CA bundle (in the
   * demo home) holds the listener's CA, as after update-ca-certificates, and
   * JAVA_HOME names a JRE whose JKS cacerts holds public roots only.
   */
  javaStandIn?: boolean;
}

export interface DemoListener {
  /** TLS faults of the listener (src/sim/listener). */
  faults?: ListenerFaults;
  /** SSL_SERVER_CERT_DN written into the demo's connect descriptor. */
  certDn?: string;
}

export interface DemoTools {
  /** A new RSA key pair (PEM), for keys OCI does not know. */
  newKey(): { privateKeyPem: string; publicKeyPem: string };
  /** A session token from the simulator for the given key, expiring in `seconds`. */
  sessionToken(publicKeyPem: string, seconds: number): string;
  /** A DB token for alice from the simulated IAM (as its data plane issues them), bound to the given key, expiring in `seconds`. */
  dbToken(publicKeyPem: string, seconds: number): string;
}

/**
 * The doctor config without a Database Tools connection: the identity query
 * then goes straight to the listener's database stand-in with node-oracledb
 * thin and the doctor's own DB token (the direct path).
 */
function directPath(setup: DemoSetup): void {
  // undefined drops the key from the config file the demo writes.
  setup.doctorConfig.dbtoolsConnectionId = undefined;
}

export interface Scenario {
  name: string;
  summary: string;
  /** The finding code the doctor must report; undefined for the healthy run. */
  expect?: string;
  /**
   * Codes the same broken link also produces further down the chain, e.g.
   * the database's ORA-01017 (db.logon-denied) after the cause was found.
   */
  also?: readonly string[];
  apply?(setup: DemoSetup, tools: DemoTools): void;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'healthy', summary: 'everything in order: a session-token profile reaches the database with its IAM identity' },
  {
    name: 'session-expired',
    summary: 'the session token expired an hour ago',
    expect: 'session.token-expired',
    apply(setup, tools) {
      setup.profile.token = tools.sessionToken(setup.sessionKey.publicKeyPem, -3600);
    },
  },
  {
    name: 'session-key-mismatch',
    summary: 'the session token was issued for another key pair than key_file',
    expect: 'session.key-mismatch',
    apply(setup, tools) {
      setup.profile.token = tools.sessionToken(tools.newKey().publicKeyPem, 3600);
    },
  },
  {
    name: 'fingerprint-mismatch',
    summary: 'the profile fingerprint belongs to another key than key_file',
    expect: 'key.fingerprint-mismatch',
    apply(setup) {
      setup.profile.fingerprint = '11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00';
    },
  },
  {
    name: 'db-username-fallback',
    summary: "the user has no Database Username, so the database sees 'alice@example.com' where 'alice' is mapped",
    expect: 'dbuser.fallback-to-iam-name',
    apply(setup) {
      for (const u of setup.fixture.users) delete u.dbUserName;
      setup.doctorConfig.expectDbUser = 'alice';
    },
  },
  {
    name: 'external-auth-disabled',
    summary: 'the database was never told to accept OCI IAM identities (ENABLE_EXTERNAL_AUTHENTICATION not run)',
    expect: 'db.external-auth-disabled',
    apply(setup) {
      for (const adb of setup.fixture.autonomousDatabases) adb.iamAuthEnabled = false;
    },
  },
  {
    name: 'no-global-mapping',
    summary: 'no global user or role in the database maps alice or her group',
    expect: 'db.no-global-mapping',
    apply(setup) {
      for (const adb of setup.fixture.autonomousDatabases) {
        adb.globalUsers = [];
        adb.globalRoles = [];
      }
    },
  },
  {
    name: 'clock-skew',
    summary: "this machine's clock is 12 minutes behind OCI's",
    expect: 'identity.clock-skew',
    apply(setup) {
      setup.serverClockOffsetMs = 12 * 60 * 1000;
    },
  },
  {
    name: 'policy-missing',
    summary: 'no policy statement grants use database-connections on the database any more',
    expect: 'policy.no-grant',
    apply(setup) {
      for (const p of setup.fixture.policies) p.statements = p.statements.filter((st) => !/database-connections/i.test(st));
    },
  },
  {
    name: 'dynamic-group-not-matching',
    summary: "the doctor runs on the app server (instance principal), but the AppServers rule names the parent compartment, which rules do not inherit",
    expect: 'dg.no-match',
    apply(setup) {
      setup.doctorConfig.auth = 'instance_principal';
      const appServers = setup.fixture.dynamicGroups.find((g) => g.name === 'AppServers');
      if (appServers) appServers.matchingRule = `ALL {instance.compartment.id = '${IDS.prod}'}`;
      const dbAccess = setup.fixture.policies.find((p) => p.name === 'db-access');
      dbAccess?.statements.push('Allow dynamic-group AppServers to use database-tools-connections in compartment Finance');
      // Outside any dynamic group the instance reads nothing, so let it read what the doctor needs.
      const self = `request.principal.id = '${IDS.instance}'`;
      setup.fixture.policies.push({
        id: 'ocid1.policy.oc1..aaaaaaaademoappdiagnostics0000000000000000000000000017',
        name: 'app-server-diagnostics',
        compartmentId: IDS.tenancy,
        statements: [
          `Allow any-user to inspect policies in tenancy where ${self}`,
          `Allow any-user to inspect dynamic-groups in tenancy where ${self}`,
          `Allow any-user to read autonomous-databases in tenancy where ${self}`,
        ],
        timeCreated: '2026-01-15T09:00:00.000Z',
      });
    },
  },
  {
    name: 'expired-wallet',
    summary: 'the wallet in TNS_ADMIN expired three days ago (its README says so)',
    expect: 'wallet.expired',
    apply(setup) {
      setup.wallet.readmeExpiresAt = new Date(Date.now() - 3 * 86_400_000);
    },
  },
  {
    name: 'untrusted-ca',
    summary: "the database listener's certificate chain comes from a CA that neither the wallet nor --ca-file trusts",
    expect: 'tls.untrusted-root',
    apply(setup) {
      setup.listener = { ...setup.listener, faults: { ...setup.listener?.faults, untrustedRoot: true } };
    },
  },
  {
    name: 'python-untrusted',
    summary: "--client python: node-oracledb trusts the listener through the wallet, but python-oracledb without wallet_location uses Python's CA file, and it and certifi lack the root (CERTIFICATE_VERIFY_FAILED)",
    expect: 'tls.untrusted-root',
    apply(setup) {
      setup.pythonStandIn = true;
      setup.doctorConfig.client = 'python';
    },
  },
  {
    name: 'jdbc-untrusted',
    summary: "--client jdbc, one-way TLS without a wallet: the OS CA bundle trusts the listener's CA, but the JRE's cacerts (JKS) that Java reads lacks it (PKIX path building failed)",
    expect: 'tls.untrusted-root',
    apply(setup) {
      setup.javaStandIn = true;
      setup.doctorConfig.client = 'jdbc';
    },
  },
  {
    name: 'dn-mismatch',
    summary: 'the connect string pins ssl_server_cert_dn with the OU= ADB certificates dropped in 2022',
    expect: 'tls.dn-mismatch',
    apply(setup) {
      setup.listener = { ...setup.listener, certDn: `CN=${ADB_HOST},OU=${ADB_LEGACY_OU},O=Oracle Corporation,L=Redwood City,ST=California,C=US` };
    },
  },
  // ---- The direct path: no Database Tools connection, node-oracledb logs on itself ----
  {
    name: 'direct-healthy',
    summary: 'no Database Tools connection: node-oracledb thin logs on to the public database with the doctor’s DB token and runs the identity query',
    apply: directPath,
  },
  {
    name: 'direct-cached-token-key-mismatch',
    summary: 'the key pair in ~/.oci/db-token is not the one its token was issued for (a thick client with TOKEN_AUTH=OCI_TOKEN is refused)',
    expect: 'token.cache-key-mismatch',
    apply(setup, tools) {
      directPath(setup);
      setup.dbTokenCache = { token: tools.dbToken(tools.newKey().publicKeyPem, 3600), privateKeyPem: tools.newKey().privateKeyPem };
    },
  },
  {
    name: 'direct-cached-token-expired',
    summary: 'the DB token in ~/.oci/db-token expired half an hour ago (a thick client sending it is refused)',
    expect: 'token.cache-expired',
    apply(setup, tools) {
      directPath(setup);
      const key = tools.newKey();
      setup.dbTokenCache = { token: tools.dbToken(key.publicKeyPem, -1800), privateKeyPem: key.privateKeyPem };
    },
  },
  {
    name: 'direct-scope-excludes-database',
    summary: 'the DB token is requested for the Prod compartment (--scope), but the database is in Finance',
    expect: 'token.scope-excludes-database',
    apply(setup) {
      directPath(setup);
      setup.doctorConfig.scope = `urn:oracle:db::id::${IDS.prod}`;
    },
  },
  {
    name: 'direct-no-global-mapping',
    summary: 'no global user or role maps alice or her group; the database answers the token logon with ORA-01017',
    expect: 'db.logon-denied',
    apply(setup) {
      directPath(setup);
      for (const adb of setup.fixture.autonomousDatabases) {
        adb.globalUsers = [];
        adb.globalRoles = [];
      }
    },
  },
  {
    name: 'direct-no-mapping-admin',
    summary: 'no global user maps alice (ORA-01017), and the doctor reads the database side as ADMIN over the same connect string (--admin-user)',
    expect: 'dbconfig.no-mapping-for-principal',
    also: ['db.logon-denied'],
    apply(setup) {
      directPath(setup);
      for (const adb of setup.fixture.autonomousDatabases) adb.globalUsers = [];
      setup.doctorConfig.adminUser = 'ADMIN';
      const secret = setup.fixture.secrets.find((s) => s.id === IDS.adminPasswordSecret);
      setup.env = { ...setup.env, [ADMIN_PASSWORD_ENV]: Buffer.from(secret?.contentBase64 ?? '', 'base64').toString('utf8') };
    },
  },
  {
    name: 'direct-db-username-fallback',
    summary: "the user has no Database Username, so the database sees 'alice@example.com', which no mapping names (ORA-01017)",
    expect: 'dbuser.fallback-to-iam-name',
    also: ['db.logon-denied'],
    apply(setup) {
      directPath(setup);
      for (const u of setup.fixture.users) delete u.dbUserName;
    },
  },
  {
    name: 'direct-acl-rejected',
    summary: "the database's access control list admits only the office's network (203.0.113.0/24) and the app's VCN, not this machine; the connect string retries 20 times, 3 s apart, as ADB's do",
    expect: 'db.acl-rejected',
    apply(setup) {
      directPath(setup);
      for (const adb of setup.fixture.autonomousDatabases) adb.acl = ['203.0.113.0/24', 'ocid1.vcn.oc1.iad.amaaaaaademoappvcn'];
    },
  },
  {
    name: 'direct-no-create-session',
    summary: 'the global user ALICE holds no CREATE SESSION; the database answers the token logon with ORA-01045',
    expect: 'db.logon-denied',
    apply(setup) {
      directPath(setup);
      for (const adb of setup.fixture.autonomousDatabases) adb.grants = adb.grants.filter((g) => g.privilege !== 'CREATE SESSION');
    },
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
