// The incident screen as a user's terminal shows it (issue 20): the built CLI
// in a real pty, its output replayed into a terminal emulator. At each window
// size the verdict is on the last lines, the scroll-back survives, a resize
// redraws within the new width, and keys typed together all count. Every demo
// scenario's verdict at 80x24 is screen-scenarios.test.ts's (drawn in process).
// Where a test runs at 80x24 and 120x40, the 80x24 run is in the real pty and
// its 120x40 twin is drawn in process (screen-in-process.ts): the same program
// writing the same bytes, replayed the same way, at a fraction of the cost.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TIMEOUT, ENTER_ALT, HINT, cleanEnv, ensureBuilt, replay, runInPty, verdictBlock, verdictText, type Env, type PtyRun, type Size, type Step } from './pty-harness.js';
import { runOnScreen } from './screen-in-process.js';

let work: string;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'dbiam-doctor-pty-screen-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const THIRTY_LINES = 'i=1; while [ $i -le 30 ]; do echo "earlier output $i ORA-01017"; i=$((i+1)); done';
const DOWN = '\u001B[B';
const PGUP = '\u001B[5~';

function expectExited(r: PtyRun, code: number, shown: string[]): void {
  // A run that never left the screen has no last screen: show the steps taken and the output's end instead.
  const seen = shown.length > 0 ? shown.join('\n') : `(no screen left; steps sent: ${JSON.stringify(r.sent)})\n${JSON.stringify(r.bytes.toString('utf8').slice(-3000))}`;
  expect(r.timedOut, `the CLI hung; the screen was:\n${seen}`).toBe(false);
  expect(r.signal).toBeNull();
  expect(r.exitCode).toBe(code);
}

/** The OSC 52 clipboard payloads the CLI wrote, decoded. */
function clipboard(r: PtyRun): string[] {
  // eslint-disable-next-line no-control-regex
  return [...r.bytes.toString('utf8').matchAll(/\u001B\]52;c;([A-Za-z0-9+/=]+)\u0007/g)].map((m) => Buffer.from(m[1] ?? '', 'base64').toString('utf8'));
}

// Runs queue for a pty slot (pty-harness.ts), so a test's time includes waiting for the others.
const QUEUED = 240_000;

type Where = 'pty' | 'in process';
/** 80x24 in the real pty, 120x40 drawn in process. */
const TWINS: [cols: number, rows: number, where: Where][] = [
  [80, 24, 'pty'],
  [120, 40, 'in process'],
];

function runAt(where: Where, args: string[], steps: Step[], opts: { env: Env; home: string; cwd: string; size: Size; timeoutS?: number }): Promise<PtyRun> {
  return where === 'pty' ? runInPty(args, steps, opts) : runOnScreen(args, steps, opts);
}

describe.skipIf(process.platform === 'win32')('demo untrusted-ca at every window size', () => {
  const sizes: Size[] = [
    [60, 20],
    [80, 24],
    [120, 40],
    [200, 60],
  ];
  it.concurrent.each(sizes)('%ix%i: the broken link and the Database Tools note on the last lines, the selected problem in view, the history kept', async (cols, rows) => {
    const { env, cwd } = cleanEnv(work);
    const steps: Step[] = [{ when: HINT, after: 100, data: 'q' }];
    const r = await runInPty(['demo', 'untrusted-ca', ...DEMO_TIMEOUT], steps, { env, cwd, size: [cols, rows], before: THIRTY_LINES });
    const shown = await replay(r, [cols, rows], steps);
    expectExited(r, 1, shown.screen);
    expect(shown.screen).toHaveLength(rows);
    // The bottom row belongs to the verdict block: nothing under it, nothing scrolled past it.
    const block = verdictBlock(shown.screen);
    expect(block.length, shown.screen.join('\n')).toBeGreaterThan(1);
    expect(shown.screen.at(-1)).toBe(block.at(-1));
    const said = verdictText(shown);
    // The fix (trust the CA), not the openssl command that only shows the chain.
    expect(said).toMatch(/^✖ No trust source holds the root .* \[tls\.untrusted-root\] → export NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem /);
    expect(said).toContain('The identity query succeeded through Database Tools connection ledger-support-iam, but TLS certificate chain failed (tls.untrusted-root): a direct connection from here would still fail');
    // The viewport shows the selected (failing) problem, not a green panel in its place.
    expect(shown.screen.some((l) => l.includes('› ✖ No trust source holds the root'))).toBe(true);
    // The 30 lines printed before are still in the terminal's history, then the result the screen left behind.
    const history = shown.history;
    const earlier = history.filter((l) => /^earlier output \d+ ORA-01017$/.test(l));
    expect(earlier).toEqual(Array.from({ length: 30 }, (_, i) => `earlier output ${i + 1} ORA-01017`));
    const after = history.slice(history.indexOf('earlier output 30 ORA-01017') + 1);
    expect(after[0]).toMatch(/^dbiam-doctor \d/);
    expect(after.join('\n')).toMatch(/^✖ No trust source holds the root .*\(tls\.untrusted-root · TLS certificate chain\)\nexport NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem\nThe identity query succeeded through Database Tools/m);
  }, QUEUED);
});

