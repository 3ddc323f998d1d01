// Reads JSON reports named on the command line (files, or directories of
// *.json for summarize) and parses them; a file that is not a report is
// refused with what is wrong with it.
import { basename, join, resolve } from 'node:path';
import type { FilesAdapter } from '../../adapters/files.js';
import { MAX_REPORT_BYTES, parseReport, ReportParseError, type ParsedReport } from '../../core/report/parse.js';

/** A fleet larger than this is a directory picked by mistake. */
export const MAX_REPORTS = 5000;

export class ReportLoadError extends Error {}

export async function loadReport(files: FilesAdapter, cwd: string, name: string, label = name): Promise<ParsedReport> {
  const path = resolve(cwd, name);
  const read = await files.readText(path, MAX_REPORT_BYTES);
  if (!read.ok) throw new ReportLoadError(`${name}: ${read.reason}`);
  try {
    return parseReport(read.text, label);
  } catch (err) {
    if (err instanceof ReportParseError) throw new ReportLoadError(`${name}: ${err.reason}`);
    throw err;
  }
}

/** Files as given; a directory contributes its *.json files (not recursively), sorted. */
export async function expandReportPaths(files: FilesAdapter, cwd: string, names: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    const probe = await files.probe(resolve(cwd, name));
    if (probe.kind === 'dir') {
      const json = probe.entries.filter((e) => /\.json$/i.test(e));
      if (json.length === 0) throw new ReportLoadError(`${name}: a directory with no .json reports`);
      out.push(...json.map((e) => join(name, e)));
    } else if (probe.kind === 'missing') {
      throw new ReportLoadError(`${name}: no such file or directory`);
    } else if (probe.kind === 'unreadable') {
      throw new ReportLoadError(`${name}: ${probe.reason}`);
    } else {
      out.push(name);
    }
    if (out.length > MAX_REPORTS) throw new ReportLoadError(`more than ${MAX_REPORTS} reports`);
  }
  return out;
}

/** The host a report stands for: its file name without .json. */
export function hostLabel(path: string): string {
  return basename(path).replace(/\.json$/i, '');
}
