// Exported files the policy checks read instead of (or without) the API:
// --policies, --dynamic-groups, --compartments. Read through deps.files.
import type { FilesAdapter } from '../../adapters/files.js';
import { parseDynamicGroupExport, parsePolicyFile, type DynamicGroupInput, type FileDiagnostic, type PolicyInput } from '../../core/policy/index.js';
import { parseCompartmentExport, type CompartmentFile } from '../../core/policy-query.js';

/** 10,000 policies of 10 statements fit in a few MB; this bounds a wrong file, not a real tenancy. */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

export type FileLoad<T> = { ok: true; value: T; problems: string[] } | { ok: false; reason: string };

function problemText(d: FileDiagnostic): string {
  const at = d.path ?? (d.line !== undefined && !d.message.includes('(line ') ? `line ${d.line}` : '');
  return at ? `${at}: ${d.message}` : d.message;
}

/** A file whose every diagnostic is an error and that yielded nothing is unusable as a whole. */
function split<T>(items: T[], diagnostics: FileDiagnostic[]): FileLoad<T[]> {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (items.length === 0 && errors.length > 0) return { ok: false, reason: problemText(errors[0] as FileDiagnostic) };
  return { ok: true, value: items, problems: errors.map(problemText) };
}

export async function loadPolicyFile(files: FilesAdapter, path: string, tenancyId: string): Promise<FileLoad<PolicyInput[]>> {
  const read = await files.readText(path, MAX_EXPORT_BYTES);
  if (!read.ok) return { ok: false, reason: `cannot read ${path}: ${read.reason}` };
  const parsed = parsePolicyFile(read.text, { compartmentId: tenancyId, name: 'statements file', id: `file:${path}` });
  const loaded = split(parsed.policies, parsed.diagnostics);
  return loaded.ok ? loaded : { ok: false, reason: `${path}: ${loaded.reason}` };
}

export async function loadDynamicGroupFile(files: FilesAdapter, path: string): Promise<FileLoad<DynamicGroupInput[]>> {
  const read = await files.readText(path, MAX_EXPORT_BYTES);
  if (!read.ok) return { ok: false, reason: `cannot read ${path}: ${read.reason}` };
  const parsed = parseDynamicGroupExport(read.text);
  // Rule diagnostics are reported with the membership (dg.parse-error); here only the file's own problems count.
  const fileLevel = parsed.diagnostics.filter((d) => !d.path?.endsWith('.matching-rule') || d.message.includes('no `matching-rule`'));
  const loaded = split(parsed.dynamicGroups, fileLevel);
  return loaded.ok ? loaded : { ok: false, reason: `${path}: ${loaded.reason}` };
}

export async function loadCompartmentFile(files: FilesAdapter, path: string): Promise<FileLoad<CompartmentFile>> {
  const read = await files.readText(path, MAX_EXPORT_BYTES);
  if (!read.ok) return { ok: false, reason: `cannot read ${path}: ${read.reason}` };
  const parsed = parseCompartmentExport(read.text);
  if (parsed.compartments.length === 0 && parsed.problems.length > 0) return { ok: false, reason: `${path}: ${parsed.problems[0]}` };
  return { ok: true, value: parsed, problems: parsed.problems };
}