describe.skipIf(process.platform === 'win32')('resizes and keys in bursts', () => {
  /** Every row that draws a box edge is as wide as the screen draws for `cols` (at most 120). */
  const expectBoxesAt = (screen: string[], cols: number): void => {
    const edges = screen.filter((l) => /^[╭╰]/.test(l));
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect([...e].length).toBe(Math.min(cols, 120));
  };

  it.concurrent('a resize while checks run, then another once done: each frame redrawn within the new window, the verdict still on the last lines', async () => {
    const { env, cwd } = cleanEnv(work);
    const steps: Step[] = [
      { when: '\u001B[?1049h', after: 50, resize: [60, 20] },
      { when: HINT, after: 100, resize: [120, 40] },
      { when: '\u001B[H\u001B[J', after: 200, data: 'q' },
    ];
    const r = await runInPty(['demo', 'expired-wallet', ...DEMO_TIMEOUT], steps, { env, cwd, size: [80, 24] });
    const shown = await replay(r, [80, 24], steps);
    expectExited(r, 1, shown.screen);
    expect(r.sent).toEqual([0, 1, 2]);
    expect(shown.size).toEqual([120, 40]);
    expect(shown.screen).toHaveLength(40);
    expectBoxesAt(shown.screen, 120);
    // One set of key hints and one verdict: no rows left over from the frames drawn at 80 or 60 columns.
    expect(shown.screen.filter((l) => l.includes(HINT))).toHaveLength(1);
    const block = verdictBlock(shown.screen);
    expect(shown.screen.at(-1)).toBe(block.at(-1));
    expect(verdictText(shown)).toMatch(/^✖ The wallet expired 3 days ago \[wallet\.expired\] → oci db autonomous-database generate-wallet/);
    expect(verdictText(shown)).toContain('a direct connection from here would still fail');
  }, QUEUED);

  it.concurrent('a resize to 60x20 once done redraws the panels 60 wide', async () => {
    const { env, cwd } = cleanEnv(work);
    const steps: Step[] = [
      { when: HINT, after: 100, resize: [60, 20] },
      { when: '\u001B[H\u001B[J', after: 200, data: 'q' },
    ];
    const r = await runInPty(['demo', 'untrusted-ca', ...DEMO_TIMEOUT], steps, { env, cwd, size: [120, 40] });
    const shown = await replay(r, [120, 40], steps);
    expectExited(r, 1, shown.screen);
    expect(shown.screen).toHaveLength(20);
    expectBoxesAt(shown.screen, 60);
    expect(verdictBlock(shown.screen)[0]).toMatch(/^✖ No trust source/);
  }, QUEUED);
});

