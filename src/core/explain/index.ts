// The error explainer: pasted (or caught) error text in, explanations out, in
// the finding codes the checks use. Pure: no I/O, no clock.
import type { Finding, FindingSpec } from '../types.js';
import { causeLineAfter, normaliseText, readFacts, readSignals } from './signals.js';
import { EXPLAIN_TABLE } from './table.js';
import { EXPLAIN_CODE_LIST } from './codes.js';
import { EXPLAIN_UNKNOWN_ERROR, type ExplainContext, type Explanation, type Facts, type RuleMatch, type Signal } from './types.js';

export { detectClients } from './signals.js';
export { EXPLAIN_TABLE } from './table.js';
export { EXPLAIN_UNKNOWN_ERROR } from './types.js';
export { EXPLAIN_CODE_LIST, EXPLAIN_SPECS } from './codes.js';
export type { ExplainContext, Explanation, RankedCause, RunFacts } from './types.js';

/** Wrappers whose own text says nothing: the real error is in the cause line after them. */
const WRAPPER_MEANING: Record<string, string> = {
  'NJS-500': 'node-oracledb: the connection was closed or broken',
  'NJS-503': 'node-oracledb: the connection could not be established',
  'NJS-505': 'node-oracledb: TLS could not be set up from the wallet',
  'NJS-506': 'node-oracledb: the TLS handshake failed',
  'NJS-511': 'node-oracledb: the listener refused the connection',
  'NJS-512': 'node-oracledb: the connection parameters are invalid',
  'DPY-6000': 'python-oracledb: the listener refused the connection',
  'DPY-6005': 'python-oracledb: the connection could not be established',
  'DPY-4011': 'python-oracledb: the database or the network closed the connection',
};

const NJS_168 = 'NJS-168';

function label(s: Signal, facts: Facts): string {
  if (s.key.startsWith('oci:status:')) return `OCI ${s.key.slice('oci:status:'.length)}${facts.serviceCode ? ` ${facts.serviceCode}` : ''}`;
  if (s.key.startsWith('oci:code:')) return s.key.slice('oci:code:'.length);
  return s.isError ? s.key : s.text;
}

/** What an unexplained error code is, without inventing a meaning for it. */
function describeUnknown(key: string, facts: Facts): string {
  if (key.startsWith('ORA-')) {
    const n = Number(key.slice(4));
    if (n >= 25700 && n <= 25799) return `${key} is in the token-authentication range, but the explainer has no reliable text for it and will not guess`;
    if ((n >= 12100 && n <= 12299) || (n >= 12500 && n <= 12699)) return `${key} is a listener or network (TNS) error that is not on the IAM path table`;
    if (n >= 28000 && n <= 29999) return `${key} is an Oracle Client security (TLS, wallet, account) error that is not on the IAM path table`;
    return `${key} is an ORA- code that is not on the IAM connection path`;
  }
  if (key.startsWith('NJS-')) return WRAPPER_MEANING[key] ?? `${key} is a node-oracledb error that is not on the IAM connection path`;
  if (key.startsWith('DPY-') || key.startsWith('DPI-')) return WRAPPER_MEANING[key] ?? `${key} is a python-oracledb error that is not on the IAM connection path`;
  if (key.startsWith('oci:status:')) return `an OCI service error (${key.slice('oci:status:'.length)}${facts.serviceCode ? ` ${facts.serviceCode}` : ''}) other than 401 NotAuthenticated or 404 NotAuthorizedOrNotFound`;
  return key;
}

/** The recognised signals as one line; an OCI error reads as `OCI 404 NotAuthorizedOrNotFound`, not as its three spellings. */
function recognisedFrom(used: Signal[], facts: Facts): string {
  const hasStatus = used.some((s) => s.key.startsWith('oci:status:'));
  const hasCode = used.some((s) => s.key.startsWith('oci:code:'));
  const shown = used.filter((s) => !(s.key.startsWith('oci:msg:') && (hasStatus || hasCode)) && !(s.key.startsWith('oci:code:') && hasStatus));
  return [...new Set(shown.map((s) => label(s, facts)))].join(' → ');
}

