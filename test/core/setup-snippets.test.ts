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
    }
    interface Result { rows?: unknown[] }
    interface Connection { execute(sql: string): Promise<Result>; close(): Promise<void> }
    function getConnection(attrs: ConnectionAttributes): Promise<Connection>;
  }
  export default oracledb;
}
declare module 'oracledb/plugins/token/extensionOci' {}
`;

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
