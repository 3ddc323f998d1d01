// Where a user's JSON file breaks, said without quoting it. Expected places
// are counted by hand (line and column are 1-based, as editors show them).
import { describe, expect, it } from 'vitest';
import { jsonErrorPlace } from '../../src/core/json-syntax.js';

/** JSON.parse's own error for `text` (its message varies with the Node version; the place must not). */
function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`parsed: ${text}`);
}

const place = (text: string): string => jsonErrorPlace(text, parseError(text));

describe('jsonErrorPlace', () => {
  it('names the line and column of the first character that cannot continue the text', () => {
    expect(place('{"a": 1,\n  "b": x}')).toBe('line 2, column 8');
    expect(place('{ nope')).toBe('line 1, column 3');
    expect(place('[1, 2,]')).toBe('line 1, column 7');
  });

  it('says a text that stops in the middle ends too early', () => {
    expect(place('{ "only": ')).toBe('it ends too early');
    expect(place('{\n  "profile": "DEFAULT",\n  "region": \n')).toBe('it ends too early');
  });

  it('survives 500,000 nested brackets (a hostile file) instead of overflowing the stack', () => {
    expect(place('['.repeat(500_000))).toBe('it ends too early');
    expect(place(`${'['.repeat(500_000)}x`)).toBe('line 1, column 500001');
  });

  it('never quotes the text, whatever JSON.parse put in its message', () => {
    const text = 'hunter2-canary-password\n';
    expect(parseError(text).message).toContain('hunter2');
    expect(place(text)).toBe('line 1, column 1');
  });
});