interface Placed {
  at: number;
  exp: Explanation;
}

function unknownFrom(group: Signal[], facts: Facts, text: string): Explanation {
  const keys = [...new Set(group.map((s) => s.key))];
  const firstSignal = group[0] as Signal;
  const evidence: Record<string, string> = { line: firstSignal.line };
  const wrapper = keys.find((k) => k in WRAPPER_MEANING);
  const causeLine = wrapper ? causeLineAfter(text, firstSignal.index) : undefined;
  if (causeLine && !keys.some((k) => causeLine.startsWith(k))) evidence['cause line'] = causeLine;
  const recognised = [recognisedFrom(group, facts), ...(evidence['cause line'] ? [evidence['cause line']] : [])].join(' → ');
  const parts = keys.map((k) => describeUnknown(k, facts));
  if (evidence['cause line']) parts.push(`its cause line ("${evidence['cause line']}") is not one the explainer knows`);
  return {
    code: EXPLAIN_UNKNOWN_ERROR.code,
    severity: 'warn',
    title: `Not a known error on the IAM-to-database path: ${recognised}`,
    cause: `${parts.join('; ')}.`,
    fixText: EXPLAIN_UNKNOWN_ERROR.fix,
    commands: ["dbiam-doctor --dsn '<connect string>'"],
    recognised,
    errors: keys.map((k) => (k.startsWith('oci:status:') ? label({ ...firstSignal, key: k }, facts) : k)),
    related: [],
    evidence,
    causes: [],
    confidence: 'ranked',
  };
}

/**
 * Explains pasted error text from any client. Each explanation answers in a
 * finding code; `explain.unknown-error` marks what was not (fully) explained.
 * `context.foundCodes` (codes of the current run) decides between the causes
 * of an ambiguous error such as ORA-01017.
 */