describe.skipIf(process.platform === 'win32')('the key points at 80x24 and 120x40', () => {
  const TRUST = 'export NODE_EXTRA_CA_CERTS=/path/to/ca.pem';

  it.concurrent.each(TWINS)('%ix%i (%s) demo untrusted-ca: y then s in one burst copy the fix (not the openssl look) to both clipboards and save the report where the user is; ? and PgUp in one burst show the resolved header', async (cols, rows, where) => {
    // DISPLAY set: the clipboard tool (a stand-in that writes a file) is used besides OSC 52.
    const { env, home, cwd } = cleanEnv(work, { DISPLAY: ':0' });
    const steps: Step[] = [
      { when: HINT, after: 100, data: 'ys' },
      { when: 'Saved the report to', after: 100, data: '?' },
      // ? closes the keys again and PgUp ten times in the same write (more than the pages there are) scrolls up to
      // the header, with the two-row notice of the saved report on screen (it used to snap the viewport back).
      { when: 'copy its fix command', after: 100, data: `?${PGUP.repeat(10)}` },
      // q once the top is in view (the scroll position says 1–), not after a fixed pause: on a loaded machine the
      // redraws for ten PgUps can take longer than any pause (a CI run on Node 24 quit at 36–49/66).
      { when: '↕ 1–', after: 100, data: 'q' },
    ];
    const r = await runAt(where, ['demo', 'untrusted-ca', ...DEMO_TIMEOUT], steps, { env, home, cwd, size: [cols, rows] });
    const shown = await replay(r, [cols, rows], steps);
    expectExited(r, 1, shown.screen);
    expect(r.sent).toEqual([0, 1, 2, 3]);
    // y: the fix command alone, through the terminal and the system clipboard.
    expect(clipboard(r)).toEqual([TRUST]);
    expect(readFileSync(join(home, 'clipboard.txt'), 'utf8')).toBe(TRUST);
    // s: the Markdown report in the directory demo was run in (its own home is deleted on exit).
    const saved = readdirSync(cwd).filter((f) => /^dbiam-doctor-report-\d{8}-\d{6}\.md$/.test(f));
    expect(saved).toHaveLength(1);
    expect(readFileSync(join(cwd, saved[0] as string), 'utf8')).toContain(`\`tls.untrusted-root\` → ${TRUST}`);
    // ? opened the keys and the second ? closed them before q: the last frame is the screen again, verdict at the bottom.
    expect(shown.screen.join('\n')).not.toContain('copy its fix command');
    const block = verdictBlock(shown.screen);
    expect(shown.screen.at(-1)).toBe(block.at(-1));
    expect(verdictText(shown)).toContain(`[tls.untrusted-root] → ${TRUST}`);
    // Nothing of the screen is left in the history but the compact result: no stale key hints.
    expect(shown.history.join('\n')).not.toContain(HINT);
    expect(shown.history.join('\n')).toContain(`(tls.untrusted-root · TLS certificate chain)\n${TRUST}`);
    // Scrolled to the top: the header names what the run resolved, not placeholders; the verdict stays pinned.
    const top = shown.screenLines.join('\n');
    expect(top).toMatch(/^dbiam-doctor \d/);
    expect(top).toMatch(/auth: security_token\b/);
    expect(top).toMatch(/region: us-ashburn-1\b/);
    expect(top).not.toMatch(/auth: auto|not resolved yet/);
  }, QUEUED);

  it.concurrent.each(TWINS)('%ix%i (%s) demo direct-no-mapping-admin: ↓ Enter y in one write select the second problem, open its evidence and copy its fix', async (cols, rows, where) => {
    const { env, home, cwd } = cleanEnv(work);
    const steps: Step[] = [
      { when: HINT, after: 100, data: `${DOWN}\ry` },
      { when: 'via OSC 52', after: 100, data: 'q' },
    ];
    const r = await runAt(where, ['demo', 'direct-no-mapping-admin', ...DEMO_TIMEOUT], steps, { env, home, cwd, size: [cols, rows] });
    const shown = await replay(r, [cols, rows], steps);
    expectExited(r, 1, shown.screen);
    expect(r.sent).toEqual([0, 1]);
    // The compact result lists both problems, each followed by its first command.
    const after = shown.history.slice(shown.history.findIndex((l) => /^dbiam-doctor \d/.test(l)));
    const problems = after.flatMap((l, i) => (/^✖ /.test(l) ? [{ title: l.replace(/^✖ /, '').replace(/ \([^()]*\)$/, ''), command: after[i + 1] as string }] : []));
    expect(problems).toHaveLength(2);
    const second = problems[1] as { title: string; command: string };
    // y copies the selected fix's commands: the second problem's, starting with the one the result shows.
    const copied = clipboard(r);
    expect(copied).toHaveLength(1);
    expect((copied[0] as string).split('\n')[0]).toBe(second.command);
    // ↓ selected the second problem and Enter opened its evidence.
    const selected = shown.screen.find((l) => l.includes('› ✖'));
    expect(selected, shown.screen.join('\n')).toBeDefined();
    expect(second.title.startsWith((selected as string).replace(/^│ › ✖ /, '').replace(/\s*│$/, '').slice(0, 30))).toBe(true);
    expect(shown.screen.some((l) => /^│ Evidence\s*│$/.test(l))).toBe(true);
    expect(shown.screen.at(-1)).toBe(verdictBlock(shown.screen).at(-1));
  }, QUEUED);
});

