// Class 1 (terminal control sequences) and class 7 (Markdown/HTML injection):
// hostile values planted where users and servers control text — an OCI
// config value, a ./dbiam-doctor.json in the working directory, OCI names
// (a policy, the user), a pasted error, policy names and statements — are
// rendered in every format (text, md, json, -o file) and on the Ink screen.
// Nothing that steers a terminal may come out raw; the value must still be
// shown (as visible escapes), so an empty output cannot pass.
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { DemoCustomizer } from '../../src/commands/demo/command.js';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { cell, code, fenced, prose } from '../../src/core/report/markdown-syntax.js';
import { renderReport } from '../../src/core/report/index.js';
import { Redactor } from '../../src/core/redact.js';
import type { RunReport } from '../../src/core/types.js';
import { finishedScreen } from '../../src/core/view-model.js';
import { App } from '../../src/ui/App.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, FIXED_NOW, tempDir } from '../helpers/deps.js';
import { firstForeignControl, firstRawControl, everyFormat, hostileValue, seededRandom } from './hostile.js';
import { suiteKeyCacheEnv } from '../helpers/key-cache-env.js';

const SEED = Number(process.env.HOSTILE_SEED ?? 19);


/** The Ink screen of a run, recorded frame by frame from a fake 80-column terminal. */
async function screenOf(argv: string[], opts: { cwd?: string; env?: Record<string, string>; demoCustomize?: DemoCustomizer } = {}): Promise<string> {
  let screen = '';
  const stdout = Object.assign(new EventEmitter(), { isTTY: true, columns: 80, rows: 40, write: (s: string) => ((screen += s), true) });
  let stderr = '';
  await main({
    argv: [...argv, '--format', 'tty'],
    env: { ...suiteKeyCacheEnv(), ...opts.env },
    cwd: opts.cwd ?? tempDir('dbiam-doctor-screen-'),
    system: fakeSystem(),
    now: () => FIXED_NOW,
    stdout,
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    stdin: Readable.from([]) as unknown as NodeJS.ReadStream,
    ...(opts.demoCustomize ? { demoCustomize: opts.demoCustomize } : {}),
  });
  return `${screen}\n${stderr}`;
}

function expectInert(outs: { name: string; text: string }[], markers: string[]): void {
  for (const o of outs) expect(firstRawControl(o.text), o.name).toBeUndefined();
  const all = outs.filter((o) => !o.name.endsWith('stderr')).map((o) => o.text);
  // Each format showed the planted values (escaped), not nothing.
  for (const m of markers) for (const text of all) expect(text, m).toContain(m);
}

function configWith(region: string, extraLine: string): string {
  const home = tempDir('dbiam-doctor-hostile-home-');
  mkdirSync(join(home, '.oci'));
  const path = join(home, '.oci', 'config');
  writeFileSync(
    path,
    [
      '[DEFAULT]',
      'user=ocid1.user.oc1..aaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      'tenancy=ocid1.tenancy.oc1..aaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      'fingerprint=12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0',
      'key_file=/nonexistent/dbiam-doctor-test-key.pem',
      `region=${region}`,
      extraLine,
      '',
    ].join('\n'),
  );
  return path;
}

describe('control sequences from an OCI config file never reach the terminal or a report', () => {
  const rng = seededRandom(SEED);
  for (let round = 0; round < 4; round++) {
    const region = hostileValue(rng);
    const header = hostileValue(rng);
    it(`round ${round}: region value and a malformed section header, in text, md, json and -o files`, async () => {
      const cfg = configWith(region.text.replace(/[\n]/g, ' '), `[${header.text.replace(/[\n\]]/g, ' ')}`);
      const outs = await everyFormat('controls', ['--offline', '--config-file', cfg, '--only', 'profile.config']);
      expectInert(outs, [region.marker]);
    });
  }

  it('the example from the issue: OSC 52 in region= does not write the clipboard (text output)', async () => {
    const cfg = configWith('x\u001b]52;c;cHduZWQ=\u0007', '');
    const r = await runCli(['--offline', '--config-file', cfg, '--only', 'profile.config', '--format', 'text']);
    expect(r.stdout).not.toContain('\u001b]52');
    expect(r.stdout).toContain('x\\x1b]52;c;cHduZWQ=\\x07');
  });

  it('on the Ink screen too', async () => {
    const rng2 = seededRandom(SEED + 1);
    const region = hostileValue(rng2);
    const cfg = configWith(region.text.replace(/\n/g, ' '), '');
    const screen = await screenOf(['--offline', '--config-file', cfg, '--only', 'profile.config']);
    expect(firstForeignControl(screen)).toBeUndefined();
    expect(screen).toContain(region.marker);
  });
});

