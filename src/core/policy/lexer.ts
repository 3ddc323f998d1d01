// A hand-written, on-demand tokenizer shared by the statement and matching-rule
// parsers. It never backtracks more than two tokens and never builds a RegExp,
// so any input is read in linear time. Patterns (`/abc*/`) are only read when
// the parser asks for a value, because `/` also separates a domain from a group.
import { positionAt } from '../text-position.js';
import type { Diagnostic, DiagnosticCode, DiagnosticSeverity } from './types.js';

export type TokenKind =
  | 'word'
  | 'string'
  | 'template'
  | 'placeholder'
  | 'pattern'
  | '{'
  | '}'
  | '('
  | ')'
  | ','
  | '='
  | '!='
  | '/'
  | 'bad'
  | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Words: as written. Strings and patterns: the text inside the delimiters. */
  text: string;
  /** Strings and patterns: false when the closing delimiter is missing. */
  closed: boolean;
}

const CH_TAB = 9;
const CH_SPACE = 32;
const CH_QUOTE = 39; // '
const CH_DQUOTE = 34; // "
const CH_DOLLAR = 36;
const CH_LT = 60;
const CH_GT = 62;
const CH_SLASH = 47;
const CH_BANG = 33;
const CH_EQ = 61;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

/** ASCII characters that end a word. */
const STOP = new Uint8Array(128);
for (const c of ' \t\n\r\f\v{}(),=!/\'"<>') STOP[c.charCodeAt(0)] = 1;
// Control characters never belong in a word: they become `bad` tokens.
for (let c = 0; c < 32; c++) STOP[c] = 1;
STOP[127] = 1;

