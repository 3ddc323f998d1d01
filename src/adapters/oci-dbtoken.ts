// DB tokens from the IAM data plane (POST /v1/actions/generateScopedAccessToken),
// each bound to a key pair made fresh for the request. Works for every
// identity that can sign a request, which node-oracledb's own plugin cannot
// say for session tokens or OKE workload identity.
import { aim, attempt, clientConfig, providerFor, type CallContext, type OciResult, type SigningIdentity } from './oci-sdk.js';
import { applyProxyEnvironment } from './proxy.js';
import { cjsModule } from './cjs-module.js';

export async function generateDbToken(id: SigningIdentity, scope: string, publicKeyPem: string, call: CallContext): Promise<OciResult<string>> {
  // The proxy set-up, the client's module and oci-common load side by side.
  const [, { DataplaneClient }, config] = await Promise.all([applyProxyEnvironment(call.env), import('oci-identitydataplane').then(cjsModule), clientConfig()]);
  const client = new DataplaneClient({ authenticationDetailsProvider: providerFor(id) }, config as never);
  aim(client, 'dataplane', id.region, call.endpoints);
  return attempt(call, async () => (await client.generateScopedAccessToken({ generateScopedAccessTokenDetails: { scope, publicKey: publicKeyPem } })).securityToken.token);
}
