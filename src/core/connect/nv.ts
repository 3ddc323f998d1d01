// Oracle Net name-value syntax, as connect descriptors, tnsnames.ora and
// sqlnet.ora write it: `NAME = value` or `NAME = (A=…)(B=(C=…))`, keys in any
// case, `#` comments to the end of the line, double- or single-quoted values.
// Every node keeps the line and column it started at, so an error can point
// at the character a user has to fix. Never throws; input size, nesting
// depth and node count are bounded.

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface NvNode {
  /** The name as written. */
  name: string;
  /** Upper-cased, for lookups. */
  key: string;
  /** An atom (quotes removed), or undefined for a list. */
  value?: string;
  /** Child parameters, for a list value `(A=…)(B=…)`. */
  children: NvNode[];
  at: Position;
  /** Where the value starts. */
  valueAt: Position;
}

export interface NvError {
  message: string;
  at: Position;
}

export const NV_LIMITS = { maxChars: 1_000_000, maxDepth: 64, maxNodes: 20_000 };

/** Line/column of offsets in one text, computed once. */
export class Locator {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] as number) + 1 };
  }
}

class NvFail extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Reads name-value text from `start`: one parenthesised parameter `(NAME=…)`
 * at a time (a descriptor) or `NAME = value` entries (a file), depending on
 * the caller. The reader is shared by both.
 */
export class NvReader {
  pos: number;
  nodes = 0;
  /** Open parentheses (offset, parameter name), innermost last. */
  private readonly open: { offset: number; name: string }[] = [];
  constructor(
    readonly text: string,
    readonly loc: Locator,
    /** In a file, a name at the start of a line begins the next entry. */
    readonly fileMode = false,
  ) {
    this.pos = 0;
  }

  /** Forgets open parentheses after an error, to read on from the next entry. */
  reset(pos: number): void {
    this.open.length = 0;
    this.pos = pos;
  }

  fail(message: string, offset = this.pos): never {
    throw new NvFail(message, offset);
  }