export function isSpace(c: number): boolean {
  if (c < 128) return c === CH_SPACE || (c >= CH_TAB && c <= 13);
  return (
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function isWordChar(c: number): boolean {
  return c < 128 ? STOP[c] === 0 : !isSpace(c);
}

export class Lexer {
  private pos = 0;
  // Up to two tokens of lookahead, in fields rather than an array: this runs
  // for every token of every statement.
  private t0: Token | undefined;
  private t1: Token | undefined;

  constructor(readonly src: string) {}

  peek(): Token {
    return (this.t0 ??= this.scan());
  }

  peek2(): Token {
    this.peek();
    return (this.t1 ??= this.scan());
  }

  /** Where the last token taken by `next()` ended. */
  lastEnd = 0;

  next(): Token {
    const t = this.peek();
    this.t0 = this.t1;
    this.t1 = undefined;
    this.lastEnd = t.end;
    return t;
  }

  /** Drops the lookahead and moves to the end of the text (a cached tail was reused). */
  skipToEnd(): void {
    this.t0 = this.t1 = undefined;
    this.pos = this.src.length;
  }

  /**
   * Reads `/…/` from the `/` token that `peek()` returned. Only valid when that
   * `/` is the one buffered token (the parser calls it right after peeking).
   */
  readPattern(): Token {
    const slash = this.peek();
    const start = slash.start;
    const close = this.src.indexOf('/', start + 1);
    const end = close < 0 ? this.src.length : close + 1;
    this.t0 = this.t1 = undefined;
    this.pos = end;
    return {
      kind: 'pattern',
      start,
      end,
      text: this.src.slice(start + 1, close < 0 ? end : close),
      closed: close >= 0,
    };
  }

  private scan(): Token {
    const src = this.src;
    const n = src.length;
    let i = this.pos;
    while (i < n && isSpace(src.charCodeAt(i))) i++;
    if (i >= n) {
      this.pos = n;
      return { kind: 'eof', start: n, end: n, text: '', closed: true };
    }
    const start = i;
    const c = src.charCodeAt(i);
    let kind: TokenKind;
    let text: string;
    let closed = true;
    switch (c) {
      case CH_LBRACE:
      case CH_RBRACE:
      case 40: // (
      case 41: // )
      case 44: // ,
      case CH_EQ:
      case CH_SLASH:
        kind = src[i] as TokenKind;
        text = kind;
        i++;
        break;
      case CH_BANG:
        if (src.charCodeAt(i + 1) === CH_EQ) {
          kind = '!=';
          text = '!=';
          i += 2;
        } else {
          kind = 'bad';
          text = '!';
          i++;
        }
        break;
      case CH_QUOTE:
      case CH_DQUOTE: {
        const close = src.indexOf(src[i] as string, i + 1);
        kind = 'string';
        if (close < 0) {
          // Unterminated: take the rest of the line so the message can quote it.
          let e = src.indexOf('\n', i + 1);
          if (e < 0) e = n;
          text = src.slice(i + 1, e);
          i = e;
          closed = false;
        } else {
          text = src.slice(i + 1, close);
          i = close + 1;
        }
        break;
      }
      case CH_LT: {
        // `<compartment_ocid>` or `<compartment_id/<tenant_id>>`: a placeholder
        // from documentation that was never filled in. Stop at whitespace.
        let depth = 0;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (isSpace(d)) break;
          i++;
          if (d === CH_LT) depth++;
          else if (d === CH_GT && --depth === 0) break;
        }
        kind = 'placeholder';
        text = src.slice(start, i);
        closed = depth === 0;
        break;
      }
      case CH_GT:
        kind = 'bad';
        text = '>';
        i++;
        break;
      default:
        if (c === CH_DOLLAR && src.charCodeAt(i + 1) === CH_LBRACE) {
          // `${var.compartment_ocid}`: a template variable nobody substituted.
          i += 2;
          while (i < n) {
            const d = src.charCodeAt(i);
            if (isSpace(d)) break;
            i++;
            if (d === CH_RBRACE) break;
          }
          // Swallow a directly attached word tail, e.g. `${a}-suffix`.
          while (i < n && isWordChar(src.charCodeAt(i))) i++;
          kind = 'template';
          text = src.slice(start, i);
          break;
        }
        if (!isWordChar(c)) {
          kind = 'bad';
          text = src[i] as string;
          i++;
          break;
        }
        while (i < n) {
          const d = src.charCodeAt(i);
          if (!isWordChar(d)) break;
          if (d === CH_DOLLAR && src.charCodeAt(i + 1) === CH_LBRACE) break;
          i++;
        }
        kind = 'word';
        text = src.slice(start, i);
    }
    this.pos = i;
    return { kind, start, end: i, text, closed };
  }
}

// ---------------------------------------------------------------------------
// Positions and diagnostics

export function makeDiagnostic(
  src: string,
  severity: DiagnosticSeverity,
  code: DiagnosticCode,
  message: string,
  offset: number,
  length: number,
): Diagnostic {
  const { line, column } = positionAt(src, offset);
  return { severity, code, message, offset, length, line, column };
}

/** How a token reads in a message. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the text';
    case 'string':
      return `'${clip(t.text)}'`;
    case 'pattern':
      return `/${clip(t.text)}/`;
    case 'bad': {
      const c = t.text.charCodeAt(0);
      // Control characters and lone surrogates would garble the message.
      if (c < 32 || c === 127 || (c >= 0xd800 && c <= 0xdfff)) {
        return `the character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      }
      return `\`${t.text}\``;
    }
    default:
      return `\`${clip(t.text)}\``;
  }
}

export function clip(s: string, max = 60): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const SMART_SINGLE = new Set([0x2018, 0x2019, 0x201a, 0x201b, 0x2032]);
const SMART_DOUBLE = new Set([0x201c, 0x201d, 0x201e, 0x201f, 0x2033]);

/** Any of SMART_SINGLE or SMART_DOUBLE: one native scan, as every statement of an export is checked. */
const SMART_QUOTE = /[\u2018-\u201f\u2032\u2033]/;

function hasSmartQuote(src: string): boolean {
  return SMART_QUOTE.test(src);
}

/**
 * Replaces typographic quotes (pasted from a word processor or a chat) with
 * ASCII ones, one for one, so every offset stays valid. Each replacement is
 * reported through `warn`.
 */
export function normaliseQuotes(src: string, warn: (offset: number, found: string, replacement: string) => void): string {
  let out: string[] | undefined;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x2018) continue;
    const single = SMART_SINGLE.has(c);
    if (!single && !SMART_DOUBLE.has(c)) continue;
    out ??= src.split('');
    const replacement = single ? "'" : '"';
    out[i] = replacement;
    warn(i, src[i] as string, replacement);
  }
  return out ? out.join('') : src;
}

