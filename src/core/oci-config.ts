// The OCI config file (~/.oci/config), read as the OCI CLI reads it:
// INI sections, `key = value`, `#`/`;` comments, keys missing from a profile
// inherited from [DEFAULT]. Every value keeps the line it came from.

export interface ConfigValue {
  value: string;
  line: number;
}

export interface ConfigDiagnostic {
  line: number;
  message: string;
}

export interface ParsedConfig {
  /** Profiles in file order; keys lower-cased as the CLI's configparser does. */
  profiles: Map<string, Map<string, ConfigValue>>;
  diagnostics: ConfigDiagnostic[];
}

const MAX_LINES = 200_000;

export function parseOciConfig(text: string): ParsedConfig {
  const profiles = new Map<string, Map<string, ConfigValue>>();
  const diagnostics: ConfigDiagnostic[] = [];
  let current: Map<string, ConfigValue> | undefined;
  let lastKey: { map: Map<string, ConfigValue>; key: string } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > MAX_LINES) {
    diagnostics.push({ line: MAX_LINES, message: `file has ${lines.length} lines; only the first ${MAX_LINES} were read` });
  }
  for (let i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    // configparser: an indented line continues the previous value.
    if (/^\s/.test(raw) && lastKey) {
      const prev = lastKey.map.get(lastKey.key) as ConfigValue;
      prev.value = `${prev.value}\n${trimmed}`;
      continue;
    }
    const section = /^\[([^\]]*)\]\s*$/.exec(trimmed);
    if (section) {
      const name = (section[1] as string).trim();
      if (name === '') {
        diagnostics.push({ line: lineNo, message: 'empty profile name []' });
        current = undefined;
        continue;
      }
      if (profiles.has(name)) diagnostics.push({ line: lineNo, message: `profile [${name}] appears twice; the CLI refuses such a file` });
      current = profiles.get(name) ?? new Map();
      profiles.set(name, current);
      lastKey = undefined;
      continue;
    }
    if (trimmed.startsWith('[')) {
      diagnostics.push({ line: lineNo, message: `malformed section header${namePart(trimmed.slice(1))}` });
      continue;
    }
    const eq = trimmed.search(/[=:]/);
    if (eq <= 0) {
      // The line may hold a pass phrase or a pasted key: name its key, never quote the rest.
      const key = /^[A-Za-z_][\w.-]{0,40}(?=\s|$)/.exec(trimmed)?.[0];
      diagnostics.push({
        line: lineNo,
        message: key ? `expected key = value; the line starts with ${key} but has no = (its value is not shown)` : `expected key = value; the line is not shown (${trimmed.length} characters)`,
      });
      continue;
    }
    if (!current) {
      diagnostics.push({ line: lineNo, message: 'key before any [profile] header' });
      continue;
    }
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    const value = trimmed.slice(eq + 1).trim();
    if (current.has(key)) diagnostics.push({ line: lineNo, message: `${key} is set twice in this profile; the CLI refuses such a file` });
    current.set(key, { value, line: lineNo });
    lastKey = { map: current, key };
  }
  return { profiles, diagnostics };
}

/** ` [DEFAULT]` when a header's name is a plain profile name; nothing when it may be something pasted. */
function namePart(rest: string): string {
  const name = /^[\w .-]{1,40}/.exec(rest)?.[0]?.trim();
  return name ? ` [${name}` : ` (${rest.length + 1} characters, not shown)`;
}

export interface EffectiveValue {
  value: string;
  /** `file:line`, or `file:line (inherited from [DEFAULT])`. */
  source: string;
  inherited: boolean;
}

/** A profile's values with [DEFAULT] filled in, each saying where it came from. */
export function effectiveProfile(config: ParsedConfig, profile: string, file: string): Map<string, EffectiveValue> | undefined {
  const own = config.profiles.get(profile);
  if (!own) return undefined;
  const out = new Map<string, EffectiveValue>();
  const defaults = profile === 'DEFAULT' ? undefined : config.profiles.get('DEFAULT');
  for (const [k, v] of defaults ?? []) out.set(k, { value: v.value, source: `${file}:${v.line} (inherited from [DEFAULT])`, inherited: true });
  for (const [k, v] of own) out.set(k, { value: v.value, source: `${file}:${v.line}`, inherited: false });
  return out;
}

/** `default_profile` from ~/.oci/oci_cli_rc ([OCI_CLI_SETTINGS] section). */
export function defaultProfileFromCliRc(text: string): ConfigValue | undefined {
  const parsed = parseOciConfig(text);
  return parsed.profiles.get('OCI_CLI_SETTINGS')?.get('default_profile');
}

export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return `${home}${path.slice(1)}`;
  return path;
}

const OCID_PATTERN = /^ocid1\.([a-z0-9-]+)\.([a-z0-9-]+)\.([a-z0-9-]*)\.([a-z0-9]+)$/;

/** An OCID of the given type, well formed: ocid1.<type>.<realm>.[region].<unique>. */
export function ocidProblem(value: string, type: string): string | undefined {
  const m = OCID_PATTERN.exec(value.trim());
  if (!m) return `'${value}' is not an OCID (ocid1.${type}.oc1..<unique id>)`;
  if (m[1] !== type) return `'${value}' is an OCID of type ${m[1]}, expected ${type}`;
  if ((m[4] as string).length < 20) return `'${value}' has a unique part too short to be real`;
  return undefined;
}
