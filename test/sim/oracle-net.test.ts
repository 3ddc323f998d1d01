// The database stand-in against the real node-oracledb thin driver: a DB
// token from the simulated IAM data plane, a TLS listener with a generated
// chain, and the doctor's own identity query (runIdentityQuery) over it.
// Keys are generated at run time; everything listens on 127.0.0.1.
import { createSign } from 'node:crypto';
import { createRequire } from 'node:module';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { runAdminQueries, runIdentityQuery, type DirectConnectParams } from '../../src/adapters/oracle-db.js';
import { DB_CONFIG_QUERIES } from '../../src/core/db-config.js';
import { generateDbToken } from '../../src/adapters/oci-dbtoken.js';
import { newDbKeyPair, type DbKeyPair } from '../../src/adapters/rsa-key-pair.js';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { startListener, type SimListener } from '../../src/sim/listener/index.js';
import { adbBackend } from '../../src/sim/oracle-net/adb.js';
import { makeChain, oneWayTlsWallet, type Chain } from '../../src/sim/pki.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { AUTH_MODE_IAM_TOKEN } from '../../src/sim/oracle-net/ttc.js';
import { createTokenIssuer, publicKeyToJwk, type TokenIssuer } from '../../src/sim/tokens.js';
import { SERVER_KEY_BITS } from '../helpers/certs.js';

// Node 24's OpenSSL (security level 2) refuses a 1024-bit server key; on
// Node 20 and 22 1024-bit keys keep node-forge's key generation fast.
const BITS = SERVER_KEY_BITS;
const SERVICE = 'ledger_high';
const TENANCY_SCOPE = `urn:oracle:db::id::${IDS.tenancy}`;

const aliceKey = generateRsaKey(BITS);
let ca: Chain;
let wallet: string;
let issuer: TokenIssuer;
let fixture: Fixture;
let sim: RunningSimulator;
let dbKey: DbKeyPair;

beforeAll(async () => {
  ca = makeChain({ bits: BITS });
  wallet = oneWayTlsWallet(ca.root.certPem, { bits: BITS });
  issuer = createTokenIssuer();
  fixture = healthyTenancy(aliceKey.publicKeyPem);
  sim = await startSimulator(fixture, { issuer });
  dbKey = await newDbKeyPair();
}, 30_000);

afterAll(async () => {
  await sim?.close();
});

/** A DB token for alice from the simulated data plane, bound to `publicKeyPem`. */
async function dbToken(scope = TENANCY_SCOPE, publicKeyPem = dbKey.publicKeyPem): Promise<string> {
  const r = await generateDbToken(
    { kind: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, fingerprint: apiKeyFingerprint(aliceKey.publicKeyPem), privateKeyPem: aliceKey.privateKeyPem, region: 'us-ashburn-1' },
    scope,
    publicKeyPem,
    { endpoints: { dataplane: sim.url }, env: {} },
  );
  if (!r.ok) throw new Error(`data plane refused the DB token: ${r.code} ${r.message}`);
  return r.value;
}

interface ListenerSetup {
  change?: (fx: Fixture) => void;
  /** The database's clock (default: the real one). */
  now?: () => Date;
  idleTimeoutMs?: number;
}

async function withListener<T>(f: (l: SimListener) => Promise<T>, setup: ListenerSetup = {}): Promise<T> {
  const fx: Fixture = structuredClone(fixture);
  setup.change?.(fx);
  const l = await startListener({
    services: [SERVICE],
    bits: BITS,
    ca: { root: ca.root, intermediate: ca.intermediate },
    database: adbBackend({ fixture: fx, databaseId: IDS.adb, issuer, ...(setup.now ? { now: setup.now } : {}) }),
    sessionIdleTimeoutMs: setup.idleTimeoutMs ?? 5000,
  });
  try {
    return await f(l);
  } finally {
    await l.close();
  }
}

function params(l: SimListener, token: string, privateKeyPem = dbKey.privateKeyPem): DirectConnectParams {
  return { token, privateKeyPem, connectString: l.descriptor(SERVICE), walletContent: wallet, sslServerDNMatch: true, connectTimeoutSeconds: 5 };
}

