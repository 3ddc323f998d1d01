// `net.access-list`: does the Autonomous Database's access control list let
// this machine in? The list comes from the database read every check shares
// (facts.oci.autonomousDatabase); this machine's addresses from its own
// interfaces. The address the database sees from behind NAT cannot be known
// without asking an outside service, which the doctor never does: then it
// shows the list and says what it could not decide.
import { judgeAccessList, type AclEntry, type AccessListJudgement } from '../../core/access-list.js';
import { dataKey } from '../../core/types.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import { REACH_DATA } from './reach.js';

const codes = defineCodes({
  open: {
    code: 'net.acl-open',
    severity: 'info',
    meaning: 'The database has no access control list and no private endpoint: its public endpoint accepts clients from any address.',
    fix: 'Nothing to fix.',
  },
  privateEndpoint: {
    code: 'net.acl-private-endpoint',
    severity: 'info',
    meaning: "The database has a private endpoint: clients reach it inside its VCN (or through a VPN, FastConnect or a peered VCN), and the endpoint's network security groups decide who gets in, not a public access list.",
    fix: 'Connect from a network routed to the VCN, and allow this client in the ingress rules of the private endpoint\'s network security group.',
  },
  allows: {
    code: 'net.acl-allows-client',
    severity: 'info',
    meaning: "A public address of this machine is on the database's access control list.",
    fix: 'Nothing to fix.',
  },
  blocks: {
    code: 'net.acl-blocks-client',
    severity: 'fail',
    meaning: "The database has an access control list, and this machine's public address is on none of its entries: the database refuses its connections.",
    fix: "Add this machine's public address (or its CIDR block) to the database's access control list, or connect from a network already on it.",
  },
  unknown: {
    code: 'net.acl-client-unknown',
    severity: 'info',
    meaning: "The database has an access control list, and the doctor cannot tell whether this machine is on it: the machine has no public address of its own (it is behind NAT or a proxy, and the address the database sees cannot be known without asking an outside service), only VCN entries could admit it, through a service gateway the doctor cannot see, or the database is reached through a local tunnel whose far end is what it sees.",
    fix: "Compare the entries with the public address your network leaves from (the console's Add my IP address button shows it); add it if it is missing.",
  },
  unreadable: {
    code: 'net.acl-entry-unreadable',
    severity: 'warn',
    meaning: 'An access control list entry is neither an IP address, a CIDR block, a VCN OCID nor a VCN OCID with addresses after a semicolon; it admits nobody the doctor can tell.',
    fix: 'Rewrite the entry as an address, a CIDR block, a VCN OCID, or VCN_OCID;address.',
  },
});

export interface AccessListData {
  judgement: AccessListJudgement;
}

/** What this check hands to the checks after it. */
export const ACCESS_LIST_DATA = dataKey<AccessListData>('net.access-list');

const isLoopback = (ip: string): boolean => ip === '::1' || /^(::ffff:)?127\./i.test(ip);

const describe = (e: AclEntry): string => (e.kind === 'vcn' ? (e.ranges.length === 0 ? `${e.vcnId} (any address of the VCN)` : `${e.vcnId} (${e.ranges.map((r) => r.text).join(', ')})`) : e.text);

