// The header facts every output starts with.
import type { SystemFacts } from '../../adapters/system.js';
import type { DoctorOptions } from '../../core/options.js';

function withSource(value: string, source: string | undefined): string {
  return source && source !== 'flag' ? `${value} (${source})` : value;
}

export function headerContext(options: DoctorOptions, system: SystemFacts): Record<string, string> {
  const s = options.sources;
  return {
    profile: options.profile ? withSource(options.profile, s.profile) : 'DEFAULT',
    auth: options.auth ? withSource(options.auth, s.auth) : 'auto (see Auth mode)',
    region: options.region ? withSource(options.region, s.region) : 'from the profile',
    target: options.dsn ?? options.adbId ?? options.dbtoolsConnectionId ?? 'none given',
    node: `v${system.nodeVersion} ${system.platform} ${system.arch}`,
  };
}
