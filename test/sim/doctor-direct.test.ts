// The doctor's direct path end to end with no stand-in driver: the real
// node-oracledb thin driver takes the doctor's own DB token (from the
// simulated data plane) to the simulated listener and its database stand-in
// (src/sim/oracle-net/), which decides the logon from the same fixture. Every
// auth mode: API key, session token, instance principal, resource principal
// and OKE workload identity (through the simulated proxymux).
import { createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFingerprint } from '../../src/core/fingerprint.js';
import type { Fixture } from '../../src/sim/fixture.js';
import { writeOciHome } from '../../src/sim/home.js';
import type { RunningSimulator } from '../../src/sim/http/server.js';
import { startSimulator } from '../../src/sim/index.js';
import { startListener, type ListenerOptions, type SimListener } from '../../src/sim/listener/index.js';
import { adbBackend } from '../../src/sim/oracle-net/adb.js';
import { makeChain, type Chain } from '../../src/sim/pki.js';
import { startProxymux, type SimProxymux } from '../../src/sim/proxymux.js';
import { generateRsaKey, healthyTenancy, IDS } from '../../src/sim/tenancy.js';
import { createTokenIssuer, publicKeyToJwk, type TokenIssuer } from '../../src/sim/tokens.js';
import { runCli } from '../helpers/cli.js';
import { readmeText, sqlnetText, writeWalletDir } from '../helpers/wallet.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import { SERVER_KEY_BITS } from '../helpers/certs.js';
import type { JsonFinding, JsonReport } from '../../src/core/report/json.js';

type Finding = JsonFinding;
type Doc = JsonReport;

const key = generateRsaKey();
/** The key of a session token or resource principal (the token's jwk). */
const sessionKey = generateRsaKey();
// Node 24's OpenSSL (security level 2) refuses a 1024-bit server key; on
// Node 20 and 22 1024-bit keys keep node-forge's key generation fast (the
// doctor then warns tls.weak-key, which these tests do not look at).
const BITS = SERVER_KEY_BITS;
let ca: Chain;
beforeAll(() => {
  ca = makeChain({ bits: BITS });
});
let sim: RunningSimulator | undefined;
let listener: SimListener | undefined;
let proxymux: SimProxymux | undefined;
let scan: SimListener | undefined;
afterEach(async () => {
  await scan?.close();
  scan = undefined;
  await listener?.close();
  await sim?.close();
  await proxymux?.close();
  sim = undefined;
  listener = undefined;
  proxymux = undefined;
});

/** The OKE workload: its service account, and the OCID the simulated proxymux gives it. */
const WORKLOAD = { namespace: 'finance', serviceAccount: 'reports', id: 'ocid1.workload.oc1..finance-reports' };

type AuthMode = 'api_key' | 'session_token' | 'instance_principal' | 'resource_principal' | 'oke_workload_identity';

/** The doctor's `db` check over the direct path (--dsn, --ca-file) in one auth mode. */
interface Target {
  listener?: Partial<ListenerOptions>;
  /** The connect arguments (default: --dsn <descriptor> --ca-file <the listener's CA>). */
  connect?: (l: SimListener, home: string) => string[];
  env?: Record<string, string>;
  /** The key the database trusts for DB tokens (default: the simulated IAM's, the one the data plane signs with). */
  dbIssuer?: TokenIssuer;
  /** Connect through a SCAN-style listener that REDIRECTs to the database's (its own certificate, same CA). */
  scan?: boolean;
}

