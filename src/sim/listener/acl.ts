// The simulated listener's access list, entry by entry as ADB takes them: an
// IP address, a CIDR block, or a VCN (its OCID, optionally followed by IPs or
// CIDRs inside it). A VCN entry admits only clients coming from inside that
// VCN through a private route — never a client on loopback, which stands for
// the public internet here — so it never matches. Small on purpose: the
// doctor's own matcher lives in src/core and is not reused by the stand-in.
import net from 'node:net';

/** Whether `client` (an IPv4 or IPv6 address) is admitted by any entry. */
export function aclAdmits(entries: readonly string[], client: string): boolean {
  return entries.some((e) => entryAdmits(e.trim(), client));
}

function entryAdmits(entry: string, client: string): boolean {
  if (/^ocid1\.vcn\./i.test(entry)) return false;
  const [base, bitsText] = entry.split('/');
  const network = bytesOf(base ?? '');
  const addr = bytesOf(client);
  if (!network || !addr || network.length !== addr.length) return false;
  const bits = bitsText === undefined ? network.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > network.length * 8) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if (((network[i >> 3] as number) & mask) !== ((addr[i >> 3] as number) & mask)) return false;
  }
  return true;
}

/** 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address counts as IPv4). */
function bytesOf(ip: string): number[] | undefined {
  const bare = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (net.isIPv4(bare)) return bare.split('.').map(Number);
  if (!net.isIPv6(bare)) return undefined;
  const [head = '', tail] = bare.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const words = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}
