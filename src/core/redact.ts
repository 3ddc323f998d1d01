// The one layer every output passes through. Secrets are never shown in any
// mode; `--redact` also masks identifiers (OCIDs, user and host names, home).
import { createHash } from 'node:crypto';

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
    if (this.opts.maskIdentifiers) out = this.maskIdentifiers(out);
    return out;
  }

  private maskIdentifiers(text: string): string {
    let out = text.replace(OCID, (_m, type: string, realm: string, region: string, unique: string) => {
      return `ocid1.${type}.${realm}.${region ? `${region}.` : ''}…${unique.slice(-6)}`;
    });
    const { homeDir, userName, hostName } = this.opts;
    if (homeDir && homeDir.length > 1) out = out.split(homeDir).join('~');
    if (userName && userName.length >= 2) out = replaceWord(out, userName, '<user>');
    if (hostName && hostName.length >= 2) out = replaceWord(out, hostName, '<host>');
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function replaceWord(text: string, word: string, replacement: string): string {
  return text.replace(new RegExp(`(?<![A-Za-z0-9_.-])${escapeRegExp(word)}(?![A-Za-z0-9_.-])`, 'g'), replacement);
}
