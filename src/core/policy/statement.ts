// One policy statement:
//   Allow|Deny <subject> to <verb|{PERM, …}> [<resource-type>] in <location> [where <condition>]
// Endorse, Admit and Define are recognised and reported as cross-tenancy
// statements without being evaluated. A bad statement yields diagnostics and
// no `statement`; nothing here throws.
import { ConditionParser } from './condition.js';
import { ParseCache } from './intern.js';
import { ParseStop, clip, describeToken } from './lexer.js';
import type { Token } from './lexer.js';
import type { Access, Condition, Location, ParsedStatement, PrincipalRef, Statement, Subject } from './types.js';
import { KNOWN_RESOURCE_TYPES, isVerb, pluralOf } from './vocabulary.js';

export const DEFAULT_DOMAIN = 'Default';
/** The start of a default-domain group's key, made once rather than per reference. */
const DEFAULT_DOMAIN_KEY = `${DEFAULT_DOMAIN.toLowerCase()}/`;

/** `in tenancy` reads the same in every statement: one object for all. */
const TENANCY: Location = { kind: 'tenancy' };

/**
 * Parses one statement. With a `cache` (one per compile), parts whose text was
 * seen before are shared with earlier statements instead of built again.
 */
export function parseStatement(text: string, cache?: ParseCache): ParsedStatement {
  return new StatementParser(text, cache).run();
}

class StatementParser extends ConditionParser {
  constructor(
    text: string,
    private readonly cache: ParseCache | undefined,
  ) {
    super(text, 'policy');
    this.leafCache = cache?.leaves;
  }

  run(): ParsedStatement {
    const result: ParsedStatement = { source: this.src, kind: 'invalid', diagnostics: this.diagnostics };
    try {
      const first = this.lx.peek();
      if (first.kind === 'eof') {
        this.error('empty', 'the statement is empty', first.start, 0);
        return result;
      }
      // Most statements start with Allow: recognised without a lower-case copy.
      const keyword = this.isWord(first, 'allow') ? 'allow' : first.kind === 'word' ? first.text.toLowerCase() : '';
      if (keyword === 'endorse' || keyword === 'admit' || keyword === 'define') {
        this.info(
          'cross-tenancy',
          `${keyword[0]?.toUpperCase()}${keyword.slice(1)} statements grant access across tenancies: recognised, not evaluated`,
          first.start,
          first.end - first.start,
        );
        result.kind = 'cross-tenancy';
        result.crossTenancy = { keyword };
        return result;
      }
      if (keyword !== 'allow' && keyword !== 'deny') {
        this.fail('syntax', `a statement starts with Allow or Deny (or Endorse, Admit, Define), not ${describeToken(first)}`, first);
      }
      this.lx.next();
      const subjectStart = this.lx.peek().start;
      let subject = this.parseSubject();
      const to = this.lx.peek();
      if (!this.isWord(to, 'to')) this.unexpected(to, '`to` after the subject');
      if (this.cache) subject = this.shareSubject(this.cache, this.src.slice(subjectStart, to.start), subject);
      this.lx.next();
      const access = this.parseAccess();
      const resourceType = this.parseResourceType(access);
      const location = this.parseLocation();
      let where: Condition | undefined;
      const w = this.lx.peek();
      if (this.isWord(w, 'where')) {
        this.lx.next();
        const first = this.lx.peek();
        if (first.kind === 'eof') this.fail('syntax', '`where` is not followed by a condition', w);
        where = this.parseWhere(first.start);
      } else if (w.kind !== 'eof') {
        this.unexpected(w, '`where` or the end of the statement after the location');
      }
      if (this.hasError || !location) return result;
      // Every field set at once (absent ones undefined): one object shape for all statements, no extra property store.
      const statement: Statement = { effect: keyword, subject, access, resourceType, location, where };
      result.statement = statement;
      result.kind = keyword;
      return result;
    } catch (e) {
      if (!(e instanceof ParseStop)) {
        // A bug here must not take the caller down: report it like any bad input.
        this.error('internal', `the parser failed on this statement: ${e instanceof Error ? e.message : String(e)}`, 0, 0);
      }
      return result;
    }
  }

  /**
   * The condition from `start` to the end of the text. A clause already seen
   * (same text) that parsed without any diagnostic is reused as it is: parsing
   * it again would give the same tree and no diagnostic either.
   */
  private parseWhere(start: number): Condition {
    const key = this.cache ? this.src.slice(start) : '';
    const known = this.cache?.wheres.get(key);
    if (known) {
      this.lx.skipToEnd();
      return known;
    }
    const diagnosticsBefore = this.diagnostics.length;
    const warningsBefore = this.warnings;
    const where = this.parseCondition(0);
    const end = this.lx.peek();
    if (end.kind !== 'eof') this.unexpected(end, 'the end of the statement after the condition');
    if (this.cache && !this.hasError && this.diagnostics.length === diagnosticsBefore && this.warnings === warningsBefore) {
      this.cache.wheres.set(key, where);
    }
    return where;
  }


