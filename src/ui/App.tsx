// The interactive screen: header, checklist, summary, then a panel per
// warning and failure. It draws the session's screen model; it decides nothing.
import React, { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import { MARKERS, formatDuration, type CheckRow, type Panel, type RowStatus, type ScreenModel } from '../core/view-model.js';

export interface ScreenSource {
  model(): ScreenModel;
  subscribe(listener: () => void): () => void;
}

export interface ScreenActions {
  rerun(): void;
  copy(): void;
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
}

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

function Header({ model, noColor }: { model: ScreenModel; noColor: boolean }): React.ReactElement {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold color={noColor ? undefined : 'cyan'}>
        {model.tool.name} {model.tool.version}
      </Text>
      <Text wrap="wrap">{model.header.map((h) => `${h.label}: ${h.value}`).join(' · ')}</Text>
    </Box>
  );
}

/** Fits text into `width` cells, ending with … when cut (one cell per code point is close enough here). */
export function fitLine(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

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

function PanelView({ panel, selected, expanded, noColor }: { panel: Panel; selected: boolean; expanded: boolean; noColor: boolean }): React.ReactElement {
  const color = colorOf(panel.status, noColor);
  return (
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
        <Box marginTop={1} flexDirection="column">
          <Text wrap="wrap">
            <Text bold>Fix: </Text>
            {panel.fixText}
          </Text>
          {panel.commands.map((c, i) => (
            <Text key={i} color={noColor ? undefined : 'green'} wrap="wrap">
              {'  $ '}
              {c}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

export function App({ source, actions, notice, interactive, noColor, width, showHeader = true }: AppProps): React.ReactElement {
  const model = useSyncExternalStore(source.subscribe, source.model);
  const [frame, setFrame] = useState(0);
  const [selected, setSelected] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const startedAt = useRef(new Map<string, number>());
  const now = Date.now();

  for (const r of model.rows) {
    if (r.status === 'running' && !startedAt.current.has(r.id)) startedAt.current.set(r.id, now);
    if (r.status === 'pending') startedAt.current.delete(r.id);
  }

  const running = !model.done;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setFrame((f) => f + 1), 100);
    return () => clearInterval(t);
  }, [running]);

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return actions.interrupt();
      if (input === 'q' || key.escape) return actions.quit();
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
      else if (input === 's') actions.save();
    },
    { isActive: interactive },
  );

  return (
    <Box flexDirection="column" width={width}>
      {showHeader ? <Header model={model} noColor={noColor} /> : null}
      {model.rows.map((r) => (
        <Row key={r.id} row={r} frame={frame} startedAt={startedAt.current.get(r.id)} noColor={noColor} now={now} width={width} />
      ))}
      {model.summaryLine ? (
        <Box marginTop={1}>
          <Text bold>{model.summaryLine}</Text>
        </Box>
      ) : null}
      {model.panels.map((p, i) => (
        <PanelView key={p.key} panel={p} selected={interactive && i === selected} expanded={expanded.has(p.key)} noColor={noColor} />
      ))}
      {notice ? <Text color={noColor ? undefined : 'cyan'}>{notice}</Text> : null}
      {model.done && interactive ? (
        <Text dimColor={!noColor} wrap="truncate-end">
          {model.panels.length > 0 ? '↑/↓ select · enter evidence · ' : ''}r re-run · c copy report · s save · q quit
        </Text>
      ) : null}
    </Box>
  );
}
