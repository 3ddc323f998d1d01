// The bundle's patch to Ink's row-to-text step (scripts/ink-patches.mjs):
// rows of styled cells, as Ink's Output builds them (text written over a
// grid of blank cells), come out byte for byte as the unpatched library
// makes them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { patchStyledCharsToString } from '../../scripts/ink-patches.mjs';

type StyledChar = { type: 'char'; value: string; fullWidth: boolean; styles: { code: string; endCode: string }[] };
interface Tokenizer {
  tokenize(s: string): unknown[];
  styledCharsFromTokens(tokens: unknown[]): StyledChar[];
  styledCharsToString(chars: StyledChar[]): string;
}

const require = createRequire(import.meta.url);
const buildDir = dirname(require.resolve('@alcalzone/ansi-tokenize/package.json')) + '/build';
const work = mkdtempSync(join(tmpdir(), 'dbiam-doctor-styled-chars-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The patched module, importing the library's own helpers by absolute URL. */
async function patched(): Promise<Pick<Tokenizer, 'styledCharsToString'>> {
  const source = patchStyledCharsToString(readFileSync(join(buildDir, 'styledChars.js'), 'utf8')).replaceAll('from "./', `from "${pathToFileURL(buildDir).href}/`).replace(/\/\/# sourceMappingURL=.*$/m, '');
  const file = join(work, 'styledChars.patched.mjs');
  writeFileSync(file, source);
  return (await import(pathToFileURL(file).href)) as Tokenizer;
}

// SGR codes Ink and chalk write: intensity (which share an end code), colours, backgrounds, underline, inverse, reset.
const SGR = ['\u001b[1m', '\u001b[2m', '\u001b[22m', '\u001b[31m', '\u001b[32m', '\u001b[39m', '\u001b[44m', '\u001b[49m', '\u001b[4m', '\u001b[24m', '\u001b[7m', '\u001b[27m', '\u001b[0m', '\u001b[38;5;208m', '\u001b[90m'];
const piece = fc.oneof(fc.constantFrom(...SGR), fc.constantFrom('a', 'Z', ' ', '✔', '─', '│', 'é', '…'));
const segment = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));

describe('styledCharsToString with the fast path for like-styled cells', () => {
  it('renders every row exactly as the library does', async () => {
    const lib = (await import('@alcalzone/ansi-tokenize')) as unknown as Tokenizer;
    const fast = await patched();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.tuple(fc.nat(59), segment), { maxLength: 4 }), (width, writes) => {
        const row: StyledChar[] = Array.from({ length: width }, () => ({ type: 'char', value: ' ', fullWidth: false, styles: [] }));
        for (const [x, text] of writes) lib.styledCharsFromTokens(lib.tokenize(text)).forEach((c, i) => x + i < width && (row[x + i] = c));
        expect(fast.styledCharsToString(row)).toBe(lib.styledCharsToString(row));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a library whose function changed shape', () => {
    expect(() => patchStyledCharsToString('export function styledCharsToString(chars) { return ""; }')).toThrow(/review the patch/);
  });
});
