// Policies and dynamic groups from files, for engineers who cannot call
// `inspect policies` themselves: the JSON that `oci iam policy list --all` and
// `oci iam dynamic-group list --all` print (`{"data": […]}`, kebab-case keys),
// or a plain-text file of statements, one a line, `#` comments. Bad input
// never throws: each problem becomes a diagnostic naming what and where.
import { jsonErrorOffset } from '../json-syntax.js';
import { positionAt } from '../text-position.js';
import { parseMatchingRule } from './matching-rule.js';
import type { DiagnosticSeverity, DynamicGroupInput, PolicyInput } from './types.js';

export interface FileDiagnostic {
  severity: DiagnosticSeverity;
  message: string;
  /** Where in a JSON document, e.g. `data[3].statements[1]`. */
  path?: string;
  /** 1-based, when known (syntax errors, text files). */
  line?: number;
  column?: number;
}

export interface PolicyFile {
  format: 'json' | 'text';
  policies: PolicyInput[];
  diagnostics: FileDiagnostic[];
}

export interface DynamicGroupFile {
  dynamicGroups: DynamicGroupInput[];
  diagnostics: FileDiagnostic[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Parses JSON, or explains why not, with the line and column of the problem. */
function readJson(text: string, diagnostics: FileDiagnostic[]): Json | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    diagnostics.push({ severity: 'error', message: 'the file is empty' });
    return undefined;
  }
  try {
    return JSON.parse(body) as Json;
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const message = raw.length > 200 ? `${raw.slice(0, 199)}…` : raw;
    const d: FileDiagnostic = { severity: 'error', message: `the file is not valid JSON: ${message}` };
    const at = jsonErrorOffset(body);
    if (at !== undefined) {
      const { line, column } = positionAt(body, at);
      d.line = line;
      d.column = column;
      d.message += ` (line ${line}, column ${column}${at >= body.length ? ': the text ends too early; was it cut off?' : ''})`;
    }
    diagnostics.push(d);
    return undefined;
  }
}

/** The list under `data` (or a bare list, or a single object as `oci … get` prints). */
function itemsOf(doc: Json, command: string, diagnostics: FileDiagnostic[]): { items: Json[]; base: string } | undefined {
  if (Array.isArray(doc)) return { items: doc, base: '' };
  if (doc !== null && typeof doc === 'object') {
    const data = doc['data'];
    if (Array.isArray(data)) return { items: data, base: 'data' };
    if (data !== null && typeof data === 'object') return { items: [data], base: 'data' };
    if (data === undefined) {
      diagnostics.push({
        severity: 'error',
        message: `expected the output of \`${command}\`: an object with a \`data\` list, but the object has no \`data\` (keys: ${Object.keys(doc).slice(0, 8).join(', ') || 'none'})`,
      });
      return undefined;
    }
    diagnostics.push({ severity: 'error', path: 'data', message: `\`data\` should be a list, but it is ${kindOf(data)}` });
    return undefined;
  }
  diagnostics.push({
    severity: 'error',
    message: `expected the output of \`${command}\`: an object with a \`data\` list, but the file holds ${kindOf(doc)}`,
  });
  return undefined;
}

/** A string field under its kebab-case name (CLI) or camelCase name (SDK). */
function field(item: { [key: string]: Json }, kebab: string): Json | undefined {
  if (kebab in item) return item[kebab];
  const camel = kebab.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  return item[camel];
}

function stringField(item: { [key: string]: Json }, kebab: string): string | undefined {
  const v = field(item, kebab);
  return typeof v === 'string' ? v : undefined;
}

function pathOf(base: string, i: number): string {
  return base ? `${base}[${i}]` : `[${i}]`;
}

function inactive(item: { [key: string]: Json }, at: string, what: string, diagnostics: FileDiagnostic[]): boolean {
  const state = stringField(item, 'lifecycle-state');
  if (state === undefined || state.toUpperCase() === 'ACTIVE') return false;
  diagnostics.push({ severity: 'info', path: at, message: `${what} is ${state}, not ACTIVE: skipped` });
  return true;
}

