// Generated from src/checks/catalogue.ts by `npm run docs` (scripts/gen-check-index.ts); do not edit by hand.
// What selecting checks needs (--only, --skip, --offline) and where each check
// is: a run of a few checks loads only their groups.
import type { Category } from '../core/types.js';
import type { DoctorCheck } from './deps.js';

export type CheckId = 'env.runtime' | 'env.proxy' | 'env.extra-ca' | 'env.tns-admin' | 'auth.mode' | 'profile.config' | 'profile.key' | 'session.token' | 'session.principal-token' | 'identity.whoami' | 'policy.access' | 'policy.offline' | 'policy.dbtools-connection' | 'dbuser.name' | 'dbuser.mapping' | 'token.scope' | 'token.db-token' | 'token.cache' | 'connect.target' | 'net.reach' | 'net.access-list' | 'tls.chain' | 'wallet.dir' | 'secret.wallet' | 'secret.admin-password' | 'db.identity' | 'db.config';

export interface CheckIndexEntry {
  id: CheckId;
  category: Category;
  dependsOn: string[];
  after?: string[];
  needsOciApi?: boolean;
  load(): Promise<DoctorCheck>;
}

/** Every check, in the catalogue's order. */
export const CHECK_INDEX: readonly CheckIndexEntry[] = [
  { id: 'env.runtime', category: 'env', dependsOn: [], load: () => import('./groups/others.js').then((m) => m.runtimeCheck) },
  { id: 'env.proxy', category: 'env', dependsOn: [], load: () => import('./groups/others.js').then((m) => m.proxyCheck) },
  { id: 'env.extra-ca', category: 'env', dependsOn: [], load: () => import('./groups/others.js').then((m) => m.extraCaCheck) },
  { id: 'env.tns-admin', category: 'env', dependsOn: [], load: () => import('./groups/others.js').then((m) => m.tnsAdminCheck) },
  { id: 'auth.mode', category: 'profile', dependsOn: [], load: () => import('./groups/others.js').then((m) => m.authModeCheck) },
  { id: 'profile.config', category: 'profile', dependsOn: ['auth.mode'], load: () => import('./groups/others.js').then((m) => m.profileConfigCheck) },
  { id: 'profile.key', category: 'profile', dependsOn: ['profile.config'], load: () => import('./groups/others.js').then((m) => m.apiKeyCheck) },
  { id: 'session.token', category: 'session', dependsOn: ['profile.config', 'profile.key'], load: () => import('./groups/others.js').then((m) => m.sessionTokenCheck) },
  { id: 'session.principal-token', category: 'session', dependsOn: ['auth.mode'], load: () => import('./groups/others.js').then((m) => m.principalTokenCheck) },
  { id: 'identity.whoami', category: 'identity', dependsOn: ['auth.mode', 'profile.config', 'profile.key', 'session.token', 'session.principal-token'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.whoAmICheck) },
  { id: 'policy.access', category: 'policy', dependsOn: ['identity.whoami'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.policyAccessCheck) },
  { id: 'policy.offline', category: 'policy', dependsOn: [], load: () => import('./groups/others.js').then((m) => m.policyOfflineCheck) },
  { id: 'policy.dbtools-connection', category: 'policy', dependsOn: ['identity.whoami'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.dbtoolsConnectionAccessCheck) },
  { id: 'dbuser.name', category: 'dbuser', dependsOn: ['identity.whoami'], load: () => import('./groups/others.js').then((m) => m.dbUserNameCheck) },
  { id: 'dbuser.mapping', category: 'dbuser', dependsOn: ['identity.whoami', 'dbuser.name'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.dbUserMappingCheck) },
  { id: 'token.scope', category: 'token', dependsOn: [], after: ['auth.mode', 'profile.config'], load: () => import('./groups/others.js').then((m) => m.tokenScopeCheck) },
  { id: 'token.db-token', category: 'token', dependsOn: ['identity.whoami', 'token.scope'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.dbTokenCheck) },
  { id: 'token.cache', category: 'token', dependsOn: [], load: () => import('./groups/others.js').then((m) => m.dbTokenCacheCheck) },
  { id: 'connect.target', category: 'network', dependsOn: [], load: () => import('./groups/connect.js').then((m) => m.connectTargetCheck) },
  { id: 'net.reach', category: 'network', dependsOn: ['connect.target'], load: () => import('./groups/connect.js').then((m) => m.reachCheck) },
  { id: 'net.access-list', category: 'network', dependsOn: ['identity.whoami'], after: ['net.reach'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.accessListCheck) },
  { id: 'tls.chain', category: 'tls', dependsOn: ['connect.target', 'net.reach'], after: ['wallet.dir'], load: () => import('./groups/connect.js').then((m) => m.tlsChainCheck) },
  { id: 'wallet.dir', category: 'wallet', dependsOn: [], load: () => import('./groups/connect.js').then((m) => m.walletDirCheck) },
  { id: 'secret.wallet', category: 'wallet', dependsOn: ['identity.whoami'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.secretWalletCheck) },
  { id: 'secret.admin-password', category: 'wallet', dependsOn: ['identity.whoami'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.adminPasswordSecretCheck) },
  { id: 'db.identity', category: 'db', dependsOn: ['identity.whoami', 'policy.access', 'dbuser.name'], after: ['connect.target', 'net.reach', 'tls.chain', 'token.db-token', 'db.config'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.dbIdentityCheck) },
  { id: 'db.config', category: 'db', dependsOn: ['identity.whoami', 'dbuser.name'], after: ['connect.target', 'net.reach', 'tls.chain'], needsOciApi: true, load: () => import('./groups/others.js').then((m) => m.dbConfigCheck) },
];
