// The sentences a support engineer reads: why a statement nearly granted a
// request, which statement would grant it, and the whole decision in text.
// Tests assert these word for word; change them deliberately.
import { CompartmentTree } from './compartments.js';
import { explainFailure, failedLeaves } from './condition.js';
import type { CompiledStatement, PreparedRequest } from './evaluate.js';
import type {
  AccessRequest,
  Decision,
  EvaluationContext,
  GroupMembership,
  NearMiss,
  NearMissDetail,
  NearMissKind,
  PrincipalRef,
  RequestPrincipal,
  StatementRef,
  Subject,
  Suggestion,
} from './types.js';
import { FAMILIES, SCOPE_VARIABLES, permissionsOf, verbForPermission } from './vocabulary.js';

function refText(ref: PrincipalRef): string {
  return ref.by === 'id' ? `id ${ref.id}` : `'${ref.domain}'/'${ref.name}'`;
}

export function subjectText(s: Subject): string {
  switch (s.kind) {
    case 'group':
    case 'dynamic-group':
      return `${s.kind}${s.refs.length > 1 ? 's' : ''} ${s.refs.map(refText).join(', ')}`;
    case 'service':
      return `service ${s.names.join(', ')}`;
    default:
      return s.kind;
  }
}

/** How the caller is named in sentences: `user alice`, `instance ocid1…`. */
export function principalText(p: RequestPrincipal): string {
  switch (p.kind) {
    case 'user':
      // A caller named only by its groups (`policy explain --as group:X`) is just "the user".
      return p.userName ?? p.userId ? `user ${p.userName ?? p.userId}` : 'the user';
    case 'instance':
      return p.id ? `instance ${p.id}` : 'the instance';
    case 'resource':
      return p.id ? `resource principal ${p.id}` : 'the resource principal';
    case 'service':
      return `service ${p.serviceName ?? '(unnamed)'}`;
    case 'any':
      return 'the caller';
  }
}

function membershipText(list: readonly GroupMembership[]): string {
  return list.map((g) => `'${g.domain ?? 'Default'}'/'${g.name}'`).join(', ');
}

function subjectDetail(e: CompiledStatement, r: PreparedRequest): string {
  const s = e.statement.subject;
  const p = r.request.principal;
  const who = principalText(p);
  const named = `the statement names ${subjectText(s)}`;
  switch (s.kind) {
    case 'group':
      if (p.groups.length > 0) return `${named}, but ${who} is only in ${membershipText(p.groups)}`;
      if (p.kind === 'instance' || p.kind === 'resource') {
        return `${named}, but ${who} is not a user: instance and resource principals are matched through dynamic groups, not groups`;
      }
      return `${named}, but ${who} is in no group`;
    case 'dynamic-group':
      if (p.dynamicGroups.length > 0) return `${named}, but ${who} is only in ${membershipText(p.dynamicGroups)}`;
      if (p.kind === 'user') return `${named}, but ${p.userName ?? p.userId ? who : 'the caller'} is a user: users are matched through groups, not dynamic groups`;
      return `${named}, but ${who} is in no dynamic group`;
    case 'any-group':
      return `the statement is for any-group, which covers users and instance and resource principals (every group and dynamic group), but the caller is ${who}`;
    case 'service':
      return `the statement is for ${subjectText(s)}, but the caller is ${who}`;
    case 'any-user':
      return `the statement is for any-user`; // never fails; kept for completeness
  }
}

function verbDetail(e: CompiledStatement, r: PreparedRequest): string {
  const a = e.statement.access;
  const type = r.resourceType;
  if (a.kind === 'verb') {
    if (r.verb !== undefined) return `the statement grants ${a.verb}, but the request needs ${r.verb}`;
    const needed = verbForPermission(type, r.permission ?? '');
    return needed
      ? `the statement grants ${a.verb}, but ${r.permission} on ${type} needs ${needed}`
      : `the statement grants ${a.verb}, and which verb carries ${r.permission} on ${type} is not modelled here`;
  }
  const granted = `{${a.permissions.join(', ')}}`;
  if (r.permission !== undefined) return `the statement grants ${granted}, but the request needs ${r.permission}`;
  const needed = r.verb ? permissionsOf(type, r.verb) : undefined;
  return needed && needed.length > 0
    ? `the statement grants ${granted}, but ${r.verb} ${type} needs {${needed.join(', ')}}`
    : `the statement grants ${granted}, and the permissions behind ${r.verb ?? 'the verb'} ${type} are not modelled here`;
}

function resourceDetail(e: CompiledStatement, r: PreparedRequest): string {
  const st = e.statement.resourceType ?? '';
  if (st.endsWith('-family') && !(st in FAMILIES)) {
    return `the statement covers ${st}, whose members are not modelled here, so it is not counted as including ${r.resourceType}`;
  }
  return `the statement covers ${st}, which does not include ${r.resourceType}`;
}

