// Fuzzing every parser the doctor feeds with what it finds on a machine or
// is handed by a user: 10,000 generated and mutated inputs each (fast-check,
// fixed seeds, so a failure reproduces). For every input: no exception, a
// bounded time, and — where the API has one — a diagnostic when the input is
// rejected. Inputs that once failed are kept in regressions/ and run first.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDescriptor } from '../../src/core/connect/descriptor.js';
import { parseEzConnect } from '../../src/core/connect/ezconnect.js';
import { resolveConnectTarget } from '../../src/core/connect/resolve.js';
import { parseSqlnet } from '../../src/core/connect/sqlnet.js';
import { parseTnsnames } from '../../src/core/connect/tnsnames.js';
import { explainError } from '../../src/core/explain/index.js';
import { decodeJwt } from '../../src/core/jwt.js';
import { parseOciConfig } from '../../src/core/oci-config.js';
import { parseCertificateBundle } from '../../src/core/pem.js';
import { parseDynamicGroupExport, parsePolicyExport } from '../../src/core/policy/export-file.js';
import { parseMatchingRule } from '../../src/core/policy/matching-rule.js';
import { parseStatement } from '../../src/core/policy/statement.js';
import { SKIM_UNSURE, skimStatement } from '../../src/core/policy/skim.js';
import { readPrivateKey } from '../../src/core/private-key.js';
import { detectWalletBlob } from '../../src/core/wallet/detect.js';
import { inspectPemWallet } from '../../src/core/wallet/pem-wallet.js';
import { parseWalletReadme } from '../../src/core/wallet/readme.js';
import { readZip } from '../../src/core/wallet/zip.js';
import { makeCert } from '../helpers/certs.js';
import { readmeText, sqlnetText, tnsnamesText } from '../helpers/wallet.js';
import { buildZip } from '../helpers/zip.js';

const RUNS = 10_000;
/** FUZZ_SEED=n explores other inputs than the fixed ones npm test uses. */
const SEED_OFFSET = Number(process.env.FUZZ_SEED ?? 0) * 100;
/** Per input; a slow input is timed once more before it counts (a GC pause is not a hang). */
const MAX_MS_PER_INPUT = 200;

// ---------------------------------------------------------------------------
// Mutations of corpus seeds: byte flips, truncation, duplication, deletion,
// random unicode inserted, lines repeated.

type Op =
  | { k: 'flip'; at: number; bit: number }
  | { k: 'truncate'; at: number }
  | { k: 'duplicate'; at: number; len: number }
  | { k: 'delete'; at: number; len: number }
  | { k: 'insert'; at: number; text: string }
  | { k: 'repeat-line'; at: number; times: number };

const ratio = fc.double({ min: 0, max: 1, noNaN: true });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), at: ratio, bit: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ k: fc.constant('truncate' as const), at: ratio }),
  fc.record({ k: fc.constant('duplicate' as const), at: ratio, len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ k: fc.constant('delete' as const), at: ratio, len: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ k: fc.constant('insert' as const), at: ratio, text: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('(', ')', '=', '"', "'", '\n', '\r\n', '\\', '{', '}', '[', ']', ',', '.', '-----', '\u0000', '\uFEFF', '\u201C', '%', '#', ';', '..', '*', 'ANY {', 'where ')) }),
  fc.record({ k: fc.constant('repeat-line' as const), at: ratio, times: fc.integer({ min: 2, max: 50 }) }),
);

function mutate(seed: string, ops: readonly Op[]): string {
  let s = seed;
  for (const op of ops) {
    const at = Math.floor(op.at * s.length);
    switch (op.k) {
      case 'flip':
        if (s.length > 0) s = s.slice(0, at) + String.fromCharCode((s.charCodeAt(Math.min(at, s.length - 1)) ^ (1 << op.bit)) & 0xffff) + s.slice(at + 1);
        break;
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'duplicate':
        s = s.slice(0, at + op.len) + s.slice(at, at + op.len) + s.slice(at + op.len);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + op.len);
        break;
      case 'insert':
        s = s.slice(0, at) + op.text + s.slice(at);
        break;
      case 'repeat-line': {
        const lines = s.split('\n');
        const i = Math.floor(op.at * lines.length);
        lines.splice(i, 0, ...Array<string>(op.times).fill(lines[i] ?? ''));
        s = lines.join('\n');
        break;
      }
    }
  }
  return s;
}

