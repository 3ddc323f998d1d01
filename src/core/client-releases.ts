// The client releases in which a behaviour the doctor's fixes rely on arrived
// (IAM token authentication, the token plugins, the TLS settings a trust fix
// hands over), per driver, from each driver's release notes or guide: the one
// table of them. Oracle ships fixes in
// release lines (19.x, 21.x, 23.x): a line can have its own first release,
// so `since` maps a line's major version to it; a line below every key has
// none (upgrade to the lowest). Lines above every key have it from their
// first release.
import { compareVersions } from './explain/known-bugs.js';
import { NODE_NOTES, PY_NOTES } from './release-notes.js';

export type DriverName = 'node-oracledb' | 'python-oracledb' | 'Oracle JDBC (ojdbc)' | 'Oracle Instant Client';

export interface ClientRelease {
  driver: DriverName;
  /** What arrives, as a fix names it. */
  feature: string;
  /** First release per release line (major version → first version with it). */
  since: Readonly<Record<number, string>>;
  /** What is missing before it, in one sentence, when a fix relies on it (the TLS check's "upgrade to N"). */
  without?: string;
  source: string;
}


/** node-oracledb's API manual at the commit read. */
const NODE_API = 'https://github.com/oracle/node-oracledb/blob/b7d957d6720ca106e639793aba6b659bfe3b0119/doc/src/api_manual/oracledb.rst';

export const CLIENT_RELEASES = {
  nodeThinAccessToken: {
    driver: 'node-oracledb',
    feature: 'IAM token authentication in Thin mode (accessToken with externalAuth)',
    since: { 6: '6.0.0' },
    source: `${NODE_NOTES} (6.0.0: Thin mode, the default; 5.4.0 had brought accessToken to Thick mode only, with Oracle Client 19.14 or 21.5 and later: ${NODE_API}); https://github.com/oracle/node-oracledb/blob/v6.0.0/doc/src/user_guide/appendix_a.rst (6.0.0: Thin mode supports OCI IAM tokens)`,
  },
  nodeOciTokenPlugin: {
    driver: 'node-oracledb',
    feature: "the extensionOci token plugin (import 'oracledb/plugins/token/extensionOci', tokenAuthConfigOci)",
    since: { 6: '6.8.0' },
    source: `${NODE_NOTES} (6.8.0: plugins for OCI IAM and Azure OAuth token generation); ${NODE_API} (tokenAuthConfigOci: added in 6.8)`,
  },
  nodeOciTokenInstancePrincipal: {
    driver: 'node-oracledb',
    feature: "authType 'instancePrincipal' in the extensionOci plugin",
    since: { 6: '6.9.0' },
    source: `${NODE_NOTES} (6.9.0: instance principal authentication in native IAM token-based authentication)`,
  },
  nodeWalletContent: {
    driver: 'node-oracledb',
    feature: 'walletContent',
    since: { 6: '6.6.0' },
    without: 'there is no walletContent, so a CA can only be handed over in a wallet directory (walletLocation) or NODE_EXTRA_CA_CERTS',
    source: `${NODE_NOTES} (6.6.0: in-memory wallet, the walletContent property)`,
  },
  pythonAccessToken: {
    driver: 'python-oracledb',
    feature: 'IAM token authentication (the access_token parameter)',
    since: { 1: '1.1.0' },
    source: `${PY_NOTES} (1.1.0: IAM token authentication via access_token)`,
  },
  pythonOciTokens: {
    driver: 'python-oracledb',
    feature: 'the oci_tokens plugin (import oracledb.plugins.oci_tokens) with extra_auth_params',
    since: { 3: '3.0.0' },
    source: `${PY_NOTES} (3.0.0: extra_auth_params and the oci_tokens plugin)`,
  },
  pythonOciTokensInstancePrincipal: {
    driver: 'python-oracledb',
    feature: 'auth_type "InstancePrincipal" in the oci_tokens plugin',
    since: { 3: '3.2.0' },
    source: `${PY_NOTES} (3.2.0: Instance Principal authentication for OCI cloud native authentication)`,
  },
  pythonOciTokensSessionToken: {
    driver: 'python-oracledb',
    feature: 'auth_type "SecurityToken" and "ResourcePrincipal" in the oci_tokens plugin',
    since: { 4: '4.0.0' },
    source: `${PY_NOTES} (4.0.0: session token-based and resource principal authentication in the OCI Tokens plugin)`,
  },
  pythonWalletOneWay: {
    driver: 'python-oracledb',
    feature: 'wallet_location for one-way TLS',
    since: { 1: '1.2.0' },
    without: 'thin mode cannot use a wallet for one-way TLS: only certificates the OS recognises are trusted',
    source: `${PY_NOTES} (1.2.0: wallet for one-way TLS connections, issue 65)`,
  },
  pythonSslContext: {
    driver: 'python-oracledb',
    feature: 'ssl_context',
    since: { 2: '2.0.0' },
    without: 'connect() has no ssl_context parameter, so a CA file (or certifi) cannot be handed to it',
    source: `${PY_NOTES} (2.0.0: parameter ssl_context added, issue 259)`,
  },
  jdbcIamToken: {
    driver: 'Oracle JDBC (ojdbc)',
    feature: 'IAM token authentication (oracle.jdbc.tokenAuthentication=OCI_TOKEN, TOKEN_AUTH in the descriptor)',
    since: { 19: '19.14', 21: '21.4' },
    source: 'https://docs.oracle.com/cd/F19136_01/jjdbc/client-side-security.html (19c guide: JDBC Thin IAM token support from 19.14); https://docs.oracle.com/en/database/oracle/oracle-database/21/jjdbc/introducing-JDBC.html (21c: from 21.4)',
  },
  instantClientIamToken: {
    driver: 'Oracle Instant Client',
    feature: 'IAM token authentication (TOKEN_AUTH=OCI_TOKEN)',
    since: { 19: '19.13', 21: '21.4' },
    source: 'https://docs.public.oneportal.content.oci.oraclecloud.com/en-us/iaas/autonomous-database-serverless/doc/iam-access-database.html (SQL*Plus and Instant Client on Linux from 19.13, Instant Client from 21.4; 19.16 or later recommended)',
  },
} as const satisfies Record<string, ClientRelease>;

