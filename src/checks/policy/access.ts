// policy.access: does IAM policy let this caller connect to the target
// database (and read the wallet secret, use the Database Tools connection)?
// Reads the policies over the database's compartment ancestry, the caller's
// groups (or, for an instance, the dynamic groups its rules put it in), and
// decides with the same evaluator the simulator uses.
import type { OciFailure } from '../../adapters/oci-sdk.js';
import { CompartmentTree, dynamicGroupsOf, type CompartmentInput, type GroupMembership, type PolicyInput, type RequestPrincipal } from '../../core/policy/index.js';
import { instanceAttributes } from '../../core/principal.js';
import { QueryError, groupsOfMapping, resolveLocationText } from '../../core/policy-query.js';
import type { CheckOutcome } from '../../core/types.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';
import type { DynamicGroupRead, FactFailure, SigningIdentity } from '../facts.js';
import { findingFrom } from '../finding.js';
import type { WhoAmIData } from '../identity/whoami.js';
import { POLICY_CODES as codes } from './codes.js';
import { loadDynamicGroupFile, loadPolicyFile } from './inputs.js';
import { PolicyJudge, type AccessQuestion, type DynamicGroupFacts, type PolicyVerdict } from './judge.js';

export interface PolicyAccessData {
  /** One verdict per access decided: database connect, and the wallet secret / Database Tools connection when given. */
  verdicts: PolicyVerdict[];
  principal: RequestPrincipal;
  /** The compartment holding the target database. */
  databaseCompartmentId: string;
}

const DB_CONNECT_VARIABLES = ['target.database.id', 'target.autonomous-database.id', 'target.id'];

function answerText(f: OciFailure): string {
  return `${f.status === 0 ? 'no answer' : `${f.status} ${f.code}`}${f.message ? `: ${f.message}` : ''}`;
}