export function parsePolicyExport(text: string): PolicyFile {
  const diagnostics: FileDiagnostic[] = [];
  const policies: PolicyInput[] = [];
  const doc = readJson(text, diagnostics);
  const list = doc === undefined ? undefined : itemsOf(doc, 'oci iam policy list --all', diagnostics);
  for (const [i, item] of (list?.items ?? []).entries()) {
    const at = pathOf(list?.base ?? '', i);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      diagnostics.push({ severity: 'error', path: at, message: `a policy should be an object, but this is ${kindOf(item)}: skipped` });
      continue;
    }
    const id = stringField(item, 'id');
    const name = stringField(item, 'name') ?? id ?? at;
    const label = `policy ${name}`;
    const compartmentId = stringField(item, 'compartment-id');
    const statements = field(item, 'statements');
    if (!Array.isArray(statements)) {
      const looksLikeDynamicGroup = field(item, 'matching-rule') !== undefined;
      diagnostics.push({
        severity: 'error',
        path: `${at}.statements`,
        message: looksLikeDynamicGroup
          ? `${label} has a \`matching-rule\` and no \`statements\`: this looks like \`oci iam dynamic-group list\` output, not policies`
          : `${label} has no \`statements\` list${statements === undefined ? '' : ` (it is ${kindOf(statements)})`}: skipped`,
      });
      continue;
    }
    if (compartmentId === undefined) {
      diagnostics.push({ severity: 'error', path: `${at}.compartment-id`, message: `${label} has no \`compartment-id\`, so its compartment names cannot be resolved: skipped` });
      continue;
    }
    if (inactive(item, at, label, diagnostics)) continue;
    if (id === undefined) diagnostics.push({ severity: 'warning', path: `${at}.id`, message: `${label} has no \`id\`: using \`${at}\`` });
    const texts = statements.map((s, j) => {
      if (typeof s === 'string') return s;
      diagnostics.push({ severity: 'error', path: `${at}.statements[${j}]`, message: `statement ${j + 1} of ${label} is ${kindOf(s)}, not text: left out` });
      return '';
    });
    const policy: PolicyInput = { id: id ?? at, name, compartmentId, statements: texts };
    const created = stringField(item, 'time-created');
    if (created !== undefined) policy.timeCreated = created;
    policies.push(policy);
  }
  return { format: 'json', policies, diagnostics };
}

export function parseDynamicGroupExport(text: string): DynamicGroupFile {
  const diagnostics: FileDiagnostic[] = [];
  const dynamicGroups: DynamicGroupInput[] = [];
  const doc = readJson(text, diagnostics);
  const list = doc === undefined ? undefined : itemsOf(doc, 'oci iam dynamic-group list --all', diagnostics);
  for (const [i, item] of (list?.items ?? []).entries()) {
    const at = pathOf(list?.base ?? '', i);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      diagnostics.push({ severity: 'error', path: at, message: `a dynamic group should be an object, but this is ${kindOf(item)}: skipped` });
      continue;
    }
    const id = stringField(item, 'id');
    const name = stringField(item, 'name') ?? id ?? at;
    const label = `dynamic group ${name}`;
    const rule = stringField(item, 'matching-rule');
    if (rule === undefined) {
      const looksLikePolicy = Array.isArray(field(item, 'statements'));
      diagnostics.push({
        severity: 'error',
        path: `${at}.matching-rule`,
        message: looksLikePolicy
          ? `${label} has \`statements\` and no \`matching-rule\`: this looks like \`oci iam policy list\` output, not dynamic groups`
          : `${label} has no \`matching-rule\` text: skipped`,
      });
      continue;
    }
    if (inactive(item, at, label, diagnostics)) continue;
    if (id === undefined) diagnostics.push({ severity: 'warning', path: `${at}.id`, message: `${label} has no \`id\`: using \`${at}\`` });
    for (const d of parseMatchingRule(rule).diagnostics) {
      diagnostics.push({
        severity: d.severity,
        path: `${at}.matching-rule`,
        line: d.line,
        column: d.column,
        message: `${label}: ${d.message}`,
      });
    }
    const group: DynamicGroupInput = { id: id ?? at, name, matchingRule: rule };
    const domain = stringField(item, 'domain');
    if (domain !== undefined) group.domain = domain;
    dynamicGroups.push(group);
  }
  return { dynamicGroups, diagnostics };
}

export interface StatementFileOptions {
  /** The compartment the statements are meant for; names resolve from here (usually the tenancy). */
  compartmentId: string;
  name?: string;
  id?: string;
}

/** Plain text, one statement a line; blank lines and `#` comment lines are ignored. */
export function parseStatementFile(text: string, opts: StatementFileOptions): PolicyFile {
  const diagnostics: FileDiagnostic[] = [];
  const statements: string[] = [];
  const sourceLines: number[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  body.split('\n').forEach((rawLine, i) => {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    // Copied out of JSON or Terraform: "Allow …",
    if (line.startsWith('"') && (line.endsWith('",') || (line.endsWith('"') && line.length > 1))) {
      line = line.slice(1, line.endsWith(',') ? -2 : -1);
      diagnostics.push({
        severity: 'warning',
        line: i + 1,
        column: 1,
        message: 'the statement is wrapped in double quotes (copied from JSON or Terraform?): read without them',
      });
    }
    statements.push(line);
    sourceLines.push(i + 1);
  });
  if (statements.length === 0) diagnostics.push({ severity: 'warning', message: 'the file holds no statements (only blank or # comment lines)' });
  return {
    format: 'text',
    policies: [
      {
        id: opts.id ?? 'statements-file',
        name: opts.name ?? 'statements file',
        compartmentId: opts.compartmentId,
        statements,
        sourceLines,
      },
    ],
    diagnostics,
  };
}

/** JSON export or plain text, told apart by the first non-blank character. */
export function parsePolicyFile(text: string, opts: StatementFileOptions): PolicyFile {
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? parsePolicyExport(text) : parseStatementFile(text, opts);
}
