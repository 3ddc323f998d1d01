import { describe, expect, it } from 'vitest';
import { compilePattern, patternMatches } from '../../../src/core/policy/index.js';

const matches = (pattern: string, value: string): boolean => patternMatches(compilePattern(pattern), value.toLowerCase());

describe('where-clause patterns', () => {
  it.each([
    ['A-*', 'A-Admins', true],
    ['A-*', 'a-admins', true],
    ['A-*', 'B-Admins', false],
    ['A-*', 'A-', true],
    ['*-Admins', 'Team-Admins', true],
    ['*-Admins', 'Team-Admin', false],
    ['*vcn*', 'mgmt-vcn-1', true],
    ['*vcn*', 'VCN', true],
    ['*vcn*', 'vc-n', false],
    ['CLONE*', 'CLONE_TO_REFRESHABLE', true],
    ['exact', 'EXACT', true],
    ['exact', 'exactly', false],
    ['*', '', true],
    ['a*b', 'ab', true],
    ['a*b', 'axxb', true],
    ['a*b', 'a', false],
    ['a*a', 'a', false],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*a*b*c*', 'xxcxxbxxaxx', false],
  ])('/%s/ against %s is %s', (pattern, value, expected) => {
    expect(matches(pattern, value)).toBe(expected);
  });

  it('treats regex characters literally', () => {
    expect(matches('a.b*', 'a.bc')).toBe(true);
    expect(matches('a.b*', 'axbc')).toBe(false);
    expect(matches('(x)+*', '(x)+y')).toBe(true);
  });

  it('stays linear on a value built to make naive matching quadratic', () => {
    const value = 'a'.repeat(1_000_000);
    const t0 = performance.now();
    expect(matches(`*${'a'.repeat(5000)}b*`, value)).toBe(false);
    expect(matches(`*${'a'.repeat(5000)}b`, value)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
