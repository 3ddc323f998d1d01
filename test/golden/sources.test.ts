// docs/sources.md is the one place that says where each claim about OCI and
// Oracle comes from. This keeps it in step with the code: every finding code
// has one row, every source id it cites is defined, and the count of claims
// still without a source can only go down.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/checks/catalogue.js';
import { ENGINE_SPECS } from '../../src/core/engine.js';

const text = readFileSync(new URL('../../docs/sources.md', import.meta.url), 'utf8');

function section(title: string): string[][] {
  const start = text.indexOf(`## ${title}\n`);
  if (start < 0) throw new Error(`docs/sources.md has no section ${title}`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  return body
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|---') && !/^\| (id|code|fact the artifacts rely on) \|/.test(l))
    .map((l) => l.slice(2, -2).split(/ (?<!\\)\| /).map((c) => c.trim()));
}

const sources = new Map(section('Sources read').map(([id, where]) => [(id as string).replace(/`/g, ''), where as string]));
const codeRows = section('Finding codes');
const setupRows = section('Setup artifacts');
const allCodes = [...ENGINE_SPECS.map((s) => s.code), ...ALL_CHECKS.flatMap((c) => c.codes.map((s) => s.code))];

/** The ids a source cell cites, or its kind when it cites none. */
function cited(cell: string): { ids: string[]; kind: 'sourced' | 'local' | 'unsourced' | 'invalid' } {
  if (cell.startsWith('local — ')) return { ids: [], kind: 'local' };
  if (cell.startsWith('unsourced — ')) return { ids: [], kind: 'unsourced' };
  const ids = [...cell.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1] as string);
  const rest = cell.replace(/\[[^\]]+\]/g, '').trim();
  return { ids, kind: ids.length > 0 && rest === '' ? 'sourced' : 'invalid' };
}

function defined(id: string): boolean {
  return sources.has(id) || id === 'test/golden/policy-decisions.json';
}

/** Claims still without a source. Lower it when one is sourced or reworded; never raise it. */
const UNSOURCED_CEILING = 0;

describe('docs/sources.md', () => {
  it('defines every source as a URL (or the project seed it was read from)', () => {
    expect(sources.size).toBeGreaterThan(30);
    for (const [id, where] of sources) expect(where, id).toMatch(/^(https:\/\/\S+|seed: \S+)/);
  });

  it('has exactly one row for every finding code, and none for codes that do not exist', () => {
    const rowCodes = codeRows.map((r) => (r[0] as string).replace(/`/g, ''));
    expect(new Set(rowCodes).size).toBe(rowCodes.length);
    expect([...rowCodes].sort()).toEqual([...allCodes].sort());
  });

  it('gives every finding code a source, or says it is local or not yet sourced', () => {
    for (const row of codeRows) {
      const code = row[0] as string;
      const c = cited(row[2] as string);
      expect(c.kind, `${code}: ${row[2]}`).not.toBe('invalid');
      for (const id of c.ids) expect(defined(id), `${code} cites [${id}]`).toBe(true);
    }
  });

  it('gives every setup fact a source', () => {
    expect(setupRows.length).toBeGreaterThan(10);
    for (const [fact, cell] of setupRows) {
      const c = cited(cell as string);
      expect(c.kind, fact).toBe('sourced');
      for (const id of c.ids) expect(defined(id), `${fact} cites [${id}]`).toBe(true);
    }
  });

  it('keeps the number of unsourced claims from growing', () => {
    const open = codeRows.filter((r) => cited(r[2] as string).kind === 'unsourced').map((r) => r[0]);
    expect(open.length, open.join(', ')).toBeLessThanOrEqual(UNSOURCED_CEILING);
  });
});
