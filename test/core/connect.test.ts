// Connect strings as users write them: EZConnect, full descriptors,
// tnsnames.ora (with IFILE) and sqlnet.ora. Every error carries the line and
// column a user has to fix; no input makes a parser throw.
import { describe, expect, it } from 'vitest';
import { parseDescriptor } from '../../src/core/connect/descriptor.js';
import { parseEzConnect } from '../../src/core/connect/ezconnect.js';
import { parseNvFile, pointAt, NV_LIMITS } from '../../src/core/connect/nv.js';
import { closestAlias, resolveConnectTarget } from '../../src/core/connect/resolve.js';
import { parseSqlnet } from '../../src/core/connect/sqlnet.js';
import { loadTnsnames, parseTnsnames, type TnsnamesSet } from '../../src/core/connect/tnsnames.js';

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}
function bad<T extends { ok: boolean }>(r: T): Extract<T, { ok: false }> {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: false }>;
}

describe('EZConnect', () => {
  it('host:port/service is plain TCP, DN match on by default (node-oracledb)', () => {
    const r = ok(parseEzConnect('dbhost.example.com:1521/orclpdb1'));
    expect(r.target.addresses).toEqual([{ host: 'dbhost.example.com', port: 1521, protocol: 'tcp' }]);
    expect(r.target.serviceName).toBe('orclpdb1');
    expect(r.target.sslServerDnMatch).toBe(true);
    expect(r.target.descriptor).toBe('(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=dbhost.example.com)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=orclpdb1)))');
  });

  it('tcps:// with parameters: quoted DN with commas, retry_count, dn match off', () => {
    const r = ok(parseEzConnect('tcps://adb.us-ashburn-1.oraclecloud.com:1522/abc_high.adb.oraclecloud.com?ssl_server_cert_dn="CN=adb.us-ashburn-1.oraclecloud.com, O=Oracle Corporation, C=US"&retry_count=20&SSL_SERVER_DN_MATCH=off'));
    expect(r.target.addresses).toEqual([{ host: 'adb.us-ashburn-1.oraclecloud.com', port: 1522, protocol: 'tcps' }]);
    expect(r.target.sslServerCertDn).toBe('CN=adb.us-ashburn-1.oraclecloud.com, O=Oracle Corporation, C=US');
    expect(r.target.sslServerDnMatch).toBe(false);
    expect(r.details.retryCount).toBe(20);
    expect(r.target.descriptor).toContain('(RETRY_COUNT=20)');
    expect(r.target.descriptor).toContain('(SSL_SERVER_CERT_DN="CN=adb.us-ashburn-1.oraclecloud.com, O=Oracle Corporation, C=US")');
  });

  it('IPv6 in brackets, default port 1521, several hosts sharing a port, ; address lists', () => {
    expect(ok(parseEzConnect('tcps://[::1]:2484/svc')).target.addresses).toEqual([{ host: '::1', port: 2484, protocol: 'tcps' }]);
    expect(ok(parseEzConnect('[fe80::1]/svc')).target.addresses).toEqual([{ host: 'fe80::1', port: 1521, protocol: 'tcp' }]);
    const multi = ok(parseEzConnect('tcps://h1,h2:1522;h3/svc'));
    expect(multi.target.addresses.map((a) => `${a.host}:${a.port}`)).toEqual(['h1:1522', 'h2:1522', 'h3:1521']);
    expect(multi.target.descriptor).toContain('(ADDRESS_LIST=(LOAD_BALANCE=ON)(ADDRESS=(PROTOCOL=TCPS)(HOST=h1)(PORT=1522))');
    expect(ok(parseEzConnect('//host/svc:pooled')).target.descriptor).toContain('(SERVER=pooled)');
  });

  it.each([
    ['host:15x2/svc', 6, /port must be a number, found '15x2'/],
    ['ldap://host:389/svc', 1, /protocol 'ldap' is not supported/],
    ['tcps://[::1:1522/svc', 8, /never closed/],
    ['host:1522/svc?retry_count', 15, /'retry_count' has no '=value'/],
    ['host:1522/svc?ssl_server_cert_dn="CN=a', 34, /unterminated double quote/],
    ['host:99999/svc', 6, /from 1 to 65535/],
    ['host:1522/svc extra', 14, /unexpected ' '/],
  ])('%s → error at column %i', (text, column, message) => {
    const r = bad(parseEzConnect(text));
    expect(r.at).toEqual({ line: 1, column });
    expect(r.message).toMatch(message);
  });
});