function locationDetail(e: CompiledStatement, r: PreparedRequest): string {
  if (e.locationId === undefined) return e.locationProblem ?? 'the statement location resolves nowhere';
  return `the statement applies in ${r.tree.describe(e.locationId)} and the compartments below it, but the target is in ${r.tree.describe(r.request.location)}`;
}

function whereDetail(e: CompiledStatement, r: PreparedRequest): string {
  const where = e.statement.where;
  if (!where) return 'the statement has no condition';
  return failedLeaves(where, r.vars)
    .map((c) => explainFailure(c, r.vars, 'the request'))
    .join(' and ');
}

const DETAIL: Record<NearMissKind, (e: CompiledStatement, r: PreparedRequest) => string> = {
  subject: subjectDetail,
  verb: verbDetail,
  resource: resourceDetail,
  location: locationDetail,
  where: whereDetail,
};

export function describeNearMiss(
  e: CompiledStatement,
  kinds: readonly NearMissKind[],
  r: PreparedRequest,
): Pick<NearMiss, 'kinds' | 'reason' | 'details'> {
  const details: NearMissDetail[] = kinds.map((kind) => ({ kind, text: DETAIL[kind](e, r) }));
  return {
    kinds: [...kinds],
    details,
    reason: details.map((d) => `${d.kind}: ${d.text}`).join('; '),
  };
}

// ---------------------------------------------------------------------------
// The suggested statement

function quotedMembership(g: GroupMembership): string {
  return `'${g.domain ?? 'Default'}'/'${g.name}'`;
}

/**
 * The principal's group (or dynamic group) to name: one that a near-miss
 * statement already names, as it is evidently used for related access;
 * otherwise the first one listed.
 */
function pickMembership(
  list: readonly GroupMembership[],
  kind: 'group' | 'dynamic-group',
  nearEntries: readonly CompiledStatement[],
): GroupMembership | undefined {
  for (const e of nearEntries) {
    const s = e.statement.subject;
    if (s.kind !== kind) continue;
    for (const g of list) {
      const key = `${(g.domain ?? 'Default').toLowerCase()}/${g.name.toLowerCase()}`;
      if (s.refs.some((ref) => ref.key === key || ref.key === g.id.toLowerCase())) return g;
    }
  }
  return list[0];
}

function firstValue(r: PreparedRequest, name: string): string | undefined {
  return r.vars.get(name)?.raw[0];
}

/**
 * One statement granting the least access the request needs: the principal's
 * narrowest subject, the exact verb and type, the target compartment by path,
 * and a where clause naming the one resource when the request carries its id.
 */
export function suggestStatement(r: PreparedRequest, nearEntries: readonly CompiledStatement[]): Suggestion {
  const p = r.request.principal;
  const who = principalText(p);
  const notes: string[] = [];
  const conditions: string[] = [];
  let subject: string;

  const principalType = (firstValue(r, 'request.principal.type') ?? p.type ?? '').toLowerCase();
  if (principalType === 'workload') {
    subject = 'any-user';
    conditions.push("request.principal.type = 'workload'");
    for (const v of ['request.principal.namespace', 'request.principal.service_account', 'request.principal.cluster_id']) {
      const value = firstValue(r, v);
      if (value !== undefined) conditions.push(`${v} = '${value}'`);
    }
    notes.push('OKE workloads cannot be in dynamic groups, so the statement names the workload by its attributes.');
  } else if (p.kind === 'instance' || p.kind === 'resource') {
    const g = pickMembership(p.dynamicGroups, 'dynamic-group', nearEntries);
    if (g) subject = `dynamic-group ${quotedMembership(g)}`;
    else {
      subject = "dynamic-group '<new-dynamic-group>'";
      const rule =
        p.kind === 'instance'
          ? p.id
            ? `ALL {instance.id = '${p.id}'}`
            : `ALL {instance.compartment.id = '${p.compartmentId ?? '<compartment ocid>'}'}`
          : p.type
            ? `ALL {resource.type = '${p.type}', resource.id = '${p.id ?? '<resource ocid>'}'}`
            : `ALL {resource.id = '${p.id ?? '<resource ocid>'}'}`;
      notes.push(
        `${who} is in no dynamic group: a dynamic group is needed. Create one with the matching rule ${rule} ` +
          `and put its name in place of <new-dynamic-group>; a new dynamic group can take up to an hour to apply.`,
      );
    }
  } else if (p.kind === 'service') {
    subject = `service ${p.serviceName ?? '<service>'}`;
  } else {
    const g = pickMembership(p.groups, 'group', nearEntries);
    if (g) subject = `group ${quotedMembership(g)}`;
    else if (p.userId) {
      subject = 'any-user';
      conditions.push(`request.user.id = '${p.userId}'`);
      notes.push(`${who} is in no group, so the statement names the user by OCID; a group is easier to maintain.`);
    } else {
      subject = "group '<group>'";
      notes.push(`${who} is in no group: add the user to a group and put its name in place of <group>.`);
    }
  }

  let access: string;
  if (r.permission !== undefined) {
    const verb = verbForPermission(r.resourceType, r.permission);
    access = verb ? `${verb} ${r.resourceType}` : `{${r.permission}}`;
  } else {
    access = `${r.verb ?? 'use'} ${r.resourceType}`;
  }

  const target = r.request.location;
  const path = r.tree.pathOf(target);
  const location = target === r.tree.rootId ? 'tenancy' : path ? `compartment ${path.join(':')}` : `compartment id ${target}`;

  for (const v of SCOPE_VARIABLES[r.resourceType] ?? []) {
    const value = firstValue(r, v);
    if (value !== undefined) {
      conditions.push(`${v} = '${value}'`);
      break;
    }
  }
  const where =
    conditions.length === 0 ? '' : conditions.length === 1 ? ` where ${conditions[0]}` : ` where all {${conditions.join(', ')}}`;

  return {
    statement: `Allow ${subject} to ${access} in ${location}${where}`,
    attachToCompartmentId: r.tree.rootId,
    notes,
  };
}

