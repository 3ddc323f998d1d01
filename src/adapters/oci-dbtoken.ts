// DB tokens from the IAM data plane (POST /v1/actions/generateScopedAccessToken),
// each bound to a key pair made fresh for the request. Works for every
// identity that can sign a request, which node-oracledb's own plugin cannot
// say for session tokens or OKE workload identity.
import { generateKeyPair } from 'node:crypto';
import { aim, attempt, clientConfig, providerFor, type CallContext, type OciResult, type SigningIdentity } from './oci-sdk.js';
import { applyProxyEnvironment } from './proxy.js';
import { cjsModule } from './cjs-module.js';

export interface DbKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function newDbKeyPair(): Promise<DbKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
      (err, publicKeyPem, privateKeyPem) => (err ? reject(err) : resolve({ privateKeyPem, publicKeyPem })),
    );
  });
}

export async function generateDbToken(id: SigningIdentity, scope: string, publicKeyPem: string, call: CallContext): Promise<OciResult<string>> {
  await applyProxyEnvironment(call.env);
  const { DataplaneClient } = cjsModule(await import('oci-identitydataplane'));
  const client = new DataplaneClient({ authenticationDetailsProvider: providerFor(id) }, (await clientConfig()) as never);
  aim(client, 'dataplane', id.region, call.endpoints);
  return attempt(call, async () => (await client.generateScopedAccessToken({ generateScopedAccessTokenDetails: { scope, publicKey: publicKeyPem } })).securityToken.token);
}
