// What a command receives from the process: arguments, environment, streams
// and the few things tests replace. Its own module, so commands need not
// import the CLI that imports them.
import type { LiveFactsConfig } from '../adapters/live-facts.js';
import type { OracleDriver } from '../adapters/oracle-db.js';
import type { SystemFacts } from '../adapters/system.js';
import type { DoctorCheck } from '../checks/deps.js';
import type { DbKeyPair, DoctorFacts } from '../checks/facts.js';
import type { DemoCustomizer } from './demo/command.js';

export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * Where reports the user asks for (-o, `s` on the screen) are written, when
   * not cwd: the demo runs the doctor in a throw-away home but saves in the
   * directory the user ran it in.
   */
  reportDir?: string;
  stdout: OutputStream;
  stderr: OutputStream;
  /** The real process streams, for the interactive screen only. */
  stdin?: NodeJS.ReadStream;
  system?: SystemFacts;
  checks?: readonly DoctorCheck[];
  now?: () => Date;
  /** node-oracledb or a stand-in (tests). */
  oracleDriver?: OracleDriver;
  /** Builds the facts gateway from the run's settings (default: the live one; tests pin the metadata URL to loopback). */
  factsFor?: (config: LiveFactsConfig) => DoctorFacts;
  /** Installs handlers for SIGINT/SIGTERM; returns their removal. */
  onSignal?: (handler: () => void) => () => void;
  /**
   * The real process only (bin.ts): keeps V8's compiled code of the modules
   * loaded from then on in the directory given (a demo run's, see
   * commands/demo/compile-cache.ts). Process-wide, so tests leave it out.
   */
  compileCache?: (dir: string) => unknown;
  /** Where the run's fresh key pairs come from (DB token, throw-away wallet, instance-principal session key; default: made for the run); the demo hands out its world's. */
  newKeyPair?: () => Promise<DbKeyPair>;
  /** Tests only: changes the demo's setup after its scenario (see DemoInput.customize). */
  demoCustomize?: DemoCustomizer;
}
