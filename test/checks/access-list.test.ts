// net.access-list judged from plain facts: the fixture's database and this
// machine's addresses in, findings out (no simulator, no socket, no key).
// Entry forms are those of the whitelistedIps model and the ADB ACL page
// (docs/sources.md `adb-model`, `adb-acl`); the addresses are documentation
// ranges (RFC 5737) and private ones.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SigningIdentity } from '../../src/adapters/oci-sdk.js';
import type { LocalAddress } from '../../src/checks/facts.js';
import { WHOAMI_DATA, type WhoAmIData } from '../../src/checks/identity/whoami.js';
import { accessListCheck } from '../../src/checks/network/access-list.js';
import { REACH_DATA, type ReachData } from '../../src/checks/network/reach.js';
import { isPublicAddress, parseAclEntry } from '../../src/core/access-list.js';
import type { CheckOutcome, DataKey } from '../../src/core/types.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { testDeps } from '../helpers/deps.js';
import { factsFrom, type FactsOptions } from '../helpers/facts.js';

const identity: SigningIdentity = { kind: 'token', token: 'canary-token', privateKeyPem: 'canary-key', region: 'us-ashburn-1' };
const alice: WhoAmIData = { identity, user: { id: IDS.alice, name: 'alice@example.com' }, tenancy: IDS.tenancy };
// The fixture wants a user's public key; this check never signs, so a cheap EC key will do.
const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const VCN = 'ocid1.vcn.oc1.iad.aaaaaaaaexamplevcn0001';

const here = (...addresses: string[]): LocalAddress[] => addresses.map((address) => ({ interface: 'eth0', address, family: address.includes(':') ? 'ipv6' : 'ipv4' }));

async function judge(acl: string[], addresses: LocalAddress[], opts: { argv?: string[]; change?: (f: Fixture) => void; facts?: FactsOptions; reach?: ReachData } = {}): Promise<CheckOutcome> {
  const fixture = healthyTenancy(publicKeyPem);
  const adb = fixture.autonomousDatabases[0] as Fixture['autonomousDatabases'][number];
  adb.acl = acl;
  opts.change?.(fixture);
  const deps = { ...testDeps({ argv: opts.argv ?? ['--adb-id', IDS.adb] }), facts: factsFrom(fixture, { ...opts.facts, network: { localAddresses: () => addresses } }) };
  return accessListCheck.run({ deps, dataOf: <T,>(k: DataKey<T>) => (k.checkId === WHOAMI_DATA.checkId ? (alice as T) : k.checkId === REACH_DATA.checkId ? (opts.reach as T) : undefined), codesSoFar: () => [], resultOf: () => undefined }, new AbortController().signal);
}
const codesOf = (o: CheckOutcome) => o.findings.map((f) => f.code);

describe('access list entries', () => {
  it('reads the four forms the API documents, and nothing else', () => {
    expect(parseAclEntry('203.0.113.7')).toMatchObject({ kind: 'public', range: { network: '203.0.113.7', prefix: 32, family: 'ipv4' } });
    expect(parseAclEntry('198.51.100.0/24')).toMatchObject({ kind: 'public', range: { prefix: 24 } });
    expect(parseAclEntry(VCN)).toEqual({ kind: 'vcn', text: VCN, vcnId: VCN, ranges: [] });
    expect(parseAclEntry(`${VCN};10.0.0.0/16`)).toMatchObject({ kind: 'vcn', vcnId: VCN, ranges: [{ network: '10.0.0.0', prefix: 16 }] });
    expect(parseAclEntry(`${VCN};10.0.1.5;10.0.2.0/24`)).toMatchObject({ kind: 'vcn', ranges: [{ prefix: 32 }, { prefix: 24 }] });
    for (const bad of ['203.0.113.300', '203.0.113.0/33', 'example.com', `${VCN};not-an-ip`, '10.0.0.0/8;10.0.0.1']) expect(parseAclEntry(bad).kind, bad).toBe('unreadable');
  });

  it('tells public addresses from private, shared, link-local and unique-local ones', () => {
    for (const a of ['203.0.113.7', '198.51.100.20', '2001:db8::1']) expect(isPublicAddress(a), a).toBe(true);
    for (const a of ['10.1.2.3', '172.20.0.1', '192.168.1.10', '100.64.3.4', '169.254.169.254', 'fe80::1', 'fd00::5', '::ffff:192.168.0.1']) expect(isPublicAddress(a), a).toBe(false);
  });
});

