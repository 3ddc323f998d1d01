// Reads a `--format json` report back in (for `diff` and `summarize`). The
// file may come from another host, another doctor version, or be something
// else entirely: every field is checked, a bad file is refused with the path
// of the first wrong field, and nothing the file holds is trusted to be
// printable (what steers a terminal is escaped here, once, by the output sanitiser).
import { STATUSES, type Status } from '../types.js';
import { jsonErrorPlace } from '../json-syntax.js';
import { visibleLine } from './sanitize.js';
import { valueText } from '../value-text.js';

/** A doctor report is tens of kilobytes; a file this large is something else. */
export const MAX_REPORT_BYTES = 8 * 1024 * 1024;
/** Far above the catalogue's size: more means a generated or hostile file. */
const MAX_CHECKS = 1000;
const MAX_FINDINGS = 200;
const MAX_EVIDENCE = 200;

export interface ParsedFinding {
  code: string;
  severity: string;
  title: string;
  evidence: Record<string, string>;
}

export interface ParsedCheck {
  id: string;
  title: string;
  category: string;
  status: Status;
  summary: string;
  findings: ParsedFinding[];
}

export interface ParsedReport {
  /** Where it came from (file name), for messages and as a host label. */
  source: string;
  version?: string;
  /** The machine it ran on and the node-oracledb it carried (reports from before these were written have neither). */
  host?: string;
  nodeOracledb?: string;
  startedAt?: string;
  context: Record<string, string>;
  interrupted: boolean;
  checks: ParsedCheck[];
}

export class ReportParseError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value from the file, quoted for a message. */
function shownValue(value: unknown): string {
  return JSON.stringify(visibleLine(valueText(value) ?? 'nothing'));
}

export function parseReport(text: string, source: string): ParsedReport {
  const fail = (reason: string): never => {
    throw new ReportParseError(source, reason);
  };
  if (Buffer.byteLength(text, 'utf8') > MAX_REPORT_BYTES) fail(`larger than ${MAX_REPORT_BYTES} bytes: not a doctor report`);
  if (text.trim() === '') fail('empty file');
  if (text.includes('\u0000')) fail('binary data (NUL bytes): not a JSON report');
  let doc: unknown;
  const body = text.replace(/^\uFEFF/, '');
  try {
    doc = JSON.parse(body);
  } catch (err) {
    fail(`not JSON (${jsonErrorPlace(body, err as Error)}; the text there is not shown); write reports with --format json`);
  }
  if (!isObject(doc)) fail(`expected a JSON object, found ${Array.isArray(doc) ? 'an array' : typeof doc === 'object' ? 'null' : typeof doc}`);
  const d = doc as Json;
  if ('explanations' in d && !('checks' in d)) fail("this is an 'explain' result, not a doctor run");
  const tool = d.tool;
  if (!isObject(tool)) fail("no 'tool' object: not a dbiam-doctor JSON report (written with --format json?)");
  const t = tool as Json;
  if (t.name !== 'dbiam-doctor') fail(`tool.name is ${shownValue(t.name)}, not dbiam-doctor`);
  if (!Array.isArray(d.checks)) fail("no 'checks' array");
  const rawChecks = d.checks as unknown[];
  if (rawChecks.length > MAX_CHECKS) fail(`${rawChecks.length} checks, more than ${MAX_CHECKS}`);

  const seen = new Set<string>();
  const checks = rawChecks.map((raw, i): ParsedCheck => {
    const at = `checks[${i}]`;
    if (!isObject(raw)) fail(`${at}: expected an object`);
    const c = raw as Json;
    const id = str(c.id, `${at}.id`, fail, true);
    if (seen.has(id)) fail(`${at}.id: '${id}' appears twice`);
    seen.add(id);
    if (typeof c.status !== 'string' || !(STATUSES as readonly string[]).includes(c.status)) {
      fail(`${at}.status: expected one of ${STATUSES.join(', ')}, found ${shownValue(c.status)}`);
    }
    const findings = c.findings === undefined ? [] : c.findings;
    if (!Array.isArray(findings)) fail(`${at}.findings: expected an array`);
    if ((findings as unknown[]).length > MAX_FINDINGS) fail(`${at}.findings: more than ${MAX_FINDINGS}`);
    return {
      id,
      title: optStr(c.title, `${at}.title`, fail) ?? id,
      category: optStr(c.category, `${at}.category`, fail) ?? id.split('.')[0] ?? id,
      status: c.status as Status,
      summary: optStr(c.summary, `${at}.summary`, fail) ?? '',
      findings: (findings as unknown[]).map((f, j) => finding(f, `${at}.findings[${j}]`, fail)),
    };
  });

  const context = emptyRecord();
  if (d.context !== undefined) {
    if (!isObject(d.context)) fail('context: expected an object');
    for (const [k, v] of Object.entries(d.context as Json)) if (typeof v === 'string') context[visibleLine(k)] = visibleLine(v);
  }
  const version = optStr(t.version, 'tool.version', fail);
  const host = optStr(t.host, 'tool.host', fail);
  const nodeOracledb = optStr(t.nodeOracledb, 'tool.nodeOracledb', fail);
  const startedAt = optStr(d.startedAt, 'startedAt', fail);
  return {
    source,
    ...(version !== undefined ? { version } : {}),
    ...(host ? { host } : {}),
    ...(nodeOracledb ? { nodeOracledb } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    context,
    interrupted: d.interrupted === true,
    checks,
  };
}

type Fail = (reason: string) => never;

/** No prototype: a key named __proto__ in a hostile file stays a plain key. */
function emptyRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

function str(v: unknown, at: string, fail: Fail, required: boolean): string {
  if (typeof v !== 'string' || (required && v === '')) return fail(`${at}: expected a${required ? ' non-empty' : ''} string`);
  if (v.length > 64 * 1024) return fail(`${at}: longer than 64 KB`);
  return visibleLine(v);
}

function optStr(v: unknown, at: string, fail: Fail): string | undefined {
  return v === undefined ? undefined : str(v, at, fail, false);
}

function finding(raw: unknown, at: string, fail: Fail): ParsedFinding {
  if (!isObject(raw)) return fail(`${at}: expected an object`);
  const evidence = emptyRecord();
  if (raw.evidence !== undefined) {
    if (!isObject(raw.evidence)) fail(`${at}.evidence: expected an object`);
    const entries = Object.entries(raw.evidence as Json);
    if (entries.length > MAX_EVIDENCE) fail(`${at}.evidence: more than ${MAX_EVIDENCE} entries`);
    for (const [k, v] of entries) evidence[visibleLine(k)] = str(v, `${at}.evidence[${JSON.stringify(visibleLine(k))}]`, fail, false);
  }
  return {
    code: str(raw.code, `${at}.code`, fail, true),
    severity: str(raw.severity, `${at}.severity`, fail, true),
    title: optStr(raw.title, `${at}.title`, fail) ?? '',
    evidence,
  };
}
