// The output sanitiser: every string that came from a user's file, the
// environment, a server or a pasted error passes through here before it
// reaches a terminal, a report file or the clipboard. Characters that steer a
// terminal (C0/C1 controls: ESC starts CSI, OSC 52 clipboard writes, OSC 8
// links; CR overwrites a line) or reorder what is shown (bidi overrides,
// "Trojan Source") are never emitted: they are shown as escapes (`\x1b`,
// `\u202e`) so the reader still sees that they were there.

/**
 * C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates and marks,
 * line/paragraph separators, zero-width space and BOM. Tab and newline are
 * handled by the callers (kept in multi-line text, escaped in single lines).
 */
// eslint-disable-next-line no-control-regex
const STEERING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const STEERING_OR_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\x1b`, `\r`, `\u202e`: how a steering character is shown. */
export function escapeOf(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** One line of output (a title, a label, a value, a command): nothing may break or steer it. */
export function visibleLine(text: string): string {
  return text.replace(STEERING_OR_LINE, escapeOf);
}

/** Text that may span lines (a detail, a whole report): newlines and tabs stay, a CR before LF is dropped, the rest is shown. */
export function visibleText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(STEERING, escapeOf);
}

/** True when the text holds nothing a terminal would act on (for assertions and guards). */
export function isInert(text: string): boolean {
  STEERING.lastIndex = 0;
  return !STEERING.test(text);
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1, bidi controls and
 * U+2028/2029 raw; this writes them as \uXXXX escapes, so the document still
 * parses to the same strings but prints nothing that steers a terminal.
 */
export function inertJson(json: string): string {
  return json.replace(STEERING, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/**
 * A stream wrapper for stdout/stderr: every write goes through visibleText.
 * The few writers that emit terminal codes on purpose (the Ink screen, the
 * styled header, OSC 52 copy) write to `raw`, and only strings built from
 * already-sanitised parts.
 */
export interface GuardedStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly raw: { write(chunk: string): boolean; isTTY?: boolean; columns?: number };
}

export function guardStream<T extends { write(chunk: string): boolean; isTTY?: boolean; columns?: number }>(target: T): T & GuardedStream {
  if ((target as Partial<GuardedStream>).raw) return target as T & GuardedStream;
  return {
    write: (chunk: string) => target.write(typeof chunk === 'string' ? visibleText(chunk) : chunk),
    get isTTY() {
      return target.isTTY;
    },
    get columns() {
      return target.columns;
    },
    raw: target,
  } as unknown as T & GuardedStream;
}

/** The stream to write deliberate terminal codes to (the unguarded one). */
export function rawStream<T extends { write(chunk: string): boolean }>(stream: T): T {
  return ((stream as Partial<GuardedStream>).raw as T | undefined) ?? stream;
}
