// The whole simulated tenancy on one loopback server: Identity, the IAM data
// plane, federation, instance metadata, Secrets, Database, Database Tools.
// Access is decided by the fixture's own policies.
import { dynamicGroupNames, policyAuthorizer } from './authorize.js';
import type { Fixture } from './fixture.js';
import { databaseRoutes } from './http/database.js';
import { dbToolsRoutes } from './http/dbtools.js';
import { federationRoutes } from './http/federation.js';
import { identityRoutes } from './http/identity.js';
import { defaultInstanceIdentityAuthority, imdsRoutes } from './http/imds.js';
import { secretsRoutes } from './http/secrets.js';
import { startHttpSimulator, type RunningSimulator, type SimContext } from './http/server.js';
import type { TokenIssuer } from './tokens.js';

export interface StartOptions {
  issuer?: TokenIssuer;
  now?: () => Date;
  /** The instance whose metadata service answers (default: the fixture's first). */
  instanceId?: string;
  /** Replaces the policy-based decision (tests of one service in isolation). */
  authorize?: SimContext['authorize'];
}

export async function startSimulator(fixture: Fixture, opts: StartOptions = {}): Promise<RunningSimulator> {
  const authority = defaultInstanceIdentityAuthority();
  const instanceId = opts.instanceId ?? fixture.instances[0]?.id;
  const routes = [
    ...identityRoutes(),
    ...secretsRoutes(),
    ...databaseRoutes(),
    ...dbToolsRoutes({ dynamicGroupsOf: dynamicGroupNames }),
    ...federationRoutes({ authority }),
    ...(instanceId ? imdsRoutes({ instanceId, authority }) : []),
  ];
  return startHttpSimulator(fixture, routes, { issuer: opts.issuer, now: opts.now, authorize: opts.authorize ?? policyAuthorizer(fixture) });
}
