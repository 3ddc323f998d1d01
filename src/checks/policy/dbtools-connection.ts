// policy.dbtools-connection: may the Database Tools connection (--dbtools-
// connection-id) read the Vault secrets it names — its key stores' wallets and
// its user password — as its own resource principal? Oracle's Database Tools
// pages: the connections read their secrets through a dynamic group whose rule
// matches them (resource.type = 'databasetoolsconnection', resource.compartment.id,
// resource.id) and a policy letting that group read secret-family; a statement
// may also name the connection itself (request.principal.id).
import { CompartmentTree, dynamicGroupsOf, matchingRuleMatches, type Decision, type PrincipalAttributes, type RequestPrincipal } from '../../core/policy/index.js';
import { DBTOOLS_DYNAMIC_GROUP, dbtoolsMatchingRule, dbtoolsSecretsStatement, policyLocation, policyName } from '../../core/setup/artifacts.js';
import { orderNearMisses } from '../../core/policy-query.js';
import type { CheckOutcome, FindingSpec } from '../../core/types.js';
import type { DoctorCheck } from '../deps.js';
import type { DbToolsConnectionFacts, DynamicGroupRead } from '../facts.js';
import { findingFrom, type FindingParts } from '../finding.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import { DBTOOLS_RP_CODES as codes } from './codes.js';
import { PolicyJudge, dq, policyCreateCommand } from './judge.js';
import { compartmentsAbove, dynamicGroupsRead, policiesAlong, statusText } from './world-reads.js';

/** The resource type Database Tools connections have in matching rules (Database Tools "Dynamic Groups" page). */
export const DBTOOLS_CONNECTION_RESOURCE_TYPE = 'databasetoolsconnection';

export interface NamedSecret {
  id: string;
  /** What the connection uses it for: `key store SSO`, `user password`. */
  role: string;
}

/** The Vault secrets a connection names, each once. */
export function secretsOf(c: DbToolsConnectionFacts): NamedSecret[] {
  const out: NamedSecret[] = [];
  const add = (id: string | undefined, role: string) => {
    if (!id) return;
    const seen = out.find((s) => s.id === id);
    if (seen) seen.role = `${seen.role}, ${role}`;
    else out.push({ id, role });
  };
  c.keyStores.forEach((k) => add(k.secretId, `key store${k.keyStoreType ? ` ${k.keyStoreType}` : ''}`));
  add(c.userPasswordSecretId, 'user password');
  return out;
}

function unknown(parts: FindingParts): CheckOutcome {
  return { summary: 'not decided: a read failed', findings: [findingFrom(codes.spec.unknown, parts)] };
}

/** Dynamic groups whose rule is about Database Tools connections or names this one: the near misses worth showing. */
function aboutConnections(g: DynamicGroupRead, connectionId: string): boolean {
  const rule = g.matchingRule.toLowerCase();
  return rule.includes(DBTOOLS_CONNECTION_RESOURCE_TYPE) || rule.includes(connectionId.toLowerCase());
}

/** As written after `dynamic-group` in a statement. */
function groupForStatement(g: { name: string; domain?: string }): string {
  return policyName(g.domain ? `${g.domain}/${g.name}` : g.name);
}

