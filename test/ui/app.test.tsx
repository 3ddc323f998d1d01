// The Ink screen as a user sees it: drawn from a fake screen source we
// control, with spy actions, through ink-testing-library.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type Mock } from 'vitest';
import chalk from 'chalk';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { App, type ScreenActions, type ScreenSource } from '../../src/ui/App.js';
import type { CheckRow, Panel, ScreenModel, ScreenVerdict } from '../../src/core/view-model.js';

// Ink colours through chalk, which picks its colour level when it is first
// imported (by whichever test file came first in this worker); the worker's
// stdout is not a terminal, so without this the colour tests could never fail.
const chalkLevel = chalk.level;
beforeAll(() => {
  chalk.level = 3;
});
afterAll(() => {
  chalk.level = chalkLevel;
});

// ---------------------------------------------------------------- helpers

const ESC = '\u001B';
const DOWN = `${ESC}[B`;
const UP = `${ESC}[A`;
const ENTER = '\r';
const CTRL_C = '\u0003';
const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

// CSI sequences (colours, cursor moves) and OSC sequences.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)/g;
const strip = (s: string): string => s.replace(ANSI, '');

/**
 * Lets Ink and React finish what a key or a prop change started: a pending
 * lone Esc is flushed on setImmediate, and React runs passive effects (which
 * re-attach useInput handlers) from its scheduler, also on setImmediate. So a
 * few turns of the event loop, not a wall-clock sleep: the same under load.
 */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

interface FakeSource extends ScreenSource {
  set(next: ScreenModel): void;
  listeners(): number;
}

function fakeSource(initial: ScreenModel): FakeSource {
  let current = initial;
  const listeners = new Set<() => void>();
  return {
    model: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    set(next) {
      current = next;
      for (const l of listeners) l();
    },
    listeners: () => listeners.size,
  };
}

type SpyActions = { [K in keyof ScreenActions]-?: Mock<(...args: never[]) => void> };

function spyActions(): SpyActions {
  return { rerun: vi.fn(), copy: vi.fn(), copyFix: vi.fn(), save: vi.fn(), quit: vi.fn(), interrupt: vi.fn() };
}

function row(id: string, title: string, status: CheckRow['status'], summary = '', durationMs?: number): CheckRow {
  return { id, title, category: 'env', status, summary, ...(durationMs === undefined ? {} : { durationMs }) };
}

const ROWS: CheckRow[] = [
  row('env.runtime', 'Node.js, platform and versions', 'pass', 'Node v20.20.2 on linux x64', 2),
  row('env.proxy', 'Proxy settings', 'warn', 'HTTPS_PROXY set', 12),
  row('env.extra-ca', 'Extra CA certificates', 'fail', 'file not found', 1500),
  row('env.tns-admin', 'TNS_ADMIN directory', 'skip', 'not asked for', 0),
];

const FAIL_PANEL: Panel = {
  key: 'env.extra-ca/env.extra-ca-missing/0',
  status: 'fail',
  code: 'env.extra-ca-missing',
  title: 'NODE_EXTRA_CA_CERTS file not found: /etc/corp-ca.pem',
  checkTitle: 'Extra CA certificates',
  detail: 'Node ignores the variable and trusts only its bundled roots.',
  evidence: [{ label: 'NODE_EXTRA_CA_CERTS', value: '/etc/corp-ca.pem' }],
  fixText: 'Point NODE_EXTRA_CA_CERTS at the PEM file holding your CA.',
  commands: ['export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/corp.pem'],
  inspect: [],
};

const WARN_PANEL: Panel = {
  key: 'env.proxy/env.proxy-not-applied/0',
  status: 'warn',
  code: 'env.proxy-not-applied',
  title: 'HTTPS_PROXY is set but Node 20 does not apply it for you',
  checkTitle: 'Proxy settings',
  detail: 'Calls may go direct and time out.',
  evidence: [
    { label: 'HTTPS_PROXY', value: 'http://***@proxy:3128' },
    { label: 'NO_PROXY', value: '(not set)' },
  ],
  fixText: 'Give node-oracledb httpsProxy/httpsProxyPort.',
  commands: [],
  inspect: [],
};

function model(over: Partial<ScreenModel> = {}): ScreenModel {
  return {
    tool: { name: 'dbiam-doctor', version: '9.8.7' },
    header: [
      { label: 'profile', value: 'PROD' },
      { label: 'auth', value: 'api_key (default)' },
      { label: 'region', value: 'eu-frankfurt-1' },
    ],
    rows: ROWS,
    panels: [],
    done: false,
    ...over,
  };
}

/** The verdict the session hands over for FAIL_PANEL (the rule itself lives in core/report/verdict.ts). */
const FAIL_VERDICT: ScreenVerdict = {
  status: 'broken',
  line: `✖ ${FAIL_PANEL.title} [env.extra-ca-missing] → ${FAIL_PANEL.commands[0] as string}`,
  command: FAIL_PANEL.commands[0] as string,
};

