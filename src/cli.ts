// Parses the command line and dispatches to a command. Everything the
// commands touch outside the process comes in through `CliIO` and adapters.
import { localFiles } from './adapters/files.js';
import { ociModulesFor } from './adapters/oci-warm.js';
import { doctorConfigCandidates, readDoctorConfig } from './adapters/doctor-config.js';
import { keyPairsStartedNow } from './adapters/rsa-key-pair.js';
import { readSystemFacts, TOOL_NAME, TOOL_VERSION } from './adapters/system.js';
import { CHECK_INDEX } from './checks/check-index.js';
import type { DoctorCheck, DoctorDeps } from './checks/deps.js';
import { keepDemoCompiledCode } from './commands/demo/compile-cache.js';
import { catalogueSpecs, checksToRun, keyPairsAhead } from './commands/doctor/checks.js';
import type { CliIO } from './commands/io.js';
import { resolveOptions, usage, UsageError, validateSelection, type CommandName, type DoctorOptions } from './core/options.js';
import { redactByShape } from './core/redact.js';
import { matches } from './core/selection.js';
import { guardStream } from './core/report/sanitize.js';

/** The commands the doctor config file supplies options to (not explain, checks, diff, summarize, help). */
const CONFIG_READERS: readonly CommandName[] = ['doctor', 'demo', 'setup', 'policy'];
/** A usage error that is the config file's, not the command line's: the help would not fix it. */
class ConfigFileError extends UsageError {}

function readsDoctorConfig(options: DoctorOptions): boolean {
  return CONFIG_READERS.includes(options.command) && !options.help && !options.version;
}

function helpHint(command: CommandName | undefined): string {
  return `Run '${TOOL_NAME} help${command && command !== 'doctor' ? ` ${command}` : ''}' for the options.`;
}

type DoctorModules = typeof import('./commands/doctor/load.js');
/** Commands that never run checks: they do not load the doctor's modules. */
const WITHOUT_CHECKS: readonly string[] = ['policy', 'explain', 'diff', 'summarize', 'help'];

/**
 * The doctor's modules (the live facts, the run's session and its reports) are
 * much of the bundle's start-up code, and `policy explain`, `explain`, `diff`
 * and `summarize` never use them: they load on demand. For a run that will use
 * them, loading starts before the command line is parsed, as a static import
 * did; the checks (checksToRun) load beside them once the selection is known.
 */
function doctorModules(argv: readonly string[]): () => Promise<DoctorModules> {
  let loading: Promise<DoctorModules> | undefined;
  const load = (): Promise<DoctorModules> => (loading ??= import('./commands/doctor/load.js'));
  // Marked handled: a run that ends early (help, a usage error) never awaits it.
  if (!WITHOUT_CHECKS.includes(argv[0] ?? '')) load().catch(() => undefined);
  return load;
}

