// The demo's scenarios: the healthy tenancy, and one broken link each. A
// scenario changes the throw-away setup; it names the finding code the
// doctor must report for it (tests run every scenario and assert exactly that).
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
}

export interface Scenario {
  name: string;
  summary: string;
  /** The finding code the doctor must report; undefined for the healthy run. */
  expect?: string;
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
    name: 'dn-mismatch',
    summary: 'the connect string pins ssl_server_cert_dn with the OU= ADB certificates dropped in 2022',
    expect: 'tls.dn-mismatch',
    apply(setup) {
      setup.listener = { ...setup.listener, certDn: `CN=${ADB_HOST},OU=${ADB_LEGACY_OU},O=Oracle Corporation,L=Redwood City,ST=California,C=US` };
    },
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