describe.skipIf(process.platform === 'win32')('Esc at 80x24 and 120x40', () => {
  it.concurrent.each(TWINS)('%ix%i (%s): Esc while checks run only asks; once done, Esc closes the evidence and the screen stays', async (cols, rows, where) => {
    const { env, home, cwd } = cleanEnv(work);
    const steps: Step[] = [
      // As soon as the screen opens, before the checks are done.
      { when: ENTER_ALT, data: '\u001B' },
      { when: HINT, after: 100, data: '\r' },
      { when: 'Evidence', after: 100, data: '\u001B' },
      { when: '\u001B[H\u001B[J', after: 300, data: 'q' },
    ];
    const r = await runAt(where, ['demo', 'untrusted-ca', ...DEMO_TIMEOUT], steps, { env, home, cwd, size: [cols, rows] });
    const shown = await replay(r, [cols, rows], steps);
    // The run went on to the end (exit 1 for its broken link, not 130 for a stop) and every key was taken.
    expectExited(r, 1, shown.screen);
    expect(r.sent).toEqual([0, 1, 2, 3]);
    expect(r.bytes.toString('utf8')).toContain('press Esc again to stop');
    expect(shown.history.some((l) => /^\d+ passed, 0 warnings, 1 failed, 0 errors, \d+ skipped in /.test(l))).toBe(true);
    expect(shown.history.some((l) => l.startsWith('Interrupted'))).toBe(false);
    // Esc closed the evidence: the last frame is the problem without it, the verdict at the bottom.
    expect(shown.screen.some((l) => /^│ Evidence\s*│$/.test(l))).toBe(false);
    expect(shown.screen.some((l) => l.includes('› ✖ No trust source holds the root'))).toBe(true);
    expect(shown.screen.at(-1)).toBe(verdictBlock(shown.screen).at(-1));
  }, QUEUED);
});

