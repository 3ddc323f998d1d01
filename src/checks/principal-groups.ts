// The groups a principal is in, as the checks that match global mappings need
// them: a user's IAM groups, or the dynamic groups an instance's matching
// rules put it in. Read through the facts gateway (once per run) and decided
// by the one rule in core/principal.ts.
import { instanceAttributes } from '../core/principal.js';
import { dynamicGroupsOf } from '../core/policy/index.js';
import type { DoctorDeps } from './deps.js';
import type { FactFailure } from './facts.js';
import type { WhoAmIData } from './identity/whoami.js';

export type PrincipalGroups =
  | { ok: true; kind: 'groups' | 'dynamic groups'; names: string[]; notes: string[] }
  | { ok: false; reason: string };

/** `403 NotAuthorizedOrNotFound`, or `no answer: …` when nothing came back. */
export function answerOf(f: FactFailure): string {
  return f.status === 0 ? `no answer: ${f.message}` : `${f.status} ${f.code}`;
}

export async function principalGroups(deps: DoctorDeps, who: WhoAmIData): Promise<PrincipalGroups> {
  const oci = deps.facts.oci;
  if (who.user) {
    const groups = await oci.userGroups(who.identity, who.tenancy, who.user.id);
    if (!groups.ok) return { ok: false, reason: `cannot list the user’s groups (${answerOf(groups)})` };
    return { ok: true, kind: 'groups', names: groups.value.map((g) => g.name), notes: [] };
  }
  const p = who.principal;
  if (p?.kind !== 'instance') return { ok: false, reason: `the dynamic groups of a ${p?.kind ?? 'resource'} principal are not worked out` };
  const [dgs, metadata] = await Promise.all([oci.dynamicGroups(who.identity, who.tenancy), deps.facts.principals.instanceMetadata()]);
  if (!dgs.ok) return { ok: false, reason: `cannot list the dynamic groups (${answerOf(dgs)})` };
  const attrs = instanceAttributes(p, metadata);
  if (!attrs.ok) return { ok: false, reason: attrs.reason };
  return { ok: true, kind: 'dynamic groups', names: dynamicGroupsOf(attrs.attributes, dgs.value).groups.map((g) => g.name), notes: attrs.notes };
}
