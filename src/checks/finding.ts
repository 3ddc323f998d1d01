// Builds findings from a check's declared codes, so a code can never be
// emitted without the meaning and fix that the catalogue documents.
import type { Finding, FindingSpec } from '../core/types.js';

export interface FindingParts {
  title: string;
  detail?: string;
  evidence?: Record<string, string>;
  /** Replaces the spec's general fix text when the finding knows better. */
  fixText?: string;
  /** Commands that fix the problem (the verdict and `y` offer the first). */
  commands?: string[];
  /** Commands that only show the problem and change nothing (see Fix.inspect). */
  inspect?: string[];
}

export function findingFrom(spec: FindingSpec, parts: FindingParts): Finding {
  return {
    code: spec.code,
    severity: spec.severity,
    title: parts.title,
    detail: parts.detail ?? spec.meaning,
    evidence: parts.evidence ?? {},
    fix: { text: parts.fixText ?? spec.fix, commands: parts.commands ?? [], ...(parts.inspect?.length ? { inspect: parts.inspect } : {}) },
  };
}

/** Declares a check's codes once: the list for the catalogue, the map for `run`. */
export function defineCodes<K extends string>(specs: Record<K, FindingSpec>): { list: FindingSpec[]; spec: Record<K, FindingSpec> } {
  return { list: Object.values(specs), spec: specs };
}
