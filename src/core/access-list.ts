// An Autonomous Database's access control list (`whitelistedIps` of
// GetAutonomousDatabase) read and matched against this machine's addresses.
// Entries are a public IP, a public CIDR block, a VCN OCID (any address of
// that VCN, through a service gateway), or a VCN OCID followed by `;` and the
// addresses or CIDR blocks within it. Sources: docs/sources.md `adb-acl`,
// `adb-model`.
import { BlockList, isIP } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

export interface AddressRange {
  /** As written in the list, e.g. `203.0.113.0/24` or `203.0.113.7`. */
  text: string;
  network: string;
  prefix: number;
  family: IpFamily;
}

export type AclEntry =
  | { kind: 'public'; text: string; range: AddressRange }
  /** `ranges` empty: every address of the VCN. */
  | { kind: 'vcn'; text: string; vcnId: string; ranges: AddressRange[] }
  | { kind: 'unreadable'; text: string };

/** An address or CIDR block, or undefined when it is neither. */
export function parseRange(text: string): AddressRange | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const v = isIP(address);
  if (v === 0) return undefined;
  const family: IpFamily = v === 4 ? 'ipv4' : 'ipv6';
  const max = v === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { text: text.trim(), network: address, prefix, family };
}

const VCN_OCID = /^ocid1\.vcn\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9]+$/i;

/** One `whitelistedIps` entry. */
export function parseAclEntry(text: string): AclEntry {
  const [head = '', ...rest] = text.trim().split(';');
  if (VCN_OCID.test(head)) {
    // The pieces after the VCN: separated by `;`, and tolerated with `,` too.
    const pieces = rest.flatMap((r) => r.split(',')).map((p) => p.trim()).filter((p) => p !== '');
    const ranges = pieces.map(parseRange);
    if (ranges.some((r) => r === undefined)) return { kind: 'unreadable', text };
    return { kind: 'vcn', text, vcnId: head, ranges: ranges as AddressRange[] };
  }
  const range = rest.length === 0 ? parseRange(head) : undefined;
  return range ? { kind: 'public', text, range } : { kind: 'unreadable', text };
}

export function parseAccessList(entries: readonly string[]): AclEntry[] {
  return entries.filter((e) => e.trim() !== '').map(parseAclEntry);
}

function inRange(address: string, range: AddressRange): boolean {
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (family !== range.family) return false;
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return list.check(address, family);
}

/** Ranges no public internet client is seen from: private, shared (carrier NAT), loopback, link-local, unique-local. */
const NOT_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '0.0.0.0/8', '::1/128', '::/128', 'fe80::/10', 'fc00::/7'];
// Parsed on first use, not at start-up: Node's first IPv6 isIP() builds a large pattern (ms before the first frame).
let notPublicRanges: AddressRange[] | undefined;

/** Whether the database could see this address as a client's public address. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^::ffff:(?=\d+\.)/i, '');
  notPublicRanges ??= NOT_PUBLIC.map((t) => parseRange(t) as AddressRange);
  return isIP(bare) !== 0 && !notPublicRanges.some((r) => inRange(bare, r));
}

export interface AddressVerdict {
  address: string;
  public: boolean;
  /** The public entry that lets this address in (public addresses only). */
  allowedBy?: AclEntry;
  /** VCN entries naming a range that holds this address: it gets in if the machine is in that VCN and goes through its service gateway. */
  inVcnRanges: AclEntry[];
}

export interface AccessListJudgement {
  entries: AclEntry[];
  verdicts: AddressVerdict[];
  /** VCN entries that admit any address of their VCN. */
  wholeVcns: AclEntry[];
}

/** Each of this machine's addresses against the list. */
export function judgeAccessList(entries: readonly string[], addresses: readonly string[]): AccessListJudgement {
  const parsed = parseAccessList(entries);
  const verdicts = addresses.map((raw): AddressVerdict => {
    const address = raw.replace(/^::ffff:(?=\d+\.)/i, '');
    const pub = isPublicAddress(address);
    const allowedBy = pub ? parsed.find((e) => e.kind === 'public' && inRange(address, e.range)) : undefined;
    const inVcnRanges = parsed.filter((e) => e.kind === 'vcn' && e.ranges.some((r) => inRange(address, r)));
    return { address, public: pub, ...(allowedBy ? { allowedBy } : {}), inVcnRanges };
  });
  return { entries: parsed, verdicts, wholeVcns: parsed.filter((e) => e.kind === 'vcn' && e.ranges.length === 0) };
}
