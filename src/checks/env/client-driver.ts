// The driver of the client named with --client, and whether its release has
// IAM token authentication (src/core/client-releases.ts, each entry with its
// release notes): python-oracledb from the interpreter's probe, the ojdbc jar
// in --classpath from its manifest, the Instant Client release line from its
// library's file name, node-oracledb from the application's node_modules
// (--project) or the doctor's own. env.runtime reports these findings (a
// run's platform and versions).
import { CLIENT_RELEASES, releaseVerdict, type ClientRelease } from '../../core/client-releases.js';
import { projectOracledb } from '../node-oracledb.js';
import { instantClientVersion, jarVersion, JAR_LIMITS, OJDBC_JAR } from '../../core/client-versions.js';
import type { Finding } from '../../core/types.js';
import type { DoctorDeps } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';

const codes = defineCodes({
  driverVersion: {
    code: 'env.driver-version',
    severity: 'info',
    meaning: 'The version of the driver the chosen client runs, as read from what is installed, and the token-authentication releases it was compared with.',
    fix: 'Nothing to fix.',
  },
  driverTooOld: {
    code: 'env.driver-too-old',
    severity: 'warn',
    meaning: 'The driver the chosen client runs predates the release that brought OCI IAM token authentication (or the token plugin the fix uses) to it.',
    fix: 'Upgrade the driver to the release named, or later.',
  },
  driverUnread: {
    code: 'env.driver-unread',
    severity: 'info',
    meaning: 'The driver of the chosen client could not be found or read (no node_modules/oracledb for --project, python-oracledb not installed for the interpreter, no ojdbc jar in --classpath, no Instant Client library), so its release was not compared.',
    fix: 'Name the directory: --project DIR for your Node application, --classpath DIR for the ojdbc jar, --instant-client DIR for Instant Client.',
  },
});

const UPGRADE: Record<ClientRelease['driver'], string> = {
  'node-oracledb': 'npm install oracledb@latest, in your application',
  'python-oracledb': 'python -m pip install --upgrade oracledb',
  'Oracle JDBC (ojdbc)': 'take ojdbc11 (or ojdbc8) of a current 23.x release from Maven Central (com.oracle.database.jdbc)',
  'Oracle Instant Client': 'install a current Instant Client (23.x, or 19.x / 21.x at the release named or later)',
};

function compare(installed: string, releases: ClientRelease[], evidence: Record<string, string>, lineOnly = false): Finding[] {
  const out: Finding[] = [];
  for (const r of releases) {
    const v = releaseVerdict(r, installed, lineOnly);
    if (v.has === false) {
      out.push(findingFrom(codes.spec.driverTooOld, {
        title: `${r.driver} ${installed} predates ${r.feature}: upgrade to ${v.upgradeTo} or later`,
        evidence: { ...evidence, needed: `${r.feature}, from ${v.upgradeTo}`, 'release notes': r.source },
        fixText: `Upgrade ${r.driver} to ${v.upgradeTo} or later (${UPGRADE[r.driver]}).`,
      }));
    } else if (v.has === 'unknown') {
      evidence[r.feature] = `from ${v.from} in this release line; the file name does not say which ${installed}.x release is installed`;
    } else {
      evidence[r.feature] = 'yes';
    }
  }
  return out;
}

async function node(deps: DoctorDeps): Promise<Finding[]> {
  const project = deps.options.project;
  // The doctor's own driver is a current one, named in the report's tool line.
  if (!project) return [];
  const found = await projectOracledb(deps, project);
  if (!found.ok) return [findingFrom(codes.spec.driverUnread, { title: `node-oracledb not read: ${found.reason}`, evidence: { project } })];
  const evidence: Record<string, string> = { installed: `node-oracledb ${found.version} (${found.where})` };
  const R = CLIENT_RELEASES;
  // The token flow the doctor's node fixes write (setup): the extensionOci plugin for the modes it covers.
  const plugin = { api_key: [R.nodeOciTokenPlugin], instance_principal: [R.nodeOciTokenPlugin, R.nodeOciTokenInstancePrincipal] } as Partial<Record<string, ClientRelease[]>>;
  const forMode = deps.options.auth ? (plugin[deps.options.auth] ?? []) : [];
  const old = compare(found.version, [R.nodeThinAccessToken, ...forMode], evidence);
  return [findingFrom(codes.spec.driverVersion, { title: `node-oracledb ${found.version} (${project})`, evidence }), ...old];
}

