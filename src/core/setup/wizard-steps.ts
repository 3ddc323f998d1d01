// The wizard's steps and fields, decided from the answers so far. Pure: the
// component only draws what this returns and edits `values`.
import {
  ACCESS_KINDS,
  MAPPINGS_FOR_MODE,
  SETUP_AUTH_MODES,
  TLS_MODES_FOR_MODE,
  connectStringKind,
  type SetupAuthMode,
} from './answers.js';

/**
 * Whether a text field must be filled: always, never, or unless another one is
 * (shown as "(or …)"). Decided from the answers so far, so "(optional)" is only
 * on a field that can really stay empty now.
 */
export type Need = 'required' | 'optional' | { or: string };

export type Field =
  | { key: string; label: string; kind: 'choice'; options: readonly string[]; notes?: Record<string, string> }
  | { key: string; label: string; kind: 'text'; need: Need; hint?: string };

export interface Step {
  id: 'auth' | 'profile' | 'target' | 'mapping' | 'access';
  title: string;
  why: string;
  fields: Field[];
}

/** Flat dotted keys ('target.adbId') to typed text. */
export type Values = Record<string, string>;

export interface Detected {
  /** Profiles in ~/.oci/config, in file order. */
  profiles: string[];
  /** region / tenancy of each profile, when set. */
  profileValues: Record<string, { region?: string; tenancy?: string }>;
  authMode?: SetupAuthMode;
}

const AUTH_NOTES: Record<string, string> = {
  api_key: 'a user with an uploaded API key; simplest for laptops and CI, but the key lives on disk',
  security_token: 'browser sign-in (oci session authenticate); no long-lived key, expires within hours',
  instance_principal: 'a compute instance acts as itself through a dynamic group; no secrets on the VM',
  resource_principal: 'a function or other OCI service acts as itself; no secrets, matched by resource type',
  oke_workload_identity: 'a Kubernetes pod acts as its service account; policy names the workload',
};

function text(key: string, label: string, need: Need = 'required', hint?: string): Field {
  return { key, label, kind: 'text', need, ...(hint ? { hint } : {}) };
}

/** Optional when `other` is filled, else one of the two is needed. */
const orElse = (v: Values, otherKey: string, otherLabel: string): Need => ((v[otherKey] ?? '').trim() ? 'optional' : { or: otherLabel });
const filled = (v: Values, key: string): boolean => (v[key] ?? '').trim() !== '';

export function initialValues(d: Detected): Values {
  const profile = d.profiles.includes('DEFAULT') ? 'DEFAULT' : (d.profiles[0] ?? 'DEFAULT');
  const pv = d.profileValues[profile] ?? {};
  return {
    authMode: d.authMode ?? (d.profiles.length > 0 ? 'api_key' : 'instance_principal'),
    profile,
    region: pv.region ?? '',
    tenancyOcid: pv.tenancy ?? '',
    'target.tls': 'one-way-tls',
    access: 'read-only',
  };
}

