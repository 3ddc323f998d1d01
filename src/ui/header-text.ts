// The screen's header as plain terminal text, written before Ink loads so the
// first frame appears at once (Ink and React take ~75 ms to load).
import type { ScreenModel } from '../core/view-model.js';

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
