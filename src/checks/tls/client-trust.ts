// The trust sources each client reads (--client), and the fix written for it.
// node-oracledb: Node's roots (+ NODE_EXTRA_CA_CERTS), or the wallet alone.
// python-oracledb thin: ssl.create_default_context() — OpenSSL's default CA
// file and directory, after SSL_CERT_FILE / SSL_CERT_DIR — plus ewallet.pem
// added to it only when wallet_location is given (it defaults to none, so a
// wallet in TNS_ADMIN is shown, not assumed); certifi only when the program
// passes it as ssl_context. JDBC: the wallet, else the JRE's trust store.
// SQL*Plus and other thick clients: the wallet sqlnet.ora names.
import type { ClientKind } from '../../core/options.js';
import { certsFromPem } from '../../core/tls/certs.js';
import { OS_BUNDLE_FILES, osStoreNotAFile } from '../../core/tls/os-store.js';
import type { TrustSource, TrustSourceKind } from '../../core/tls/trust.js';
import type { DoctorDeps } from '../deps.js';
import type { PythonTrust } from '../facts.js';
import { detectWalletBlob } from '../../core/wallet/detect.js';
import { certsFromPkcs12 } from '../../core/tls/pkcs12-trust.js';
import { certsFromJks } from '../../core/tls/jks-trust.js';
import { WALLET_PASSWORD_ENV } from '../wallet/data.js';
import { tokenFlowFix } from '../token/client-fix.js';
import { projectOracledb } from '../node-oracledb.js';

const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
/** OpenSSL looks certificates up in a CA directory by subject hash: files named hhhhhhhh.N. */
const HASHED_NAME = /^[0-9a-f]{8}\.\d+$/;
const MAX_DIR_FILES = 2000;

export const CLIENT_NAMES: Record<ClientKind, string> = {
  node: 'node-oracledb',
  python: 'python-oracledb',
  jdbc: 'Oracle JDBC',
  sqlplus: 'SQL*Plus / thick clients',
};

export interface ClientTrust {
  client: ClientKind;
  /** Sources this client adds to the common ones, in the order shown. */
  sources: TrustSource[];
  /** The ids the client reads; undefined keeps node-oracledb's rule (every available source). */
  consultedIds?: string[];
  /** True when a wallet, if there is one, replaces every other source. */
  walletReplaces: boolean;
  /** What the client reads, in words. */
  consults: string;
  /** Extra evidence (interpreter, driver version). */
  evidence: Record<string, string>;
  /** The client's own stores could not be read (no Python): said plainly. */
  unreadable?: string;
  /** The driver's version where it was read (python-oracledb from the probe, node-oracledb from --project). */
  driverVersion?: string;
}

/** A PEM bundle file as a trust source; missing, unreadable or empty says which. */
export async function bundleSource(deps: DoctorDeps, id: string, kind: TrustSourceKind, label: string, path: string): Promise<TrustSource> {
  const read = await deps.files.readText(path, MAX_BUNDLE_BYTES);
  if (!read.ok) return { id, kind, label, certs: [], path, unavailable: read.reason === 'no such file' ? `missing: ${path} does not exist` : `unreadable: ${path}: ${read.reason}` };
  const pem = certsFromPem(read.text);
  if (pem.certs.length === 0) return { id, kind, label, certs: [], path, unavailable: `no readable certificate in ${path}${pem.unreadable.length ? ` (${pem.unreadable.length} broken block(s))` : ''}` };
  return { id, kind, label: `${label} (${pem.certs.length})`, certs: pem.certs, path, ...(pem.unreadable.length ? { unreadable: pem.unreadable.length } : {}) };
}

