// The trust stores of the user's Python, read by running that Python once with
// a short read-only script: where ssl.create_default_context() loads its CAs
// (OpenSSL's default verify paths, after SSL_CERT_FILE / SSL_CERT_DIR), where
// certifi's bundle is, and which python-oracledb is installed. The script
// imports and prints; it writes nothing and opens no connection.
import { execFile } from 'node:child_process';

export interface PythonTrust {
  interpreter: string;
  /** sys.version's first word, e.g. 3.11.7. */
  version: string;
  openssl: string;
  /** ssl.get_default_verify_paths(): cafile/capath are undefined when the file or directory does not exist. */
  verify: { cafile?: string; capath?: string; opensslCafile: string; opensslCapath: string };
  /** certifi.where(), when certifi imports. */
  certifi?: string;
  /** oracledb.__version__, when python-oracledb imports. */
  oracledb?: string;
  platform: string;
}

export type PythonProbe = { ok: true; value: PythonTrust } | { ok: false; interpreter: string; reason: string; missing: boolean };

// Inside tls.chain's own limit (TCP + TLS + 5 s); a Python that has not answered by then is reported as unread.
export const PYTHON_PROBE_TIMEOUT_MS = 4000;

const SCRIPT = [
  'import json, ssl, sys',
  'p = ssl.get_default_verify_paths()',
  'out = {"version": sys.version.split()[0], "openssl": ssl.OPENSSL_VERSION, "platform": sys.platform,',
  '       "verify": {"cafile": p.cafile, "capath": p.capath, "openssl_cafile": p.openssl_cafile, "openssl_capath": p.openssl_capath}}',
  'try:',
  '    import certifi',
  '    out["certifi"] = certifi.where()',
  'except Exception:',
  '    out["certifi"] = None',
  'try:',
  '    import oracledb',
  '    out["oracledb"] = oracledb.__version__',
  'except Exception:',
  '    out["oracledb"] = None',
  'print(json.dumps(out))',
].join('\n');

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Parses the script's output; anything else is a reason, not a guess. */
export function parsePythonProbe(interpreter: string, stdout: string): PythonProbe {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    return { ok: false, interpreter, missing: false, reason: `${interpreter} did not print the probe's JSON` };
  }
  const o = raw as Record<string, unknown> | null;
  const v = (o?.verify ?? {}) as Record<string, unknown>;
  if (!o || typeof o.version !== 'string') return { ok: false, interpreter, missing: false, reason: `${interpreter} printed JSON without a version` };
  const cafile = str(v.cafile);
  const capath = str(v.capath);
  const certifi = str(o.certifi);
  const oracledb = str(o.oracledb);
  return {
    ok: true,
    value: {
      interpreter,
      version: o.version,
      openssl: str(o.openssl) ?? 'unknown',
      platform: str(o.platform) ?? 'unknown',
      verify: { ...(cafile ? { cafile } : {}), ...(capath ? { capath } : {}), opensslCafile: str(v.openssl_cafile) ?? '', opensslCapath: str(v.openssl_capath) ?? '' },
      ...(certifi ? { certifi } : {}),
      ...(oracledb ? { oracledb } : {}),
    },
  };
}

/**
 * Runs `interpreter` (default python3, found on the user's PATH) with the
 * probe. The child gets the user's environment: SSL_CERT_FILE and the
 * site-packages it finds are what the user's programs see.
 */
export function probePython(interpreter: string | undefined, env: Readonly<Record<string, string | undefined>>, timeoutMs = PYTHON_PROBE_TIMEOUT_MS): Promise<PythonProbe> {
  const exe = interpreter ?? 'python3';
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  childEnv.PATH ??= process.env.PATH ?? '';
  return new Promise((resolve) => {
    execFile(exe, ['-c', SCRIPT], { env: childEnv, timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          resolve({ ok: false, interpreter: exe, missing: true, reason: interpreter ? `${exe} cannot be run (${code === 'ENOENT' ? 'no such file' : 'permission denied'})` : 'no python3 on PATH' });
          return;
        }
        const killed = (err as { killed?: boolean }).killed === true;
        resolve({ ok: false, interpreter: exe, missing: false, reason: killed ? `${exe} did not answer within ${timeoutMs / 1000} s` : `${exe} failed: ${err.message.split('\n')[0] ?? ''}` });
        return;
      }
      resolve(parsePythonProbe(exe, stdout));
    });
  });
}
