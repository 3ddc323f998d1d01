// A quick look at a statement, before (or instead of) parsing it: is it an
// Allow or Deny statement of a shape the parser reads with no diagnostic at
// all, and if so its effect, whether its subject names groups, and its
// resource type. A large export is mostly such statements, and a request only
// needs the full parse of those that could grant it: compilePolicies keeps
// the rest as text and parses them only when evaluation reaches them.
//
// The look is one regular expression (run as native code) and a few checks on
// what it captured. It answers only when it is sure, and gives up on anything
// unusual: non-ASCII text, tabs, `<`, `>`, `${`, a quote left open, spacing
// the grammar allows but exports do not use, an unknown verb, type or
// variable, a lower-case permission, a value not in quotes, a quoted value
// that reads like a variable or an OCID with a comma, `service` subjects,
// conditions nested more than two deep. Such a statement is parsed at once,
// with its diagnostics. "Sure" must imply that parseStatement reports no
// diagnostic and reads the same effect and type: test/core/policy/skim.test.ts
// holds it to that on the corpus, the benchmark's statements and mutations.
import type { Verb } from './types.js';
import { KNOWN_RESOURCE_TYPES, knownPolicyVariableForms } from './vocabulary.js';

/** Not a statement the skim is sure of: parse it. */
export const SKIM_UNSURE = -1;
/** Bit 0 of a skim result: the statement is a Deny. */
export const SKIM_DENY = 1;
/** Bit 1: the subject names groups or dynamic groups (`group …`, `dynamic-group …`), not any-user or any-group. */
export const SKIM_NAMES_GROUPS = 2;
/** Bits 2–4: the verb (skimmedVerb). Bit 5: the location is `compartment id <ocid>`. */
export const SKIM_LOCATION_ID = 32;
const SKIM_VERBS: readonly (Verb | undefined)[] = [undefined, 'inspect', 'read', 'use', 'manage'];
/** The verb a skim result carries (undefined for a `{PERMISSION}` list). */
export function skimmedVerb(skim: number): Verb | undefined {
  return SKIM_VERBS[(skim >> 2) & 7];
}

/** The resource type the last sure skim read (lower case, as the parser keeps it); undefined for a `{PERMISSION}` statement without one. */
export let skimmedType: string | undefined;
/**
 * Where the last sure skim's statement applies: undefined for `in tenancy`,
 * else the OCID after `compartment id` (SKIM_LOCATION_ID) or the path after
 * `compartment` (the text between the quotes when quoted).
 */
export let skimmedLocation: string | undefined;

// The lexer's word characters among printable ASCII (everything but space and
// {}(),=!/'"<>), less `$` (which may start a template).
const C = '[#%&*+\\-.0-9:;?@A-Z\\[\\\\\\]^_`a-z|~]';
/** The same without `:`, for the names in a compartment path, and without `.`. */
const P = '[#%&*+\\-.0-9;?@A-Z\\[\\\\\\]^_`a-z|~]';
const NO_DOT = '[#%&*+\\-0-9:;?@A-Z\\[\\\\\\]^_`a-z|~]';
// Inside quotes or slashes: printable ASCII but the closing character, `$`, `<` and `>`
// (a template or a placeholder draws a warning; anything else here is left to the parser).
const IN_SINGLE = "[\\x20-\\x23\\x25\\x26\\x28-\\x3b\\x3d\\x3f-\\x7e]";
const IN_DOUBLE = '[\\x20\\x21\\x23\\x25-\\x3b\\x3d\\x3f-\\x7e]';
const IN_SLASHES = '[\\x20-\\x23\\x25-\\x2e\\x30-\\x3b\\x3d\\x3f-\\x7e]';
const END = `(?!${C})`;
const W = `${C}+`;
const QUOTED = `(?:'${IN_SINGLE}*'|"${IN_DOUBLE}*")`;
/** A name part of a group reference: a word other than `to` or `id`, or a quoted string. */
const NAME = `(?:(?!(?:to|id)${END})${W}|${QUOTED})`;
/** An OCID after `id`: the parser warns when it does not start with ocid1. or (quoted) holds a comma. */
const OCID = `(?:ocid1\\.${C}*|'ocid1\\.(?:(?!')(?!,)${IN_SINGLE})*'|"ocid1\\.(?:(?!")(?!,)${IN_DOUBLE})*")`;
const REF = `(?:id +${OCID}|${NAME}(?: */ *${NAME})?)`;
// An empty capture marks which alternative matched without copying any text.
const SUBJECT = `(?:(?:group|dynamic-group)() +${REF}(?: *, *${REF})*|any-user|any-group)`;
const ACCESS = `(?: *\\{ *(${W}(?: *, *${W})*) *\\}(?: *(${W}))?| +(?:inspect()|read()|use()|manage()) +(${W}))`;
/** A compartment path with no empty name in it (the word `id` there means `id <ocid>`). */
const PATH = `(?:(?!id${END})${P}+(?::${P}+)*${END}|'(?:(?!:)${IN_SINGLE})+(?::(?:(?!:)${IN_SINGLE})+)*'|"(?:(?!:)${IN_DOUBLE})+(?::(?:(?!:)${IN_DOUBLE})+)*")`;
const LOCATION = ` +in +(?:tenancy${END}|compartment +(?:id +(${OCID})|(${PATH})))`;
/**
 * One alternative per [literal prefix, what follows] pair, with common
 * prefixes written once (a trie): the engine then reads a variable name once
 * instead of trying each known name from its start.
 */
