// OCI Vault secret retrieval (oci-secrets): one GetSecretBundle, returned as
// a typed fact. The content stays base64 here; the caller decides what it is
// and registers it as a secret before anything derived from it is shown.
import { aim, attempt, clientConfig, providerFor, type CallContext, type OciResult, type SigningIdentity } from './oci-sdk.js';
import { applyProxyEnvironment } from './proxy.js';
import { cjsModule } from './cjs-module.js';

export interface SecretBundleFacts {
  secretId: string;
  versionNumber?: number;
  stages: string[];
  contentType?: string;
  /** Base64 content, as the service returned it. */
  contentBase64?: string;
  timeOfExpiry?: string;
}

export async function getSecretBundle(id: SigningIdentity, secretId: string, call: CallContext): Promise<OciResult<SecretBundleFacts>> {
  // The proxy set-up, the client's module and oci-common load side by side.
  const [, { SecretsClient }, config] = await Promise.all([applyProxyEnvironment(call.env), import('oci-secrets').then(cjsModule), clientConfig()]);
  const client = new SecretsClient({ authenticationDetailsProvider: providerFor(id) }, config as never);
  aim(client, 'secrets', id.region, call.endpoints);
  return attempt(call, async () => {
    const res = await client.getSecretBundle({ secretId });
    const b = res.secretBundle;
    const content = b.secretBundleContent;
    return {
      secretId: b.secretId,
      versionNumber: b.versionNumber,
      stages: (b.stages ?? []).map(String),
      ...(content ? { contentType: content.contentType, contentBase64: content.content } : {}),
      ...(b.timeOfExpiry ? { timeOfExpiry: new Date(b.timeOfExpiry).toISOString() } : {}),
    };
  });
}