function mutateBytes(seed: Buffer, ops: readonly Op[]): Buffer {
  let b = Buffer.from(seed);
  for (const op of ops) {
    const at = Math.floor(op.at * b.length);
    switch (op.k) {
      case 'flip':
        if (b.length > 0) {
          const i = Math.min(at, b.length - 1);
          b[i] = (b[i] ?? 0) ^ (1 << (op.bit % 8));
        }
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + op.len), b.subarray(at, at + op.len), b.subarray(at + op.len)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + op.len)]);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(op.text, 'latin1'), b.subarray(at)]);
        break;
      case 'repeat-line':
        b = Buffer.concat([b.subarray(0, at), ...Array<Buffer>(op.times).fill(b.subarray(at, at + 4)), b.subarray(at)]);
        break;
    }
  }
  return b;
}

/** Seeds mutated, seeds spliced together, and free text. */
function textInputs(seeds: readonly string[], extra: fc.Arbitrary<string>[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(opArb, { minLength: 1, maxLength: 6 })).map(([s, ops]) => mutate(s, ops)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.constantFrom(...seeds), ratio).map(([a, b, r]) => a.slice(0, Math.floor(r * a.length)) + b.slice(Math.floor(r * b.length))) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('(', ')', '=', ' ', 'A', '"', '\n', '{', '}', ',', '.', '-', '/', ':', '@', '[', ']', "'"), maxLength: 300 }) },
    ...extra.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

// ---------------------------------------------------------------------------
// The harness.

interface Regression {
  parser: string;
  /** base64 of the input (UTF-8 text or raw bytes). */
  input: string;
  why: string;
}

const regressions = JSON.parse(readFileSync(join(import.meta.dirname, 'regressions', 'fuzz.json'), 'utf8')) as Regression[];

function timed<T>(fn: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

/**
 * Runs `check` on every input: it must not throw, must finish within the
 * bound, and returns an error message when a rejected input has no diagnostic.
 */
function fuzz<T>(name: string, inputs: fc.Arbitrary<T>, check: (input: T) => string | undefined, fromRegression: (b64: string) => T, seed: number): void {
  let slowest = 0;
  const one = (input: T): void => {
    let { ms, value } = timed(() => check(input));
    if (ms > MAX_MS_PER_INPUT) ({ ms, value } = timed(() => check(input)));
    slowest = Math.max(slowest, ms);
    if (ms > MAX_MS_PER_INPUT) throw new Error(`${name}: ${ms.toFixed(0)} ms for one input (bound ${MAX_MS_PER_INPUT} ms)`);
    if (value) throw new Error(`${name}: ${value}`);
  };
  for (const r of regressions.filter((x) => x.parser === name)) one(fromRegression(r.input));
  fc.assert(fc.property(inputs, one), { numRuns: RUNS, seed: seed + SEED_OFFSET, endOnFailure: true });
  expect(slowest).toBeLessThanOrEqual(MAX_MS_PER_INPUT);
}

const text = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');
/** Lines that say something (not blank, not a comment). */
const meaningful = (s: string, comment: RegExp): boolean => s.split(/\r?\n/).some((l) => l.trim() !== '' && !comment.test(l.trim()));

// ---------------------------------------------------------------------------
// Corpus seeds (keys generated at test time: none is committed).

/** A PEM block of `label` around `body`. */
const pemBlock = (label: string, body: Buffer): string => `-----BEGIN ${label}-----\n${body.toString('base64')}\n-----END ${label}-----\n`;
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KEY_SEEDS = [
  rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'fuzz' }).toString(),
  rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'fuzz' }).toString(),
  ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
  // An OpenSSH key's opening bytes only (no key material): what matters is that it is told apart.
  pemBlock('OPENSSH PRIVATE KEY', Buffer.from('openssh-key-v1\0\0\0\0\x04none\0\0\0\x04none', 'latin1')),
];
const cert = makeCert({ commonName: 'fuzz.example.com', altNames: ['fuzz.example.com'] });
const CERT_SEEDS = [cert.certPem, `${cert.certPem}${cert.certPem}`, `subject=CN = x\nissuer=CN = y\n${cert.certPem}\n# trailing\n`, `${KEY_SEEDS[1]}${cert.certPem}`];

const jwtOf = (h: object, p: object, sig = 'c2lnbmF0dXJl'): string => `${Buffer.from(JSON.stringify(h)).toString('base64url')}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${sig}`;
const JWT_SEEDS = [
  jwtOf({ alg: 'RS256', typ: 'JWT' }, { sub: 'ocid1.user.oc1..aaaa', exp: 1_800_000_000, iat: 1_700_000_000, jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }),
  jwtOf({ alg: 'none' }, { exp: 'soon' }, ''),
  jwtOf({ alg: 'RS256' }, { scope: 'urn:oracle:db::id::*', sess_exp: 1e20 }),
];

