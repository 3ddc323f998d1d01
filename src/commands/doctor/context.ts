// The header facts every output starts with: what was asked for before the
// run, then what the run resolved (the profile's region, the auth mode the
// SDK would pick, the address the connect string names).
import type { SystemFacts } from '../../adapters/system.js';
import type { DoctorOptions } from '../../core/options.js';
import type { CheckResult } from '../../core/types.js';
import { evidenceValue as valueOf } from '../../core/evidence.js';

function withSource(value: string, source: string | undefined): string {
  return source && source !== 'flag' ? `${value} (${source})` : value;
}

/** Before the run: the values given; what the run decides is marked as pending until resolvedContext fills it. */
export function headerContext(options: DoctorOptions, system: SystemFacts): Record<string, string> {
  const s = options.sources;
  return {
    profile: options.profile ? withSource(options.profile, s.profile) : 'DEFAULT',
    auth: options.auth ? withSource(options.auth, s.auth) : 'auto',
    region: options.region ? withSource(options.region, s.region) : 'not resolved yet',
    target: options.dsn ?? options.adbId ?? options.dbtoolsConnectionId ?? 'none given',
    node: `v${system.nodeVersion} ${system.platform} ${system.arch}`,
  };
}

/** Evidence values carry "  ← file:line" provenance; the header wants the value. */
function evidenceValue(check: CheckResult | undefined, key: string): string | undefined {
  for (const f of check?.findings ?? []) {
    const v = f.evidence[key];
    if (v !== undefined) return valueOf(v) || undefined;
  }
  return undefined;
}

function ran(check: CheckResult | undefined): CheckResult | undefined {
  return check && check.status !== 'skip' && check.summary !== '' ? check : undefined;
}

/**
 * After the run: the header with the values the checks resolved. A value given
 * on the command line stays; one the run could not resolve says so, never
 * "from the profile".
 */
export function resolvedContext(context: Record<string, string>, results: readonly CheckResult[]): Record<string, string> {
  const byId = (id: string): CheckResult | undefined => results.find((r) => r.id === id);
  const profileCheck = byId('profile.config');
  const out = { ...context };
  const profile = evidenceValue(profileCheck, 'profile');
  if (profile) out.profile = profile;
  const mode = ran(byId('auth.mode'));
  if (mode && out.auth === 'auto') out.auth = mode.summary;
  if (out.region === 'not resolved yet') out.region = evidenceValue(profileCheck, 'region') ?? 'not resolved (the profile was not read)';
  const target = byId('connect.target');
  if (target?.status === 'pass' && target.summary) out.target = target.summary;
  return out;
}
