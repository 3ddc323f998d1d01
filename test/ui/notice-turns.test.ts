// The screen's notice follows the order of the keys, not the order their
// answers arrive in. Seen in a CI run: y then s in one burst, the system
// clipboard tool finished after the report was saved, and "Copied the fix
// command…" replaced "Saved the report to…" (and, one row shorter, moved the
// view back down after the user's PgUp).
import { describe, expect, it } from 'vitest';
import { noticeTurns } from '../../src/ui/notice-turns.js';

describe('noticeTurns', () => {
  it('drops the answer of a key when a later key has taken a turn', () => {
    const shown: (string | undefined)[] = [];
    const notices = noticeTurns((n) => shown.push(n));
    const copied = notices.take(); // y: the clipboard tool is still running
    const saved = notices.take(); // s
    saved('Saved the report to ./r.md');
    copied('Copied the fix command via OSC 52 and xclip.');
    expect(shown).toEqual(['Saved the report to ./r.md']);
  });

  it('shows each answer while its key is the latest, however late it comes', () => {
    const shown: (string | undefined)[] = [];
    const notices = noticeTurns((n) => shown.push(n));
    const saved = notices.take();
    saved('Saved the report to ./r.md');
    const copied = notices.take();
    copied('Copied the Markdown report (1200 chars) via OSC 52.');
    notices.take()(undefined); // r: a re-run clears it
    copied('Copied the Markdown report (1200 chars) via OSC 52.');
    expect(shown).toEqual(['Saved the report to ./r.md', 'Copied the Markdown report (1200 chars) via OSC 52.', undefined]);
  });
});