/** An OpenSSL CA directory (hashed names) as a trust source. */
async function dirSource(deps: DoctorDeps, id: string, label: string, dir: string): Promise<TrustSource> {
  const probe = await deps.files.probe(dir);
  if (probe.kind !== 'dir') return { id, kind: 'python', label, certs: [], path: dir, unavailable: probe.kind === 'missing' ? `missing: ${dir} does not exist` : `not a readable directory: ${dir}` };
  const names = probe.entries.filter((n) => HASHED_NAME.test(n)).slice(0, MAX_DIR_FILES);
  if (names.length === 0) return { id, kind: 'python', label, certs: [], path: dir, unavailable: `${dir} holds no hashed certificate names (hhhhhhhh.0), so OpenSSL finds nothing there (c_rehash / update-ca-certificates makes them)` };
  const certs = [];
  for (const name of names) {
    const read = await deps.files.readText(`${dir}/${name}`, 1024 * 1024);
    if (read.ok) certs.push(...certsFromPem(read.text).certs);
  }
  return { id, kind: 'python', label: `${label} (${certs.length})`, certs, path: dir };
}

/** The OS store from its documented bundle file: the first that exists. */
export async function osFileSource(deps: DoctorDeps): Promise<TrustSource> {
  const notAFile = osStoreNotAFile(deps.system.platform);
  if (notAFile) return { id: 'os-file', kind: 'os-file', label: 'OS CA bundle file', certs: [], unavailable: `not read from files: ${notAFile}` };
  const files = deps.system.osCaBundles ?? OS_BUNDLE_FILES;
  for (const f of files) {
    const probe = await deps.files.probe(f.path);
    if (probe.kind === 'missing') continue;
    return bundleSource(deps, 'os-file', 'os-file', `OS CA bundle ${f.path} (${f.os})`, f.path);
  }
  return { id: 'os-file', kind: 'os-file', label: 'OS CA bundle file', certs: [], unavailable: `missing: none of ${files.map((f) => f.path).join(', ')} exists` };
}

const MAX_STORE_BYTES = 4 * 1024 * 1024;

/**
 * A Java key store file as a trust source: JKS/JCEKS read without a password (as Java does), PKCS#12 with it.
 * `loader` 'jsse': Java's TLS stack loads it (a trust store, cacerts), which trusts only the PKCS#12
 * certificates marked trusted; 'oracle-pki': the wallet's ewallet.p12, read by Oracle's own provider.
 */
export async function javaStoreSource(deps: DoctorDeps, id: string, label: string, path: string, password: string | undefined, loader: 'jsse' | 'oracle-pki'): Promise<TrustSource> {
  const read = await deps.files.readBytes(path, MAX_STORE_BYTES);
  if (!read.ok) return { id, kind: 'java-store', label, certs: [], path, unavailable: read.reason === 'no such file' ? `missing: ${path} does not exist` : `unreadable: ${path}: ${read.reason}` };
  const kind = detectWalletBlob(read.bytes);
  if (kind.kind === 'jks') {
    const jks = certsFromJks(read.bytes);
    if (!jks.ok) return { id, kind: 'java-store', label, certs: [], path, unavailable: `${jks.reason}${jks.javaRefuses ? '; Java cannot load it either' : ''} (check it with keytool -list -keystore ${path})` };
    if (jks.certs.length === 0) return { id, kind: 'java-store', label, certs: [], path, unavailable: `no certificate in ${path} (${jks.format}, ${jks.entries.length} entr${jks.entries.length === 1 ? 'y' : 'ies'})` };
    return { id, kind: 'java-store', label: `${label} (${jks.format}, ${jks.certs.length})`, certs: jks.certs, path, ...(jks.skipped ? { unreadable: jks.skipped } : {}) };
  }
  if (kind.kind !== 'pkcs12') return { id, kind: 'java-store', label, certs: [], path, unavailable: `not a Java key store (${kind.label})` };
  const p12 = await certsFromPkcs12(read.bytes, password);
  if (!p12.ok) return { id, kind: 'java-store', label, certs: [], path, unavailable: password === undefined ? `PKCS#12, needs its password to be read: ${p12.reason}` : p12.reason };
  if (p12.certs.length === 0) return { id, kind: 'java-store', label, certs: [], path, unavailable: `no certificate in ${path}` };
  const certs = loader === 'jsse' ? p12.javaTrusted : p12.certs;
  if (certs.length === 0) {
    return { id, kind: 'java-store', label, certs: [], path, unavailable: `no trusted certificate for Java in ${path}: its ${p12.certs.length} certificate(s) lack Java's trusted-certificate attribute, so Java takes none of them as a trust anchor (a PKCS#12 file from openssl pkcs12 -export; keytool -importcert writes the attribute)` };
  }
  return { id, kind: 'java-store', label: `${label} (${certs.length})`, certs, path };
}

