// `dbiam-doctor diff A.json B.json`: where does run B depart from run A?
// Exit 0 when B is no worse, 1 when it is, 2 when a file is not a report.
import { resolve } from 'node:path';
import { localFiles, writeFileAtomic } from '../../adapters/files.js';
import { readSystemFacts, TOOL_NAME } from '../../adapters/system.js';
import type { DoctorOptions } from '../../core/options.js';
import { Redactor } from '../../core/redact.js';
import { compareReports, type ReportDiff } from '../../core/report/compare.js';
import { fileFormatFor, type FileFormat } from '../../core/report/index.js';
import { inertJson, visibleText } from '../../core/report/sanitize.js';
import type { CliIO } from '../io.js';
import { loadReport, ReportLoadError } from './load.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from './render.js';

export interface DiffCommandInput {
  options: DoctorOptions;
  io: CliIO;
}

function render(format: FileFormat, diff: ReportDiff, redactor: Redactor): string {
  // The reports were redacted when written; this pass adds --redact's masking and catches what an older version let through.
  if (format === 'json') return inertJson(`${JSON.stringify(redactor.redactValue(JSON.parse(renderDiffJson(diff))), null, 2)}\n`);
  return visibleText(redactor.redact(format === 'md' ? renderDiffMarkdown(diff) : renderDiffText(diff)));
}

export async function runDiffCommand({ options, io }: DiffCommandInput): Promise<number> {
  const system = io.system ?? readSystemFacts();
  const redactor = new Redactor({ maskIdentifiers: options.redact, homeDir: system.homeDir, userName: system.userName, hostName: system.hostName });
  const [nameA, nameB] = options.reportFiles;
  if (nameA === undefined || nameB === undefined) {
    io.stderr.write(`${TOOL_NAME}: 'diff' needs two JSON reports: diff A.json B.json\n`);
    return 2;
  }
  let diff: ReportDiff;
  try {
    diff = compareReports(await loadReport(localFiles, io.cwd, nameA), await loadReport(localFiles, io.cwd, nameB));
  } catch (err) {
    if (!(err instanceof ReportLoadError)) throw err;
    io.stderr.write(`${redactor.redact(`${TOOL_NAME}: ${err.message}`)}\n`);
    return 2;
  }
  const format = options.format === undefined || options.format === 'tty' ? 'text' : options.format;
  io.stdout.write(render(format, diff, redactor));
  if (options.output) {
    const path = resolve(io.cwd, options.output);
    try {
      await writeFileAtomic(path, render(fileFormatFor(path, options.format), diff, redactor));
    } catch (err) {
      io.stderr.write(`${redactor.redact(`${TOOL_NAME}: cannot write ${path}: ${(err as Error).message}`)}\n`);
      return 2;
    }
  }
  return diff.secondWorse ? 1 : 0;
}