describe.skipIf(process.platform === 'win32')('NO_COLOR and TERM=dumb at 80x24 and 120x40', () => {
  // Both NO_COLOR runs in the pty: colour is decided from the terminal the process writes to, and the test
  // worker's own output is no terminal, so a screen drawn in process has no colour to leave out.
  const sizes: Size[] = [
    [80, 24],
    [120, 40],
  ];

  it.concurrent.each(sizes)('%ix%i NO_COLOR: no colour at all, the verdict with its fix on the last lines', async (cols, rows) => {
    const { env, cwd } = cleanEnv(work, { NO_COLOR: '1' });
    const steps: Step[] = [{ when: HINT, after: 100, data: 'q' }];
    const r = await runInPty(['demo', 'untrusted-ca', ...DEMO_TIMEOUT], steps, { env, cwd, size: [cols, rows] });
    const shown = await replay(r, [cols, rows], steps);
    expectExited(r, 1, shown.screen);
    // eslint-disable-next-line no-control-regex
    expect(r.bytes.toString('utf8')).not.toMatch(/\u001B\[(?:\d+;)*(?:3\d|4\d|9\d)m/);
    expect(shown.screen.at(-1)).toBe(verdictBlock(shown.screen).at(-1));
    expect(verdictText(shown)).toContain('[tls.untrusted-root] → export NODE_EXTRA_CA_CERTS=/path/to/ca.pem');
  }, QUEUED);

  it.concurrent.each(TWINS)('%ix%i (%s) TERM=dumb: plain lines, no escape sequence, ending with the verdict', async (cols, rows, where) => {
    const { env, home, cwd } = cleanEnv(work, { TERM: 'dumb' });
    const r = await runAt(where, ['demo', 'untrusted-ca', ...DEMO_TIMEOUT], [], { env, home, cwd, size: [cols, rows] });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(1);
    const out = r.bytes.toString('utf8');
    expect(out).not.toContain('\u001B');
    const lines = out.trimEnd().split(/\r?\n/);
    expect(lines.findIndex((l) => l.startsWith('Verdict: ✖ No trust source holds the root'))).toBeGreaterThan(lines.length - 8);
    expect(lines).toContain('    $ export NODE_EXTRA_CA_CERTS=/path/to/ca.pem');
  }, QUEUED);
});

describe.skipIf(process.platform === 'win32')('--format text in a terminal', () => {
  it.concurrent.each(TWINS)('%ix%i (%s): lines folded at the terminal width, commands never folded', async (cols, rows, where) => {
    const { env, home, cwd } = cleanEnv(work);
    const r = await runAt(where, ['demo', 'untrusted-ca', '--format', 'text', ...DEMO_TIMEOUT], [], { env, home, cwd, size: [cols, rows] });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(1);
    const lines = r.bytes.toString('utf8').split(/\r?\n/);
    expect(lines.some((l) => l.startsWith('Verdict: ✖'))).toBe(true);
    // Longer than the window only when it is a command or one word that cannot be cut (a descriptor, a path).
    const tooWide = lines.filter((l) => [...l].length > cols && !l.trimStart().startsWith('$ ') && /\S \S/.test(l.trim()));
    expect(tooWide).toEqual([]);
    // Folded for this window, not at the 100 columns of a pipe: at 120 some line is wider than 100.
    if (cols > 100) expect(lines.some((l) => [...l].length > 100 && !l.trimStart().startsWith('$ '))).toBe(true);
    // The fix command whole on its own line.
    expect(lines).toContain('    $ export NODE_EXTRA_CA_CERTS=/path/to/ca.pem');
  }, QUEUED);
});

describe.skipIf(process.platform === 'win32')('the setup wizard in a terminal', () => {
  it.concurrent.each(TWINS)('%ix%i (%s): ↑ Enter, a cleared field typed over, Enter, a region and Enter in one write all count, in order', async (cols, rows, where) => {
    const { env, home, cwd } = cleanEnv(work);
    // No ~/.oci/config: the wizard starts on instance_principal; ↑ in the list picks security_token.
    const burst = `\u001B[A\r\u0015ops\rus-ashburn-1\r`;
    const steps: Step[] = [
      { when: 'step 1/5', after: 200, data: burst },
      { when: 'tenancy OCID', after: 300, data: '\u0003' },
    ];
    const r = await runAt(where, ['setup'], steps, { env, home, cwd, size: [cols, rows], timeoutS: 20 });
    expect(r.timedOut, r.bytes.toString('utf8').slice(-2000)).toBe(false);
    expect(r.sent).toEqual([0, 1]);
    const shown = await replay(r, [cols, rows], steps);
    // The wizard draws inline: its last frame is at the end of the terminal's history.
    const last = shown.history.slice(shown.history.map((l) => l.includes('dbiam-doctor setup · step')).lastIndexOf(true));
    expect(last[0]).toBe('dbiam-doctor setup · step 2/5: Profile');
    expect(last).toContain('  profile name (optional): ops');
    expect(last).toContain('  region: us-ashburn-1');
    expect(last.some((l) => l.startsWith('› tenancy OCID:'))).toBe(true);
  }, QUEUED);
});