export const accessListCheck: DoctorCheck = {
  id: ACCESS_LIST_DATA.checkId,
  title: 'Database access list',
  category: 'network',
  dependsOn: ['identity.whoami'],
  // The addresses the connect string reached: through a local tunnel, the database sees the tunnel's far end.
  after: ['net.reach'],
  timeoutMs: 15000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const adbId = deps.options.adbId;
    if (!adbId) return { skipped: 'no --adb-id: the access list is read from the database', findings: [] };
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'no signing identity (see Who am I)', findings: [] };
    const adb = await deps.facts.oci.autonomousDatabase(who.identity, adbId);
    if (!adb.ok) return { skipped: `cannot read the database (${adb.status} ${adb.code})`, findings: [] };
    const db = adb.value;
    const list = (db.whitelistedIps ?? []).filter((e) => e.trim() !== '');
    const where = { database: db.id, request: adb.request, ...(db.privateEndpoint ? { 'private endpoint': `${db.privateEndpoint}${db.privateEndpointIp ? ` (${db.privateEndpointIp})` : ''}` } : {}) };

    if (list.length === 0) {
      const finding = db.privateEndpoint
        ? findingFrom(codes.spec.privateEndpoint, { title: `${db.displayName} is reached through its private endpoint ${db.privateEndpoint}`, evidence: where })
        : findingFrom(codes.spec.open, { title: `${db.displayName} has no access control list: any address may connect`, evidence: where });
      return { summary: db.privateEndpoint ? 'private endpoint' : 'no access list', findings: [finding] };
    }

    const reached = dataOf(REACH_DATA)?.reachable ?? [];
    const tunnel = reached.length > 0 && reached.every((r) => isLoopback(r.ip)) ? reached[0] : undefined;
    const local = tunnel ? [] : deps.facts.network.localAddresses();
    const judgement = judgeAccessList(list, local.map((a) => a.address));
    const evidence: Record<string, string> = {
      ...where,
      entries: judgement.entries.map(describe).join('; '),
      'addresses of this machine': tunnel ? '(not compared: the connect string reaches the database through this machine\'s loopback)' : local.length > 0 ? judgement.verdicts.map((v) => `${v.address} (${v.public ? 'public' : 'private'})`).join(', ') : '(none but loopback)',
    };
    if (tunnel) evidence.tunnel = `${tunnel.host}:${tunnel.port} (${tunnel.ip}): the database sees the address the tunnel or port-forward leaves from`;
    const findings = [];
    const unreadable = judgement.entries.filter((e) => e.kind === 'unreadable');
    if (unreadable.length > 0) findings.push(findingFrom(codes.spec.unreadable, { title: `${unreadable.length} access list ${unreadable.length === 1 ? 'entry is' : 'entries are'} not an address, CIDR block or VCN: ${unreadable.map((e) => e.text).join(', ')}`, evidence: { database: db.id, entries: unreadable.map((e) => e.text).join('; ') } }));

    const inVcn = [...new Set(judgement.verdicts.flatMap((v) => v.inVcnRanges.map((e) => `${v.address} is in ${describe(e)}`)))];
    if (inVcn.length > 0) evidence['VCN entries holding an address of this machine'] = inVcn.join('; ');
    const allowed = judgement.verdicts.find((v) => v.allowedBy);
    const publicOnes = judgement.verdicts.filter((v) => v.public);
    const update = `oci db autonomous-database update --autonomous-database-id ${db.id} --whitelisted-ips '${JSON.stringify([...list, publicOnes[0]?.address ?? '<your public IP>'])}'`;

    if (allowed?.allowedBy) {
      findings.push(findingFrom(codes.spec.allows, { title: `${allowed.address} is on the access list of ${db.displayName} (${allowed.allowedBy.text})`, evidence }));
      return { summary: `${allowed.address} allowed`, findings, data: { judgement } satisfies AccessListData };
    }
    // VCN entries let in traffic that comes through a service gateway; whether this machine's does cannot be seen from here.
    const vcnMayApply = inVcn.length > 0 || judgement.wholeVcns.length > 0;
    if (publicOnes.length > 0 && !vcnMayApply) {
      findings.push(findingFrom(codes.spec.blocks, { title: `${publicOnes.map((v) => v.address).join(', ')} ${publicOnes.length === 1 ? 'is' : 'are'} on no entry of the access list of ${db.displayName}`, evidence, commands: [update] }));
      return { summary: 'this machine is not on the access list', findings, data: { judgement } satisfies AccessListData };
    }
    const why = tunnel ? `it is reached through a local tunnel (${tunnel.ip}:${tunnel.port}), whose far end is the address it sees` : publicOnes.length > 0 ? 'its VCN entries may admit this machine through a service gateway' : 'this machine has no public address of its own';
    findings.push(findingFrom(codes.spec.unknown, { title: `${db.displayName} admits only the ${list.length} entr${list.length === 1 ? 'y' : 'ies'} of its access list; ${why}`, evidence, commands: [update] }));
    return { summary: `${list.length} access list entr${list.length === 1 ? 'y' : 'ies'}, your address unknown`, findings, data: { judgement } satisfies AccessListData };
  },
};
