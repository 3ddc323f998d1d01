// Writes src/checks/check-index.ts from the check catalogue (npm run docs):
// what --only / --skip / --offline need of every check, and the group module
// (src/checks/groups/) that holds it, so a run that selects a few checks loads
// only their groups. The checks stay the
// one owner of their ids and dependencies; test/checks/check-index.test.ts
// fails when the file is not what this script writes.
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_CHECKS } from '../src/checks/catalogue.js';

/** A TypeScript literal in the tree's style: single quotes (ids and categories hold none). */
const lit = (s: string): string => `'${s}'`;
const list = (xs: readonly string[]): string => `[${xs.map(lit).join(', ')}]`;

const GROUPS = new URL('../src/checks/groups/', import.meta.url);
export const CHECK_INDEX_FILE = new URL('../src/checks/check-index.ts', import.meta.url);

export async function renderCheckIndex(): Promise<string> {
  // Each check is exported by one group module (src/checks/groups/): the unit a run loads.
  const where = new Map<unknown, { name: string; group: string }>();
  for (const file of readdirSync(GROUPS).filter((f) => f.endsWith('.ts')).sort()) {
    const group = file.slice(0, -'.ts'.length);
    const mod = (await import(new URL(file, GROUPS).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (where.has(value)) throw new Error(`gen-check-index: ${name} is in two groups`);
      where.set(value, { name, group });
    }
  }
  const lines = ALL_CHECKS.map((check) => {
    const at = where.get(check);
    if (!at) throw new Error(`gen-check-index: no module in src/checks/groups/ exports ${check.id}`);
    const fields = [
      `id: ${lit(check.id)}`,
      `category: ${lit(check.category)}`,
      `dependsOn: ${list(check.dependsOn)}`,
      ...(check.after ? [`after: ${list(check.after)}`] : []),
      ...(check.needsOciApi ? ['needsOciApi: true'] : []),
      `load: () => import('./groups/${at.group}.js').then((m) => m.${at.name})`,
    ];
    return `  { ${fields.join(', ')} },`;
  });
  return [
    '// Generated from src/checks/catalogue.ts by `npm run docs` (scripts/gen-check-index.ts); do not edit by hand.',
    '// What selecting checks needs (--only, --skip, --offline) and where each check',
    '// is: a run of a few checks loads only their groups.',
    "import type { Category } from '../core/types.js';",
    "import type { DoctorCheck } from './deps.js';",
    '',
    `export type CheckId = ${ALL_CHECKS.map((c) => lit(c.id)).join(' | ')};`,
    '',
    'export interface CheckIndexEntry {',
    '  id: CheckId;',
    '  category: Category;',
    '  dependsOn: string[];',
    '  after?: string[];',
    '  needsOciApi?: boolean;',
    '  load(): Promise<DoctorCheck>;',
    '}',
    '',
    "/** Every check, in the catalogue's order. */",
    'export const CHECK_INDEX: readonly CheckIndexEntry[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CHECK_INDEX_FILE, await renderCheckIndex());
  console.log('wrote src/checks/check-index.ts');
}