describe('a ./dbiam-doctor.json shipped in a cloned repository', () => {
  it('cannot steer the terminal through a value the doctor echoes', async () => {
    const rng = seededRandom(SEED + 2);
    const v = hostileValue(rng);
    const cwd = tempDir('dbiam-doctor-clone-');
    writeFileSync(join(cwd, 'dbiam-doctor.json'), JSON.stringify({ dsn: `${v.text}` }));
    const outs = await everyFormat('controls', ['--offline', '--only', 'profile.config'], { cwd });
    expectInert(outs, [v.marker]);
    const screen = await screenOf(['--offline', '--only', 'profile.config'], { cwd });
    expect(firstForeignControl(screen)).toBeUndefined();
    expect(screen).toContain(v.marker);
  });
});

describe('names from OCI (a policy, the user) in a live run against the simulator', () => {
  const rng = seededRandom(SEED + 3);
  const policy = hostileValue(rng);
  const user = hostileValue(rng);
  const customize: DemoCustomizer = (setup) => {
    const p = setup.fixture.policies.find((x) => x.name === 'db-access');
    if (p) p.name = policy.text;
  };
  // The screen cuts each row to the width: the user's name comes early in the who-am-I row.
  const customizeUser: DemoCustomizer = (setup) => {
    const u = setup.fixture.users[0];
    if (u) u.name = user.text;
  };
  it('every format and the -o files', async () => {
    const outs = await everyFormat('controls', ['demo', 'healthy'], { demoCustomize: customize });
    expectInert(outs, [policy.marker]);
  }, 90_000); // three simulated runs; slow on a shared machine
  it('the Ink screen', async () => {
    const screen = await screenOf(['demo', 'healthy'], { demoCustomize: customizeUser });
    expect(firstForeignControl(screen)).toBeUndefined();
    expect(screen).toContain(user.marker);
  }, 60_000);
});

describe('explain: unrecognised pasted lines', () => {
  const rng = seededRandom(SEED + 4);
  for (let round = 0; round < 3; round++) {
    const v = hostileValue(rng);
    it(`round ${round}: every format`, async () => {
      const outs = await everyFormat('controls', ['explain', `ORA-29999: not on the path ${v.text}`]);
      expectInert(outs, [v.marker]);
    });
  }
});

