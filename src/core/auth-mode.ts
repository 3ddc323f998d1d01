// Which auth mode is in force, and where that came from: --auth / OCI_CLI_AUTH,
// else the profile (security_token_file makes a session profile), else the
// environment (resource principal, OKE workload identity).
import type { AuthMode } from './options.js';

export interface AuthModeDecision {
  mode: AuthMode | undefined;
  source: string;
  /** Settings that disagree with the chosen mode, in plain words. */
  conflicts: string[];
  /** True when nothing decided and the metadata service is worth probing. */
  probeImds: boolean;
}

export interface AuthModeInput {
  explicit?: { mode: AuthMode; source: string };
  /** The profile's keys, when a profile was found. */
  profileKeys?: ReadonlySet<string>;
  profileName: string;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}

export function decideAuthMode(input: AuthModeInput): AuthModeDecision {
  const { explicit, profileKeys, env } = input;
  const sessionProfile = profileKeys?.has('security_token_file') === true;
  const rpEnv = Boolean(env.OCI_RESOURCE_PRINCIPAL_VERSION);
  const okeEnv = Boolean(env.KUBERNETES_SERVICE_HOST) && Boolean(env.OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH ?? env.KUBERNETES_SERVICE_PORT_PROXYMUX);
  const conflicts: string[] = [];
  if (explicit) {
    const p = `[${input.profileName}]`;
    if (explicit.mode === 'api_key' && sessionProfile) conflicts.push(`${explicit.source} says api_key, but profile ${p} is a session profile (it sets security_token_file): requests will be signed with the session key as if it were an uploaded API key, and fail`);
    if (explicit.mode === 'security_token' && profileKeys && !sessionProfile) conflicts.push(`${explicit.source} says security_token, but profile ${p} has no security_token_file: run oci session authenticate for it`);
    if (explicit.mode === 'security_token' && !profileKeys) conflicts.push(`${explicit.source} says security_token, but profile ${p} does not exist`);
    if (explicit.mode === 'api_key' && !profileKeys) conflicts.push(`${explicit.source} says api_key, but profile ${p} does not exist`);
    if (explicit.mode !== 'resource_principal' && rpEnv) conflicts.push(`OCI_RESOURCE_PRINCIPAL_VERSION is set, but ${explicit.source} selects ${explicit.mode}`);
    return { mode: explicit.mode, source: explicit.source, conflicts, probeImds: false };
  }
  if (profileKeys) {
    return sessionProfile
      ? { mode: 'security_token', source: `profile [${input.profileName}] sets security_token_file`, conflicts, probeImds: false }
      : { mode: 'api_key', source: `profile [${input.profileName}]`, conflicts, probeImds: false };
  }
  if (rpEnv) return { mode: 'resource_principal', source: 'OCI_RESOURCE_PRINCIPAL_VERSION is set', conflicts, probeImds: false };
  if (okeEnv) return { mode: 'oke_workload_identity', source: 'running in Kubernetes with the OKE proxymux variables', conflicts, probeImds: false };
  // Only a Linux machine without any config can plausibly be an OCI instance.
  return { mode: undefined, source: 'nothing configured', conflicts, probeImds: input.platform === 'linux' };
}

export const PRINCIPAL_MODES: ReadonlySet<AuthMode> = new Set(['instance_principal', 'instance_obo_user', 'resource_principal', 'oke_workload_identity']);
