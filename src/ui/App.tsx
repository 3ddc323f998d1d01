// The interactive screen: header, checklist, summary, then a panel per
// warning and failure. It draws the session's screen model; it decides nothing.
import React, { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, measureElement, useInput, type DOMElement, type Key } from 'ink';
import { rowsOf } from './alt-screen.js';
import { fitLine, wrapFacts } from './header-text.js';
import { MARKERS, foldedChecklist, formatDuration, type CheckRow, type Panel, type RowStatus, type ScreenModel, type ScreenVerdict } from '../core/view-model.js';
import { wrapLine } from '../core/report/text.js';

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
  /**
   * The window's height: the screen then fills it exactly, the verdict pinned
   * on its last lines and everything above it in a viewport that scrolls.
   * Without it, everything is drawn one line under the other.
   */
  height?: number;
  /** The terminal's columns, where raw lines wrap (the screen itself may be drawn narrower); default: width. */
  columns?: number;
  /** False when the header was already written above the screen (see header-text.ts). */
  showHeader?: boolean;
  /**
   * Draws a fix command as one unbroken line: returns a placeholder the output
   * stream replaces with the command, and the blank rows reserved under it
   * (see alt-screen.ts). Without it, the command is drawn as wrapped text.
   */
  rawLine?: (text: string, width: number) => string;
}

/** The keys, for `?`. */
export const KEY_HELP: readonly string[] = [
  '↑/↓    select a problem (past the first or last: scroll)',
  'PgUp/PgDn  scroll a page',
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

/**
 * A line the terminal wraps on its own (a command, the verdict): drawn through
 * rawLine with the rows it will take reserved under it, at most `maxRows`
 * (then cut with …).
 */
function RawLine({ text, width, rawLine, maxRows = Number.MAX_SAFE_INTEGER }: { text: string; /** Where the terminal wraps it. */ width: number; rawLine: (text: string, width: number) => string; maxRows?: number }): React.ReactElement {
  const full = rowsOf(text, width);
  const rows = Math.max(1, Math.min(full, maxRows));
  const shown = rows < full ? `${[...text].slice(0, rows * width - 1).join('')}…` : text;
  return (
    <Box height={rows} flexShrink={0} flexDirection="column">
      <Text wrap="truncate-end">{rawLine(shown, width)}</Text>
    </Box>
  );
}

function PanelView({ panel, selected, expanded, noColor, rawLine, columns }: { panel: Panel; selected: boolean; expanded: boolean; noColor: boolean; rawLine?: (text: string, width: number) => string; columns: number }): React.ReactElement {
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
          <RawLine key={i} text={c} width={columns} rawLine={rawLine} />
        ) : (
          <Text key={i} color={noColor ? undefined : 'green'} wrap="wrap">
            {c}
          </Text>
        ),
      )}
      {/* Commands that only look come after the fix, under their own label, and y never copies them. */}
      {panel.inspect.length > 0 ? <Text dimColor={!noColor}>To look (changes nothing):</Text> : null}
      {panel.inspect.map((c, i) =>
        rawLine ? (
          <RawLine key={`inspect-${i}`} text={c} width={columns} rawLine={rawLine} />
        ) : (
          <Text key={`inspect-${i}`} wrap="wrap">
            {c}
          </Text>
        ),
      )}
    </Box>
  );
}

/** At most `max` lines, each cut to the width; the last one ends with … when lines were left out. */
function capLines(lines: readonly string[], max: number, width: number): string[] {
  return lines.slice(0, max).map((l, i) => fitLine(i === max - 1 && lines.length > max ? `${l}…` : l, width));
}

/** The verdict's note (identity passed by one path, a link broken) gets at most this many lines. */
const NOTE_LINES = 4;

const VERDICT_COLORS: Record<ScreenVerdict['status'], string> = { broken: 'red', warnings: 'yellow', healthy: 'green', interrupted: 'yellow' };

