// Rewrites the screen captures in README.md from the built CLI in a real pty
// (test/e2e/pty-harness.ts): each `<!-- capture: demo <scenario> <cols>x<rows> -->`
// block gets what a user sees at that size. test/e2e/readme-captures.test.ts
// checks they still match. Demos run with --timeout 60 (DEMO_TIMEOUT), so a busy
// machine does not turn a slow check into a timeout on the capture.
// Run: node scripts/build.mjs && npx tsx scripts/readme-captures.ts
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE, ROOT, captureDemo, ensureBuilt } from '../test/e2e/pty-harness.js';

async function main(): Promise<void> {
  ensureBuilt();
  const readme = join(ROOT, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const work = mkdtempSync(join(tmpdir(), 'dbiam-doctor-captures-'));
  try {
    let out = text;
    for (const m of [...text.matchAll(CAPTURE)]) {
      const [block, scenario, cols, rows] = m as unknown as [string, string, string, string];
      const screen = await captureDemo(work, scenario, [Number(cols), Number(rows)]);
      out = out.replace(block, `<!-- capture: demo ${scenario} ${cols}x${rows} -->\n\`\`\`text\n${screen.map((l) => `${l}\n`).join('')}\`\`\`\n<!-- /capture -->`);
      console.log(`demo ${scenario} ${cols}x${rows}: ${screen.length} rows`);
    }
    writeFileSync(readme, out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
