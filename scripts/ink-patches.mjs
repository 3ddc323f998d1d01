// Source patches the bundle applies to Ink's dependencies (scripts/build.mjs),
// kept here so a test can apply the same patch and compare results.

const ORIGINAL_DIFF = `        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`;

/**
 * @alcalzone/ansi-tokenize's styledCharsToString (Ink's Output.get turns
 * every row of the screen into text with it) computes the style difference
 * between each character and the one before it: three Sets and several
 * arrays per cell, for a 120x40 screen about 5,000 cells per frame — the
 * largest part of Ink's first render in a profile. Between two cells with the
 * same styles the difference is always empty (diffAnsiCodes keeps nothing of
 * `from` whose end code `to` holds, and adds nothing `from` already starts),
 * so the patch skips it then; every other cell takes the library's own path.
 * Throws when the function no longer has the shape the patch expects.
 * @param {string} source
 * @returns {string}
 */
export function patchStyledCharsToString(source) {
  const found = source.split(ORIGINAL_DIFF).length - 1;
  if (found !== 1) throw new Error(`styledCharsToString: expected its diff branch once, found ${found}; review the patch`);
  return `${source.replace(
    ORIGINAL_DIFF,
    `        else if (!sameStyles(chars[i - 1].styles, char.styles)) {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`,
  )}
function sameStyles(a, b) {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k].code !== b[k].code || a[k].endCode !== b[k].endCode) return false;
    return true;
}
`;
}