describe('token logon with the real driver', () => {
  it('logs on with a DB token and returns the identity and roles from the fixture', async () => {
    const token = await dbToken();
    await withListener(async (l) => {
      const r = await runIdentityQuery(params(l, token));
      expect(r).toEqual({
        ok: true,
        identity: {
          currentSchema: 'ALICE',
          sessionUser: 'ALICE',
          authenticatedIdentity: 'alice',
          authenticationMethod: 'TOKEN_GLOBAL',
          enterpriseIdentity: IDS.alice,
          roles: ['SUPPORT_RO'],
        },
      });
      expect(l.requests).toHaveLength(1);
      const s = l.requests[0]?.session;
      expect(l.requests[0]?.outcome).toBe('accepted');
      expect(s?.logon).toEqual({ ok: true, user: 'ALICE' });
      expect(s?.statements).toHaveLength(2);
    });
  }, 30_000);
});

/** The first line of a failed logon, and what the stand-in recorded about it. */
async function failedLogon(token: string, setup: ListenerSetup = {}, privateKeyPem?: string): Promise<{ line: string; reason: string }> {
  return withListener(async (l) => {
    const r = await runIdentityQuery(params(l, token, privateKeyPem));
    if (r.ok) throw new Error('the logon succeeded');
    const logon = l.requests[0]?.session?.logon;
    return { line: r.message.split('\n')[0] as string, reason: logon && !logon.ok ? logon.reason : '(none)' };
  }, setup);
}

describe('the stand-in rejects what a database rejects', () => {
  it('a token signed by a key other than the simulated IAM: ORA-25707', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = createTokenIssuer().issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: TENANCY_SCOPE, iat: now, exp: now + 3600, jwk: publicKeyToJwk(dbKey.publicKeyPem) });
    const r = await failedLogon(forged);
    expect(r.line).toBe('ORA-25707: The token is invalid.');
    expect(r.reason).toMatch(/^token-invalid: token signature is invalid/);
  }, 30_000);

  it('a proof of possession signed by a key the token is not bound to: ORA-25707', async () => {
    const other = await newDbKeyPair();
    const r = await failedLogon(await dbToken(), {}, other.privateKeyPem);
    expect(r.line).toBe('ORA-25707: The token is invalid.');
    expect(r.reason).toMatch(/^pop-signature-invalid/);
  }, 30_000);

  it('a proof-of-possession date outside the window (the client clock 10 minutes behind the database): ORA-01017', async () => {
    const r = await failedLogon(await dbToken(), { now: () => new Date(Date.now() + 10 * 60_000) });
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^pop-date-out-of-window/);
  }, 30_000);

  it('a token whose scope excludes the database: ORA-01017', async () => {
    const r = await failedLogon(await dbToken(`urn:oracle:db::id::${IDS.prod}`));
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^scope-excludes-database/);
  }, 30_000);

  it('no global user maps the principal or its groups: ORA-01017', async () => {
    const r = await failedLogon(await dbToken(), { change: (fx) => void (fx.autonomousDatabases[0]!.globalUsers = []) });
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^no-mapping/);
  }, 30_000);

  it('IAM authentication not enabled on the database: ORA-01017', async () => {
    const r = await failedLogon(await dbToken(), { change: (fx) => void (fx.autonomousDatabases[0]!.iamAuthEnabled = false) });
    expect(r.line).toBe('ORA-01017: invalid username/password; logon denied');
    expect(r.reason).toMatch(/^iam-auth-disabled/);
  }, 30_000);

  it('the mapped user without CREATE SESSION: ORA-01045', async () => {
    const r = await failedLogon(await dbToken(), { change: (fx) => void (fx.autonomousDatabases[0]!.grants = fx.autonomousDatabases[0]!.grants.filter((g) => g.privilege !== 'CREATE SESSION')) });
    expect(r.line).toBe('ORA-01045: user ALICE lacks CREATE SESSION privilege; logon denied');
    expect(r.reason).toMatch(/^no-create-session/);
  }, 30_000);
});

