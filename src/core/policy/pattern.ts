// Where-clause patterns: `/abc*/`, `/*abc/`, `/*abc*/` — not regular
// expressions, only `*` is special, and matching ignores case. Matched directly
// (anchored ends, then each middle piece found left to right with KMP), so the
// time is linear in the value whatever the pattern is.

export interface CompiledPattern {
  parts: string[];
  /** KMP failure tables for `parts`, built on first use. */
  tables?: Int32Array[];
  hasStar: boolean;
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

export function compilePattern(source: string): CompiledPattern {
  const lower = source.toLowerCase();
  const hasStar = lower.includes('*');
  const parts = hasStar ? lower.split('*').filter((p) => p.length > 0) : [lower];
  return {
    parts,
    hasStar,
    anchoredStart: !hasStar || !lower.startsWith('*'),
    anchoredEnd: !hasStar || !lower.endsWith('*'),
  };
}

function failureTable(p: string): Int32Array {
  const t = new Int32Array(p.length);
  let k = 0;
  for (let i = 1; i < p.length; i++) {
    while (k > 0 && p.charCodeAt(i) !== p.charCodeAt(k)) k = t[k - 1] as number;
    if (p.charCodeAt(i) === p.charCodeAt(k)) k++;
    t[i] = k;
  }
  return t;
}

/** First index ≥ from where `p` occurs in `s` and ends by `limit`, or -1. */
function kmpFind(s: string, p: string, table: Int32Array, from: number, limit: number): number {
  if (p.length === 0) return from;
  let k = 0;
  for (let i = from; i < limit; i++) {
    const c = s.charCodeAt(i);
    while (k > 0 && c !== p.charCodeAt(k)) k = table[k - 1] as number;
    if (c === p.charCodeAt(k)) k++;
    if (k === p.length) return i - p.length + 1;
  }
  return -1;
}

/** `value` must already be lower-case. */
export function patternMatches(p: CompiledPattern, value: string): boolean {
  const parts = p.parts;
  if (!p.hasStar) return value === parts[0];
  let first = 0;
  let last = parts.length;
  let pos = 0;
  let limit = value.length;
  if (p.anchoredStart) {
    const head = parts[0] as string;
    if (!value.startsWith(head)) return false;
    pos = head.length;
    first = 1;
  }
  if (p.anchoredEnd && last > first) {
    const tail = parts[last - 1] as string;
    if (value.length - tail.length < pos || !value.endsWith(tail)) return false;
    limit = value.length - tail.length;
    last--;
  }
  if (first < last) p.tables ??= parts.map(failureTable);
  for (let i = first; i < last; i++) {
    const part = parts[i] as string;
    const at = kmpFind(value, part, p.tables?.[i] as Int32Array, pos, limit);
    if (at < 0) return false;
    pos = at + part.length;
  }
  return true;
}
