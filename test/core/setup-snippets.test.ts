// The generated node-oracledb snippets type-check against the real oci-common
// and oci-identitydataplane declarations (oracledb ships none: a small
// declaration of the part the snippets use stands in), and the Python ones compile.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { validateAnswers } from '../../src/core/setup/answers.js';
import { buildArtifacts } from '../../src/core/setup/artifacts.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/setup');
const CASES = readdirSync(FIXTURES).sort();

// Inside the repository so module resolution finds node_modules; git ignores node_modules.
const cacheDir = join(ROOT, 'node_modules/.cache');
mkdirSync(cacheDir, { recursive: true });
const work = mkdtempSync(join(cacheDir, 'dbiam-setup-snippets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// What the snippets need from node-oracledb, typed after its documentation.
const ORACLEDB_DTS = `declare module 'oracledb' {
  namespace oracledb {
    interface AccessToken { token: string; privateKey: string }
    interface TokenAuthConfigOci { authType: 'configFileBasedAuthentication' | 'simpleAuthentication' | 'instancePrincipal'; profile?: string; configFileLocation?: string; scope?: string }
    interface ConnectionAttributes {
      connectString: string;
      externalAuth?: boolean;
      accessToken?: string | AccessToken | ((refresh: boolean, config: unknown) => Promise<string | AccessToken>);
      tokenAuthConfigOci?: TokenAuthConfigOci;
      walletLocation?: string;
      walletPassword?: string;
      configDir?: string;
    }
    interface Result { rows?: unknown[] }
    interface Connection { execute(sql: string): Promise<Result>; close(): Promise<void> }
    function getConnection(attrs: ConnectionAttributes): Promise<Connection>;
  }
  export default oracledb;
}
declare module 'oracledb/plugins/token/extensionOci' {}
`;

// python-oracledb's OCI token plugin (src/oracledb/plugins/oci_tokens.py,
// https://github.com/oracle/python-oracledb/blob/main/src/oracledb/plugins/oci_tokens.py):
// the AuthType enum, and the extra_auth_params keys each type reads. An auth_type
// outside the enum makes has_oci_auth_type() false, the hook never sets
// access_token, and the connection goes out without a token.
const PY_OCI_TOKENS = {
  authTypes: ['ConfigFileAuthentication', 'InstancePrincipal', 'SecurityToken', 'SecurityTokenSimple', 'SimpleAuthentication'],
  keys: {
    ConfigFileAuthentication: ['auth_type', 'scope', 'file_location', 'profile'],
    InstancePrincipal: ['auth_type', 'scope'],
    SecurityToken: ['auth_type', 'scope', 'file_location', 'profile'],
    SecurityTokenSimple: ['auth_type', 'scope', 'key_file', 'fingerprint', 'tenancy', 'region', 'security_token_file'],
    SimpleAuthentication: ['auth_type', 'scope', 'user', 'key_file', 'fingerprint', 'tenancy', 'region', 'profile'],
  } as Record<string, string[]>,
};
// python-oracledb's connect() keyword for the directory of tnsnames.ora (DPY-4027 without it for an alias).
const PY_CONNECT_KEYWORDS = ['dsn', 'access_token', 'extra_auth_params', 'config_dir', 'wallet_location', 'wallet_password'];

describe('snippets against the drivers’ own vocabulary', () => {
  const cases = CASES.map((name) => [name, validateAnswers(JSON.parse(readFileSync(join(FIXTURES, name, 'answers.json'), 'utf8')))] as const);

  it.each(cases)('%s: python-oracledb keywords and auth_type are ones the driver reads', (_name, a) => {
    const py = buildArtifacts(a).find((x) => x.id === 'python-snippet')?.content ?? '';
    const call = py.slice(py.indexOf('oracledb.connect('));
    const keywords = [...call.matchAll(/^ {8}([a-z_]+)=/gm)].map((m) => m[1]);
    expect(keywords).toContain('dsn');
    for (const k of keywords) expect(PY_CONNECT_KEYWORDS, k).toContain(k);
    const extra = /extra_auth_params=\{(.*)\},$/m.exec(py);
    if (!extra) return;
    const keys = [...(extra[1] as string).matchAll(/"([a-z_]+)":/g)].map((m) => m[1] as string);
    const authType = /"auth_type": "([A-Za-z]+)"/.exec(extra[1] as string)?.[1] as string;
    expect(PY_OCI_TOKENS.authTypes).toContain(authType);
    for (const k of keys) expect(PY_OCI_TOKENS.keys[authType], k).toContain(k);
  });

  it.each(cases)('%s: a tnsnames alias comes with the config directory in both drivers', (_name, a) => {
    const alias = a.target.connectString !== undefined && /^[A-Za-z][A-Za-z0-9_.$#-]*$/.test(a.target.connectString);
    const node = buildArtifacts(a).find((x) => x.id === 'node-snippet')?.content ?? '';
    const py = buildArtifacts(a).find((x) => x.id === 'python-snippet')?.content ?? '';
    expect(/configDir: /.test(node)).toBe(alias);
    expect(/config_dir=/.test(py)).toBe(alias);
    if (alias) {
      expect(node).toContain(`configDir: ${JSON.stringify(a.target.walletDir)}`);
      expect(py).toContain(`config_dir=${JSON.stringify(a.target.walletDir)}`);
    }
  });

  it('the fixtures include an alias case', () => {
    expect(cases.some(([, a]) => a.target.connectString === 'dbprod_high')).toBe(true);
  });
});

describe('generated snippets', () => {
  it('every TypeScript snippet type-checks (strict)', () => {
    const files: string[] = [];
    for (const name of CASES) {
      const a = validateAnswers(JSON.parse(readFileSync(join(FIXTURES, name, 'answers.json'), 'utf8')));
      const snippet = buildArtifacts(a).find((x) => x.id === 'node-snippet');
      const dir = join(work, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'connect.ts'), snippet?.content ?? '');
      files.push(join(dir, 'connect.ts'));
    }
    writeFileSync(join(work, 'oracledb.d.ts'), ORACLEDB_DTS);
    const program = ts.createProgram([...files, join(work, 'oracledb.d.ts')], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.slice(work.length)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);

  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!python)('every Python snippet compiles', () => {
    for (const name of CASES) {
      const a = validateAnswers(JSON.parse(readFileSync(join(FIXTURES, name, 'answers.json'), 'utf8')));
      const snippet = buildArtifacts(a).find((x) => x.id === 'python-snippet');
      const r = spawnSync('python3', ['-c', 'import sys; compile(sys.stdin.read(), "connect.py", "exec")'], { input: snippet?.content ?? '', encoding: 'utf8' });
      expect(r.stderr, name).toBe('');
      expect(r.status, name).toBe(0);
    }
  });
});