function failureEvidence(f: FactFailure): Record<string, string> {
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

function unreadable(title: string, detail: string, evidence: Record<string, string>, commands: string[], fixText?: string): CheckOutcome {
  return {
    summary: 'policies unreadable: no decision',
    findings: [findingFrom(codes.spec.unreadable, { title, detail, evidence, commands, ...(fixText ? { fixText } : {}) })],
  };
}

interface Place {
  compartmentId: string;
  name: string;
}

export const policyAccessCheck: DoctorCheck = {
  id: 'policy.access',
  title: 'IAM policy allows the database connection',
  category: 'policy',
  dependsOn: ['identity.whoami'],
  timeoutMs: 30000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'needs the caller’s identity (identity.whoami did not run)', findings: [] };
    const adbId = deps.options.adbId;
    if (!adbId) return { skipped: 'no --adb-id: name the database whose access to decide', findings: [] };
    const kind = who.user ? 'user' : who.principal?.kind;
    if (kind !== 'user' && kind !== 'instance') return { skipped: `deciding policy for a ${kind ?? 'principal'} of this kind is not modelled yet (try dbiam-doctor policy explain)`, findings: [] };
    const tenancyId = who.tenancy;
    if (!tenancyId) return { skipped: 'the tenancy of the caller is unknown', findings: [] };
    const oci = deps.facts.oci;
    const id = who.identity;

    // Where the database lives, and the compartments above it.
    const [tree, adb] = await Promise.all([oci.compartmentTree(id, tenancyId), oci.autonomousDatabase(id, adbId)]);
    let compartments: CompartmentInput[] | undefined = tree.ok ? tree.value : undefined;
    let target: Place;
    const notes: string[] = [];
    if (adb.ok) {
      target = { compartmentId: adb.value.compartmentId, name: `database ${adb.value.displayName}` };
    } else if (deps.options.in) {
      const placed = placeFromOption(deps.options.in, tenancyId, compartments ?? []);
      if (typeof placed === 'string') return { summary: 'bad --in', findings: [findingFrom(codes.spec.targetUnknown, { title: placed, evidence: failureEvidence(adb) })] };
      target = { compartmentId: placed.id, name: 'the database' };
      compartments = placed.compartments;
      notes.push(`the database is in ${deps.options.in} (--in; reading it answered ${answerText(adb)})`);
    } else {
      return {
        summary: 'database compartment unknown: no decision',
        findings: [
          findingFrom(codes.spec.targetUnknown, {
            title: `Cannot read database ${adbId} to learn its compartment (${adb.status === 0 ? 'no answer' : `${adb.status} ${adb.code}`})`,
            detail: 'Policies grant access per compartment, so without the database’s compartment the decision cannot be made. OCI answers 404 both when the OCID is wrong and when the caller may not inspect the database.',
            evidence: failureEvidence(adb),
            commands: [`oci db autonomous-database get --autonomous-database-id ${adbId} --query 'data."compartment-id"'`],
          }),
        ],
      };
    }
    if (!compartments || !new CompartmentTree(tenancyId, compartments).has(target.compartmentId)) {
      const walk = await oci.compartmentAncestry(id, tenancyId, target.compartmentId);
      if (!walk.ok) {
        return unreadable(
          `Cannot read the compartments above ${target.name} (${walk.status} ${walk.code})`,
          'Statements name compartments by path (compartment Prod:Finance), so the decision needs the compartment tree; neither listing it nor reading the compartments one by one was allowed.',
          failureEvidence(walk),
          [`oci iam compartment list --all --compartment-id-in-subtree true --compartment-id ${tenancyId} > compartments.json`],
          'Ask for `inspect compartments` in the tenancy, or run `dbiam-doctor policy explain` with exported files (--policies, --compartments).',
        );
      }
      compartments = [...(compartments ?? []).filter((c) => !walk.value.some((w) => w.id === c.id)), ...walk.value];
    }
    const ancestry = new CompartmentTree(tenancyId, compartments).ancestorsOf(target.compartmentId);

    // The policies: from --policies, or read from every compartment a grant can come from.
    let policies: PolicyInput[];
    let source: string;
    const fileProblems: string[] = [];
    if (deps.options.policies) {
      const loaded = await loadPolicyFile(deps.files, deps.options.policies, tenancyId);
      if (!loaded.ok) {
        return unreadable(`Cannot use --policies ${deps.options.policies}`, loaded.reason, { file: deps.options.policies }, exportCommands(ancestry), 'Export the policies again and pass the file with --policies.');
      }
      policies = loaded.value;
      fileProblems.push(...loaded.problems);
      source = `from ${deps.options.policies}`;
    } else {
      const reads = await Promise.all(ancestry.map(async (c) => ({ c, res: await oci.policies(id, c) })));
      const failed = reads.filter((r) => !r.res.ok);
      if (failed.length > 0) {
        const tree = new CompartmentTree(tenancyId, compartments);
        const first = failed[0]?.res as FactFailure;
        const evidence = failureEvidence(first);
        evidence.unreadable = failed.map((r) => tree.describe(r.c)).join(', ');
        return unreadable(
          `Cannot list the policies of ${failed.map((r) => tree.describe(r.c)).join(', ')} (${first.status === 0 ? 'no answer' : `${first.status} ${first.code}`})`,
          'The caller may not read the policies (that needs `inspect policies` in each compartment from the database’s up to the tenancy), so the doctor cannot tell whether IAM lets it connect. This alone does not mean access is denied.',
          evidence,
          exportCommands(ancestry),
          'Ask an administrator to run the command below (it needs `inspect policies`) and run the doctor again with --policies policies.json.',
        );
      }
      policies = reads.flatMap((r) => (r.res.ok ? r.res.value : []));
      const tree = new CompartmentTree(tenancyId, compartments);
      source = `read from ${ancestry.map((c) => tree.describe(c)).join(', ')}`;
    }

    // The caller.
    let principal: RequestPrincipal;
    let principalSource: string;
    const principalVariables: Record<string, string> = {};
    let dynamicGroups: DynamicGroupFacts | undefined;
    if (who.user) {
      const user = who.user;
      const groups = await oci.userGroups(id, tenancyId, user.id);
      let memberships: GroupMembership[];
      if (groups.ok) {
        memberships = groups.value;
        principalSource = 'groups read from Identity';
      } else {
        const mapped = groupsOfMapping(deps.options.mapping);
        if (mapped.length === 0) {
          return unreadable(
            `Cannot read the groups of ${user.name} (${groups.status === 0 ? 'no answer' : `${groups.status} ${groups.code}`})`,
            'Policies grant access to groups, so the decision needs the groups the user is in.',
            failureEvidence(groups),
            [`oci iam user list-groups --user-id ${user.id}`],
            "Ask for `inspect groups` in the tenancy, or name the user's group with --mapping 'IAM_GROUP_NAME=<group>'.",
          );
        }
        memberships = mapped.map((name) => ({ id: `group:${name}`, name }));
        principalSource = `groups unreadable (${groups.status} ${groups.code}); taken from --mapping`;
      }
      principal = { kind: 'user', id: user.id, userId: user.id, userName: user.name, groups: memberships, dynamicGroups: [] };
    } else {
      const p = who.principal as NonNullable<WhoAmIData['principal']>;
      const placed = instanceAttributes(p, await deps.facts.principals.instanceMetadata());
      if (!placed.ok) return { skipped: placed.reason, findings: [] };
      const attributes = placed.attributes;
      const compartmentId = attributes.compartmentId;
      notes.push(...placed.notes);
      let all: DynamicGroupRead[];
      let dgSource: string;
      if (deps.options.dynamicGroups) {
        const loaded = await loadDynamicGroupFile(deps.files, deps.options.dynamicGroups);
        if (!loaded.ok) {
          return {
            summary: 'dynamic groups unreadable: no decision',
            findings: [findingFrom(codes.spec.dgUnreadable, { title: `Cannot use --dynamic-groups ${deps.options.dynamicGroups}`, detail: loaded.reason, evidence: { file: deps.options.dynamicGroups }, commands: ['oci iam dynamic-group list --all > dynamic-groups.json'] })],
          };
        }
        all = loaded.value;
        dgSource = `from ${deps.options.dynamicGroups}`;
      } else {
        const res = await oci.dynamicGroups(id, tenancyId);
        if (!res.ok) {
          return {
            summary: 'dynamic groups unreadable: no decision',
            findings: [
              findingFrom(codes.spec.dgUnreadable, {
                title: `Cannot list the dynamic groups (${res.status === 0 ? 'no answer' : `${res.status} ${res.code}`})`,
                detail: 'An instance gets its grants through the dynamic groups whose matching rules it fits; reading them needs `inspect dynamic-groups` in the tenancy.',
                evidence: failureEvidence(res),
                commands: ['oci iam dynamic-group list --all > dynamic-groups.json'],
              }),
            ],
          };
        }
        all = res.value;
        dgSource = 'read from Identity';
      }
      const membership = dynamicGroupsOf(attributes, all);
      dynamicGroups = { attributes, all, membership, source: dgSource };
      principal = { kind: 'instance', id: p.id, compartmentId, groups: [], dynamicGroups: membership.groups };
      principalSource = 'dynamic groups decided by their matching rules';
    }

    const questions = await accessQuestions(deps, id, adbId, target, notes);
    const judge = new PolicyJudge({ tenancyId, compartments, policies, source, principal, principalVariables, principalSource, ...(dynamicGroups ? { dynamicGroups } : {}), fileProblems, now: deps.now() });
    const judgement = judge.judge(questions);
    const data: PolicyAccessData = { verdicts: judgement.verdicts, principal, databaseCompartmentId: target.compartmentId };
    return { summary: judgement.summary, findings: judgement.findings, data };
  },
};