async function doctor(change?: (f: Fixture) => void, auth: AuthMode = 'api_key', target: Target = {}): Promise<{ doc: Doc; listener: SimListener }> {
  const fixture = healthyTenancy(key.publicKeyPem);
  change?.(fixture);
  const issuer = createTokenIssuer();
  sim = await startSimulator(fixture, { issuer });
  listener = await startListener({ services: ['ledger_high'], bits: BITS, ca: { root: ca.root, intermediate: ca.intermediate }, database: adbBackend({ fixture, databaseId: IDS.adb, issuer: target.dbIssuer ?? issuer }), sessionIdleTimeoutMs: 5000, ...target.listener });
  if (target.scan) {
    scan = await startListener({ services: ['ledger_high'], bits: BITS, ca: { root: ca.root, intermediate: ca.intermediate }, redirect: { host: 'localhost', port: listener.port } });
  }
  const home = tempDir();
  const caFile = join(home, 'ca.pem');
  writeFileSync(caFile, listener.caPem);
  const now = Math.floor(Date.now() / 1000);
  const env: Record<string, string> = { ...target.env };
  const authArgv: string[] = [];
  if (auth === 'api_key') {
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'api_key', tenancy: IDS.tenancy, user: IDS.alice, region: 'us-ashburn-1', fingerprint: apiKeyFingerprint(key.publicKeyPem), privateKeyPem: key.privateKeyPem }]);
  } else if (auth === 'session_token') {
    const token = issuer.issue({ sub: IDS.alice, ptype: 'user', tenant: IDS.tenancy, iat: now, exp: now + 3600, jwk: publicKeyToJwk(sessionKey.publicKeyPem) });
    writeOciHome(home, [{ name: 'DEFAULT', mode: 'security_token', tenancy: IDS.tenancy, region: 'us-ashburn-1', privateKeyPem: sessionKey.privateKeyPem, token }]);
  } else if (auth === 'instance_principal') {
    authArgv.push('--auth', 'instance_principal', '--imds-url', `${sim.url}/opc/v2/`);
  } else if (auth === 'oke_workload_identity') {
    // The pod: a service-account token and the cluster CA mounted as files; the proxymux trades the token for the workload's.
    const mux = await startProxymux({ issuer, tenancyId: IDS.tenancy, compartmentId: IDS.finance, bits: BITS });
    proxymux = mux;
    const saToken = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: `system:serviceaccount:${WORKLOAD.namespace}:${WORKLOAD.serviceAccount}`, exp: now + 3600 })).toString('base64url')}.c2ln`;
    writeFileSync(join(home, 'sa-token'), saToken);
    writeFileSync(join(home, 'ca.crt'), mux.caPem);
    authArgv.push('--auth', 'oke_workload_identity');
    Object.assign(env, { KUBERNETES_SERVICE_HOST: mux.host, KUBERNETES_SERVICE_PORT_PROXYMUX: String(mux.port), OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH: join(home, 'sa-token'), OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH: join(home, 'ca.crt'), OCI_RESOURCE_PRINCIPAL_REGION: 'us-ashburn-1' });
  } else {
    const rpst = issuer.issue({ sub: IDS.function, res_id: IDS.function, ptype: 'resource', tenant: IDS.tenancy, res_tenant: IDS.tenancy, res_compartment: IDS.finance, iat: now, exp: now + 900, jwk: publicKeyToJwk(sessionKey.publicKeyPem) });
    writeFileSync(join(home, 'rp.pem'), sessionKey.privateKeyPem);
    Object.assign(env, { OCI_RESOURCE_PRINCIPAL_VERSION: '2.2', OCI_RESOURCE_PRINCIPAL_RPST: rpst, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: join(home, 'rp.pem'), OCI_RESOURCE_PRINCIPAL_REGION: 'us-ashburn-1' });
  }
  const endpoints = ['identity', 'dataplane', 'database', 'auth'].flatMap((s) => ['--endpoint', `${s}=${sim!.url}`]);
  const argv = ['--format', 'json', '--only', 'db', '--adb-id', IDS.adb, ...authArgv, ...endpoints, ...(target.connect ? target.connect(listener, home) : ['--dsn', (scan ?? listener).descriptor('ledger_high'), '--ca-file', caFile])];
  const out = await runCli(argv, { system: fakeSystem({ homeDir: home }), now: () => new Date(), env });
  return { doc: JSON.parse(out.stdout) as Doc, listener };
}

/** Connections the stand-in accepted (the TLS check's own probe is not one). */
const accepted = (l: SimListener) => l.requests.filter((r) => r.outcome === 'accepted');
const db = (doc: Doc) => doc.checks.find((c) => c.id === 'db.identity')!;
const problems = (doc: Doc) => db(doc).findings.filter((f) => f.severity !== 'info').map((f) => f.code);

describe('the doctor’s direct path against the database stand-in, real node-oracledb', () => {
  it('healthy: the identity panel comes from a real logon', async () => {
    const { doc, listener: l } = await doctor();
    expect(db(doc).status).toBe("pass");
    expect(problems(doc)).toEqual([]);
    expect(db(doc).findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: 'The database sees ALICE (alice) by TOKEN_GLOBAL' });
    expect(db(doc).findings[0]!.detail).toContain('SUPPORT_RO');
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'ALICE' }]);
  }, 60_000);

  it('no global user or role maps alice: the database says ORA-01017, the doctor says db.logon-denied', async () => {
    const { doc, listener: l } = await doctor((f) => Object.assign(f.autonomousDatabases[0]!, { globalUsers: [], globalRoles: [] }));
    expect(problems(doc)).toContain('db.logon-denied');
    expect(accepted(l)[0]?.session?.logon).toMatchObject({ ok: false, num: 1017, reason: expect.stringMatching(/^no-mapping/) });
  }, 60_000);

  it('the mapped user lacks CREATE SESSION: ORA-01045 reaches the doctor, which names the grant', async () => {
    const { doc, listener: l } = await doctor((f) => void (f.autonomousDatabases[0]!.grants = f.autonomousDatabases[0]!.grants.filter((g) => g.privilege !== 'CREATE SESSION')));
    expect(db(doc).summary).toBe('ORA-01045: user ALICE lacks CREATE SESSION privilege; logon denied');
    expect(db(doc).findings).toMatchObject([{ code: 'db.logon-denied', severity: 'fail' }]);
    expect(accepted(l)[0]?.session?.logon).toMatchObject({ ok: false, num: 1045 });
  }, 60_000);

  it('IAM authentication disabled on the database: only the generic ORA-01017 comes back', async () => {
    const { doc, listener: l } = await doctor((f) => void (f.autonomousDatabases[0]!.iamAuthEnabled = false));
    expect(db(doc).summary).toBe('ORA-01017: invalid username/password; logon denied');
    expect(problems(doc)).toEqual(['db.logon-denied']);
    expect(accepted(l)[0]?.session?.logon).toMatchObject({ ok: false, num: 1017, reason: expect.stringMatching(/^iam-auth-disabled/) });
  }, 60_000);

  it('no Database Username: the database sees the IAM name, the mapping misses, the doctor names the fallback', async () => {
    const { doc, listener: l } = await doctor((f) => void delete f.users[0]!.dbUserName);
    expect(problems(doc)).toEqual(['db.logon-denied']);
    expect(db(doc).findings[0]!.detail).toMatch(/no Database Username/);
    expect(accepted(l)[0]?.session?.logon).toMatchObject({ ok: false, num: 1017, reason: expect.stringMatching(/^no-mapping: .*'alice@example\.com'/) });
  }, 60_000);

  it('session-token profile: the DB token is the doctor’s own, the logon is alice’s', async () => {
    const { doc, listener: l } = await doctor(undefined, 'session_token');
    expect(db(doc).status).toBe('pass');
    expect(db(doc).findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: 'The database sees ALICE (alice) by TOKEN_GLOBAL' });
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'ALICE' }]);
  }, 60_000);

  it('instance principal: mapped through its dynamic group, the database sees the instance OCID', async () => {
    const { doc, listener: l } = await doctor((f) => {
      f.autonomousDatabases[0]!.globalUsers.push({ name: 'APP_SERVERS', mapping: 'IAM_GROUP_NAME=AppServers' });
      f.autonomousDatabases[0]!.grants.push({ grantee: 'APP_SERVERS', privilege: 'CREATE SESSION' });
    }, 'instance_principal');
    expect(db(doc).status).toBe('pass');
    expect(db(doc).findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: `The database sees APP_SERVERS (${IDS.instance}) by TOKEN_GLOBAL` });
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'APP_SERVERS' }]);
  }, 60_000);

  it('resource principal: mapped by its OCID', async () => {
    const { doc, listener: l } = await doctor((f) => {
      f.dynamicGroups.push({ id: 'ocid1.dynamicgroup.oc1..aaaaaaaafunctions', name: 'Functions', matchingRule: `ALL {resource.type = 'fnfunc', resource.compartment.id = '${IDS.finance}'}` });
      f.policies[0]!.statements.push('Allow dynamic-group Functions to use database-connections in compartment Finance');
      f.autonomousDatabases[0]!.globalUsers.push({ name: 'REPORTS_FN', mapping: `IAM_PRINCIPAL_OCID=${IDS.function}` });
      f.autonomousDatabases[0]!.grants.push({ grantee: 'REPORTS_FN', privilege: 'CREATE SESSION' });
    }, 'resource_principal');
    expect(db(doc).status).toBe('pass');
    expect(db(doc).findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: `The database sees REPORTS_FN (${IDS.function}) by TOKEN_GLOBAL` });
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'REPORTS_FN' }]);
  }, 60_000);

  it('OKE workload identity: the pod’s token from the proxymux, mapped by the workload’s OCID', async () => {
    const { doc, listener: l } = await doctor((f) => {
      // Oracle's workload policies name request.principal.type/namespace/service_account; the simulated
      // policy engine does not model those variables for a workload yet, so the policy names its OCID.
      f.policies[0]!.statements.push(`Allow any-user to use database-connections in compartment Finance where request.principal.id = '${WORKLOAD.id}'`);
      // In OCI's model the workload is a resource principal (its token is an RPST).
      f.resourcePrincipals.push({ id: WORKLOAD.id, resourceType: 'workload', compartmentId: IDS.finance });
      f.autonomousDatabases[0]!.globalUsers.push({ name: 'REPORTS_POD', mapping: `IAM_PRINCIPAL_OCID=${WORKLOAD.id}` });
      f.autonomousDatabases[0]!.grants.push({ grantee: 'REPORTS_POD', privilege: 'CREATE SESSION' });
    }, 'oke_workload_identity');
    expect(db(doc).status).toBe('pass');
    expect(db(doc).findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: `The database sees REPORTS_POD (${WORKLOAD.id}) by TOKEN_GLOBAL` });
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'REPORTS_POD' }]);
  }, 60_000);

  it('mutual TLS with a wallet directory (--tns-admin), a tnsnames alias and ssl_server_cert_dn', async () => {
    const { doc, listener: l } = await doctor(undefined, 'api_key', {
      listener: { faults: { requireClientCert: true } },
      connect: (lsn, home) => {
        const dir = join(home, 'wallet');
        const alias = `ledger_high = (description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=${lsn.port})(host=localhost))(connect_data=(service_name=ledger_high))(security=(ssl_server_dn_match=yes)(ssl_server_cert_dn="${lsn.leafSubject}")))\n`;
        writeWalletDir(dir, { 'ewallet.pem': lsn.makeClientWallet(), 'tnsnames.ora': alias, 'sqlnet.ora': sqlnetText(dir), README: readmeText(new Date(Date.now() + 90 * 86_400_000)) });
        return ['--dsn', 'ledger_high', '--tns-admin', dir];
      },
    });
    expect(db(doc).status).toBe('pass');
    expect(db(doc).findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: 'The database sees ALICE (alice) by TOKEN_GLOBAL' });
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'ALICE' }]);
  }, 60_000);

  it('a SCAN-style listener REDIRECTs to the node listener (its own certificate): the driver follows and logs on', async () => {
    const { doc, listener: l } = await doctor(undefined, 'api_key', { scan: true });
    expect(db(doc).status).toBe('pass');
    expect(db(doc).findings[0]).toMatchObject({ code: 'db.identity-confirmed', title: 'The database sees ALICE (alice) by TOKEN_GLOBAL' });
    expect(scan!.requests.filter((r) => r.connect).map((r) => r.outcome)).toEqual(['redirected']);
    expect(scan!.chainPem).not.toBe(l.chainPem);
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'ALICE' }]);
  }, 60_000);

  it('a listener that answers the first CONNECT with RESEND: the driver sends it again and logs on', async () => {
    const { doc, listener: l } = await doctor(undefined, 'api_key', { listener: { resend: true } });
    expect(db(doc).status).toBe('pass');
    expect(accepted(l)).toMatchObject([{ resent: true, session: { logon: { ok: true, user: 'ALICE' } } }]);
  }, 60_000);

  it("a client outside the access list (CIDR and VCN entries), with ADB's retry_count=20 descriptor: named within the check's limit, with what the driver would do", async () => {
    const started = Date.now();
    const { doc, listener: l } = await doctor(undefined, 'api_key', { listener: { acl: ['203.0.113.0/24', 'ocid1.vcn.oc1.iad.amaaaaaasimulatedvcn'] } });
    expect(db(doc).status).not.toBe('error');
    expect(db(doc).summary).toMatch(/^NJS-511: connection to listener at host 127\.0\.0\.1 port \d+ was refused\./);
    expect(problems(doc)).toEqual(['db.acl-rejected']);
    // The TLS probe saw no CertificateRequest: a one-way port cannot be refusing for want of a client certificate.
    expect(db(doc).findings[0]!.evidence['may also be']).toBeUndefined();
    expect(db(doc).findings[0]!.evidence['with your retries']).toMatch(/^node-oracledb would try 21 times \(retry_count=20\), 3 s apart: about 60 s, plus each attempt's own time, before it reports this error\. The doctor tried once/);
    // One try only: the driver's 21 would have taken a minute.
    expect(l.requests.filter((r) => r.outcome === 'refused-acl')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('a DB token the database cannot verify (signed by another IAM key): ORA-25707, db.token-invalid', async () => {
    const { doc, listener: l } = await doctor(undefined, 'api_key', { dbIssuer: createTokenIssuer() });
    expect(db(doc).summary).toBe('ORA-25707: The token is invalid.');
    expect(problems(doc)).toEqual(['db.token-invalid']);
    expect(accepted(l)[0]?.session?.logon).toMatchObject({ ok: false, num: 25707, reason: expect.stringMatching(/^token-invalid/) });
  }, 60_000);

  it('mutual TLS with an encrypted wallet key: the doctor hands node-oracledb the wallet password with the wallet location', async () => {
    const password = `walletpw-${Math.random().toString(36).slice(2)}`;
    const { doc, listener: l } = await doctor(undefined, 'api_key', {
      listener: { faults: { requireClientCert: true } },
      env: { DBIAM_DOCTOR_WALLET_PASSWORD: password },
      connect: (lsn, home) => {
        const dir = join(home, 'wallet');
        const bundle = lsn.makeClientWallet();
        const key = createPrivateKey(bundle).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }) as string;
        const certs = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
        const alias = `ledger_high = (description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=${lsn.port})(host=localhost))(connect_data=(service_name=ledger_high))(security=(ssl_server_dn_match=yes)))\n`;
        writeWalletDir(dir, { 'ewallet.pem': [key.trim(), ...certs].join('\n') + '\n', 'tnsnames.ora': alias, 'sqlnet.ora': sqlnetText(dir), README: readmeText(new Date(Date.now() + 90 * 86_400_000)) });
        return ['--dsn', 'ledger_high', '--tns-admin', dir];
      },
    });
    expect(db(doc).status).toBe('pass');
    expect(accepted(l).map((r) => r.session?.logon)).toEqual([{ ok: true, user: 'ALICE' }]);
  }, 60_000);
});