describe('net.access-list from plain facts', () => {
  it('says so when there is no list: the public endpoint takes any address', async () => {
    const out = await judge([], here('192.168.1.10'));
    expect(codesOf(out)).toEqual(['net.acl-open']);
    expect(out.summary).toBe('no access list');
  });

  it('names the private endpoint when the database has one and no list', async () => {
    const out = await judge([], here('192.168.1.10'), { change: (f) => void ((f.autonomousDatabases[0] as Fixture['autonomousDatabases'][number]).privateEndpoint = { label: 'ledger', ip: '10.0.1.17' }) });
    expect(codesOf(out)).toEqual(['net.acl-private-endpoint']);
    expect(out.findings[0]?.evidence['private endpoint']).toContain('(10.0.1.17)');
  });

  it('passes a public address of this machine that a CIDR entry holds', async () => {
    const out = await judge(['198.51.100.0/24', '203.0.113.0/28'], here('10.0.0.4', '203.0.113.9'));
    expect(codesOf(out)).toEqual(['net.acl-allows-client']);
    expect(out.findings[0]?.title).toBe('203.0.113.9 is on the access list of ledger (203.0.113.0/28)');
  });

  it('fails a public address on no entry, with the update that adds it to the existing ones', async () => {
    const out = await judge(['198.51.100.7'], here('203.0.113.9'));
    expect(codesOf(out)).toEqual(['net.acl-blocks-client']);
    expect(out.findings[0]?.severity).toBe('fail');
    expect(out.findings[0]?.fix.commands).toEqual([`oci db autonomous-database update --autonomous-database-id ${IDS.adb} --whitelisted-ips '["198.51.100.7","203.0.113.9"]'`]);
  });

  it('does not guess behind NAT: lists the entries and says the address is unknown', async () => {
    const out = await judge(['198.51.100.7', `${VCN};10.0.0.0/16`], here('192.168.1.10'));
    expect(codesOf(out)).toEqual(['net.acl-client-unknown']);
    expect(out.findings[0]?.severity).toBe('info');
    expect(out.findings[0]?.evidence.entries).toBe(`198.51.100.7; ${VCN} (10.0.0.0/16)`);
    expect(out.findings[0]?.evidence['addresses of this machine']).toBe('192.168.1.10 (private)');
    expect(out.findings[0]?.fix.commands[0]).toContain(`'["198.51.100.7","${VCN};10.0.0.0/16","<your public IP>"]'`);
  });

  it('does not call a public address blocked when a VCN entry may admit the machine through a service gateway', async () => {
    const out = await judge([VCN, '198.51.100.7'], here('203.0.113.9'));
    expect(codesOf(out)).toEqual(['net.acl-client-unknown']);
    const inside = await judge([`${VCN};10.0.0.0/16`], here('10.0.3.3'));
    expect(inside.findings[0]?.evidence['VCN entries holding an address of this machine']).toBe(`10.0.3.3 is in ${VCN} (10.0.0.0/16)`);
  });

  it('does not compare this machine when the database is reached through a local tunnel: the far end is what it sees', async () => {
    const reach: ReachData = { reachable: [{ host: 'localhost', port: 1522, protocol: 'tcps', ip: '127.0.0.1', tcpMs: 1 }] };
    const out = await judge(['198.51.100.7'], here('203.0.113.9'), { reach });
    expect(codesOf(out)).toEqual(['net.acl-client-unknown']);
    expect(out.findings[0]?.evidence.tunnel).toBe('localhost:1522 (127.0.0.1): the database sees the address the tunnel or port-forward leaves from');
    // Reached directly, the same machine's public address is judged.
    const direct = await judge(['198.51.100.7'], here('203.0.113.9'), { reach: { reachable: [{ host: 'adb.us-ashburn-1.oraclecloud.com', port: 1522, protocol: 'tcps', ip: '198.51.100.20', tcpMs: 9 }] } });
    expect(codesOf(direct)).toEqual(['net.acl-blocks-client']);
  });

  it('warns about an entry it cannot read, besides judging the rest', async () => {
    const out = await judge(['203.0.113.0/24', 'office-gateway'], here('203.0.113.9'));
    expect(codesOf(out)).toEqual(['net.acl-entry-unreadable', 'net.acl-allows-client']);
  });

  it('skips without --adb-id, and when the database cannot be read (404, as OCI answers)', async () => {
    expect((await judge(['198.51.100.7'], here('203.0.113.9'), { argv: [] })).skipped).toMatch(/no --adb-id/);
    expect((await judge(['198.51.100.7'], here('203.0.113.9'), { facts: { denied: ['autonomousDatabase'] } })).skipped).toBe('cannot read the database (404 NotAuthorizedOrNotFound)');
  });
});
