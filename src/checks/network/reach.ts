// `net.reach`: every address of the connect target resolved (DNS, all
// addresses) and connected to (TCP), each with its timing. The target is
// reachable when at least one address connects, as the driver fails over.
import type { DnsResult, TcpResult } from '../../adapters/net-probe.js';
import { DEFAULT_TIMEOUTS } from '../../core/net-timeouts.js';
import type { ConnectAddress, ConnectTarget } from '../../core/connect/target.js';
import { CONNECT_TARGET_DATA } from './target.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { dataKey } from '../../core/types.js';

export interface ReachableAddress extends ConnectAddress {
  /** The IP address that answered. */
  ip: string;
  tcpMs: number;
}

export interface ReachData {
  reachable: ReachableAddress[];
}

/** Addresses tried per host name (a name with dozens of A records is cut here). */
const MAX_IPS_PER_HOST = 8;

const codes = defineCodes({
  reachable: { code: 'net.reachable', severity: 'info', meaning: 'The database address resolves and accepts TCP connections.', fix: 'Nothing to fix.' },
  dnsFailed: {
    code: 'net.dns-failed',
    severity: 'fail',
    meaning: 'The host name in the connect string does not resolve from this machine.',
    fix: "Check the host name. A private endpoint's name resolves only inside its VCN (or through a DNS forwarder or VPN); from elsewhere use the public endpoint or a tunnel.",
  },
  tcpRefused: {
    code: 'net.tcp-refused',
    severity: 'fail',
    meaning: 'The host answers but nothing listens on that port (connection refused).',
    fix: 'Check the port against the connect string the database gives (ADB: the TLS strings on its Database connection page show 1521; mutual-TLS strings are in the wallet\'s tnsnames.ora). For a tunnel or bastion, check that it is up.',
  },
  tcpTimeout: {
    code: 'net.tcp-timeout',
    severity: 'fail',
    meaning: 'The TCP connection did not complete: packets are dropped (firewall, security list or NSG) or there is no route to the host.',
    fix: 'Allow outbound TCP to the database port from this machine; for a private database, connect from its VCN, a bastion session or a VPN.',
  },
});

interface AddressOutcome {
  address: ConnectAddress;
  dns: DnsResult;
  tcp: { ip: string; result: TcpResult }[];
}

const label = (a: ConnectAddress): string => `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;

/** What this check hands to the checks after it. */
export const REACH_DATA = dataKey<ReachData>('net.reach');

export const reachCheck: DoctorCheck = {
  id: REACH_DATA.checkId,
  title: 'DNS and TCP',
  category: 'network',
  dependsOn: ['connect.target'],
  timeoutMs: DEFAULT_TIMEOUTS.dnsMs + DEFAULT_TIMEOUTS.tcpMs + 2000,
  codes: codes.list,
  async run({ deps, dataOf }, signal) {
    const target = dataOf(CONNECT_TARGET_DATA);
    if (!target) return { skipped: 'no connect target', findings: [] };
    const unique = [...new Map(target.addresses.map((a) => [`${a.protocol}|${a.host}|${a.port}`, a])).values()];
    const outcomes: AddressOutcome[] = await Promise.all(
      unique.map(async (address) => {
        const dns = await deps.facts.network.resolve(address.host, signal);
        if (!dns.ok) return { address, dns, tcp: [] };
        const ips = dns.addresses.slice(0, MAX_IPS_PER_HOST).map((a) => a.address);
        const tcp = await Promise.all(ips.map(async (ip) => ({ ip, result: await deps.facts.network.connect(ip, address.port, signal) })));
        return { address, dns, tcp };
      }),
    );

    const evidence: Record<string, string> = {};
    const reachable: ReachableAddress[] = [];
    for (const o of outcomes) {
      const key = `${o.address.protocol}://${label(o.address)}`;
      if (!o.dns.ok) {
        evidence[key] = `DNS failed after ${o.dns.ms} ms: ${o.dns.code} (${o.dns.message})`;
        continue;
      }
      const dnsPart = o.dns.ms > 0 ? `DNS ${o.dns.ms} ms → ` : '';
      evidence[key] =
        dnsPart +
        o.tcp
          .map(({ ip, result }) => (result.ok ? `${ip} connected in ${result.ms} ms` : `${ip} ${result.kind === 'refused' ? 'refused' : result.kind === 'timeout' ? `no answer in ${result.ms} ms` : `${result.code} (${result.message})`}`))
          .join('; ');
      for (const { ip, result } of o.tcp) if (result.ok) reachable.push({ ...o.address, ip, tcpMs: result.ms });
    }

    if (reachable.length > 0) {
      const first = reachable[0] as ReachableAddress;
      return {
        summary: `${label(first)} (${first.ip}) in ${first.tcpMs} ms${reachable.length > 1 ? `, ${reachable.length} addresses reachable` : ''}`,
        findings: [findingFrom(codes.spec.reachable, { title: `${reachable.length} of ${outcomes.reduce((n, o) => n + Math.max(1, o.tcp.length), 0)} address(es) accept TCP connections`, evidence })],
        data: { reachable } satisfies ReachData,
      };
    }

    const findings = [];
    const dnsFailed = outcomes.filter((o) => !o.dns.ok);
    if (dnsFailed.length > 0) {
      const hosts = [...new Set(dnsFailed.map((o) => o.address.host))];
      findings.push(
        findingFrom(codes.spec.dnsFailed, {
          title: `${hosts.join(', ')} ${hosts.length === 1 ? 'does' : 'do'} not resolve${dnsFailed.some((o) => !o.dns.ok && o.dns.timedOut) ? ' (no DNS answer within 3 s)' : ''}`,
          evidence,
          inspect: hosts.flatMap((h) => [`nslookup ${h}`, `getent hosts ${h}`]),
        }),
      );
    }
    const tcpFailures = outcomes.flatMap((o) => o.tcp.map((t) => ({ address: o.address, ip: t.ip, result: t.result })));
    const refused = tcpFailures.filter((f) => !f.result.ok && f.result.kind === 'refused');
    const dropped = tcpFailures.filter((f) => !f.result.ok && f.result.kind !== 'refused' && f.result.kind !== 'aborted');
    if (refused.length > 0) {
      const where = [...new Set(refused.map((f) => `${f.ip}:${f.address.port}`))];
      findings.push(
        findingFrom(codes.spec.tcpRefused, {
          title: `Connection refused at ${where.join(', ')}: nothing listens there`,
          evidence,
          inspect: [...new Set(refused.map((f) => `nc -vz ${f.address.host} ${f.address.port}`))],
        }),
      );
    }
    if (dropped.length > 0) {
      const where = [...new Set(dropped.map((f) => `${f.ip}:${f.address.port}`))];
      const unreachable = dropped.every((f) => !f.result.ok && f.result.kind === 'unreachable');
      findings.push(
        findingFrom(codes.spec.tcpTimeout, {
          title: unreachable ? `No route to ${where.join(', ')}` : `No TCP answer from ${where.join(', ')} within ${DEFAULT_TIMEOUTS.tcpMs / 1000} s`,
          evidence,
          inspect: [...new Set(dropped.flatMap((f) => [`nc -vz -w 5 ${f.address.host} ${f.address.port}`, `traceroute -T -p ${f.address.port} ${f.address.host}`]))],
        }),
      );
    }
    return { summary: 'unreachable', findings };
  },
};