describe('the database side alone (what the driver never sends)', () => {
  const header = (date: Date, service: string): string => `date: ${date.toUTCString()}\n(request-target): ${service}\nhost: 127.0.0.1:1522`;
  const sign = (text: string, keyPem: string): string => createSign('RSA-SHA256').update(text).sign(keyPem, 'base64');
  const logon = (token: string, h: string, signature: string) =>
    adbBackend({ fixture, databaseId: IDS.adb, issuer }).logonWithToken({ token, header: h, signature, authMode: AUTH_MODE_IAM_TOKEN, serviceName: SERVICE, serverAddress: '127.0.0.1:1522' });

  it('accepts a correctly signed header for this service', async () => {
    const h = header(new Date(), SERVICE);
    const v = logon(await dbToken(), h, sign(h, dbKey.privateKeyPem));
    expect(v.ok).toBe(true);
  }, 30_000);

  it('rejects a header whose request target is another service: ORA-01017', async () => {
    const h = header(new Date(), 'ledger_low');
    const v = logon(await dbToken(), h, sign(h, dbKey.privateKeyPem));
    expect(v).toMatchObject({ ok: false, error: { num: 1017, message: 'ORA-01017: invalid username/password; logon denied' } });
    expect(v.ok ? '' : v.reason).toMatch(/^pop-wrong-service/);
  }, 30_000);

  it('rejects an expired token: ORA-25708', () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: TENANCY_SCOPE, iat: now - 7200, exp: now - 3600, jwk: publicKeyToJwk(dbKey.publicKeyPem) });
    const h = header(new Date(), SERVICE);
    const v = logon(expired, h, sign(h, dbKey.privateKeyPem));
    expect(v).toMatchObject({ ok: false, error: { num: 25708, message: 'ORA-25708: The token has expired.' } });
  });

  it('rejects a token not valid yet: ORA-25707', () => {
    const now = Math.floor(Date.now() / 1000);
    const early = issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, scope: TENANCY_SCOPE, iat: now + 3600, nbf: now + 3600, exp: now + 7200, jwk: publicKeyToJwk(dbKey.publicKeyPem) });
    const h = header(new Date(), SERVICE);
    const v = logon(early, h, sign(h, dbKey.privateKeyPem));
    expect(v).toMatchObject({ ok: false, error: { num: 25707 } });
    expect(v.ok ? '' : v.reason).toMatch(/^token-not-yet-valid/);
  });
});

interface Conn {
  execute(sql: string): Promise<{ rows?: unknown[][]; metaData?: { name: string }[] }>;
  close(): Promise<void>;
}
const oracledb = createRequire(import.meta.url)('oracledb') as { getConnection(o: Record<string, unknown>): Promise<Conn> };

async function connect(l: SimListener, token: string, extra: Record<string, unknown> = {}): Promise<Conn> {
  return oracledb.getConnection({
    externalAuth: true,
    accessToken: { token, privateKey: dbKey.privateKeyPem },
    connectString: l.descriptor(SERVICE),
    walletContent: wallet,
    connectTimeout: 5,
    transportConnectTimeout: 5,
    ...extra,
  });
}


describe('statements on a token session', () => {
  it('fetches past the prefetch, answers unknown tables with ORA-00942 and nonsense with ORA-00900, and the session goes on', async () => {
    const token = await dbToken();
    const roles = ['R_ONE', 'R_TWO', 'R_THREE', 'R_FOUR', 'R_FIVE'];
    await withListener(
      async (l) => {
        const conn = await connect(l, token);
        try {
          const r = await conn.execute('select role from session_roles order by role');
          expect(r.metaData?.map((m) => m.name)).toEqual(['ROLE']);
          expect(r.rows?.map((x) => x[0])).toEqual([...roles, 'SUPPORT_RO'].sort());
          await expect(conn.execute('select * from dba_users')).rejects.toThrow(/^ORA-00942: table or view does not exist$/m);
          await expect(conn.execute('select * from payroll')).rejects.toThrow(/^ORA-00942: table or view does not exist$/m);
          await expect(conn.execute('drop table payroll')).rejects.toThrow(/^ORA-00900: invalid SQL statement$/m);
          // The same statement again goes over its open cursor (re-execute).
          const again = await conn.execute('select role from session_roles order by role');
          expect(again.rows).toHaveLength(roles.length + 1);
          const who = await conn.execute("select sys_context('userenv','session_user') from dual");
          expect(who.rows).toEqual([['ALICE']]);
        } finally {
          await conn.close();
        }
        await until(() => l.requests[0]?.session?.end !== undefined);
        expect(l.requests[0]?.session?.end).toBe('logoff');
      },
      { change: (fx) => void fx.autonomousDatabases[0]!.grants.push(...roles.map((r) => ({ grantee: 'ALICE', privilege: r }))) },
    );
  }, 30_000);

  it('with the smallest SDU (512): the token logon spans several packets each way, and so do the rows', async () => {
    const token = await dbToken();
    const roles = Array.from({ length: 40 }, (_, i) => `A_ROLE_WITH_A_RATHER_LONG_NAME_${String(i).padStart(2, '0')}`);
    await withListener(
      async (l) => {
        const conn = await connect(l, token, { connectString: l.descriptor(SERVICE).replace('(DESCRIPTION=', '(DESCRIPTION=(SDU=512)') });
        try {
          const r = await conn.execute('select role from session_roles order by role');
          expect(r.rows?.map((x) => x[0])).toEqual([...roles, 'SUPPORT_RO'].sort());
        } finally {
          await conn.close();
        }
        expect(l.requests[0]?.connect?.sdu).toBe(512);
      },
      { change: (fx) => void fx.autonomousDatabases[0]!.grants.push(...roles.map((r) => ({ grantee: 'ALICE', privilege: r }))) },
    );
  }, 30_000);

  it('serves mutual TLS with a wallet whose certificate chains to the listener client CA', async () => {
    const token = await dbToken();
    const l = await startListener({
      services: [SERVICE],
      bits: BITS,
      ca: { root: ca.root, intermediate: ca.intermediate },
      faults: { requireClientCert: true },
      database: adbBackend({ fixture, databaseId: IDS.adb, issuer }),
    });
    try {
      const r = await runIdentityQuery({ ...params(l, token), walletContent: l.makeClientWallet() });
      expect(r.ok && r.identity.sessionUser).toBe('ALICE');
      expect(l.requests.map((q) => q.outcome)).toEqual(['accepted']);
    } finally {
      await l.close();
    }
  }, 30_000);
});