function placeFromOption(text: string, tenancyId: string, compartments: CompartmentInput[]): { id: string; compartments: CompartmentInput[] } | string {
  try {
    const placed = resolveLocationText(text, new CompartmentTree(tenancyId, compartments));
    return { id: placed.id, compartments: [...compartments, ...placed.added] };
  } catch (e) {
    if (e instanceof QueryError) return e.message;
    throw e;
  }
}

async function accessQuestions(deps: DoctorDeps, id: SigningIdentity, adbId: string, target: Place, notes: string[]): Promise<AccessQuestion[]> {
  const questions: AccessQuestion[] = [
    {
      key: 'db-connect',
      targetText: target.name,
      need: { verb: 'use', resourceType: 'database-connections' },
      location: target.compartmentId,
      // Which target variable scopes database-connections is not documented consistently: set every candidate.
      variables: Object.fromEntries(DB_CONNECT_VARIABLES.map((v) => [v, adbId])),
      notes,
    },
  ];
  const secretId = deps.options.walletSecretId;
  if (secretId) {
    questions.push({
      key: 'wallet-secret',
      targetText: 'the wallet secret',
      need: { verb: 'read', resourceType: 'secret-bundles' },
      location: target.compartmentId,
      variables: { 'target.secret.id': secretId },
      notes: [...notes, 'the secret is taken to be in the database’s compartment (reading its own compartment needs the Vault API)'],
    });
  }
  const connectionId = deps.options.dbtoolsConnectionId;
  if (connectionId) {
    const place = await deps.facts.oci.dbToolsConnection(id, connectionId);
    questions.push({
      key: 'dbtools-connection',
      targetText: place.ok ? `Database Tools connection ${place.value.displayName}` : 'the Database Tools connection',
      need: { verb: 'use', resourceType: 'database-tools-connections' },
      location: place.ok ? place.value.compartmentId : target.compartmentId,
      variables: {},
      notes: place.ok ? notes : [...notes, `the connection is taken to be in the database’s compartment (reading it answered ${answerText(place)})`],
    });
  }
  return questions;
}