export async function main(given: CliIO): Promise<number> {
  // Every write to stdout/stderr is shown inert (see core/report/sanitize.ts); Ink and OSC 52 use `.raw`.
  const io: CliIO = { ...given, stdout: guardStream(given.stdout), stderr: guardStream(given.stderr) };
  const system = io.system ?? readSystemFacts();
  // Before anything heavy loads: a demo keeps the compiled code of what it loads.
  if (io.compileCache) keepDemoCompiledCode(io.argv, io.env, system.homeDir, io.compileCache);
  const doctor = doctorModules(io.argv);
  let options: DoctorOptions;
  try {
    options = resolveOptions({ argv: io.argv, env: io.env });
    if (readsDoctorConfig(options)) {
      // Read only for the commands it configures: a broken file must not stop explain, checks, diff or help.
      try {
        const configFile = readDoctorConfig(doctorConfigCandidates(io.cwd, io.env, system.homeDir));
        options = resolveOptions({ argv: io.argv, env: io.env, configFile });
      } catch (err) {
        // The same argv and environment parsed above: what fails now is the file's.
        if (err instanceof UsageError) throw new ConfigFileError(err.message);
        throw err;
      }
    }
    if (options.help || options.command === 'help') {
      const topic = options.command === 'help' ? options.helpTopic : options.command;
      io.stdout.write(`${usage(topic === 'doctor' ? undefined : topic)}\n`);
      return 0;
    }
    if (options.version) {
      io.stdout.write(`${TOOL_NAME} ${TOOL_VERSION}\n`);
      return 0;
    }
    // Checked against the check index, not the checks: they load once the selection is known.
    if (options.only.length > 0 || options.skip.length > 0) validateSelection(options, io.checks ?? CHECK_INDEX);
  } catch (err) {
    if (err instanceof UsageError) {
      // One line that says what is wrong, and where the help is: not the whole usage.
      // It may quote a value (`--dsn user/password@…`): secrets by shape never reach stderr.
      io.stderr.write(`${TOOL_NAME}: ${redactByShape(err.message)}\n${err instanceof ConfigFileError ? '' : `${helpHint(err.command)}\n`}`);
      return 2;
    }
    throw err;
  }

  if (options.command === 'demo') {
    // The simulator (and node-forge) load only for the demo.
    const { runDemoCommand } = await import('./commands/demo/command.js');
    try {
      return await runDemoCommand({ options, io, system, runDoctor: (demoIo) => main(demoIo), ...(io.demoCustomize ? { customize: io.demoCustomize } : {}) });
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr.write(`${TOOL_NAME}: ${redactByShape(err.message)}\n`);
        return 2;
      }
      throw err;
    }
  }

  if (options.command === 'policy') {
    const { runPolicyExplainCommand } = await import('./commands/policy-explain/command.js');
    return runPolicyExplainCommand({ options, io });
  }

  if (options.command === 'explain') {
    const { runExplainCommand } = await import('./commands/explain/command.js');
    return runExplainCommand({ options, io });
  }

  if (options.command === 'setup') {
    const { runSetupCommand } = await import('./commands/setup/command.js');
    return runSetupCommand({ options, io, system, runDoctor: (doctorIo) => main(doctorIo) });
  }

  if (options.command === 'diff') {
    const { runDiffCommand } = await import('./commands/diff/command.js');
    return runDiffCommand({ options, io });
  }

  if (options.command === 'summarize') {
    const { runSummarizeCommand } = await import('./commands/summarize/command.js');
    return runSummarizeCommand({ options, io });
  }

  if (options.command === 'checks') {
    const checks = io.checks ?? (await import('./checks/catalogue.js')).ALL_CHECKS;
    const { renderChecksJson, renderChecksText, renderFindingsDoc } = await import('./commands/checks/render.js');
    const render = options.format === 'json' ? renderChecksJson : options.format === 'md' ? renderFindingsDoc : renderChecksText;
    // --only lists the checks it names, as the doctor would run them (not what they wait for).
    io.stdout.write(render(options.only.length > 0 ? checks.filter((c) => matches(c, options.only)) : checks));
    return 0;
  }

  if (options.printJob) {
    const { printJob } = await import('./commands/setup/print-job.js');
    return printJob(options, io, system.toolVersion);
  }

  // The DB token's key pair is made on libuv's pool while the run's modules
  // load and OCI answers, rather than when the token check gets to it.
  const newKeyPair = io.newKeyPair ?? (io.factsFor ? undefined : keyPairsStartedNow(keyPairsAhead(options, io.checks)));
  // The selected checks load while the run's other modules do.
  const selected = io.checks ? Promise.resolve(io.checks) : checksToRun(options);
  const { liveFacts, runDoctorCommand } = await doctor();
  const checks = await selected;
  const deps: Omit<DoctorDeps, 'secrets'> = {
    options,
    env: io.env,
    files: localFiles,
    system,
    now: io.now ?? (() => new Date()),
    catalogue: () => catalogueSpecs(io.checks),
    facts: (io.factsFor ?? liveFacts)({
      endpoints: options.endpoints,
      env: io.env,
      ...(options.imdsUrl ? { imdsUrl: options.imdsUrl } : {}),
      offline: options.offline,
      warm: ociModulesFor(options),
      nodeVersion: system.nodeVersion,
      ...(io.oracleDriver ? { oracleDriver: io.oracleDriver } : {}),
      ...(newKeyPair ? { newKeyPair } : {}),
    }),
  };
  return runDoctorCommand({ deps, checks, io });
}
