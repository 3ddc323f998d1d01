// Identity (control plane, /20160918), the IAM data plane (/v1) and the
// session-token refresh, with the JSON shapes the oci-* SDK clients expect.
import { createPublicKey } from 'node:crypto';
import { parseDbScope } from '../../core/db-scope.js';
import type { Fixture } from '../fixture.js';
import { publicKeyToJwk } from '../tokens.js';
import { notAuthorizedOrNotFound, OciError, type Route, type SimContext, type SimRequest } from './server.js';

const EPOCH = '2024-01-01T00:00:00.000Z';
const ID = '([^/]+)';

type User = Fixture['users'][number];

export function userModel(u: User, tenancyId: string): Record<string, unknown> {
  return {
    id: u.id,
    compartmentId: tenancyId,
    name: u.name,
    description: u.name,
    email: u.email,
    dbUserName: u.dbUserName,
    timeCreated: EPOCH,
    lifecycleState: 'ACTIVE',
    isMfaActivated: false,
    capabilities: { canUseConsolePassword: true, canUseApiKeys: true, canUseAuthTokens: true, canUseSmtpCredentials: true, canUseDbCredentials: u.canUseDbCredentials, canUseCustomerSecretKeys: true },
  };
}

function requireCompartment(req: SimRequest, fixture: Fixture): string {
  const id = req.query.get('compartmentId');
  if (!id) throw new OciError(400, 'MissingParameter', 'compartmentId is required');
  if (id !== fixture.tenancy.id && !fixture.compartments.some((c) => c.id === id)) throw notAuthorizedOrNotFound(`compartment ${id}`);
  return id;
}

/** Ids of the compartment and all its descendants. */
export function subtreeOf(fixture: Fixture, rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of fixture.compartments) {
      if (ids.has(c.parentId) && !ids.has(c.id)) {
        ids.add(c.id);
        grew = true;
      }
    }
  }
  return ids;
}

/** The caller's own user is always readable; that is how `oci iam user get` works for everyone. */
function callerUserId(req: SimRequest): string | undefined {
  return req.principal?.kind === 'user' ? req.principal.id : undefined;
}

/** A scope the data plane accepts: well formed, and naming a compartment (or the tenancy) that exists. */
export function scopeIsWellFormed(scope: string, fixture: Fixture): boolean {
  const parsed = parseDbScope(scope);
  if (!parsed.ok) return false;
  const s = parsed.scope;
  const container = s.kind === 'container' ? s.id : s.kind === 'database' ? s.compartmentId : undefined;
  return container === undefined || container === fixture.tenancy.id || fixture.compartments.some((c) => c.id === container);
}

const DB_TOKEN_LIFETIME_S = 3600;