/** Where an element sits inside `container` (Yoga's layout, computed before effects run), in rows. */
function topIn(el: DOMElement | null, container: DOMElement | null): number | undefined {
  let top = 0;
  for (let n: DOMElement | undefined = el ?? undefined; n && n !== container; n = n.parentNode) top += n.yogaNode?.getComputedTop() ?? 0;
  return el && container ? top : undefined;
}

/** The scroll offset that shows rows [top, top+size) with the least movement from `scroll` (its top when it does not fit). */
export function reveal(scroll: number, view: number, top: number, size: number): number {
  if (top < scroll || size > view) return top;
  if (top + size > scroll + view) return top + size - view;
  return scroll;
}

export function App({ source, actions, notice, interactive, noColor, width, height, columns = width, showHeader = true, rawLine }: AppProps): React.ReactElement {
  const model = useSyncExternalStore(source.subscribe, source.model);
  const [frame, setFrame] = useState(0);
  const [selected, setSelected] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [help, setHelp] = useState(false);
  const [unfolded, setUnfolded] = useState(false);
  // Esc while checks run only arms the stop; a second Esc stops.
  const [escArmed, setEscArmed] = useState(false);
  // The viewport: its first row, and its and the content's heights as last laid out.
  const [scroll, setScroll] = useState(0);
  const [sizes, setSizes] = useState({ view: 0, content: 0 });
  const startedAt = useRef(new Map<string, number>());
  const viewRef = useRef<DOMElement>(null);
  const contentRef = useRef<DOMElement>(null);
  const checklistRef = useRef<DOMElement>(null);
  const panelRefs = useRef(new Map<string, DOMElement>());
  const followed = useRef('');
  // Whether the last layout showed the followed target where following puts it (the user had not scrolled away).
  const showedTarget = useRef(false);
  const now = Date.now();

  for (const r of model.rows) {
    if (r.status === 'running' && !startedAt.current.has(r.id)) startedAt.current.set(r.id, now);
    if (r.status === 'pending') startedAt.current.delete(r.id);
  }

  const running = !model.done;
  const verdict = model.verdict;
  const checklist = unfolded ? model.rows.map((row) => ({ kind: 'row' as const, row })) : foldedChecklist(model.rows);
  const scrolling = height !== undefined;
  const maxScroll = Math.max(0, sizes.content - sizes.view);
  const page = Math.max(1, sizes.view - 1);
  const scrollBy = (n: number): void => setScroll((s) => Math.max(0, Math.min(maxScroll, s + n)));

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setFrame((f) => f + 1), 100);
    return () => clearInterval(t);
  }, [running]);

  // After each layout: keep the viewport on what the user follows — the
  // selected problem once done, the check running now before — moving it only
  // when that target changes, so PgUp/PgDn and resizes are not undone. When
  // the viewport's height changes (a resize, a notice under it), the target
  // is revealed again only if the user was looking at it: a notice that
  // appears after PgUp does not pull the view back to the selected problem.
  useEffect(() => {
    if (!scrolling || !viewRef.current || !contentRef.current) return;
    const view = measureElement(viewRef.current).height;
    const content = measureElement(contentRef.current).height;
    if (view !== sizes.view || content !== sizes.content) setSizes({ view, content });
    let target: { key: string; top: number; size: number } | undefined;
    const panel = model.done ? model.panels[selected] : undefined;
    const panelEl = panel ? panelRefs.current.get(panel.key) : undefined;
    if (panel && panelEl) {
      const top = topIn(panelEl, contentRef.current);
      if (top !== undefined) target = { key: `panel:${panel.key}:${expanded.has(panel.key)}`, top, size: measureElement(panelEl).height };
    } else if (!model.done) {
      const at = checklist.findIndex((l) => l.kind === 'row' && l.row.status === 'running');
      const top = topIn(checklistRef.current, contentRef.current);
      if (at >= 0 && top !== undefined) target = { key: `row:${at}`, top: top + at, size: 1 };
    }
    const most = Math.max(0, content - view);
    let next = Math.min(scroll, most);
    if (target && (target.key !== followed.current || (view !== sizes.view && showedTarget.current))) {
      followed.current = target.key;
      next = Math.min(most, reveal(next, view, target.top, target.size));
    }
    showedTarget.current = target !== undefined && reveal(next, view, target.top, target.size) === next;
    if (next !== scroll) setScroll(next);
  });

  // Keys that arrive together (a paste, auto-repeat, SSH) reach the handler one
  // after the other before React renders again: it reads and writes this live
  // copy of the state, so each key sees what the one before it did.
  const live = useRef({ selected, expanded, help, escArmed });
  live.current = { selected, expanded, help, escArmed };
  const set = {
    selected: (n: number) => setSelected((live.current.selected = n)),
    expanded: (next: ReadonlySet<string>) => setExpanded((live.current.expanded = next)),
    help: (on: boolean) => setHelp((live.current.help = on)),
    escArmed: (on: boolean) => setEscArmed((live.current.escArmed = on)),
  };
  const toggled = (keys: ReadonlySet<string>, key: string): ReadonlySet<string> => {
    const next = new Set(keys);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  };

  const onKey = (input: string, key: Key): void => {
      const now = live.current;
      if (key.ctrl && input === 'c') return actions.interrupt();
      if (input === 'q') return actions.quit();
      if (input === '?') return set.help(!now.help);
      if (input === 'v') return setUnfolded((u) => !u);
      if (key.escape) {
        if (now.help) return set.help(false);
        const open = model.panels[now.selected];
        if (model.done && open && now.expanded.has(open.key)) return set.expanded(toggled(now.expanded, open.key));
        if (!model.done && !now.escArmed) return set.escArmed(true);
        return actions.quit();
      }
      if (now.escArmed) set.escArmed(false);
      // Paging works while checks run too: the checklist may already be taller than the window.
      if (key.pageUp) return scrollBy(-page);
      if (key.pageDown) return scrollBy(page);
      if (!model.done) return;
      const last = model.panels.length - 1;
      const selectedPanel = model.panels[now.selected];
      // Past the first or the last problem, the arrows scroll: the checklist above stays reachable.
      if (key.upArrow) {
        if (now.selected <= 0) scrollBy(-1);
        else set.selected(now.selected - 1);
      } else if (key.downArrow) {
        if (now.selected >= last) scrollBy(1);
        else set.selected(now.selected + 1);
      } else if (key.return) {
        if (selectedPanel) set.expanded(toggled(now.expanded, selectedPanel.key));
      } else if (input === 'r') {
        set.selected(0);
        set.expanded(new Set());
        actions.rerun();
      } else if (input === 'c') actions.copy();
      else if (input === 'y') {
        if (selectedPanel) actions.copyFix?.(selectedPanel.commands);
      } else if (input === 's') actions.save();
  };

  useInput(
    (input, key) => {
      // Ink hands plain characters that arrived in one read as one string ("\ry"): one key each.
      const chars = [...input];
      if (chars.length > 1 && !key.ctrl && !key.meta) {
        for (const ch of chars) onKey(ch, { ...key, return: ch === '\r' || ch === '\n' });
      } else onKey(input, key);
    },
    { isActive: interactive },
  );

  const keys = help && interactive ? (
    <Box flexDirection="column" marginTop={scrolling ? 0 : 1} flexShrink={0}>
      <Text bold>Keys</Text>
      {KEY_HELP.map((k) => (
        <Text key={k} wrap="truncate-end">
          {'  '}
          {k}
        </Text>
      ))}
    </Box>
  ) : null;

  const content = (
    <Box ref={contentRef} flexDirection="column" flexShrink={0} marginTop={scrolling ? -scroll : 0}>
      {showHeader ? <Header model={model} noColor={noColor} width={width} /> : null}
      <Box ref={checklistRef} flexDirection="column" flexShrink={0}>
        {checklist.map((l) =>
          l.kind === 'row' ? (
            <Row key={l.row.id} row={l.row} frame={frame} startedAt={startedAt.current.get(l.row.id)} noColor={noColor} now={now} width={width} />
          ) : (
            <Text key={l.key} dimColor={!noColor}>
              {fitLine(`${MARKERS.skip} ${l.text}${interactive ? ' (v shows them)' : ''}`, width)}
            </Text>
          ),
        )}
      </Box>
      {model.summaryLine ? (
        <Box marginTop={1} flexShrink={0}>
          <Text bold>{model.summaryLine}</Text>
        </Box>
      ) : null}
      {model.panels.map((p, i) => (
        <Box
          key={p.key}
          flexDirection="column"
          flexShrink={0}
          ref={(el: DOMElement | null) => {
            if (el) panelRefs.current.set(p.key, el);
            else panelRefs.current.delete(p.key);
          }}
        >
          <PanelView panel={p} selected={interactive && i === selected} expanded={expanded.has(p.key)} noColor={noColor} rawLine={rawLine} columns={columns} />
        </Box>
      ))}
    </Box>
  );

  // The position in the content, when it is taller than the viewport.
  const position = scrolling && sizes.content > sizes.view && sizes.view > 0 ? ` · ↕ ${scroll + 1}–${Math.min(sizes.content, scroll + sizes.view)}/${sizes.content}` : '';
  const verdictRows = Math.max(2, Math.floor((height ?? 24) / 4));
  const noteLines = verdict?.note ? wrapLine(verdict.note, width).split('\n') : [];

  return (
    <Box flexDirection="column" width={width} {...(scrolling ? { height } : {})}>
      {scrolling ? (
        <Box ref={viewRef} flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
          {keys ?? content}
        </Box>
      ) : (
        <>
          {content}
          {keys}
        </>
      )}
      {escArmed && !model.done ? (
        <Text color={noColor ? undefined : 'yellow'} wrap="truncate-end">
          Checks are still running: press Esc again to stop, any other key to go on.
        </Text>
      ) : null}
      {notice ? (
        // Wrapped, not cut: it may name the file a report was saved to. It
        // keeps all its rows: shrunk with the viewport, it changed the
        // viewport's height as it scrolled, and that snapped PgUp back to the
        // selected problem.
        <Box flexShrink={0}>
          <Text color={noColor ? undefined : 'cyan'} wrap="wrap">
            {notice}
          </Text>
        </Box>
      ) : null}
      {(model.done && interactive) || position ? (
        <Box flexDirection="column" flexShrink={0}>
          <Text dimColor={!noColor} wrap="truncate-end">
            {model.done && interactive ? (model.panels.length > 0 ? '↑/↓ select · enter evidence · y copy fix · ? keys' : '↑/↓ scroll · ? keys') : 'PgUp/PgDn scroll'}
          </Text>
          <Text dimColor={!noColor} wrap="truncate-end">
            {model.done && interactive ? 'r re-run · c copy report · s save · q quit' : 'checks running'}
            {position}
          </Text>
        </Box>
      ) : null}
      {verdict ? (
        // Last, so it stays on the bottom lines of the window; its command unbroken for copying.
        <Box flexDirection="column" flexShrink={0}>
          {rawLine && verdict.command ? (
            <RawLine text={verdict.line} width={columns} rawLine={rawLine} maxRows={verdictRows} />
          ) : (
            // Wrapped, not cut: the code comes after the title, and titles can be long.
            <Text bold color={noColor ? undefined : VERDICT_COLORS[verdict.status]}>
              {capLines(wrapLine(verdict.line, width).split('\n'), verdictRows, width).join('\n')}
            </Text>
          )}
          {capLines(noteLines, NOTE_LINES, width).map((l, i) => (
            <Text key={i} wrap="truncate-end">
              {l}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
