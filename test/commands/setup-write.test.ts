// A write interrupted between the temporary file and the rename leaves the
// old file intact: rename is made to fail, as a crash at that moment would.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';
import { failRenames } from '../helpers/fail-rename.js';

const ANSWERS = join(import.meta.dirname, '../fixtures/setup/security-token-exclusive-user-wallet/answers.json');

describe('interrupted write', () => {
  it('keeps the old file whole, leaves no temporary file and exits 1 naming the directory', async () => {
    const out = tempDir();
    const old = 'Allow group old to use database-connections in tenancy\n';
    writeFileSync(join(out, 'policy.txt'), old);
    let failing = true;
    failRenames((to) => failing && to.endsWith('policy.txt'), () => Object.assign(new Error('EIO: simulated crash before rename'), { code: 'EIO' }));
    const r = await runCli(['setup', '--answers', ANSWERS, '--out', out]);
    failing = false;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not write to ${out}`);
    expect(r.stderr).toContain('simulated crash');
    expect(readFileSync(join(out, 'policy.txt'), 'utf8')).toBe(old);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The next run completes the job.
    const again = await runCli(['setup', '--answers', ANSWERS, '--out', out]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, 'policy.txt.bak'), 'utf8')).toBe(old);
    expect(readFileSync(join(out, 'policy.txt'), 'utf8')).toContain('Allow group db-developers');
  });
});
