// `dbiam-doctor summarize REPORTS…`: one table for a fleet of JSON reports
// (files, or directories of them). Hosts are named after their report files.
// Exit 0 when every host holds, 1 when one has a broken link, 2 on a bad file.
import { resolve } from 'node:path';
import { localFiles, writeFileAtomic } from '../../adapters/files.js';
import { readSystemFacts, TOOL_NAME } from '../../adapters/system.js';
import { summarizeFleet, type FleetSummary } from '../../core/fleet.js';
import type { DoctorOptions } from '../../core/options.js';
import { Redactor } from '../../core/redact.js';
import { fileFormatFor, type FileFormat } from '../../core/report/index.js';
import { inertJson, visibleText } from '../../core/report/sanitize.js';
import type { ParsedReport } from '../../core/report/parse.js';
import { expandReportPaths, hostLabel, loadReport, ReportLoadError } from '../diff/load.js';
import type { CliIO } from '../io.js';
import { renderFleetJson, renderFleetMarkdown } from './render.js';

export interface SummarizeCommandInput {
  options: DoctorOptions;
  io: CliIO;
}

function render(format: FileFormat, s: FleetSummary, redactor: Redactor): string {
  if (format === 'json') return inertJson(`${JSON.stringify(redactor.redactValue(JSON.parse(renderFleetJson(s))), null, 2)}\n`);
  return visibleText(redactor.redact(renderFleetMarkdown(s)));
}

export async function runSummarizeCommand({ options, io }: SummarizeCommandInput): Promise<number> {
  const system = io.system ?? readSystemFacts();
  const redactor = new Redactor({ maskIdentifiers: options.redact, homeDir: system.homeDir, userName: system.userName, hostName: system.hostName });
  let reports: { host: string; report: ParsedReport }[];
  try {
    const paths = await expandReportPaths(localFiles, io.cwd, options.reportFiles);
    const labels = paths.map(hostLabel);
    // Two files with one name (a/pod.json, b/pod.json) keep their paths to stay apart.
    const unique = (i: number): string => (labels.filter((l) => l === labels[i]).length > 1 ? (paths[i] as string) : (labels[i] as string));
    reports = [];
    for (const [i, path] of paths.entries()) reports.push({ host: unique(i), report: await loadReport(localFiles, io.cwd, path, unique(i)) });
  } catch (err) {
    if (!(err instanceof ReportLoadError)) throw err;
    io.stderr.write(`${redactor.redact(`${TOOL_NAME}: ${err.message}`)}\n`);
    return 2;
  }
  const summary = summarizeFleet(reports);
  const format = options.format === 'json' ? 'json' : 'md';
  io.stdout.write(render(format, summary, redactor));
  if (options.output) {
    const path = resolve(io.cwd, options.output);
    try {
      await writeFileAtomic(path, render(fileFormatFor(path, options.format) === 'json' ? 'json' : 'md', summary, redactor));
    } catch (err) {
      io.stderr.write(`${redactor.redact(`${TOOL_NAME}: cannot write ${path}: ${(err as Error).message}`)}\n`);
      return 2;
    }
  }
  return summary.healthy.length === summary.hosts.length ? 0 : 1;
}
