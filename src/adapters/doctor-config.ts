// The doctor's own config file: ./dbiam-doctor.json, else
// $XDG_CONFIG_HOME/dbiam-doctor/config.json (~/.config when unset).
import { readRegularFileSync } from './files.js';
import { join } from 'node:path';
import { UsageError } from '../core/options.js';

export const LOCAL_CONFIG_NAME = 'dbiam-doctor.json';

/** The doctor's config is a few options; a megabyte is something else. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * "line 3, column 14": where the JSON breaks. JSON.parse says so only sometimes (Node 20 gives a
 * position for some errors, none for "Unexpected token", 22+ line and column), so when it does not,
 * a small scan of the JSON grammar finds the first character that cannot continue the text.
 */
export function jsonErrorPlace(text: string, err: Error): string {
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(err.message);
  const at = pos ? Number(pos[1]) : jsonSyntaxErrorOffset(text);
  if (at === undefined || at >= text.trimEnd().length) return /end of JSON input/i.test(err.message) || at !== undefined ? 'it ends too early' : 'syntax error';
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** The offset of the first character that breaks the JSON grammar (the length when the text ends too early); undefined when it parses. */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) fail();
    i++;
  };
  const string = (): void => {
    expect('"');
    while (text[i] !== '"') {
      if (i >= text.length || (text.charCodeAt(i) < 0x20)) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i] as string)) i++;
        else fail();
      } else i++;
    }
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    }
    if (c === '"') return string();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!lit) fail();
    i += (lit as RegExpExecArray)[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    return at;
  }
}

export function doctorConfigCandidates(cwd: string, env: Record<string, string | undefined>, home: string): string[] {
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  return [join(cwd, LOCAL_CONFIG_NAME), join(xdg, 'dbiam-doctor', 'config.json')];
}

/** The first config file that exists, parsed; a broken one is a usage error naming it. */
export function readDoctorConfig(candidates: string[]): { path: string; content: unknown } | undefined {
  for (const path of candidates) {
    // A cloned repository can ship ./dbiam-doctor.json as a link to /dev/zero or a FIFO: regular files only, capped.
    const read = readRegularFileSync(path, MAX_CONFIG_BYTES);
    if (!read.ok) {
      if (read.reason === 'no such file') continue;
      throw new UsageError(`${path}: cannot read the doctor config file (${read.reason})`);
    }
    const text = read.bytes.toString('utf8');
    try {
      return { path, content: JSON.parse(text) };
    } catch (err) {
      // JSON.parse quotes the text around the error, which may be a password: say where, not what.
      throw new UsageError(`${path}: not valid JSON (${jsonErrorPlace(text, err as Error)}; the text there is not shown)`);
    }
  }
  return undefined;
}