export function explainError(raw: string, context: ExplainContext = {}): Explanation[] {
  const text = normaliseText(raw);
  const signals = readSignals(text);
  const facts = readFacts(text);
  const status = [...signals.keys()].find((k) => k.startsWith('oci:status:'));
  if (status) facts.status = status.slice('oci:status:'.length);
  const serviceCode = [...signals.keys()].find((k) => k.startsWith('oci:code:'));
  if (serviceCode) facts.serviceCode = serviceCode.slice('oci:code:'.length);

  const has = (k: string): boolean => signals.has(k);
  const match: RuleMatch = { signals, has, facts, context, text };
  const accounted = new Set<string>();
  const placed: Placed[] = [];

  for (const rule of EXPLAIN_TABLE) {
    if (!(rule.when ?? []).every(has)) continue;
    const anyHit = (rule.whenAny ?? []).filter(has);
    if (rule.whenAny && anyHit.length === 0) continue;
    if (rule.needs && !rule.needs.every(has)) continue;
    if (rule.needsAny && !rule.needsAny.some(has)) continue;
    if (rule.unless?.some(has)) continue;
    const triggers = [...(rule.when ?? []), ...anyHit];
    if (triggers.every((k) => accounted.has(k))) continue;

    const answer = rule.explain(match);
    if (answer.causes && answer.causes[0]?.code !== answer.code) throw new Error(`explain rule ${rule.id} ranks ${answer.causes[0]?.code} first but answers ${answer.code}`);
    const codes = [answer.code, ...(answer.related ?? []), ...(answer.causes ?? []).map((c) => c.code)];
    const stray = codes.find((c) => !rule.emits.includes(c));
    if (stray) throw new Error(`explain rule ${rule.id} answered ${stray}, which it does not declare`);

    const keys = [...triggers, ...(rule.wraps ?? []).filter(has)];
    for (const k of keys) accounted.add(k);
    const used = keys.map((k) => signals.get(k)?.[0]).filter((s): s is Signal => s !== undefined).sort((a, b) => a.index - b.index);
    placed.push({
      at: used[0]?.index ?? 0,
      exp: {
        code: answer.code,
        severity: answer.severity ?? 'fail',
        title: answer.title,
        cause: answer.cause,
        fixText: fixFor(answer.code, context.specs, answer.fixText),
        commands: answer.commands ?? [],
        recognised: recognisedFrom(used, facts),
        errors: [...new Set(used.filter((s) => s.isError).map((s) => label(s, facts)))],
        related: [...new Set([...(answer.causes ?? []).slice(1).map((c) => c.code), ...(answer.related ?? [])])].filter((c) => c !== answer.code),
        evidence: answer.evidence ?? {},
        causes: answer.causes ?? [{ code: answer.code, why: answer.cause, tell: answer.commands?.[0] ?? 'the error names it' }],
        confidence: (answer.causes?.length ?? 1) > 1 ? 'ranked' : 'certain',
      },
    });
  }

  // NJS-168 only says the accessToken callback threw; what it threw is explained above, or not at all.
  const njs168 = signals.get(NJS_168)?.[0];
  if (njs168 && !accounted.has(NJS_168)) {
    accounted.add(NJS_168);
    const firstPlaced = [...placed].sort((a, b) => a.at - b.at)[0];
    if (firstPlaced) {
      firstPlaced.exp.errors = [NJS_168, ...firstPlaced.exp.errors];
      firstPlaced.exp.recognised = `NJS-168 (the accessToken function failed) → ${firstPlaced.exp.recognised}`;
      firstPlaced.exp.evidence = { ...firstPlaced.exp.evidence, 'wrapped by': 'NJS-168: node-oracledb re-raised the accessToken function’s error' };
    } else {
      // `NJS-168: …` then the stack (message + stack), or the stack then `code: 'NJS-168'` (console.error).
      const thrown = /^(?:\w*Error:\s*)?NJS-168:/.test(njs168.line)
        ? causeLineAfter(text, njs168.index)
        : text
            .split('\n')
            .map((l) => l.trim())
            .find((l) => l !== '' && !l.includes(NJS_168) && !/^at\s/.test(l));
      placed.push({
        at: njs168.index,
        exp: {
          code: EXPLAIN_UNKNOWN_ERROR.code,
          severity: 'warn',
          title: 'The accessToken function failed (NJS-168) with an error the explainer does not know',
          cause: `node-oracledb re-raised the error of the function passed as accessToken as NJS-168 and kept the original only in the stack${thrown ? `: "${thrown}"` : ''}.`,
          fixText: 'Look at the first line of the stack (the function’s own error); run the doctor to check the DB token request the same way.',
          commands: ["dbiam-doctor --dsn '<connect string>'"],
          recognised: 'NJS-168',
          errors: [NJS_168],
          related: [],
          evidence: thrown ? { 'thrown by the function': thrown } : {},
          causes: [],
          confidence: 'ranked',
        },
      });
    }
  }

  // What no rule accounted for: one unknown per run of adjacent lines (a wrapper and its cause together).
  const leftovers = [...signals.values()]
    .flat()
    .filter((s) => s.isError && !accounted.has(s.key))
    .sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  let group: Signal[] = [];
  const flush = (): void => {
    if (group.length > 0) placed.push({ at: group[0]?.index ?? 0, exp: unknownFrom(group, facts, text) });
    group = [];
  };
  for (const s of leftovers) {
    if (seen.has(s.key)) continue;
    seen.add(s.key);
    // A wrapper and the code on its cause line are one error; anything else stands alone.
    const last = group[group.length - 1];
    if (last && !(s.lineNo === last.lineNo || (s.lineNo === last.lineNo + 1 && last.key in WRAPPER_MEANING))) flush();
    group.push(s);
  }
  flush();

  if (placed.length === 0) {
    placed.push({
      at: 0,
      exp: {
        code: EXPLAIN_UNKNOWN_ERROR.code,
        severity: 'warn',
        title: 'No error the explainer knows was found in the text',
        cause: 'The text holds no error code (NJS-, DPY-, ORA-, an OCI status) and none of the TLS, network or OCI messages on the IAM-to-database path.',
        fixText: 'Paste the complete error as the client printed it, cause lines and stack included, or run the doctor against the database.',
        commands: ["dbiam-doctor --dsn '<connect string>'"],
        recognised: 'nothing',
        errors: [],
        related: [],
        evidence: {},
        causes: [],
        confidence: 'ranked',
      },
    });
  }

  return mergeByCode(placed.sort((a, b) => a.at - b.at).map((p) => p.exp));
}

