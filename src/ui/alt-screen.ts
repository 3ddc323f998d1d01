// The screen runs in the terminal's alternate screen, so the user's scroll-back
// is never touched, and every frame is drawn from the top-left corner: Ink's
// relative "erase the last N lines" assumes every line it wrote took one row,
// which is false after a resize or for a fix command left to wrap on its own.
import { randomBytes } from 'node:crypto';

export const ENTER_ALT_SCREEN = '\u001b[?1049h';
export const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const HOME_AND_CLEAR = '\u001b[H\u001b[J';

// ansi-escapes' eraseLines(n) and clearTerminal, as Ink writes them before a frame.
// eslint-disable-next-line no-control-regex
const ERASE_LINES = /(?:\u001b\[2K\u001b\[1A)*\u001b\[2K\u001b\[G/g;
// eslint-disable-next-line no-control-regex
const CLEAR_TERMINAL = /\u001b\[2J\u001b\[3J\u001b\[H/g;

export interface AltScreen {
  enter(): void;
  /** Idempotent: every exit path calls it. */
  leave(): void;
  readonly active: boolean;
}

export function altScreen(out: { write(chunk: string): boolean }): AltScreen {
  let active = false;
  const onExit = (): void => leave();
  function leave(): void {
    if (!active) return;
    active = false;
    process.off('exit', onExit);
    // Cursor shown again (Ink hides it), then back to the user's screen and scroll-back.
    out.write(`\u001b[?25h${LEAVE_ALT_SCREEN}`);
  }
  return {
    enter() {
      if (active) return;
      active = true;
      // Also on a process.exit anywhere else: never leave the user in the alternate screen.
      process.once('exit', onExit);
      out.write(`${ENTER_ALT_SCREEN}${HOME_AND_CLEAR}`);
    },
    leave,
    get active() {
      return active;
    },
  };
}

/** How many terminal rows a line of `width` columns takes once the terminal wraps it (one cell per code point). */
export function rowsOf(text: string, width: number): number {
  return Math.max(1, Math.ceil([...text].length / Math.max(1, width)));
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * Fix commands must reach the terminal as one unbroken line (the terminal
 * wraps it softly, so a selection copies it whole). Ink would break it at
 * the box width, so the screen draws a placeholder token followed by blank
 * rows for the rows the command will take once wrapped (rowsOf), and the
 * stream puts the command in place of the token and those blank rows: the
 * frame keeps the height Ink laid out.
 */
export class RawLines {
  private readonly nonce = randomBytes(4).toString('hex');
  private readonly lines = new Map<string, { text: string; width: number }>();

  /** A one-line placeholder for `text` (already sanitised: it is written as is), drawn `width` columns wide. */
  token(text: string, width = Number.MAX_SAFE_INTEGER): string {
    for (const [k, v] of this.lines) if (v.text === text && v.width === width) return k;
    const t = `@@raw-${this.nonce}-${this.lines.size}@@`;
    this.lines.set(t, { text, width });
    return t;
  }

  /**
   * Replaces every frame line holding a token with that token's text, and
   * drops the blank rows reserved under it. When the viewport cut some of
   * those rows off, the text is cut to the rows that are left.
   */
  fill(frame: string): string {
    if (this.lines.size === 0 || !frame.includes(`@@raw-${this.nonce}-`)) return frame;
    const src = frame.split('\n');
    const out: string[] = [];
    const pattern = new RegExp(`@@raw-${this.nonce}-\\d+@@`);
    for (let i = 0; i < src.length; i++) {
      const line = src[i] as string;
      const m = pattern.exec(line);
      const raw = m ? this.lines.get(m[0]) : undefined;
      if (!raw) {
        out.push(line);
        continue;
      }
      const want = rowsOf(raw.text, raw.width) - 1;
      let reserved = 0;
      while (reserved < want && i + 1 < src.length && (src[i + 1] as string).replace(SGR, '').trim() === '') {
        reserved++;
        i++;
      }
      const room = (reserved + 1) * raw.width;
      const text = reserved < want ? `${[...raw.text].slice(0, room - 1).join('')}…` : raw.text;
      out.push(`\u001b[0m${text}`);
    }
    return out.join('\n');
  }
}

/**
 * The stream Ink draws on: each frame starts at the top-left corner of a
 * cleared screen (never ESC[3J, which erases scroll-back in many terminals).
 */
export function frameStream<T extends NodeJS.WriteStream>(stream: T, raw: RawLines): T {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    let text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    const erased = ERASE_LINES.test(text) || CLEAR_TERMINAL.test(text);
    ERASE_LINES.lastIndex = 0;
    CLEAR_TERMINAL.lastIndex = 0;
    text = text.replace(CLEAR_TERMINAL, '').replace(ERASE_LINES, '');
    const frame = text.includes('\n') || (erased && text.length > 0);
    if (frame) text = HOME_AND_CLEAR + raw.fill(text);
    else if (erased) text = HOME_AND_CLEAR + text;
    return (stream.write as (c: string, ...r: unknown[]) => boolean)(text, ...rest);
  };
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
