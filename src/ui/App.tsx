// The interactive screen: header, checklist, summary, then a panel per
// warning and failure. It draws the session's screen model; it decides nothing.
import React, { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import { fitLine, wrapFacts } from './header-text.js';
import { MARKERS, foldedChecklist, verdictOf, formatDuration, type CheckRow, type Panel, type RowStatus, type ScreenModel } from '../core/view-model.js';

export interface ScreenSource {
  model(): ScreenModel;
  subscribe(listener: () => void): () => void;
}

export interface ScreenActions {
  rerun(): void;
  copy(): void;
  /** Copies the selected problem's fix command(s). */
  copyFix?(commands: readonly string[]): void;
  save(): void;
  quit(): void;
  interrupt(): void;
}

export interface AppProps {
  source: ScreenSource;
  actions: ScreenActions;
  /** A line under the summary: "copied", "saved to …", errors of those. */
  notice?: string;
  /** Keys only work when stdin is a terminal. */
  interactive: boolean;
  noColor: boolean;
  width: number;
  /** False when the header was already written above the screen (see header-text.ts). */
  showHeader?: boolean;
  /**
   * Draws a fix command as one unbroken line: returns a placeholder the output
   * stream replaces with the command (see alt-screen.ts). Without it, the
   * command is drawn as wrapped text.
   */
  rawLine?: (text: string) => string;
}

/** The keys, for `?`. */
export const KEY_HELP: readonly string[] = [
  '↑/↓    select a problem',
  'enter  show / hide its evidence',
  'y      copy its fix command(s)',
  'c      copy the Markdown report',
  's      save the report to a file',
  'v      show / fold the checks not run because another failed',
  'r      run the checks again',
  'esc    back (while running: press twice to stop)',
  'q      quit',
  '?      show / hide these keys',
];

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const COLORS: Record<RowStatus, string | undefined> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  error: 'red',
  skip: 'gray',
  pending: 'gray',
  running: 'cyan',
};

function colorOf(status: RowStatus, noColor: boolean): string | undefined {
  return noColor ? undefined : COLORS[status];
}

function Header({ model, noColor, width }: { model: ScreenModel; noColor: boolean; width: number }): React.ReactElement {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold color={noColor ? undefined : 'cyan'}>
        {model.tool.name} {model.tool.version}
      </Text>
      {wrapFacts(
        model.header.map((h) => `${h.label}: ${h.value}`),
        width,
      ).map((l, i) => (
        <Text key={i} wrap="wrap">
          {l}
        </Text>
      ))}
    </Box>
  );
}

export { fitLine };

function Row({ row, frame, startedAt, noColor, now, width }: { row: CheckRow; frame: number; startedAt?: number; noColor: boolean; now: number; width: number }): React.ReactElement {
  const marker = row.status === 'running' ? (SPINNER[frame % SPINNER.length] as string) : MARKERS[row.status];
  const time =
    row.status === 'running' && startedAt !== undefined
      ? formatDuration(now - startedAt)
      : row.durationMs !== undefined && row.status !== 'skip'
        ? formatDuration(row.durationMs)
        : '';
  // One line per check, cut to the width: wrapped rows make the checklist unreadable.
  const room = width - 2 - (time ? time.length + 1 : 0);
  const title = fitLine(row.title, room);
  const summary = row.summary && [...title].length < room - 3 ? fitLine(` — ${row.summary}`, room - [...title].length) : '';
  const pad = ' '.repeat(Math.max(0, room - [...title].length - [...summary].length));
  return (
    <Text>
      <Text color={colorOf(row.status, noColor)}>{marker} </Text>
      {title}
      <Text dimColor={!noColor}>{summary}</Text>
      {pad}
      {time ? <Text dimColor={!noColor}> {time}</Text> : null}
    </Text>
  );
}

function PanelView({ panel, selected, expanded, noColor, rawLine }: { panel: Panel; selected: boolean; expanded: boolean; noColor: boolean; rawLine?: (text: string) => string }): React.ReactElement {
  const color = colorOf(panel.status, noColor);
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" borderStyle="round" borderColor={selected && !noColor ? 'cyan' : color} paddingX={1}>
        <Text bold color={color}>
          {selected ? '› ' : ''}
          {MARKERS[panel.status]} {panel.title}
        </Text>
        <Text dimColor={!noColor}>
          {panel.code} · {panel.checkTitle}
        </Text>
        {panel.detail ? <Text wrap="wrap">{panel.detail}</Text> : null}
        {expanded && panel.evidence.length > 0 ? (
          <Box flexDirection="column" marginTop={1}>
            <Text bold>Evidence</Text>
            {panel.evidence.map((e, i) => (
              <Text key={i} wrap="wrap">
                {'  '}
                {e.label}: {e.value}
              </Text>
            ))}
          </Box>
        ) : null}
        {panel.fixText ? (
          <Box marginTop={1}>
            <Text wrap="wrap">
              <Text bold>Fix: </Text>
              {panel.fixText}
              {panel.commands.length > 0 ? ` (${panel.commands.length === 1 ? 'command' : 'commands'} below${selected ? ', y copies' : ''})` : ''}
            </Text>
          </Box>
        ) : null}
      </Box>
      {/* Outside the box, each on its own line: selecting one copies no border and no line break. */}
      {panel.commands.map((c, i) =>
        rawLine ? (
          <Text key={i} wrap="truncate-end">
            {rawLine(c)}
          </Text>
        ) : (
          <Text key={i} color={noColor ? undefined : 'green'} wrap="wrap">
            {c}
          </Text>
        ),
      )}
    </Box>
  );
}