/** -Djavax.net.ssl.trustStore (and its password) from the JVM option variables. */
function javaTrustStoreOption(env: Readonly<Record<string, string | undefined>>): { path: string; password?: string; from: string } | undefined {
  for (const name of ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS']) {
    const v = env[name];
    const path = v ? /-Djavax\.net\.ssl\.trustStore=("[^"]*"|\S+)/.exec(v)?.[1] : undefined;
    if (!v || !path) continue;
    const password = /-Djavax\.net\.ssl\.trustStorePassword=("[^"]*"|\S+)/.exec(v)?.[1];
    const unquote = (x: string): string => x.replace(/^"|"$/g, '');
    return { path: unquote(path), ...(password ? { password: unquote(password) } : {}), from: name };
  }
  return undefined;
}

export async function clientTrust(deps: DoctorDeps, opts: { caFileIds: string[]; walletId?: string; walletDir?: string }): Promise<ClientTrust> {
  const client = deps.options.client;
  // node-oracledb never reads the OS bundle file, and parsing it costs a few hundred milliseconds: not for node.
  if (client === 'node') {
    // The application's own node-oracledb (--project), for the releases its fixes need; else the doctor's current one.
    const app = deps.options.project ? await projectOracledb(deps, deps.options.project) : undefined;
    return { client, sources: [], walletReplaces: true, consults: '', evidence: {}, ...(app?.ok ? { driverVersion: app.version } : {}) };
  }
  const os = await osFileSource(deps);
  const wallet = opts.walletId ? [opts.walletId] : [];
  switch (client) {
    case 'python':
      return pythonTrust(deps, os, opts.caFileIds, opts.walletId !== undefined);
    case 'jdbc':
      return jdbcTrust(deps, os, opts.caFileIds, opts.walletId, opts.walletDir);
    case 'sqlplus':
      return {
        client,
        sources: [os],
        walletReplaces: true,
        consultedIds: [...opts.caFileIds, ...wallet, ...(opts.walletId ? [] : ['os-file', 'system'])],
        consults: opts.walletId ? "the wallet named by sqlnet.ora's WALLET_LOCATION only" : 'no wallet: recent Instant Client releases use the OS store for one-way TLS; older ones need a wallet',
        evidence: {},
      };
  }
}

