// The check index (src/checks/check-index.ts) stands in for the catalogue when
// a run selects its checks: it must be what the generator writes from the
// checks, load each check itself, and select what the catalogue would.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCheckIndex, CHECK_INDEX_FILE } from '../../scripts/gen-check-index.js';
import { ALL_CHECKS } from '../../src/checks/catalogue.js';
import { CHECK_INDEX } from '../../src/checks/check-index.js';
import { selectChecks, type SelectionOptions } from '../../src/core/selection.js';

describe('check index', () => {
  it('is generated from the checks (run npm run docs)', async () => {
    expect(readFileSync(CHECK_INDEX_FILE, 'utf8')).toBe(await renderCheckIndex());
  });

  it('loads each check itself, in the catalogue order', async () => {
    expect(CHECK_INDEX.map((e) => e.id)).toEqual(ALL_CHECKS.map((c) => c.id));
    const loaded = await Promise.all(CHECK_INDEX.map((e) => e.load()));
    loaded.forEach((check, i) => expect(check).toBe(ALL_CHECKS[i]));
  });

  const selections: [string, SelectionOptions][] = [
    ['--only tls.chain', { only: ['tls.chain'], skip: [], offline: false }],
    ['--only net --offline', { only: ['net'], skip: [], offline: true }],
    ['--only db.identity', { only: ['db.identity'], skip: [], offline: false }],
    ['--only wallet,token --skip token.cache', { only: ['wallet', 'token'], skip: ['token.cache'], offline: false }],
    ['--skip tls --offline', { only: [], skip: ['tls'], offline: true }],
  ];
  it.each(selections)('selects what the catalogue selects: %s', (_, opts) => {
    const fromIndex = selectChecks(CHECK_INDEX, opts);
    const fromCatalogue = selectChecks(ALL_CHECKS, opts);
    expect(fromIndex.checks.map((c) => c.id)).toEqual(fromCatalogue.checks.map((c) => c.id));
    expect([...fromIndex.skipReasons]).toEqual([...fromCatalogue.skipReasons]);
  });
});