describe('Markdown: values stay text when the report is pasted into a ticket', () => {
  it('a table cell cannot carry HTML, a link or an image, or split the row', () => {
    const c = cell('<img src=x onerror=alert(1)> [click](https://evil.example) ![i](https://evil.example/i.png) a|b');
    expect(c).not.toMatch(/<img/);
    expect(c).toContain('&lt;img');
    expect(c).not.toMatch(/[^\\]\]\(/);
    expect(c).not.toMatch(/[^\\]\|/);
  });

  it('prose cannot open HTML or a link', () => {
    const p = prose('<details open><summary>x</summary> [a](javascript:alert(1)) [r]: https://evil.example');
    expect(p).not.toMatch(/<details|<summary/);
    expect(p).not.toMatch(/[^\\]\]\(/);
    expect(p).not.toMatch(/[^\\]\]:/);
  });

  it('a code block is fenced longer than any backtick or tilde run inside, so no line closes it', () => {
    const rng = seededRandom(SEED + 5);
    for (let i = 0; i < 50; i++) {
      const lines = Array.from({ length: 3 }, () => `${'`'.repeat(Math.floor(rng() * 8))}${'~'.repeat(Math.floor(rng() * 8))} x`);
      const block = fenced(lines);
      const fence = /^(`+)/.exec(block)?.[1] as string;
      // Only the last line may be a closing fence of that length or more.
      const inner = block.split('\n').slice(1, -1);
      for (const l of inner) expect(l.startsWith(fence), l).toBe(false);
      expect(block.split('\n').at(-1)).toBe(fence);
    }
    // Both fence styles in one value: the old choice (~~~~ when ``` is inside) broke out.
    const both = fenced(['```', '~~~~', 'rm -rf ~']);
    expect(both.startsWith('````')).toBe(true);
  });

  it('inline code survives any backtick run', () => {
    const c = code('a ``` b `` c');
    expect(c.startsWith('````')).toBe(true);
  });

  it('policy explain --format md shows a hostile policy name as text', async () => {
    const dir = tempDir('dbiam-doctor-policy-md-');
    const policies = join(dir, 'policies.json');
    writeFileSync(
      policies,
      JSON.stringify({
        data: [
          {
            id: 'ocid1.policy.oc1..aaaaaaaapolicy0000000000000000000000000000000000000000001',
            name: '<img src=x onerror=alert(1)>\u001b]52;c;cHduZWQ=\u0007',
            'compartment-id': 'ocid1.tenancy.oc1..aaaaaaaatenancy000000000000000000000000000000000000000001',
            statements: ['Allow group DBUsers to use database-connections in tenancy'],
          },
        ],
      }),
    );
    const r = await runCli(['policy', 'explain', '--policies', policies, '--as', 'group:DBUsers', '--need', 'use database-connections', '--in', 'tenancy', '--format', 'md'], { cwd: dir });
    const all = `${r.stdout}${r.stderr}`;
    expect(r.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(all).not.toContain('<img');
    expect(firstRawControl(all)).toBeUndefined();
  });
});

/** The Markdown outside fenced code blocks (CommonMark: a block closes at a fence of the same character, at least as long). */
function outsideCodeBlocks(md: string): string {
  const out: string[] = [];
  let open: string | undefined;
  for (const line of md.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (open) {
      if (fence && fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = undefined;
      continue;
    }
    if (fence) {
      open = fence;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

describe('every field a finding carries, from any check (Vault entry names, certificate subjects, OCI messages…)', () => {
  const HTML = ['<img src=x onerror=alert(1)>', '[click](https://evil.example)', '![i](https://evil.example/i.png)', '</details><script>x</script>', '```\n~~~~\n'];

  function hostileReport(seed: number): { report: RunReport; markers: string[]; infoMarkers: string[] } {
    const rng = seededRandom(seed);
    let markers: string[] = [];
    const v = (): string => {
      const h = hostileValue(rng);
      markers.push(h.marker);
      return `${h.text} ${HTML[Math.floor(rng() * HTML.length)]}`;
    };
    const finding = (severity: 'fail' | 'warn' | 'info') => ({
      code: 'wallet.expired',
      severity,
      title: v(),
      detail: `${v()}\n${v()}`,
      evidence: { [v()]: v(), subject: v(), 'zip entry': v() },
      fix: { text: v(), commands: [v(), v()] },
    });
    const report: RunReport = {
      tool: { name: 'dbiam-doctor', version: '0.1.0' },
      startedAt: FIXED_NOW.toISOString(),
      durationMs: 10,
      context: { profile: v(), auth: 'api_key', region: v(), target: v() },
      summary: { pass: 0, warn: 1, fail: 1, error: 0, skip: 0 },
      checks: [
        { id: 'wallet.dir', title: 'Wallet directory', category: 'wallet', status: 'fail', durationMs: 5, summary: v(), findings: [finding('fail')] },
        { id: 'tls.chain', title: 'TLS certificate chain', category: 'tls', status: 'warn', durationMs: 5, summary: v(), findings: [finding('warn')] },
      ],
    };
    // An informational finding: shown whole in JSON only (Markdown folds its title and evidence).
    const shown = markers;
    markers = [];
    report.checks[0]?.findings.push(finding('info'));
    return { report, markers: shown, infoMarkers: markers };
  }

  for (let round = 0; round < 5; round++) {
    it(`round ${round}: text, md and json hold nothing raw, no HTML and no link; every value is shown`, () => {
      const { report, markers, infoMarkers } = hostileReport(SEED * 100 + round);
      const redactor = new Redactor();
      for (const format of ['text', 'md', 'json'] as const) {
        const out = renderReport(format, report, redactor);
        expect(firstRawControl(out), format).toBeUndefined();
        for (const m of format === 'json' ? [...markers, ...infoMarkers] : markers) expect(out, `${format} ${m}`).toContain(m);
        if (format === 'md') {
          // Inside a code block HTML is literal text; everywhere else it must be escaped.
          const rendered = outsideCodeBlocks(out);
          expect(rendered).not.toMatch(/<img|<script|<\/details><script/);
          expect(rendered).not.toMatch(/[^\\]\]\(https:\/\/evil/);
        }
      }
    });
  }

  it('the Ink screen, panels expanded', async () => {
    const { report, markers } = hostileReport(SEED * 100 + 99);
    const model = finishedScreen(report, new Redactor());
    const source = { model: () => model, subscribe: () => () => undefined };
    const actions = { rerun() {}, copy() {}, save() {}, quit() {}, interrupt() {} };
    const view = render(React.createElement(App, { source, actions, interactive: true, noColor: true, width: 200 }));
    try {
      for (let i = 0; i < model.panels.length; i++) {
        view.stdin.write('\r');
        for (let k = 0; k < 5; k++) await new Promise<void>((r) => setImmediate(r));
        view.stdin.write('\u001B[B');
        for (let k = 0; k < 5; k++) await new Promise<void>((r) => setImmediate(r));
      }
      const frames = view.frames.join('\n');
      expect(firstForeignControl(frames)).toBeUndefined();
      // Panel titles and evidence values are drawn (rows may be cut to the width).
      const shown = markers.filter((m) => frames.includes(m));
      expect(shown.length).toBeGreaterThan(markers.length / 2);
    } finally {
      cleanup();
    }
  });
});