/** Thrown to abandon the current statement or rule; the diagnostic is already recorded. */
export class ParseStop extends Error {
  constructor() {
    super('parse stopped');
  }
}

const MAX_WARNINGS = 20;

/** Shared state and helpers of the statement and matching-rule parsers. */
export class ParserBase {
  readonly diagnostics: Diagnostic[] = [];
  readonly src: string;
  protected readonly lx: Lexer;
  /** Warnings raised so far, those left out past the limit included. */
  protected warnings = 0;
  hasError = false;

  constructor(raw: string) {
    // Replacements keep every offset, so positions computed on `raw` stay right.
    this.src = raw;
    if (hasSmartQuote(raw)) {
      this.src = normaliseQuotes(raw, (offset, found, replacement) =>
        this.warn('smart-quote', `typographic quote ${found} read as ${replacement}: OCI expects plain ASCII quotes`, offset, 1),
      );
    }
    this.lx = new Lexer(this.src);
  }

  warn(code: DiagnosticCode, message: string, offset: number, length: number): void {
    this.warnings++;
    if (this.warnings > MAX_WARNINGS) return;
    if (this.warnings === MAX_WARNINGS) {
      this.diagnostics.push(
        makeDiagnostic(this.src, 'warning', 'too-many-warnings', 'more warnings in this text were left out', offset, length),
      );
      return;
    }
    this.diagnostics.push(makeDiagnostic(this.src, 'warning', code, message, offset, length));
  }

  info(code: DiagnosticCode, message: string, offset: number, length: number): void {
    this.diagnostics.push(makeDiagnostic(this.src, 'info', code, message, offset, length));
  }

  /** Records an error but lets the parse go on (to find more problems). */
  error(code: DiagnosticCode, message: string, offset: number, length: number): void {
    this.hasError = true;
    this.diagnostics.push(makeDiagnostic(this.src, 'error', code, message, offset, length));
  }

  /** Records an error and abandons the parse. */
  fail(code: DiagnosticCode, message: string, at: Token | { start: number; end: number }): never {
    this.error(code, message, at.start, at.end - at.start);
    throw new ParseStop();
  }

  /** Fails on a token the grammar does not allow here; explains odd tokens. */
  unexpected(t: Token, expected: string): never {
    if (t.kind === 'string' && !t.closed) {
      this.fail('unterminated-quote', `quote opened here is never closed: '${clip(t.text)}`, t);
    }
    if (t.kind === 'placeholder') {
      this.fail(
        'placeholder',
        `${describeToken(t)} is a placeholder from an example, not a value: replace it (${expected} belongs here)`,
        t,
      );
    }
    this.fail('syntax', `expected ${expected}, found ${describeToken(t)}`, t);
  }

  /** Is `t` the keyword `lower` (any case)? Compares without allocating. */
  isWord(t: Token, lower: string): boolean {
    if (t.kind !== 'word' || t.text.length !== lower.length) return false;
    const s = t.text;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 65 && c <= 90) c |= 0x20;
      if (c !== lower.charCodeAt(i)) return false;
    }
    return true;
  }

  expect(kind: TokenKind, expected: string): Token {
    const t = this.lx.peek();
    if (t.kind !== kind) this.unexpected(t, expected);
    return this.lx.next();
  }
}
