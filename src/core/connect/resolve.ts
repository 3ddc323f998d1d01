// From what the user typed (--dsn) to a ConnectTarget: a descriptor, an
// EZConnect string, or a tnsnames.ora alias. Shared with the wallet checks,
// which resolve aliases against the wallet's own tnsnames.ora.
import { parseDescriptor, descriptorFromNode } from './descriptor.js';
import { looksLikeEzConnect, parseEzConnect } from './ezconnect.js';
import { aliasesOf, findAlias, parseTnsnames, type TnsnamesSet } from './tnsnames.js';
import type { Resolution } from './target.js';
import type { Position } from './nv.js';

export interface ResolveOptions {
  /** How the DSN was given, for `source` (default "--dsn"). */
  origin?: string;
  /** File name to report for `tnsText` given as a string (default "tnsnames.ora"). */
  tnsFile?: string;
}

/**
 * Resolves a connect string. `tns` is the text of a tnsnames.ora (IFILE
 * entries not followed) or a set loaded with loadTnsnames (includes followed).
 * Never throws.
 */
export function resolveConnectTarget(dsn: string, tns?: string | TnsnamesSet, opts: ResolveOptions = {}): Resolution {
  const origin = opts.origin ?? '--dsn';
  const text = dsn.trim();
  if (text === '') return { ok: false, kind: 'parse-error', message: 'the connect string is empty', at: { line: 1, column: 1 }, text: dsn };
  if (text.startsWith('(')) {
    const r = parseDescriptor(dsn);
    if (!r.ok) return { ok: false, kind: 'parse-error', message: r.message, at: r.at, text: dsn };
    return { ok: true, target: { ...r.target, source: `${origin} (descriptor)` }, details: { kind: 'descriptor', ...r.details } };
  }
  if (looksLikeEzConnect(text)) {
    const r = parseEzConnect(dsn);
    if (!r.ok) return { ok: false, kind: 'parse-error', message: r.message, at: r.at, text: dsn };
    return { ok: true, target: { ...r.target, source: `${origin} (EZConnect)` }, details: { kind: 'ezconnect', ...r.details } };
  }
  if (!/^[A-Za-z0-9_.$#-]+$/.test(text)) {
    const bad = text.search(/[^A-Za-z0-9_.$#-]/);
    return { ok: false, kind: 'parse-error', message: `'${text}' is neither a descriptor, an EZConnect string nor an alias name (unexpected '${text[bad]}')`, at: { line: 1, column: bad + 1 + (dsn.length - dsn.trimStart().length) }, text: dsn };
  }

  const set = typeof tns === 'string' ? parseTnsnames(tns, opts.tnsFile ?? 'tnsnames.ora') : tns;
  if (!set) {
    return { ok: false, kind: 'alias-not-found', message: `'${text}' looks like a tnsnames.ora alias, but no tnsnames.ora was given (set TNS_ADMIN or --tns-admin)`, known: [] };
  }
  const entry = findAlias(set, text);
  if (!entry) {
    const broken = set.errors.find((e) => e.aliases.some((a) => a.toLowerCase() === text.toLowerCase()));
    if (broken) return { ok: false, kind: 'parse-error', message: `alias ${text}: ${broken.message}`, at: broken.at, file: broken.file, text: set.texts.get(broken.file) };
    return { ok: false, kind: 'alias-not-found', message: `alias '${text}' is not defined in ${set.files.join(', ')}`, known: aliasesOf(set) };
  }
  const where = (at: Position): string => `${entry.file}:${at.line}`;
  const source = `alias ${text} in ${where(entry.at)}`;
  const fileText = set.texts.get(entry.file);
  if (entry.node) {
    if (entry.extra.length > 0) {
      const x = entry.extra[0] as { at: Position; name: string };
      return { ok: false, kind: 'parse-error', message: `alias ${text} has more than one top-level parameter ('${x.name}' after the descriptor): close the descriptor's parentheses after everything it holds`, at: x.at, file: entry.file, text: fileText };
    }
    const r = descriptorFromNode(entry.node);
    if (!r.ok) return { ok: false, kind: 'parse-error', message: `alias ${text}: ${r.message}`, at: r.at, file: entry.file, text: fileText };
    return { ok: true, target: { ...r.target, source }, details: { kind: 'alias', ...r.details } };
  }
  const value = entry.value ?? '';
  const r = parseEzConnect(value);
  if (!r.ok) {
    return { ok: false, kind: 'parse-error', message: `alias ${text}: ${r.message}`, at: { line: entry.valueAt.line, column: entry.valueAt.column + r.at.column - 1 }, file: entry.file, text: fileText };
  }
  return { ok: true, target: { ...r.target, source }, details: { kind: 'alias', ...r.details } };
}

/** The closest known alias (edit distance ≤ 3), for "did you mean". */
export function closestAlias(name: string, known: readonly string[]): string | undefined {
  let best: { alias: string; d: number } | undefined;
  for (const k of known.slice(0, 500)) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d <= 3 && (!best || d < best.d)) best = { alias: k, d };
  }
  return best?.alias;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 128 || b.length > 128) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
