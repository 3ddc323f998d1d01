// The realm each simulated region belongs to, as the instance metadata
// service reports it (`/opc/v2/instance/regionInfo`: realmKey,
// realmDomainComponent, regionKey). Written by hand from Oracle's region
// pages (US Government Cloud, US Defense Cloud, UK Government Cloud; see
// docs/sources.md), not read from the SDK: the simulator stands for the
// service, and the SDK's own table is what the doctor is tested against.

export interface SimRealm {
  /** oc1, oc2, … (the metadata service writes it in lower case). */
  key: string;
  /** The realm's second-level domain: oraclecloud.com, oraclegovcloud.com, … */
  domain: string;
}

const OC1: SimRealm = { key: 'oc1', domain: 'oraclecloud.com' };
const OC2: SimRealm = { key: 'oc2', domain: 'oraclegovcloud.com' };
const OC3: SimRealm = { key: 'oc3', domain: 'oraclegovcloud.com' };
const OC4: SimRealm = { key: 'oc4', domain: 'oraclegovcloud.uk' };

/** Government regions and their region keys; every other region is taken for oc1. */
const GOVERNMENT: Record<string, { realm: SimRealm; regionKey: string }> = {
  'us-langley-1': { realm: OC2, regionKey: 'LFI' },
  'us-luke-1': { realm: OC2, regionKey: 'LUF' },
  'us-gov-ashburn-1': { realm: OC3, regionKey: 'RIC' },
  'us-gov-chicago-1': { realm: OC3, regionKey: 'PIA' },
  'us-gov-phoenix-1': { realm: OC3, regionKey: 'TUS' },
  'uk-gov-london-1': { realm: OC4, regionKey: 'LTN' },
  'uk-gov-cardiff-1': { realm: OC4, regionKey: 'BRS' },
};

/** The realm of a region: the instance's own (a region this table lacks), else the table's, else oc1. */
export function realmOf(region: string, given?: SimRealm): SimRealm {
  return given ?? GOVERNMENT[region]?.realm ?? OC1;
}

/** The region key (IAD, LFI, …) when known. */
export function regionKeyOf(region: string): string | undefined {
  return GOVERNMENT[region]?.regionKey;
}
