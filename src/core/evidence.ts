// Evidence as data for the JSON report. Checks write each evidence value as
// one display string with two conventions: "VALUE  ← WHERE" names where the
// value was read (a file and line, or an origin such as TNS_ADMIN), and
// "VALUE (NOTE)" adds prose to a one-word value or a timestamp. This module
// owns reading them back, so `jq` gets the value, the file position and the
// prose as separate fields.

/** What a check writes between a value and where it was read. */
export const SOURCE_MARK = '  ← ';

/** An evidence value with where it was read: `path:line` of a file, or an origin such as TNS_ADMIN. */
export function withSource(value: string, source: string): string {
  return `${value}${SOURCE_MARK}${source}`;
}

/** The value of an evidence string, without where it was read. */
export function evidenceValue(text: string): string {
  const mark = text.indexOf(SOURCE_MARK);
  return (mark >= 0 ? text.slice(0, mark) : text).trim();
}

export interface EvidenceDatum {
  /** The value itself: a name, a path, an OCID, an ISO timestamp. */
  value: string;
  /** The file and line it was read from. */
  at?: { path: string; line: number };
  /** Where it came from when that is not a file position (TNS_ADMIN, --dsn, option). */
  origin?: string;
  /** Prose about the value ("60 min ago", "default"), kept out of `value`. */
  note?: string;
}

const FILE_LINE = /^(.*[/\\].*|~.*):(\d+)$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function evidenceDatum(text: string): EvidenceDatum {
  const mark = text.indexOf(SOURCE_MARK);
  const head = evidenceValue(text);
  const where = mark >= 0 ? text.slice(mark + SOURCE_MARK.length).trim() : '';
  const out: EvidenceDatum = { value: head };
  // "VALUE (NOTE)" only when VALUE is one word or a timestamp: a sentence's own parentheses stay in it.
  const paren = /^(\S+) \((.+)\)$/.exec(head);
  if (paren && (ISO_TIME.test(paren[1] as string) || !(paren[1] as string).startsWith('('))) {
    out.value = paren[1] as string;
    out.note = paren[2] as string;
  }
  if (where) {
    const fl = FILE_LINE.exec(where);
    if (fl) out.at = { path: fl[1] as string, line: Number(fl[2]) };
    else out.origin = where;
  }
  return out;
}

/** A whole finding's evidence as data. */
export function evidenceData(evidence: Record<string, string>): Record<string, EvidenceDatum> {
  return Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, evidenceDatum(v)]));
}

/** The header's values without their prose: `context` answers "which", `contextNotes` says how it was decided. */
export function splitContext(context: Record<string, string>): { values: Record<string, string>; notes: Record<string, string> } {
  const values: Record<string, string> = {};
  const notes: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) {
    const d = evidenceDatum(v);
    values[k] = d.value;
    if (d.note) notes[k] = d.note;
  }
  return { values, notes };
}
