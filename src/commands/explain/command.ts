// `dbiam-doctor explain "<pasted error>"` (or `-` for standard input): says,
// offline, which link of the chain an error from any client points at, in
// the finding codes a live run uses. Exit 0 when every error was recognised,
// 1 when something was not, 2 on usage errors.
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../adapters/files.js';
import { readSystemFacts, TOOL_NAME } from '../../adapters/system.js';
import { ALL_CHECKS, codeSpecs } from '../../checks/catalogue.js';
import type { CliIO } from '../io.js';
import { allRecognised, detectClients, explainError } from '../../core/explain/index.js';
import type { DoctorOptions } from '../../core/options.js';
import { Redactor } from '../../core/redact.js';
import { fileFormatFor, type FileFormat } from '../../core/report/index.js';
import { inertJson, visibleText } from '../../core/report/sanitize.js';
import { registerEnvironmentSecrets } from '../doctor/secrets.js';
import { buildView, ownersOf, renderExplainJson, renderExplainMarkdown, renderExplainText, type ExplainView } from './render.js';

/** Pasted errors are short; a megabyte is a wrong file, not an error message. */
const MAX_INPUT = 1024 * 1024;

/** Text, not a binary file: no NUL, and few control characters (tabs and line ends aside). */
function binaryReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'it contains NUL bytes';
  const sample = text.slice(0, 64 * 1024);
  let odd = 0;
  for (const ch of sample) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) odd++;
  }
  return sample.length > 0 && odd / sample.length > 0.1 ? `${Math.round((odd / sample.length) * 100)} % of it is control characters or undecodable bytes` : undefined;
}

export interface ExplainCommandInput {
  options: DoctorOptions;
  io: CliIO;
}

class InputError extends Error {}

/** Reads standard input to its end (io.stdin is any readable stream, so tests hand in their own). */
async function readStream(stream: AsyncIterable<unknown>): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > MAX_INPUT) throw new InputError(`standard input is larger than ${MAX_INPUT} bytes; paste the error itself`);
  }
  return text;
}

async function pastedText(options: DoctorOptions, io: CliIO): Promise<string> {
  const arg = options.errorText;
  if (arg === undefined) throw new InputError(`'explain' needs the error text (or - to read it from standard input)`);
  if (arg !== '-') return arg;
  if (!io.stdin) throw new InputError('no standard input to read the error from');
  if (io.stdin.isTTY) io.stderr.write('Paste the error, then press Ctrl+D (Ctrl+Z, Enter on Windows):\n');
  return readStream(io.stdin);
}

function render(format: FileFormat, view: ExplainView, redactor: Redactor): string {
  // Everything is redacted once more as a whole: a pasted error may hold tokens or passwords anywhere.
  // And shown inert: a pasted error may carry terminal control sequences (see core/report/sanitize.ts).
  if (format === 'json') return inertJson(renderExplainJson(view, redactor));
  if (format === 'md') return visibleText(redactor.redact(renderExplainMarkdown(view)));
  return visibleText(redactor.redact(renderExplainText(view)));
}

export async function runExplainCommand({ options, io }: ExplainCommandInput): Promise<number> {
  const system = io.system ?? readSystemFacts();
  const redactor = new Redactor({ maskIdentifiers: options.redact, homeDir: system.homeDir, userName: system.userName, hostName: system.hostName });
  registerEnvironmentSecrets(io.env, redactor);

  let text: string;
  try {
    text = await pastedText(options, io);
    if (text.trim() === '') throw new InputError(text === '' ? 'nothing to explain: the error text is empty' : 'nothing to explain: the error text is only white space');
    if (text.length > MAX_INPUT) throw new InputError(`the error text is ${text.length} characters, larger than ${MAX_INPUT}; paste the error itself (the last lines of a log hold it)`);
    const binary = binaryReason(text);
    if (binary) throw new InputError(`this does not look like error text (${binary}); paste the error as the client printed it`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.stderr.write(`${TOOL_NAME}: ${err.message}\n`);
    return 2;
  }

  const checks = io.checks ?? ALL_CHECKS;
  // The catalogue owns every fix text: explain says the same as the doctor.
  const explanations = explainError(text, { specs: codeSpecs(checks) });
  const view = buildView({ tool: { name: TOOL_NAME, version: system.toolVersion }, text, clients: detectClients(text), explanations, owners: ownersOf(checks) }, redactor);
  const format = options.format ?? (io.stdout.isTTY ? 'tty' : 'text');
  io.stdout.write(render(format === 'tty' ? 'text' : format, view, redactor));

  if (options.output) {
    const path = resolve(io.cwd, options.output);
    try {
      const say = (m: string): void => void io.stderr.write(`${redactor.redact(`${TOOL_NAME}: ${m}`)}\n`);
      await writeFileAtomic(path, render(fileFormatFor(path, options.format), view, redactor), undefined, { say });
    } catch (err) {
      io.stderr.write(`${redactor.redact(`${TOOL_NAME}: cannot write ${path}: ${(err as Error).message}`)}\n`);
      return 1;
    }
  }
  return allRecognised(explanations) ? 0 : 1;
}
