// `connect.target`: what --dsn (or a tnsnames.ora alias) resolves to. The
// network and TLS checks, and the checks that connect to the database, take
// their addresses and DN rules from its data (ConnectTarget).
import { join } from 'node:path';
import { pointAt, type Position } from '../../core/connect/nv.js';
import { closestAlias, resolveConnectTarget } from '../../core/connect/resolve.js';
import type { ConnectTarget } from '../../core/connect/target.js';
import { loadTnsnames, type TnsnamesSet } from '../../core/connect/tnsnames.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { dataKey } from '../../core/types.js';

export type { ConnectAddress, ConnectTarget } from '../../core/connect/target.js';
export { resolveConnectTarget } from '../../core/connect/resolve.js';

const MAX_TNS_BYTES = 1024 * 1024;

const codes = defineCodes({
  resolved: {
    code: 'connect.resolved',
    severity: 'info',
    meaning: 'The connect string resolved to these addresses, service and TLS identity rules.',
    fix: 'Nothing to fix.',
  },
  parseError: {
    code: 'connect.parse-error',
    severity: 'fail',
    meaning: 'The connect string (EZConnect, descriptor or tnsnames.ora entry) cannot be read; the driver would reject it too.',
    fix: 'Correct the text at the position shown: balance the parentheses, give each ADDRESS a HOST and a numeric PORT, quote values that contain commas.',
  },
  aliasNotFound: {
    code: 'connect.alias-not-found',
    severity: 'fail',
    meaning: 'The connect string is an alias, and no tnsnames.ora that was read defines it.',
    fix: 'Use an alias the tnsnames.ora defines, or point TNS_ADMIN / --tns-admin at the directory (usually the unzipped wallet) whose tnsnames.ora has it.',
  },
  notTcps: {
    code: 'net.protocol-not-tcps',
    severity: 'fail',
    meaning: 'An address uses PROTOCOL=TCP: IAM token authentication is only accepted over TLS (TCPS).',
    fix: 'Use PROTOCOL=TCPS (EZConnect: tcps://host:port/service) on the database TLS port (ADB: 1522, or 1521 when mutual TLS is not required).',
  },
  dnMatchOff: {
    code: 'connect.dn-match-off',
    severity: 'warn',
    meaning: "SSL_SERVER_DN_MATCH is off: the server's identity is not checked, and thick clients refuse token authentication without it (ORA-25704).",
    fix: 'Set (SECURITY=(SSL_SERVER_DN_MATCH=yes)) in the descriptor (EZConnect: ?ssl_server_dn_match=yes).',
  },
});

function located(at: Position | undefined, file: string | undefined): string {
  if (!at) return file ?? '--dsn';
  return `${file ?? '--dsn'}: line ${at.line}, column ${at.column}`;
}

/** What this check hands to the checks after it. */
export const CONNECT_TARGET_DATA = dataKey<ConnectTarget>('connect.target');

