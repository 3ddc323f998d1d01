// The reads a policy decision needs, from the API or from the exported files
// the user passes instead (--policies, --dynamic-groups): the compartments
// above a target, the policies attached along that path, the tenancy's
// dynamic groups. A failure comes back as the parts of a finding; each check
// wraps it in its own code.
import type { OciFailure } from '../../adapters/oci-sdk.js';
import { CompartmentTree, type CompartmentInput, type PolicyInput } from '../../core/policy/index.js';
import type { DoctorDeps } from '../deps.js';
import type { DynamicGroupRead, FactFailure, OciReads, SigningIdentity } from '../facts.js';
import type { Finding } from '../../core/types.js';
import type { FindingParts } from '../finding.js';
import { strainFinding } from '../service-strain.js';
import { loadDynamicGroupFile, loadPolicyFile } from './inputs.js';

/** A failed read: the finding parts, and `strain` when OCI throttled or failed it to the end (report that instead). */
export type WorldRead<T> = { ok: true; value: T; source: string; problems: string[] } | { ok: false; problem: FindingParts; strain?: Finding };

/** `strain` for a read given up on a busy or failing service. */
function strainOf(f: FactFailure, what: string): { strain?: Finding } {
  const strain = strainFinding(f, what);
  return strain ? { strain } : {};
}

export function answerText(f: OciFailure): string {
  return `${f.status === 0 ? 'no answer' : `${f.status} ${f.code}`}${f.message ? `: ${f.message}` : ''}`;
}

/** `404 NotAuthorizedOrNotFound`, or `no answer`. */
export function statusText(f: OciFailure): string {
  return f.status === 0 ? 'no answer' : `${f.status} ${f.code}`;
}

export function failureEvidence(f: FactFailure): Record<string, string> {
  const evidence: Record<string, string> = { request: f.request, answer: answerText(f) };
  if (f.opcRequestId) evidence['opc-request-id'] = f.opcRequestId;
  return evidence;
}

/** The shell lines that export every policy the decision needs into one file. */
export function exportCommands(compartmentIds: readonly string[]): string[] {
  if (compartmentIds.length === 1) return [`oci iam policy list --all --compartment-id ${compartmentIds[0]} > policies.json`];
  return [
    `for c in ${compartmentIds.join(' ')}; do oci iam policy list --all --compartment-id "$c"; done | jq -s '{data: (map(.data) | add // [])}' > policies.json`,
  ];
}

/**
 * The compartment tree, complete at least from `compartmentId` up to the root:
 * the listing (`known`, when it was read) or else the compartments read one by one.
 */
export async function compartmentsAbove(oci: OciReads, id: SigningIdentity, tenancyId: string, compartmentId: string, targetName: string, known?: CompartmentInput[]): Promise<WorldRead<CompartmentInput[]>> {
  if (known && new CompartmentTree(tenancyId, known).has(compartmentId)) return { ok: true, value: known, source: 'listed', problems: [] };
  const walk = await oci.compartmentAncestry(id, tenancyId, compartmentId);
  if (!walk.ok) {
    return {
      ok: false,
      ...strainOf(walk, 'reading the compartments'),
      problem: {
        title: `Cannot read the compartments above ${targetName} (${walk.status} ${walk.code})`,
        detail: 'Statements name compartments by path (compartment Prod:Finance), so the decision needs the compartment tree; neither listing it nor reading the compartments one by one was allowed.',
        evidence: failureEvidence(walk),
        commands: [`oci iam compartment list --all --compartment-id-in-subtree true --compartment-id ${tenancyId} > compartments.json`],
        fixText: 'Ask for `inspect compartments` in the tenancy, or run `dbiam-doctor policy explain` with exported files (--policies, --compartments).',
      },
    };
  }
  return { ok: true, value: [...(known ?? []).filter((c) => !walk.value.some((w) => w.id === c.id)), ...walk.value], source: 'read one by one', problems: [] };
}

/**
 * The policies from --policies, or read from every compartment of `ancestry` (a grant can come from any of them).
 * `target` names whose compartment the ancestry starts at (`the database`), `decides` what is decided (`whether IAM lets it connect`).
 */
export async function policiesAlong(deps: DoctorDeps, id: SigningIdentity, tenancyId: string, compartments: readonly CompartmentInput[], ancestry: readonly string[], words: { target: string; decides: string }): Promise<WorldRead<PolicyInput[]>> {
  if (deps.options.policies) {
    const loaded = await loadPolicyFile(deps.files, deps.options.policies, tenancyId);
    if (!loaded.ok) {
      return { ok: false, problem: { title: `Cannot use --policies ${deps.options.policies}`, detail: loaded.reason, evidence: { file: deps.options.policies }, commands: exportCommands(ancestry), fixText: 'Export the policies again and pass the file with --policies.' } };
    }
    return { ok: true, value: loaded.value, source: `from ${deps.options.policies}`, problems: loaded.problems };
  }
  const tree = new CompartmentTree(tenancyId, compartments);
  const reads = await Promise.all(ancestry.map(async (c) => ({ c, res: await deps.facts.oci.policies(id, c) })));
  const failed = reads.filter((r) => !r.res.ok);
  if (failed.length > 0) {
    const first = failed[0]?.res as FactFailure;
    const evidence = failureEvidence(first);
    evidence.unreadable = failed.map((r) => tree.describe(r.c)).join(', ');
    return {
      ok: false,
      ...strainOf(first, 'listing policies'),
      problem: {
        title: `Cannot list the policies of ${failed.map((r) => tree.describe(r.c)).join(', ')} (${statusText(first)})`,
        detail: `The caller may not read the policies (that needs \`inspect policies\` in each compartment from ${words.target}’s up to the tenancy), so the doctor cannot tell ${words.decides}. This alone does not mean access is denied.`,
        evidence,
        commands: exportCommands(ancestry),
        fixText: 'Ask an administrator to run the command below (it needs `inspect policies`) and run the doctor again with --policies policies.json.',
      },
    };
  }
  return { ok: true, value: reads.flatMap((r) => (r.res.ok ? r.res.value : [])), source: `read from ${ancestry.map((c) => tree.describe(c)).join(', ')}`, problems: [] };
}

/** The tenancy's dynamic groups, from --dynamic-groups or Identity. */
export async function dynamicGroupsRead(deps: DoctorDeps, id: SigningIdentity, tenancyId: string, why: string): Promise<WorldRead<DynamicGroupRead[]>> {
  if (deps.options.dynamicGroups) {
    const loaded = await loadDynamicGroupFile(deps.files, deps.options.dynamicGroups);
    if (!loaded.ok) return { ok: false, problem: { title: `Cannot use --dynamic-groups ${deps.options.dynamicGroups}`, detail: loaded.reason, evidence: { file: deps.options.dynamicGroups }, commands: ['oci iam dynamic-group list --all > dynamic-groups.json'] } };
    return { ok: true, value: loaded.value, source: `from ${deps.options.dynamicGroups}`, problems: loaded.problems };
  }
  const res = await deps.facts.oci.dynamicGroups(id, tenancyId);
  if (!res.ok) {
    return {
      ok: false,
      ...strainOf(res, 'listing the dynamic groups'),
      problem: {
        title: `Cannot list the dynamic groups (${statusText(res)})`,
        detail: `${why} Reading them needs \`inspect dynamic-groups\` in the tenancy.`,
        evidence: failureEvidence(res),
        commands: ['oci iam dynamic-group list --all > dynamic-groups.json'],
      },
    };
  }
  return { ok: true, value: res.value, source: 'read from Identity', problems: [] };
}