describe('connect descriptors', () => {
  const adb =
    '(description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=1522)(host=adb.eu-frankfurt-1.oraclecloud.com))(connect_data=(service_name=g_db_high.adb.oraclecloud.com))(security=(ssl_server_dn_match=yes)(ssl_server_cert_dn="CN=adb.eu-frankfurt-1.oraclecloud.com, O=Oracle Corporation, L=Redwood City, ST=California, C=US")))';

  it('reads an ADB descriptor (lower-case keys, quoted DN)', () => {
    const r = ok(parseDescriptor(adb));
    expect(r.target).toMatchObject({
      addresses: [{ host: 'adb.eu-frankfurt-1.oraclecloud.com', port: 1522, protocol: 'tcps' }],
      serviceName: 'g_db_high.adb.oraclecloud.com',
      sslServerDnMatch: true,
      sslServerCertDn: 'CN=adb.eu-frankfurt-1.oraclecloud.com, O=Oracle Corporation, L=Redwood City, ST=California, C=US',
    });
    expect(r.details).toMatchObject({ retryCount: 20, retryDelay: 3 });
  });

  it('nests ADDRESS_LIST, several addresses, comments and line breaks; DESCRIPTION_LIST too', () => {
    const text = `(DESCRIPTION =
  # primary first
  (ADDRESS_LIST = (FAILOVER = on)
    (ADDRESS = (PROTOCOL = TCPS)(HOST = a.example)(PORT = 2484))
    (ADDRESS = (PROTOCOL = tcps)(host = b.example))   # default port
  )
  (CONNECT_DATA = (SERVICE_NAME = sales))
  (Security = (SSL_SERVER_DN_MATCH = FALSE)))`;
    const r = ok(parseDescriptor(text));
    expect(r.target.addresses).toEqual([
      { host: 'a.example', port: 2484, protocol: 'tcps' },
      { host: 'b.example', port: 1521, protocol: 'tcps' },
    ]);
    expect(r.target.sslServerDnMatch).toBe(false);
    expect(r.target.descriptor).not.toContain('#');
    const list = ok(parseDescriptor('(DESCRIPTION_LIST=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=x)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=s)))(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=y)(PORT=2))))'));
    expect(list.target.addresses.map((a) => a.host)).toEqual(['x', 'y']);
  });

  it('an unquoted DN with blanks and = is one value, as the driver reads it', () => {
    const r = ok(parseDescriptor('(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=1522))(SECURITY=(SSL_SERVER_CERT_DN=CN=h, O=Oracle Corporation)))'));
    expect(r.target.sslServerCertDn).toBe('CN=h, O=Oracle Corporation');
  });

  it.each([
    ['(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=1522)(CONNECT_DATA=(SERVICE_NAME=x))', 1, 14, /'\(' is never closed: missing '\)' for 'ADDRESS'/],
    ['(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=15x22))(CONNECT_DATA=(SERVICE_NAME=x)))', 1, 52, /PORT must be a number/],
    ['(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(PORT=1522)))', 1, 15, /ADDRESS has no HOST/],
    ['(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=x)))', 1, 2, /holds no ADDRESS/],
    ['(DESCRIPTION=(ADDRESS=(PROTOCOL=IPC)(KEY=x)))', 1, 33, /protocol 'ipc' is not reachable/],
    ['(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=1)))) ', 1, 56, /unbalanced '\)'/],
    ['(DESCRIPTION=(ADDRESS (HOST=h)))', 1, 23, /expected '=' after 'ADDRESS', found '\('/],
    ['(DESCRIPTION=\n  (ADDRESS=(PROTOCOL=TCPS)(HOST="h)(PORT=1)))', 2, 33, /unterminated double quote/],
    ['(CONNECT_DATA=(SERVICE_NAME=x))', 1, 2, /starts with DESCRIPTION/],
  ])('%s → line %i, column %i', (text, line, column, message) => {
    const r = bad(parseDescriptor(text));
    expect(r.message).toMatch(message);
    expect(r.at).toEqual({ line, column });
  });

  it('shows the position in one line with a marker', () => {
    const text = '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=15x22)))';
    const r = bad(parseDescriptor(text));
    expect(pointAt(text, r.at)).toBe('(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=▸15x22)))');
  });
});

