// A seeded generator of hostile strings: terminal control sequences (CSI,
// OSC 52 clipboard writes, OSC 8 links, CR overwrites, C1 controls, bidi
// overrides) and secret shapes (URL credentials with and without scheme,
// connect strings, pwd= pairs, bearer tokens, JWTs, PEM body lines). Each
// value carries a marker word, so a test can check the value was shown at
// all (an empty output trivially holds nothing raw).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/core/policy/bench-fixture.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';

export { seededRandom };

export type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const alnum = (rng: Rng, n: number): string => Array.from({ length: n }, () => pick(rng, [...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'])).join('');

/** Control sequences a terminal acts on; `raw` must never reach a terminal or a file. */
export function controlSequence(rng: Rng): string {
  const b64 = Buffer.from(`pwned-${alnum(rng, 6)}`).toString('base64');
  const makers: (() => string)[] = [
    () => `\u001b]52;c;${b64}\u0007`, // OSC 52: write the clipboard
    () => `\u001b]52;c;${b64}\u001b\\`,
    () => `\u001b]8;;https://evil.example/${alnum(rng, 4)}\u001b\\click\u001b]8;;\u001b\\`, // OSC 8 link
    () => '\u001b[2J\u001b[H', // clear screen
    () => `\u001b[${1 + Math.floor(rng() * 9)}A\u001b[2K`, // cursor up, erase line
    () => '\u001b[31;1m', // colour
    () => `ok\rFAKE ${alnum(rng, 3)}`, // carriage-return overwrite
    () => '\u009b2J', // C1 CSI
    () => '\u009d0;title\u009c', // C1 OSC
    () => '\u202e', // right-to-left override
    () => `\u2066${alnum(rng, 3)}\u2069`, // isolate
    () => '\u0007', // bell
    () => '\b\b\b', // backspaces
    () => String.fromCharCode(Math.floor(rng() * 8)), // NUL..BEL
    () => String.fromCharCode(0x0e + Math.floor(rng() * 12)), // SO..US (minus ESC handled above)
    () => '\u007f',
    () => '\u2028',
  ];
  return pick(rng, makers)();
}

export interface SecretShape {
  /** The text as it would appear in a file, an error or an argument. */
  text: string;
  /** The part that must never be shown. */
  secret: string;
  kind: string;
}

let pemBody: string[] | undefined;
/** Body lines of a throw-away RSA key, generated at test time (never a key file in the tree). */
function pemBodyLines(): string[] {
  pemBody ??= generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'));
  return pemBody;
}

/** A secret in one of the shapes the redactor must recognise without being told the value. */
export function secretShape(rng: Rng): SecretShape {
  const pw = `${alnum(rng, 6)}${pick(rng, ['', '/', '@', '/x@'])}${alnum(rng, 6)}`;
  const token = randomBytes(24).toString('base64url');
  const makers: (() => SecretShape)[] = [
    () => ({ kind: 'url', text: `http://proxyuser:${pw}@127.0.0.1:3128/`, secret: pw }),
    () => ({ kind: 'url-no-scheme', text: `proxyuser:${pw}@proxy.internal.example:8080`, secret: pw }),
    () => ({ kind: 'connect-string', text: `admin/${pw}@dbhost.example:1522/svc_high`, secret: pw }),
    () => ({ kind: 'pwd-pair', text: `Data Source=db;User Id=admin;pwd=${pw};`, secret: pw }),
    () => ({ kind: 'password-pair', text: `password=${pw}`, secret: pw }),
    () => ({ kind: 'bearer', text: `Authorization: Bearer ${token}`, secret: token }),
    () => {
      const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: alnum(rng, 8) })).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      return { kind: 'jwt', text: `token ${jwt}`, secret: jwt.split('.')[2] as string };
    },
    () => {
      const lines = pemBodyLines();
      const line = lines[1 + Math.floor(rng() * (lines.length - 3))] as string;
      return { kind: 'pem-body', text: line, secret: line };
    },
  ];
  return pick(rng, makers)();
}

export interface HostileValue {
  text: string;
  marker: string;
  secrets: string[];
}

/** A value mixing words, control sequences and (optionally) secret shapes, tagged with a marker word. */
export function hostileValue(rng: Rng, opts: { secrets?: boolean; maxLength?: number } = {}): HostileValue {
  const marker = `MARK${alnum(rng, 6)}`;
  const parts: string[] = [marker];
  const secrets: string[] = [];
  const n = 1 + Math.floor(rng() * 3);
  for (let i = 0; i < n; i++) {
    parts.push(controlSequence(rng));
    if (opts.secrets && rng() < 0.5) {
      const s = secretShape(rng);
      parts.push(` ${s.text} `);
      secrets.push(s.secret);
    }
    parts.push(alnum(rng, 3));
  }
  const text = parts.join('');
  return { text: opts.maxLength ? text.slice(0, opts.maxLength) : text, marker, secrets };
}

// eslint-disable-next-line no-control-regex
const RAW_STEERING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** The first character a terminal would act on (besides newline and tab), with its surroundings; undefined when inert. */
export function firstRawControl(output: string): string | undefined {
  const m = RAW_STEERING.exec(output);
  if (!m) return undefined;
  return JSON.stringify(output.slice(Math.max(0, m.index - 30), m.index + 10));
}

/**
 * For the screen, where Ink's own cursor and colour codes are expected: the
 * control sequences Ink never writes (OSC, C1, bidi, BEL, backspace, CR
 * overwrite, clear screen inside a value).
 */
// eslint-disable-next-line no-control-regex
const NEVER_FROM_INK = /\u001b\]|[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028]|\r(?!\n)/u;
export function firstForeignControl(screen: string): string | undefined {
  const m = NEVER_FROM_INK.exec(screen);
  if (!m) return undefined;
  return JSON.stringify(screen.slice(Math.max(0, m.index - 30), m.index + 10));
}

/** Runs the CLI in every format, each also writing an -o file; returns every output with its name. */
export async function everyFormat(prefix: string, argv: string[], extra: Parameters<typeof runCli>[1] = {}): Promise<{ name: string; text: string }[]> {
  const dir = tempDir(`dbiam-doctor-${prefix}-`);
  const outs: { name: string; text: string }[] = [];
  for (const format of ['text', 'md', 'json'] as const) {
    const file = join(dir, `report.${format === 'text' ? 'txt' : format}`);
    const r = await runCli([...argv, '--format', format, '--output', file], extra);
    outs.push({ name: `${format} stdout`, text: r.stdout }, { name: `${format} stderr`, text: r.stderr }, { name: `${format} -o file`, text: readFileSync(file, 'utf8') });
  }
  return outs;
}
