// Thin-mode DN-matching bugs by release: real certificates made here, the
// identity judged by checkIdentity, and the releases written by hand from
// the drivers' release notes and issues:
// - python-oracledb 3.0.0 matched SANs literally, no wildcards (DPY-6006);
//   3.1.0 fixed it: https://github.com/oracle/python-oracledb/issues/462 and
//   https://github.com/oracle/python-oracledb/blob/60eb3222453860a394a03b1ef392a41fd701b2d5/doc/src/release_notes.rst (3.1.0)
// - node-oracledb built SSL_SERVER_CERT_DN from an Easy Connect string with a
//   stray '}' from 6.0.0 until 7.0.0: https://github.com/oracle/node-oracledb/issues/1772
// - node-oracledb 6.1.0 fixed sslServerDNMatch with an Easy Connect string
//   that sets no SSL_SERVER_DN_MATCH:
//   https://github.com/oracle/node-oracledb/blob/b7d957d6720ca106e639793aba6b659bfe3b0119/doc/src/release_notes.rst (6.1.0)
import { describe, expect, it } from 'vitest';
import { certsFromPem } from '../../src/core/tls/certs.js';
import { checkIdentity } from '../../src/core/tls/dn-match.js';
import { dnMatchBugs } from '../../src/core/tls/dn-match-bugs.js';
import { makeChain } from '../../src/sim/pki.js';

// An ADB-style certificate: the region's name as CN, a wildcard SAN below it (issue 462's case).
const wildcard = certsFromPem(makeChain({ bits: 1024, leafSubject: { CN: 'adb.eu-amsterdam-1.oraclecloud.com' }, sanDns: ['*.adb.eu-amsterdam-1.oraclecloud.com'], sanIps: [] }).leaf.certPem).certs[0]!;
const HOST = 'abc123.adb.eu-amsterdam-1.oraclecloud.com';
const ids = (bugs: { id: string }[]): string[] => bugs.map((b) => b.id);

describe('python-oracledb: wildcard SANs (3.0.0 until 3.1.0)', () => {
  const identity = checkIdentity(wildcard, HOST, true, undefined);

  it('the doctor (as node-oracledb) matches the host through the wildcard', () => {
    expect(identity).toMatchObject({ rule: 'host', ok: true });
  });

  it('3.0.0 and 3.0.1 fail on it: upgrade to 3.1.0; 2.5.1 and 3.1.0 do not', () => {
    const at = (v: string): string[] => ids(dnMatchBugs('python', v, { identity, cn: 'adb.eu-amsterdam-1.oraclecloud.com' }));
    expect(at('3.0.0')).toEqual(['python-oracledb-462']);
    expect(at('3.0.1')).toEqual(['python-oracledb-462']);
    expect(dnMatchBugs('python', '3.0.1', { identity })[0]!.fixedIn).toBe('3.1.0');
    expect(at('2.5.1')).toEqual([]);
    expect(at('3.1.0')).toEqual([]);
  });

  it('a certificate that also names the host exactly is matched by 3.0.x too', () => {
    const both = certsFromPem(makeChain({ bits: 1024, sanDns: ['*.adb.eu-amsterdam-1.oraclecloud.com', HOST], sanIps: [] }).leaf.certPem).certs[0]!;
    expect(ids(dnMatchBugs('python', '3.0.0', { identity: checkIdentity(both, HOST, true, undefined) }))).toEqual([]);
  });

  it('a version the probe did not read says nothing', () => {
    expect(dnMatchBugs('python', undefined, { identity })).toEqual([]);
  });
});

describe('node-oracledb: Easy Connect DN parameters', () => {
  const subject = wildcard.subject;

  it("ssl_server_cert_dn in an Easy Connect string: 6.0.0 to 6.10.0 add the '}', 7.0.0 does not", () => {
    const identity = checkIdentity(wildcard, HOST, true, subject);
    const ez = { sslServerDnMatch: true, sslServerCertDn: true };
    expect(ids(dnMatchBugs('node', '6.10.0', { identity, easyConnect: ez }))).toEqual(['node-oracledb-1772']);
    expect(ids(dnMatchBugs('node', '6.0.0', { identity, easyConnect: ez }))).toEqual(['node-oracledb-1772']);
    expect(ids(dnMatchBugs('node', '7.0.0', { identity, easyConnect: ez }))).toEqual([]);
    // The same DN from a descriptor (no Easy Connect) is not built by the resolver.
    expect(ids(dnMatchBugs('node', '6.10.0', { identity }))).toEqual([]);
  });

  it('an Easy Connect string without ssl_server_dn_match: 6.0.x needs 6.1.0; DN matching off hits nothing', () => {
    const identity = checkIdentity(wildcard, HOST, true, undefined);
    const ez = { sslServerDnMatch: false, sslServerCertDn: false };
    expect(ids(dnMatchBugs('node', '6.0.3', { identity, easyConnect: ez }))).toEqual(['node-oracledb-6.1.0-dn-match']);
    expect(ids(dnMatchBugs('node', '6.1.0', { identity, easyConnect: ez }))).toEqual([]);
    expect(ids(dnMatchBugs('node', '6.0.3', { identity: checkIdentity(wildcard, HOST, false, undefined), easyConnect: ez }))).toEqual([]);
  });
});
