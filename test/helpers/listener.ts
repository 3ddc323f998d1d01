// A simulated database listener whose CA the doctor is told about (--ca-file):
// the TLS side of a direct connection is real, only the logon is stood in for.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startListener, type SimListener } from '../../src/sim/listener/index.js';
import { SERVER_KEY_BITS } from './certs.js';
import { tempDir } from './deps.js';

export interface TrustedListener {
  listener: SimListener;
  /** `--dsn <descriptor of ledger_high> --ca-file <its CA>`. */
  dsn: string[];
}

export async function startTrustedListener(): Promise<TrustedListener> {
  const listener = await startListener({ services: ['ledger_high'], host: 'localhost', bits: SERVER_KEY_BITS });
  const caFile = join(tempDir(), 'ca.pem');
  writeFileSync(caFile, listener.caPem);
  return { listener, dsn: ['--dsn', listener.descriptor('ledger_high'), '--ca-file', caFile] };
}