  /** The subject written the same way before, else this one, its group references shared. */
  private shareSubject(cache: ParseCache, key: string, subject: Subject): Subject {
    const known = cache.subjects.get(key);
    if (known) return known;
    if (subject.kind === 'group' || subject.kind === 'dynamic-group') {
      const refs = subject.refs;
      for (let i = 0; i < refs.length; i++) {
        const text = this.src.slice(cache.refSpans[2 * i] as number, cache.refSpans[2 * i + 1] as number);
        refs[i] = ParseCache.share(cache.refs, text, refs[i] as PrincipalRef);
      }
    }
    cache.subjects.set(key, subject);
    return subject;
  }

  private parseSubject(): Subject {
    const t = this.lx.next();
    if (t.kind === 'word') {
      switch (t.text.toLowerCase()) {
        case 'group':
          return { kind: 'group', refs: this.parseRefs('group') };
        case 'dynamic-group':
          return { kind: 'dynamic-group', refs: this.parseRefs('dynamic group') };
        case 'dynamic': {
          const g = this.lx.peek();
          if (this.isWord(g, 'group')) {
            this.lx.next();
            this.warn('dynamic-group-space', '`dynamic group` is written `dynamic-group`, with a hyphen', t.start, g.end - t.start);
            return { kind: 'dynamic-group', refs: this.parseRefs('dynamic group') };
          }
          break;
        }
        case 'any-user':
          return { kind: 'any-user' };
        case 'any-group':
          return { kind: 'any-group' };
        case 'service':
          return { kind: 'service', names: this.parseServiceNames() };
        case 'user':
          this.fail(
            'syntax',
            "policies do not name single users: use `group <name>`, or `any-user … where request.user.id = '<user ocid>'`",
            t,
          );
      }
    }
    this.unexpected(t, 'a subject (group, dynamic-group, any-user, any-group or service)');
  }

  private parseRefs(label: string): PrincipalRef[] {
    // Most subjects name one group: a list of one, grown only for more. The
    // scratch spans are overwritten in place (emptying an array drops its store).
    const spans = this.cache?.refSpans;
    let start = this.lx.peek().start;
    const refs: PrincipalRef[] = [this.parseRef(label)];
    for (let i = 0; ; i++) {
      if (spans) {
        spans[2 * i] = start;
        spans[2 * i + 1] = this.lx.lastEnd;
      }
      if (this.lx.peek().kind !== ',') return refs;
      this.lx.next();
      start = this.lx.peek().start;
      refs.push(this.parseRef(label));
    }
  }

  private parseRef(label: string): PrincipalRef {
    const t = this.lx.peek();
    if (this.isWord(t, 'id')) {
      const v = this.lx.peek2();
      if (v.kind === 'word' || (v.kind === 'string' && v.closed)) {
        this.lx.next();
        this.lx.next();
        this.checkOcid(v, label);
        return { by: 'id', id: v.text, key: v.text.toLowerCase() };
      }
    }
    if (this.isWord(t, 'to')) this.fail('syntax', `a ${label} name is missing before \`to\``, t);
    const first = this.parseNamePart(label);
    if (this.lx.peek().kind !== '/') {
      return { by: 'name', domain: DEFAULT_DOMAIN, name: first, domainGiven: false, key: `${DEFAULT_DOMAIN_KEY}${first.toLowerCase()}` };
    }
    this.lx.next();
    const name = this.parseNamePart(label);
    return { by: 'name', domain: first, name, domainGiven: true, key: `${first.toLowerCase()}/${name.toLowerCase()}` };
  }

  private parseNamePart(label: string): string {
    const t = this.lx.peek();
    if (t.kind === 'word' || (t.kind === 'string' && t.closed)) {
      this.lx.next();
      return t.text;
    }
    if (t.kind === 'template') {
      this.lx.next();
      this.warn('unquoted-template', `\`${clip(t.text)}\` is an unsubstituted template variable`, t.start, t.end - t.start);
      return t.text;
    }
    this.unexpected(t, `a ${label} name`);
  }

  private checkOcid(t: Token, label: string): void {
    const lower = t.text.toLowerCase();
    if (!lower.startsWith('ocid1.')) {
      this.warn('not-an-ocid', `\`${clip(t.text)}\` after \`id\` does not look like an OCID (ocid1.…)`, t.start, t.end - t.start);
    } else if (t.kind === 'string' && lower.includes(',')) {
      this.warn('comma-in-ocid', `the quoted ${label} OCID '${clip(t.text)}' contains a comma`, t.start, t.end - t.start);
    }
  }

