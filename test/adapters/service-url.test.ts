// Service URLs per realm: the doctor's messages and its clock probe must name
// the host the SDK really calls. Expected hosts written by hand from the
// realms' domains (oc1 oraclecloud.com, oc2/oc3 oraclegovcloud.com, oc4
// oraclegovcloud.uk; an unknown region is taken for oc1, as the SDK does).
import { describe, expect, it } from 'vitest';
import { serviceBaseUrl } from '../../src/adapters/oci-sdk.js';

describe('serviceBaseUrl across realms', () => {
  it.each([
    ['us-ashburn-1', 'https://identity.us-ashburn-1.oci.oraclecloud.com', 'https://auth.us-ashburn-1.oraclecloud.com'],
    ['us-langley-1', 'https://identity.us-langley-1.oci.oraclegovcloud.com', 'https://auth.us-langley-1.oraclegovcloud.com'],
    ['us-gov-ashburn-1', 'https://identity.us-gov-ashburn-1.oci.oraclegovcloud.com', 'https://auth.us-gov-ashburn-1.oraclegovcloud.com'],
    ['uk-gov-london-1', 'https://identity.uk-gov-london-1.oci.oraclegovcloud.uk', 'https://auth.uk-gov-london-1.oraclegovcloud.uk'],
    ['xx-newregion-1', 'https://identity.xx-newregion-1.oci.oraclecloud.com', 'https://auth.xx-newregion-1.oraclecloud.com'],
  ])('%s', async (region, identity, auth) => {
    expect(await serviceBaseUrl('identity', region, {})).toBe(identity);
    expect(await serviceBaseUrl('dataplane', region, {})).toBe(auth);
  });

  it('an --endpoint override wins in every realm', async () => {
    expect(await serviceBaseUrl('identity', 'uk-gov-london-1', { identity: 'http://127.0.0.1:9' })).toBe('http://127.0.0.1:9');
  });
});
