import { defaultScope, parseDbScope, type DbScope } from '../../core/db-scope.js';
import { PROFILE_DATA } from '../profile/config.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { ProfileData } from '../profile/config.js';
import { dataKey } from '../../core/types.js';

export interface ScopeData {
  text: string;
  scope: DbScope;
  /** Where the scope came from: --scope, or the default for the tenancy. */
  source: string;
}

const codes = defineCodes({
  malformed: {
    code: 'token.scope-malformed',
    severity: 'fail',
    meaning: 'The DB-token scope is not urn:oracle:db::id::* / ::<compartment or tenancy OCID> / ::<compartment OCID>::<database OCID>; the IAM data plane answers such a request with 404 NotAuthorizedOrNotFound.',
    fix: 'Use one of the three scope forms; the narrowest names the database’s compartment and the database.',
  },
});

/** What this check hands to the checks after it. */
export const SCOPE_DATA = dataKey<ScopeData>('token.scope');

export const tokenScopeCheck: DoctorCheck = {
  id: SCOPE_DATA.checkId,
  title: 'DB token scope',
  category: 'token',
  // A --scope given explicitly is checked even when no credentials were found: wait for the profile, do not depend on it.
  dependsOn: [],
  after: ['auth.mode', 'profile.config'],
  timeoutMs: 2000,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const given = deps.options.scope;
    const tenancy = dataOf(PROFILE_DATA)?.values.get('tenancy')?.value;
    if (!given && !tenancy) return { skipped: 'no --scope, and no tenancy known before the signed call', findings: [] };
    const text = given ?? defaultScope(tenancy as string);
    const source = given ? (deps.options.sources.scope === 'flag' ? '--scope' : (deps.options.sources.scope ?? '--scope')) : 'default: the tenancy';
    const parsed = parseDbScope(text);
    if (!parsed.ok) {
      return {
        summary: 'malformed',
        findings: [findingFrom(codes.spec.malformed, { title: `The DB token scope is malformed: ${parsed.problem}`, evidence: { scope: text, source }, commands: tenancy ? [`--scope ${defaultScope(tenancy)}`] : [] })],
      };
    }
    const data: ScopeData = { text, scope: parsed.scope, source };
    return { summary: `${text} (${source})`, findings: [], data };
  },
};
