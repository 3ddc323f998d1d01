// The fast path of compiling an export: most statements have the common
// shape and no lint at all, e.g.
//   Allow group G to use database-connections in compartment A:B where target.database.id = '…'
// Such a statement is read here straight from the text, by index, with no
// token objects and no parser object; only what the result holds is built,
// and parts written before come from the ParseCache. Anything else — another
// keyword, an odd character, anything that would raise a diagnostic, even a
// warning — makes it give up (`undefined`), and the full parser reads the
// statement from the start. So this path never decides what a statement
// means differently: it only accepts text the full parser would accept with
// no diagnostic, and builds the same objects (test/core/policy/common-statement.test.ts).
import { compilePattern } from './pattern.js';
import { DEFAULT_DOMAIN, DEFAULT_DOMAIN_KEY, ParseCache, TENANCY_LOCATION } from './intern.js';
import { MAX_CONDITION_DEPTH } from './condition.js';
import { WORD_STOP } from './lexer.js';
import type { Access, Condition, LeafCondition, Location, Operand, PrincipalRef, Statement, Subject, Verb } from './types.js';
import { KNOWN_RESOURCE_TYPES, isKnownPolicyVariable, looksLikePolicyVariable } from './vocabulary.js';

// The statement being read and where: module state, as this runs once per statement of an export.
let src = '';
let n = 0;
let pos = 0;
let cache: ParseCache;

/** Thrown (one shared object, no stack) to give the statement to the full parser. */
const GIVE_UP = { giveUp: true };

const C_TAB = 9;
const C_CR = 13;
const C_SPACE = 32;
const C_BANG = 33;
const C_DQUOTE = 34;
const C_DOLLAR = 36;
const C_QUOTE = 39;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_COMMA = 44;
const C_SLASH = 47;
const C_EQ = 61;
const C_LBRACE = 123;
const C_RBRACE = 125;

/**
 * The statement read the way the full parser reads it when that would give
 * no diagnostic; `undefined` when it would give one or the shape is not the
 * common one (the caller then runs the full parser).
 */
export function parseCommonStatement(text: string, parts: ParseCache): Statement | undefined {
  src = text;
  n = text.length;
  pos = 0;
  cache = parts;
  try {
    return statement();
  } catch {
    // GIVE_UP, or a fault here: either way the full parser decides (and reports its own faults).
    return undefined;
  } finally {
    src = '';
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

// The loops below copy the module state into locals: module-scope variables
// are context slots, loaded (and checked) again on every iteration otherwise.
function skipSpace(): void {
  const s = src;
  let p = pos;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c !== C_SPACE && (c < C_TAB || c > C_CR)) break;
    p++;
  }
  pos = p;
}

/** Reads a word at `pos` (spaces skipped before it) and returns its start; gives up on anything else. */
function word(): number {
  skipSpace();
  const s = src;
  const end = n;
  const start = pos;
  let p = start;
  while (p < end) {
    const c = s.charCodeAt(p);
    // Non-ASCII (Unicode spaces, typographic quotes) and `${` templates: the full parser's cases.
    if (c >= 128 || (c === C_DOLLAR && s.charCodeAt(p + 1) === C_LBRACE)) giveUp();
    if (WORD_STOP[c] === 1) break;
    p++;
  }
  if (p === start) giveUp();
  pos = p;
  return start;
}

/** Is the next thing (after spaces) a word? Leaves `pos` after the spaces. */
function atWord(): boolean {
  skipSpace();
  if (pos >= n) return false;
  const c = src.charCodeAt(pos);
  return c < 128 && WORD_STOP[c] === 0 && !(c === C_DOLLAR && src.charCodeAt(pos + 1) === C_LBRACE);
}