  private parseServiceNames(): string[] {
    const names: string[] = [];
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== 'word' || this.isWord(t, 'to')) this.unexpected(t, 'a service name');
      this.lx.next();
      names.push(t.text.toLowerCase());
      if (this.lx.peek().kind !== ',') return names;
      this.lx.next();
    }
  }

  private parseAccess(): Access {
    const t = this.lx.peek();
    if (t.kind === '{') {
      this.lx.next();
      const permissions: string[] = [];
      for (;;) {
        const p = this.lx.next();
        if (p.kind !== 'word') this.unexpected(p, 'a permission name such as DB_CONNECT');
        const upper = p.text.toUpperCase();
        if (upper !== p.text) {
          this.warn(
            'lowercase-permission',
            `permission \`${clip(p.text)}\` is in lower case: OCI permission names are upper case (${clip(upper)})`,
            p.start,
            p.end - p.start,
          );
        }
        permissions.push(upper);
        const sep = this.lx.next();
        if (sep.kind === '}') {
          const access: Access = { kind: 'permissions', permissions };
          return this.cache ? ParseCache.share(this.cache.permissions, permissions.join(','), access) : access;
        }
        if (sep.kind !== ',') this.unexpected(sep, '`,` or `}` in the permission list');
      }
    }
    if (t.kind === 'word') {
      const verb = t.text.toLowerCase();
      if (isVerb(verb)) {
        this.lx.next();
        return this.cache ? this.cache.verb(verb) : { kind: 'verb', verb };
      }
      this.fail('syntax', `unknown verb ${describeToken(t)}: use inspect, read, use or manage, or a {PERMISSION} list`, t);
    }
    this.unexpected(t, 'a verb (inspect, read, use, manage) or a {PERMISSION} list');
  }

  private parseResourceType(access: Access): string | undefined {
    const t = this.lx.peek();
    const atEnd = t.kind === 'eof' || this.isWord(t, 'in') || this.isWord(t, 'where');
    if (access.kind === 'permissions' && atEnd) return undefined;
    if (atEnd && access.kind === 'verb') {
      this.fail('syntax', `a resource type is missing after \`${access.verb}\`, e.g. \`${access.verb} database-connections\``, t);
    }
    if (t.kind !== 'word') this.unexpected(t, 'a resource type such as database-connections');
    this.lx.next();
    const lower = t.text.toLowerCase();
    const type = this.cache ? ParseCache.share(this.cache.types, lower, lower) : lower;
    if (KNOWN_RESOURCE_TYPES.has(type)) return type;
    const plural = pluralOf(type);
    if (plural) {
      this.warn(
        'singular-resource-type',
        `\`${clip(t.text)}\` is not a resource type: OCI names it \`${plural}\` (read as ${plural})`,
        t.start,
        t.end - t.start,
      );
      return plural;
    }
    this.warn(
      'unknown-resource-type',
      `\`${clip(t.text)}\` is not a resource type known here: it only matches requests for exactly that type`,
      t.start,
      t.end - t.start,
    );
    return type;
  }

  /** Undefined after recording a missing location (the parse goes on to report more). */
  private parseLocation(): Location | undefined {
    const t = this.lx.peek();
    if (!this.isWord(t, 'in')) {
      if (t.kind === 'eof' || this.isWord(t, 'where')) {
        this.error(
          'missing-location',
          'the statement has no location: add `in tenancy` or `in compartment <name>` before ' +
            (t.kind === 'eof' ? 'the end' : '`where`'),
          t.start,
          t.end - t.start,
        );
        return undefined;
      }
      this.unexpected(t, '`in` and a location');
    }
    this.lx.next();
    const l = this.lx.next();
    if (this.isWord(l, 'tenancy')) {
      const after = this.lx.peek();
      if (after.kind === 'word' && !this.isWord(after, 'where')) {
        this.fail('syntax', `\`in tenancy ${clip(after.text)}\` names another tenancy, which only Endorse and Admit statements do`, after);
      }
      return TENANCY;
    }
    if (this.isWord(l, 'compartment')) {
      const c = this.lx.peek();
      if (this.isWord(c, 'id')) {
        const v = this.lx.peek2();
        if (v.kind === 'word' || (v.kind === 'string' && v.closed)) {
          this.lx.next();
          this.lx.next();
          this.checkOcid(v, 'compartment');
          const byId: Location = { kind: 'compartment-id', id: v.text };
          return this.cache ? ParseCache.share(this.cache.locationsById, v.text, byId) : byId;
        }
      }
      if (c.kind === 'word' || (c.kind === 'string' && c.closed)) {
        this.lx.next();
        // A path written before was valid then (an invalid one is never stored): no need to split it again.
        const known = this.cache?.locationsByPath.get(c.text);
        if (known) return known;
        const path = c.text.split(':');
        if (path.some((p) => p.length === 0)) {
          this.fail('syntax', `compartment path \`${clip(c.text)}\` has an empty name in it`, c);
        }
        const byPath: Location = { kind: 'compartment-path', path };
        return this.cache ? ParseCache.share(this.cache.locationsByPath, c.text, byPath) : byPath;
      }
      this.unexpected(c, 'a compartment name, a path A:B:C or `id <ocid>`');
    }
    if (this.isWord(l, 'any-tenancy')) {
      this.fail('syntax', '`in any-tenancy` only appears in Endorse statements', l);
    }
    this.unexpected(l, '`tenancy` or `compartment` after `in`');
  }
}