const OCI_CONFIG_SEEDS = [
  '[DEFAULT]\nuser=ocid1.user.oc1..aaaaaaaa\nfingerprint=11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00\nkey_file=~/.oci/oci_api_key.pem\ntenancy=ocid1.tenancy.oc1..aaaaaaaa\nregion=us-ashburn-1\n',
  '# comment\n[PROD]\nsecurity_token_file = /home/u/.oci/sessions/PROD/token\nkey_file = /home/u/.oci/sessions/PROD/oci_api_key.pem\n; another\n  continued line\npass_phrase=secret\n[DEFAULT]\nregion = eu-frankfurt-1\n',
  '\uFEFF[a b]\r\nKEY = value = with = equals\r\n[]\r\n',
];

const DESCRIPTOR_SEEDS = [
  '(description=(retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=1522)(host=adb.us-ashburn-1.oraclecloud.com))(connect_data=(service_name=abc_ledger_high.adb.oraclecloud.com))(security=(ssl_server_dn_match=yes)))',
  '(DESCRIPTION_LIST=(LOAD_BALANCE=on)(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=10.0.0.1)(PORT=1521))(ADDRESS=(PROTOCOL=TCPS)(HOST="db.example.com")(PORT=2484)))(CONNECT_DATA=(SID=ORCL)(SERVER=dedicated))(SECURITY=(SSL_SERVER_CERT_DN="CN=adb.example.com,O=Oracle Corporation,L=Redwood City,ST=California,C=US"))))',
];
const EZ_SEEDS = ['tcps://adb.us-ashburn-1.oraclecloud.com:1522/abc_ledger_high.adb.oraclecloud.com?wallet_location=/w&ssl_server_dn_match=true', 'db.example.com:1521/orclpdb1', '[::1]:1522/svc:dedicated/inst', 'ledger_high', 'user/pass@host/svc'];
const TNS_SEEDS = [tnsnamesText(['ledger_high', 'ledger_low']), 'a, b.world =\n  (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 1522))\n  (CONNECT_DATA = (SERVICE_NAME = s)))\n# comment\nIFILE = /etc/other.ora\nbroken = (DESCRIPTION = (ADDRESS = \n'];
const SQLNET_SEEDS = [sqlnetText('/home/u/wallet'), 'WALLET_LOCATION = /w\nSSL_SERVER_DN_MATCH = ON\nTOKEN_AUTH = OCI_TOKEN\nTOKEN_LOCATION = "/home/u/.oci/db-token"\nNAMES.DIRECTORY_PATH = (TNSNAMES, EZCONNECT)\n'];

const STATEMENT_SEEDS = [
  'Allow group DbUsers to use database-connections in compartment Finance',
  "Allow any-user to inspect policies in tenancy where request.principal.id = 'ocid1.instance.oc1..x'",
  "Allow dynamic-group 'Default'/'AppServers' to {DATABASE_CONNECT, AUTONOMOUS_DATABASE_INSPECT} in compartment id ocid1.compartment.oc1..aaaa where all {target.database.id = 'ocid1.autonomousdatabase.oc1..x', request.region != 'phx', target.resource.tag.ns.key = '*dev*'}",
  'Deny group Contractors to manage all-resources in compartment A:B:C where any {request.operation = /List*/, request.utc-timestamp.day-of-week in (\u2018saturday\u2019, sunday)}',
  'Endorse group X to manage objects in tenancy Other',
  'Define tenancy Acme as ocid1.tenancy.oc1..aaaa',
];
const RULE_SEEDS = [
  "ALL {instance.compartment.id = 'ocid1.compartment.oc1..aaaa'}",
  "ANY {resource.type = 'fnfunc', resource.compartment.id = 'ocid1.compartment.oc1..b', tag.Ops.Role.value = 'app'}",
  "any {all {instance.id = 'ocid1.instance.oc1..a', instance.compartment.id != 'x'}, resource.type='autonomousdatabase'}",
];
const POLICY_EXPORT_SEEDS = [
  JSON.stringify({ data: [{ id: 'ocid1.policy.oc1..a', name: 'p', 'compartment-id': 'ocid1.tenancy.oc1..a', 'lifecycle-state': 'ACTIVE', statements: STATEMENT_SEEDS.slice(0, 3), 'time-created': '2026-01-01T00:00:00Z' }] }, null, 2),
  JSON.stringify([{ name: 'q', statements: ['Allow group A to read all-resources in tenancy', 7], 'compartment-id': 'ocid1.compartment.oc1..b' }, { 'matching-rule': 'x' }]),
];
const DG_EXPORT_SEEDS = [JSON.stringify({ data: [{ id: 'ocid1.dynamicgroup.oc1..a', name: 'AppServers', 'matching-rule': RULE_SEEDS[0], 'lifecycle-state': 'ACTIVE' }] })];
const README_SEEDS = [readmeText(new Date('2027-05-01T10:00:00Z')), 'Wallet Download Date\n--------------------\nThis wallet was downloaded on 2026-01-02 03:04:05.6 UTC.\n\nWallet Expiry Date\n------------------\nThe SSL certificates provided in this wallet will expire on 2031-01-02 03:04:05.6 UTC.\n'];
const EXPLAIN_SEEDS = [
  'NJS-518: cannot connect to Oracle Database. Service "nope_high" is not registered with the listener at host 127.0.0.1 port 1522. (CONNECTION_ID=bW9ja2Nvbm4=)',
  'NJS-506: connection to host db.example.com port 1522 encountered TLS handshake failure. (CONNECTION_ID=eDE=)\nunable to get local issuer certificate',
  'ORA-01017: invalid username/password; logon denied\nORA-12506: TNS:listener rejected connection based on service ACL filtering',
  'oci.exceptions.ServiceError: {"code": "NotAuthenticated", "message": "The required information to complete authentication was not provided.", "status": 401, "opc-request-id": "ABC/DEF"}',
  'DPY-6005: cannot connect to database (CONNECTION_ID=x).\n[Errno 111] Connection refused\nORA-25708: token has expired',
];
const PEM_WALLET_SEEDS = [`${KEY_SEEDS[1]}${cert.certPem}${cert.certPem}`, `Bag Attributes\n    friendlyName: x\n${KEY_SEEDS[2]}${cert.certPem}`];

