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

/** What a check is known by on --only / --skip: its id, its category, and the family its id starts with ('auth' for auth.mode). */
export function selectorsOf(check: { id: string; category: string }): string[] {
  const family = check.id.split('.')[0] ?? check.id;
  return [...new Set([check.id, check.category, family])];
}

/** Whether --only / --skip names pick this check. */
export function matches(check: { id: string; category: string }, names: readonly string[]): boolean {
  return selectorsOf(check).some((s) => names.includes(s));
}

/** What selection reads of a check: the check itself, or its entry in the check index. */
export type Selectable = Pick<Check<never>, 'id' | 'category' | 'dependsOn' | 'after' | 'needsOciApi'>;

export function selectChecks<C extends Selectable>(all: readonly C[], opts: SelectionOptions): Selection<C> {
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
