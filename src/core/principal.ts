// The one rule for what a non-user principal is to IAM: which compartment it
// is in and which defined tags its dynamic-group rules can test. Checks used to
// decide this three ways (token first in one, metadata first in two).
import type { PrincipalAttributes } from './policy/index.js';

/** What the instance metadata service reported about this instance. */
export type InstanceMetadata =
  | { ok: true; value: { compartmentId?: string; definedTags: Record<string, Record<string, string>> } }
  | { ok: false; reason: string };

export type InstanceAttributesResult = { ok: true; attributes: PrincipalAttributes; notes: string[] } | { ok: false; reason: string };

/**
 * An instance's attributes for matching rules. The compartment comes from the
 * principal token's claim first — it is what IAM issued and checks the caller
 * by — and from the metadata service only when the token carries none; a
 * disagreement (an instance moved since its token was issued) is noted.
 * Defined tags only come from the metadata service; without it, tag rules are
 * evaluated as if the instance had none, and the note says so.
 */
export function instanceAttributes(principal: { id: string; compartmentId?: string }, metadata: InstanceMetadata): InstanceAttributesResult {
  const fromMetadata = metadata.ok ? metadata.value.compartmentId : undefined;
  const compartmentId = principal.compartmentId ?? fromMetadata;
  if (!compartmentId) return { ok: false, reason: `the instance’s compartment is unknown (its token carries none; metadata service: ${metadata.ok ? 'no compartmentId' : metadata.reason})` };
  const notes: string[] = [];
  if (principal.compartmentId && fromMetadata && fromMetadata !== principal.compartmentId) {
    notes.push(`the metadata service puts the instance in ${fromMetadata}, its token in ${principal.compartmentId} (moved since the token was issued?); the token’s compartment was used`);
  }
  if (!metadata.ok) notes.push(`the instance’s defined tags are unknown (metadata service: ${metadata.reason}); tag rules were evaluated as if it had none`);
  return { ok: true, attributes: { kind: 'instance', instanceId: principal.id, compartmentId, tags: metadata.ok ? metadata.value.definedTags : {} }, notes };
}
