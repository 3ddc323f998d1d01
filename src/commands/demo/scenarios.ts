// The demo's scenarios: the healthy tenancy, and one broken link each. A
// scenario changes the throw-away setup; it names the finding code the
// doctor must report for it (tests run every scenario and assert exactly that).
import type { Fixture } from '../../sim/fixture.js';
import type { ProfileSpec } from '../../sim/home.js';

export interface DemoSetup {
  fixture: Fixture;
  /** The key pair of the demo session (key_file and the token's jwk). */
  sessionKey: { privateKeyPem: string; publicKeyPem: string };
  profile: ProfileSpec;
  /** Offset of the simulated OCI clock from the real one. */
  serverClockOffsetMs: number;
  /** Extra doctor options for this scenario (written to the doctor config file). */
  doctorConfig: Record<string, unknown>;
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
    name: 'clock-skew',
    summary: "this machine's clock is 12 minutes behind OCI's",
    expect: 'identity.clock-skew',
    apply(setup) {
      setup.serverClockOffsetMs = 12 * 60 * 1000;
    },
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
