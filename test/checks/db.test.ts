// The finish line: the identity query through Database Tools (fully against
// the simulator) and directly (node-oracledb; a stand-in driver plays the
// database's authentication phase, which cannot run here).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OracleDriver } from '../../src/adapters/oracle-db.js';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { writeOciHome } from '../../src/sim/home.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import type { SimListener } from '../../src/sim/listener/index.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { startTrustedListener } from '../helpers/listener.js';
import { readmeText, sqlnetText, tnsnamesText, walletFiles, writeWalletDir } from '../helpers/wallet.js';
import { keyFormatOf } from '../../src/core/private-key.js';
import type { JsonReport } from '../../src/core/report/json.js';

type Doc = JsonReport;

const key = generateRsaKey();
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function run(opts: { change?: (f: Fixture) => void; argv?: string[]; driver?: OracleDriver; env?: Record<string, string> } = {}) {
  const fixture = healthyTenancy(key.publicKeyPem);
  opts.change?.(fixture);
  sim = await startSimulator(fixture);
  const home = tempDir();
  writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
  const endpoints = ['identity', 'dataplane', 'database', 'dbtools', 'dbtools-runtime'].flatMap((s) => ['--endpoint', `${s}=${sim!.url}`]);
  const out = await runCli(['--format', 'json', '--only', 'db', '--adb-id', IDS.adb, ...endpoints, ...(opts.argv ?? [])], { system: fakeSystem({ homeDir: home }), now: () => new Date(), oracleDriver: opts.driver, env: opts.env ?? {} });
  return JSON.parse(out.stdout) as Doc;
}

const db = (doc: Doc) => doc.checks.find((c) => c.id === 'db.identity')!;
const problems = (doc: Doc) => db(doc).findings.filter((f) => f.severity !== 'info').map((f) => f.code);
const viaDbTools = ['--dbtools-connection-id', IDS.dbtools];
const conn = (f: Fixture) => f.dbToolsConnections[0]!;
const adb = (f: Fixture) => f.autonomousDatabases[0]!;

describe('identity query through Database Tools', () => {
  it('ends with the identity panel: session user, identity, method, roles', async () => {
    const doc = await run({ argv: viaDbTools });
    expect(problems(doc)).toEqual([]);
    const confirmed = db(doc).findings[0]!;
    expect(confirmed).toMatchObject({ code: 'db.identity-confirmed', highlight: true, title: 'The database sees ALICE (alice) by TOKEN_GLOBAL' });
    expect(confirmed.detail).toContain('Roles:                  SUPPORT_RO');
    expect(db(doc).summary).toBe('ALICE by TOKEN_GLOBAL (Database Tools)');
  });

  it('runs even when the doctor’s own DB token request failed: Database Tools does not use that token', async () => {
    const doc = await run({ argv: [...viaDbTools, '--endpoint', 'dataplane=http://127.0.0.1:9'] });
    expect(doc.checks.find((c) => c.id === 'token.db-token')?.status).toBe('fail');
    expect(db(doc).summary).toBe('ALICE by TOKEN_GLOBAL (Database Tools)');
  });

  it('dbtools.not-token-auth for a password connection', async () => {
    const doc = await run({ argv: viaDbTools, change: (f) => Object.assign(conn(f), { authType: 'PASSWORD', userName: 'ADMIN' }) });
    expect(problems(doc)).toEqual(['dbtools.not-token-auth']);
  });

  it('dbtools.scope-missing warns but the query still runs', async () => {
    const doc = await run({ argv: viaDbTools, change: (f) => void delete conn(f).advancedProperties['iam.db.token.scope'] });
    // Without a scope the simulated service cannot log on: the warning names the likely cause.
    expect(problems(doc)[0]).toBe('dbtools.scope-missing');
  });

  it('db.external-auth-disabled when the external-authentication property set reads NONE (the database’s own state)', async () => {
    const doc = await run({ argv: viaDbTools, change: (f) => void (adb(f).iamAuthEnabled = false) });
    expect(problems(doc)).toEqual(['db.external-auth-disabled']);
    const f = db(doc).findings[0]!;
    expect(f.evidence['external authentication']).toBe('NONE');
    expect(f.fix.commands).toEqual(["EXEC DBMS_CLOUD_ADMIN.ENABLE_EXTERNAL_AUTHENTICATION(type => 'OCI_IAM');"]);
  });

  it('a bare ORA-01017 with policy, OCI_IAM and scope in place: db.no-global-mapping, ranked, and saying what it verified', async () => {
    const doc = await run({ argv: viaDbTools, change: (f) => Object.assign(adb(f), { globalUsers: [], globalRoles: [] }) });
    expect(problems(doc)).toEqual(['db.no-global-mapping']);
    const f = db(doc).findings[0]!;
    expect(f.evidence).toMatchObject({ code: 'ORA-01017', message: 'ORA-01017: invalid username/password; logon denied', verified: 'policy.access passed; identity provider OCI_IAM; iam.db.token.scope set' });
    expect(f.evidence.cause).toBeUndefined();
    expect(f.evidence['possible causes']).toMatch(/^1\. db\.no-global-mapping: .* 2\. dbuser\.mapping-mismatch: .* 3\. token\.scope-excludes-database: /);
  });

  it('a bare ORA-01017 when the scope is missing: db.logon-denied with its causes ranked, not a guessed mapping', async () => {
    const doc = await run({ argv: viaDbTools, change: (f) => void delete conn(f).advancedProperties['iam.db.token.scope'] });
    expect(problems(doc)).toEqual(['dbtools.scope-missing', 'db.logon-denied']);
  });

  it('db.unexpected-user against --expect-db-user, db.broad-roles for DBA', async () => {
    expect(problems(await run({ argv: [...viaDbTools, '--expect-db-user', 'SUPPORT'] }))).toEqual(['db.unexpected-user']);
    expect(problems(await run({ argv: viaDbTools, change: (f) => void adb(f).grants.push({ grantee: 'ALICE', privilege: 'DBA' }) }))).toEqual(['db.broad-roles']);
  });
});

