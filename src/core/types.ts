// The vocabulary every part of the doctor shares: checks, findings, results.
// Finding codes are public API (users grep for them, tickets quote them):
// never rename one casually.

export const CATEGORIES = [
  'env',
  'profile',
  'session',
  'identity',
  'policy',
  'dbuser',
  'token',
  'network',
  'tls',
  'wallet',
  'db',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const STATUSES = ['pass', 'warn', 'fail', 'skip', 'error'] as const;
export type Status = (typeof STATUSES)[number];

/** How bad one finding is. `info` is evidence that something holds. */
export type Severity = 'info' | 'warn' | 'fail' | 'error';

export interface Fix {
  /** What to do, in one or two sentences. */
  text: string;
  /** Commands that fix it, in the order to run them, each copyable on its own line. */
  commands: string[];
  /**
   * Commands that only look (show a chain, resolve a name, list a store): they
   * confirm the problem and change nothing, so they are never offered as the fix
   * (the verdict, a report's `problems[].command` and `y` take `commands`).
   */
  inspect?: string[];
}

export interface Finding {
  /** Stable kebab-case code grouped by area, e.g. `session.token-expired`. */
  code: string;
  severity: Severity;
  title: string;
  detail: string;
  /** Facts that back the finding: key → value, shown folded in reports. */
  evidence: Record<string, string>;
  fix: Fix;
  /** Show as a panel although informational: the end-of-chain identity confirmation. */
  highlight?: boolean;
}

/** Catalogue entry for a code a check may emit: docs and `checks` come from it. */
export interface FindingSpec {
  code: string;
  severity: Severity;
  /** One line: what the code means. */
  meaning: string;
  /** How to fix it, in general terms (the finding itself carries the exact command). */
  fix: string;
}

/** What a check's `run` hands back. Status is derived from the findings. */
export interface CheckOutcome {
  findings: Finding[];
  /** A short line for the checklist, e.g. "Node v20.20.2 on linux x64". */
  summary?: string;
  /** Set when the check decided it does not apply; it then ends `skip`. */
  skipped?: string;
  /** Facts for checks that depend on this one. */
  data?: unknown;
}

export interface CheckResult {
  id: string;
  title: string;
  category: Category;
  status: Status;
  durationMs: number;
  summary: string;
  findings: Finding[];
}

/**
 * The data a check hands to the checks after it, named by a typed key that the
 * producing module owns: `dataOf(WHOAMI_DATA)` is a WhoAmIData, and a key that
 * does not exist does not compile (a misspelt string id used to skip silently).
 */
export interface DataKey<T> {
  readonly checkId: string;
  /** Carries T for the compiler only. */
  readonly __data?: (value: T) => void;
}

export function dataKey<T>(checkId: string): DataKey<T> {
  return { checkId };
}

/** What a check receives: options, injected adapters, and the data of its dependencies. */
export interface CheckContext<Deps = unknown> {
  /** Injected adapters and options, typed by the command that runs the engine. */
  deps: Deps;
  /** Data returned by a finished dependency (undefined if it produced none). */
  dataOf<T>(key: DataKey<T>): T | undefined;
  /** Codes of the problems (warn and worse) finished checks have found so far: context for explanations. */
  codesSoFar(): string[];
  /** How a finished check ended, and its title (undefined while it runs or when it is not in the run). */
  resultOf(checkId: string): Pick<CheckResult, 'status' | 'title'> | undefined;
}

export interface Check<Deps = unknown> {
  id: string;
  title: string;
  category: Category;
  dependsOn: string[];
  /**
   * Checks to wait for, for their data, without depending on them: this one
   * runs whatever they ended with (dataOf is undefined when they produced none).
   */
  after?: string[];
  timeoutMs: number;
  /** Codes this check may emit, with what they mean and how to fix them. */
  codes: FindingSpec[];
  /** True when the check needs the OCI API (it ends `skip` under --offline). */
  needsOciApi?: boolean;
  run(ctx: CheckContext<Deps>, signal: AbortSignal): Promise<CheckOutcome>;
}

export interface ToolInfo {
  name: string;
  version: string;
  /** The machine the run was on (a fleet's reports are told apart by it). */
  host?: string;
  /** The node-oracledb the doctor carries (its thin driver made the database checks). */
  nodeOracledb?: string;
}

/** The run as a whole: what every report format renders. */
export interface RunReport {
  tool: ToolInfo;
  startedAt: string;
  durationMs: number;
  /** Header facts: profile, auth mode, region, target — already decided strings. */
  context: Record<string, string>;
  summary: Record<Status, number>;
  checks: CheckResult[];
  interrupted?: boolean;
}