function doneModel(over: Partial<ScreenModel> = {}): ScreenModel {
  return model({
    done: true,
    summaryLine: '1 passed, 1 warning, 1 failed, 0 errors, 1 skipped in 1.5 s',
    panels: [FAIL_PANEL, WARN_PANEL],
    verdict: FAIL_VERDICT,
    ...over,
  });
}

interface Mounted {
  source: FakeSource;
  actions: ReturnType<typeof spyActions>;
  frame(): string;
  raw(): string;
  lines(): string[];
  press(...keys: string[]): Promise<void>;
  rerender(props: Partial<React.ComponentProps<typeof App>>): void;
}

function mount(initial: ScreenModel, props: Partial<React.ComponentProps<typeof App>> = {}): Mounted {
  const source = fakeSource(initial);
  const actions = spyActions();
  const base = { source, actions, interactive: true, noColor: false, width: 80, ...props };
  const r = render(<App {...base} />);
  const raw = (): string => r.lastFrame() ?? '';
  const frame = (): string => strip(raw());
  return {
    source,
    actions,
    raw,
    frame,
    lines: () => frame().split('\n'),
    async press(...keys) {
      for (const k of keys) {
        r.stdin.write(k);
        await settle();
      }
    },
    rerender(next) {
      r.rerender(<App {...base} {...next} />);
    },
  };
}

/** The verdict line at the bottom: "✖ <title> [<code>] → <command>". */
const VERDICT_LINE = /^[✖⚠] .* \[[a-z]+\.[\w.-]+\](?: →.*)?\s*$/;

/** The one rendered line that contains `text`, the verdict line left out (it repeats a title). */
function lineWith(lines: string[], text: string): string {
  // The verdict block (its first line, and the lines it wraps onto) is left out.
  const verdictAt = lines.findIndex((l) => /^[✖⚠✔■] .*\[[a-z]+\.[\w.-]+\]/.test(l));
  const found = (verdictAt < 0 ? lines : lines.slice(0, verdictAt)).filter((l) => l.includes(text) && !VERDICT_LINE.test(l));
  expect(found, `exactly one line containing ${JSON.stringify(text)}`).toHaveLength(1);
  return found[0] as string;
}

