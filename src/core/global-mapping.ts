// Global user/role mappings as the database writes them:
// IAM_GROUP_NAME=<group> (shared), IAM_PRINCIPAL_NAME=<name> (exclusive),
// IAM_PRINCIPAL_OCID=<ocid> (instance or other principal).

export type MappingKind = 'IAM_GROUP_NAME' | 'IAM_PRINCIPAL_NAME' | 'IAM_PRINCIPAL_OCID';

export interface GlobalMapping {
  kind: MappingKind;
  value: string;
}

/** Splits `IAM_GROUP_NAME=DBUsers` into its kind and value; undefined when not a known mapping. */
export function parseGlobalMapping(mapping: string): GlobalMapping | undefined {
  const m = /^\s*(IAM_GROUP_NAME|IAM_PRINCIPAL_NAME|IAM_PRINCIPAL_OCID)\s*=\s*(.+?)\s*$/i.exec(mapping);
  if (!m) return undefined;
  return { kind: (m[1] as string).toUpperCase() as MappingKind, value: (m[2] as string).replace(/^'(.*)'$/, '$1') };
}

/** Names compare case-insensitively; a `Default/` identity-domain prefix names the default domain. */
export function sameIamName(mappingValue: string, name: string): boolean {
  const strip = (s: string) => s.replace(/^'?default'?\//i, '').toLowerCase();
  return strip(mappingValue) === strip(name);
}