/** Does src[start, end) spell `lower` (an ASCII keyword) in any case? */
function is(start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  const s = src;
  for (let i = 0; i < lower.length; i++) {
    let c = s.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The next character after spaces (NaN at the end). */
function peekChar(): number {
  skipSpace();
  return src.charCodeAt(pos);
}

/**
 * A closed quoted string at `pos` (the quote); returns the index of the
 * closing quote. Typographic quotes inside would be replaced (and warned
 * about) by the full parser: give up.
 */
function quoted(): number {
  const s = src;
  const end = n;
  const q = s.charCodeAt(pos);
  for (let i = pos + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === q) return i;
    if (c >= 0x2018 && c <= 0x2033) giveUp();
  }
  return giveUp();
}

function statement(): Statement {
  let start = word();
  let effect: 'allow' | 'deny';
  if (is(start, pos, 'allow')) effect = 'allow';
  else if (is(start, pos, 'deny')) effect = 'deny';
  else giveUp();
  skipSpace();
  const subjectStart = pos;
  const subjectKind = readSubject();
  start = word();
  if (!is(start, pos, 'to')) giveUp();
  const subjectText = src.slice(subjectStart, start);
  let subject = cache.subjects.get(subjectText);
  if (!subject) cache.subjects.set(subjectText, (subject = buildSubject(subjectKind)));
  const access = readAccess();
  const resourceType = readResourceType(access);
  const location = readLocation();
  let where: Condition | undefined;
  skipSpace();
  if (pos < n) {
    start = word();
    if (!is(start, pos, 'where')) giveUp();
    skipSpace();
    if (pos >= n) giveUp();
    const key = src.slice(pos);
    where = cache.wheres.get(key);
    if (!where) {
      where = condition(0);
      skipSpace();
      if (pos < n) giveUp();
      cache.wheres.set(key, where);
    }
  }
  return { effect, subject, access, resourceType, location, where };
}

// ---------------------------------------------------------------------------
// Subject

const ANY_USER = 0;
const ANY_GROUP = 1;
const GROUP = 2;
const DYNAMIC_GROUP = 3;

/** How many group references the subject being read has. */
let refCount = 0;
/** Per reference: the start and end of its text (as the cache keys it). */
const refSpans: number[] = [];
/** Per reference: 0 a name, 1 `Domain/Name`, 2 `id OCID`. */
const refForms: number[] = [];
/** Per reference: the span of its first part's text (name, domain or OCID), then of its second (the name after a domain). */
const partSpans: number[] = [];
/** Where the last token read ended (after the closing quote of a quoted one). */
let lastEnd = 0;

/** Reads and checks the subject's text; the subject itself is built only when its text is new. */
function readSubject(): number {
  const start = word();
  if (is(start, pos, 'group')) {
    readRefs();
    return GROUP;
  }
  if (is(start, pos, 'dynamic-group')) {
    readRefs();
    return DYNAMIC_GROUP;
  }
  if (is(start, pos, 'any-user')) return ANY_USER;
  if (is(start, pos, 'any-group')) return ANY_GROUP;
  return giveUp();
}

function buildSubject(kind: number): Subject {
  if (kind === ANY_USER) return { kind: 'any-user' };
  if (kind === ANY_GROUP) return { kind: 'any-group' };
  const refs: PrincipalRef[] = [];
  for (let i = 0; i < refCount; i++) {
    const text = src.slice(refSpans[2 * i] as number, refSpans[2 * i + 1] as number);
    let ref = cache.refs.get(text);
    if (!ref) cache.refs.set(text, (ref = buildRef(i)));
    refs.push(ref);
  }
  return kind === GROUP ? { kind: 'group', refs } : { kind: 'dynamic-group', refs };
}

function buildRef(i: number): PrincipalRef {
  const a = src.slice(partSpans[4 * i] as number, partSpans[4 * i + 1] as number);
  const form = refForms[i];
  if (form === 2) return { by: 'id', id: a, key: a.toLowerCase() };
  if (form === 0) return { by: 'name', domain: DEFAULT_DOMAIN, name: a, domainGiven: false, key: `${DEFAULT_DOMAIN_KEY}${a.toLowerCase()}` };
  const b = src.slice(partSpans[4 * i + 2] as number, partSpans[4 * i + 3] as number);
  return { by: 'name', domain: a, name: b, domainGiven: true, key: `${a.toLowerCase()}/${b.toLowerCase()}` };
}

function readRefs(): void {
  refCount = 0;
  for (;;) {
    readRef(refCount);
    refCount++;
    if (peekChar() !== C_COMMA) return;
    pos++;
  }
}

function readRef(i: number): void {
  skipSpace();
  refSpans[2 * i] = pos;
  namePart(4 * i);
  const first = partSpans[4 * i] as number;
  if (first === refSpans[2 * i] && is(first, lastEnd, 'id')) {
    // `id OCID` (an unquoted `id`); `id` then anything but a word is left to the full parser.
    const v = word();
    if (!startsWithOcid(v, pos)) giveUp();
    refForms[i] = 2;
    partSpans[4 * i] = v;
    partSpans[4 * i + 1] = pos;
    refSpans[2 * i + 1] = pos;
    return;
  }
  // An unquoted `to` here: the name is missing (the full parser says so).
  if (first === refSpans[2 * i] && is(first, lastEnd, 'to')) giveUp();
  if (peekChar() !== C_SLASH) {
    refForms[i] = 0;
    refSpans[2 * i + 1] = lastEnd;
    return;
  }
  pos++;
  namePart(4 * i + 2);
  refForms[i] = 1;
  refSpans[2 * i + 1] = lastEnd;
}

/** A name part at `pos` (spaces skipped): a word or a closed quoted string; its text's span goes to `partSpans[at]`. */
function namePart(at: number): void {
  const c = peekChar();
  if (c === C_QUOTE || c === C_DQUOTE) {
    const close = quoted();
    partSpans[at] = pos + 1;
    partSpans[at + 1] = close;
    pos = lastEnd = close + 1;
    return;
  }
  partSpans[at] = word();
  partSpans[at + 1] = lastEnd = pos;
}

/** Does src[start, end) start with `ocid1.` in any case? */
function startsWithOcid(start: number, end: number): boolean {
  return end - start >= 6 && is(start, start + 6, 'ocid1.');
}

// ---------------------------------------------------------------------------
// Access, resource type, location

const VERB_WORDS: readonly Verb[] = ['inspect', 'read', 'use', 'manage'];

function readAccess(): Access {
  if (peekChar() === C_LBRACE) {
    pos++;
    const permissions: string[] = [];
    for (;;) {
      const start = word();
      for (let i = start; i < pos; i++) {
        const c = src.charCodeAt(i);
        // Lower case: the full parser warns (lowercase-permission).
        if (c >= 97 && c <= 122) giveUp();
      }
      permissions.push(src.slice(start, pos));
      const sep = peekChar();
      pos++;
      if (sep === C_RBRACE) break;
      if (sep !== C_COMMA) giveUp();
    }
    return ParseCache.share(cache.permissions, permissions.join(','), { kind: 'permissions', permissions });
  }
  const start = word();
  for (const verb of VERB_WORDS) if (is(start, pos, verb)) return cache.verb(verb);
  return giveUp();
}

function readResourceType(access: Access): string | undefined {
  const before = pos;
  const start = word();
  if (is(start, pos, 'in') || is(start, pos, 'where')) {
    // A permission list may name no type; a verb must (the full parser says so).
    if (access.kind === 'verb') giveUp();
    pos = before;
    return undefined;
  }
  // Known types only, compared in place: unknown and singular ones are warned about (the full parser's case).
  const candidates = KNOWN_TYPES_BY_LENGTH[pos - start];
  if (candidates) for (const type of candidates) if (is(start, pos, type)) return type;
  return giveUp();
}

/** The known resource types (lower case) by length. */
const KNOWN_TYPES_BY_LENGTH: string[][] = [];
for (const type of KNOWN_RESOURCE_TYPES) (KNOWN_TYPES_BY_LENGTH[type.length] ??= []).push(type);

function readLocation(): Location {
  let start = word();
  if (!is(start, pos, 'in')) giveUp();
  start = word();
  if (is(start, pos, 'tenancy')) {
    // Only `where` or the end may follow (`in tenancy X` is a cross-tenancy form).
    if (atWord()) {
      const after = pos;
      word();
      if (!is(after, pos, 'where')) giveUp();
      pos = after;
    }
    return TENANCY_LOCATION;
  }
  if (!is(start, pos, 'compartment')) giveUp();
  const c = peekChar();
  let textStart: number;
  let textEnd: number;
  if (c === C_QUOTE || c === C_DQUOTE) {
    const close = quoted();
    textStart = pos + 1;
    textEnd = close;
    pos = close + 1;
  } else {
    textStart = word();
    textEnd = pos;
    if (is(textStart, textEnd, 'id')) {
      // `compartment id OCID`; `id` then anything but a word is left to the full parser.
      if (!atWord()) giveUp();
      const v = word();
      if (!startsWithOcid(v, pos)) giveUp();
      const id = src.slice(v, pos);
      const known = cache.locationsById.get(id);
      if (known) return known;
      const byId: Location = { kind: 'compartment-id', id };
      cache.locationsById.set(id, byId);
      return byId;
    }
  }
  const text = src.slice(textStart, textEnd);
  const known = cache.locationsByPath.get(text);
  if (known) return known;
  const path = text.split(':');
  for (const p of path) if (p.length === 0) giveUp();
  const byPath: Location = { kind: 'compartment-path', path };
  cache.locationsByPath.set(text, byPath);
  return byPath;
}

// ---------------------------------------------------------------------------
// Where clause (the policy dialect, no lint)

function condition(depth: number): Condition {
  const start = word();
  if (is(start, pos, 'any') || is(start, pos, 'all')) return group(start, depth);
  const leaf = leafAt(start);
  const key = src.slice(leaf.start, leaf.end);
  const known = cache.leaves.get(key);
  if (known) return known;
  cache.leaves.set(key, leaf);
  return leaf;
}

function group(start: number, depth: number): Condition {
  if (depth >= MAX_CONDITION_DEPTH) giveUp();
  const mode = is(start, pos, 'all') ? 'all' : 'any';
  if (peekChar() !== C_LBRACE) giveUp();
  pos++;
  const items: Condition[] = [];
  for (;;) {
    items.push(condition(depth + 1));
    const sep = peekChar();
    pos++;
    if (sep === C_RBRACE) return { kind: 'group', mode, items, start, end: pos };
    if (sep !== C_COMMA) giveUp();
  }
}

/** A leaf whose variable word starts at `start` (already read). */
function leafAt(start: number): LeafCondition {
  const variable = src.slice(start, pos);
  const variableLower = variable.toLowerCase();
  if (!isKnownPolicyVariable(variableLower)) giveUp();
  const c = peekChar();
  if (c === C_EQ || (c === C_BANG && src.charCodeAt(pos + 1) === C_EQ)) {
    const op = c === C_EQ ? '=' : '!=';
    pos += op.length;
    const value = operand();
    return { kind: 'compare', variable, variableLower, op, value, start, end: value.end };
  }
  const w = word();
  let negated = false;
  if (is(w, pos, 'not')) {
    const w2 = word();
    if (!is(w2, pos, 'in')) giveUp();
    negated = true;
  } else if (!is(w, pos, 'in')) giveUp();
  if (peekChar() !== C_LPAREN) giveUp();
  pos++;
  const values: Operand[] = [];
  for (;;) {
    values.push(operand());
    const sep = peekChar();
    pos++;
    if (sep === C_RPAREN) return { kind: 'in', variable, variableLower, negated, values, start, end: pos };
    if (sep !== C_COMMA) giveUp();
  }
}

function operand(): Operand {
  const c = peekChar();
  const start = pos;
  if (c === C_QUOTE || c === C_DQUOTE) {
    const close = quoted();
    pos = close + 1;
    const value = src.slice(start + 1, close);
    const lower = value.toLowerCase();
    // The full parser's lint on quoted values: templates, placeholders, commas in OCIDs, quoted variables.
    if (value.includes('${') || (value.startsWith('<') && value.endsWith('>'))) giveUp();
    if (lower.startsWith('ocid1.') && value.includes(',')) giveUp();
    if ((lower.startsWith('target.') || lower.startsWith('request.')) && looksLikePolicyVariable(lower)) giveUp();
    return { kind: 'literal', value, lower, quoted: true, start, end: pos };
  }
  if (c === C_SLASH) {
    const close = src.indexOf('/', start + 1);
    if (close < 0) giveUp();
    for (let i = start + 1; i < close; i++) {
      const d = src.charCodeAt(i);
      if (d >= 0x2018 && d <= 0x2033) giveUp();
    }
    pos = close + 1;
    const source = src.slice(start + 1, close);
    return { kind: 'pattern', source, ...compilePattern(source), start, end: pos };
  }
  // A bare word is a variable (request.…, target.…); anything else is unquoted (a warning).
  word();
  const name = src.slice(start, pos);
  const lower = name.toLowerCase();
  if (!(lower.startsWith('request.') || lower.startsWith('target.')) || !isKnownPolicyVariable(lower)) giveUp();
  return { kind: 'variable', name, lower, start, end: pos };
}
