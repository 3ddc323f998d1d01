// The name an IAM user has inside the database: the Database Username when
// set, else the IAM user name. Rules: at most 128 bytes, ASCII letters,
// digits and - . _ + @, compared case-insensitively.
export const MAX_DB_USER_NAME_BYTES = 128;
const ALLOWED = /^[A-Za-z0-9\-._+@]+$/;

export interface DbUserName {
  name: string;
  /** True when no Database Username is set and the IAM user name stands in. */
  fallback: boolean;
}

export function dbUserNameOf(user: { name: string; dbUserName?: string }): DbUserName {
  return user.dbUserName ? { name: user.dbUserName, fallback: false } : { name: user.name, fallback: true };
}

export function dbUserNameProblems(name: string): { tooLong?: number; badCharacters?: string[] } {
  const out: { tooLong?: number; badCharacters?: string[] } = {};
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_DB_USER_NAME_BYTES) out.tooLong = bytes;
  if (!ALLOWED.test(name)) out.badCharacters = [...new Set([...name].filter((ch) => !ALLOWED.test(ch)))];
  return out;
}

export function sameDbName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
