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
