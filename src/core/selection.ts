// Which checks run: --only (with what they depend on or wait for), --skip, --offline.
import { waitsFor } from './engine.js';
import type { Check } from './types.js';

export interface Selection<C> {
  checks: C[];
  skipReasons: Map<string, string>;
}

export interface SelectionOptions {
  only: readonly string[];
  skip: readonly string[];
  offline: boolean;
}

function matches(check: Check<never>, names: readonly string[]): boolean {
  return names.includes(check.id) || names.includes(check.category);
}

export function selectChecks<C extends Check<never>>(all: readonly C[], opts: SelectionOptions): Selection<C> {
  let checks = [...all];
  if (opts.only.length > 0) {
    const byId = new Map(all.map((c) => [c.id, c]));
    const wanted = new Set<string>();
    const add = (c: C): void => {
      if (wanted.has(c.id)) return;
      wanted.add(c.id);
      for (const d of waitsFor(c)) {
        const dep = byId.get(d);
        if (dep) add(dep);
      }
    };
    all.filter((c) => matches(c, opts.only)).forEach(add);
    checks = all.filter((c) => wanted.has(c.id));
  }
  const skipReasons = new Map<string, string>();
  for (const c of checks) {
    if (matches(c, opts.skip)) skipReasons.set(c.id, 'skipped by --skip');
    else if (opts.offline && c.needsOciApi) skipReasons.set(c.id, 'skipped: --offline (needs the OCI API)');
  }
  return { checks, skipReasons };
}
