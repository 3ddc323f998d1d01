// Checks judge facts; they never gather them. A check that imported an adapter
// value could open a socket or call the SDK behind the facts gateway's back
// (uncached, ignoring --offline and the endpoint overrides), so none may.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const checksDir = join(root, 'src', 'checks');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Value imports (not `import type`, not `{ type X }` only) of src/adapters, statically or dynamically. */
function adapterValueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*import\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/gm)) {
    const [, typeOnly, clause = '', spec = ''] = m;
    if (!/(^|\/)adapters\//.test(spec) || typeOnly) continue;
    const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
    const allTypes = named !== null && (named[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    if (!allTypes) out.push(`import ${clause.replace(/\s+/g, ' ')} from '${spec}'`);
  }
  for (const m of text.matchAll(/import\(\s*['"]([^'"]*adapters\/[^'"]+)['"]\s*\)/g)) out.push(`import('${m[1]}')`);
  return out;
}

describe('src/checks reads the world only through the facts gateway', () => {
  it('tells a value import from a type import', () => {
    expect(adapterValueImports("import type { X } from '../../adapters/a.js';")).toEqual([]);
    expect(adapterValueImports("import { type X, type Y } from '../../adapters/a.js';")).toEqual([]);
    expect(adapterValueImports("import { getUser } from '../../adapters/oci-sdk.js';")).toHaveLength(1);
    expect(adapterValueImports("import { type X, probe } from '../adapters/imds.js';")).toHaveLength(1);
    expect(adapterValueImports("const m = await import('../../adapters/net-probe.js');")).toHaveLength(1);
  });

  it('no check module imports a value from src/adapters', () => {
    const files = sourceFiles(checksDir);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.flatMap((f) => adapterValueImports(readFileSync(f, 'utf8')).map((i) => `${relative(root, f)}: ${i}`));
    expect(offenders).toEqual([]);
  });
});
