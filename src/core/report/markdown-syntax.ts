// Markdown pieces every Markdown output uses, so escaping is done one way.
// Values from users and servers must stay text when the report is pasted
// into GitHub, GitLab or Jira: no HTML, no links or images, no code fence
// they can close, no terminal control characters (see sanitize.ts).
import { visibleLine, visibleText } from './sanitize.js';

/** Characters Markdown or HTML would act on inside running text. */
function inertMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`~])/g, '\\$1')
    // `[text](url)`, `[text][ref]`, `[ref]: url`: a `]` that would start a link target is escaped, so no link forms.
    .replace(/\](?=[([:])/g, '\\]');
}

/** Escapes text for a table cell: one line, no HTML, no link, pipes cannot split it. */
export function cell(text: string): string {
  return visibleText(text)
    .split('\n')
    .map((l) => inertMarkdown(visibleLine(l)).replace(/\|/g, '\\|'))
    .join('<br>');
}

/** Longest run of `ch` in `text`. */
function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** Inline code that survives backticks inside the text: the fence is longer than any backtick run. */
export function code(text: string): string {
  const body = visibleLine(text);
  const fence = '`'.repeat(longestRun(body, '`') + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || fence.length > 1 ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Text outside tables (titles, details, fixes): HTML, links, emphasis and fences neutralised, lines kept. */
export function prose(text: string): string {
  return visibleText(text)
    .split('\n')
    .map((l) => inertMarkdown(l))
    .join('\n');
}

/** A code block whose fence is longer than any backtick or tilde run inside, so no line can close it. */
export function fenced(lines: string[], info = 'sh'): string {
  const body = lines.map((l) => visibleLine(l)).join('\n');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1, longestRun(body, '~') + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}
