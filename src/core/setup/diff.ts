// A small line diff, to show what replacing an existing file would change.
// The old file is the user's and may hold a pass phrase or a pasted key:
// every shown line goes through the redactor's shape rules first.
import { Redactor } from '../redact.js';

const shapes = new Redactor();

/** Lines of `before` and `after` as `-`/`+`/` ` lines (LCS based; files here are short). */
export function lineDiff(before: string, after: string, context = 2): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const next = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
  }
  const ops: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      ops.push(`+ ${b[j]}`);
      j++;
    } else {
      ops.push(`- ${a[i]}`);
      i++;
    }
  }
  // Keep changed lines and `context` lines around them.
  const keep = ops.map(() => false);
  ops.forEach((op, k) => {
    if (op.startsWith('  ')) return;
    for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep[c] = true;
  });
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (keep[k]) {
      out.push(shapes.redact(op.trimEnd()));
      skipped = false;
    } else if (!skipped) {
      out.push('  …');
      skipped = true;
    }
  });
  return out;
}