export const connectTargetCheck: DoctorCheck = {
  id: CONNECT_TARGET_DATA.checkId,
  title: 'Connect string',
  category: 'network',
  dependsOn: [],
  timeoutMs: 5000,
  codes: codes.list,
  async run({ deps }) {
    const dsn = deps.options.dsn;
    const tnsAdmin = deps.options.tnsAdmin;
    const tnsPath = tnsAdmin ? join(tnsAdmin, 'tnsnames.ora') : undefined;
    let tns: TnsnamesSet | undefined;
    let tnsProblem: string | undefined;
    const loadTns = async (): Promise<void> => {
      if (!tnsPath) return;
      const loaded = await loadTnsnames(tnsPath, (p) => deps.files.readText(p, MAX_TNS_BYTES));
      if ('ok' in loaded) tnsProblem = `${tnsPath}: ${loaded.reason}`;
      else tns = loaded;
    };

    if (!dsn) {
      await loadTns();
      const aliases = tns ? tns.entries.flatMap((e) => e.aliases) : [];
      const hint = aliases.length > 0 ? `; aliases in ${tnsPath}: ${aliases.slice(0, 8).join(', ')}${aliases.length > 8 ? ', …' : ''}` : '';
      const adb = deps.options.adbId ? ' (with --adb-id, copy one from the database\'s connection strings: oci db autonomous-database get --autonomous-database-id … --query \'data."connection-strings".profiles\')' : '';
      return { skipped: `no target: pass --dsn (EZConnect, descriptor or tnsnames alias)${adb}${hint}`, findings: [] };
    }

    const trimmed = dsn.trim();
    const isAlias = !trimmed.startsWith('(') && /^[A-Za-z0-9_.$#-]+$/.test(trimmed);
    if (isAlias) await loadTns();
    const r = resolveConnectTarget(dsn, tns, { origin: '--dsn' });
    if (!r.ok) {
      if (r.kind === 'alias-not-found') {
        const known = r.known ?? [];
        const near = closestAlias(trimmed, known);
        const evidence: Record<string, string> = { alias: trimmed };
        if (tns) evidence['files read'] = tns.files.join(', ');
        else evidence.tnsnames = tnsProblem ?? 'none: TNS_ADMIN / --tns-admin is not set';
        if (known.length > 0) evidence['aliases defined'] = `${known.slice(0, 20).join(', ')}${known.length > 20 ? ` (+${known.length - 20})` : ''}`;
        const title = tns ? `Alias ${trimmed} is not defined in ${tns.files.join(', ')}${near ? ` (did you mean ${near}?)` : ''}` : tnsProblem ? `Alias ${trimmed} cannot be looked up: ${tnsProblem}` : `${trimmed} looks like a tnsnames.ora alias, but no TNS_ADMIN directory is set`;
        return {
          summary: 'alias not found',
          findings: [findingFrom(codes.spec.aliasNotFound, { title, evidence, ...(near ? { fixText: `Use --dsn ${near}, or point TNS_ADMIN at the directory whose tnsnames.ora defines ${trimmed}.` } : {}), inspect: tnsPath ? [`grep -in '^${trimmed.replace(/'/g, '')}' ${tnsPath}`] : [] })],
        };
      }
      const evidence: Record<string, string> = { where: located(r.at, r.file) };
      if (r.at && r.text !== undefined) evidence.excerpt = pointAt(r.text, r.at);
      return { summary: 'cannot be read', findings: [findingFrom(codes.spec.parseError, { title: `Connect string error at ${located(r.at, r.file)}: ${r.message}`, evidence })] };
    }

    const t: ConnectTarget = r.target;
    const findings = [];
    const addressLine = (a: ConnectTarget['addresses'][number]): string => `${a.protocol}://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
    const evidence: Record<string, string> = {
      source: t.source,
      addresses: t.addresses.map(addressLine).join(', '),
      service: t.serviceName ?? r.details.sid ?? '(none)',
      ssl_server_dn_match: String(t.sslServerDnMatch),
      ...(t.sslServerCertDn ? { ssl_server_cert_dn: t.sslServerCertDn } : {}),
      ...(r.details.retryCount !== undefined ? { retry_count: String(r.details.retryCount) } : {}),
      ...(r.details.walletLocation ? { wallet_location: r.details.walletLocation } : {}),
      ...(r.details.httpsProxy ? { https_proxy: r.details.httpsProxy } : {}),
      descriptor: t.descriptor,
    };
    if (r.details.unsupported.length > 0) evidence.skipped = r.details.unsupported.map((u) => `PROTOCOL=${u.protocol} (not reachable by thin drivers)`).join(', ');
    findings.push(findingFrom(codes.spec.resolved, { title: `${t.source} → ${t.addresses.map(addressLine).join(', ')}${t.serviceName ? ` service ${t.serviceName}` : ''}`, evidence }));
    const plain = t.addresses.filter((a) => a.protocol === 'tcp');
    if (plain.length > 0) {
      const first = plain[0] as ConnectTarget['addresses'][number];
      findings.push(
        findingFrom(codes.spec.notTcps, {
          title: `${plain.map(addressLine).join(', ')} ${plain.length === 1 ? 'is' : 'are'} plain TCP: IAM tokens need TCPS`,
          evidence: { addresses: plain.map(addressLine).join(', '), source: t.source },
          commands: [`dbiam-doctor --dsn 'tcps://${first.host.includes(':') ? `[${first.host}]` : first.host}:${first.port === 1521 ? 1522 : first.port}/${t.serviceName ?? '<service>'}'`],
        }),
      );
    } else if (!t.sslServerDnMatch) {
      findings.push(findingFrom(codes.spec.dnMatchOff, { title: 'SSL_SERVER_DN_MATCH is off: the server certificate is not matched to the host', evidence: { source: t.source } }));
    }
    return { summary: `${t.addresses.map(addressLine).join(', ')}${t.serviceName ? ` / ${t.serviceName}` : ''}`, findings, data: t };
  },
};
