// policy.access: does IAM policy let this caller connect to the target
// database (and read the wallet secret, use the Database Tools connection)?
// Reads the policies over the database's compartment ancestry, the caller's
// groups (or, for an instance, the dynamic groups its rules put it in), and
// decides with the same evaluator the simulator uses.
import { CompartmentTree, dynamicGroupsOf, type CompartmentInput, type GroupMembership, type RequestPrincipal } from '../../core/policy/index.js';
import { instanceAttributes } from '../../core/principal.js';
import { QueryError, groupsOfMapping, resolveLocationText } from '../../core/policy-query.js';
import type { CheckOutcome, Finding } from '../../core/types.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';
import type { FactFailure, SigningIdentity } from '../facts.js';
import { findingFrom, type FindingParts } from '../finding.js';
import { strainFinding } from '../service-strain.js';
import type { WhoAmIData } from '../identity/whoami.js';
import { POLICY_CODES as codes } from './codes.js';
import { PolicyJudge, type AccessQuestion, type DynamicGroupFacts, type PolicyVerdict } from './judge.js';
import { answerText, compartmentsAbove, dynamicGroupsRead, failureEvidence, policiesAlong } from './world-reads.js';

export interface PolicyAccessData {
  /** One verdict per access decided: database connect, and the wallet secret / Database Tools connection when given. */
  verdicts: PolicyVerdict[];
  principal: RequestPrincipal;
  /** The compartment holding the target database. */
  databaseCompartmentId: string;
}

const DB_CONNECT_VARIABLES = ['target.database.id', 'target.autonomous-database.id', 'target.id'];

/** A read given up on a throttled or failing service: its own finding, not a verdict on the policies. */
function strainOutcome(strain: Finding): CheckOutcome {
  return { summary: `${strain.code === 'oci.throttled' ? 'throttled' : 'service error'}: no decision`, findings: [strain] };
}

function strained(f: FactFailure, what: string): CheckOutcome | undefined {
  const strain = strainFinding(f, what);
  return strain ? strainOutcome(strain) : undefined;
}

function unreadable(parts: FindingParts, strain?: Finding): CheckOutcome {
  if (strain) return strainOutcome(strain);
  return { summary: 'policies unreadable: no decision', findings: [findingFrom(codes.spec.unreadable, parts)] };
}

function dynamicGroupsUnreadable(parts: FindingParts, strain?: Finding): CheckOutcome {
  if (strain) return strainOutcome(strain);
  return { summary: 'dynamic groups unreadable: no decision', findings: [findingFrom(codes.spec.dgUnreadable, parts)] };
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
    } else if (strained(adb, `reading database ${adbId}`)) {
      return strained(adb, `reading database ${adbId}`) as CheckOutcome;
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
            inspect: [`oci db autonomous-database get --autonomous-database-id ${adbId} --query 'data."compartment-id"'`],
          }),
        ],
      };
    }
    const above = await compartmentsAbove(oci, id, tenancyId, target.compartmentId, target.name, compartments);
    if (!above.ok) return unreadable(above.problem, above.strain);
    const known: CompartmentInput[] = above.value;
    const ancestry = new CompartmentTree(tenancyId, known).ancestorsOf(target.compartmentId);

    // The policies: from --policies, or read from every compartment a grant can come from.
    const policiesRead = await policiesAlong(deps, id, tenancyId, known, ancestry, { target: 'the database', decides: 'whether IAM lets it connect' });
    if (!policiesRead.ok) return unreadable(policiesRead.problem, policiesRead.strain);
    const { value: policies, source } = policiesRead;
    const fileProblems = [...policiesRead.problems];

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
        const strain = strained(groups, `reading the groups of ${user.name}`);
        if (strain) return strain;
        const mapped = groupsOfMapping(deps.options.mapping);
        if (mapped.length === 0) {
          return unreadable({
            title: `Cannot read the groups of ${user.name} (${groups.status === 0 ? 'no answer' : `${groups.status} ${groups.code}`})`,
            detail: 'Policies grant access to groups, so the decision needs the groups the user is in.',
            evidence: failureEvidence(groups),
            inspect: [`oci iam user list-groups --user-id ${user.id}`],
            fixText: "Ask for `inspect groups` in the tenancy, or name the user's group with --mapping 'IAM_GROUP_NAME=<group>'.",
          });
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
      const groupsRead = await dynamicGroupsRead(deps, id, tenancyId, 'An instance gets its grants through the dynamic groups whose matching rules it fits.');
      if (!groupsRead.ok) return dynamicGroupsUnreadable(groupsRead.problem, groupsRead.strain);
      const all = groupsRead.value;
      const membership = dynamicGroupsOf(attributes, all);
      dynamicGroups = { attributes, all, membership, source: groupsRead.source };
      principal = { kind: 'instance', id: p.id, compartmentId, groups: [], dynamicGroups: membership.groups };
      principalSource = 'dynamic groups decided by their matching rules';
    }

    const questions = await accessQuestions(deps, id, adbId, target, notes);
    const judge = new PolicyJudge({ tenancyId, compartments: known, policies, source, principal, principalVariables, principalSource, ...(dynamicGroups ? { dynamicGroups } : {}), fileProblems, now: deps.now() });
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
