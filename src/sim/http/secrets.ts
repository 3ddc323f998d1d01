// Secret retrieval (oci-secrets, /20190301): GetSecretBundle by id and by name,
// with the JSON shape SecretsClient deserializes (model.SecretBundle).
import type { Fixture } from '../fixture.js';
import { notAuthorizedOrNotFound, OciError, type Route, type SimContext, type SimRequest, type SimResponse } from './server.js';

type Secret = Fixture['secrets'][number];

const EPOCH = '2024-01-01T00:00:00.000Z';

/** The one version every simulated secret has. */
const VERSION_NUMBER = 1;

export function secretBundleModel(s: Secret): Record<string, unknown> {
  return {
    secretId: s.id,
    timeCreated: EPOCH,
    versionNumber: VERSION_NUMBER,
    stages: ['CURRENT', 'LATEST'],
    secretBundleContent: { contentType: 'BASE64', content: s.contentBase64 },
    metadata: {},
  };
}

/** Which version the request asks for; only version 1 / CURRENT / LATEST exist. */
function checkVersion(req: SimRequest, s: Secret): void {
  const version = req.query.get('versionNumber');
  const stage = req.query.get('stage');
  const name = req.query.get('secretVersionName');
  if (version !== null && Number(version) !== VERSION_NUMBER) throw notAuthorizedOrNotFound(`secret version ${version} of ${s.id}`);
  if (stage !== null && !['CURRENT', 'LATEST'].includes(stage.toUpperCase())) throw notAuthorizedOrNotFound(`secret ${s.id} in stage ${stage}`);
  if (name !== null) throw notAuthorizedOrNotFound(`secret version named ${name} of ${s.id}`);
}

function bundle(req: SimRequest, ctx: SimContext, s: Secret | undefined, what: string): SimResponse {
  // Missing and forbidden look the same to the caller.
  if (!s || !ctx.authorize(req, 'read secret-bundles', s.compartmentId, { 'target.secret.id': s.id, 'target.secret.name': s.name })) throw notAuthorizedOrNotFound(what);
  if (s.state === 'DELETED') throw notAuthorizedOrNotFound(what);
  if (s.state !== 'ACTIVE') {
    // What the real service answers for a secret pending deletion is not
    // documented: the fixture picks one of the two plausible forms, and
    // neither names the state (the doctor must not need it to).
    if (ctx.fixture.service?.inactiveSecret === 'not-found') throw notAuthorizedOrNotFound(`${what} is ${s.state}`);
    throw new OciError(409, 'IncorrectState', 'The resource is not in a valid state for this operation.', `${what} is ${s.state}`);
  }
  checkVersion(req, s);
  return { status: 200, body: secretBundleModel(s), headers: { etag: `"${s.id.slice(-12)}-${VERSION_NUMBER}"` } };
}

export function secretsRoutes(): Route[] {
  return [
    {
      // A POST with the name in the query string, as SecretsClient sends it.
      method: 'POST',
      pattern: /^\/20190301\/secretbundles\/actions\/getByName$/,
      auth: 'signed',
      handle(req, ctx) {
        const name = req.query.get('secretName');
        const vaultId = req.query.get('vaultId');
        if (!name) throw new OciError(400, 'MissingParameter', 'secretName is required');
        if (!vaultId) throw new OciError(400, 'MissingParameter', 'vaultId is required');
        const s = ctx.fixture.secrets.find((x) => x.name === name && x.vaultId === vaultId);
        return bundle(req, ctx, s, `secret ${name} in vault ${vaultId}`);
      },
    },
    {
      method: 'GET',
      pattern: /^\/20190301\/secretbundles\/([^/]+)$/,
      auth: 'signed',
      handle(req, ctx) {
        const id = req.params[0] as string;
        return bundle(req, ctx, ctx.fixture.secrets.find((x) => x.id === id), `secret ${id}`);
      },
    },
  ];
}