/** A bare CONNECT for `service` (descriptor inline: under 230 bytes). */
function connectPacket(service: string): Buffer {
  const data = Buffer.from(`(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=localhost)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=${service})))`, 'ascii');
  const buf = Buffer.alloc(74 + data.length);
  buf.writeUInt16BE(buf.length, 0);
  buf.writeUInt8(1, 4);
  buf.writeUInt16BE(319, 8);
  buf.writeUInt16BE(300, 10);
  buf.writeUInt16BE(8192, 14);
  buf.writeUInt16BE(65535, 16);
  buf.writeUInt16BE(data.length, 24);
  buf.writeUInt16BE(74, 26);
  buf.writeUInt32BE(8192, 58);
  buf.writeUInt32BE(65535, 62);
  data.copy(buf, 74);
  return buf;
}

/** A raw TLS client that has sent a CONNECT and received the ACCEPT. */
async function acceptedSocket(l: SimListener): Promise<tls.TLSSocket> {
  const s = tls.connect({ host: '127.0.0.1', port: l.port, ca: l.caPem, servername: 'localhost' });
  s.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ACCEPT within 5 s')), 5000);
    s.once('secureConnect', () => s.write(connectPacket(SERVICE)));
    s.once('data', (d: Buffer) => {
      clearTimeout(timer);
      if (d[4] === 2) resolve();
      else reject(new Error(`expected ACCEPT, got packet type ${d[4]}`));
    });
  });
  return s;
}

/** A DATA packet (4-byte length) carrying `payload` as a complete request. */
function dataPacket(payload: Buffer): Buffer {
  const pkt = Buffer.alloc(10 + payload.length);
  pkt.writeUInt32BE(pkt.length, 0);
  pkt.writeUInt8(6, 4);
  pkt.writeUInt16BE(0x800, 8);
  payload.copy(pkt, 10);
  return pkt;
}

describe('clients that misbehave after ACCEPT', () => {
  const cases: { name: string; act: (s: tls.TLSSocket) => void; end: string }[] = [
    { name: 'bytes that are not a packet', act: (s) => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), end: 'garbage' },
    { name: 'a DATA packet that is not TTC', act: (s) => s.write(dataPacket(Buffer.from([0xee, 0x01, 0x02]))), end: 'garbage' },
    { name: 'a request cut short', act: (s) => s.write(dataPacket(Buffer.from([3, 115, 1, 1, 4]))), end: 'garbage' },
    { name: 'a client that goes away mid-logon', act: (s) => (s.write(dataPacket(Buffer.from([1, 6, 0, 0x41, 0]))), s.destroy()), end: 'client-vanished' },
    { name: 'a client that says nothing', act: () => {}, end: 'idle-timeout' },
  ];
  for (const c of cases) {
    it(`${c.name}: that connection ends (${c.end}), the listener serves the next client`, async () => {
      const token = await dbToken();
      await withListener(
        async (l) => {
          const s = await acceptedSocket(l);
          c.act(s);
          await until(() => l.requests[0]?.session?.end !== undefined);
          expect(l.requests[0]?.session?.end).toBe(c.end);
          s.destroy();
          const r = await runIdentityQuery(params(l, token));
          expect(r.ok && r.identity.sessionUser).toBe('ALICE');
        },
        { idleTimeoutMs: 300 },
      );
    }, 30_000);
  }
});

