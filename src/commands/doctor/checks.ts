// The checks a doctor run loads: the whole catalogue when every check runs,
// else (--only) the selected ones and what they wait for, found in the check
// index, so a run of one check does not load and compile the other twenty-six.
import { CHECK_INDEX, type CheckId } from '../../checks/check-index.js';
import type { DoctorCheck } from '../../checks/deps.js';
import { selectChecks, type Selectable, type SelectionOptions } from '../../core/selection.js';
import type { FindingSpec } from '../../core/types.js';

export async function checksToRun(opts: SelectionOptions): Promise<readonly DoctorCheck[]> {
  // In the index's order, which is the catalogue's: the session selects among them the same way again.
  const chosen = opts.only.length === 0 ? CHECK_INDEX : selectChecks(CHECK_INDEX, opts).checks;
  return Promise.all(chosen.map((c) => c.load()));
}

/** The checks that ask the run's facts for a fresh key pair as they start. */
const KEY_PAIR_USERS: readonly CheckId[] = ['token.db-token'];

/**
 * How many key pairs a run of `checks` (default: the index's, known before
 * any check loads) will ask for: one for the DB token when that check runs
 * (not skipped, not --offline).
 */
export function keyPairsAhead(opts: SelectionOptions, checks: readonly Selectable[] = CHECK_INDEX): number {
  const selection = selectChecks(checks, opts);
  return selection.checks.filter((c) => (KEY_PAIR_USERS as readonly string[]).includes(c.id) && !selection.skipReasons.has(c.id)).length;
}

/** Every finding code's spec (of these checks, else of the catalogue's), loaded when a check asks: db.identity explaining a driver's error. */
export async function catalogueSpecs(checks?: readonly DoctorCheck[]): Promise<ReadonlyMap<string, FindingSpec>> {
  return (await import('../../checks/catalogue.js')).codeSpecs(checks);
}
