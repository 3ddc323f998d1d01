// `dbiam-doctor policy explain`: decides, from exported files and no API
// call, whether a caller may do something somewhere, and says why: the
// statements that grant or deny, else the closest statements and what each
// misses, and one statement that would grant the least access needed.
// Exit 0 allowed, 1 denied, 2 when the question cannot be asked as typed.
import { statSync } from 'node:fs';
import { readRegularFileSync } from '../../adapters/files.js';
import { basename, resolve } from 'node:path';
import type { CliIO } from '../io.js';
import type { DoctorOptions } from '../../core/options.js';
import {
  CompartmentTree,
  evaluate,
  explainDecision,
  matchingRuleMatches,
  parseDynamicGroupExport,
  parsePolicyFile,
  type AccessRequest,
  type Decision,
  type DynamicGroupInput,
  type FileDiagnostic,
  type PolicyDiagnostic,
  type StatementRef,
} from '../../core/policy/index.js';
import { code, fenced, prose } from '../../core/report/markdown-syntax.js';
import { inertJson } from '../../core/report/sanitize.js';
import {
  QueryError,
  UNKNOWN_TENANCY,
  needText,
  orderNearMisses,
  parseCompartmentExport,
  parseNeedText,
  parseTargetVariables,
  resolveLocationText,
  resolvePrincipal,
  tenancyOf,
  type CompartmentFile,
  type ResolvedPrincipal,
} from '../../core/policy-query.js';

/**
 * Exports are read whole, then parsed with JSON.parse (the fastest reader
 * node has). 256 MiB admits about 1.9 million statements of the benchmark's
 * shape (its 1,000,000 take 135 MB) and stays well under the longest string
 * V8 can make (2^29 characters); a larger file is refused by its size before
 * a byte of it is read.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const SHOWN_DIAGNOSTICS = 20;

export interface PolicyExplainInput {
  options: DoctorOptions;
  io: CliIO;
}

interface DynamicGroupVerdict {
  name: string;
  id: string;
  matches: boolean;
  /** Why the rule is false for this instance (empty when it matches). */
  reasons: string[];
}

export interface PolicyExplanation {
  request: AccessRequest;
  tree: CompartmentTree;
  decision: Decision;
  principal: ResolvedPrincipal;
  dynamicGroups: DynamicGroupVerdict[];
  fileProblems: string[];
}

