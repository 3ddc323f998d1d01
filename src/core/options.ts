// Command-line options, resolved with the precedence
// flags > environment > doctor config file > defaults.
// Pure: the caller reads the environment and the config file and passes them in.
import { parseArgs } from 'node:util';
import { selectorsOf } from './selection.js';
import { valueText } from './value-text.js';

export const AUTH_MODES = [
  'api_key',
  'security_token',
  'instance_principal',
  'instance_obo_user',
  'resource_principal',
  'oke_workload_identity',
] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const FORMATS = ['tty', 'text', 'md', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** The database client whose trust and settings a run judges (--client). */
export const CLIENTS = ['node', 'python', 'jdbc', 'sqlplus'] as const;
export type ClientKind = (typeof CLIENTS)[number];

export const COMMANDS = ['doctor', 'checks', 'demo', 'policy', 'explain', 'setup', 'diff', 'summarize', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** The commands that run the checks take the doctor's flags. */
const RUN_COMMANDS: readonly CommandName[] = ['doctor', 'demo'];

/** Where --admin-user's password comes from: an environment variable only. */
export const ADMIN_PASSWORD_ENV = 'DBIAM_DOCTOR_ADMIN_PASSWORD';

export interface DoctorOptions {
  command: CommandName;
  /** `help COMMAND`: the command whose options to show. */
  helpTopic?: CommandName;
  /** `demo SCENARIO`: the scenario to run. */
  scenario?: string;
  /** `policy explain`: the subcommand word. */
  subcommand?: string;
  /** `diff A B` / `summarize FILE|DIR…`: the JSON reports to read. */
  reportFiles: string[];
  /** `--watch`: run again with back-off until the failing checks pass or the watch times out. */
  watch: boolean;
  /** `--watch-timeout SECONDS` in milliseconds (default 15 minutes). */
  watchTimeoutMs?: number;
  /** `--print-job`: print a Kubernetes Job manifest that runs the doctor in the workload, and exit. */
  printJob: boolean;
  /** `--print-job`: the workload's namespace and service account. */
  namespace?: string;
  serviceAccount?: string;
  /** `explain "<text>"`: the pasted error text (or '-' for stdin). */
  errorText?: string;
  /** policy explain: principals (`group:NAME`, `dynamic-group:NAME`, `user:NAME`, `any-user`, `instance:OCID`). */
  as: string[];
  /** policy explain: the access needed, e.g. 'use database-connections'. */
  need?: string;
  /** policy explain: the target's location, 'tenancy' or 'compartment A:B'. */
  in?: string;
  /** policy explain: `VAR=VALUE` for target.VAR (repeatable). */
  target: string[];
  /** policy explain: compartment of an instance principal. */
  principalCompartment?: string;
  /** policy explain: defined tags of an instance principal, NS.KEY=VALUE. */
  tag: string[];
  /** policy explain: exported compartments JSON (oci iam compartment list --all). */
  compartments?: string;
  /** Admin Database Tools connection for database-side checks. */
  adminDbtoolsConnectionId?: string;
  /** Database user for the database-side checks over the connect string (password from DBIAM_DOCTOR_ADMIN_PASSWORD). */
  adminUser?: string;
  /** `demo --list`. */
  list: boolean;
  /** `demo --serve`: run the simulated tenancy for other clients until interrupted. */
  serve: boolean;
  /** setup: answers file for a run without questions. */
  answers?: string;
  /** setup: directory the artifacts are written to. */
  out?: string;
  profile?: string;
  configFile?: string;
  auth?: AuthMode;
  region?: string;
  dsn?: string;
  tnsAdmin?: string;
  caFiles: string[];
  /** --client: the driver whose trust stores and fixes the TLS link is judged for (default node). */
  client: ClientKind;
  /** --python: the interpreter the python client's trust stores are read from (default: python3 on PATH). */
  python?: string;
  /** --classpath: a directory holding the ojdbc jar the jdbc client runs with (its manifest gives the version). */
  classpath?: string;
  /** --project: the Node application's directory, whose node_modules/oracledb the node client's release is read from (default: the doctor's own). */
  project?: string;
  /** --instant-client: the Instant Client directory (libclntsh) the sqlplus client loads; default $ORACLE_HOME/lib, then $ORACLE_HOME. */
  instantClient?: string;
  adbId?: string;
  scope?: string;
  expectDbUser?: string;
  mapping?: string;
  walletSecretId?: string;
  dbtoolsConnectionId?: string;
  policies?: string;
  dynamicGroups?: string;
  only: string[];
  skip: string[];
  offline: boolean;
  /** Per-check time limit in milliseconds, overriding each check's own. */
  timeoutMs?: number;
  /** Undefined means: tty when stdout is a terminal, text otherwise. */
  format?: Format;
  output?: string;
  /** Service endpoint overrides from --endpoint SERVICE=URL. */
  endpoints: Record<string, string>;
  /** Base URL of the instance metadata service (default http://169.254.169.254/opc/v2/). */
  imdsUrl?: string;
  redact: boolean;
  strict: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
  /** Where each value came from: flag, env NAME, config FILE, default. */
  sources: Record<string, string>;
}

export class UsageError extends Error {
  /** The command whose help to point at, when the error is about one. */
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

type Kind = 'string' | 'boolean' | 'list' | 'repeat';
interface OptionDef {
  /** Flag name (kebab-case) and config-file key (camelCase). */
  flag: string;
  key: keyof DoctorOptions;
  kind: Kind;
  /** The commands that take this flag (default: the doctor and its demo). */
  commands?: readonly CommandName[];
  env?: string;
  short?: string;
  help: string;
  valueName?: string;
}

export const OPTION_DEFS: OptionDef[] = [
  { flag: 'profile', commands: ['doctor', 'demo', 'setup'], key: 'profile', kind: 'string', env: 'OCI_CLI_PROFILE', help: 'OCI config profile', valueName: 'NAME' },
  { flag: 'config-file', commands: ['doctor', 'demo', 'setup'], key: 'configFile', kind: 'string', env: 'OCI_CLI_CONFIG_FILE', help: 'OCI config file (default ~/.oci/config)', valueName: 'FILE' },
  { flag: 'auth', commands: ['doctor', 'demo', 'setup'], key: 'auth', kind: 'string', env: 'OCI_CLI_AUTH', help: `auth mode: ${AUTH_MODES.join(', ')}`, valueName: 'MODE' },
  { flag: 'region', key: 'region', kind: 'string', env: 'OCI_CLI_REGION', help: 'OCI region, e.g. us-ashburn-1', valueName: 'REGION' },
  { flag: 'dsn', key: 'dsn', kind: 'string', help: 'connect string: EZConnect, descriptor or tnsnames alias', valueName: 'DSN' },
  { flag: 'tns-admin', key: 'tnsAdmin', kind: 'string', env: 'TNS_ADMIN', help: 'directory holding tnsnames.ora / sqlnet.ora / wallet', valueName: 'DIR' },
  { flag: 'ca-file', key: 'caFiles', kind: 'repeat', help: 'PEM file or bundle of trusted CAs (repeatable)', valueName: 'FILE' },
  { flag: 'client', key: 'client', kind: 'string', help: `the client to judge TLS trust and write fixes for: ${CLIENTS.join(', ')} (default node)`, valueName: 'CLIENT' },
  { flag: 'python', key: 'python', kind: 'string', help: '--client python: the Python interpreter to read trust stores from (default python3 on PATH)', valueName: 'PATH' },
  { flag: 'classpath', key: 'classpath', kind: 'string', help: '--client jdbc: a directory holding the ojdbc jar, to read its version', valueName: 'DIR' },
  { flag: 'project', key: 'project', kind: 'string', help: "--client node: your application's directory, to read the node-oracledb it installs (default: the doctor's own)", valueName: 'DIR' },
  { flag: 'instant-client', key: 'instantClient', kind: 'string', help: '--client sqlplus: the Instant Client directory, to read its release (default $ORACLE_HOME)', valueName: 'DIR' },
  { flag: 'adb-id', key: 'adbId', kind: 'string', help: 'Autonomous Database OCID', valueName: 'OCID' },
  { flag: 'scope', key: 'scope', kind: 'string', help: 'DB token scope (default urn:oracle:db::id::<tenancy>)', valueName: 'SCOPE' },
  { flag: 'expect-db-user', key: 'expectDbUser', kind: 'string', help: 'database user the session should map to', valueName: 'NAME' },
  { flag: 'mapping', key: 'mapping', kind: 'string', help: "global mapping, e.g. 'IAM_GROUP_NAME=dbusers'", valueName: 'MAP' },
  { flag: 'wallet-secret-id', key: 'walletSecretId', kind: 'string', help: 'OCI Vault secret holding the wallet', valueName: 'OCID' },
  { flag: 'dbtools-connection-id', key: 'dbtoolsConnectionId', kind: 'string', help: 'Database Tools connection OCID', valueName: 'OCID' },
  { flag: 'policies', commands: ['doctor', 'demo', 'policy'], key: 'policies', kind: 'string', help: 'exported policies JSON (oci iam policy list --all)', valueName: 'FILE' },
  { flag: 'dynamic-groups', commands: ['doctor', 'demo', 'policy'], key: 'dynamicGroups', kind: 'string', help: 'exported dynamic groups JSON', valueName: 'FILE' },
  { flag: 'only', commands: ['doctor', 'demo', 'checks'], key: 'only', kind: 'list', help: 'only these checks: ids, categories or families such as auth', valueName: 'LIST' },
  { flag: 'skip', key: 'skip', kind: 'list', help: 'skip these checks: ids, categories or families', valueName: 'LIST' },
  { flag: 'endpoint', key: 'endpoints', kind: 'repeat', help: `override a service endpoint, e.g. identity=https://… (repeatable; ${'services: identity, dataplane, auth, secrets, database, dbtools, dbtools-runtime'})`, valueName: 'SVC=URL' },
  { flag: 'imds-url', key: 'imdsUrl', kind: 'string', help: 'instance metadata base URL (default http://169.254.169.254/opc/v2/)', valueName: 'URL' },
  { flag: 'offline', key: 'offline', kind: 'boolean', help: 'make no OCI API call; checks that need one are skipped' },
  { flag: 'timeout', key: 'timeoutMs', kind: 'string', help: 'time limit for each check, in seconds', valueName: 'SECONDS' },
  { flag: 'format', commands: ['doctor', 'demo', 'policy', 'explain', 'checks', 'diff', 'summarize'], key: 'format', kind: 'string', help: `output format: ${FORMATS.join(', ')}`, valueName: 'FORMAT' },
  { flag: 'output', commands: ['doctor', 'demo', 'explain', 'diff', 'summarize'], key: 'output', kind: 'string', short: 'o', help: 'also write the report to FILE (.json, .md, .txt; else --format, else Markdown)', valueName: 'FILE' },
  { flag: 'redact', commands: ['doctor', 'demo', 'explain', 'diff', 'summarize'], key: 'redact', kind: 'boolean', help: 'also mask OCIDs, user and host names and the home path' },
  { flag: 'strict', key: 'strict', kind: 'boolean', help: 'exit 1 on warnings too' },
  { flag: 'verbose', key: 'verbose', kind: 'boolean', short: 'v', help: 'show what libraries printed while checks ran' },
  { flag: 'admin-dbtools-connection-id', key: 'adminDbtoolsConnectionId', kind: 'string', help: 'admin Database Tools connection, for database-side checks', valueName: 'OCID' },
  { flag: 'admin-user', key: 'adminUser', kind: 'string', help: 'database-side checks over --dsn as this user (e.g. ADMIN); password from DBIAM_DOCTOR_ADMIN_PASSWORD', valueName: 'NAME' },
  { flag: 'list', commands: ['demo'], key: 'list', kind: 'boolean', help: 'demo: list the scenarios' },
  { flag: 'serve', commands: ['demo'], key: 'serve', kind: 'boolean', help: 'demo: serve the simulated tenancy on loopback (prints its endpoints as JSON) until interrupted' },
  { flag: 'as', commands: ['doctor', 'demo', 'policy'], key: 'as', kind: 'repeat', help: 'the caller to decide policy for (group:N, dynamic-group:N, user:N, any-user, instance:OCID)', valueName: 'WHO' },
  { flag: 'need', commands: ['policy'], key: 'need', kind: 'string', help: "policy explain: access needed, e.g. 'use database-connections'", valueName: 'ACCESS' },
  { flag: 'in', commands: ['doctor', 'demo', 'policy'], key: 'in', kind: 'string', help: "where the target is, 'tenancy' or 'compartment A:B' (when it cannot be read)", valueName: 'WHERE' },
  { flag: 'target', commands: ['doctor', 'demo', 'policy'], key: 'target', kind: 'repeat', help: 'target.VAR=VALUE for where clauses (repeatable)', valueName: 'VAR=VALUE' },
  { flag: 'principal-compartment', commands: ['doctor', 'demo', 'policy'], key: 'principalCompartment', kind: 'string', help: 'compartment OCID of an instance principal', valueName: 'OCID' },
  { flag: 'tag', commands: ['doctor', 'demo', 'policy'], key: 'tag', kind: 'repeat', help: 'defined tag NS.KEY=VALUE of an instance (repeatable)', valueName: 'NS.KEY=V' },
  { flag: 'compartments', commands: ['doctor', 'demo', 'policy'], key: 'compartments', kind: 'string', help: 'exported compartments JSON (oci iam compartment list --all)', valueName: 'FILE' },
  { flag: 'answers', commands: ['setup'], key: 'answers', kind: 'string', help: 'setup: answers JSON file; write the artifacts without questions', valueName: 'FILE' },
  { flag: 'out', commands: ['setup'], key: 'out', kind: 'string', help: 'setup: directory for the generated artifacts', valueName: 'DIR' },
  { flag: 'watch', key: 'watch', kind: 'boolean', help: 'after a fix: run again with back-off until the failing checks pass (or --watch-timeout)' },
  { flag: 'watch-timeout', key: 'watchTimeoutMs', kind: 'string', help: '--watch: give up after SECONDS (default 900: policy and token caches)', valueName: 'SECONDS' },
  { flag: 'print-job', commands: ['doctor'], key: 'printJob', kind: 'boolean', help: 'print a Kubernetes Job manifest that runs the doctor as the workload (needs --namespace, --service-account)' },
  { flag: 'namespace', commands: ['doctor'], key: 'namespace', kind: 'string', help: "--print-job: the workload's Kubernetes namespace", valueName: 'NS' },
  { flag: 'service-account', commands: ['doctor'], key: 'serviceAccount', kind: 'string', help: "--print-job: the workload's service account", valueName: 'NAME' },
  { flag: 'version', commands: COMMANDS, key: 'version', kind: 'boolean', help: 'print the version' },
  { flag: 'help', commands: COMMANDS, key: 'help', kind: 'boolean', short: 'h', help: 'print this help' },
];

/** Keys a doctor config file may hold: the option keys that make sense to persist. */
/** Per-invocation flags make no sense in a config file. */
const NOT_IN_CONFIG = ['help', 'version', 'output', 'list', 'serve', 'watch', 'watch-timeout', 'print-job', 'namespace', 'service-account', 'as', 'need', 'in', 'target', 'principal-compartment', 'tag', 'compartments', 'answers', 'out'];
const CONFIG_FILE_KEYS = new Set<string>(OPTION_DEFS.filter((d) => !NOT_IN_CONFIG.includes(d.flag)).map((d) => d.key));

const COMMAND_LINES: Record<CommandName, { synopsis: string; what: string; exits?: string }> = {
  doctor: { synopsis: '[doctor] [options]', what: 'walk the IAM-to-database chain (default)' },
  checks: { synopsis: 'checks [--only LIST] [--format text|md|json]', what: 'list every check and the finding codes it can report' },
  demo: { synopsis: 'demo [SCENARIO] [options]', what: 'run the doctor in a simulated tenancy (--list to list)' },
  policy: { synopsis: 'policy explain [options]', what: 'decide allow/deny for a caller from exported policies' },
  explain: { synopsis: 'explain TEXT|- [options]', what: 'explain a pasted ORA-, NJS-, DPY- or OCI error' },
  setup: { synopsis: 'setup [--answers FILE --out DIR]', what: 'guided setup: policy, DBA SQL, CLI, config, snippets' },
  diff: { synopsis: 'diff A.json B.json [--format text|md|json]', what: 'compare two JSON reports; exit 1 when B is worse', exits: 'Exit codes: 0 B is no worse than A, 1 B breaks earlier in the chain (or at more links), 2 usage or a file that is not a report.' },
  summarize: { synopsis: 'summarize REPORT|DIR… [--format md|json]', what: 'one table for a fleet of JSON reports', exits: 'Exit codes: 0 every host holds, 1 a host has a failing link, 2 usage or a file that is not a report.' },
  help: { synopsis: 'help [COMMAND]', what: "show a command's options" },
};

/** The flags a command takes. */
export function optionsOf(command: CommandName): OptionDef[] {
  return OPTION_DEFS.filter((d) => (d.commands ?? RUN_COMMANDS).includes(command));
}

/** Help is read in a terminal: no line wider than this. */
export const HELP_WIDTH = 80;

/** `head` then `text` folded at spaces so no line passes HELP_WIDTH; continuation lines start under the text. */
function hanging(head: string, text: string, column = head.length): string[] {
  const lines: string[] = [];
  let current = head.padEnd(column);
  let fresh = true;
  for (const word of text.split(' ')) {
    if (!fresh && current.length + 1 + word.length > HELP_WIDTH) {
      lines.push(current);
      current = ' '.repeat(column);
      fresh = true;
    }
    current += fresh ? word : ` ${word}`;
    fresh = false;
  }
  lines.push(current);
  return lines;
}

/** Help for one command (its own flags only), or the overview with the doctor's flags. */
export function usage(command?: CommandName): string {
  const shown = command ?? 'doctor';
  const lines = [`Usage: dbiam-doctor ${COMMAND_LINES[shown].synopsis}`, ''];
  if (command === undefined || command === 'help') {
    lines.push('Commands:');
    const names = COMMANDS.map((c) => [c, COMMAND_LINES[c].synopsis.split(' [')[0] ?? c] as const);
    const width = Math.max(...names.map(([, n]) => n.length));
    for (const [c, n] of names) lines.push(...hanging(`  ${n.padEnd(width)}  `, COMMAND_LINES[c].what));
    lines.push('', "Run 'dbiam-doctor help COMMAND' for a command's options.", '');
  } else {
    lines.push(...hanging('', COMMAND_LINES[shown].what), '');
  }
  lines.push(`Options${command === undefined ? ' (doctor)' : ''}:`);
  const column = 35;
  for (const d of optionsOf(shown === 'help' ? 'doctor' : shown)) {
    const name = `  ${d.short ? `-${d.short}, ` : '    '}--${d.flag}${d.valueName ? ` ${d.valueName}` : ''}`;
    const help = `${d.help}${d.env ? ` [$${d.env}]` : ''}`;
    // A flag too long for its column gets its help on the next line.
    if (name.length >= column) lines.push(name, ...hanging('', help, column));
    else lines.push(...hanging(name, help, column));
  }
  lines.push('', ...hanging('', 'Passwords are never flags: the doctor reads them from the environment or asks with a masked prompt.'));
  lines.push(...hanging('', COMMAND_LINES[shown].exits ?? 'Exit codes: 0 nothing failed, 1 a check failed or errored (or warned, with --strict), 2 usage, 130 interrupted.'));
  return lines.join('\n');
}

/** The closest known word, when one is near enough to be a slip of the fingers. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** Edits between two words, a swap of neighbours counting as one (--dns for --dsn). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

export interface ResolveInput {
  argv: string[];
  env: Record<string, string | undefined>;
  /** Parsed JSON of the doctor config file, with its path, when one exists. */
  configFile?: { path: string; content: unknown };
}

export function resolveOptions(input: ResolveInput): DoctorOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(input.argv),
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        OPTION_DEFS.map((d) => [
          d.flag,
          {
            type: d.kind === 'boolean' ? ('boolean' as const) : ('string' as const),
            multiple: d.kind === 'repeat',
            ...(d.short ? { short: d.short } : {}),
          },
        ]),
      ),
    });
  } catch (err) {
    const message = cleanParseError(err);
    const unknown = /^Unknown option '(--?[^']+)'/.exec(message)?.[1];
    const near = unknown?.startsWith('--') ? didYouMean(unknown.slice(2), OPTION_DEFS.map((d) => d.flag)) : undefined;
    throw new UsageError(near ? `${message} (did you mean --${near}?)` : message);
  }

  const opts: DoctorOptions = {
    command: 'doctor',
    list: false,
    serve: false,
    reportFiles: [],
    printJob: false,
    watch: false,
    as: [],
    target: [],
    tag: [],
    caFiles: [],
    client: 'node',
    endpoints: {},
    only: [],
    skip: [],
    offline: false,
    redact: false,
    strict: false,
    verbose: false,
    help: false,
    version: false,
    sources: {},
  };

  const positionals = parsed.positionals;
  if (positionals.length > 0) {
    const cmd = positionals[0] as string;
    if (!(COMMANDS as readonly string[]).includes(cmd)) {
      const near = didYouMean(cmd, COMMANDS);
      throw new UsageError(`unknown command '${cmd}'${near ? ` (did you mean '${near}'?)` : ''} (commands: ${COMMANDS.join(', ')})`);
    }
    opts.command = cmd as CommandName;
    const extra = opts.command === 'demo' || opts.command === 'policy' || opts.command === 'explain' || opts.command === 'help' ? 2 : 1;
    if (opts.command === 'help' && positionals[1] !== undefined) {
      const topic = positionals[1];
      if (!(COMMANDS as readonly string[]).includes(topic)) throw new UsageError(`unknown command '${topic}' (commands: ${COMMANDS.join(', ')})`);
      opts.helpTopic = topic as CommandName;
    }
    if (opts.command === 'demo' && positionals[1] !== undefined) opts.scenario = positionals[1];
    if (opts.command === 'policy') {
      if (positionals[1] !== 'explain') throw new UsageError(`'policy' needs a subcommand: policy explain`);
      opts.subcommand = 'explain';
    }
    if (opts.command === 'explain') {
      if (positionals[1] === undefined) throw new UsageError(`'explain' needs the error text (or - to read it from standard input)`);
      opts.errorText = positionals[1];
    }
    if (opts.command === 'diff') {
      if (positionals.length !== 3 && parsed.values.help !== true) throw new UsageError(`'diff' needs two JSON reports: diff A.json B.json`, 'diff');
      opts.reportFiles = positionals.slice(1);
    }
    if (opts.command === 'summarize') {
      if (positionals.length < 2 && parsed.values.help !== true) throw new UsageError(`'summarize' needs JSON reports or a directory of them`, 'summarize');
      opts.reportFiles = positionals.slice(1);
    }
    if (opts.command !== 'diff' && opts.command !== 'summarize' && positionals.length > extra) throw new UsageError(`unexpected argument '${positionals[extra]}'`);
  }

  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  // Flags belong to commands: one the command does not take is a mistake, not a no-op.
  const position = (def: OptionDef): number => input.argv.findIndex((a) => a === `--${def.flag}` || a.startsWith(`--${def.flag}=`) || (def.short !== undefined && a === `-${def.short}`));
  const foreign = OPTION_DEFS.filter((d) => values[d.flag] !== undefined && !(d.commands ?? RUN_COMMANDS).includes(opts.command)).sort((a, b) => position(a) - position(b))[0];
  if (foreign) throw new UsageError(`--${foreign.flag} is not an option of '${opts.command}'`, opts.command);
  const config = input.configFile ? configValues(input.configFile) : {};
  for (const def of OPTION_DEFS) {
    const fromFlag = values[def.flag];
    if (fromFlag !== undefined) {
      assign(opts, def, fromFlag, `--${def.flag}`);
      continue;
    }
    const fromEnv = def.env ? input.env[def.env] : undefined;
    if (fromEnv !== undefined && fromEnv !== '') {
      assign(opts, def, fromEnv, `$${def.env}`);
      continue;
    }
    const fromConfig = config[def.key];
    if (fromConfig !== undefined && input.configFile) {
      assign(opts, def, fromConfig, input.configFile.path);
    }
  }
  return opts;
}

