// A run that will make a DB token starts its key pair as the run starts, so
// the 50-300 ms of RSA generation overlap module loading and OCI's answers
// instead of following the token check's first read.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyPairsStartedNow, type DbKeyPair } from '../../src/adapters/rsa-key-pair.js';
import { keyPairsAhead } from '../../src/commands/doctor/checks.js';

const selection = (over: Partial<{ only: string[]; skip: string[]; offline: boolean }> = {}) => ({ only: [], skip: [], offline: false, ...over });

describe('how many key pairs a run starts ahead', () => {
  // By hand from the check index: token.db-token makes the run's one fresh
  // pair; db.identity waits for it (after), so selecting it brings it in.
  it.each([
    ['every check', selection(), 1],
    ['--only token', selection({ only: ['token'] }), 1],
    ['--only db.identity (it waits for the DB token)', selection({ only: ['db.identity'] }), 1],
    ['--only tls.chain', selection({ only: ['tls.chain'] }), 0],
    ['--only profile', selection({ only: ['profile'] }), 0],
    ['--skip token.db-token', selection({ skip: ['token.db-token'] }), 0],
    ['--offline (the token check is skipped)', selection({ offline: true }), 0],
  ])('%s: %i', (_name, opts, expected) => {
    expect(keyPairsAhead(opts)).toBe(expected);
  });

  it('counts among the checks the run is given, when it is given its own', () => {
    const check = (id: string, needsOciApi = false) => ({ id, category: id.split('.')[0] as never, dependsOn: [], needsOciApi });
    expect(keyPairsAhead(selection(), [check('env.runtime'), check('tls.chain')])).toBe(0);
    expect(keyPairsAhead(selection(), [check('env.runtime'), check('token.db-token', true)])).toBe(1);
    expect(keyPairsAhead(selection({ offline: true }), [check('token.db-token', true)])).toBe(0);
  });
});

describe('a key source with pairs started now', () => {
  const counting = () => {
    let made = 0;
    const make = async (): Promise<DbKeyPair> => {
      made += 1;
      return { privateKeyPem: `private ${made}`, publicKeyPem: `public ${made}` };
    };
    return { make, made: () => made };
  };

  it('starts the pairs before anything asks, hands each out once, then makes fresh ones', async () => {
    const source = counting();
    const next = keyPairsStartedNow(1, source.make);
    expect(source.made()).toBe(1);
    expect((await next()).publicKeyPem).toBe('public 1');
    expect((await next()).publicKeyPem).toBe('public 2');
    expect(source.made()).toBe(2);
  });

  it('starts none when none is foreseen', async () => {
    const source = counting();
    const next = keyPairsStartedNow(0, source.make);
    expect(source.made()).toBe(0);
    expect((await next()).publicKeyPem).toBe('public 1');
  });

  it('a pair that failed to generate fails the ask that takes it, and no one else', async () => {
    let calls = 0;
    const next = keyPairsStartedNow(1, async () => {
      calls += 1;
      if (calls === 1) throw new Error('no entropy');
      return { privateKeyPem: 'p', publicKeyPem: 'q' };
    });
    await expect(next()).rejects.toThrow('no entropy');
    await expect(next()).resolves.toEqual({ privateKeyPem: 'p', publicKeyPem: 'q' });
  });

  it('by default makes real RSA-2048 pairs whose halves match, a different one each time', async () => {
    const next = keyPairsStartedNow(1);
    const [a, b] = [await next(), await next()];
    for (const pair of [a, b]) {
      const key = createPrivateKey(pair.privateKeyPem);
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(createPublicKey(key).export({ type: 'spki', format: 'pem' })).toBe(pair.publicKeyPem);
    }
    expect(a.publicKeyPem).not.toBe(b.publicKeyPem);
  });
});
