// Client bugs that raise (or hide) an error on this path, each with the
// release that fixed it, taken from the project's own release notes or
// changelog. A version named in the paste (or found in the run) that falls in
// the broken range makes the bug the first cause.
import { NODE_NOTES, PY_NOTES } from '../release-notes.js';

export type ClientName = 'node-oracledb' | 'python-oracledb' | 'oci-cli' | 'oci-typescript-sdk';

export interface KnownBug {
  id: string;
  client: ClientName;
  /** First broken version, inclusive (undefined: all before `fixedIn`). */
  from?: string;
  /** First fixed version; undefined when the release notes name none. */
  fixedIn?: string;
  /** What the bug does, in one sentence. */
  what: string;
  /** Where the fix is recorded. */
  source: string;
}

export const KNOWN_BUGS = {
  nodeFastAuth: {
    id: 'node-oracledb-1697',
    client: 'node-oracledb',
    from: '6.5.0',
    fixedIn: '6.7.0',
    what: 'thin mode could not connect to Oracle Database 23 instances with fast authentication disabled (Autonomous Database 23ai): the database closed the connection (NJS-521)',
    source: 'https://github.com/oracle/node-oracledb/issues/1697 (release notes 6.7.0)',
  },
  pythonInBand: {
    id: 'python-oracledb-383',
    client: 'python-oracledb',
    from: '2.4.0',
    fixedIn: '2.4.1',
    what: 'thin mode failed to connect with DPY-3008 on in-band notification 12572 while the connection was being created',
    source: 'https://github.com/oracle/python-oracledb/issues/383 (release notes 2.4.1)',
  },
  pythonAliasList: {
    id: 'python-oracledb-362',
    client: 'python-oracledb',
    fixedIn: '2.4.0',
    what: 'the thin tnsnames.ora parser did not find aliases listed together for one descriptor (DPY-4000)',
    source: 'https://github.com/oracle/python-oracledb/issues/362 (release notes 2.4.0)',
  },
  pythonDnMatch: {
    id: 'python-oracledb-485',
    client: 'python-oracledb',
    from: '3.1.0',
    what: 'thin mode reported DPY-6002 although the certificate carried the expected DN (reported and labelled a bug for 3.1.0; the release notes name no fix release)',
    source: 'https://github.com/oracle/python-oracledb/issues/485',
  },
  pythonWildcardSan: {
    id: 'python-oracledb-462',
    client: 'python-oracledb',
    from: '3.0.0',
    fixedIn: '3.1.0',
    what: 'thin mode (which matches the host name itself from 3.0.0) compared it with each name on the certificate literally, so a wildcard name such as *.adb.<region>.oraclecloud.com matched nothing and the connection failed with DPY-6006',
    source: `https://github.com/oracle/python-oracledb/issues/462; ${PY_NOTES} (3.0.0: TLS server matching moved into python-oracledb, issue 415; 3.1.0: fixed wildcard matching of domains in Subject Alternative Names, issue 462)`,
  },
  nodeEzCertDn: {
    id: 'node-oracledb-1772',
    client: 'node-oracledb',
    from: '6.0.0',
    fixedIn: '7.0.0',
    what: "Thin mode added a stray '}' to the SSL_SERVER_CERT_DN it built from an Easy Connect string's ssl_server_cert_dn, so the DN it compared with the certificate's was not the one given",
    source: `https://github.com/oracle/node-oracledb/issues/1772; https://github.com/oracle/node-oracledb/blob/v6.0.0/lib/thin/sqlnet/ezConnectResolver.js (the '}' already in 6.0.0); ${NODE_NOTES} (7.0.0: the correct SSL_SERVER_CERT_DN from an Easy Connect string)`,
  },
  nodeEzDnMatch: {
    id: 'node-oracledb-6.1.0-dn-match',
    client: 'node-oracledb',
    from: '6.0.0',
    fixedIn: '6.1.0',
    what: 'Thin mode had a bug when sslServerDNMatch was set and the Easy Connect string set no SSL_SERVER_DN_MATCH',
    source: `${NODE_NOTES} (6.1.0: fixed bug when sslServerDNMatch is set and an Easy Connect string sets no SSL_SERVER_DN_MATCH)`,
  },
  cliServices: {
    id: 'oci-cli-280',
    client: 'oci-cli',
    from: '2.10.0',
    fixedIn: '2.10.4',
    what: "the CLI printed FileNotFoundError … 'services' instead of the service's Unauthorized error",
    source: 'https://github.com/oracle/oci-cli/issues/280 (CHANGELOG 2.10.4)',
  },
  cliInstancePrincipal: {
    id: 'oci-cli-1013',
    client: 'oci-cli',
    from: '3.71.2',
    fixedIn: '3.71.4',
    what: "instance-principal signing failed with AttributeError … '_tenancy_id'",
    source: 'https://github.com/oracle/oci-cli/issues/1013 (CHANGELOG 3.71.4)',
  },
  tsOkeNativeFetch: {
    id: 'oci-typescript-sdk-416',
    client: 'oci-typescript-sdk',
    what: "OKE workload identity on Node.js's native fetch (the default from Node 18, and in 22): the SDK hands the cluster CA to proxymux in an https agent that native fetch ignores, so the call fails with TypeError: fetch failed (reported with the code path; the issue names no fix release)",
    source: 'https://github.com/oracle/oci-typescript-sdk/issues/416',
  },
} as const satisfies Record<string, KnownBug>;

/** Compares dotted versions numerically; a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** True when `version` is known and inside the bug's broken range. */
export function versionHasBug(bug: KnownBug, version: string | undefined): boolean {
  if (!version) return false;
  if (bug.from && compareVersions(version, bug.from) < 0) return false;
  if (bug.fixedIn && compareVersions(version, bug.fixedIn) >= 0) return false;
  return true;
}

/** The upgrade advice for a bug: the fixed release when the notes name one. */
export function upgradeAdvice(bug: KnownBug): string {
  return bug.fixedIn ? `upgrade ${bug.client} to ${bug.fixedIn} or later` : `upgrade ${bug.client} to its latest release`;
}
