// The README's screen captures are what a user sees: each block is captured
// again from the built CLI in a pty at its size and compared, with durations,
// ports, temporary paths and the Node version made constant (normaliseCapture).
// When the screen changes on purpose: npx tsx scripts/readme-captures.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE, ROOT, captureDemo, ensureBuilt, normaliseCapture } from './pty-harness.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(CAPTURE)].map((m) => ({ scenario: m[1] as string, size: [Number(m[2]), Number(m[3])] as [number, number], rows: (m[4] ?? '').replace(/\n$/, '').split('\n') }));

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'dbiam-doctor-readme-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('README screen captures', () => {
  it('holds a failing and the healthy capture', () => {
    expect(blocks.map((b) => b.scenario)).toEqual(['untrusted-ca', 'healthy']);
    // Written from a real 24-row screen, not left empty.
    for (const b of blocks) expect(b.rows.length).toBeGreaterThan(10);
  });

  it.concurrent.each(blocks.map((b) => [b.scenario, b] as const))('demo %s matches what the screen shows now', async (_name, block) => {
    const now = await captureDemo(work, block.scenario, block.size);
    expect(normaliseCapture(now).join('\n')).toBe(normaliseCapture(block.rows).join('\n'));
  }, 240_000);
});
