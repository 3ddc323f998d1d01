import type { Format } from '../options.js';
import type { Redactor } from '../redact.js';
import type { RunReport } from '../types.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';
import { visibleText } from './sanitize.js';

export type FileFormat = Exclude<Format, 'tty'>;

/** A whole report, redacted, with nothing in it that steers a terminal (fields are sanitised too; this is the last guard). `width` folds text reports (default: a pipe's 100 columns). */
export function renderReport(format: FileFormat, report: RunReport, redactor: Redactor, width?: number): string {
  switch (format) {
    case 'json':
      return renderJson(report, redactor);
    case 'md':
      return visibleText(renderMarkdown(report, redactor));
    case 'text':
      return visibleText(renderText(report, redactor, width));
  }
}

/**
 * The format of a report file: a known extension decides (the screen and the
 * file are separate concerns), else --format, else Markdown for tickets.
 */
export function fileFormatFor(path: string, format: Format | undefined): FileFormat {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.(md|markdown)$/i.test(path)) return 'md';
  if (/\.(txt|log)$/i.test(path)) return 'text';
  return format && format !== 'tty' ? format : 'md';
}
