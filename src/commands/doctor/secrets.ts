// Secrets the doctor can know of before any check runs: values of
// environment variables that hold credentials (not paths to them).
import type { Redactor } from '../../core/redact.js';

const SECRET_ENV = /(PASS|PASSWORD|PASSPHRASE|SECRET|TOKEN|RPST|PRIVATE_PEM|API_KEY)/i;

export function registerEnvironmentSecrets(env: Readonly<Record<string, string | undefined>>, redactor: Redactor): void {
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_ENV.test(name)) continue;
    // A path names where the secret is; the path itself is useful evidence.
    if (/^(\/|~\/|[A-Za-z]:\\)/.test(value) && !value.includes('\n')) continue;
    redactor.addSecret(value, name);
  }
}
