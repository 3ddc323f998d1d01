// Mounts the Ink screen for a doctor session and wires its keys to actions.
import React, { useEffect, useState } from 'react';
import { render } from 'ink';
import { join } from 'node:path';
import { copyToSystemClipboard, osc52 } from '../adapters/clipboard.js';
import type { CliIO } from '../commands/io.js';
import type { DoctorSession } from '../commands/doctor/session.js';
import type { Redactor } from '../core/redact.js';
import { renderMarkdown } from '../core/report/markdown.js';
import { rawStream, visibleLine } from '../core/report/sanitize.js';
import type { RunReport } from '../core/types.js';
import { App } from './App.js';
import { noColorRequested, screenWidth } from './header-text.js';
import { RawLines, frameStream } from './alt-screen.js';
import { noticeTurns } from './notice-turns.js';

export { screenWidth };

/** The screen's height: the terminal's rows (none known: no viewport, everything drawn). */
export function screenHeight(rows: number | undefined): number | undefined {
  return rows && rows > 0 ? Math.max(8, rows) : undefined;
}

export interface ScreenInput {
  session: DoctorSession;
  /** The run already started by the caller (checks start before Ink loads). */
  running: Promise<RunReport>;
  redactor: Redactor;
  io: CliIO;
  saveReport(path: string): Promise<void>;
}

function reportFileName(d: Date): string {
  const stamp = d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `dbiam-doctor-report-${stamp}.md`;
}

export async function runScreen({ session, running, redactor, io, saveReport }: ScreenInput): Promise<RunReport | undefined> {
  const stdin = io.stdin ?? process.stdin;
  const interactive = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  const noColor = noColorRequested(io.env);
  const out = rawStream(io.stdout) as NodeJS.WriteStream;
  const raw = new RawLines();

  // A re-run (r) replaces the run the screen waits for.
  let run = running;
  let setNotice: (n: string | undefined) => void = () => undefined;
  const notices = noticeTurns((n) => setNotice(n));
  let finished: (() => void) | undefined;
  const quit = new Promise<void>((resolve) => {
    finished = resolve;
  });
  // A signal closes the screen too, also once the run is done (the session alone would ignore it).
  const removeSignals = io.onSignal?.(() => finished?.());

  const actions = {
    rerun: () => {
      notices.take()(undefined);
      run = session.run();
    },
    copyFix: (commands: readonly string[]) => {
      const say = notices.take();
      if (commands.length === 0) return say('This problem has no command to copy.');
      const text = commands.join('\n');
      rawStream(io.stdout).write(osc52(text));
      void copyToSystemClipboard(text, process.platform, io.env).then((tool) =>
        say(`Copied ${commands.length === 1 ? 'the fix command' : `${commands.length} fix commands`} via OSC 52${tool ? ` and ${tool}` : ''}.`),
      );
    },
    copy: () => {
      const report = session.report();
      if (!report) return;
      const say = notices.take();
      const md = renderMarkdown(report, redactor);
      // OSC 52 on purpose: the unguarded stream; the report inside is already sanitised.
      rawStream(io.stdout).write(osc52(md));
      void copyToSystemClipboard(md, process.platform, io.env).then((tool) =>
        say(`Copied the Markdown report (${md.length} chars) via OSC 52${tool ? ` and ${tool}` : ''}.`),
      );
    },
    save: () => {
      const say = notices.take();
      const path = join(io.cwd, reportFileName(new Date()));
      saveReport(path).then(
        () => say(`Saved the report to ${redactor.redact(path)}`),
        (err: Error) => say(`Could not save the report: ${redactor.redact(err.message)}`),
      );
    },
    quit: () => {
      if (!session.model().done) session.interrupt();
      finished?.();
    },
    interrupt: () => {
      session.interrupt();
      finished?.();
    },
  };

  function Root(): React.ReactElement {
    const [notice, set] = useState<string | undefined>();
    // Notices quote paths and error messages: one line, nothing that steers the terminal.
    setNotice = (n) => set(n === undefined ? undefined : visibleLine(n));
    // Ink re-lays out on a resize, but our width prop would stay the one read at start.
    const [width, setWidth] = useState(() => screenWidth(out.columns));
    // The height too: the screen fills the window, the verdict on its last lines.
    const [height, setHeight] = useState(() => screenHeight(out.rows));
    // And the terminal's own columns, where it wraps the unbroken command lines.
    const [columns, setColumns] = useState(() => out.columns ?? 80);
    useEffect(() => {
      const onResize = (): void => {
        setWidth(screenWidth(out.columns));
        setHeight(screenHeight(out.rows));
        setColumns(out.columns ?? 80);
      };
      out.on('resize', onResize);
      return () => void out.off('resize', onResize);
    }, []);
    // The header is drawn by the screen too: every frame repaints the whole alternate screen.
    return <App source={session} actions={actions} notice={notice} interactive={interactive} noColor={noColor} width={width} height={height} columns={columns} rawLine={(t, w) => raw.token(t, w)} />;
  }

  const instance = render(<Root />, {
    // Ink draws with cursor codes: it gets the unguarded streams and only sanitised view-model strings.
    stdout: frameStream(out, raw),
    stdin,
    stderr: rawStream(io.stderr) as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // A signal (SIGINT/SIGTERM) interrupts the session; then the screen closes too.
  const report = await Promise.race([run, quit.then(() => run)]);
  if (interactive && !session.interrupted) await quit;
  removeSignals?.();
  // Let the last frame (summary, panels) reach the terminal before unmounting.
  await new Promise((r) => setTimeout(r, 20));
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  return session.report() ?? report;
}
