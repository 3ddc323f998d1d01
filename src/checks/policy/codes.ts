// The policy and dynamic-group finding codes. Declared by policy.access (the
// catalogue lists them there); policy.offline reports the same codes when it
// decides from exported files under --offline.
import { defineCodes } from '../finding.js';

export const POLICY_CODES = defineCodes({
  granted: {
    code: 'policy.granted',
    severity: 'info',
    meaning: 'An IAM policy statement grants the access; the finding names the policy, its compartment, the statement number and its text.',
    fix: 'Nothing to do.',
  },
  noGrant: {
    code: 'policy.no-grant',
    severity: 'fail',
    meaning: 'No policy statement grants the access, and none misses it only by its subject, verb, location or where clause; IAM denies what nothing allows.',
    fix: 'Add the suggested statement (least access: the exact verb, resource type, compartment and database) to a policy in the root compartment.',
  },
  denied: {
    code: 'policy.denied',
    severity: 'fail',
    meaning: 'A deny statement matches the request, and deny wins over every allow.',
    fix: 'Remove or narrow the deny statement named in the finding (deny policies are an opt-in tenancy feature; their owner decides).',
  },
  whereExcludes: {
    code: 'policy.where-excludes-target',
    severity: 'fail',
    meaning: 'A statement would grant the access but its where clause excludes this target (another database OCID, a variable the request does not carry, …).',
    fix: 'Correct the where clause (e.g. target.database.id = the database OCID) or add the suggested statement.',
  },
  subjectMismatch: {
    code: 'policy.subject-mismatch',
    severity: 'fail',
    meaning: 'A statement would grant the access, but to another group or dynamic group than the caller is in.',
    fix: 'Add the caller to the group the statement names, or add the suggested statement for one of its own groups.',
  },
  locationMismatch: {
    code: 'policy.location-mismatch',
    severity: 'fail',
    meaning: 'A statement would grant the access, but in another compartment than the one holding the target (or a compartment name that resolves nowhere from where the policy is attached).',
    fix: 'Point the statement at the compartment holding the target (or one above it), or add the suggested statement.',
  },
  verbTooWeak: {
    code: 'policy.verb-too-weak',
    severity: 'fail',
    meaning: 'A statement grants the resource type to the caller in the right place, but with a weaker verb (or other permissions) than the request needs.',
    fix: 'Raise the verb to the one needed (inspect < read < use < manage), or add the suggested statement.',
  },
  unreadable: {
    code: 'policy.unreadable',
    severity: 'warn',
    meaning: 'The policies (or what the decision needs: the caller’s groups, the compartment tree, a --policies file) could not be read, so no decision was made.',
    fix: 'Ask an administrator for an export (`oci iam policy list --all --compartment-id <ocid> > policies.json`) and run again with --policies policies.json.',
  },
  parseError: {
    code: 'policy.parse-error',
    severity: 'warn',
    meaning: 'Some policy statements do not parse; they were left out of the decision, which may therefore miss a grant or a deny.',
    fix: 'Correct the statements shown (IAM itself rejects most of these, so check that the export is complete and unaltered).',
  },
  recentlyChanged: {
    code: 'policy.recently-changed',
    severity: 'warn',
    meaning: 'The deciding policy was created in the last 15 minutes, or the deciding dynamic group in the last hour: changes may not have reached every service yet.',
    fix: 'Policies usually apply within seconds; dynamic-group changes can take up to an hour. Wait and run again before changing more.',
  },
  targetUnknown: {
    code: 'policy.target-unknown',
    severity: 'warn',
    meaning: 'The compartment of the target database could not be read, so where the statements must grant access is unknown and no decision was made.',
    fix: "Let the caller inspect the database (`inspect autonomous-databases`), or give its place with --in 'compartment A:B'.",
  },
  dgNoMatch: {
    code: 'dg.no-match',
    severity: 'fail',
    meaning: 'A statement grants the access to a dynamic group, but the dynamic group’s matching rule does not match this instance or resource, so the grant does not reach it.',
    fix: 'Change the matching rule so it matches the principal (changes can take up to an hour to apply).',
  },
  dgParseError: {
    code: 'dg.parse-error',
    severity: 'warn',
    meaning: 'A dynamic group’s matching rule does not parse; it matches nothing here (OCI rejects such rules, so check the export).',
    fix: 'Correct the matching rule shown.',
  },
  dgUnreadable: {
    code: 'dg.unreadable',
    severity: 'warn',
    meaning: 'The dynamic groups could not be read, so which of them this instance or resource is in is unknown and no decision was made.',
    fix: 'Ask an administrator for an export (`oci iam dynamic-group list --all > dynamic-groups.json`) and run again with --dynamic-groups dynamic-groups.json.',
  },
  dgTooMany: {
    code: 'dg.too-many',
    severity: 'warn',
    meaning: 'The instance matches more than 5 dynamic groups, the doctor\'s own warning threshold: no Oracle document found states a per-instance limit, so this is a lead to test, not a verdict.',
    fix: 'If a grant through one of these groups does not apply, narrow the matching rules so the instance falls in fewer groups and test again.',
  },
});

// policy.dbtools-connection: the Database Tools connection reads the secrets it
// names (key-store wallet, user password) as its own resource principal.
export const DBTOOLS_RP_CODES = defineCodes({
  readable: {
    code: 'dbtools.rp-secrets-readable',
    severity: 'info',
    meaning: 'The Database Tools connection, as its own resource principal, may read every secret it names: the finding names the dynamic group that matches it and the statement that grants each read.',
    fix: 'Nothing to do.',
  },
  noDynamicGroup: {
    code: 'dbtools.rp-no-dynamic-group',
    severity: 'fail',
    meaning: "The Database Tools connection runs as its own resource principal (runtime identity RESOURCE_PRINCIPAL), but no dynamic group's matching rule matches it (resource.type = 'databasetoolsconnection', its compartment, its OCID) and no statement names it, so it cannot read the secrets it names (its wallet, its password).",
    fix: 'Create a dynamic group whose matching rule matches the connection, and a policy letting that dynamic group read secret-family where the secrets are; the finding gives both. Dynamic-group changes can take up to an hour to apply.',
  },
  secretNotGranted: {
    code: 'dbtools.rp-secret-not-granted',
    severity: 'fail',
    meaning: 'The Database Tools connection runs as its own resource principal (runtime identity RESOURCE_PRINCIPAL) and is in a dynamic group, but no policy statement lets that dynamic group (or the connection) read a secret the connection names, or a deny statement forbids it.',
    fix: 'Add the statement the finding gives (read secret-family for the dynamic group, where the secrets are) to a policy in the root compartment, or remove the deny statement it names.',
  },
  grantMissing: {
    code: 'dbtools.rp-grant-missing',
    severity: 'warn',
    meaning: "The Database Tools connection runs as the caller (runtime identity AUTHENTICATED_PRINCIPAL) and may not read the secrets it names as its own resource principal (no matching dynamic group, no statement, or a deny). Oracle's pages differ on whether it must: the Policies page asks for the grant, the persona table and the Resource Principal page say the caller reads the secrets in this mode.",
    fix: 'If validating the connection fails on its secrets, add the dynamic group and the statement the finding gives; they are needed in any case before switching the connection to RESOURCE_PRINCIPAL.',
  },
  unknown: {
    code: 'dbtools.rp-unknown',
    severity: 'warn',
    meaning: 'The dynamic groups, the compartment tree or the policies could not be read, so whether the Database Tools connection may read its own secrets was not decided.',
    fix: 'Let the caller inspect dynamic-groups, compartments and policies, or run again with --policies and --dynamic-groups exports.',
  },
});