async function python(deps: DoctorDeps): Promise<Finding[]> {
  const probe = await deps.facts.trust.python(deps.options.python);
  // The TLS check says plainly when Python cannot be run; nothing more to add here.
  if (!probe.ok) return [];
  if (!probe.value.oracledb) return [findingFrom(codes.spec.driverUnread, { title: `python-oracledb is not installed for ${probe.value.interpreter}`, evidence: { interpreter: probe.value.interpreter }, fixText: `${probe.value.interpreter} -m pip install oracledb, in the environment your program runs in (or name that interpreter with --python).` })];
  const installed = probe.value.oracledb;
  const evidence: Record<string, string> = { installed: `python-oracledb ${installed} (${probe.value.interpreter})` };
  const R = CLIENT_RELEASES;
  // The oci_tokens auth_type the auth mode needs, when --auth / OCI_CLI_AUTH names it; else the plugin itself.
  const authType = { instance_principal: R.pythonOciTokensInstancePrincipal, security_token: R.pythonOciTokensSessionToken, resource_principal: R.pythonOciTokensSessionToken } as Partial<Record<string, ClientRelease>>;
  const forMode = deps.options.auth ? authType[deps.options.auth] : undefined;
  const old = compare(installed, [R.pythonAccessToken, R.pythonOciTokens, ...(forMode ? [forMode] : [])], evidence);
  return [findingFrom(codes.spec.driverVersion, { title: `python-oracledb ${installed}`, evidence }), ...old];
}

async function jdbc(deps: DoctorDeps): Promise<Finding[]> {
  const dir = deps.options.classpath;
  if (!dir) return [findingFrom(codes.spec.driverUnread, { title: 'The ojdbc jar was not looked for (no --classpath DIR)', evidence: {} })];
  const probe = await deps.files.probe(dir);
  if (probe.kind !== 'dir') return [findingFrom(codes.spec.driverUnread, { title: `--classpath ${dir} is not a readable directory`, evidence: { classpath: dir } })];
  const jars = probe.entries.filter((n) => OJDBC_JAR.test(n)).sort();
  if (jars.length === 0) return [findingFrom(codes.spec.driverUnread, { title: `No ojdbc jar in ${dir}`, evidence: { classpath: dir, 'looked for': 'ojdbc<N>.jar' } })];
  const out: Finding[] = [];
  for (const jar of jars.slice(0, 4)) {
    const path = `${dir}/${jar}`;
    const read = await deps.files.readBytes(path, JAR_LIMITS.maxCompressedBytes);
    const version = read.ok ? jarVersion(read.bytes) : { ok: false as const, reason: read.reason };
    if (!version.ok) {
      out.push(findingFrom(codes.spec.driverUnread, { title: `${jar}: version not read (${version.reason})`, evidence: { jar: path } }));
      continue;
    }
    const evidence: Record<string, string> = { installed: `${jar}: Implementation-Version ${version.version}`, jar: path };
    const old = compare(version.version, [CLIENT_RELEASES.jdbcIamToken], evidence);
    out.push(findingFrom(codes.spec.driverVersion, { title: `Oracle JDBC ${version.version} (${jar})`, evidence }), ...old);
  }
  if (jars.length > 1) out.push(findingFrom(codes.spec.driverVersion, { title: `${jars.length} ojdbc jars in ${dir}: the JVM loads whichever comes first on its class path`, evidence: { jars: jars.join(', ') } }));
  return out;
}

async function instantClient(deps: DoctorDeps): Promise<Finding[]> {
  const home = deps.env.ORACLE_HOME;
  const dirs = deps.options.instantClient ? [deps.options.instantClient] : home ? [`${home}/lib`, home] : [];
  if (dirs.length === 0) return [findingFrom(codes.spec.driverUnread, { title: 'The Instant Client was not looked for (no --instant-client DIR, ORACLE_HOME unset)', evidence: {} })];
  for (const dir of dirs) {
    const probe = await deps.files.probe(dir);
    if (probe.kind !== 'dir') continue;
    const found = instantClientVersion(dir, probe.entries);
    if (!found) continue;
    const what = found.lineOnly ? `release line ${found.version}` : `${found.version}, from the directory name`;
    const evidence: Record<string, string> = { installed: `${dir}/${found.file} (${what})` };
    const old = compare(found.version, [CLIENT_RELEASES.instantClientIamToken], evidence, found.lineOnly);
    return [findingFrom(codes.spec.driverVersion, { title: `Oracle Instant Client ${found.version} (${found.file})`, evidence }), ...old];
  }
  return [findingFrom(codes.spec.driverUnread, { title: `No libclntsh library in ${dirs.join(' or ')}`, evidence: { 'looked in': dirs.join(', ') } })];
}

export const CLIENT_DRIVER_CODES = codes.list;

/** What env.runtime adds for --client: the driver's release, and what it lacks. */
export async function clientDriverFindings(deps: DoctorDeps): Promise<Finding[]> {
  switch (deps.options.client) {
    case 'node':
      return node(deps);
    case 'python':
      return python(deps);
    case 'jdbc':
      return jdbc(deps);
    case 'sqlplus':
      return instantClient(deps);
  }
}
