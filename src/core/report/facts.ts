// The facts of a run that explain why two hosts behave differently (auth
// mode, principal, the policy statement that granted, scope, names, connect
// string, TLS trust, wallet expiry, versions, clock), read back from a JSON
// report. Each fact says which check holds it, so a report from a doctor
// version without that check is "not compared" rather than "different".
import type { ParsedCheck, ParsedReport } from './parse.js';
import { evidenceValue } from '../evidence.js';

export interface FactSpec {
  name: string;
  /** The check that records it, or 'context' / 'tool' for the report header. */
  source: string;
  read(report: ParsedReport, check: ParsedCheck | undefined): string | undefined;
}

/** Evidence values carry "  ← file:line" provenance; the value is what matters. */
function bare(v: string | undefined): string | undefined {
  return v === undefined ? undefined : evidenceValue(v) || undefined;
}

function evidence(check: ParsedCheck | undefined, key: string): string | undefined {
  for (const f of check?.findings ?? []) if (f.evidence[key] !== undefined) return bare(f.evidence[key]);
  return undefined;
}

function evidenceAll(check: ParsedCheck | undefined, key: string): string[] {
  return (check?.findings ?? []).map((f) => bare(f.evidence[key])).filter((v): v is string => v !== undefined);
}

/** The summary of a check that ran (a skip's summary is why it did not run, not a fact). */
function ran(check: ParsedCheck | undefined): string | undefined {
  return check && check.status !== 'skip' && check.summary !== '' ? check.summary : undefined;
}

export const FACTS: readonly FactSpec[] = [
  { name: 'doctor version', source: 'tool', read: (r) => r.version },
  { name: 'Node', source: 'context', read: (r) => r.context.node },
  {
    name: 'driver (node-oracledb)',
    source: 'env.runtime',
    // What env.runtime saw, else the node-oracledb the report's tool names (reports since tool.nodeOracledb).
    read: (r, c) => /node-oracledb[ @v]*(\d+\.\d+\.\d+)/i.exec([c?.summary ?? '', ...Object.values(c?.findings[0]?.evidence ?? {})].join(' '))?.[1] ?? r.nodeOracledb,
  },
  { name: 'auth mode', source: 'auth.mode', read: (r, c) => /^[a-z_]+/.exec(ran(c) ?? r.context.auth ?? '')?.[0] },
  { name: 'profile', source: 'context', read: (r) => r.context.profile },
  { name: 'Kubernetes workload', source: 'auth.mode', read: (_r, c) => / · pod (\S+)/.exec(c?.summary ?? '')?.[1] },
  // An unresolved header region ("not resolved …", or "from the profile" in older reports) is not a region.
  { name: 'region', source: 'profile.config', read: (r, c) => evidence(c, 'region') ?? (/^[a-z]+-[a-z]+-\d+$/.test(r.context.region ?? '') ? r.context.region : undefined) },
  { name: 'principal', source: 'identity.whoami', read: (_r, c) => ran(c) },
  {
    name: 'groups / dynamic groups',
    source: 'policy.access',
    read: (_r, c) => [...new Set(evidenceAll(c, 'caller'))].join('; ') || undefined,
  },
  { name: 'policy that granted', source: 'policy.access', read: (_r, c) => [...new Set(evidenceAll(c, 'granted by'))].join('; ') || undefined },
  { name: 'DB token scope', source: 'token.scope', read: (r, c) => /^\S+/.exec(ran(c) ?? '')?.[0] ?? evidence(r.checks.find((x) => x.id === 'token.db-token'), 'scope') },
  { name: 'Database Username', source: 'dbuser.name', read: (_r, c) => ran(c) },
  { name: 'connect string', source: 'connect.target', read: (r, c) => evidence(c, 'descriptor') ?? ran(c) ?? r.context.target },
  {
    name: 'TLS trust source',
    source: 'tls.chain',
    read: (_r, c) => {
      const verified = Object.entries(c?.findings[0]?.evidence ?? {})
        .filter(([k, v]) => k.startsWith('trust: ') && v.startsWith('verified'))
        .map(([k]) => k.slice('trust: '.length));
      const consults = evidence(c, 'node-oracledb consults');
      return [verified.length ? `verified by ${verified.join(', ')}` : c && c.status !== 'skip' ? 'verified by none' : '', consults ? `driver uses ${consults}` : ''].filter(Boolean).join('; ') || undefined;
    },
  },
  { name: 'TLS chain', source: 'tls.chain', read: (_r, c) => evidence(c, 'chain sent (in order sent)') },
  { name: 'wallet expiry', source: 'wallet.dir', read: (_r, c) => /expires (\d{4}-\d{2}-\d{2})/.exec(c?.summary ?? '')?.[1] ?? evidence(c, 'README') },
  {
    name: 'clock offset',
    source: 'identity.whoami',
    read: (_r, c) => {
      const local = evidence(c, 'local clock');
      if (local) return /\(([^)]*)\)\s*$/.exec(local)?.[1] ?? local;
      return c?.status === 'pass' ? 'within 5 min (signed call accepted)' : undefined;
    },
  },
];

export interface FactValue {
  name: string;
  /** Undefined when the run recorded no value for it. */
  value?: string;
  /** False when the report has no such check (another doctor version, or --only/--skip left it out). */
  available: boolean;
}

export function factsOf(report: ParsedReport): FactValue[] {
  return FACTS.map((spec) => {
    const check = spec.source === 'tool' || spec.source === 'context' ? undefined : report.checks.find((c) => c.id === spec.source);
    const header = spec.source === 'tool' || spec.source === 'context';
    const value = header || check !== undefined ? spec.read(report, check) : undefined;
    // A header field an older doctor did not write is as absent as a missing check.
    const available = header ? value !== undefined : check !== undefined;
    return { name: spec.name, available, ...(value !== undefined ? { value } : {}) };
  });
}