  /** Skips blanks and comments (`#` to end of line). */
  skipBlank(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.pos++;
        if (c === '\n' && this.fileMode && this.open.length > 0 && /[A-Za-z0-9_]/.test(t[this.pos] ?? '')) {
          // .ora files: continuation lines are indented, so a name in column 1
          // starts the next entry while this one still has '(' open.
          const inner = this.open[this.open.length - 1] as { offset: number; name: string };
          this.fail(`'(' of '${inner.name}' is never closed: the next entry starts at line ${this.loc.at(this.pos).line}`, inner.offset);
        }
      } else {
        return;
      }
    }
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  /** A name: everything up to `=`, `(`, `)` or a blank. */
  readName(): { name: string; offset: number } {
    const start = this.pos;
    const t = this.text;
    while (this.pos < t.length && !/[=()\s#,]/.test(t[this.pos] as string)) this.pos++;
    const name = t.slice(start, this.pos);
    if (name === '') this.fail(t[start] === undefined ? 'unexpected end of text: expected a parameter name' : `expected a parameter name, found '${t[start]}'`, start);
    return { name, offset: start };
  }

  /** A quoted string starting at the current quote character. */
  readQuoted(): string {
    const quote = this.text[this.pos] as string;
    const start = this.pos;
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail(`unterminated ${quote === '"' ? 'double' : 'single'} quote`, start);
    this.pos = end + 1;
    return this.text.slice(start + 1, end);
  }

  /**
   * The value after `NAME=` inside parentheses: a list of `(…)` children, or
   * an atom up to the closing parenthesis (atoms may hold blanks and `=`, as
   * an unquoted DN does).
   */
  readParenValue(depth: number): { value?: string; children: NvNode[] } {
    this.skipBlank();
    const c = this.peek();
    if (c === '(') {
      const children: NvNode[] = [];
      while (this.peek() === '(') {
        children.push(this.readParenParam(depth + 1));
        this.skipBlank();
      }
      return { children };
    }
    if (c === '"' || c === "'") {
      const value = this.readQuoted();
      this.skipBlank();
      return { value, children: [] };
    }
    const start = this.pos;
    const t = this.text;
    while (this.pos < t.length && t[this.pos] !== ')' && t[this.pos] !== '(' && t[this.pos] !== '\n' && t[this.pos] !== '#') this.pos++;
    if (t[this.pos] === '(') this.fail(`unexpected '(' inside the value that starts at column ${this.loc.at(start).column}`);
    // A value may continue on the next line up to its ')'.
    let value = t.slice(start, this.pos).trim();
    while (this.pos < t.length && t[this.pos] !== ')') {
      this.skipBlank();
      if (this.peek() === ')' || this.pos >= t.length) break;
      const more = this.pos;
      while (this.pos < t.length && t[this.pos] !== ')' && t[this.pos] !== '(' && t[this.pos] !== '\n' && t[this.pos] !== '#') this.pos++;
      if (t[this.pos] === '(') this.fail(`unexpected '(' inside a value`);
      value = `${value} ${t.slice(more, this.pos).trim()}`.trim();
    }
    return { value, children: [] };
  }

  /** `(NAME = value)`, starting at `(`. */
  readParenParam(depth: number): NvNode {
    if (depth > NV_LIMITS.maxDepth) this.fail(`nesting deeper than ${NV_LIMITS.maxDepth} levels`);
    if (++this.nodes > NV_LIMITS.maxNodes) this.fail(`more than ${NV_LIMITS.maxNodes} parameters`);
    const open = this.pos;
    this.pos++; // '('
    this.open.push({ offset: open, name: '' });
    this.skipBlank();
    const { name, offset } = this.readName();
    (this.open[this.open.length - 1] as { name: string }).name = name;
    this.skipBlank();
    if (this.peek() !== '=') {
      if (this.peek() === ')') this.fail(`'${name}' has no value: expected '=' after it`);
      this.fail(this.pos >= this.text.length ? `unexpected end of text after '${name}': expected '='` : `expected '=' after '${name}', found '${this.peek()}'`);
    }
    this.pos++;
    this.skipBlank();
    const valueOffset = this.pos;
    const { value, children } = this.readParenValue(depth);
    this.skipBlank();
    if (this.peek() !== ')') {
      if (this.pos >= this.text.length) this.fail(`'(' is never closed: missing ')' for '${name}'`, open);
      this.fail(`expected ')' to close '${name}', found '${this.peek()}'`);
    }
    this.pos++;
    this.open.pop();
    return { name, key: name.toUpperCase(), ...(value === undefined ? {} : { value }), children, at: this.loc.at(offset), valueAt: this.loc.at(valueOffset) };
  }
}

export type NvResult<T> = { ok: true; value: T } | { ok: false; error: NvError };

function errorOf(err: unknown, loc: Locator): NvError {
  if (err instanceof NvFail) return { message: err.message, at: loc.at(err.offset) };
  return { message: err instanceof Error ? err.message : String(err), at: { line: 1, column: 1 } };
}

function tooLarge(text: string): NvError | undefined {
  return text.length > NV_LIMITS.maxChars ? { message: `text is ${text.length} characters, more than the ${NV_LIMITS.maxChars} read`, at: { line: 1, column: 1 } } : undefined;
}

/** One parenthesised descriptor, e.g. `(DESCRIPTION=(ADDRESS=…)…)`, and nothing after it. */
export function parseNvDescriptor(text: string): NvResult<NvNode> {
  const big = tooLarge(text);
  if (big) return { ok: false, error: big };
  const loc = new Locator(text);
  const r = new NvReader(text, loc, false);
  try {
    r.skipBlank();
    if (r.peek() !== '(') r.fail(r.pos >= text.length ? 'empty connect descriptor' : `a connect descriptor starts with '(', found '${r.peek()}'`);
    const node = r.readParenParam(1);
    r.skipBlank();
    if (r.pos < text.length) {
      r.fail(r.peek() === ')' ? "unbalanced ')': nothing is open here" : `unexpected text after the descriptor's closing ')'`);
    }
    return { ok: true, value: node };
  } catch (err) {
    return { ok: false, error: errorOf(err, loc) };
  }
}

/** One `NAME[, NAME…] = value` entry of a .ora file. */
export interface NvEntry {
  names: { name: string; at: Position }[];
  /** The value: an atom or the parameters of a list. */
  value?: string;
  children: NvNode[];
  at: Position;
  valueAt: Position;
  /** Offsets of the entry's value in the file (for showing it as written). */
  valueStart: number;
  valueEnd: number;
}

export interface NvFile {
  entries: NvEntry[];
  /** Entries that could not be read; reading resumes at the next entry. */
  errors: NvError[];
}

/**
 * A whole .ora file. An entry starts with a name at the start of a line;
 * a broken entry is reported and skipped, the rest of the file still reads.
 */
export function parseNvFile(text: string): NvFile {
  const out: NvFile = { entries: [], errors: [] };
  const big = tooLarge(text);
  if (big) return { entries: [], errors: [big] };
  const loc = new Locator(text);
  const r = new NvReader(text, loc, true);
  while (true) {
    r.skipBlank();
    if (r.pos >= text.length) break;
    const entryStart = r.pos;
    try {
      out.entries.push(readEntry(r));
    } catch (err) {
      out.errors.push(errorOf(err, loc));
      r.reset(entryStart);
      resync(r);
    }
    if (out.entries.length + out.errors.length > NV_LIMITS.maxNodes) {
      out.errors.push({ message: `more than ${NV_LIMITS.maxNodes} entries: the rest of the file is not read`, at: loc.at(r.pos) });
      break;
    }
  }
  return out;
}

function readEntry(r: NvReader): NvEntry {
  const names: { name: string; at: Position }[] = [];
  const at = r.loc.at(r.pos);
  if (r.peek() === '(' || r.peek() === ')') r.fail(`expected an entry name at the start of a line, found '${r.peek()}'`);
  while (true) {
    const { name, offset } = r.readName();
    names.push({ name, at: r.loc.at(offset) });
    r.skipBlank();
    if (r.peek() === ',') {
      r.pos++;
      r.skipBlank();
      continue;
    }
    break;
  }
  if (r.peek() !== '=') r.fail(r.pos >= r.text.length ? `unexpected end of text after '${names.at(-1)?.name}': expected '='` : `expected '=' after '${names.at(-1)?.name}', found '${r.peek()}'`);
  r.pos++;
  // Blanks on the same line only: an empty value is an error, not the next entry.
  while (r.peek() === ' ' || r.peek() === '\t' || r.peek() === '\r') r.pos++;
  const valueStart = r.pos;
  const valueAt = r.loc.at(valueStart);
  if (r.peek() === '\n' || r.peek() === '#' || r.pos >= r.text.length) {
    // The value may start on the next line, indented (tnsnames.ora does this).
    r.skipBlank();
    if (r.peek() !== '(' ) r.fail(`'${names.at(-1)?.name}' has no value`, valueStart);
  }
  if (r.peek() === '(') {
    const start = r.pos;
    const children: NvNode[] = [];
    while (r.peek() === '(') {
      children.push(r.readParenParam(1));
      // Further parameters of the same entry continue on indented lines.
      const save = r.pos;
      r.skipBlank();
      if (r.peek() !== '(') {
        if (r.peek() === ')') r.fail("unbalanced ')': nothing is open here");
        r.pos = save;
        break;
      }
    }
    return { names, children, at, valueAt: r.loc.at(start), valueStart: start, valueEnd: r.pos };
  }
  let value: string;
  if (r.peek() === '"' || r.peek() === "'") {
    value = r.readQuoted();
  } else {
    const start = r.pos;
    while (r.pos < r.text.length && r.text[r.pos] !== '\n' && r.text[r.pos] !== '#') r.pos++;
    value = r.text.slice(start, r.pos).trim();
    if (/[()]/.test(value)) r.fail(`unexpected '${/[()]/.exec(value)?.[0]}' in the value of '${names.at(-1)?.name}'`, start + value.search(/[()]/));
  }
  return { names, value, children: [], at, valueAt, valueStart, valueEnd: r.pos };
}

/** After an error: skip to the next line that starts with a name. */
function resync(r: NvReader): void {
  const t = r.text;
  while (r.pos < t.length) {
    const nl = t.indexOf('\n', r.pos);
    if (nl < 0) {
      r.pos = t.length;
      return;
    }
    r.pos = nl + 1;
    const c = t[r.pos];
    if (c !== undefined && /[A-Za-z0-9_]/.test(c)) return;
  }
}

/** First child with this key (case-insensitive), searching one level. */
export function child(node: { children: NvNode[] }, key: string): NvNode | undefined {
  const k = key.toUpperCase();
  return node.children.find((c) => c.key === k);
}

export function childrenOf(node: { children: NvNode[] }, key: string): NvNode[] {
  const k = key.toUpperCase();
  return node.children.filter((c) => c.key === k);
}

/** Depth-first search for every node with this key. */
export function findAll(node: { children: NvNode[] }, key: string, out: NvNode[] = []): NvNode[] {
  const k = key.toUpperCase();
  for (const c of node.children) {
    if (c.key === k) out.push(c);
    findAll(c, k, out);
  }
  return out;
}

/** Writes a node back as compact descriptor text; values that need it are quoted. */
export function renderNv(node: NvNode): string {
  if (node.value !== undefined) return `(${node.name}=${quoteIfNeeded(node.value)})`;
  return `(${node.name}=${node.children.map(renderNv).join('')})`;
}

function quoteIfNeeded(v: string): string {
  return /[()=#,\s'"]/.test(v) && !v.includes('"') ? `"${v}"` : v;
}

/** `yes`/`on`/`true` (any case), as node-oracledb reads boolean parameters. */
export function nvTrue(v: string | undefined): boolean {
  return v !== undefined && ['yes', 'on', 'true'].includes(v.trim().toLowerCase());
}

/**
 * The line a position points into, with a ▸ marker before the character, e.g.
 * `(PORT=▸15x22)`. One line, so it survives every report format; long lines
 * are cut around the position.
 */
export function pointAt(text: string, at: Position): string {
  const line = (text.split('\n')[at.line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  const col = Math.min(Math.max(0, at.column - 1), line.length);
  const from = Math.max(0, col - 60);
  const to = Math.min(line.length, col + 60);
  return `${from > 0 ? '…' : ''}${line.slice(from, col)}▸${line.slice(col, to)}${to < line.length ? '…' : ''}`;
}