export function stepsFor(v: Values, d: Detected): Step[] {
  const mode = (SETUP_AUTH_MODES as readonly string[]).includes(v.authMode ?? '') ? (v.authMode as SetupAuthMode) : 'api_key';
  const usesProfile = mode === 'api_key' || mode === 'security_token';
  const steps: Step[] = [
    {
      id: 'auth',
      title: 'Auth mode',
      why: 'How the application proves who it is to OCI decides the policy subject and the database mapping.',
      fields: [{ key: 'authMode', label: 'auth mode', kind: 'choice', options: SETUP_AUTH_MODES, notes: AUTH_NOTES }],
    },
    {
      id: 'profile',
      title: usesProfile ? 'Profile' : 'Region and tenancy',
      why: usesProfile
        ? `The profile in ~/.oci/config that signs requests${d.profiles.length ? ` (found: ${d.profiles.join(', ')})` : ' (none found: setup shows how to create one)'}.`
        : 'The DB token is requested in this region, for a database in this tenancy.',
      fields: [
        // Left empty, the profile is DEFAULT (as for the OCI CLI).
        ...(usesProfile ? [text('profile', 'profile name', 'optional', `${d.profiles.length ? `existing: ${d.profiles.join(', ')}` : 'a new profile name'}; empty means DEFAULT`)] : []),
        text('region', 'region', 'required', 'e.g. us-ashburn-1'),
        text('tenancyOcid', 'tenancy OCID'),
      ],
    },
  ];
  const tlsModes = TLS_MODES_FOR_MODE[mode];
  const tls = tlsModes.includes(v['target.tls'] as never) ? (v['target.tls'] as string) : (tlsModes[0] as string);
  const existing = filled(v, 'target.dbtoolsConnectionId');
  // The token scope must be no wider than the policy: a database or a compartment grant names the compartment OCID.
  const scopeNeedsCompartment = filled(v, 'target.adbId') || (v['target.compartmentPath'] ?? '').trim() !== 'tenancy';
  const dbtoolsNeed = (): Need => (existing ? 'optional' : { or: 'an existing token connection' });
  const connect = (v['target.connectString'] ?? '').trim();
  steps.push({
    id: 'target',
    title: 'Target database',
    why: 'The policy can name this one database; the TLS path decides the connect string and what the client needs.',
    fields: [
      {
        key: 'target.tls',
        label: 'path',
        kind: 'choice',
        // Only the paths this auth mode can take (a Database Tools token connection is a signed-in user's).
        options: tlsModes,
        notes: {
          wallet: 'mutual TLS on 1522 with the wallet (ewallet.pem)',
          'one-way-tls': 'TLS on 1521 without a wallet; needs the ADB ACL or private endpoint',
          dbtools: 'a Database Tools connection reaches a private database for you',
        },
      },
      text('target.adbId', 'Autonomous Database OCID', orElse(v, 'target.connectString', 'a connect string'), 'lets the policy name just this database'),
      text('target.compartmentPath', 'policy compartment', 'required', "'tenancy' or a path such as Prod:Finance"),
      text(
        'target.compartmentOcid',
        "database's compartment OCID",
        scopeNeedsCompartment ? 'required' : tls === 'dbtools' ? dbtoolsNeed() : 'optional',
        'narrows the token scope to the policy; needed unless the policy grants the tenancy',
      ),
      text('target.connectString', 'connect string', tls === 'dbtools' ? (existing ? 'optional' : 'required') : orElse(v, 'target.adbId', 'the database OCID')),
      ...(tls !== 'dbtools' ? [text('target.walletDir', 'wallet / tnsnames.ora directory', connect && connectStringKind(connect) === 'alias' ? 'required' : 'optional', 'for a wallet or a tnsnames alias')] : []),
      ...(tls === 'dbtools'
        ? [
            text('target.walletSecretId', 'wallet Vault secret OCID', dbtoolsNeed()),
            text('target.adminPasswordSecretId', 'ADMIN password Vault secret OCID', 'optional'),
            text('target.privateEndpointId', 'Database Tools private endpoint OCID', 'optional'),
            text('target.dbtoolsConnectionId', 'existing token connection OCID', 'optional', 'leave empty to create one'),
          ]
        : [text('target.walletSecretId', 'wallet Vault secret OCID', 'optional', 'only if the wallet is read from Vault')]),
    ],
  });
  const kinds = MAPPINGS_FOR_MODE[mode];
  const kind = kinds.includes(v['mapping.kind'] as never) ? (v['mapping.kind'] as string) : (kinds[0] as string);
  const mappingFields: Field[] = [{ key: 'mapping.kind', label: 'mapping', kind: 'choice', options: kinds }];
  if (kind === 'shared-group') {
    mappingFields.push(
      text('mapping.group', 'IAM group'),
      text('mapping.dbUser', 'shared database user', orElse(v, 'mapping.role', 'a global role')),
      text('mapping.role', 'global role', orElse(v, 'mapping.dbUser', 'a shared user'), 'a user, a role, or both'),
    );
  } else if (kind === 'exclusive-user' && mode === 'oke_workload_identity') {
    mappingFields.push(
      text('mapping.dbUser', 'database user'),
      text('mapping.principalOcid', "workload's principal OCID"),
      text('mapping.oke.namespace', 'namespace'),
      text('mapping.oke.serviceAccount', 'service account'),
      text('mapping.oke.clusterOcid', 'cluster OCID'),
    );
  } else if (kind === 'exclusive-user') {
    mappingFields.push(text('mapping.userName', 'IAM user name'), text('mapping.group', 'IAM group the user is in', 'required', 'policies name groups'), text('mapping.dbUser', 'database user'));
  } else if (kind === 'instance') {
    mappingFields.push(text('mapping.instanceOcid', 'instance OCID'), text('mapping.dynamicGroup', 'dynamic group'), text('mapping.dbUser', 'database user'));
  } else {
    mappingFields.push(
      text('mapping.dynamicGroup', 'dynamic group'),
      text('mapping.compartmentOcidForRule', 'compartment OCID the rule matches'),
      ...(mode === 'resource_principal' ? [text('mapping.resourceType', 'resource type', 'required', 'e.g. fnfunc')] : []),
      text('mapping.dbUser', 'shared database user', orElse(v, 'mapping.role', 'a global role')),
      text('mapping.role', 'global role', orElse(v, 'mapping.dbUser', 'a shared user')),
    );
  }
  steps.push({
    id: 'mapping',
    title: 'Mapping',
    why: 'Who the database lets in: a group shares one schema, an exclusive mapping gives one principal its own.',
    fields: mappingFields,
  });
  steps.push({
    id: 'access',
    title: 'Access',
    why: 'Read-only support access gets placeholder SELECT grants on named objects only.',
    fields: [{ key: 'access', label: 'access', kind: 'choice', options: ACCESS_KINDS }],
  });
  return steps;
}

/** A field's current text; a choice left over from another auth mode falls back to the first option. */
export function fieldValue(v: Values, f: Field): string {
  const value = v[f.key];
  if (f.kind === 'choice') return value !== undefined && f.options.includes(value) ? value : (f.options[0] ?? '');
  return value ?? '';
}

/** The answers object the validator reads: only the fields the steps show, empty ones left out. */
export function answersFrom(v: Values, d: Detected): unknown {
  const out: Record<string, unknown> = {};
  const steps = stepsFor(v, d);
  for (const f of steps.flatMap((s) => s.fields)) {
    const value = fieldValue(v, f);
    if (value.trim() === '') continue;
    const parts = f.key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1] as string] = value.trim();
  }
  return out;
}

/** The step that owns an answers field named in a validation error. */
export function stepOfField(field: string): Step['id'] {
  if (field === 'authMode') return 'auth';
  if (field === 'profile' || field === 'region' || field === 'tenancyOcid' || field.startsWith('apiKey')) return 'profile';
  if (field.startsWith('target')) return 'target';
  if (field.startsWith('mapping')) return 'mapping';
  return 'access';
}
