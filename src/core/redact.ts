// The one layer every output passes through. Secrets are never shown in any
// mode, registered ones by value and the rest by shape (URL credentials,
// connect strings, bearer tokens, JWTs, PEM and base64 bodies, pwd= pairs);
// `--redact` also masks identifiers (OCIDs, user and host names, e-mails, IP
// addresses, group, compartment and policy names, home) as whole tokens.
import { createHash } from 'node:crypto';
import { escapeRegExp } from './regexp.js';

export interface RedactorOptions {
  /** Mask OCIDs, user and host names and the home path (`--redact`). */
  maskIdentifiers: boolean;
  homeDir?: string;
  userName?: string;
  hostName?: string;
}

/** Pieces shorter than this are not registered on their own: too likely to hit ordinary words. */
const MIN_SECRET_PIECE = 6;
/** Secrets shorter than this are matched as whole tokens only. */
const SHORT_SECRET = 8;

const PEM_PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
// A JWT: three base64url segments, the first a JSON header ("eyJ" is `{"`).
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// `pass_phrase = x`, `password: x`, `"walletPassword":"x"` and the like (not "token:", which titles use).
const SECRET_ASSIGNMENT = /\b((?:pass_?phrase|passwd|password|wallet_?password)\b["']?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;'"}]+)/gi;
// `pwd=x`, `client_secret=x`, `access_token=x` (only with `=`: "token:" titles a line in our own output).
const SECRET_PAIR = /\b((?:pwd|client_secret|secret|access_token|refresh_token|id_token|api_?key|token|auth_token|sig|signature)=)("[^"\n]*"|'[^'\n]*'|[^\s&,;'"}]+)/gi;
// `Authorization: Bearer <opaque>` / `Basic <b64>`: anything after the scheme word is a credential.
const BEARER = /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{12,})/g;
// Credentials inside a URL, with or without a scheme: `scheme://user:pass@host`, `user:pass@host:port`.
// The password may hold `/` and `@`: the last `@` before the host wins (greedy within one token).
// Lengths are bounded so a megabyte without `@` costs linear time, not quadratic backtracking.
const URL_CREDENTIALS = /(?<![\w.%+-])((?:[a-z][a-z0-9+.-]{0,30}:\/\/)?)([^\s:/@'"<>]{1,128}):(?!\/\/)([^\s'"<>]{1,256})@(?=[A-Za-z0-9[])/gi;
// A token-only userinfo (`https://<token>@host`): long enough to be a credential, not a login name.
const URL_TOKEN = /(?<![\w.+-])([a-z][a-z0-9+.-]{0,30}:\/\/)([^\s:/@'"<>]{16,512})@(?=[A-Za-z0-9[])/gi;
// An Oracle connect string with a password: `user/password@host[:port]/service` (EZConnect, SQL*Plus).
const CONNECT_PASSWORD = /(?<![\w$#./:+=-])([A-Za-z][\w$#.]{0,127})\/("[^"\n]{0,256}"|[^\s'"@][^\s'"]{0,255})@(?=["A-Za-z0-9[(])/g;
// A line of base64 (a PEM body without its BEGIN line, a DER blob): long, all base64 characters.
const BASE64_RUN = /(?<![A-Za-z0-9+/=._-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=._-])/g;

/**
 * Random base64 mixes cases and digits throughout (a 64-character line holds
 * about 26 capitals, 26 small letters and 10 digits); hex, words and OCIDs do
 * not. A path is the one look-alike: it starts at a root and is made of short
 * pieces, and has no `+`.
 */
function looksLikeBase64Blob(run: string): boolean {
  const count = (re: RegExp): number => run.match(re)?.length ?? 0;
  const body = run.replace(/=+$/, '');
  if (count(/[A-Z]/g) < body.length / 8 || count(/[a-z]/g) < body.length / 8) return false;
  // A full PEM line (64) almost always holds digits, but not always (about one line in ten thousand has
  // none or one): from 60 characters mixed case is enough; shorter runs also need a digit or a '+'.
  if (body.length < 60 && count(/[0-9]/g) < 2 && !run.includes('+')) return false;
  const pieces = body.split('/').filter(Boolean);
  // Random base64 holds about one digit in six, and a long piece of it mixes digits and both cases; a path's
  // names rarely do (a key line that happened to start with '/' and split into short pieces was kept as a path).
  const randomPiece = pieces.some((p) => p.length >= 12 && /[0-9]/.test(p) && (p.match(/[A-Z]/g)?.length ?? 0) >= 3 && /[a-z]/.test(p));
  const fewDigits = count(/[0-9]/g) <= body.length / 16;
  // About 40 % of random base64 is capitals; a path's names are mostly small letters (a key line with 22
  // capitals in 64, few digits and no long piece holding one was kept as a path).
  const fewCapitals = count(/[A-Z]/g) <= body.length / 5;
  const pathLike = /^(\/|~\/|[A-Za-z]:\/)/.test(run) && !run.includes('+') && pieces.length >= 3 && body.length / pieces.length <= 12 && fewDigits && fewCapitals && !randomPiece;
  return !pathLike;
}

// ocid1.<type>.<realm>.[region].<unique>
const OCID = /\bocid1\.([a-z0-9_-]+)\.([a-z0-9_-]+)\.([a-z0-9_-]*)\.([a-z0-9_.-]+)/gi;

export function fingerprintOf(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

/** What to show in place of a secret: its kind, length and a short fingerprint. */
export function describeSecret(label: string, secret: string): string {
  return `[${label} redacted, ${secret.length} chars, ${fingerprintOf(secret)}]`;
}

export class Redactor {
  private readonly secrets = new Map<string, string>();
  private sortedCache: [string, string][] | undefined;

  constructor(private readonly opts: RedactorOptions = { maskIdentifiers: false }) {}

  /**
   * Registers a secret value. Multi-line secrets (PEM, wallet files) are also
   * registered line by line, so a fragment quoted in an error is caught too.
   */
  addSecret(value: string | undefined, label = 'secret'): void {
    if (!value) return;
    const pieces = new Set<string>([value.trim()]);
    for (const line of value.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length >= MIN_SECRET_PIECE && !/^-----(BEGIN|END) /.test(t)) pieces.add(t);
    }
    for (const p of pieces) {
      if (p.length >= MIN_SECRET_PIECE || p === value.trim()) {
        if (p.length > 0) this.secrets.set(p, label);
      }
    }
    this.sortedCache = undefined;
  }

  private readonly identifiers = new Map<string, string>();

  /**
   * Registers a name to mask under `--redact` as a whole token (a database host
   * from --dsn that has no domain, so no shape would catch it).
   */
  addIdentifier(value: string | undefined, label: string): void {
    if (value && value.length >= 2 && !GENERIC_NAMES.has(value.toLowerCase())) this.identifiers.set(value, label);
  }

  get secretCount(): number {
    return this.secrets.size;
  }

  private sorted(): [string, string][] {
    // Longest first, so a whole secret is replaced before its pieces.
    this.sortedCache ??= [...this.secrets.entries()].sort((a, b) => b[0].length - a[0].length);
    return this.sortedCache;
  }

  redact(text: string): string {
    let out = text;
    for (const [secret, label] of this.sorted()) {
      if (!out.includes(secret)) continue;
      // A short secret ("test") is replaced only as a whole token, or it would
      // shred ordinary words and finding codes ("key.passphrase-wrong").
      out = secret.length < SHORT_SECRET ? replaceWord(out, secret, `[${label} redacted]`) : out.split(secret).join(`[${label} redacted]`);
    }
    out = out.replace(PEM_PRIVATE_KEY, (_m, kind: string) => `[${kind.toLowerCase()} redacted]`);
    out = out.replace(JWT, (m) => `[token redacted, ${m.length} chars]`);
    out = out.replace(SECRET_ASSIGNMENT, (_m, lhs: string, value: string) => (value.startsWith('[') ? `${lhs}${value}` : `${lhs}[redacted]`));
    out = redactByShape(out);
    if (this.opts.maskIdentifiers) out = this.maskIdentifiers(out);
    return out;
  }

  private maskIdentifiers(text: string): string {
    let out = text.replace(OCID, (_m, type: string, realm: string, region: string, unique: string) => {
      return `ocid1.${type}.${realm}.${region ? `${region}.` : ''}…${unique.slice(-6)}`;
    });
    const { homeDir, userName, hostName } = this.opts;
    if (homeDir && homeDir.length > 1) out = out.split(homeDir).join('~');
    out = maskIdentitiesByShape(out);
    for (const [name, label] of this.identifiers) out = replaceWord(out, name, `<${label}>`);
    // The local account and machine names as whole tokens, unless they are generic words
    // ("root", "admin", "localhost"): those identify no one and would shred ordinary prose.
    if (userName && userName.length >= 2 && !GENERIC_NAMES.has(userName.toLowerCase())) out = replaceWord(out, userName, '<user>');
    if (hostName && hostName.length >= 2 && !GENERIC_NAMES.has(hostName.toLowerCase())) out = replaceWord(out, hostName, '<host>');
    return out;
  }

  /** Redacts every string inside a JSON-like value (keys included). */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.redactValue(v);
      return out as T;
    }
    return value;
  }
}

/** Secrets recognised by their shape alone, registered or not. */
export function redactByShape(text: string): string {
  const kept = (value: string, masked: string): string => (value.startsWith('[') && value.endsWith(']') ? value : masked);
  return text
    .replace(BEARER, (_m, scheme: string, gap: string, value: string) => `${scheme}${gap}${kept(value, `[token redacted, ${value.length} chars]`)}`)
    .replace(SECRET_PAIR, (_m, lhs: string, value: string) => `${lhs}${kept(value, '[redacted]')}`)
    .replace(URL_CREDENTIALS, (_m, scheme: string, user: string, pass: string) => `${scheme}${user}:${kept(pass, '[password redacted]')}@`)
    .replace(URL_TOKEN, (_m, scheme: string, value: string) => `${scheme}${kept(value, '[credential redacted]')}@`)
    .replace(CONNECT_PASSWORD, (_m, user: string, pass: string) => `${user}/${kept(pass, '[password redacted]')}@`)
    .replace(BASE64_RUN, (m) => (looksLikeBase64Blob(m) ? `[base64 redacted, ${m.length} chars]` : m));
}

/** Account and machine names that are the same on every box: masking them hides nothing and corrupts prose. */
const GENERIC_NAMES = new Set(['root', 'admin', 'administrator', 'user', 'users', 'oracle', 'opc', 'ubuntu', 'debian', 'ec2-user', 'guest', 'test', 'runner', 'node', 'app', 'build', 'ci', 'jenkins', 'vscode', 'codespace', 'localhost', 'default', 'host', 'server', 'docker']);

const EMAIL = /(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])/g;
const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w]|\.\d)/g;
// Compressed (`::`) or full eight-group IPv6; key fingerprints (16 two-digit groups) and clock times are neither.
const IPV6 = /(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4})(?![\w:])/gi;
// Host names: dotted names ending in a top-level domain (file names like tnsnames.ora or a.json are not).
const HOST = /(?<![\w.@/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|cloud|dev|app|co|us|uk|de|fr|nl|in|jp|cn|au|ca|ch|eu|info|biz|local|internal|corp|lan|intranet|home|example|test|oraclevcn|oraclecloudapps)(?![\w-]|\.[a-z])/gi;
// Public service and documentation domains: naming them tells nothing about the user.
const PUBLIC_HOST = /(^|\.)(oracle\.com|oraclecloud\.com|github\.com|npmjs\.com|nodejs\.org|no-color\.org|example\.com)$/i;
// Names that follow a kind word in findings and policy statements: `group DBUsers`, `compartment a:b`, `policy 'p'`.
const NAMED = /\b(dynamic-group|group|compartment|policy|user|tenancy)(\s+)('[^'\n]+'|"[^"\n]+"|[A-Za-z0-9_][\w.:@-]*)/gi;
// Words that follow those kind words in ordinary prose and in policy syntax.
const NOT_A_NAME = new Set(['id', 'ids', 'is', 'was', 'are', 'be', 'and', 'or', 'of', 'in', 'to', 'the', 'a', 'an', 'for', 'with', 'that', 'this', 'which', 'where', 'name', 'names', 'has', 'have', 'had', 'not', 'no', 'can', 'may', 'must', 'does', 'do', 'did', 'rule', 'rules', 'member', 'members', 'membership', 'statement', 'statements', 'path', 'level', 'mapping', 'mappings', 'ocid', 'principal', 'token', 'tokens', 'key', 'keys', 'on', 'at', 'by', 'from', 'as', 'it', 'its', 'if', 'then', 'but', 'any', 'all', 'any-user', 'any-group', 'matches', 'match', 'grants', 'allows', 'denies', 'needs', 'exists', 'given', 'named', 'found', 'missing', 'unknown', 'via', 'inherited', 'policies', 'groups', 'compartments', 'users', 'set', 'file', 'profile', 'config', 'session', 'api', 'requests', 'request', 'changes', 'change', 'lookup', 'read', 'reads', 'list', 'tenancy', 'root', 'itself', 'you', 'your', 'their', 'his', 'her']);
// The value of a global mapping: `IAM_GROUP_NAME=g`, `IAM_PRINCIPAL_NAME=alice@example.com`.
const MAPPING_NAME = /\b(IAM_GROUP_NAME|IAM_PRINCIPAL_NAME)=([^\s'",;)]+)/g;

/** `--redact`: identities, hosts, addresses and IAM names, found by their shape and position. */
export function maskIdentitiesByShape(text: string): string {
  return text
    .replace(MAPPING_NAME, (_m, key: string) => `${key}=<${key === 'IAM_GROUP_NAME' ? 'group' : 'principal'}>`)
    .replace(EMAIL, '<email>')
    .replace(NAMED, (m, kind: string, gap: string, name: string) => {
      const bare = name.replace(/^['"]|['"]$/g, '');
      const quoted = bare !== name;
      if (!quoted && (NOT_A_NAME.has(bare.toLowerCase()) || /^ocid1\./i.test(bare) || bare.startsWith('<'))) return m;
      const q = quoted ? name[0] : '';
      return `${kind}${gap}${q}<${kind.toLowerCase()}>${q}`;
    })
    .replace(IPV4, '<ip>')
    .replace(IPV6, (m) => (m.includes('::') && m.length < 3 ? m : '<ip>'))
    .replace(HOST, (m) => (PUBLIC_HOST.test(m) ? m : '<host>'));
}

function replaceWord(text: string, word: string, replacement: string): string {
  return text.replace(new RegExp(`(?<![A-Za-z0-9_.-])${escapeRegExp(word)}(?![A-Za-z0-9_.-])`, 'g'), replacement);
}
