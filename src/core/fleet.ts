// Many runs of the doctor at once (pods, VMs): one row per host, one column
// per link of the chain (category), the findings most hosts share first, and
// the hosts whose links differ from what most hosts see.
import { factsOf } from './report/facts.js';
import type { ParsedReport } from './report/parse.js';
import { CATEGORIES, type Status } from './types.js';

/** A link's state on one host: the worst of its checks; 'absent' when the report has none of them. */
export type LinkState = Status | 'absent';

export interface FleetHost {
  host: string;
  version?: string;
  authMode?: string;
  links: Record<string, LinkState>;
  /** The first check (chain order) that failed or errored, if any. */
  firstBroken?: string;
  /** Problem codes (warn and worse) in chain order. */
  problems: string[];
  interrupted: boolean;
}

export interface SharedFinding {
  code: string;
  title: string;
  severity: string;
  link: string;
  hosts: string[];
}

export interface Outlier {
  host: string;
  differs: { link: string; state: LinkState; majority: LinkState }[];
}

export interface FleetSummary {
  links: string[];
  hosts: FleetHost[];
  /** What most hosts see on each link (ties go to the worse state). */
  majority: Record<string, LinkState>;
  findings: SharedFinding[];
  outliers: Outlier[];
  /** Hosts with no failing or erroring link. */
  healthy: string[];
}

/** Worst first: the order a tie and a link's state are decided by. */
const SEVERITY: readonly LinkState[] = ['error', 'fail', 'warn', 'pass', 'skip', 'absent'];
const worseOf = (a: LinkState, b: LinkState): LinkState => (SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b);

function linkState(report: ParsedReport, link: string): LinkState {
  const checks = report.checks.filter((c) => c.category === link);
  if (checks.length === 0) return 'absent';
  // A link holds when its checks that ran pass; skips count only when nothing ran.
  const ran = checks.filter((c) => c.status !== 'skip');
  return ran.length === 0 ? 'skip' : ran.map((c) => c.status as LinkState).reduce(worseOf);
}

export function summarizeFleet(reports: readonly { host: string; report: ParsedReport }[]): FleetSummary {
  const known = CATEGORIES as readonly string[];
  const seen = new Set<string>();
  for (const { report } of reports) for (const c of report.checks) seen.add(c.category);
  // The chain's order for the categories the doctor knows, then any a newer version added.
  const links = [...known.filter((c) => seen.has(c)), ...[...seen].filter((c) => !known.includes(c)).sort()];

  const hosts: FleetHost[] = reports.map(({ host, report }) => {
    const facts = factsOf(report);
    const broken = report.checks.find((c) => c.status === 'fail' || c.status === 'error');
    const authMode = facts.find((f) => f.name === 'auth mode')?.value;
    return {
      host,
      ...(report.version ? { version: report.version } : {}),
      ...(authMode ? { authMode } : {}),
      links: Object.fromEntries(links.map((l) => [l, linkState(report, l)])),
      ...(broken ? { firstBroken: broken.id } : {}),
      problems: report.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code)),
      interrupted: report.interrupted,
    };
  });

  const majority: Record<string, LinkState> = {};
  for (const l of links) {
    const counts = new Map<LinkState, number>();
    for (const h of hosts) counts.set(h.links[l] as LinkState, (counts.get(h.links[l] as LinkState) ?? 0) + 1);
    majority[l] = [...counts.entries()].reduce((best, cur) => (cur[1] > best[1] || (cur[1] === best[1] && worseOf(cur[0], best[0]) === cur[0]) ? cur : best))[0];
  }

  const byCode = new Map<string, SharedFinding>();
  const chainIndex = new Map<string, number>();
  reports.forEach(({ host, report }) => {
    for (const c of report.checks) {
      for (const f of c.findings) {
        if (f.severity === 'info') continue;
        if (!chainIndex.has(f.code)) chainIndex.set(f.code, links.indexOf(c.category) * 1000 + report.checks.indexOf(c));
        const entry = byCode.get(f.code) ?? { code: f.code, title: f.title, severity: f.severity, link: c.category, hosts: [] };
        if (!entry.hosts.includes(host)) entry.hosts.push(host);
        byCode.set(f.code, entry);
      }
    }
  });
  const findings = [...byCode.values()].sort((a, b) => b.hosts.length - a.hosts.length || (chainIndex.get(a.code) ?? 0) - (chainIndex.get(b.code) ?? 0));

  const outliers: Outlier[] = hosts
    .map((h) => ({ host: h.host, differs: links.filter((l) => h.links[l] !== majority[l]).map((l) => ({ link: l, state: h.links[l] as LinkState, majority: majority[l] as LinkState })) }))
    .filter((o) => o.differs.length > 0);
  const healthy = hosts.filter((h) => !h.firstBroken).map((h) => h.host);
  return { links, hosts, majority, findings, outliers, healthy };
}
