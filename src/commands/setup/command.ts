// `dbiam-doctor setup`: the artifacts a first IAM database setup needs.
// With --answers FILE it asks nothing: the artifacts go to stdout, or with
// --out DIR into files (naming the directory is the confirmation). Without it,
// the Ink wizard asks, shows, saves on request and runs the doctor at the end.
import { resolve } from 'node:path';
import { jsonErrorPlace } from '../../core/json-syntax.js';
import { localFiles } from '../../adapters/files.js';
import { applyWrites, planWrites, type WriteOutcome, type WritePlan } from '../../adapters/artifact-files.js';
import { TOOL_NAME, type SystemFacts } from '../../adapters/system.js';
import type { CliIO } from '../io.js';
import { ciLogRequested } from '../../ui/header-text.js';
import type { DoctorOptions } from '../../core/options.js';
import { AnswersError, validateAnswers, type SetupAnswers } from '../../core/setup/answers.js';
import { buildArtifacts, type Artifact } from '../../core/setup/artifacts.js';

export interface SetupCommandInput {
  options: DoctorOptions;
  io: CliIO;
  system?: SystemFacts;
  /** Runs the doctor (main) with other streams/argv: the wizard's last step. */
  runDoctor?: (io: CliIO) => Promise<number>;
}

const MAX_ANSWERS_BYTES = 1024 * 1024;

export async function loadAnswers(path: string): Promise<SetupAnswers> {
  let text: string;
  try {
    // Regular files only, capped: a FIFO or /dev/zero given as --answers must not block or fill memory.
    const read = await localFiles.readBytes(path, MAX_ANSWERS_BYTES + 1);
    if (!read.ok) throw new AnswersError('(answers)', `cannot read ${path} (${read.reason})`);
    const buf = read.bytes;
    if (buf.length > MAX_ANSWERS_BYTES) throw new AnswersError('(answers)', `${path} is ${buf.length} bytes; an answers file is a small JSON object`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof AnswersError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AnswersError('(answers)', `cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AnswersError('(answers)', `${path} is not valid JSON (${jsonErrorPlace(text, err as Error)})`);
  }
  return validateAnswers(raw);
}

/** The artifacts as one text: each under a heading, for stdout. */
export function renderArtifacts(artifacts: readonly Artifact[]): string {
  return artifacts.map((a) => `==> ${a.file}: ${a.title}\n${a.content}`).join('\n');
}

export function describeOutcome(o: WriteOutcome, plan: WritePlan | undefined): string[] {
  if (o.action === 'created') return [`created   ${o.path}`];
  if (o.action === 'unchanged') return [`unchanged ${o.path}`];
  return [`replaced  ${o.path} (previous content kept in ${o.backup})`, ...(plan && plan.action === 'replace' ? plan.diff.map((l) => `    ${l}`) : [])];
}

export function nextStepText(outDir: string): string {
  return `Next: cd ${JSON.stringify(outDir)} && npx ${TOOL_NAME}   (the doctor reads ./dbiam-doctor.json there and checks what setup configured)`;
}

/** Writes the artifacts into `dir`; returns the lines to print. */
export async function saveArtifacts(dir: string, artifacts: readonly Artifact[]): Promise<string[]> {
  const plans = await planWrites(dir, artifacts);
  const outcomes = await applyWrites(dir, plans);
  return outcomes.flatMap((o, i) => describeOutcome(o, plans[i]));
}

export async function runSetupCommand({ options, io, system, runDoctor }: SetupCommandInput): Promise<number> {
  if (options.answers) {
    let answers: SetupAnswers;
    try {
      answers = await loadAnswers(resolve(io.cwd, options.answers));
    } catch (err) {
      if (err instanceof AnswersError) {
        io.stderr.write(`${TOOL_NAME} setup: ${options.answers}: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    const artifacts = buildArtifacts(answers);
    if (!options.out) {
      io.stdout.write(renderArtifacts(artifacts));
      io.stderr.write(`Nothing written: add --out DIR to save these files.\n`);
      return 0;
    }
    const dir = resolve(io.cwd, options.out);
    try {
      const lines = await saveArtifacts(dir, artifacts);
      io.stdout.write(`${lines.join('\n')}\n${nextStepText(dir)}\n`);
      return 0;
    } catch (err) {
      io.stderr.write(`${TOOL_NAME} setup: could not write to ${dir}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  const stdin = io.stdin ?? process.stdin;
  if (stdin.isTTY !== true || typeof stdin.setRawMode !== 'function') {
    io.stderr.write(`${TOOL_NAME} setup: the wizard needs a terminal; without one, pass --answers FILE (see examples/answers.json) and --out DIR\n`);
    return 2;
  }
  if (ciLogRequested(io.env)) {
    // Ink draws nothing until exit there: the wizard's questions would never show.
    io.stderr.write(`${TOOL_NAME} setup: CI is set, and in a CI log the wizard cannot draw its questions; pass --answers FILE (see examples/answers.json) and --out DIR, or run it with CI unset\n`);
    return 2;
  }
  // Ink and React load only for the wizard.
  const { runSetupWizard } = await import('../../ui/setup/run.js');
  return runSetupWizard({ options, io, system, runDoctor });
}