export type ReleaseVerdict =
  | { has: true }
  | { has: false; upgradeTo: string }
  /** Only the release line is known (e.g. libclntsh.so.19.1): it has the feature from `from` on. */
  | { has: 'unknown'; from: string };

/**
 * Whether `version` has the feature. `lineOnly`: the version names only the
 * release line (its major), as an Instant Client library file name does.
 */
export function releaseVerdict(r: ClientRelease, version: string, lineOnly = false): ReleaseVerdict {
  const major = Number.parseInt(version, 10);
  const lines = Object.keys(r.since).map(Number).sort((a, b) => a - b);
  const lowest = lines[0]!;
  const first = r.since[major];
  if (first !== undefined) {
    if (lineOnly) return { has: 'unknown', from: first };
    return compareVersions(version, first) >= 0 ? { has: true } : { has: false, upgradeTo: first };
  }
  if (major > lines[lines.length - 1]!) return { has: true };
  if (major < lowest) return { has: false, upgradeTo: r.since[lowest]! };
  // A line between keys (e.g. 20, 22): the next line up names the release to go to.
  const next = lines.find((l) => l > major)!;
  return { has: false, upgradeTo: r.since[next]! };
}

/** The releases `version` predates, of those given, with the release to go to; nothing when the version is unknown. */
export function missingReleases(version: string | undefined, releases: readonly ClientRelease[]): { release: ClientRelease; upgradeTo: string }[] {
  if (!version || !/^\d+(\.\d+)*/.test(version)) return [];
  return releases.flatMap((release) => {
    const v = releaseVerdict(release, version);
    return v.has === false ? [{ release, upgradeTo: v.upgradeTo }] : [];
  });
}
