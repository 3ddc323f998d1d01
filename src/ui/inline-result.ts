// What stays in the terminal's history once the screen (alternate screen) closes:
// the summary line, then each problem with its first fix command on a line of
// its own (or its fix in words when it has no command).
import { shortFix } from '../core/report/verdict.js';
import { MARKERS, type ScreenModel } from '../core/view-model.js';

export function inlineResult(model: ScreenModel): string {
  const out: string[] = [`${model.tool.name} ${model.tool.version}`];
  if (model.summaryLine) out.push(model.summaryLine);
  else out.push('Stopped before the checks finished.');
  for (const p of model.panels) {
    if (p.status === 'pass') continue;
    out.push(`${MARKERS[p.status]} ${p.title} (${p.code} · ${p.checkTitle})`);
    // Unindented and unwrapped: a selection copies the command alone. A fix
    // with no command is said in words, as the verdict says it.
    if (p.commands[0]) out.push(p.commands[0]);
    else if (p.fixText) out.push(`→ ${shortFix(p.fixText)}`);
  }
  // The verdict's own words where the problems alone would mislead: a healthy
  // run's path, or an identity query that passed while a link is broken.
  if (model.verdict?.status === 'healthy') out.push(model.verdict.line);
  if (model.verdict?.note) out.push(model.verdict.note);
  return `${out.join('\n')}\n`;
}
