// Where a JSON text breaks, for messages about a user's file. The text itself
// is never quoted: V8's messages carry a snippet of it ("Unexpected token 'h',
// "hunter2" is not valid JSON"), and the file may be the wrong one, holding a
// secret. Iterative: a file of 500,000 '[' must not overflow the stack.
import { positionAt } from './text-position.js';

/**
 * Offset of the first syntax error in `s`, or undefined when it is valid JSON.
 * Node 20's messages do not always carry a position ("Unexpected token '}'"),
 * so the position is found here. Iterative: deep nesting cannot overflow.
 */
export function jsonErrorOffset(s: string): number | undefined {
  const n = s.length;
  const stack: number[] = []; // 0: array, 1: object
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const skipSpace = (): void => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
  };
  /** Reads a string at `i`; false on a bad or unterminated one (`i` left at the problem). */
  const readString = (): boolean => {
    i++;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      i += c === 92 ? 2 : 1;
    }
    i = n;
    return false;
  };
  for (;;) {
    skipSpace();
    if (state === 'value') {
      if (i >= n) return n;
      const c = s[i] as string;
      if (c === '{' || c === '[') {
        stack.push(c === '{' ? 1 : 0);
        i++;
        skipSpace();
        if (s[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          state = 'after';
        } else state = c === '{' ? 'key' : 'value';
        continue;
      }
      if (c === '"') {
        if (!readString()) return i;
        state = 'after';
        continue;
      }
      if (c === '-' || (c >= '0' && c <= '9')) {
        i++;
        while (i < n && '0123456789.eE+-'.includes(s[i] as string)) i++;
        state = 'after';
        continue;
      }
      const word = s.startsWith('true', i) || s.startsWith('null', i) ? 4 : s.startsWith('false', i) ? 5 : 0;
      if (word === 0) return i;
      i += word;
      state = 'after';
    } else if (state === 'key') {
      if (s[i] !== '"' || !readString()) return Math.min(i, n);
      skipSpace();
      if (s[i] !== ':') return i;
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : undefined;
      const c = s[i];
      if (c === ',') {
        i++;
        state = top === 1 ? 'key' : 'value';
      } else if ((top === 1 && c === '}') || (top === 0 && c === ']')) {
        stack.pop();
        i++;
      } else return Math.min(i, n);
    }
  }
}

/**
 * "line 3, column 14": where the JSON breaks, without quoting it. JSON.parse says so only sometimes
 * (Node 20 gives a position for some errors, none for "Unexpected token", 22+ line and column), so
 * when it does not, jsonErrorOffset finds the first character that cannot continue the text.
 */
export function jsonErrorPlace(text: string, err: Error): string {
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(err.message);
  const at = pos ? Number(pos[1]) : jsonErrorOffset(text);
  if (at === undefined || at >= text.trimEnd().length) return /end of JSON input/i.test(err.message) || at !== undefined ? 'it ends too early' : 'syntax error';
  const { line, column } = positionAt(text, at);
  return `line ${line}, column ${column}`;
}