const TNS = `# ADB wallet tnsnames.ora
ledger_high = (description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=1522)(host=adb.us-ashburn-1.oraclecloud.com))(connect_data=(service_name=abc_ledger_high.adb.oraclecloud.com))(security=(ssl_server_dn_match=yes)))

ledger_low, LEDGER_LOWEST =
  (DESCRIPTION =
    (ADDRESS = (PROTOCOL = TCPS)(HOST = adb.us-ashburn-1.oraclecloud.com)(PORT = 1522))   # one address
    (CONNECT_DATA =
      (SERVICE_NAME = abc_ledger_low.adb.oraclecloud.com)
    )
  )

broken = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = x)(PORT = 1522))
    (CONNECT_DATA = (SERVICE_NAME = y))
IFILE = more/extra.ora
easy = tcps://h.example:1522/easy_svc
`;

describe('tnsnames.ora', () => {
  it('reads one-line and multi-line entries, alias lists, case-insensitively', () => {
    const high = ok(resolveConnectTarget('ledger_high', TNS, { tnsFile: '/w/tnsnames.ora' }));
    expect(high.target.source).toBe('alias ledger_high in /w/tnsnames.ora:2');
    expect(high.target.serviceName).toBe('abc_ledger_high.adb.oraclecloud.com');
    const lowest = ok(resolveConnectTarget('ledger_lowest', TNS, { tnsFile: '/w/tnsnames.ora' }));
    expect(lowest.target.addresses).toEqual([{ host: 'adb.us-ashburn-1.oraclecloud.com', port: 1522, protocol: 'tcps' }]);
    expect(lowest.target.source).toBe('alias ledger_lowest in /w/tnsnames.ora:4');
    expect(ok(resolveConnectTarget('EASY', TNS)).target.addresses).toEqual([{ host: 'h.example', port: 1522, protocol: 'tcps' }]);
  });

  it('a broken entry is located at its unclosed parenthesis; the entries after it still read', () => {
    const r = bad(resolveConnectTarget('broken', TNS, { tnsFile: '/w/tnsnames.ora' }));
    expect(r.kind).toBe('parse-error');
    expect(r.file).toBe('/w/tnsnames.ora');
    expect(r.at).toEqual({ line: 12, column: 10 });
    expect(r.message).toMatch(/'\(' of 'DESCRIPTION' is never closed: the next entry starts at line 14/);
    expect(parseTnsnames(TNS).includes.map((i) => i.path)).toEqual(['more/extra.ora']);
  });

  it('an unknown alias lists the known ones and suggests the nearest', () => {
    const r = bad(resolveConnectTarget('ledger_hihg', TNS));
    expect(r.kind).toBe('alias-not-found');
    expect(r.known).toEqual(['ledger_high', 'ledger_low', 'LEDGER_LOWEST', 'easy']);
    expect(closestAlias('ledger_hihg', r.known ?? [])).toBe('ledger_high');
    expect(bad(resolveConnectTarget('ledger_high')).message).toMatch(/no tnsnames.ora was given/);
  });

  it('follows IFILE through the read function: relative paths, nesting, cycles and unreadable files reported', async () => {
    const files: Record<string, string> = {
      '/w/tnsnames.ora': TNS,
      '/w/more/extra.ora': 'inner = (DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=inner.example)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=inner)))\nIFILE = /w/tnsnames.ora\nIFILE=/nowhere.ora\n',
    };
    const read = async (p: string) => (files[p] !== undefined ? { ok: true as const, text: files[p] as string } : { ok: false as const, reason: 'no such file' });
    const set = (await loadTnsnames('/w/tnsnames.ora', read)) as TnsnamesSet;
    expect(set.files).toEqual(['/w/tnsnames.ora', '/w/more/extra.ora']);
    const inner = ok(resolveConnectTarget('inner', set));
    expect(inner.target.source).toBe('alias inner in /w/more/extra.ora:1');
    const messages = set.errors.map((e) => `${e.file}:${e.at.line}:${e.at.column} ${e.message}`);
    expect(messages).toContain('/w/more/extra.ora:2:9 IFILE /w/tnsnames.ora is already included (a cycle); not read again');
    expect(messages).toContain('/w/more/extra.ora:3:7 IFILE /nowhere.ora cannot be read: no such file');
    expect(await loadTnsnames('/missing/tnsnames.ora', read)).toEqual({ ok: false, reason: 'no such file' });
  });

  it('bounds IFILE chains', async () => {
    const read = async (p: string) => {
      const n = Number(/(\d+)\.ora$/.exec(p)?.[1] ?? 0);
      return { ok: true as const, text: `a${n} = h${n}:1/s\nIFILE = f${n + 1}.ora\n` };
    };
    const set = (await loadTnsnames('/t/f0.ora', read)) as TnsnamesSet;
    expect(set.files.length).toBeLessThanOrEqual(6);
    expect(set.errors.some((e) => /nested more than/.test(e.message))).toBe(true);
  });
});

