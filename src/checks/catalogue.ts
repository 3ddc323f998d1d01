// Every check the doctor runs, in display order. `checks` and
// docs/findings.md are produced from this list.
import { ENGINE_SPECS } from '../core/engine.js';
import { EXPLAIN_CODE_LIST } from '../core/explain/codes.js';
import type { FindingSpec } from '../core/types.js';
import type { DoctorCheck } from './deps.js';
import { extraCaCheck } from './env/extra-ca.js';
import { proxyCheck } from './env/proxy.js';
import { runtimeCheck } from './env/runtime.js';
import { tnsAdminCheck } from './env/tns-admin.js';
import { whoAmICheck } from './identity/whoami.js';
import { connectTargetCheck } from './network/target.js';
import { reachCheck } from './network/reach.js';
import { accessListCheck } from './network/access-list.js';
import { policyAccessCheck } from './policy/access.js';
import { dbtoolsConnectionAccessCheck } from './policy/dbtools-connection.js';
import { policyOfflineCheck } from './policy/offline.js';
import { apiKeyCheck } from './profile/api-key.js';
import { authModeCheck } from './profile/auth-mode.js';
import { profileConfigCheck } from './profile/config.js';
import { principalTokenCheck } from './session/principal-token.js';
import { sessionTokenCheck } from './session/token.js';
import { tlsChainCheck } from './tls/chain.js';
import { dbConfigCheck } from './db/config.js';
import { adminPasswordSecretCheck } from './wallet/admin-password.js';
import { dbIdentityCheck } from './db/identity.js';
import { dbUserMappingCheck } from './dbuser/mapping.js';
import { dbUserNameCheck } from './dbuser/name.js';
import { dbTokenCacheCheck } from './token/cache.js';
import { dbTokenCheck } from './token/db-token.js';
import { tokenScopeCheck } from './token/scope.js';
import { walletDirCheck } from './wallet/dir.js';
import { secretWalletCheck } from './wallet/secret.js';

export const ALL_CHECKS: readonly DoctorCheck[] = [
  runtimeCheck,
  proxyCheck,
  extraCaCheck,
  tnsAdminCheck,
  authModeCheck,
  profileConfigCheck,
  apiKeyCheck,
  sessionTokenCheck,
  principalTokenCheck,
  whoAmICheck,
  policyAccessCheck,
  policyOfflineCheck,
  dbtoolsConnectionAccessCheck,
  dbUserNameCheck,
  dbUserMappingCheck,
  tokenScopeCheck,
  dbTokenCheck,
  dbTokenCacheCheck,
  connectTargetCheck,
  reachCheck,
  accessListCheck,
  tlsChainCheck,
  walletDirCheck,
  secretWalletCheck,
  adminPasswordSecretCheck,
  dbIdentityCheck,
  dbConfigCheck,
];

export interface CatalogueEntry {
  owner: string;
  spec: FindingSpec;
}

/** Every finding code with the check that emits it; the engine's own codes first, the explainer's last. */
export function allCodes(checks: readonly DoctorCheck[] = ALL_CHECKS): CatalogueEntry[] {
  return [
    ...ENGINE_SPECS.map((spec) => ({ owner: 'engine', spec })),
    ...checks.flatMap((c) => c.codes.map((spec) => ({ owner: c.id, spec }))),
    // The explainer's own codes, unless a check already owns one (db.identity reports explain.unknown-error live).
    ...EXPLAIN_CODE_LIST.filter((spec) => !ALL_CHECKS.some((c) => c.codes.some((s) => s.code === spec.code))).map((spec) => ({ owner: 'explain', spec })),
  ];
}

/** Every code's spec by code: the one owner of each fix text, for explanations too. */
export function codeSpecs(checks: readonly DoctorCheck[] = ALL_CHECKS): ReadonlyMap<string, FindingSpec> {
  return new Map(allCodes(checks).map((e) => [e.spec.code, e.spec]));
}
