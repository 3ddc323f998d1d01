// Which output a run picks on its own (no --format): the screen on a terminal,
// plain text on a pipe, on a dumb terminal and in a CI log — where Ink draws
// nothing until exit, so a screen waiting for keys would show nothing new.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeSystem, FIXED_NOW, tempDir, testFacts } from '../helpers/deps.js';

const ENTER_ALT = '\u001B[?1049h';

async function onTerminal(env: Record<string, string>): Promise<string> {
  let out = '';
  const stdout = Object.assign(new EventEmitter(), { isTTY: true, columns: 80, rows: 24, write: (s: string) => ((out += s), true) });
  const home = tempDir();
  await main({
    argv: ['--offline', '--only', 'env.runtime'],
    env: { HOME: home, ...env },
    cwd: home,
    system: fakeSystem({ homeDir: home }),
    now: () => FIXED_NOW,
    factsFor: testFacts,
    stdout,
    stderr: { isTTY: true, write: () => true },
    stdin: Readable.from([]) as unknown as NodeJS.ReadStream,
  });
  return out;
}

describe('the output a terminal gets without --format', () => {
  it('a terminal gets the screen (alternate screen)', async () => {
    expect(await onTerminal({ TERM: 'xterm-256color' })).toContain(ENTER_ALT);
  });

  it.each<Record<string, string>>([{ CI: 'true' }, { CI: '1' }, { CONTINUOUS_INTEGRATION: 'yes' }])('a CI log (%o) gets the plain text report, no screen', async (env) => {
    const out = await onTerminal({ TERM: 'xterm-256color', ...env });
    expect(out).not.toContain(ENTER_ALT);
    expect(out).toMatch(/^Verdict: /m);
  });

  it('CI=false or CI=0 is not a CI log', async () => {
    expect(await onTerminal({ TERM: 'xterm-256color', CI: 'false' })).toContain(ENTER_ALT);
    expect(await onTerminal({ TERM: 'xterm-256color', CI: '0' })).toContain(ENTER_ALT);
  });
});

describe('the setup wizard in a CI log', () => {
  it('says why it cannot ask, and what to pass instead (exit 2), rather than waiting on a screen that never draws', async () => {
    let err = '';
    const stdin = Object.assign(new Readable({ read() {} }), { isTTY: true, setRawMode: () => stdin });
    const home = tempDir();
    const code = await main({
      argv: ['setup'],
      env: { HOME: home, TERM: 'xterm-256color', CI: 'true' },
      cwd: home,
      system: fakeSystem({ homeDir: home }),
      stdout: { isTTY: true, write: () => true },
      stderr: { write: (s: string) => ((err += s), true) },
      stdin: stdin as unknown as NodeJS.ReadStream,
    });
    expect(code).toBe(2);
    expect(err).toMatch(/CI is set.*pass --answers FILE/);
  });
});
