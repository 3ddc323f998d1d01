// Folding text reports: at spaces, with the indentation kept, never inside a
// word (a path or an OCID must stay searchable) and never a command.
import { describe, expect, it } from 'vitest';
import { wrapLine } from '../../src/core/report/text.js';

describe('wrapLine', () => {
  it('folds at the last space that fits and indents the rest by two more', () => {
    expect(wrapLine('  fix: one two three four', 14)).toBe('  fix: one two\n    three four');
  });

  it('keeps a word longer than the width whole', () => {
    const ocid = `ocid1.user.oc1..${'a'.repeat(60)}`;
    expect(wrapLine(`subject ${ocid} end`, 30)).toBe(`subject\n  ${ocid}\n  end`);
  });

  it('never folds a command line', () => {
    const cmd = `    $ oci iam policy create --compartment-id ${'x'.repeat(80)} --name db-access --statements '["Allow group A to use database-connections in tenancy"]'`;
    expect(wrapLine(cmd, 80)).toBe(cmd);
  });

  it('leaves a line that fits alone', () => {
    expect(wrapLine('✔ Proxy settings — no proxy variables set (4 ms)', 100)).toBe('✔ Proxy settings — no proxy variables set (4 ms)');
  });
});
