// The proxy the environment names, installed for the OCI SDK's fetch: behind a
// corporate proxy nothing may be written to the user's terminal on the way.
import { afterEach, describe, expect, it } from 'vitest';
import { applyProxyEnvironment } from '../../src/adapters/proxy.js';

describe('applyProxyEnvironment', () => {
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }): void => void warnings.push(`${w.code ?? ''} ${w.message}`);
  afterEach(async () => {
    process.off('warning', onWarning);
    await applyProxyEnvironment({});
  });

  it('installs the proxy without a Node warning (undici announces EnvHttpProxyAgent as experimental), and later warnings still reach Node', async () => {
    process.on('warning', onWarning);
    await applyProxyEnvironment({ HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: 'localhost' });
    // Warnings are emitted on the next tick: let any that were raised arrive.
    await new Promise((r) => setImmediate(r));
    expect(warnings).toEqual([]);
    process.emitWarning('a later warning', { code: 'DBIAM-TEST' });
    await new Promise((r) => setImmediate(r));
    expect(warnings).toEqual(['DBIAM-TEST a later warning']);
  });
});