/** The time at the end of a checklist line ("12 ms", "1.5 s") in milliseconds; NaN without one. */
function elapsedMs(line: string): number {
  const m = /(\d+(?:\.\d)?) (ms|s)$/.exec(line.trimEnd());
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

/** SGR parameters that set a colour (foreground, background, 256/true colour) or dim. */
function colourCodes(s: string): string[] {
  const out: string[] = [];
  // eslint-disable-next-line no-control-regex
  for (const m of s.matchAll(/\u001B\[([\d;]*)m/g)) {
    const params = (m[1] ?? '').split(';').filter(Boolean).map(Number);
    for (const p of params) {
      if ((p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107)) out.push(m[0]);
    }
  }
  return out;
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

// ------------------------------------------------------------------ tests

describe('App header and checklist', () => {
  it('shows the tool name and version, then the header facts', async () => {
    const m = mount(model());
    await settle();
    const lines = m.lines();
    expect(lines[0]?.trim()).toBe('dbiam-doctor 9.8.7');
    const facts = lineWith(lines, 'profile: PROD');
    expect(facts).toContain('auth: api_key (default)');
    expect(facts).toContain('region: eu-frankfurt-1');
    // Facts appear in the order the model gives them.
    expect(facts.indexOf('profile')).toBeLessThan(facts.indexOf('auth'));
    expect(facts.indexOf('auth')).toBeLessThan(facts.indexOf('region'));
  });

  it('leaves the header out when it was already written above the screen', async () => {
    const m = mount(model(), { showHeader: false });
    await settle();
    expect(m.frame()).not.toContain('dbiam-doctor 9.8.7');
    expect(m.frame()).not.toContain('profile: PROD');
    expect(m.lines()[0]).toMatch(/^✔ Node\.js, platform and versions/);
  });

  it('marks each finished row with its status marker, summary and duration', async () => {
    const m = mount(doneModel());
    await settle();
    const lines = m.lines();
    const pass = lineWith(lines, 'Node.js, platform and versions');
    const warn = lineWith(lines, 'Proxy settings —');
    const fail = lineWith(lines, 'Extra CA certificates —');
    const skip = lineWith(lines, 'TNS_ADMIN directory');

    expect(pass).toMatch(/^✔ Node\.js, platform and versions — Node v20\.20\.2 on linux x64 +2 ms$/);
    expect(warn).toMatch(/^⚠ Proxy settings — HTTPS_PROXY set +12 ms$/);
    expect(fail).toMatch(/^✖ Extra CA certificates — file not found +1\.5 s$/);
    // A skipped check shows its reason but no time.
    expect(skip).toMatch(/^○ TNS_ADMIN directory — not asked for *$/);
    expect(skip).not.toMatch(/\d+ ms/);
    // Durations line up in the right-hand column.
    expect(pass.trimEnd().length).toBe(80);
    expect(warn.trimEnd().length).toBe(80);
  });

  it('shows pending rows with a dot and no time', async () => {
    const m = mount(model({ rows: [row('a', 'First check', 'pending'), row('b', 'Second check', 'pending')] }));
    await settle();
    expect(lineWith(m.lines(), 'First check')).toMatch(/^· First check *$/);
  });

  it('shows a spinner frame and a growing elapsed time on a running row', async () => {
    const m = mount(model({ rows: [row('a', 'Slow check', 'running'), row('b', 'Next check', 'pending')] }));
    await vi.waitFor(() => expect(elapsedMs(lineWith(m.lines(), 'Slow check'))).toBeGreaterThan(0), { timeout: 5000 });
    const first = lineWith(m.lines(), 'Slow check');
    const spinner1 = [...first][0] as string;
    expect(SPINNER_FRAMES).toContain(spinner1);
    const ms1 = elapsedMs(first);
    expect(Number.isFinite(ms1)).toBe(true);

    // The spinner and the clock move with time: wait until they have, bounded.
    await vi.waitFor(() => expect(elapsedMs(lineWith(m.lines(), 'Slow check'))).toBeGreaterThanOrEqual(ms1 + 250), { timeout: 5000, interval: 20 });
    const later = lineWith(m.lines(), 'Slow check');
    const spinner2 = [...later][0] as string;
    expect(SPINNER_FRAMES).toContain(spinner2);
    expect(spinner2).not.toBe(spinner1);
    const ms2 = elapsedMs(later);
    expect(ms2).toBeGreaterThanOrEqual(ms1 + 250);
    // The pending row below it has no spinner.
    expect(lineWith(m.lines(), 'Next check')).toMatch(/^· /);
  });

  it('follows the source: a finished run replaces the spinner with the result and shows the summary', async () => {
    const m = mount(model({ rows: [row('a', 'Slow check', 'running')] }));
    await settle();
    expect(m.frame()).not.toContain('passed');
    m.source.set(model({ rows: [row('a', 'Slow check', 'pass', 'fine', 40)], done: true, summaryLine: '1 passed, 0 warnings in 40 ms' }));
    await settle();
    expect(lineWith(m.lines(), 'Slow check')).toMatch(/^✔ Slow check — fine +40 ms$/);
    expect(lineWith(m.lines(), '1 passed').trim()).toBe('1 passed, 0 warnings in 40 ms');
    expect(m.frame()).toContain('r re-run · c copy report · s save · q quit');
  });
});

describe('App width', () => {
  const long = (what: string, n: number): string => `${what} ${'x'.repeat(n)}`;
  const longModel = (): ScreenModel =>
    doneModel({
      header: [
        { label: 'profile', value: long('P', 60) },
        { label: 'target', value: 'tcps://adb.eu-frankfurt-1.oraclecloud.com:1522/' + 'g'.repeat(120) },
      ],
      rows: [
        row('a', long('A very long check title', 150), 'pass', long('and a long summary', 150), 12),
        row('b', 'Short', 'warn', long('long summary after a short title', 150), 3456),
        row('c', long('Running with a long title', 150), 'running', long('summary', 40)),
        row('d', long('Skipped', 120), 'skip', long('reason', 120)),
        row('e', 'Pending', 'pending', ''),
      ],
      panels: [
        {
          ...FAIL_PANEL,
          title: long('Panel title', 150),
          checkTitle: long('check', 100),
          detail: long('detail', 300),
          fixText: long('fix', 200),
          commands: [`oci iam something --with-a-very-long-argument=${'v'.repeat(150)}`],
        },
        { ...WARN_PANEL, evidence: [{ label: 'HTTPS_PROXY', value: 'http://' + 'p'.repeat(200) }] },
      ],
    });

  it('never draws a line wider than 80 columns, even with very long text', async () => {
    const m = mount(longModel(), { notice: long('Saved the report to /a/very/long/path', 150) });
    await settle();
    await m.press(ENTER, DOWN, ENTER); // evidence open in both panels
    const lines = m.lines();
    expect(m.frame()).toContain('Evidence');
    expect(lines.length).toBeGreaterThan(15);
    const tooWide = lines.filter((l) => [...l].length > 80);
    expect(tooWide).toEqual([]);
    // Rows are cut to one line each, ending with an ellipsis.
    expect(lineWith(lines, 'A very long check title')).toContain('…');
    expect(lineWith(lines, 'A very long check title')).toMatch(/12 ms$/);
    expect(lineWith(lines, 'Short — long summary')).toMatch(/3\.5 s$/);
  });

  it('keeps a narrower width too', async () => {
    const m = mount(longModel(), { width: 50 });
    await settle();
    const tooWide = m.lines().filter((l) => [...l].length > 50);
    expect(tooWide).toEqual([]);
  });
});

describe('App panels', () => {
  it('draws a panel per warning and failure with title, code, detail, fix and commands', async () => {
    const m = mount(doneModel());
    await settle();
    const f = m.frame();
    const lines = m.lines();
    for (const p of [FAIL_PANEL, WARN_PANEL]) {
      expect(f).toContain(p.title);
      expect(f).toContain(`${p.code} · ${p.checkTitle}`);
      expect(f).toContain(p.detail);
      expect(f).toContain(`Fix: ${p.fixText}`);
    }
    expect(lineWith(lines, FAIL_PANEL.title)).toMatch(/✖ NODE_EXTRA_CA_CERTS file not found/);
    expect(lineWith(lines, WARN_PANEL.title)).toMatch(/⚠ HTTPS_PROXY is set/);
    // The command stands alone on its line, outside the box: a selection copies no border.
    expect(lineWith(lines, 'export NODE_EXTRA_CA_CERTS').trimEnd()).toBe('export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/corp.pem');
    // Panels come after the summary line, in the model's order.
    expect(f.indexOf('1 passed')).toBeLessThan(f.indexOf(FAIL_PANEL.title));
    expect(f.indexOf(FAIL_PANEL.title)).toBeLessThan(f.indexOf(WARN_PANEL.title));
    // Panels are boxed.
    expect(f).toMatch(/╭─+╮/);
    expect(f).toMatch(/╰─+╯/);
  });

  it('shows no panels and no selection hint when nothing warned or failed', async () => {
    const m = mount(doneModel({ panels: [], rows: [ROWS[0] as CheckRow] }));
    await settle();
    const f = m.frame();
    expect(f).not.toContain('╭');
    expect(f).not.toContain('›');
    expect(f).toContain('r re-run · c copy report · s save · q quit');
    expect(f).not.toContain('↑/↓ select');
  });

  it('hides evidence until Enter, and ↓ / ↑ move the › selection between panels', async () => {
    const m = mount(doneModel());
    await settle();
    expect(m.frame()).not.toContain('Evidence');
    expect(m.frame()).not.toContain('NODE_EXTRA_CA_CERTS: /etc/corp-ca.pem');
    expect(m.frame()).not.toContain('HTTPS_PROXY: http://***@proxy:3128');
    expect(m.frame()).toContain('↑/↓ select · enter evidence · y copy fix');
    // The first panel is selected.
    expect(lineWith(m.lines(), FAIL_PANEL.title)).toContain('› ✖');
    expect(lineWith(m.lines(), WARN_PANEL.title)).not.toContain('›');

    await m.press(ENTER);
    expect(m.frame()).toContain('NODE_EXTRA_CA_CERTS: /etc/corp-ca.pem');
    expect(m.frame().match(/Evidence/g)).toHaveLength(1);
    // Only the selected panel opened.
    expect(m.frame()).not.toContain('HTTPS_PROXY: http://***@proxy:3128');

    await m.press(DOWN);
    expect(lineWith(m.lines(), WARN_PANEL.title)).toContain('› ⚠');
    expect(lineWith(m.lines(), FAIL_PANEL.title)).not.toContain('›');
    expect(m.frame().match(/›/g)).toHaveLength(1);

    await m.press(ENTER);
    expect(m.frame()).toContain('HTTPS_PROXY: http://***@proxy:3128');
    expect(m.frame()).toContain('NO_PROXY: (not set)');
    expect(m.frame().match(/Evidence/g)).toHaveLength(2);

    // ↓ stops at the last panel.
    await m.press(DOWN, DOWN);
    expect(lineWith(m.lines(), WARN_PANEL.title)).toContain('›');

    // Enter again folds the selected panel away; ↑ goes back.
    await m.press(ENTER);
    expect(m.frame()).not.toContain('HTTPS_PROXY: http://***@proxy:3128');
    await m.press(UP);
    expect(lineWith(m.lines(), FAIL_PANEL.title)).toContain('›');
    expect(m.frame()).toContain('NODE_EXTRA_CA_CERTS: /etc/corp-ca.pem');
  });

  it('r re-runs and folds every panel back, selecting the first', async () => {
    const m = mount(doneModel());
    await settle();
    await m.press(ENTER, DOWN, ENTER);
    expect(m.frame().match(/Evidence/g)).toHaveLength(2);
    await m.press('r');
    expect(m.actions.rerun).toHaveBeenCalledTimes(1);
    expect(m.frame()).not.toContain('Evidence');
    expect(lineWith(m.lines(), FAIL_PANEL.title)).toContain('›');
  });

  it('hands a fix command to rawLine, which draws it as one unbroken line whatever the width', async () => {
    const long = `oci iam policy create --compartment-id ocid1.tenancy.oc1..${'a'.repeat(60)} --name dbiam --statements '["Allow group X to use database-connections in tenancy"]'`;
    const drawn: string[] = [];
    const verdict = { ...FAIL_VERDICT, line: `✖ ${FAIL_PANEL.title} [env.extra-ca-missing] → ${long}`, command: long };
    const m = mount(doneModel({ panels: [{ ...FAIL_PANEL, commands: [long] }], verdict }), { rawLine: (t) => (drawn.push(t), `[raw ${drawn.length}]`) });
    await settle();
    expect(drawn).toContain(long);
    // One placeholder line per command (under the panel and in the verdict), not the command wrapped over several lines.
    const placeholders = m.lines().filter((l) => l.includes('[raw'));
    expect(placeholders).toHaveLength(2);
    for (const l of placeholders) expect(l.trim()).toMatch(/^\[raw \d+\]$/);
    expect(drawn).toContain(verdict.line);
    expect(m.frame()).not.toContain('oci iam policy');
  });

  it('keys written in one burst all count, in order: ↓ Enter y selects, opens and copies the second panel', async () => {
    const second: Panel = { ...WARN_PANEL, commands: ['export NO_PROXY=localhost'] };
    const m = mount(doneModel({ panels: [FAIL_PANEL, second] }));
    await settle();
    await m.press(`${DOWN}${ENTER}y`);
    expect(lineWith(m.lines(), second.title)).toContain('›');
    expect(m.frame()).toContain('Evidence');
    expect(m.actions.copyFix).toHaveBeenCalledTimes(1);
    expect(m.actions.copyFix).toHaveBeenCalledWith(second.commands);
  });

  it('Esc closes the evidence of the selected panel, then quits once the run is done', async () => {
    const m = mount(doneModel());
    await settle();
    await m.press(ENTER);
    expect(m.frame()).toContain('Evidence');
    await m.press(ESC);
    expect(m.frame()).not.toContain('Evidence');
    expect(m.actions.quit).not.toHaveBeenCalled();
    await m.press(ESC);
    expect(m.actions.quit).toHaveBeenCalledTimes(1);
  });

  it('Esc while checks run asks first: a second Esc stops, another key in between disarms it', async () => {
    const m = mount(model({ rows: [row('a', 'Slow check', 'running')] }));
    await settle();
    await m.press(ESC);
    expect(m.actions.quit).not.toHaveBeenCalled();
    expect(m.frame()).toContain('press Esc again to stop');
    await m.press('x');
    expect(m.frame()).not.toContain('press Esc again');
    await m.press(ESC);
    expect(m.actions.quit).not.toHaveBeenCalled();
    await m.press(ESC);
    expect(m.actions.quit).toHaveBeenCalledTimes(1);
  });

  it('y copies the selected panel\'s fix commands, and only those', async () => {
    const m = mount(doneModel({ panels: [FAIL_PANEL, { ...WARN_PANEL, commands: ['one --a', 'two --b'] }] }));
    await settle();
    await m.press('y');
    expect(m.actions.copyFix).toHaveBeenLastCalledWith(FAIL_PANEL.commands);
    await m.press(DOWN, 'y');
    expect(m.actions.copyFix).toHaveBeenLastCalledWith(['one --a', 'two --b']);
    expect(m.actions.copy).not.toHaveBeenCalled();
  });

  it('a command that only looks is drawn after the fix under its own label, and y never copies it', async () => {
    const look = 'openssl s_client -connect db.example:1522 -showcerts </dev/null';
    const panel: Panel = { ...FAIL_PANEL, inspect: [look] };
    const m = mount(doneModel({ panels: [panel] }));
    await settle();
    const lines = m.lines();
    const fix = lines.findIndex((l) => l.includes(FAIL_PANEL.commands[0] as string));
    const label = lines.findIndex((l) => l.includes('To look (changes nothing):'));
    const shown = lines.findIndex((l) => l.includes(look));
    expect(fix).toBeGreaterThan(-1);
    expect(label).toBeGreaterThan(fix);
    expect(shown).toBe(label + 1);
    await m.press('y');
    expect(m.actions.copyFix).toHaveBeenLastCalledWith(FAIL_PANEL.commands);
  });

  it('? shows the keys and hides them again', async () => {
    const m = mount(doneModel());
    await settle();
    expect(m.frame()).not.toContain('copy its fix command');
    await m.press('?');
    for (const k of ['y      copy its fix command(s)', 'c      copy the Markdown report', 'esc    back']) expect(m.frame()).toContain(k);
    await m.press('?');
    expect(m.frame()).not.toContain('copy its fix command');
  });

  it('shows no selection marker when the screen is not interactive', async () => {
    const m = mount(doneModel(), { interactive: false });
    await settle();
    expect(m.frame()).toContain(FAIL_PANEL.title);
    expect(m.frame()).not.toContain('›');
    // No key hints either: keys do not work without a terminal.
    expect(m.frame()).not.toContain('q quit');
    await m.press('q', ENTER);
    expect(m.actions.quit).not.toHaveBeenCalled();
    expect(m.frame()).not.toContain('Evidence');
  });
});

describe('App keys', () => {
  const cases: Array<[string, string, keyof ScreenActions]> = [
    ['r', 'r', 'rerun'],
    ['c', 'c', 'copy'],
    ['s', 's', 'save'],
    ['q', 'q', 'quit'],
    ['Ctrl+C', CTRL_C, 'interrupt'],
  ];

  for (const [name, key, action] of cases) {
    it(`${name} calls ${action} once a run is done, and nothing else`, async () => {
      const m = mount(doneModel());
      await settle();
      await m.press(key);
      for (const a of Object.keys(m.actions) as Array<keyof ScreenActions>) {
        expect(m.actions[a], a).toHaveBeenCalledTimes(a === action ? 1 : 0);
      }
    });
  }

  it('ignores r, c, s, arrows and Enter while checks are still running', async () => {
    const m = mount(doneModel({ done: false, summaryLine: undefined }));
    await settle();
    await m.press('r', 'c', 's', DOWN, ENTER);
    expect(m.actions.rerun).not.toHaveBeenCalled();
    expect(m.actions.copy).not.toHaveBeenCalled();
    expect(m.actions.save).not.toHaveBeenCalled();
    expect(m.frame()).not.toContain('Evidence');
    expect(lineWith(m.lines(), FAIL_PANEL.title)).toContain('›');
    // No key hint line while running.
    expect(m.frame()).not.toContain('r re-run');
  });

  it('still quits and interrupts while checks are running', async () => {
    const m = mount(model({ rows: [row('a', 'Slow check', 'running')] }));
    await settle();
    await m.press('q');
    expect(m.actions.quit).toHaveBeenCalledTimes(1);
    await m.press(CTRL_C);
    expect(m.actions.interrupt).toHaveBeenCalledTimes(1);
    expect(m.actions.rerun).not.toHaveBeenCalled();
  });
});

describe('App cascaded skips', () => {
  // As the engine writes them: a check whose dependency did not pass is skipped with its title.
  const cascade = (): CheckRow[] => [
    row('auth.mode', 'Auth mode', 'pass', 'api_key', 3),
    row('auth.token', 'Session token', 'fail', 'expired 60 min ago', 4),
    row('iam.user', 'IAM database user', 'skip', 'skipped: Session token did not pass (fail)', 0),
    row('db.token', 'Database token', 'skip', 'skipped: Session token did not pass (fail)', 0),
    row('db.identity', 'Identity query', 'skip', 'skipped: Database token did not pass (skip)', 0),
    row('env.tns-admin', 'TNS_ADMIN directory', 'skip', 'skipped by --skip', 0),
    row('net.tls', 'TLS certificate chain', 'pass', 'verified', 9),
  ];

  it('folds the checks not run because one failed into one line, where the first of them was; v shows them', async () => {
    const m = mount(doneModel({ rows: cascade(), panels: [] }));
    await settle();
    const lines = m.lines();
    expect(lineWith(lines, 'checks not run').trim()).toBe('○ 3 checks not run because Session token failed (v shows them)');
    expect(m.frame()).not.toContain('IAM database user');
    expect(m.frame()).not.toContain('Identity query');
    // A skip for another reason stays a row; the order is kept.
    expect(lineWith(lines, 'TNS_ADMIN directory')).toContain('skipped by --skip');
    expect(lines.findIndex((l) => l.includes('Session token —'))).toBeLessThan(lines.findIndex((l) => l.includes('checks not run')));
    expect(lines.findIndex((l) => l.includes('checks not run'))).toBeLessThan(lines.findIndex((l) => l.includes('TNS_ADMIN')));

    await m.press('v');
    expect(m.frame()).not.toContain('checks not run');
    for (const t of ['IAM database user', 'Database token', 'Identity query']) expect(lineWith(m.lines(), `○ ${t} —`)).toBeTruthy();
    await m.press('v');
    expect(m.frame()).toContain('3 checks not run because Session token failed');
  });

  it('leaves a single cascaded skip as its own row', async () => {
    const rows = cascade().filter((r) => r.id !== 'db.token' && r.id !== 'db.identity');
    const m = mount(doneModel({ rows, panels: [] }));
    await settle();
    expect(m.frame()).not.toContain('checks not run');
    expect(lineWith(m.lines(), 'IAM database user')).toContain('Session token did not pass');
  });
});

describe('App verdict', () => {
  it('pins the verdict the model carries, its code and first fix command, on the last line', async () => {
    const m = mount(doneModel(), { width: 200 });
    await settle();
    expect(m.lines().at(-1)?.trimEnd()).toBe(FAIL_VERDICT.line);
    cleanup();
    // Without a raw line to hand it to (see the rawLine test), it is word-wrapped within the width, nothing cut.
    const narrow = mount(doneModel());
    await settle();
    const last = narrow.lines().slice(-2).map((l) => l.trimEnd());
    expect(last.every((l) => [...l].length <= 80)).toBe(true);
    expect(last.join(' ').replace(/\s+/g, ' ')).toBe(FAIL_VERDICT.line);
  });

  it('draws the note under the verdict, wrapped to the width, when the identity query passed by another path', async () => {
    const note =
      "The identity query succeeded through Database Tools connection ledger, but TLS certificate chain failed (tls.untrusted-root): a direct connection from here would still fail (Database Tools uses neither this machine's network nor its DB token).";
    const m = mount(doneModel({ verdict: { ...FAIL_VERDICT, note } }), { width: 60 });
    await settle();
    const lines = m.lines().map((l) => l.trimEnd());
    const from = lines.findIndex((l) => l.startsWith('✖ NODE_EXTRA_CA_CERTS'));
    const at = lines.findIndex((l) => l.startsWith('The identity query'));
    expect(from, lines.join('\n')).toBeGreaterThan(0);
    expect(at).toBeGreaterThan(from);
    // The verdict first, whole; the note under it, to the last line.
    expect(lines.slice(from, at).join(' ').replace(/\s+/g, ' ')).toBe(FAIL_VERDICT.line);
    const after = lines.slice(at);
    expect(after.length).toBeGreaterThan(1);
    expect(after.every((l) => [...l].length <= 60)).toBe(true);
    expect(after.join(' ').replace(/\s+/g, ' ')).toContain('through Database Tools connection ledger, but TLS certificate chain failed (tls.untrusted-root): a direct connection from here would still fail');
  });

  it('no verdict in the model (checks still run, nothing broken yet): no verdict line', async () => {
    const running = mount(model({ rows: [row('a', 'Auth mode', 'pass', 'api_key', 1), row('c', 'Slow check', 'running')] }));
    await settle();
    expect(running.lines().filter((l) => VERDICT_LINE.test(l))).toEqual([]);
  });
});

describe('App viewport (a window height is given)', () => {
  const manyRows = Array.from({ length: 30 }, (_, i) => row(`c.${i}`, `Check number ${i}`, 'pass', 'fine', 3));
  const panels: Panel[] = Array.from({ length: 4 }, (_, i) => ({ ...FAIL_PANEL, key: `p/${i}`, title: `Problem number ${i}`, code: `env.problem-${i}` }));
  const tall = (): ScreenModel => doneModel({ rows: manyRows, panels, verdict: { ...FAIL_VERDICT, line: '✖ Problem number 0 [env.problem-0] → export X=1' } });
  /** The rows of the selected panel's title line, found by its › marker. */
  const selectedTitle = (lines: string[]): string | undefined => lines.find((l) => l.includes('› '));

  it('fills exactly the window: the selected problem in view, the verdict on the last line', async () => {
    const m = mount(tall(), { height: 20 });
    await settle();
    await settle();
    const lines = m.lines();
    expect(lines).toHaveLength(20);
    expect(selectedTitle(lines)).toContain('Problem number 0');
    expect(lines.at(-1)?.trimEnd()).toBe('✖ Problem number 0 [env.problem-0] → export X=1');
    // The checklist is taller than the window: its first rows are scrolled off, and the hint says where we are.
    expect(m.frame()).not.toContain('Check number 0 ');
    expect(m.frame()).toMatch(/↕ \d+–\d+\/\d+/);
  });

  it('↓ moves the selection and the viewport follows it, down to the last problem', async () => {
    const m = mount(tall(), { height: 16 });
    await settle();
    for (let i = 1; i < panels.length; i++) {
      await m.press(DOWN);
      await settle();
      const lines = m.lines();
      expect(lines).toHaveLength(16);
      expect(selectedTitle(lines), m.frame()).toContain(`Problem number ${i}`);
      expect(lines.at(-1)?.trimEnd()).toBe('✖ Problem number 0 [env.problem-0] → export X=1');
    }
  });

  it('PgUp scrolls up to the checklist and the header; PgDn back down; ↑ past the first problem scrolls too', async () => {
    const m = mount(tall(), { height: 16 });
    await settle();
    expect(m.frame()).not.toContain('dbiam-doctor 9.8.7');
    for (let i = 0; i < 8; i++) await m.press('\u001B[5~');
    expect(m.frame()).toContain('dbiam-doctor 9.8.7');
    expect(m.lines()).toHaveLength(16);
    expect(m.lines().at(-1)?.trimEnd()).toBe('✖ Problem number 0 [env.problem-0] → export X=1');
    await m.press('\u001B[6~');
    expect(m.frame()).not.toContain('dbiam-doctor 9.8.7');
    // Arrow keys: ↑ on the first problem moves the view one row up, never the selection off it.
    for (let i = 0; i < 8; i++) await m.press('\u001B[6~');
    const bottom = m.lines();
    await m.press(UP);
    expect(m.lines()[1]).toBe(bottom[0]);
  });

  it('a notice that appears after PgUp leaves the view where the user put it; with no scrolling, the selected problem stays in view', async () => {
    /** The scroll position the hint shows: ↕ first–last/all. */
    const position = (m: Mounted): string | undefined => /↕ (\d+–\d+\/\d+)/.exec(m.frame())?.[1];
    const m = mount(tall(), { height: 16 });
    await settle();
    for (let i = 0; i < 3; i++) await m.press('\u001B[5~');
    const scrolled = position(m);
    expect(m.frame()).not.toContain('› ');
    // c, then the clipboard tool answers: the notice takes two rows of the viewport.
    m.rerender({ height: 16, notice: 'Copied the Markdown report (13496 chars) via OSC 52 and xclip. Copied the Markdown report again.' });
    await settle();
    await settle();
    expect(m.frame()).toContain('Copied the Markdown report');
    expect(position(m)?.split('–')[0]).toBe(scrolled?.split('–')[0]);
    expect(m.frame(), 'pulled back to the selected problem').not.toContain('› ');

    const still = mount(tall(), { height: 16 });
    await settle();
    expect(selectedTitle(still.lines())).toContain('Problem number 0');
    still.rerender({ height: 16, notice: 'Copied the Markdown report (13496 chars) via OSC 52 and xclip. Copied the Markdown report again.' });
    await settle();
    await settle();
    expect(selectedTitle(still.lines()), still.frame()).toContain('Problem number 0');
  });

  it('reserves the rows a raw (unwrapped) command takes once the terminal wraps it', async () => {
    const long = `oci iam policy create --compartment-id ocid1.tenancy.oc1..${'a'.repeat(90)}`;
    const m = mount(doneModel({ panels: [{ ...FAIL_PANEL, commands: [long] }], verdict: { ...FAIL_VERDICT, line: `✖ x [env.extra-ca-missing] → ${long}`, command: long } }), {
      height: 30,
      rawLine: (t) => `[raw ${t.length}]`,
    });
    await settle();
    const lines = m.lines();
    expect(lines).toHaveLength(30);
    // Each takes ceil(length / 80) rows once wrapped: the placeholder, then that many rows less one left blank.
    const verdictLine = `✖ x [env.extra-ca-missing] → ${long}`;
    for (const n of [long.length, verdictLine.length]) {
      const rows = Math.ceil(n / 80);
      expect(rows).toBeGreaterThan(1);
      const at = lines.findIndex((l) => l.trim() === `[raw ${n}]`);
      expect(at, `placeholder of ${n} chars`).toBeGreaterThanOrEqual(0);
      expect(lines.slice(at + 1, at + rows).map((l) => l.trim())).toEqual(Array(rows - 1).fill(''));
    }
    // The verdict's rows are the last ones of the window.
    expect(lines.length - lines.findIndex((l) => l.trim() === `[raw ${verdictLine.length}]`)).toBe(Math.ceil(verdictLine.length / 80));
  });
});

describe('App colour and notice', () => {
  const everything = (): ScreenModel =>
    doneModel({
      rows: [...ROWS, row('e.err', 'Errored check', 'error', 'boom', 5), row('e.run', 'Running check', 'running')],
      panels: [{ ...FAIL_PANEL, key: 'x/env.error/0', status: 'error' }, FAIL_PANEL, WARN_PANEL],
    });

  it('uses colour by default (so the next test can fail)', async () => {
    const m = mount(everything(), { notice: 'Copied the Markdown report (123 chars) via OSC 52.' });
    await settle();
    expect(colourCodes(m.raw()).length).toBeGreaterThan(0);
  });

  it('with noColor prints no colour escape sequences at all', async () => {
    const m = mount(everything(), { noColor: true, notice: 'Copied the Markdown report (123 chars) via OSC 52.' });
    await settle();
    await m.press(ENTER, DOWN); // an expanded panel and a moved selection, too
    const raw = m.raw();
    expect(raw).toContain('Errored check');
    expect(colourCodes(raw)).toEqual([]);
    // Nor dim text, which NO_COLOR terminals show as grey.
    // eslint-disable-next-line no-control-regex
    expect(raw).not.toMatch(/\u001B\[2m/);
  });

  it('shows the notice line under the summary and panels', async () => {
    const m = mount(doneModel());
    await settle();
    expect(m.frame()).not.toContain('Saved the report');
    m.rerender({ notice: 'Saved the report to ~/dbiam-doctor-report-20260101-120000.md' });
    await settle();
    const f = m.frame();
    const line = lineWith(m.lines(), 'Saved the report');
    expect(line.trim()).toBe('Saved the report to ~/dbiam-doctor-report-20260101-120000.md');
    expect(f.indexOf('Saved the report')).toBeGreaterThan(f.indexOf(WARN_PANEL.title));
    expect(f.indexOf('Saved the report')).toBeLessThan(f.indexOf('q quit'));
  });

  it('unsubscribes from the source when unmounted', async () => {
    const m = mount(doneModel());
    await settle();
    expect(m.source.listeners()).toBeGreaterThan(0);
    cleanup();
    expect(m.source.listeners()).toBe(0);
  });
});
