// policy.offline: under --offline, the same decision as policy.access, made
// from exported files. Offline nothing says who the caller is or where the
// database lives, so they come from options: the caller from --as (or the
// group of --mapping 'IAM_GROUP_NAME=…'), the place from --in.
//
// A separate check because policy.access depends on identity.whoami, which
// --offline skips (and a skipped dependency stops its dependents). It reports
// the codes policy.access declares.
import { CompartmentTree, type DynamicGroupInput } from '../../core/policy/index.js';
import { QueryError, UNKNOWN_TENANCY, groupsOfMapping, parseTargetVariables, resolvePrincipal, resolveLocationText, tenancyOf, type CompartmentFile } from '../../core/policy-query.js';
import type { CheckOutcome } from '../../core/types.js';
import type { DoctorCheck } from '../deps.js';
import { findingFrom } from '../finding.js';
import { POLICY_CODES as codes } from './codes.js';
import { loadCompartmentFile, loadDynamicGroupFile, loadPolicyFile } from './inputs.js';
import { PolicyJudge, type AccessQuestion, type DynamicGroupFacts } from './judge.js';

function problem(spec: (typeof codes.spec)['unreadable'] | (typeof codes.spec)['dgUnreadable'], title: string, detail: string, command: string): CheckOutcome {
  return { summary: 'files unusable: no decision', findings: [findingFrom(spec, { title, detail, commands: [command] })] };
}

export const policyOfflineCheck: DoctorCheck = {
  id: 'policy.offline',
  title: 'IAM policy, decided from exported files (--offline)',
  category: 'policy',
  dependsOn: [],
  timeoutMs: 30000,
  codes: [],
  async run({ deps }) {
    const o = deps.options;
    if (!o.offline) return { skipped: 'online, policy.access decides (it reads --policies too)', findings: [] };
    if (!o.policies) return { skipped: '--offline and no --policies FILE: no policies to decide from', findings: [] };
    if (!o.in) return { skipped: "offline, the database's compartment is unknown: give it with --in 'compartment A:B' (its path from the tenancy)", findings: [] };
    const mappedGroups = groupsOfMapping(o.mapping);
    if (o.as.length === 0 && mappedGroups.length === 0) {
      return { skipped: "offline, the caller is unknown: name it with --as group:NAME (or --mapping 'IAM_GROUP_NAME=…')", findings: [] };
    }

    let compartmentFile: CompartmentFile | undefined;
    if (o.compartments) {
      const loaded = await loadCompartmentFile(deps.files, o.compartments);
      if (!loaded.ok) return problem(codes.spec.unreadable, `Cannot use --compartments ${o.compartments}`, loaded.reason, 'oci iam compartment list --all --compartment-id-in-subtree true > compartments.json');
      compartmentFile = loaded.value;
    }
    const loaded = await loadPolicyFile(deps.files, o.policies, compartmentFile?.rootId ?? UNKNOWN_TENANCY);
    if (!loaded.ok) return problem(codes.spec.unreadable, `Cannot use --policies ${o.policies}`, loaded.reason, 'oci iam policy list --all --compartment-id <compartment ocid> > policies.json');
    const policies = loaded.value;
    const tenancyId = tenancyOf(compartmentFile, policies) ?? UNKNOWN_TENANCY;

    let dynamicGroupList: DynamicGroupInput[] = [];
    if (o.dynamicGroups) {
      const dgs = await loadDynamicGroupFile(deps.files, o.dynamicGroups);
      if (!dgs.ok) return problem(codes.spec.dgUnreadable, `Cannot use --dynamic-groups ${o.dynamicGroups}`, dgs.reason, 'oci iam dynamic-group list --all > dynamic-groups.json');
      dynamicGroupList = dgs.value;
    }

    let compartments = compartmentFile?.compartments ?? [];
    try {
      const placed = resolveLocationText(o.in, new CompartmentTree(tenancyId, compartments));
      compartments = [...compartments, ...placed.added];
      const asked = o.as.length > 0 ? o.as : mappedGroups.map((g) => `group:${g}`);
      const resolved = resolvePrincipal({ as: asked, principalCompartment: o.principalCompartment, tags: o.tag, dynamicGroups: dynamicGroupList });
      const adbVariables: Record<string, string> = o.adbId ? { 'target.database.id': o.adbId, 'target.autonomous-database.id': o.adbId, 'target.id': o.adbId } : {};
      const notes = [`the database is in ${o.in} (--in)`];
      const questions: AccessQuestion[] = [
        { key: 'db-connect', targetText: 'the database', need: { verb: 'use', resourceType: 'database-connections' }, location: placed.id, variables: { ...adbVariables, ...parseTargetVariables(o.target) }, notes },
      ];
      if (o.walletSecretId) {
        questions.push({ key: 'wallet-secret', targetText: 'the wallet secret', need: { verb: 'read', resourceType: 'secret-bundles' }, location: placed.id, variables: { 'target.secret.id': o.walletSecretId }, notes: [...notes, 'the secret is taken to be in the same compartment'] });
      }
      if (o.dbtoolsConnectionId) {
        questions.push({ key: 'dbtools-connection', targetText: 'the Database Tools connection', need: { verb: 'use', resourceType: 'database-tools-connections' }, location: placed.id, variables: {}, notes: [...notes, 'the connection is taken to be in the same compartment'] });
      }
      const dynamicGroups: DynamicGroupFacts | undefined = resolved.instance
        ? { attributes: resolved.instance.attributes, all: dynamicGroupList, membership: resolved.instance.membership, source: o.dynamicGroups ? `from ${o.dynamicGroups}` : 'none given (--dynamic-groups)' }
        : undefined;
      const judge = new PolicyJudge({
        tenancyId,
        compartments,
        policies,
        source: `from ${o.policies}`,
        principal: resolved.principal,
        principalVariables: resolved.variables,
        principalSource: o.as.length > 0 ? `--as ${o.as.join(', ')}` : `--mapping ${o.mapping}`,
        ...(dynamicGroups ? { dynamicGroups } : {}),
        fileProblems: loaded.problems,
        now: deps.now(),
      });
      const judgement = judge.judge(questions);
      return { summary: judgement.summary, findings: judgement.findings, data: { verdicts: judgement.verdicts, principal: resolved.principal, databaseCompartmentId: placed.id } };
    } catch (e) {
      if (e instanceof QueryError) return { skipped: e.message, findings: [] };
      throw e;
    }
  },
};
