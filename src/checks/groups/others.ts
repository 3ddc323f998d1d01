// Every check not in connect.ts: the machine, the environment and the OCI
// profile, and what OCI and the database say about the caller (most wait for
// identity.whoami), with the policy engine and the SDK glue they need.
export { whoAmICheck } from '../identity/whoami.js';
export { policyAccessCheck } from '../policy/access.js';
export { dbtoolsConnectionAccessCheck } from '../policy/dbtools-connection.js';
export { dbUserNameCheck } from '../dbuser/name.js';
export { dbUserMappingCheck } from '../dbuser/mapping.js';
export { dbTokenCheck } from '../token/db-token.js';
export { accessListCheck } from '../network/access-list.js';
export { secretWalletCheck } from '../wallet/secret.js';
export { adminPasswordSecretCheck } from '../wallet/admin-password.js';
export { dbIdentityCheck } from '../db/identity.js';
export { dbConfigCheck } from '../db/config.js';
export { runtimeCheck } from '../env/runtime.js';
export { proxyCheck } from '../env/proxy.js';
export { extraCaCheck } from '../env/extra-ca.js';
export { tnsAdminCheck } from '../env/tns-admin.js';
export { authModeCheck } from '../profile/auth-mode.js';
export { profileConfigCheck } from '../profile/config.js';
export { apiKeyCheck } from '../profile/api-key.js';
export { sessionTokenCheck } from '../session/token.js';
export { principalTokenCheck } from '../session/principal-token.js';
export { tokenScopeCheck } from '../token/scope.js';
export { dbTokenCacheCheck } from '../token/cache.js';
export { policyOfflineCheck } from '../policy/offline.js';