describe('password logon as a local user (the admin queries of db.config)', () => {
  const adminPassword = `canary-${Math.random().toString(36).slice(2)}`;

  async function withAdminListener<T>(f: (l: SimListener) => Promise<T>): Promise<T> {
    const l = await startListener({
      services: [SERVICE],
      bits: BITS,
      ca: { root: ca.root, intermediate: ca.intermediate },
      database: adbBackend({ fixture, databaseId: IDS.adb, issuer, localUsers: { ADMIN: adminPassword } }),
    });
    try {
      return await f(l);
    } finally {
      await l.close();
    }
  }
  const tlsOf = (l: SimListener) => ({ connectString: l.descriptor(SERVICE), walletContent: wallet, sslServerDNMatch: true, connectTimeoutSeconds: 5 });

  it('ADMIN with the right password reads the IAM configuration and the global users and roles', async () => {
    await withAdminListener(async (l) => {
      const statements = Object.values(DB_CONFIG_QUERIES);
      const r = await runAdminQueries({ ...tlsOf(l), user: 'admin', password: adminPassword }, statements);
      expect(r).toEqual({
        ok: true,
        answers: [
          {
            ok: true,
            columns: ['NAME', 'VALUE'],
            rows: [
              ['identity_provider_type', 'OCI_IAM'],
              ['identity_provider_config', null],
            ],
          },
          { ok: true, columns: ['USERNAME', 'EXTERNAL_NAME'], rows: [['ALICE', 'IAM_PRINCIPAL_NAME=alice']] },
          { ok: true, columns: ['ROLE', 'EXTERNAL_NAME'], rows: [['SUPPORT_RO', 'IAM_GROUP_NAME=DBUsers']] },
          { ok: true, columns: ['GRANTEE'], rows: [['ALICE']] },
        ],
      });
      expect(l.requests[0]?.session?.logon).toEqual({ ok: true, user: 'ADMIN' });
    });
  }, 30_000);

  it('a wrong password or an unknown user: ORA-01017, and the token path still refuses dictionary views to a token session', async () => {
    await withAdminListener(async (l) => {
      const wrong = await runAdminQueries({ ...tlsOf(l), user: 'ADMIN', password: 'not-it' }, ['select 1 from dual']);
      expect(wrong.ok ? '' : wrong.message.split('\n')[0]).toBe('ORA-01017: invalid username/password; logon denied');
      const nobody = await runAdminQueries({ ...tlsOf(l), user: 'NOBODY', password: adminPassword }, ['select 1 from dual']);
      expect(nobody.ok ? '' : nobody.message.split('\n')[0]).toBe('ORA-01017: invalid username/password; logon denied');
      const conn = await connect(l, await dbToken());
      try {
        await expect(conn.execute(DB_CONFIG_QUERIES.globalUsers)).rejects.toThrow(/^ORA-00942: table or view does not exist$/m);
      } finally {
        await conn.close();
      }
    });
  }, 30_000);
});

describe('break and reset', () => {
  /** A marker packet (4-byte length): 1 data byte, `kind` 1 break / 2 reset. */
  const marker = (kind: number): Buffer => Buffer.from([0, 0, 0, 11, 12, 0, 0, 0, 1, 0, kind]);

  it('answers a reset with a reset marker and ORA-01013, then goes on serving the connection', async () => {
    await withListener(async (l) => {
      const s = await acceptedSocket(l);
      const got: Buffer[] = [];
      s.on('data', (d: Buffer) => got.push(d));
      s.write(Buffer.concat([marker(1), marker(2)]));
      await until(() => Buffer.concat(got).includes(Buffer.from('ORA-01013')));
      const reply = Buffer.concat(got);
      expect(reply[4]).toBe(12); // the reset marker first
      expect(reply[10]).toBe(2);
      expect(reply.toString('latin1')).toContain('ORA-01013: user requested cancel of current operation');
      got.length = 0;
      s.write(dataPacket(Buffer.from([1, 6, 0, 0x41, 0]))); // the protocol message
      await until(() => got.length > 0);
      expect(Buffer.concat(got)[4]).toBe(6);
      expect(l.requests[0]?.session?.end).toBeUndefined();
      s.destroy();
    });
  }, 30_000);
});
