// tnsnames.ora: `alias[, alias…] = (DESCRIPTION=…)` entries over several
// lines, `#` comments, and `IFILE = path` includes. Includes are read by the
// caller's function (no I/O here); cycles, depth and file count are bounded.
import { parseNvFile, type NvError, type NvNode, type Position } from './nv.js';

export interface TnsEntry {
  aliases: string[];
  /** The value when it is a descriptor: its top parameter (DESCRIPTION…). */
  node?: NvNode;
  /** Extra top parameters after the first (a mistake worth reporting). */
  extra: NvNode[];
  /** The value when it is an atom (an EZConnect string). */
  value?: string;
  valueAt: Position;
  file: string;
  at: Position;
}

export interface TnsError extends NvError {
  file: string;
  /** Aliases the broken entry declares, when they could be read. */
  aliases: string[];
}

export interface TnsInclude {
  path: string;
  at: Position;
  file: string;
}

export interface TnsnamesSet {
  /** Every file read, the first one first. */
  files: string[];
  entries: TnsEntry[];
  errors: TnsError[];
  includes: TnsInclude[];
  /** File text by path, for showing positions. */
  texts: Map<string, string>;
}

export const TNS_LIMITS = { maxFiles: 16, maxDepth: 4 };

const ENTRY_NAMES = /^[ \t]*([A-Za-z0-9_.$#-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.$#-]+)*)[ \t]*=/;

/** One tnsnames.ora text. IFILE entries are listed, not followed. */
export function parseTnsnames(text: string, file = 'tnsnames.ora'): TnsnamesSet {
  const parsed = parseNvFile(text);
  const set: TnsnamesSet = { files: [file], entries: [], errors: [], includes: [], texts: new Map([[file, text]]) };
  const lines = text.split('\n');
  for (const e of parsed.errors) {
    // Which aliases the broken entry declared: the nearest entry head at or above the error.
    let aliases: string[] = [];
    for (let l = e.at.line - 1; l >= 0; l--) {
      const m = ENTRY_NAMES.exec(lines[l] ?? '');
      if (m && !/^\s/.test(lines[l] ?? '')) {
        aliases = (m[1] as string).split(',').map((s) => s.trim());
        break;
      }
    }
    set.errors.push({ ...e, file, aliases });
  }
  for (const entry of parsed.entries) {
    const names = entry.names.map((n) => n.name);
    if (names.length === 1 && names[0]?.toUpperCase() === 'IFILE') {
      if (entry.value !== undefined) set.includes.push({ path: entry.value, at: entry.valueAt, file });
      else set.errors.push({ message: 'IFILE needs a file path', at: entry.valueAt, file, aliases: [] });
      continue;
    }
    const [first, ...extra] = entry.children;
    set.entries.push({
      aliases: names,
      ...(first ? { node: first } : {}),
      extra,
      ...(entry.value !== undefined ? { value: entry.value } : {}),
      valueAt: entry.valueAt,
      file,
      at: entry.at,
    });
  }
  return set;
}

export type ReadFile = (path: string) => Promise<{ ok: true; text: string } | { ok: false; reason: string }>;

/**
 * A tnsnames.ora and everything it includes. A relative IFILE path is taken
 * relative to the including file's directory. Unreadable includes are
 * reported as errors at the IFILE line.
 */
export async function loadTnsnames(path: string, read: ReadFile): Promise<TnsnamesSet | { ok: false; reason: string }> {
  const first = await read(path);
  if (!first.ok) return { ok: false, reason: first.reason };
  const set = parseTnsnames(first.text, path);
  const seen = new Set([path]);
  const queue: { include: TnsInclude; depth: number }[] = set.includes.map((include) => ({ include, depth: 1 }));
  while (queue.length > 0) {
    const { include, depth } = queue.shift() as { include: TnsInclude; depth: number };
    const target = resolveInclude(include.file, include.path);
    const fail = (message: string): void => void set.errors.push({ message, at: include.at, file: include.file, aliases: [] });
    if (seen.has(target)) {
      fail(`IFILE ${include.path} is already included (a cycle); not read again`);
      continue;
    }
    if (depth > TNS_LIMITS.maxDepth) {
      fail(`IFILE ${include.path} is nested more than ${TNS_LIMITS.maxDepth} levels deep; not read`);
      continue;
    }
    if (seen.size >= TNS_LIMITS.maxFiles) {
      fail(`more than ${TNS_LIMITS.maxFiles} files included; ${include.path} not read`);
      continue;
    }
    seen.add(target);
    const r = await read(target);
    if (!r.ok) {
      fail(`IFILE ${target} cannot be read: ${r.reason}`);
      continue;
    }
    const sub = parseTnsnames(r.text, target);
    set.files.push(target);
    set.entries.push(...sub.entries);
    set.errors.push(...sub.errors);
    set.texts.set(target, r.text);
    set.includes.push(...sub.includes);
    for (const inc of sub.includes) queue.push({ include: inc, depth: depth + 1 });
  }
  return set;
}

function resolveInclude(from: string, path: string): string {
  const p = path.trim().replace(/^["']|["']$/g, '');
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return p;
  const slash = Math.max(from.lastIndexOf('/'), from.lastIndexOf('\\'));
  return slash >= 0 ? `${from.slice(0, slash + 1)}${p}` : p;
}

/** Every alias defined, in file order (for listing and "did you mean"). */
export function aliasesOf(set: TnsnamesSet): string[] {
  return set.entries.flatMap((e) => e.aliases);
}

export function findAlias(set: TnsnamesSet, alias: string): TnsEntry | undefined {
  const a = alias.toLowerCase();
  return set.entries.find((e) => e.aliases.some((x) => x.toLowerCase() === a));
}