/** `--timeout -1`: parseArgs calls a value that starts with '-' ambiguous; as `--timeout=-1` the value's own check says what is wrong. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of argv) {
    const prev = out[out.length - 1];
    if (/^-\d/.test(a) && prev !== undefined && /^--[a-z-]+$/.test(prev)) out[out.length - 1] = `${prev}=${a}`;
    else out.push(a);
  }
  return out;
}

function cleanParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // node's messages carry advice about '--' that does not apply here.
  return message.split('. To specify')[0]?.replace(/\.$/, '') ?? message;
}

function configValues(file: { path: string; content: unknown }): Record<string, unknown> {
  const c = file.content;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new UsageError(`${file.path}: expected a JSON object of options`);
  for (const key of Object.keys(c)) {
    if (!CONFIG_FILE_KEYS.has(key)) throw new UsageError(`${file.path}: unknown option '${key}' (known: ${[...CONFIG_FILE_KEYS].join(', ')})`);
  }
  return c as Record<string, unknown>;
}

function assign(opts: DoctorOptions, def: OptionDef, raw: unknown, source: string): void {
  const where = source.startsWith('-') || source.startsWith('$') ? source : `${source}: ${def.key}`;
  const value = normalize(def, raw, where);
  (opts as unknown as Record<string, unknown>)[def.key] = value;
  opts.sources[def.key] = source.startsWith('-') ? 'flag' : source.startsWith('$') ? `env ${source.slice(1)}` : `config ${source}`;
}

function normalize(def: OptionDef, raw: unknown, where: string): unknown {
  switch (def.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      throw new UsageError(`${where}: expected true or false`);
    case 'repeat': {
      if (def.key === 'endpoints') return parseEndpoints(raw, where);
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => typeof v === 'string' && v !== '')) throw new UsageError(`${where}: expected a value`);
      return list;
    }
    case 'list': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
      if (!list || !list.every((v) => typeof v === 'string')) throw new UsageError(`${where}: expected a comma list`);
      return list.map((v: string) => v.trim()).filter((v: string) => v !== '');
    }
    case 'string': {
      if (def.key === 'timeoutMs' || def.key === 'watchTimeoutMs') return parseTimeout(raw, where);
        if (typeof raw !== 'string' || raw === '') throw new UsageError(`${where}: expected a value`);
      if (def.key === 'imdsUrl' && !(/^https?:\/\/\S+$/.test(raw) && URL.canParse(raw))) throw new UsageError(`${where}: expected an http(s) URL, got '${raw}'`);
      if (def.key === 'auth' && !(AUTH_MODES as readonly string[]).includes(raw)) throw new UsageError(`${where}: unknown auth mode '${raw}' (one of ${AUTH_MODES.join(', ')})`);
      if (def.key === 'client' && !(CLIENTS as readonly string[]).includes(raw)) throw new UsageError(`${where}: unknown client '${raw}' (one of ${CLIENTS.join(', ')})`);
      if (def.key === 'format' && !(FORMATS as readonly string[]).includes(raw)) throw new UsageError(`${where}: unknown format '${raw}' (one of ${FORMATS.join(', ')})`);
      return raw;
    }
  }
}

export const ENDPOINT_SERVICES = ['identity', 'dataplane', 'auth', 'secrets', 'database', 'dbtools', 'dbtools-runtime'] as const;

/** `--endpoint identity=http://…` (repeatable) or, in the config file, an object. */
function parseEndpoints(raw: unknown, where: string): Record<string, string> {
  const pairs: [string, unknown][] =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.entries(raw)
      : (Array.isArray(raw) ? raw : [raw]).map((v) => {
          const s = String(v);
          const eq = s.indexOf('=');
          if (eq <= 0) throw new UsageError(`${where}: expected SERVICE=URL, got '${s}'`);
          return [s.slice(0, eq), s.slice(eq + 1)];
        });
  const out: Record<string, string> = {};
  for (const [service, url] of pairs) {
    if (!(ENDPOINT_SERVICES as readonly string[]).includes(service)) throw new UsageError(`${where}: unknown service '${service}' (one of ${ENDPOINT_SERVICES.join(', ')})`);
    if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`${where}: ${service} needs an http(s) URL, got '${givenText(url)}'`);
    out[service] = url.replace(/\/+$/, '');
  }
  return out;
}

/** A value from the command line or the config file, for a message. */
function givenText(value: unknown): string {
  return valueText(value) ?? String(value);
}

function parseTimeout(raw: unknown, where: string): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`${where}: expected seconds between 0 and 3600, got '${givenText(raw)}'`);
  return Math.round(n * 1000);
}

/** Validates --only / --skip names against what the catalogue's checks are known by (id, category, id family). */
export function validateSelection(opts: DoctorOptions, checks: readonly { id: string; category: string }[]): void {
  const known = [...new Set(checks.flatMap(selectorsOf))];
  for (const [flag, list] of [['only', opts.only], ['skip', opts.skip]] as const) {
    for (const name of list) {
      if (known.includes(name)) continue;
      const near = didYouMean(name, known);
      throw new UsageError(`--${flag}: unknown check or category '${name}'${near ? ` (did you mean '${near}'?)` : ''} (run 'dbiam-doctor checks' for the list)`);
    }
  }
}