describe('identity query on the direct path (driver stand-in for the authentication phase)', () => {
  // The network and TLS links are real (the simulated listener); only what
  // happens after TLS — the database's authentication — is played by a stand-in.
  let listener: SimListener;
  let dsn: string[] = [];
  beforeAll(async () => {
    ({ listener, dsn } = await startTrustedListener());
  });
  afterAll(() => listener.close());

  function driver(answer: 'ok' | Error, seen: Record<string, unknown>[] = []): OracleDriver {
    return {
      async getConnection(config) {
        seen.push(config);
        if (answer instanceof Error) throw answer;
        return {
          async execute(sql: string) {
            return sql.includes('session_roles') ? { rows: [['SUPPORT_RO']] } : { rows: [['ALICE', 'ALICE', 'alice', 'TOKEN_GLOBAL', IDS.alice]] };
          },
          async close() {},
        };
      },
    };
  }

  it('connects with externalAuth and the doctor’s own DB token and key', async () => {
    const seen: Record<string, unknown>[] = [];
    const doc = await run({ argv: dsn, driver: driver('ok', seen) });
    expect(problems(doc)).toEqual([]);
    expect(db(doc).summary).toBe('ALICE by TOKEN_GLOBAL');
    const token = seen[0]!.accessToken as { token: string; privateKey: string };
    expect(seen[0]).toMatchObject({ externalAuth: true, sslServerDNMatch: true, connectString: expect.stringContaining(`(PORT=${listener.port})`) });
    // The listener's CA is not among Node's roots: the doctor hands node-oracledb a wallet that trusts it.
    expect(seen[0]!.walletContent).toMatch(/BEGIN CERTIFICATE/);
    expect(token.token.split('.')).toHaveLength(3);
    expect(keyFormatOf(token.privateKey)).toBe('pkcs8');
  });

  it('a wallet directory that trusts the server goes to node-oracledb as walletLocation, with the wallet password from the environment', async () => {
    const dir = tempDir();
    const password = `walletpw-${Date.now().toString(36)}`;
    writeWalletDir(dir, {
      ...walletFiles({ caPems: [listener.caPem], password }),
      'tnsnames.ora': tnsnamesText(['ledger_high'], 'localhost', listener.port).replace('ledger_high.adb.oraclecloud.com', 'ledger_high'),
      'sqlnet.ora': sqlnetText(dir),
      README: readmeText(new Date(Date.now() + 90 * 86_400_000)),
    });
    const seen: Record<string, unknown>[] = [];
    const doc = await run({ argv: ['--dsn', 'ledger_high', '--tns-admin', dir], driver: driver('ok', seen), env: { DBIAM_DOCTOR_WALLET_PASSWORD: password } });
    expect(problems(doc)).toEqual([]);
    expect(seen[0]).toMatchObject({ walletLocation: dir, walletPassword: password });
    expect(seen[0]!.walletContent).toBeUndefined();
  });

  it('without a DB token the direct path is skipped, naming the token check', async () => {
    const seen: Record<string, unknown>[] = [];
    const doc = await run({ argv: [...dsn, '--endpoint', 'dataplane=http://127.0.0.1:9'], driver: driver('ok', seen) });
    expect(db(doc)).toMatchObject({ status: 'skip', summary: 'no DB token (see DB token)' });
    expect(seen).toEqual([]);
  });

  it('a TLS chain that does not verify skips the direct path (no logon attempt), but not the Database Tools path', async () => {
    const untrusted = dsn.slice(0, 2); // the connect string without --ca-file: the listener's CA is trusted by nothing
    const seen: Record<string, unknown>[] = [];
    const direct = await run({ argv: untrusted, driver: driver('ok', seen) });
    expect(db(direct)).toMatchObject({ status: 'skip', summary: 'skipped: TLS certificate chain did not pass (fail)' });
    expect(seen).toEqual([]);
    const viaTools = await run({ argv: [...untrusted, ...viaDbTools], driver: driver('ok', seen) });
    expect(db(viaTools).summary).toBe('ALICE by TOKEN_GLOBAL (Database Tools)');
    expect(seen).toEqual([]);
  });

  it('explains ORA-01017 as db.logon-denied', async () => {
    const doc = await run({ argv: dsn, driver: driver(new Error('ORA-01017: invalid credential or not authorized; logon denied')) });
    expect(problems(doc)).toEqual(['db.logon-denied']);
  });

  it('with the real node-oracledb, a refused service is db.service-unknown', async () => {
    const wrong = dsn.map((a) => a.replace('ledger_high', 'ledger_nope'));
    expect(problems(await run({ argv: wrong }))).toEqual(['db.service-unknown']);
  });

  it('explains NJS-087 as db.token-expired and ORA-25704 as db.dn-match-required', async () => {
    expect(problems(await run({ argv: dsn, driver: driver(new Error('NJS-087: access token has expired')) }))).toEqual(['db.token-expired']);
    expect(problems(await run({ argv: dsn, driver: driver(new Error('ORA-25704: token authentication requires SSL_SERVER_DN_MATCH to be enabled')) }))).toEqual(['db.dn-match-required']);
  });
});