async function jdbcTrust(deps: DoctorDeps, os: TrustSource, caFileIds: string[], walletId: string | undefined, walletDir: string | undefined): Promise<ClientTrust> {
  const sources: TrustSource[] = [os];
  const option = javaTrustStoreOption(deps.env);
  if (option?.password) deps.secrets.add(option.password, 'javax.net.ssl.trustStorePassword');
  if (option) sources.push(await javaStoreSource(deps, 'java-truststore', `-Djavax.net.ssl.trustStore ${option.path} (${option.from})`, option.path, option.password, 'jsse'));
  const javaHome = deps.env.JAVA_HOME;
  if (javaHome) {
    // java.home/lib/security/cacerts; a JDK 8 keeps its JRE (java.home) in $JAVA_HOME/jre.
    const jdk8 = `${javaHome}/jre/lib/security/cacerts`;
    const path = (await deps.files.probe(`${javaHome}/lib/security/cacerts`)).kind === 'missing' && (await deps.files.probe(jdk8)).kind !== 'missing' ? jdk8 : `${javaHome}/lib/security/cacerts`;
    sources.push(await javaStoreSource(deps, 'java-cacerts', `the JRE's cacerts in ${javaHome}`, path, undefined, 'jsse'));
  }
  else sources.push({ id: 'java-cacerts', kind: 'java-store', label: "the JRE's cacerts", certs: [], unavailable: 'JAVA_HOME is not set: the JRE (and its lib/security/cacerts) is unknown here' });
  if (walletDir) {
    const password = deps.env[WALLET_PASSWORD_ENV];
    sources.push(await javaStoreSource(deps, 'wallet-p12', `wallet ewallet.p12 in ${walletDir}`, `${walletDir}/ewallet.p12`, password, 'oracle-pki'));
    sources.push(await javaStoreSource(deps, 'wallet-truststore', `wallet truststore.jks in ${walletDir}`, `${walletDir}/truststore.jks`, password, 'jsse'));
  }
  const usable = (id: string): boolean => sources.some((s) => s.id === id && !s.unavailable);
  // With a wallet: its key store (ewallet.pem stands in when ewallet.p12 cannot be read). Without: the trust store option, else cacerts.
  const walletIds = walletDir ? (usable('wallet-p12') ? ['wallet-p12'] : walletId ? [walletId] : []) : [];
  const javaIds = option ? ['java-truststore'] : ['java-cacerts'];
  // The wallet alone when there is one; else the trust store (with --ca-file standing for it).
  const chosen = walletIds.length > 0 ? walletIds : [...caFileIds, ...javaIds];
  const readable = chosen.some((id) => caFileIds.includes(id) || usable(id));
  return {
    client: 'jdbc',
    sources,
    walletReplaces: false,
    ...(readable ? { consultedIds: chosen } : {}),
    consults: walletIds.length > 0
      ? `the wallet named by oracle.net.wallet_location (or TNS_ADMIN with ojdbc.properties): ${walletIds[0] === 'wallet-p12' ? 'its ewallet.p12' : 'its certificates (ewallet.pem read in place of ewallet.p12)'}`
      : `${option ? `-Djavax.net.ssl.trustStore ${option.path}` : "the JRE's cacerts"}${readable ? '' : ", which the doctor cannot read here: judged against the stores it can read instead"}`,
    evidence: {},
  };
}

async function pythonTrust(deps: DoctorDeps, os: TrustSource, caFileIds: string[], hasWallet: boolean): Promise<ClientTrust> {
  const probe = await deps.facts.trust.python(deps.options.python);
  const sources: TrustSource[] = [os];
  const fromEnv = async (name: 'REQUESTS_CA_BUNDLE' | 'CURL_CA_BUNDLE'): Promise<void> => {
    const path = deps.env[name];
    if (path) sources.push(await bundleSource(deps, `env:${name}`, 'env-bundle', `${name} ${path} (read by ${name === 'REQUESTS_CA_BUNDLE' ? 'requests' : 'curl'}, not by python-oracledb)`, path));
  };
  if (!probe.ok) {
    await fromEnv('REQUESTS_CA_BUNDLE');
    await fromEnv('CURL_CA_BUNDLE');
    const reason = probe.missing ? `${probe.reason}: python-oracledb's trust stores (its OpenSSL CA file, certifi) were not read` : `${probe.reason}; its trust stores were not read`;
    return {
      client: 'python',
      sources,
      walletReplaces: false,
      consultedIds: ['os-file', ...caFileIds],
      consults: `unknown (${reason}); judged against the OS CA bundle${caFileIds.length ? ' and --ca-file' : ''} instead`,
      evidence: { python: reason },
      unreadable: reason,
    };
  }
  const py = probe.value;
  const consulted: string[] = [];
  const cafileLabel = deps.env.SSL_CERT_FILE ? `SSL_CERT_FILE ${deps.env.SSL_CERT_FILE}` : `${py.interpreter}'s OpenSSL default CA file`;
  if (py.verify.cafile) sources.push(await bundleSource(deps, 'python-cafile', 'python', cafileLabel, py.verify.cafile));
  else sources.push({ id: 'python-cafile', kind: 'python', label: cafileLabel, certs: [], path: deps.env.SSL_CERT_FILE ?? py.verify.opensslCafile, unavailable: `missing: ${deps.env.SSL_CERT_FILE ?? py.verify.opensslCafile} does not exist, so ssl.create_default_context() loads no CA file` });
  consulted.push('python-cafile');
  const capath = py.verify.capath;
  const capathLabel = deps.env.SSL_CERT_DIR ? `SSL_CERT_DIR ${deps.env.SSL_CERT_DIR}` : `${py.interpreter}'s OpenSSL default CA directory`;
  if (capath) {
    sources.push(await dirSource(deps, 'python-capath', capathLabel, capath));
    consulted.push('python-capath');
  }
  if (py.certifi) sources.push(await bundleSource(deps, 'certifi', 'certifi', `certifi ${py.certifi} (only with ssl_context=ssl.create_default_context(cafile=certifi.where()))`, py.certifi));
  else sources.push({ id: 'certifi', kind: 'certifi', label: 'certifi', certs: [], unavailable: `not installed for ${py.interpreter} (pip install certifi)` });
  await fromEnv('REQUESTS_CA_BUNDLE');
  await fromEnv('CURL_CA_BUNDLE');
  const mac = py.platform === 'darwin' && !py.certifi ? ' + the macOS keychain (python-oracledb loads it when certifi is not installed; not read here)' : '';
  return {
    client: 'python',
    sources,
    walletReplaces: false,
    consultedIds: [...consulted, ...caFileIds],
    consults: `ssl.create_default_context(): ${py.verify.cafile ?? '(no CA file)'}${capath ? ` + ${capath}` : ''}${mac}${caFileIds.length ? ' + --ca-file (as your ssl_context cafile)' : ''}${hasWallet ? "; the wallet's ewallet.pem only when wallet_location names it (it then adds to these defaults)" : ''}`,
    evidence: { python: pythonLine(py) },
    ...(py.oracledb ? { driverVersion: py.oracledb } : {}),
  };
}

