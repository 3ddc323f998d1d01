// Client versions read from what is installed, without running the client:
// an ojdbc jar's META-INF/MANIFEST.MF (Implementation-Version, as
// `unzip -p ojdbc8.jar META-INF/MANIFEST.MF` shows it) and the Instant
// Client library's file name (libclntsh.so.19.1: the release line only).
import { readZip, type ZipLimits } from './wallet/zip.js';

/** An ojdbc11.jar is a few MB and a few thousand entries; only the manifest is inflated. */
export const JAR_LIMITS: Readonly<ZipLimits> = {
  maxCompressedBytes: 64 * 1024 * 1024,
  maxUncompressedBytes: 1024 * 1024,
  maxEntries: 20_000,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

const MANIFEST = 'META-INF/MANIFEST.MF';

/** ojdbc8.jar, ojdbc11-23.3.0.0.jar, ojdbc17.jar … (not the ojdbc-provider-* extension jars). */
export const OJDBC_JAR = /^ojdbc\d+(?:[-_][\d.]+)?(?:-[a-z]+)?\.jar$/i;

export type JarVersion = { ok: true; version: string; title?: string } | { ok: false; reason: string };

/** The main attributes of a manifest (continuation lines start with one space). */
export function manifestAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // the main section ends at the first blank line
    if (line.startsWith(' ') && last) {
      out.set(last, out.get(last)! + line.slice(1));
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    last = line.slice(0, i).trim();
    if (!out.has(last)) out.set(last, line.slice(i + 1).trim());
  }
  return out;
}

export function jarVersion(bytes: Uint8Array): JarVersion {
  const zip = readZip(bytes, JAR_LIMITS, (name) => name === MANIFEST);
  if (!zip.ok) return { ok: false, reason: `not a readable jar: ${zip.reason}` };
  const manifest = zip.entries.find((e) => e.name === MANIFEST);
  if (!manifest) return { ok: false, reason: `no ${MANIFEST} in it` };
  const attrs = manifestAttributes(manifest.data.toString('utf8'));
  const version = attrs.get('Implementation-Version');
  if (!version || !/^\d+(\.\d+)*$/.test(version)) return { ok: false, reason: `${MANIFEST} has no Implementation-Version${version ? ` it can compare (${version.slice(0, 40)})` : ''}` };
  const title = attrs.get('Implementation-Title');
  return { ok: true, version, ...(title ? { title } : {}) };
}

/**
 * The Instant Client in a directory: its library's file name (Linux .so,
 * macOS .dylib) gives the release line; the directory the zip unzips into
 * (instantclient_19_14) also gives the release update, unless renamed.
 */
export function instantClientVersion(dir: string, fileNames: readonly string[]): { version: string; lineOnly: boolean; file: string } | undefined {
  for (const file of fileNames) {
    const m = /^libclntsh\.(?:so|dylib)\.(\d+)\.\d+$/.exec(file);
    if (!m) continue;
    const named = /(?:^|[\\/])instantclient_(\d+)_(\d+)\/*$/.exec(dir);
    if (named && named[1] === m[1]) return { version: `${named[1]}.${named[2]}`, lineOnly: false, file };
    return { version: m[1]!, lineOnly: true, file };
  }
  return undefined;
}
