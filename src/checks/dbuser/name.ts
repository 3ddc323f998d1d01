import { dbUserNameOf, dbUserNameProblems, MAX_DB_USER_NAME_BYTES, sameDbName } from '../../core/db-user-name.js';
import { WHOAMI_DATA } from '../identity/whoami.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { WhoAmIData } from '../identity/whoami.js';
import { dataKey } from '../../core/types.js';

export interface DbUserData {
  /** The name the database sees for this user. */
  name: string;
  fallback: boolean;
  iamName: string;
}

const CONSOLE_PATH = 'Console: Identity & Security → Domains → (domain) → Users → the user → Edit user → Database username';

const codes = defineCodes({
  fallback: {
    code: 'dbuser.fallback-to-iam-name',
    severity: 'warn',
    meaning: 'The user has no Database Username, so the database sees the IAM user name instead; mappings and Database Tools validation written for a shorter name then fail with ORA-01017.',
    fix: 'Set the Database Username on the user, or map the IAM user name in the database.',
  },
  tooLong: { code: 'dbuser.too-long', severity: 'fail', meaning: `The name the database sees is longer than ${MAX_DB_USER_NAME_BYTES} bytes.`, fix: 'Set a shorter Database Username on the user.' },
  badCharacters: { code: 'dbuser.invalid-characters', severity: 'fail', meaning: 'The name the database sees holds characters outside those Oracle documents for IAM database user names (ASCII letters, digits and - . _ + @; documented for IAM without identity domains).', fix: 'Set a Database Username made of the allowed characters.' },
  noDbPassword: {
    code: 'dbuser.no-db-password',
    severity: 'info',
    meaning: 'The user may not use IAM database passwords (the capability is off), so the password path (PASSWORD_GLOBAL) is closed; tokens are unaffected. Repeated failed password logins lock the user out.',
    fix: 'Only for the password path: allow the user DB credentials and create an IAM database password.',
  },
});

/** What this check hands to the checks after it. */
export const DBUSER_DATA = dataKey<DbUserData>('dbuser.name');

export const dbUserNameCheck: DoctorCheck = {
  id: DBUSER_DATA.checkId,
  title: 'IAM database user name',
  category: 'dbuser',
  dependsOn: ['identity.whoami'],
  timeoutMs: 2000,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const who = dataOf(WHOAMI_DATA);
    if (!who?.user) return { skipped: 'not a user principal (instances and resources map by OCID or dynamic group)', findings: [] };
    const user = who.user;
    const db = dbUserNameOf(user);
    const evidence: Record<string, string> = { 'IAM user name': user.name, 'Database Username': user.dbUserName ?? '(not set)', 'name the database sees': db.name };
    const findings = [];
    const problems = dbUserNameProblems(db.name);
    if (problems.tooLong) findings.push(findingFrom(codes.spec.tooLong, { title: `${db.name.slice(0, 40)}… is ${problems.tooLong} bytes long`, evidence }));
    if (problems.badCharacters) findings.push(findingFrom(codes.spec.badCharacters, { title: `The database user name contains ${problems.badCharacters.map((c) => JSON.stringify(c)).join(', ')}`, evidence }));
    if (db.fallback) {
      const expected = deps.options.expectDbUser;
      const mismatch = expected !== undefined && !sameDbName(expected, db.name);
      const finding = findingFrom(codes.spec.fallback, {
        title: mismatch ? `No Database Username: the database sees '${db.name}', not '${expected}'` : `No Database Username: the database sees the IAM name '${db.name}'`,
        evidence: { ...evidence, ...(expected ? { 'expected (--expect-db-user)': expected } : {}) },
        fixText: `Set the Database Username (${CONSOLE_PATH}), or map '${db.name}' in the database.`,
        commands: [`oci iam user update --user-id ${user.id} --db-user-name ${expected ?? '<name>'}`],
      });
      // Against an explicit expectation the fallback is the failure itself.
      findings.push(mismatch ? { ...finding, severity: 'fail' as const } : finding);
    }
    if (user.canUseDbCredentials === false) findings.push(findingFrom(codes.spec.noDbPassword, { title: 'IAM database passwords are off for this user', evidence }));
    const data: DbUserData = { name: db.name, fallback: db.fallback, iamName: user.name };
    return { summary: `${db.name}${db.fallback ? ' (IAM user name: no Database Username set)' : ' (Database Username)'}`, findings, data };
  },
};