function readInput(io: CliIO, flag: string, path: string): string {
  const full = resolve(io.cwd, path);
  try {
    const size = statSync(full).size;
    if (size > MAX_FILE_BYTES) throw new QueryError(`${flag} ${path}: the file is ${size} bytes, more than ${MAX_FILE_BYTES} (is it the right file?)`);
    // Regular files only, capped: a FIFO would block the open, /dev/zero would never end.
    const read = readRegularFileSync(full, MAX_FILE_BYTES);
    if (!read.ok) throw new QueryError(`${flag} ${path}: ${read.reason}`);
    return read.bytes.toString('utf8');
  } catch (e) {
    if (e instanceof QueryError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new QueryError(`${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

function fileProblem(d: FileDiagnostic): string {
  const at = d.path ?? (d.line !== undefined && !d.message.includes('(line ') ? `line ${d.line}` : '');
  return at ? `${at}: ${d.message}` : d.message;
}

/** A file that yielded nothing and has errors cannot answer anything: a usage error. */
function usableOrThrow(flag: string, path: string, count: number, diagnostics: FileDiagnostic[]): string[] {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (count === 0 && errors[0]) throw new QueryError(`${flag} ${path}: ${fileProblem(errors[0])}`);
  return errors.map((d) => `${path}: ${fileProblem(d)}`);
}

/** Reads the files named by the options and decides; throws QueryError on a question that cannot be asked. */
export function explainFromOptions(options: DoctorOptions, io: CliIO): PolicyExplanation {
  if (!options.policies) throw new QueryError('policy explain needs --policies FILE (oci iam policy list --all … > policies.json, or a text file of statements)');
  if (!options.need) throw new QueryError("policy explain needs --need, e.g. --need 'use database-connections'");
  if (!options.in) throw new QueryError("policy explain needs --in: 'tenancy' or 'compartment A:B' (the target's place, from the tenancy)");
  const need = parseNeedText(options.need);

  let compartmentFile: CompartmentFile | undefined;
  if (options.compartments) {
    compartmentFile = parseCompartmentExport(readInput(io, '--compartments', options.compartments));
    if (compartmentFile.compartments.length === 0 && compartmentFile.problems[0]) throw new QueryError(`--compartments ${options.compartments}: ${compartmentFile.problems[0]}`);
  }
  const policyFile = parsePolicyFile(readInput(io, '--policies', options.policies), {
    compartmentId: compartmentFile?.rootId ?? UNKNOWN_TENANCY,
    name: basename(options.policies),
    id: basename(options.policies),
  });
  const fileProblems = usableOrThrow('--policies', options.policies, policyFile.policies.length, policyFile.diagnostics);
  let dynamicGroupList: DynamicGroupInput[] = [];
  if (options.dynamicGroups) {
    const dgFile = parseDynamicGroupExport(readInput(io, '--dynamic-groups', options.dynamicGroups));
    // Rule problems show with the membership below; only problems with the file itself count here.
    const fileLevel = dgFile.diagnostics.filter((d) => !d.path?.endsWith('.matching-rule') || d.message.includes('no `matching-rule`'));
    fileProblems.push(...usableOrThrow('--dynamic-groups', options.dynamicGroups, dgFile.dynamicGroups.length, fileLevel));
    dynamicGroupList = dgFile.dynamicGroups;
  }

  const tenancyId = tenancyOf(compartmentFile, policyFile.policies) ?? UNKNOWN_TENANCY;
  const baseCompartments = compartmentFile?.compartments ?? [];
  const placed = resolveLocationText(options.in, new CompartmentTree(tenancyId, baseCompartments));
  const compartments = [...baseCompartments, ...placed.added];
  const principal = resolvePrincipal({ as: options.as, principalCompartment: options.principalCompartment, tags: options.tag, dynamicGroups: dynamicGroupList });
  const request: AccessRequest = {
    principal: principal.principal,
    need,
    location: placed.id,
    variables: { ...principal.variables, ...parseTargetVariables(options.target) },
  };
  const ctx = { tenancyId, compartments, now: io.now?.() ?? new Date() };
  const evaluated = evaluate(request, policyFile.policies, ctx);
  const decision: Decision = { ...evaluated, nearMisses: orderNearMisses(request.principal, evaluated.nearMisses).all };
  const dynamicGroups: DynamicGroupVerdict[] = principal.instance
    ? dynamicGroupList.map((g) => {
        const m = matchingRuleMatches(g.matchingRule, principal.instance!.attributes);
        return { name: g.name, id: g.id, matches: m.matches, reasons: m.failed.map((f) => f.reason) };
      })
    : [];
  return { request, tree: new CompartmentTree(tenancyId, compartments), decision, principal, dynamicGroups, fileProblems };
}

// ---------------------------------------------------------------------------
// Output

function diagnosticLine(d: PolicyDiagnostic): string {
  const at = d.sourceLine !== undefined ? `line ${d.sourceLine}` : `column ${d.column}`;
  return `policy '${d.policy}', statement ${d.statementIndex + 1} (${at}): ${d.severity}: ${d.message}`;
}

/** Problems worth a reader's time: errors and lint warnings, not the cross-tenancy notes (counted in the decision). */
function shownDiagnostics(d: Decision): PolicyDiagnostic[] {
  return d.diagnostics.filter((x) => x.severity !== 'info');
}

export function renderText(x: PolicyExplanation): string {
  const lines = [explainDecision(x.decision, x.request, x.tree)];
  if (x.principal.instance) {
    lines.push('', `Dynamic groups (${x.dynamicGroups.length} read):`);
    if (x.dynamicGroups.length === 0) lines.push('  none given (--dynamic-groups FILE)');
    for (const g of x.dynamicGroups) lines.push(`  ${g.name}: ${g.matches ? 'matches' : `does not match: ${g.reasons.join('; ')}`}`);
    for (const w of x.principal.instance.membership.warnings) lines.push(`  Warning: ${w}`);
  }
  const diags = shownDiagnostics(x.decision);
  if (diags.length > 0 || x.fileProblems.length > 0) {
    lines.push('', 'Problems in the input:');
    for (const p of x.fileProblems.slice(0, SHOWN_DIAGNOSTICS)) lines.push(`  ${p}`);
    for (const d of diags.slice(0, SHOWN_DIAGNOSTICS)) lines.push(`  ${diagnosticLine(d)}`);
    if (diags.length > SHOWN_DIAGNOSTICS) lines.push(`  … and ${diags.length - SHOWN_DIAGNOSTICS} more`);
  }
  return `${lines.join('\n')}\n`;
}

function refMd(r: StatementRef): string {
  return `policy **${prose(r.policy)}**, statement ${r.statementIndex + 1}: ${code(r.statement)}`;
}

export function renderMarkdown(x: PolicyExplanation): string {
  const d = x.decision;
  const where = x.tree.describe(x.request.location);
  const out = [`## Policy decision: ${d.decision}`, '', `- **Need:** ${code(needText(x.request.need))} in ${prose(where)}`];
  const vars = Object.entries(x.request.variables ?? {});
  if (vars.length > 0) out.push(`- **Variables:** ${vars.map(([k, v]) => code(`${k} = ${String(v)}`)).join(', ')}`);
  out.push('');
  if (d.decision === 'allowed') {
    out.push('### Granted by', '', ...d.grantedBy.map((g) => `1. ${refMd(g)}`));
  } else if (d.deniedBy) {
    out.push('### Denied by (deny wins over allow)', '', `1. ${refMd(d.deniedBy)}`);
    if (d.overriddenGrants.length > 0) out.push('', '### Would grant without it', '', ...d.overriddenGrants.map((g) => `1. ${refMd(g)}`));
  } else {
    out.push('No statement grants it.', '');
    if (d.nearMisses.length > 0) {
      out.push('### Closest statements', '');
      for (const m of d.nearMisses) {
        out.push(`1. ${refMd(m)}`);
        for (const detail of m.details) out.push(`   - ${detail.kind}: ${prose(detail.text)}`);
      }
      out.push('');
    }
    if (d.suggestion) {
      out.push('### Statement that would grant it', '', fenced([d.suggestion.statement], ''));
      for (const n of d.suggestion.notes) out.push('', `> ${prose(n)}`);
    }
  }
  if (d.recentlyChanged) out.push('', '> The deciding policy was created in the last 15 minutes: retry once before changing more.');
  if (d.viaDynamicGroup) out.push('', '> A dynamic group is involved: its changes can take up to an hour to apply.');
  if (x.principal.instance) {
    out.push('', '### Dynamic groups', '');
    if (x.dynamicGroups.length === 0) out.push('None given (--dynamic-groups FILE).');
    for (const g of x.dynamicGroups) out.push(`- **${prose(g.name)}**: ${g.matches ? 'matches' : `does not match: ${prose(g.reasons.join('; '))}`}`);
  }
  const diags = shownDiagnostics(d);
  if (diags.length > 0 || x.fileProblems.length > 0) {
    out.push('', '### Problems in the input', '');
    for (const p of x.fileProblems.slice(0, SHOWN_DIAGNOSTICS)) out.push(`- ${prose(p)}`);
    for (const diag of diags.slice(0, SHOWN_DIAGNOSTICS)) out.push(`- ${prose(diagnosticLine(diag))}`);
  }
  return `${out.join('\n')}\n`;
}

const refJson = (r: StatementRef) => ({ policy: r.policy, policyId: r.policyId, statementIndex: r.statementIndex, statement: r.statement });

export function renderJson(x: PolicyExplanation): string {
  const d = x.decision;
  const doc: Record<string, unknown> = {
    decision: d.decision,
    request: {
      principal: x.request.principal,
      need: needText(x.request.need),
      location: x.tree.describe(x.request.location),
      locationId: x.request.location,
      variables: x.request.variables ?? {},
    },
  };
  if (d.deniedBy) doc.deniedBy = refJson(d.deniedBy);
  Object.assign(doc, {
    grantedBy: d.grantedBy.map(refJson),
    overriddenGrants: d.overriddenGrants.map(refJson),
    nearMisses: d.nearMisses.map((m) => ({ ...refJson(m), kinds: m.kinds, reason: m.reason })),
    suggestion: d.suggestion?.statement ?? null,
    suggestionNotes: d.suggestion?.notes ?? [],
    recentlyChanged: d.recentlyChanged,
    viaDynamicGroup: d.viaDynamicGroup,
    dynamicGroups: x.dynamicGroups,
    skipped: d.skipped,
    diagnostics: d.diagnostics.map((g) => ({
      policy: g.policy,
      policyId: g.policyId,
      statementIndex: g.statementIndex,
      severity: g.severity,
      code: g.code,
      message: g.message,
      column: g.column,
      ...(g.sourceLine !== undefined ? { line: g.sourceLine } : {}),
    })),
    fileProblems: x.fileProblems,
  });
  return `${inertJson(JSON.stringify(doc, null, 2))}\n`;
}

export async function runPolicyExplainCommand({ options, io }: PolicyExplainInput): Promise<number> {
  let x: PolicyExplanation;
  try {
    x = explainFromOptions(options, io);
  } catch (e) {
    if (e instanceof QueryError) {
      io.stderr.write(`dbiam-doctor: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const render = options.format === 'json' ? renderJson : options.format === 'md' ? renderMarkdown : renderText;
  io.stdout.write(render(x));
  return x.decision.decision === 'allowed' ? 0 : 1;
}
