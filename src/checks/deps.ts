// What every doctor check receives: options and the adapters that gather facts.
import type { FilesAdapter } from '../adapters/files.js';
import type { SystemFacts } from '../adapters/system.js';
import type { OracleDriver } from '../adapters/oracle-db.js';
import type { DoctorOptions } from '../core/options.js';
import type { Check } from '../core/types.js';

export interface DoctorDeps {
  options: DoctorOptions;
  env: Readonly<Record<string, string | undefined>>;
  files: FilesAdapter;
  system: SystemFacts;
  now(): Date;
  /** node-oracledb, or a stand-in (tests cannot run a database's authentication phase). */
  oracleDriver?: OracleDriver;
  /** Registers a secret a check came across, so no output can show it. */
  secrets: { add(value: string | undefined, label: string): void };
}

export type DoctorCheck = Check<DoctorDeps>;