// ---------------------------------------------------------------------------
// The whole decision as text

function refLine(ref: StatementRef): string {
  return `policy '${ref.policy}', statement ${ref.statementIndex + 1}: ${ref.statement}`;
}

/**
 * A decision as lines of plain text for a report. Statement numbers count
 * from 1 here (humans read it); `statementIndex` in the data counts from 0.
 */
export function explainDecision(
  d: Decision,
  request: Pick<AccessRequest, 'principal' | 'need' | 'location'>,
  ctx: EvaluationContext | CompartmentTree,
): string {
  const tree = ctx instanceof CompartmentTree ? ctx : new CompartmentTree(ctx.tenancyId, ctx.compartments, ctx.tenancyName);
  const who = principalText(request.principal);
  const need =
    request.need.permission !== undefined
      ? `${request.need.permission.toUpperCase()} on ${request.need.resourceType}`
      : `${request.need.verb} ${request.need.resourceType}`;
  const where = tree.describe(request.location);
  const lines: string[] = [];

  if (d.decision === 'allowed') {
    lines.push(`Allowed: ${who} may ${need} in ${where}.`);
    lines.push(d.grantedBy.length === 1 ? 'Granted by:' : `Granted by ${d.grantedBy.length} statements:`);
    for (const g of d.grantedBy) lines.push(`  ${refLine(g)}`);
    if (d.exemptedDeny) {
      lines.push("This deny statement matches but does not apply: members of the default domain's Administrators group are exempt from deny statements:");
      lines.push(`  ${refLine(d.exemptedDeny)}`);
    }
  } else if (d.deniedBy) {
    lines.push(`Denied: a deny statement matches ${who} for ${need} in ${where}, and deny wins over allow:`);
    lines.push(`  ${refLine(d.deniedBy)}`);
    if (d.overriddenGrants.length > 0) {
      lines.push('Without it, these statements would allow the request:');
      for (const g of d.overriddenGrants) lines.push(`  ${refLine(g)}`);
    }
  } else {
    lines.push(`Denied: no statement grants ${who} ${need} in ${where}.`);
    if (d.nearMisses.length > 0) {
      lines.push('Closest statements:');
      for (const m of d.nearMisses) {
        lines.push(`  ${refLine(m)}`);
        for (const detail of m.details) lines.push(`    ${detail.kind}: ${detail.text}`);
      }
    }
    if (d.suggestion) {
      lines.push('This statement would grant it (in a policy attached to the root compartment):');
      lines.push(`  ${d.suggestion.statement}`);
      for (const note of d.suggestion.notes) lines.push(`  Note: ${note}`);
    }
  }
  if (d.recentlyChanged) {
    lines.push(
      'The deciding policy was created in the last 15 minutes: policy changes usually apply within seconds, so retry once before changing more.',
    );
  }
  if (d.viaDynamicGroup) {
    lines.push('A dynamic group is involved: changes to a dynamic group or its matching rule can take up to an hour to apply.');
  }
  if (d.skipped.invalid > 0) {
    lines.push(`${d.skipped.invalid} statement${d.skipped.invalid === 1 ? '' : 's'} did not parse and ${d.skipped.invalid === 1 ? 'was' : 'were'} not evaluated (see the diagnostics).`);
  }
  if (d.skipped.crossTenancy > 0) {
    lines.push(
      `${d.skipped.crossTenancy} cross-tenancy statement${d.skipped.crossTenancy === 1 ? '' : 's'} (Endorse, Admit, Define) ${d.skipped.crossTenancy === 1 ? 'was' : 'were'} not evaluated.`,
    );
  }
  return lines.join('\n');
}
