// Markdown pieces every Markdown output uses, so escaping is done one way.

/** Escapes text for a table cell: pipes split cells, newlines end rows. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** Text outside tables: neutralise HTML so a pasted value cannot become markup. */
export function prose(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function fenced(lines: string[]): string {
  const body = lines.join('\n');
  const fence = body.includes('```') ? '~~~~' : '```';
  return `${fence}sh\n${body}\n${fence}`;
}