export function identityRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/20160918/users/${ID}$`),
      auth: 'signed',
      handle(req, ctx) {
        const user = ctx.fixture.users.find((u) => u.id === req.params[0]);
        if (!user) throw notAuthorizedOrNotFound(`user ${req.params[0]}`);
        if (callerUserId(req) !== user.id && !ctx.authorize(req, 'inspect users', ctx.fixture.tenancy.id)) throw notAuthorizedOrNotFound(`user ${user.id}`);
        return { status: 200, body: userModel(user, ctx.fixture.tenancy.id) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/20160918\/userGroupMemberships$/,
      auth: 'signed',
      paged: true,
      handle(req, ctx) {
        requireCompartment(req, ctx.fixture);
        const userId = req.query.get('userId');
        const groupId = req.query.get('groupId');
        const rows = ctx.fixture.users
          .filter((u) => !userId || u.id === userId)
          .flatMap((u) => u.groupIds.filter((g) => !groupId || g === groupId).map((g) => ({ u, g })));
        if (userId !== callerUserId(req) && !ctx.authorize(req, 'inspect groups', ctx.fixture.tenancy.id)) throw notAuthorizedOrNotFound('user group memberships');
        return {
          status: 200,
          body: rows.map(({ u, g }) => ({ id: `ocid1.groupmembership.oc1..${u.id.slice(-8)}${g.slice(-8)}`, compartmentId: ctx.fixture.tenancy.id, groupId: g, userId: u.id, timeCreated: EPOCH, lifecycleState: 'ACTIVE' })),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/20160918\/groups$/,
      auth: 'signed',
      paged: true,
      handle(req, ctx) {
        requireCompartment(req, ctx.fixture);
        return { status: 200, body: ctx.fixture.groups.map((g) => groupModel(g, ctx)) };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/20160918/groups/${ID}$`),
      auth: 'signed',
      handle(req, ctx) {
        const g = ctx.fixture.groups.find((x) => x.id === req.params[0]);
        if (!g) throw notAuthorizedOrNotFound(`group ${req.params[0]}`);
        return { status: 200, body: groupModel(g, ctx) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/20160918\/dynamicGroups$/,
      auth: 'signed',
      paged: true,
      handle(req, ctx) {
        requireCompartment(req, ctx.fixture);
        if (!ctx.authorize(req, 'inspect dynamic-groups', ctx.fixture.tenancy.id)) throw notAuthorizedOrNotFound('dynamic groups');
        return {
          status: 200,
          body: ctx.fixture.dynamicGroups.map((d) => ({ id: d.id, compartmentId: ctx.fixture.tenancy.id, name: d.name, description: d.description ?? '', matchingRule: d.matchingRule, timeCreated: EPOCH, lifecycleState: 'ACTIVE' })),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/20160918\/policies$/,
      auth: 'signed',
      paged: true,
      handle(req, ctx) {
        const compartmentId = requireCompartment(req, ctx.fixture);
        if (!ctx.authorize(req, 'inspect policies', compartmentId)) throw notAuthorizedOrNotFound('policies');
        return {
          status: 200,
          body: ctx.fixture.policies
            .filter((p) => p.compartmentId === compartmentId)
            .map((p) => ({ id: p.id, compartmentId: p.compartmentId, name: p.name, statements: p.statements, description: p.name, timeCreated: p.timeCreated, lifecycleState: 'ACTIVE' })),
        };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/20160918/compartments/${ID}$`),
      auth: 'signed',
      handle(req, ctx) {
        const id = req.params[0] as string;
        if (id === ctx.fixture.tenancy.id) return { status: 200, body: compartmentModel({ id, name: ctx.fixture.tenancy.name, parentId: id }) };
        const c = ctx.fixture.compartments.find((x) => x.id === id);
        if (!c) throw notAuthorizedOrNotFound(`compartment ${id}`);
        return { status: 200, body: compartmentModel(c) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/20160918\/compartments$/,
      auth: 'signed',
      paged: true,
      handle(req, ctx) {
        const parent = requireCompartment(req, ctx.fixture);
        const inSubtree = req.query.get('compartmentIdInSubtree') === 'true';
        const scope = inSubtree ? subtreeOf(ctx.fixture, parent) : new Set([parent]);
        return { status: 200, body: ctx.fixture.compartments.filter((c) => scope.has(c.parentId)).map(compartmentModel) };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/20160918/tenancies/${ID}$`),
      auth: 'signed',
      handle(req, ctx) {
        if (req.params[0] !== ctx.fixture.tenancy.id) throw notAuthorizedOrNotFound(`tenancy ${req.params[0]}`);
        return { status: 200, body: { id: ctx.fixture.tenancy.id, name: ctx.fixture.tenancy.name, description: ctx.fixture.tenancy.name, homeRegionKey: regionKey(ctx.fixture.tenancy.homeRegion) } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/20160918/tenancies/${ID}/regionSubscriptions$`),
      auth: 'signed',
      handle(req, ctx) {
        if (req.params[0] !== ctx.fixture.tenancy.id) throw notAuthorizedOrNotFound(`tenancy ${req.params[0]}`);
        return {
          status: 200,
          body: ctx.fixture.tenancy.regions.map((r) => ({ regionKey: regionKey(r), regionName: r, status: 'READY', isHomeRegion: r === ctx.fixture.tenancy.homeRegion })),
        };
      },
    },
    {
      // IAM data plane: a DB token for the caller, bound to the key pair it presents.
      method: 'POST',
      pattern: /^\/v1\/actions\/generateScopedAccessToken$/,
      auth: 'signed',
      handle(req, ctx) {
        const body = req.json<{ scope?: unknown; publicKey?: unknown }>();
        if (typeof body.scope !== 'string' || !scopeIsWellFormed(body.scope, ctx.fixture)) throw notAuthorizedOrNotFound(`scope ${String(body.scope)}`);
        if (typeof body.publicKey !== 'string') throw new OciError(400, 'InvalidParameter', 'publicKey is required');
        const publicKeyPem = toPublicKeyPem(body.publicKey);
        if (!publicKeyPem) throw new OciError(400, 'InvalidParameter', 'publicKey is not an RSA public key');
        const p = req.principal!;
        const now = Math.floor(ctx.now().getTime() / 1000);
        const token = ctx.issuer.issue({
          sub: p.id,
          ptype: p.kind,
          tenant: p.tenancyId,
          scope: body.scope,
          aud: 'urn:oracle:db::id::*',
          iss: 'authService.oracle.com',
          iat: now,
          exp: now + DB_TOKEN_LIFETIME_S,
          jwk: publicKeyToJwk(publicKeyPem),
          tokenType: 'db-token',
        });
        return { status: 200, body: { token } };
      },
    },
    {
      // Session-token refresh (`oci session refresh`): the old token, if still valid, buys a new one.
      method: 'POST',
      pattern: /^\/v1\/authentication\/refresh$/,
      auth: 'none',
      handle(req, ctx) {
        const body = req.json<{ currentToken?: unknown }>();
        if (typeof body.currentToken !== 'string') throw new OciError(400, 'InvalidParameter', 'currentToken is required');
        const verdict = ctx.issuer.verify(body.currentToken, ctx.now());
        if (!verdict.ok) throw new OciError(401, 'NotAuthenticated', `The session cannot be refreshed: ${verdict.reason}.`);
        const now = Math.floor(ctx.now().getTime() / 1000);
        return { status: 200, body: { token: ctx.issuer.issue({ ...verdict.claims, iat: now, exp: now + 3600 }) } };
      },
    },
  ];
}

function groupModel(g: Fixture['groups'][number], ctx: SimContext): Record<string, unknown> {
  return { id: g.id, compartmentId: ctx.fixture.tenancy.id, name: g.name, description: g.description ?? '', timeCreated: EPOCH, lifecycleState: 'ACTIVE' };
}

function compartmentModel(c: { id: string; name: string; parentId: string; description?: string }): Record<string, unknown> {
  return { id: c.id, compartmentId: c.parentId, name: c.name, description: c.description ?? '', timeCreated: EPOCH, lifecycleState: 'ACTIVE', isAccessible: true };
}

function regionKey(region: string): string {
  const known: Record<string, string> = { 'us-ashburn-1': 'IAD', 'us-phoenix-1': 'PHX', 'eu-frankfurt-1': 'FRA', 'uk-london-1': 'LHR' };
  return known[region] ?? region.slice(0, 3).toUpperCase();
}

function toPublicKeyPem(value: string): string | undefined {
  try {
    const key = value.includes('BEGIN') ? createPublicKey(value) : createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa') return undefined;
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return undefined;
  }
}