function prefixTree(forms: readonly [string, string][]): string {
  const emit = (items: readonly [string, string][]): string => {
    const tails: string[] = [];
    const byFirst = new Map<string, [string, string][]>();
    for (const [literal, tail] of items) {
      if (literal === '') tails.push(tail);
      else {
        const first = literal[0] as string;
        let list = byFirst.get(first);
        if (!list) byFirst.set(first, (list = []));
        list.push([literal.slice(1), tail]);
      }
    }
    const alternatives = [...byFirst].map(([first, rest]) => first.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&') + emit(rest));
    // Longer literals first, then what follows a literal that ends here.
    alternatives.push(...tails.filter((t) => t !== ''));
    if (tails.includes('')) alternatives.push('');
    return alternatives.length === 1 ? (alternatives[0] as string) : `(?:${alternatives.join('|')})`;
  };
  return emit(forms);
}

/** A variable before an operator (which ones the parser knows is checked apart, in WHERE_WORDS). */
const VAR = `(?!(?:any|all|in|not)${END})${W}`;
/** A value: quoted, a pattern, or a variable. */
const VALUE = `(?:${QUOTED}|/${IN_SLASHES}*/|(?:request|target)\\.${C}*${END})`;
/**
 * One or more `item`s between `open` and `close`, separated by commas, with no
 * comma before `close`, writing `item` once (the expression stays small: it is
 * compiled on first use).
 */
const list = (open: string, item: string, close: string): string => `${open}(?: *${item} *(?:,(?! *${close})|(?= *${close})))+ *${close}`;
const LEAF = `${VAR}(?: *!?= *${VALUE}| +(?:not +)?in *${list('\\(', VALUE, '\\)')})`;
const group = (item: string): string => `(?:any|all) *${list('\\{', item, '\\}')}`;
const CONDITION = `(?:${group(`(?:${group(LEAF)}|${LEAF})`)}|${LEAF})`;

/**
 * Captures: 1 empty for Deny, 2 empty when the subject names groups, 3 the
 * permissions, 4 or 9 the resource type, 5–8 empty for inspect, read, use,
 * manage, 10 the compartment OCID, 11 the compartment path, 12 the where clause.
 */
const STATEMENT = new RegExp(`^ *(?:allow|deny()) +${SUBJECT} +to${ACCESS}${LOCATION}(?: +where +(${CONDITION}))? *$`, 'i');

/**
 * A where clause STATEMENT accepted whose words are all keywords or variables
 * the parser knows, and whose quoted values neither read like a variable nor
 * are an OCID with a comma (each draws a warning). A word there is a keyword
 * or a variable; a quoted string, a value.
 */
const WHERE_WORDS = new RegExp(
  `^(?:'(?!(?:target|request)\\.)(?!ocid1\\.[^']*,)[^']*'|"(?!(?:target|request)\\.)(?!ocid1\\.[^"]*,)[^"]*"|/[^/]*/|[ ,(){}=!]|(?:any|all|in|not)${END}|${prefixTree(knownPolicyVariableForms(C, NO_DOT))}${END})*$`,
  'i',
);
const LOWER_CASE = /[a-z]/;

/**
 * SKIM_UNSURE, or the statement's flags (SKIM_DENY, SKIM_NAMES_GROUPS, the
 * verb for skimmedVerb, SKIM_LOCATION_ID) with its resource type left in `skimmedType` and its
 * location in `skimmedLocation`.
 */
export function skimStatement(text: string): number {
  const m = STATEMENT.exec(text);
  if (!m) return SKIM_UNSURE;
  const permissions = m[3];
  if (permissions !== undefined && LOWER_CASE.test(permissions)) return SKIM_UNSURE;
  const type = m[9] ?? m[4];
  let lowerType: string | undefined;
  if (type !== undefined) {
    lowerType = knownType(type);
    if (lowerType === undefined) return SKIM_UNSURE;
  }
  const where = m[12];
  if (where !== undefined && !WHERE_WORDS.test(where)) return SKIM_UNSURE;
  skimmedType = lowerType;
  const id = m[10];
  const place = id ?? m[11];
  skimmedLocation = place === undefined ? undefined : shared(unquoted(place));
  const verb = m[5] !== undefined ? 1 : m[6] !== undefined ? 2 : m[7] !== undefined ? 3 : m[8] !== undefined ? 4 : 0;
  return (m[1] !== undefined ? SKIM_DENY : 0) | (m[2] !== undefined ? SKIM_NAMES_GROUPS : 0) | (verb << 2) | (id !== undefined ? SKIM_LOCATION_ID : 0);
}

/** A word as it is, a quoted string without its quotes (as the lexer reads them). */
function unquoted(text: string): string {
  const c = text.charCodeAt(0);
  return c === 39 || c === 34 ? text.slice(1, -1) : text;
}

/** Each type as written → the known type it names (lower case), or null: an export writes the same few types over and over. */
const typesAsWritten = new Map<string, string | null>();

function knownType(written: string): string | undefined {
  let known = typesAsWritten.get(written);
  if (known === undefined) {
    const lower = written.toLowerCase();
    known = KNOWN_RESOURCE_TYPES.has(lower) ? lower : null;
    // Bounded: a hostile export cannot grow it without end.
    if (typesAsWritten.size < 4096) typesAsWritten.set(written, known);
  }
  return known ?? undefined;
}

/**
 * One copy of each location text: a compile keeps them (one per statement),
 * and an export names the same compartments over and over. Bounded, as above.
 */
const locations = new Map<string, string>();

function shared(text: string): string {
  const known = locations.get(text);
  if (known !== undefined) return known;
  if (locations.size < 65536) locations.set(text, text);
  return text;
}
