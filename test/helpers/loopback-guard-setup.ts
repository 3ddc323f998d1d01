// Vitest setup: the loopback guard in this worker and in every process it
// spawns; a test that tried to leave loopback fails, even when the product
// turned the refused connection into a finding.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const guardPath = fileURLToPath(new URL('./loopback-guard.cjs', import.meta.url));
const require = createRequire(import.meta.url);

if (!process.env.DBIAM_LOOPBACK_GUARD_LOG) {
  const dir = mkdtempSync(join(tmpdir(), 'dbiam-guard-'));
  process.env.DBIAM_LOOPBACK_GUARD_LOG = join(dir, 'blocked.log');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
const flag = `--require=${guardPath}`;
if (!(process.env.NODE_OPTIONS ?? '').includes(flag)) {
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, flag].filter(Boolean).join(' ');
}
const guard = require(guardPath) as { takeViolations(): string[] };

afterEach(() => {
  const found = guard.takeViolations();
  if (found.length > 0) throw new Error(`this test tried to leave loopback:\n${found.join('\n')}`);
});
