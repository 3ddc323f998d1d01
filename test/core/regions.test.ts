// Regions the doctor knows: every region of the government and sovereign
// realms the pinned SDK knows must not be reported as unknown. Expected
// answers from Oracle's realm pages and the SDK's region table (docs/sources.md:
// gov-cloud-us, gov-cloud-dod, gov-cloud-uk, oci-common-regions).
import { describe, expect, it } from 'vitest';
import { isKnownRegion } from '../../src/core/regions.js';

describe('isKnownRegion', () => {
  it.each([
    ['us-ashburn-1', true], // oc1
    ['us-langley-1', true], // oc2, US Government Cloud
    ['us-luke-1', true],
    ['us-gov-ashburn-1', true], // oc3, US Defense Cloud
    ['us-gov-chicago-1', true],
    ['uk-gov-london-1', true], // oc4, UK Government Cloud
    ['uk-gov-cardiff-1', true],
    ['eu-frankfurt-2', true], // oc19 in the SDK's table
    ['ap-chiyoda-1', true], // oc8 in the SDK's table
    ['ap-delhi-1', true], // a newer oc1 region in the SDK's table
    ['eu-newcity-1', false], // hypothetical: the realm tests' region the SDK does not know
    ['mars-olympus-1', false],
  ])('%s → %s', (region, known) => {
    expect(isKnownRegion(region)).toBe(known);
  });
});