/**
 * The fix for a code comes from its one owner, the catalogue's spec; a rule's
 * own words are used only when no catalogue is at hand, or for codes the
 * catalogue does not hold.
 */
function fixFor(code: string, specs: ReadonlyMap<string, FindingSpec> | undefined, ruleFix: string | undefined): string {
  const spec = specs?.get(code) ?? EXPLAIN_CODE_MAP.get(code);
  return spec?.fix ?? ruleFix ?? EXPLAIN_UNKNOWN_ERROR.fix;
}

const EXPLAIN_CODE_MAP: ReadonlyMap<string, FindingSpec> = new Map(EXPLAIN_CODE_LIST.map((s) => [s.code, s]));

/** One explanation per code (unknowns stay apart: each says what it saw). */
function mergeByCode(list: Explanation[]): Explanation[] {
  const out: Explanation[] = [];
  for (const e of list) {
    const same = e.code === EXPLAIN_UNKNOWN_ERROR.code ? undefined : out.find((o) => o.code === e.code);
    if (!same) {
      out.push(e);
      continue;
    }
    same.errors = [...new Set([...same.errors, ...e.errors])];
    same.related = [...new Set([...same.related, ...e.related])];
    same.recognised = `${same.recognised}; ${e.recognised}`;
    same.evidence = { ...e.evidence, ...same.evidence };
    same.commands = [...new Set([...same.commands, ...e.commands])];
    for (const c of e.causes) if (!same.causes.some((s) => s.code === c.code)) same.causes.push(c);
    if (same.causes.length > 1) same.confidence = 'ranked';
  }
  return out;
}

/** True when every explanation found a code other than `explain.unknown-error`. */
export function allRecognised(explanations: readonly Explanation[]): boolean {
  return explanations.every((e) => e.code !== EXPLAIN_UNKNOWN_ERROR.code);
}

const ERROR_PROPS = ['code', 'statusCode', 'serviceCode', 'operationName', 'targetService', 'requestEndpoint', 'opcRequestId'] as const;

/**
 * The text to explain for a caught error: its message, its stack when the
 * message is not in it (NJS-168 keeps the callback's error only there), the
 * properties OCI SDK errors carry beside the message, and its cause chain.
 */
export function errorTextOf(err: unknown, depth = 0): string {
  if (!(err instanceof Error)) return String(err);
  const parts = [err.message];
  const stack = err.stack ?? '';
  if (stack && !stack.includes(err.message)) parts.push(stack);
  const props = err as unknown as Record<string, unknown>;
  for (const k of ERROR_PROPS) {
    const v = props[k];
    if (typeof v === 'number') parts.push(`${k}: ${v}`);
    else if (typeof v === 'string') parts.push(`${k}: '${v}'`);
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 3) parts.push(errorTextOf(cause, depth + 1));
  return parts.join('\n');
}

/** An explanation as a finding, for a check that met the error live. */
export function findingOfExplanation(e: Explanation): Finding {
  const evidence: Record<string, string> = { recognised: e.recognised, ...e.evidence };
  if (e.causes.length > 1) evidence['possible causes'] = e.causes.map((c, i) => `${i + 1}. ${c.code}: ${c.why} (tell: ${c.tell})`).join(' ');
  if (e.related.length > 0) evidence['may also be'] = e.related.join(', ');
  return { code: e.code, severity: e.severity, title: e.title, detail: e.cause, evidence, fix: { text: e.fixText, commands: e.commands } };
}
