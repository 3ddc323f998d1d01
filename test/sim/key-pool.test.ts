// The simulator's key pool: a value built from pooled keys (the metadata
// service's default CA, a test helper's wallet) is built again once keys it
// may hold go back into the pool, so no key ever serves two roles at once.
// Canary strings under a key size nothing else asks for stand in for keys.
import { describe, expect, it } from 'vitest';
import { addRsaKeys, pooledKeyMemo, takeRsaKey, type PooledKey } from '../../src/sim/key-pool.js';

const BITS = 7;
const canary = (name: string): PooledKey => ({ privateKeyPem: `canary-private-${name}`, publicKeyPem: `canary-public-${name}` });

describe('pooledKeyMemo', () => {
  it('keeps its value while new keys arrive, and makes it again once a handed-out key is given back', () => {
    const [a, b, c] = [canary('a'), canary('b'), canary('c')];
    addRsaKeys([a, b], BITS);
    const made: PooledKey[] = [];
    const memo = pooledKeyMemo(() => {
      const key = takeRsaKey(BITS);
      made.push(key);
      return key;
    });
    const first = memo();
    expect(memo()).toBe(first);
    // A key no one holds yet: the value stays.
    addRsaKeys([c], BITS);
    expect(memo()).toBe(first);
    expect(made).toHaveLength(1);
    // The held key back in the pool (as the suite's per-file refill does): the next role could get it.
    addRsaKeys([first], BITS);
    const second = memo();
    expect(made).toHaveLength(2);
    expect(memo()).toBe(second);
    expect(made).toHaveLength(2);
  });
});
