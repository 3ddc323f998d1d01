// Text put into a regular expression as itself.

/** `s` with every character a regular expression gives a meaning to escaped. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
