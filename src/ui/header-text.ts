// The screen's first frame as plain terminal text — the header and the
// checklist, every row still pending — written before Ink and React load
// (they take ~100 ms to load and ~60 ms more for their first render), so the
// checklist is on the screen at once. Ink's first frame then redraws the same
// lines in place; the helpers here are the ones the Ink screen draws with.
import { MARKERS, foldedChecklist, type ScreenModel } from '../core/view-model.js';

/** The screen's width: the terminal's, read again on every resize. */
export function screenWidth(columns: number | undefined): number {
  return Math.max(40, Math.min(columns ?? 80, 120));
}

/** Fits text into `width` cells, ending with … when cut (one cell per code point is close enough here). */
export function fitLine(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** The header and the checklist as the Ink screen draws them before any check has a result. */
export function firstFrameText(model: ScreenModel, noColor: boolean, columns: number | undefined): string {
  const width = screenWidth(columns);
  const dim = (t: string): string => (noColor ? t : `\u001b[90m${t}\u001b[39m`);
  const lines = foldedChecklist(model.rows).map((l) =>
    l.kind === 'row' ? `${dim(MARKERS[l.row.status])} ${fitLine(l.row.title, width - 2)}` : dim(fitLine(`${MARKERS.skip} ${l.text}`, width)),
  );
  return `${headerText(model, noColor, width)}${lines.join('\n')}\n`;
}

export function headerText(model: ScreenModel, noColor: boolean, width: number): string {
  const title = `${model.tool.name} ${model.tool.version}`;
  const styled = noColor ? title : `\u001b[1m\u001b[36m${title}\u001b[39m\u001b[22m`;
  return `${styled}\n${wrapFacts(model.header.map((h) => `${h.label}: ${h.value}`), width).join('\n')}\n\n`;
}

/** Joins facts with " · ", breaking lines between facts so none is cut mid-word. */
export function wrapFacts(facts: string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const fact of facts) {
    const next = line ? `${line} · ${fact}` : fact;
    if ([...next].length <= width || !line) line = next;
    else {
      lines.push(line);
      line = fact;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** NO_COLOR (any non-empty value) turns colour off: https://no-color.org */
export function noColorRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.NO_COLOR);
}

/**
 * Whether the environment names a CI log (CI or CONTINUOUS_INTEGRATION set and
 * not "0" or "false"), read as Ink reads it (the is-in-ci package): there Ink
 * draws only the last frame, at exit, so a screen waiting for keys would show
 * nothing new until then.
 */
export function ciLogRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((key) => key in env && env[key] !== '0' && env[key] !== 'false');
}
