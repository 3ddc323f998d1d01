// The oci-* client modules a run will call, loaded ahead of their first call.
// Each takes tens of milliseconds of the main thread to load (oci-database
// alone is 1.5 MB of bundle), and a check loading one between two OCI round
// trips makes the run wait for both. Started at the run's first OCI read,
// one module after another, they load while the thread would otherwise wait
// for OCI's answers. import() keeps each module once: a client's own import()
// takes the loaded module or joins its pending load.
import type { DoctorOptions } from '../core/options.js';

export type OciClientModule = 'oci-identity' | 'oci-identitydataplane' | 'oci-database' | 'oci-databasetools' | 'oci-databasetoolsruntime' | 'oci-secrets';

// Literal specifiers: the bundle maps each to the chunk the adapters load.
const LOADERS: Record<OciClientModule, () => Promise<unknown>> = {
  'oci-identity': () => import('oci-identity'),
  'oci-identitydataplane': () => import('oci-identitydataplane'),
  'oci-database': () => import('oci-database'),
  'oci-databasetools': () => import('oci-databasetools'),
  'oci-databasetoolsruntime': () => import('oci-databasetoolsruntime'),
  'oci-secrets': () => import('oci-secrets'),
};

type WarmOptions = Pick<DoctorOptions, 'adbId' | 'dbtoolsConnectionId' | 'adminDbtoolsConnectionId' | 'walletSecretId'>;

/**
 * The client modules the options make a run read with, in the order its
 * checks first need them: the caller and its policies, the database, the
 * Database Tools connection, the DB token, the Vault. A module named here and
 * not called costs load time only.
 */
export function ociModulesFor(options: WarmOptions): OciClientModule[] {
  const dbtools = Boolean(options.dbtoolsConnectionId || options.adminDbtoolsConnectionId);
  return [
    'oci-identity',
    ...(options.adbId ? (['oci-database'] as const) : []),
    ...(dbtools ? (['oci-databasetools', 'oci-databasetoolsruntime'] as const) : []),
    'oci-identitydataplane',
    // The wallet's secret, or the admin connection's password secret.
    ...(options.walletSecretId || options.adminDbtoolsConnectionId ? (['oci-secrets'] as const) : []),
  ];
}

/** Loads the modules one after another, each after the last settled; a module that fails to load is left to its call to report. */
export async function warmModules(modules: readonly OciClientModule[]): Promise<void> {
  for (const m of modules) await LOADERS[m]().catch(() => undefined);
}