const ZIP_SEEDS = [
  buildZip([
    { name: 'README', data: README_SEEDS[0] ?? '' },
    { name: 'tnsnames.ora', data: TNS_SEEDS[0] ?? '', method: 'deflate' },
    { name: 'cwallet.sso', data: Buffer.from('a1f84e36000000060000002100000000', 'hex') },
  ]),
  buildZip([{ name: '../evil', data: 'x' }, { name: 'big', data: 'y', declaredSize: 1e9 }, { name: 'enc', data: 'z', encrypted: true }], { comment: 'c' }),
];
const BLOB_SEEDS = [...ZIP_SEEDS, Buffer.from('a1f84e36000000060000002100000000', 'hex'), Buffer.from(cert.certPem), Buffer.from('3082000102010330', 'hex')];

// ---------------------------------------------------------------------------

const hasText = (s: string | undefined): boolean => typeof s === 'string' && s.trim().length > 0;

describe('fuzzing the parsers (10,000 inputs each)', { timeout: 60_000 }, () => {
  it('OCI config', () => {
    fuzz('oci-config', textInputs(OCI_CONFIG_SEEDS), (s) => {
      const r = parseOciConfig(s);
      const values = [...r.profiles.values()].reduce((n, p) => n + p.size, 0);
      if (values === 0 && r.diagnostics.length === 0 && s.split(/\r?\n/).some((l) => l.trim() !== '' && !/^[#;]/.test(l.trim()) && !/^\[[^\]]*\]$/.test(l.trim()))) return `no value and no diagnostic for ${JSON.stringify(s.slice(0, 80))}`;
      return undefined;
    }, text, 1);
  });

  it('PEM private keys', () => {
    fuzz('private-key', textInputs(KEY_SEEDS), (s) => {
      const r = readPrivateKey(s, 'fuzz');
      if (!r.ok && !hasText(r.reason)) return 'rejected without a reason';
      return undefined;
    }, text, 2);
  });

  it('JWTs', () => {
    fuzz('jwt', textInputs(JWT_SEEDS, [fc.array(fc.base64String({ maxLength: 40 }), { maxLength: 4 }).map((p) => p.join('.'))]), (s) => {
      const r = decodeJwt(s);
      if (!r.ok && !hasText(r.reason)) return 'rejected without a reason';
      return undefined;
    }, text, 3);
  });

  it('connect descriptors', () => {
    fuzz('descriptor', textInputs(DESCRIPTOR_SEEDS), (s) => {
      const r = parseDescriptor(s);
      if (!r.ok && (!hasText(r.message) || r.at.line < 1 || r.at.column < 1)) return `rejected without a located message: ${JSON.stringify(r)}`;
      return undefined;
    }, text, 4);
  });

  it('EZConnect strings and whole connect strings', () => {
    fuzz('connect-string', textInputs([...EZ_SEEDS, ...DESCRIPTOR_SEEDS]), (s) => {
      const ez = parseEzConnect(s);
      if (!ez.ok && !hasText(ez.message)) return 'EZConnect rejected without a message';
      const r = resolveConnectTarget(s, TNS_SEEDS[0]);
      if (!r.ok && !hasText((r as { message?: string }).message)) return `connect string rejected without a message: ${JSON.stringify(r)}`;
      return undefined;
    }, text, 5);
  });

  it('tnsnames.ora', () => {
    fuzz('tnsnames', textInputs(TNS_SEEDS), (s) => {
      const r = parseTnsnames(s);
      if (r.entries.length === 0 && r.includes.length === 0 && r.errors.length === 0 && meaningful(s, /^#/)) return `no entry and no error for ${JSON.stringify(s.slice(0, 80))}`;
      for (const e of r.errors) if (!hasText(e.message)) return 'an error without a message';
      return undefined;
    }, text, 6);
  });

  it('sqlnet.ora', () => {
    fuzz('sqlnet', textInputs(SQLNET_SEEDS), (s) => {
      const r = parseSqlnet(s);
      if (r.parameters.size === 0 && r.errors.length === 0 && meaningful(s, /^#/)) return `no parameter and no error for ${JSON.stringify(s.slice(0, 80))}`;
      return undefined;
    }, text, 7);
  });

  it('policy statements', () => {
    fuzz('statement', textInputs(STATEMENT_SEEDS), (s) => {
      const r = parseStatement(s);
      if (r.kind === 'invalid' && r.diagnostics.length === 0) return 'invalid without a diagnostic';
      // A compile leaves the statements the skim is sure of unparsed: the parser must then find nothing in them.
      if (skimStatement(s) !== SKIM_UNSURE && (r.diagnostics.length > 0 || !r.statement)) return `the skim vouched for a statement the parser faults: ${r.diagnostics[0]?.message ?? r.kind}`;
      return undefined;
    }, text, 8);
  });

  it('dynamic-group matching rules', () => {
    fuzz('matching-rule', textInputs(RULE_SEEDS), (s) => {
      const r = parseMatchingRule(s);
      if (!r.condition && r.diagnostics.length === 0) return 'no condition and no diagnostic';
      return undefined;
    }, text, 9);
  });

  it('policy and dynamic-group exports', () => {
    fuzz('policy-export', textInputs([...POLICY_EXPORT_SEEDS, ...DG_EXPORT_SEEDS]), (s) => {
      const p = parsePolicyExport(s);
      const d = parseDynamicGroupExport(s);
      let json = true;
      try {
        JSON.parse(s.replace(/^\uFEFF/, '')); // a BOM is read past, as the parsers do
      } catch {
        json = false;
      }
      if (!json && (p.diagnostics.length === 0 || d.diagnostics.length === 0)) return 'not JSON, yet no diagnostic';
      return undefined;
    }, text, 10);
  });

  it('wallet README', () => {
    fuzz('wallet-readme', textInputs(README_SEEDS), (s) => {
      const r = parseWalletReadme(s);
      if (!r.expiresAt && !hasText(r.problem)) return 'no expiry and no problem';
      return undefined;
    }, text, 11);
  });

  it('zip archives and wallet blobs', () => {
    const inputs = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...BLOB_SEEDS), fc.array(opArb, { minLength: 1, maxLength: 6 })).map(([b, ops]) => mutateBytes(b, ops)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
    );
    fuzz('zip', inputs, (b) => {
      const r = readZip(b);
      if (!r.ok && !hasText(r.reason)) return 'rejected without a reason';
      const guess = detectWalletBlob(b);
      if (!hasText(guess.label)) return 'a blob guess without a label';
      return undefined;
    }, bytes, 12);
  });

  it('certificate bundles and PEM wallets', () => {
    fuzz('pem', textInputs([...CERT_SEEDS, ...PEM_WALLET_SEEDS]), (s) => {
      const r = parseCertificateBundle(s);
      if (r.certificates.length === 0 && r.unreadable.length === 0 && /-----BEGIN CERTIFICATE-----[\s\S]*-----END CERTIFICATE-----/.test(s)) return 'a certificate block, yet no certificate and nothing unreadable';
      inspectPemWallet(s, 'fuzz');
      return undefined;
    }, text, 13);
  });

  it('pasted error text', () => {
    fuzz('explain', textInputs(EXPLAIN_SEEDS), (s) => {
      const r = explainError(s);
      if (r.length === 0) return 'no explanation at all (not even explain.unknown-error)';
      return undefined;
    }, text, 14);
  });
});
