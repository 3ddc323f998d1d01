// Service URLs per realm: the doctor's messages and its clock probe must name
// the host the SDK really calls. Expected URLs written by hand from the SDK
// clients' endpoint templates and Oracle's realm pages (docs/sources.md,
// "Realms"): oc1 oraclecloud.com, oc2/oc3 oraclegovcloud.com, oc4
// oraclegovcloud.uk. A region the SDK does not know takes its realm from
// OCI_REGION_METADATA or ~/.oci/regions-config.json, else the domain in
// OCI_DEFAULT_REALM, else oc1's (oci-common lib/region.js fromRegionId,
// lib/endpoint-builder.js createEndpointFromRegionId).
import { afterEach, describe, expect, it } from 'vitest';
import { serviceBaseUrl, type ServiceName } from '../../src/adapters/oci-sdk.js';

// Read by the SDK once per process, at the first lookup of a region it does not know: set before any lookup.
process.env.OCI_REGION_METADATA = '{"realmKey":"oc19","realmDomainComponent":"oraclecloud.eu","regionKey":"NCY","regionIdentifier":"eu-newcity-1"}';

const SERVICES: ServiceName[] = ['identity', 'dataplane', 'auth', 'secrets', 'database', 'dbtools', 'dbtools-runtime'];

describe('serviceBaseUrl across realms', () => {
  it.each([
    ['us-ashburn-1', ['https://identity.us-ashburn-1.oci.oraclecloud.com', 'https://auth.us-ashburn-1.oraclecloud.com', 'https://auth.us-ashburn-1.oraclecloud.com', 'https://secrets.vaults.us-ashburn-1.oci.oraclecloud.com', 'https://database.us-ashburn-1.oraclecloud.com', 'https://dbtools.us-ashburn-1.oci.oraclecloud.com', 'https://dbtools.us-ashburn-1.oci.oraclecloud.com']],
    ['us-langley-1', ['https://identity.us-langley-1.oci.oraclegovcloud.com', 'https://auth.us-langley-1.oraclegovcloud.com', 'https://auth.us-langley-1.oraclegovcloud.com', 'https://secrets.vaults.us-langley-1.oci.oraclegovcloud.com', 'https://database.us-langley-1.oraclegovcloud.com', 'https://dbtools.us-langley-1.oci.oraclegovcloud.com', 'https://dbtools.us-langley-1.oci.oraclegovcloud.com']],
    ['us-gov-ashburn-1', ['https://identity.us-gov-ashburn-1.oci.oraclegovcloud.com', 'https://auth.us-gov-ashburn-1.oraclegovcloud.com', 'https://auth.us-gov-ashburn-1.oraclegovcloud.com', 'https://secrets.vaults.us-gov-ashburn-1.oci.oraclegovcloud.com', 'https://database.us-gov-ashburn-1.oraclegovcloud.com', 'https://dbtools.us-gov-ashburn-1.oci.oraclegovcloud.com', 'https://dbtools.us-gov-ashburn-1.oci.oraclegovcloud.com']],
    ['uk-gov-london-1', ['https://identity.uk-gov-london-1.oci.oraclegovcloud.uk', 'https://auth.uk-gov-london-1.oraclegovcloud.uk', 'https://auth.uk-gov-london-1.oraclegovcloud.uk', 'https://secrets.vaults.uk-gov-london-1.oci.oraclegovcloud.uk', 'https://database.uk-gov-london-1.oraclegovcloud.uk', 'https://dbtools.uk-gov-london-1.oci.oraclegovcloud.uk', 'https://dbtools.uk-gov-london-1.oci.oraclegovcloud.uk']],
    // Unknown to oci-common 2.139.1, given by OCI_REGION_METADATA above.
    ['eu-newcity-1', ['https://identity.eu-newcity-1.oci.oraclecloud.eu', 'https://auth.eu-newcity-1.oraclecloud.eu', 'https://auth.eu-newcity-1.oraclecloud.eu', 'https://secrets.vaults.eu-newcity-1.oci.oraclecloud.eu', 'https://database.eu-newcity-1.oraclecloud.eu', 'https://dbtools.eu-newcity-1.oci.oraclecloud.eu', 'https://dbtools.eu-newcity-1.oci.oraclecloud.eu']],
    // Unknown and not described anywhere: oc1's domain.
    ['xx-newregion-1', ['https://identity.xx-newregion-1.oci.oraclecloud.com', 'https://auth.xx-newregion-1.oraclecloud.com', 'https://auth.xx-newregion-1.oraclecloud.com', 'https://secrets.vaults.xx-newregion-1.oci.oraclecloud.com', 'https://database.xx-newregion-1.oraclecloud.com', 'https://dbtools.xx-newregion-1.oci.oraclecloud.com', 'https://dbtools.xx-newregion-1.oci.oraclecloud.com']],
  ] as const)('%s', async (region, urls) => {
    expect(await Promise.all(SERVICES.map((s) => serviceBaseUrl(s, region, {})))).toEqual(urls);
  });

  describe('OCI_DEFAULT_REALM', () => {
    afterEach(() => {
      delete process.env.OCI_DEFAULT_REALM;
    });
    it('names the domain of a region nothing describes, and never overrides a known one', async () => {
      process.env.OCI_DEFAULT_REALM = 'oraclegovcloud.uk';
      expect(await serviceBaseUrl('identity', 'xx-newregion-2', {})).toBe('https://identity.xx-newregion-2.oci.oraclegovcloud.uk');
      expect(await serviceBaseUrl('identity', 'us-ashburn-1', {})).toBe('https://identity.us-ashburn-1.oci.oraclecloud.com');
    });
  });

  it('an --endpoint override wins in every realm', async () => {
    expect(await serviceBaseUrl('identity', 'uk-gov-london-1', { identity: 'http://127.0.0.1:9' })).toBe('http://127.0.0.1:9');
  });

  it('the SDK clients, aimed by region only, call the same hosts (the table above is what the doctor must match)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { IdentityClient } = await import('oci-identity');
    const { DatabaseClient } = await import('oci-database');
    const key = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    const provider = { getKeyId: async () => 'k', getPrivateKey: () => key, getPassphrase: () => null };
    const hosts = (region: string): string[] => {
      const identity = new IdentityClient({ authenticationDetailsProvider: provider });
      identity.regionId = region;
      const database = new DatabaseClient({ authenticationDetailsProvider: provider });
      database.regionId = region;
      return [identity.endpoint, database.endpoint];
    };
    expect(hosts('us-langley-1')).toEqual(['https://identity.us-langley-1.oci.oraclegovcloud.com/20160918', 'https://database.us-langley-1.oraclegovcloud.com/20160918']);
    expect(hosts('uk-gov-london-1')).toEqual(['https://identity.uk-gov-london-1.oci.oraclegovcloud.uk/20160918', 'https://database.uk-gov-london-1.oraclegovcloud.uk/20160918']);
    expect(hosts('eu-newcity-1')).toEqual(['https://identity.eu-newcity-1.oci.oraclecloud.eu/20160918', 'https://database.eu-newcity-1.oraclecloud.eu/20160918']);
  });
});
