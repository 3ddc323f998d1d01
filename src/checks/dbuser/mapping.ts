// Mapping expectations (--mapping, also from the doctor config file): does
// this principal satisfy the global mapping the database was set up with?
import { sameDbName } from '../../core/db-user-name.js';
import { parseGlobalMapping, sameIamName } from '../../core/global-mapping.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import { DBUSER_DATA } from './name.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { WhoAmIData } from '../identity/whoami.js';
import type { DbUserData } from './name.js';
import { principalGroups } from '../principal-groups.js';

const codes = defineCodes({
  notInGroup: {
    code: 'dbuser.not-in-mapped-group',
    severity: 'fail',
    meaning: 'The database maps a group (IAM_GROUP_NAME) this principal is not in, so the shared user or role never applies to it and the logon fails with ORA-01017.',
    fix: 'Add the user to the group (or the instance to a dynamic group that matches), or map a group the principal is in.',
  },
  mismatch: {
    code: 'dbuser.mapping-mismatch',
    severity: 'fail',
    meaning: 'The exclusive mapping (IAM_PRINCIPAL_NAME / IAM_PRINCIPAL_OCID) names another principal than this one.',
    fix: 'Map the name the database sees for this user (its Database Username, or the IAM name when none is set), or the instance OCID.',
  },
  badMapping: {
    code: 'dbuser.mapping-malformed',
    severity: 'fail',
    meaning: "--mapping is not IAM_GROUP_NAME=…, IAM_PRINCIPAL_NAME=… or IAM_PRINCIPAL_OCID=….",
    fix: "Give the mapping exactly as in CREATE USER … IDENTIFIED GLOBALLY AS '…'.",
  },
});

export const dbUserMappingCheck: DoctorCheck = {
  id: 'dbuser.mapping',
  title: 'Global mapping expected for this principal',
  category: 'dbuser',
  dependsOn: ['identity.whoami', 'dbuser.name'],
  timeoutMs: 15000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const text = deps.options.mapping;
    if (!text) return { skipped: 'no --mapping given', findings: [] };
    const mapping = parseGlobalMapping(text);
    if (!mapping) return { summary: 'malformed', findings: [findingFrom(codes.spec.badMapping, { title: `--mapping '${text}' is not a global mapping`, evidence: { mapping: text } })] };
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'no signing identity (see Who am I)', findings: [] };
    const evidence: Record<string, string> = { mapping: `${mapping.kind}=${mapping.value}` };
    const principalId = who.user?.id ?? who.principal?.id ?? '';

    if (mapping.kind === 'IAM_PRINCIPAL_OCID') {
      evidence.principal = principalId;
      if (mapping.value !== principalId) return { summary: 'another principal', findings: [findingFrom(codes.spec.mismatch, { title: `The mapping names ${mapping.value}, but this principal is ${principalId}`, evidence, commands: [`CREATE USER <name> IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_OCID=${principalId}';`] })] };
      return { summary: `matches ${principalId}`, findings: [] };
    }

    if (mapping.kind === 'IAM_PRINCIPAL_NAME') {
      const db = dataOf(DBUSER_DATA);
      if (!db) return { skipped: 'IAM_PRINCIPAL_NAME maps users; this principal is not one', findings: [] };
      evidence['name the database sees'] = `${db.name}${db.fallback ? ' (IAM user name: no Database Username)' : ' (Database Username)'}`;
      if (!sameDbName(mapping.value, db.name) && !sameIamName(mapping.value, db.name)) {
        return { summary: 'another name', findings: [findingFrom(codes.spec.mismatch, { title: `The mapping names '${mapping.value}', but the database sees '${db.name}'`, evidence, commands: [`CREATE USER <name> IDENTIFIED GLOBALLY AS 'IAM_PRINCIPAL_NAME=${db.name}';`] })] };
      }
      return { summary: `matches ${db.name}`, findings: [] };
    }

    // IAM_GROUP_NAME: a group of a user, or a dynamic group of an instance.
    const member = await principalGroups(deps, who);
    if (!member.ok) return { skipped: member.reason, findings: [] };
    const groups = member.names;
    evidence['groups of this principal'] = groups.join(', ') || '(none)';
    if (!groups.some((g) => sameIamName(mapping.value, g))) {
      return { summary: 'not in the group', findings: [findingFrom(codes.spec.notInGroup, { title: `This principal is not in '${mapping.value}'`, evidence, commands: who.user ? [`oci iam group add-user --group-id <${mapping.value} group OCID> --user-id ${who.user.id}`] : [] })] };
    }
    return { summary: `member of ${mapping.value}`, findings: [] };
  },
};