export function App({ source, actions, notice, interactive, noColor, width, showHeader = true, rawLine }: AppProps): React.ReactElement {
  const model = useSyncExternalStore(source.subscribe, source.model);
  const [frame, setFrame] = useState(0);
  const [selected, setSelected] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [help, setHelp] = useState(false);
  const [unfolded, setUnfolded] = useState(false);
  // Esc while checks run only arms the stop; a second Esc stops.
  const [escArmed, setEscArmed] = useState(false);
  const startedAt = useRef(new Map<string, number>());
  const now = Date.now();

  for (const r of model.rows) {
    if (r.status === 'running' && !startedAt.current.has(r.id)) startedAt.current.set(r.id, now);
    if (r.status === 'pending') startedAt.current.delete(r.id);
  }

  const running = !model.done;
  const verdict = verdictOf(model);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setFrame((f) => f + 1), 100);
    return () => clearInterval(t);
  }, [running]);

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return actions.interrupt();
      if (input === 'q') return actions.quit();
      if (input === '?') return setHelp((h) => !h);
      if (input === 'v') return setUnfolded((u) => !u);
      if (key.escape) {
        if (help) return setHelp(false);
        const open = model.panels[selected];
        if (model.done && open && expanded.has(open.key)) {
          return setExpanded((prev) => {
            const next = new Set(prev);
            next.delete(open.key);
            return next;
          });
        }
        if (!model.done && !escArmed) return setEscArmed(true);
        return actions.quit();
      }
      if (escArmed) setEscArmed(false);
      if (!model.done) return;
      if (key.upArrow) setSelected((s) => Math.max(0, s - 1));
      else if (key.downArrow) setSelected((s) => Math.max(0, Math.min(model.panels.length - 1, s + 1)));
      else if (key.return) {
        const p = model.panels[selected];
        if (!p) return;
        setExpanded((prev) => {
          const next = new Set(prev);
          if (next.has(p.key)) next.delete(p.key);
          else next.add(p.key);
          return next;
        });
      } else if (input === 'r') {
        setSelected(0);
        setExpanded(new Set());
        actions.rerun();
      } else if (input === 'c') actions.copy();
      else if (input === 'y') {
        const p = model.panels[selected];
        if (p) actions.copyFix?.(p.commands);
      }
      else if (input === 's') actions.save();
    },
    { isActive: interactive },
  );

  return (
    <Box flexDirection="column" width={width}>
      {showHeader ? <Header model={model} noColor={noColor} width={width} /> : null}
      {(unfolded ? model.rows.map((row) => ({ kind: 'row' as const, row })) : foldedChecklist(model.rows)).map((l) =>
        l.kind === 'row' ? (
          <Row key={l.row.id} row={l.row} frame={frame} startedAt={startedAt.current.get(l.row.id)} noColor={noColor} now={now} width={width} />
        ) : (
          <Text key={l.key} dimColor={!noColor}>
            {fitLine(`${MARKERS.skip} ${l.text}${interactive ? ' (v shows them)' : ''}`, width)}
          </Text>
        ),
      )}
      {model.summaryLine ? (
        <Box marginTop={1}>
          <Text bold>{model.summaryLine}</Text>
        </Box>
      ) : null}
      {model.panels.map((p, i) => (
        <PanelView key={p.key} panel={p} selected={interactive && i === selected} expanded={expanded.has(p.key)} noColor={noColor} rawLine={rawLine} />
      ))}
      {escArmed && !model.done ? <Text color={noColor ? undefined : 'yellow'}>Checks are still running: press Esc again to stop, any other key to go on.</Text> : null}
      {help && interactive ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Keys</Text>
          {KEY_HELP.map((k) => (
            <Text key={k} wrap="truncate-end">
              {'  '}
              {k}
            </Text>
          ))}
        </Box>
      ) : null}
      {notice ? <Text color={noColor ? undefined : 'cyan'}>{notice}</Text> : null}
      {model.done && interactive ? (
        <Box flexDirection="column">
          <Text dimColor={!noColor} wrap="truncate-end">
            {model.panels.length > 0 ? '↑/↓ select · enter evidence · y copy fix · ? keys' : '? keys'}
          </Text>
          <Text dimColor={!noColor} wrap="truncate-end">
            r re-run · c copy report · s save · q quit
          </Text>
        </Box>
      ) : null}
      {verdict ? (
        // Last, so it stays on the bottom line of the window; its command unbroken for copying.
        <Text bold color={colorOf(verdict.status, noColor)} wrap="truncate-end">
          {rawLine && verdict.command ? rawLine(verdict.text) : fitLine(verdict.text, width)}
        </Text>
      ) : null}
    </Box>
  );
}
