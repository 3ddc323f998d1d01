// What every doctor check receives: options, files and the facts gateway.
import type { FilesAdapter } from '../adapters/files.js';
import type { SystemFacts } from '../adapters/system.js';
import type { DoctorOptions } from '../core/options.js';
import type { Check, FindingSpec } from '../core/types.js';
import type { DoctorFacts } from './facts.js';

export interface DoctorDeps {
  options: DoctorOptions;
  env: Readonly<Record<string, string | undefined>>;
  files: FilesAdapter;
  system: SystemFacts;
  now(): Date;
  /** Everything read from OCI, the metadata service, the network, the trust stores and the database. */
  facts: DoctorFacts;
  /**
   * Every finding code's spec: explanations of a driver's error use the
   * catalogue's fix texts. Read on demand: a run of a few checks does not load the others.
   */
  catalogue?: () => Promise<ReadonlyMap<string, FindingSpec>>;
  /** Registers a secret a check came across, so no output can show it. */
  secrets: { add(value: string | undefined, label: string): void };
}

export type DoctorCheck = Check<DoctorDeps>;
