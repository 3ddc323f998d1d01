// Writes a throw-away home with an OCI config, keys and a session token, as
// `oci setup config` and `oci session authenticate` would leave them. Used
// by `dbiam-doctor demo` and by the tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProfileSpec {
  name: string;
  mode: 'api_key' | 'security_token';
  tenancy: string;
  user?: string;
  region: string;
  fingerprint?: string;
  /** PEM private key text written to key_file. */
  privateKeyPem: string;
  passphrase?: string;
  /** Session token written to security_token_file (security_token mode). */
  token?: string;
  /** Extra `key=value` lines, or overrides (value undefined drops a key). */
  extra?: Record<string, string | undefined>;
}

export interface WrittenProfile {
  keyFile: string;
  tokenFile?: string;
}

/** Writes ~/.oci/config (and keys, tokens) under `home`; returns the config path. */
export function writeOciHome(home: string, profiles: ProfileSpec[]): { configFile: string; profiles: Record<string, WrittenProfile> } {
  const oci = join(home, '.oci');
  mkdirSync(oci, { recursive: true, mode: 0o700 });
  const written: Record<string, WrittenProfile> = {};
  const sections: string[] = [];
  for (const p of profiles) {
    const dir = p.mode === 'security_token' ? join(oci, 'sessions', p.name) : oci;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keyFile = join(dir, p.mode === 'security_token' ? 'oci_api_key.pem' : `${p.name.toLowerCase()}_api_key.pem`);
    writeFileSync(keyFile, p.privateKeyPem, { mode: 0o600 });
    const entry: WrittenProfile = { keyFile };
    const values: Record<string, string | undefined> = {
      user: p.mode === 'api_key' ? p.user : undefined,
      fingerprint: p.fingerprint,
      key_file: keyFile,
      tenancy: p.tenancy,
      region: p.region,
      pass_phrase: p.passphrase,
    };
    if (p.mode === 'security_token') {
      entry.tokenFile = join(dir, 'token');
      writeFileSync(entry.tokenFile, p.token ?? '', { mode: 0o600 });
      values.security_token_file = entry.tokenFile;
    }
    Object.assign(values, p.extra);
    sections.push(`[${p.name}]`, ...Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`), '');
    written[p.name] = entry;
  }
  const configFile = join(oci, 'config');
  writeFileSync(configFile, sections.join('\n'), { mode: 0o600 });
  return { configFile, profiles: written };
}