function pythonLine(py: PythonTrust): string {
  return `${py.interpreter}: Python ${py.version}, ${py.openssl}; python-oracledb ${py.oracledb ?? 'not installed'}; certifi ${py.certifi ? 'installed' : 'not installed'}`;
}

/** How to give `client` the CA in `ca` (a PEM file path or a placeholder); `walletDir`: a wallet that holds it. */
export function clientTrustFix(client: ClientKind, ca: string, walletDir?: string): string {
  switch (client) {
    case 'python':
      if (walletDir) return `python-oracledb: the wallet in ${walletDir} holds this root: pass wallet_location='${walletDir}' (its ewallet.pem is added to Python's defaults; wallet_password when the file is encrypted) and config_dir='${walletDir}' for tnsnames.ora.`;
      return (
        `python-oracledb: pass ssl_context=ssl.create_default_context(cafile='${ca}') to oracledb.connect(), ` +
        "or use the database wallet: wallet_location (the directory holding ewallet.pem; its certificates are added to Python's defaults) and config_dir for tnsnames.ora. " +
        "certifi's bundle (certifi.where()) holds public roots only: it helps when your Python's own CA file lacks a public root, not for a private CA."
      );
    case 'jdbc':
      return (
        `${walletDir ? `Oracle JDBC: the wallet in ${walletDir} holds this root: -Doracle.net.wallet_location=${walletDir}. Or ` : 'Oracle JDBC: '}import the CA into a trust store (keytool -importcert -alias db-ca -file ${ca} -keystore truststore.jks) and start Java with -Djavax.net.ssl.trustStore=truststore.jks -Djavax.net.ssl.trustStorePassword=…, ` +
        'or use the database wallet: -Doracle.net.wallet_location=<wallet dir> (or TNS_ADMIN with the wallet\'s ojdbc.properties).'
      );
    case 'sqlplus':
      return (
        `SQL*Plus / thick clients: add the CA to the wallet (orapki wallet add -wallet <wallet dir> -trusted_cert -cert ${ca} -auto_login_only) ` +
        `and point sqlnet.ora at it: WALLET_LOCATION = (SOURCE = (METHOD = file) (METHOD_DATA = (DIRECTORY = <wallet dir>))). For IAM tokens: ${tokenFlowFix('sqlplus', {})}`
      );
    case 'node':
      return '';
  }
}
