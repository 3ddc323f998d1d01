// OCI regions known when this release was made. A region missing here may
// simply be newer than the doctor: callers warn, never fail, on an unknown one.
export const KNOWN_REGIONS: ReadonlySet<string> = new Set([
  'af-johannesburg-1', 'ap-batam-1', 'ap-chuncheon-1', 'ap-hyderabad-1', 'ap-melbourne-1', 'ap-mumbai-1', 'ap-osaka-1',
  'ap-seoul-1', 'ap-singapore-1', 'ap-singapore-2', 'ap-sydney-1', 'ap-tokyo-1', 'ca-montreal-1', 'ca-toronto-1',
  'eu-amsterdam-1', 'eu-frankfurt-1', 'eu-jovanovac-1', 'eu-madrid-1', 'eu-marseille-1', 'eu-milan-1', 'eu-paris-1',
  'eu-stockholm-1', 'eu-zurich-1', 'il-jerusalem-1', 'me-abudhabi-1', 'me-dubai-1', 'me-jeddah-1', 'me-riyadh-1',
  'mx-monterrey-1', 'mx-queretaro-1', 'sa-bogota-1', 'sa-santiago-1', 'sa-saopaulo-1', 'sa-valparaiso-1', 'sa-vinhedo-1',
  'uk-cardiff-1', 'uk-london-1', 'us-ashburn-1', 'us-chicago-1', 'us-phoenix-1', 'us-saltlake-2', 'us-sanjose-1',
  'us-langley-1', 'us-luke-1', 'us-gov-ashburn-1', 'us-gov-chicago-1', 'us-gov-phoenix-1', 'uk-gov-london-1', 'uk-gov-cardiff-1',
  // The rest of the pinned SDK's region table (oci-common 2.139.1 lib/region.js): newer oc1
  // regions, then the sovereign and dedicated realms (oc8 … oc52), so a user there is not told
  // their region is unknown.
  'ap-delhi-1', 'eu-madrid-3', 'eu-turin-1', 'ap-kulai-2', 'af-casablanca-1',
  'ap-chiyoda-1', 'ap-ibaraki-1', 'me-dcc-muscat-1', 'me-ibri-1', 'ap-dcc-canberra-1',
  'eu-dcc-milan-1', 'eu-dcc-milan-2', 'eu-dcc-dublin-1', 'eu-dcc-dublin-2', 'eu-dcc-rating-1', 'eu-dcc-rating-2',
  'eu-madrid-2', 'eu-frankfurt-2', 'eu-dcc-zurich-1', 'eu-crissier-1', 'me-dcc-doha-1', 'me-alrayyan-1',
  'me-abudhabi-2', 'me-abudhabi-3', 'me-abudhabi-4', 'me-alain-1', 'ap-dcc-gazipur-1', 'us-somerset-1', 'us-thames-1',
  'ap-seoul-2', 'ap-suwon-1', 'ap-chuncheon-2', 'us-ashburn-2', 'us-newark-1', 'eu-budapest-1', 'sa-riodejaneiro-1',
]);

const SHORT_CODES: Record<string, string> = {
  iad: 'us-ashburn-1', phx: 'us-phoenix-1', fra: 'eu-frankfurt-1', lhr: 'uk-london-1', ord: 'us-chicago-1',
  nrt: 'ap-tokyo-1', syd: 'ap-sydney-1', ams: 'eu-amsterdam-1', yyz: 'ca-toronto-1', gru: 'sa-saopaulo-1',
};

/** Resolves a region short code (iad) to its name; names pass through. */
export function regionName(value: string): string {
  const v = value.trim().toLowerCase();
  return SHORT_CODES[v] ?? v;
}

export function isKnownRegion(value: string): boolean {
  return KNOWN_REGIONS.has(regionName(value));
}

/**
 * The second-level domains of OCI's realms, as one pattern source (no anchors):
 * oraclecloud.com (oc1), oraclecloudN.com (oc8, oc9, … oc52), oraclegovcloud.com
 * (oc2, oc3), oraclegovcloud.uk (oc4), oraclecloud.eu (oc19) — the pinned SDK's
 * realm table (docs/sources.md [oci-common-realms]). Service hosts are
 * `<service>.<region>.<domain>` or `<service>.<region>.oci.<domain>`.
 */
export const REALM_DOMAIN_PATTERN = String.raw`oracle(?:gov)?cloud\d*\.(?:com|uk|eu)`;
