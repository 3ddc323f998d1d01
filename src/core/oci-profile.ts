// Finds and reads the OCI config file and profile the way the OCI CLI does
// (the file is read through the injected FilesAdapter, so this stays testable),
// and notes which file the TypeScript SDK would read instead.
import { join } from 'node:path';
import { defaultProfileFromCliRc, effectiveProfile, expandHome, parseOciConfig, type EffectiveValue, type ParsedConfig } from './oci-config.js';
import type { DoctorDeps } from '../checks/deps.js';

/** Config files larger than this are refused: no real OCI config comes close. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export interface ProfileFacts {
  /** The file the CLI (and the doctor) reads, and why that one. */
  file: { path: string; source: string };
  /** The file the TypeScript SDK's default loader would read, if any. */
  sdkFile?: string;
  read: { ok: true } | { ok: false; missing: boolean; reason: string };
  parsed?: ParsedConfig;
  profile: { name: string; source: string };
  /** The profile's effective values, [DEFAULT] filled in; undefined when the profile is absent. */
  values?: Map<string, EffectiveValue>;
}

export async function readProfileFacts(deps: Pick<DoctorDeps, 'options' | 'env' | 'files' | 'system'>): Promise<ProfileFacts> {
  const { options, env, files, system } = deps;
  const home = system.homeDir;
  const defaultPath = join(home, '.oci', 'config');
  const file = options.configFile
    ? { path: expandHome(options.configFile, home), source: options.sources.configFile === 'flag' ? '--config-file' : options.sources.configFile ?? '--config-file' }
    : { path: defaultPath, source: 'default (~/.oci/config)' };

  // The SDK's loader: ~/.oci/config if it exists, else $OCI_CONFIG_FILE, else ~/.oraclebmc/config.
  let sdkFile: string | undefined;
  if ((await files.probe(defaultPath)).kind === 'file') sdkFile = defaultPath;
  else if (env.OCI_CONFIG_FILE && (await files.probe(expandHome(env.OCI_CONFIG_FILE, home))).kind === 'file') sdkFile = expandHome(env.OCI_CONFIG_FILE, home);
  else if ((await files.probe(join(home, '.oraclebmc', 'config'))).kind === 'file') sdkFile = join(home, '.oraclebmc', 'config');

  let profile = { name: 'DEFAULT', source: 'default' };
  if (options.profile) {
    profile = { name: options.profile, source: options.sources.profile === 'flag' ? '--profile' : options.sources.profile ?? '--profile' };
  } else {
    const rcPath = env.OCI_CLI_RC_FILE ? expandHome(env.OCI_CLI_RC_FILE, home) : join(home, '.oci', 'oci_cli_rc');
    const rc = await files.readText(rcPath, MAX_CONFIG_BYTES);
    const fromRc = rc.ok ? defaultProfileFromCliRc(rc.text) : undefined;
    if (fromRc) profile = { name: fromRc.value, source: `${rcPath}:${fromRc.line} (default_profile)` };
  }

  const probe = await files.probe(file.path);
  if (probe.kind === 'missing') return { file, sdkFile, profile, read: { ok: false, missing: true, reason: 'no such file' } };
  const text = await files.readText(file.path, MAX_CONFIG_BYTES);
  if (!text.ok) return { file, sdkFile, profile, read: { ok: false, missing: false, reason: text.reason } };
  const parsed = parseOciConfig(text.text);
  return { file, sdkFile, profile, read: { ok: true }, parsed, values: effectiveProfile(parsed, profile.name, file.path) };
}