export const dbtoolsConnectionAccessCheck: DoctorCheck = {
  id: 'policy.dbtools-connection',
  title: 'The Database Tools connection may read its own secrets',
  category: 'policy',
  dependsOn: ['identity.whoami'],
  timeoutMs: 30000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const connectionId = deps.options.dbtoolsConnectionId;
    if (!connectionId) return { skipped: 'no --dbtools-connection-id', findings: [] };
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'needs the caller’s identity (identity.whoami did not run)', findings: [] };
    const tenancyId = who.tenancy;
    if (!tenancyId) return { skipped: 'the tenancy of the caller is unknown', findings: [] };
    const oci = deps.facts.oci;
    const id = who.identity;

    const [read, listed] = await Promise.all([oci.dbToolsConnection(id, connectionId), oci.compartmentTree(id, tenancyId)]);
    // db.identity owns "the connection cannot be read" (it reports it when it runs); this check only says why it stopped.
    if (!read.ok) return { skipped: `cannot read Database Tools connection ${connectionId} (${statusText(read)}), so the secrets it names are unknown`, findings: [] };
    const c = read.value;
    const secrets = secretsOf(c);
    if (secrets.length === 0) return { skipped: `connection ${c.displayName} names no Vault secret`, findings: [] };
    const name = `Database Tools connection ${c.displayName}`;

    const compartments = await compartmentsAbove(oci, id, tenancyId, c.compartmentId, `the ${name}`, listed.ok ? listed.value : undefined);
    if (!compartments.ok) return unknown(compartments.problem);
    const tree = new CompartmentTree(tenancyId, compartments.value);
    const ancestry = tree.ancestorsOf(c.compartmentId);
    const [policies, groups] = await Promise.all([
      policiesAlong(deps, id, tenancyId, compartments.value, ancestry, { target: 'the connection', decides: 'whether the connection may read its secrets' }),
      dynamicGroupsRead(deps, id, tenancyId, 'The connection reads its secrets through the dynamic groups whose matching rules it fits.'),
    ]);
    if (!policies.ok) return unknown(policies.problem);
    if (!groups.ok) return unknown(groups.problem);

    // The connection as IAM sees it when it reads a secret.
    const attributes: PrincipalAttributes = { kind: 'resource', resourceId: c.id, resourceType: DBTOOLS_CONNECTION_RESOURCE_TYPE, compartmentId: c.compartmentId, tags: c.definedTags };
    const membership = dynamicGroupsOf(attributes, groups.value);
    const principal: RequestPrincipal = { kind: 'resource', id: c.id, compartmentId: c.compartmentId, groups: [], dynamicGroups: membership.groups };
    const judge = new PolicyJudge({
      tenancyId,
      compartments: compartments.value,
      policies: policies.value,
      source: policies.source,
      principal,
      principalVariables: {},
      principalSource: 'dynamic groups decided by their matching rules',
      now: deps.now(),
    });
    // Where the secrets are is the Vault's to say; the connection's compartment is where Oracle's examples keep them.
    const location = c.compartmentId;
    const decisions = secrets.map((s) => ({ s, d: judge.decide({ need: { verb: 'read', resourceType: 'secret-bundles' }, location, variables: { 'target.secret.id': s.id } }) }));

    const evidence: Record<string, string> = {
      connection: `${c.displayName} (${c.id}) in ${tree.describe(c.compartmentId)}, runtime identity ${c.runtimeIdentity ?? 'not set'}`,
      'dynamic groups': membership.groups.length === 0 ? `none of the ${groups.value.length} read matches the connection (${groups.source})` : `${membership.groups.map((g) => g.name).join(', ')} (of ${groups.value.length} ${groups.source})`,
      policies: `${judge.compiled.statementCount} statements in ${policies.value.length} policies (${policies.source})`,
      assumed: `the secrets are in the connection’s compartment (a secret’s own compartment is the Vault’s to say)`,
    };
    // The Resource Principal page and its release note: with RESOURCE_PRINCIPAL the connection itself retrieves
    // the password and wallet; with AUTHENTICATED_PRINCIPAL the caller does, while the Policies page asks for the
    // connection's own grant without a condition.
    const resourcePrincipal = c.runtimeIdentity === 'RESOURCE_PRINCIPAL';
    if (!resourcePrincipal) {
      evidence['documents differ'] = "Database Tools' Policies page asks for a grant letting the connection's dynamic group read its secrets; its persona table and Resource Principal page say that with AUTHENTICATED_PRINCIPAL the caller retrieves the password and wallet";
    }
    secrets.forEach((s, i) => (evidence[`secret ${i + 1}`] = `${s.id} (${s.role})`));
    // What was left out of the decision (policy.access reports the statements themselves).
    const unparsed = new Set(judge.compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.policyId}#${d.statementIndex}`)).size;
    if (unparsed > 0) evidence['left out'] = `${unparsed} statement${unparsed === 1 ? '' : 's'} that do${unparsed === 1 ? 'es' : ''} not parse`;
    const badRules = [...new Set(membership.diagnostics.filter((d) => d.severity === 'error').map((d) => d.dynamicGroup))];
    if (badRules.length > 0) evidence['rules that do not parse'] = badRules.join(', ');

    const refused = decisions.filter((x) => x.d.decision === 'denied');
    if (refused.length === 0) {
      decisions.forEach(({ d }, i) => (evidence[`secret ${i + 1} granted by`] = d.grantedBy[0] ? judge.refText(d.grantedBy[0]) : 'policy'));
      return {
        summary: `may read its ${secrets.length} secret${secrets.length === 1 ? '' : 's'}`,
        findings: [findingFrom(codes.spec.readable, { title: `${name} may read the ${secrets.length === 1 ? 'secret' : `${secrets.length} secrets`} it names as its own resource principal`, evidence })],
      };
    }

    const denyingStatement = refused.find((x) => x.d.deniedBy)?.d.deniedBy;
    const locationText = policyLocation(tree.pathOf(location)?.join(':') || 'tenancy');
    const refusedText = refused.map((x) => x.s.id).join(', ');
    closest(principal, refused.map((x) => x.d), judge, evidence);
    const outcome = (spec: FindingSpec, summary: string, parts: FindingParts): CheckOutcome => {
      // Running as the caller, the connection may not need a grant of its own: the documents differ, so it is a warning.
      if (resourcePrincipal) return { summary, findings: [findingFrom(spec, parts)] };
      return {
        summary: `${summary} (runtime identity ${c.runtimeIdentity ?? 'not set'}: documents differ on whether it must)`,
        findings: [findingFrom(codes.spec.grantMissing, { ...parts, detail: `${parts.detail ?? ''}\nThe connection runs as the caller (runtime identity ${c.runtimeIdentity ?? 'not set'}): Database Tools' Policies page still asks for this grant, while its persona table and Resource Principal page say the caller reads the secrets then.` })],
      };
    };

    if (denyingStatement) {
      evidence['denied by'] = judge.refText(denyingStatement);
      return outcome(codes.spec.secretNotGranted, 'a deny statement forbids reading its secrets', {
        title: `${name} may not read ${refusedText}: a deny statement forbids it`,
        detail: 'Deny wins over every allow statement.',
        evidence,
        fixText: `Remove or narrow the deny statement: ${judge.refText(denyingStatement)}`,
      });
    }

    const member = membership.groups[0];
    if (member) {
      const statement = dbtoolsSecretsStatement(groupForStatement(member), locationText);
      evidence['statement to add'] = statement;
      return outcome(codes.spec.secretNotGranted, `dynamic group ${member.name} may not read its secrets`, {
        title: `${name} is in dynamic group ${member.name}, but no policy lets it read ${refused.length === 1 ? 'secret' : 'secrets'} ${refusedText}`,
        detail: 'The connection reads the secrets it names as its own resource principal, so a policy must let its dynamic group read them; IAM denies what nothing allows.',
        evidence,
        fixText: `Add this statement to a policy in the root compartment: ${statement}`,
        commands: [policyCreateCommand(statement, tenancyId, 'dbtools-connection-secrets')],
      });
    }

    // No dynamic group holds the connection: show the rules meant for connections and what they miss.
    for (const g of groups.value.filter((x) => aboutConnections(x, c.id)).slice(0, 3)) {
      evidence[`dynamic group ${g.name} rule`] = g.matchingRule;
      evidence[`dynamic group ${g.name} misses`] = matchingRuleMatches(g.matchingRule, attributes).failed.map((f) => f.reason).join('; ');
    }
    const rule = dbtoolsMatchingRule({ connectionId: c.id });
    const statement = dbtoolsSecretsStatement(DBTOOLS_DYNAMIC_GROUP, locationText);
    evidence['matching rule to add'] = rule;
    evidence['statement to add'] = statement;
    return outcome(codes.spec.noDynamicGroup, 'no dynamic group matches the connection', {
      title: `No dynamic group matches ${name}, so it cannot read the secrets it names`,
      detail: `The connection reads ${refusedText} as its own resource principal (resource.type = '${DBTOOLS_CONNECTION_RESOURCE_TYPE}'), and policies reach a resource principal through the dynamic groups whose rules match it.`,
      evidence,
      fixText: `Create dynamic group ${DBTOOLS_DYNAMIC_GROUP} with the matching rule ${rule} (or ${dbtoolsMatchingRule({ compartmentId: c.compartmentId })} for every connection of its compartment), and add this statement to a policy in the root compartment: ${statement}. Dynamic-group changes can take up to an hour to apply.`,
      commands: [
        `oci iam dynamic-group create --compartment-id ${tenancyId} --name ${DBTOOLS_DYNAMIC_GROUP} --description ${dq('Database Tools connections that read their own secrets')} --matching-rule ${dq(rule)}`,
        policyCreateCommand(statement, tenancyId, 'dbtools-connection-secrets'),
      ],
    });
  },
};

/** The statements closest to granting the first refused read, with what they miss (those for resource principals first). */
function closest(principal: RequestPrincipal, decisions: Decision[], judge: PolicyJudge, evidence: Record<string, string>): void {
  const misses = orderNearMisses(principal, decisions[0]?.nearMisses ?? []).all;
  misses.slice(0, 3).forEach((m, i) => {
    evidence[`closest ${i + 1}`] = judge.refText(m);
    evidence[`closest ${i + 1} misses`] = m.reason;
  });
}