describe('sqlnet.ora', () => {
  it('reads WALLET_LOCATION, SSL_SERVER_DN_MATCH, TOKEN_AUTH and TOKEN_LOCATION with positions', () => {
    const s = parseSqlnet(`# from the wallet zip
WALLET_LOCATION = (SOURCE = (METHOD = file) (METHOD_DATA = (DIRECTORY="?/network/admin")))
SSL_SERVER_DN_MATCH=yes
TOKEN_AUTH=OCI_TOKEN
token_location = "/home/app/.oci/db-token"
`);
    expect(s.errors).toEqual([]);
    expect(s.walletDirectory).toEqual({ value: '?/network/admin', raw: '?/network/admin', at: { line: 2, column: 71 } });
    expect(s.walletMethod?.value).toBe('FILE');
    expect(s.sslServerDnMatch).toMatchObject({ value: true, raw: 'yes', at: { line: 3, column: 21 } });
    expect(s.tokenAuth?.value).toBe('OCI_TOKEN');
    expect(s.tokenLocation?.value).toBe('/home/app/.oci/db-token');
  });

  it('multi-line WALLET_LOCATION, and a broken line does not hide the next', () => {
    const s = parseSqlnet(`WALLET_LOCATION =
  (SOURCE =
    (METHOD = file)
    (METHOD_DATA = (DIRECTORY = /opt/wallet)))
NAMES.DIRECTORY_PATH = (TNSNAMES, EZCONNECT
SSL_SERVER_DN_MATCH = no
`);
    expect(s.walletDirectory?.value).toBe('/opt/wallet');
    expect(s.sslServerDnMatch?.value).toBe(false);
    expect(s.errors[0]?.at.line).toBe(5);
  });
});

describe('robustness', () => {
  it('never throws, on random and hostile input, in bounded time', () => {
    const alphabet = ['(', ')', '=', ',', '"', "'", '#', '\n', ' ', 'A', 'b', '1', ':', '/', '?', '&', '[', ']', 'DESCRIPTION', 'ADDRESS', 'IFILE'];
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const started = Date.now();
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: rnd(60) }, () => alphabet[rnd(alphabet.length)]).join('');
      expect(() => {
        resolveConnectTarget(text, text);
        parseTnsnames(text);
        parseSqlnet(text);
        parseEzConnect(text);
      }).not.toThrow();
    }
    const deep = '('.repeat(100_000);
    expect(bad(parseDescriptor(`${'(A='.repeat(10_000)}x${')'.repeat(10_000)}`)).message).toMatch(/nesting deeper than 64/);
    expect(parseNvFile(deep).errors.length).toBeGreaterThan(0);
    expect(bad(parseDescriptor('x'.repeat(NV_LIMITS.maxChars + 1))).message).toMatch(/more than/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
