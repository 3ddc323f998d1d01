// `tls.chain`: the TLS handshake with the database listener, the chain it
// presents verified against each trust source separately (Node's bundled
// roots, NODE_EXTRA_CA_CERTS, the OS store, every --ca-file, the wallet),
// and each problem named the way the driver will hit it. Its data
// (TlsSettings) tells the database checks how to connect.
import type { CapturedChain, TlsProbeResult } from '../../adapters/net-probe.js';
import { DEFAULT_TIMEOUTS } from '../../core/net-timeouts.js';
import type { ConnectTarget } from '../../core/connect/target.js';
import { assessChain, interception, type TlsAssessment, type TlsProblem } from '../../core/tls/assess.js';
import { certFromDer, certsFromPem, type Cert } from '../../core/tls/certs.js';
import { commonName, namesOf } from '../../core/tls/dn-match.js';
import type { ChainVerdict, TrustSource } from '../../core/tls/trust.js';
import type { Finding } from '../../core/types.js';
import { REACH_DATA } from '../network/reach.js';
import { CONNECT_TARGET_DATA } from '../network/target.js';
import { WALLET_DATA } from '../wallet/dir.js';
import type { DoctorCheck, DoctorDeps } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { ReachData } from '../network/reach.js';
import type { WalletData } from '../wallet/data.js';
import type { TlsSettings } from './settings.js';
import { dataKey } from '../../core/types.js';
import type { ClientKind } from '../../core/options.js';
import { driverUpgrades } from './driver-upgrades.js';
import { CLIENT_NAMES, clientTrust, clientTrustFix, type ClientTrust } from './client-trust.js';

export type { TlsSettings } from './settings.js';

const MAX_CA_FILE_BYTES = 16 * 1024 * 1024;

const codes = defineCodes({
  verified: { code: 'tls.chain-verified', severity: 'info', meaning: "The server's certificate chain verifies and matches the connect string's identity rules.", fix: 'Nothing to fix.' },
  handshakeTimeout: {
    code: 'tls.handshake-timeout',
    severity: 'fail',
    meaning: 'The port accepts TCP but no TLS handshake completes in time: something holds the connection without answering.',
    fix: 'Check that the port speaks TLS (ADB: 1521/1522) and that no proxy or firewall holds the connection; from a corporate network, test from another network.',
  },
  handshakeFailed: {
    code: 'tls.handshake-failed',
    severity: 'fail',
    meaning: 'The TLS handshake did not complete: the server closed it, sent an alert, or does not speak TLS on this port.',
    fix: 'Check the port and protocol in the connect string; the evidence shows what the server did.',
  },
  untrustedRoot: {
    code: 'tls.untrusted-root',
    severity: 'fail',
    meaning: "The chain leads to a root that no trust source the driver consults holds (node-oracledb: NJS-506 'unable to get local issuer certificate').",
    fix: 'Give the driver the root CA: a wallet (walletContent / walletLocation), NODE_EXTRA_CA_CERTS for node-oracledb without a wallet, ssl_context for python-oracledb, the wallet for thick clients.',
  },
  selfSignedInChain: {
    code: 'tls.self-signed-in-chain',
    severity: 'fail',
    meaning: "The server sent a self-signed certificate that no trust source holds: a private CA, or TLS interception (Node: 'self-signed certificate in certificate chain').",
    fix: "Trust that CA only if it is yours (obtain it from your PKI team, not from the server), or connect on a path that is not intercepted.",
  },
  missingIntermediate: {
    code: 'tls.missing-intermediate',
    severity: 'fail',
    meaning: "The server does not send the intermediate certificate between its own and the root (Node: 'unable to verify the first certificate').",
    fix: 'Configure the server to send its full chain (server certificate, then intermediates); as a client-side stop-gap add the intermediate and root to the wallet or CA file.',
  },
  outOfOrder: {
    code: 'tls.chain-out-of-order',
    severity: 'warn',
    meaning: 'The server sends its chain out of order: TLS 1.2 wants each certificate to certify the one before it, TLS 1.3 lets clients accept any order, so a client that keeps the older rule may reject it.',
    fix: 'Configure the server to send the server certificate first, then each issuer in turn.',
  },
  expired: { code: 'tls.cert-expired', severity: 'fail', meaning: 'A certificate in the chain has expired (Node: certificate has expired).', fix: 'Renew the certificate on the server (or the CA in the wallet); if the date looks wrong, check this machine\'s clock.' },
  expiring: { code: 'tls.cert-expiring', severity: 'warn', meaning: 'A certificate in the chain expires in less than 30 days.', fix: 'Plan the renewal now (for ADB, rotate and download the wallet again before it expires).' },
  notYetValid: { code: 'tls.cert-not-yet-valid', severity: 'fail', meaning: 'A certificate in the chain is not valid yet: the certificate is brand new or this machine\'s clock is behind.', fix: "Check this machine's clock (it must be right within seconds); otherwise wait until the certificate's start date." },
  weakSignature: { code: 'tls.weak-signature', severity: 'fail', meaning: "A certificate is signed with SHA-1 or MD5; OpenSSL 3 refuses it (Node: 'CA signature digest algorithm too weak').", fix: 'Reissue the certificate with a SHA-256 (or stronger) signature.' },
  weakKey: { code: 'tls.weak-key', severity: 'warn', meaning: 'A certificate in the chain has an RSA or DSA key shorter than 2048 bits; clients at security level 2 refuse it.', fix: 'Reissue the certificate with a 2048-bit (or larger) RSA key or an EC key.' },
  hostnameMismatch: {
    code: 'tls.hostname-mismatch',
    severity: 'fail',
    meaning: "The server certificate does not cover the host name in the connect string, and no SSL_SERVER_CERT_DN is set (node-oracledb: NJS-508; python-oracledb: DPY-6006).",
    fix: 'Connect with a host name the certificate covers, or set SSL_SERVER_CERT_DN to the certificate subject.',
  },
  dnMismatch: {
    code: 'tls.dn-mismatch',
    severity: 'fail',
    meaning: "SSL_SERVER_CERT_DN does not equal the server certificate's subject, RDN for RDN (node-oracledb: NJS-507; python-oracledb: DPY-6002). A DN copied from an older ADB certificate may name an OU= the current one lacks.",
    fix: "Set SSL_SERVER_CERT_DN to the certificate's subject exactly, or remove it so the host name is matched instead.",
  },
  intercepted: {
    code: 'tls.intercepted',
    severity: 'fail',
    meaning: 'The certificate was re-issued by a TLS-inspecting proxy: the chain ends outside the public roots that sign the real server certificate.',
    fix: 'Ask the network team to exempt the database host and port from TLS inspection, or connect from a network path without inspection.',
  },
  clientNotFound: {
    code: 'tls.client-stores-unread',
    severity: 'warn',
    meaning: "The client named with --client keeps trust stores the doctor reads by running it (python: the interpreter's OpenSSL CA file and certifi), and it could not be run.",
    fix: 'Name the interpreter your program runs with --python PATH (e.g. a virtualenv\'s bin/python), or install Python; until then the verdict uses the stores the doctor can read.',
  },
  trustSourceBroken: {
    code: 'tls.trust-source-broken',
    severity: 'warn',
    meaning: 'A trust source the chosen client reads is missing, unreadable, or holds no readable certificate, so it adds no trust.',
    fix: 'Point the setting at a readable PEM bundle, or remove it so the client falls back to its defaults.',
  },
  driverTooOld: {
    code: 'tls.driver-too-old',
    severity: 'warn',
    meaning: "The installed driver predates the TLS setting the fix needs (python-oracledb: ssl_context from 2.0.0, a wallet for one-way TLS from 1.2.0; node-oracledb: walletContent from 6.6.0), or has a DN-matching bug this certificate or connect string hits, fixed in a later release.",
    fix: 'Upgrade the driver to the release named, or later.',
  },
  clientCertRequired: {
    code: 'tls.client-cert-required',
    severity: 'fail',
    meaning: 'The listener requires a client certificate (mutual TLS, ADB port 1522) and no wallet with a client key and certificate is available.',
    fix: "Download the database wallet and point the driver at it, or turn off the ADB's mutual-TLS requirement (with an access list or private endpoint) and use one-way TLS.",
  },
});

const CERT_LINE = (c: Cert): string => `${c.subject} [${c.key}, ${c.signatureAlgorithm ?? 'signature ?'}, ${c.validFrom.toISOString().slice(0, 10)} → ${c.validTo.toISOString().slice(0, 10)}]`;
const cnOf = (dn: string): string => commonName(dn) ?? dn;

/** What this check hands to the checks after it. */
export const TLS_SETTINGS_DATA = dataKey<TlsSettings>('tls.chain');

export const tlsChainCheck: DoctorCheck = {
  id: TLS_SETTINGS_DATA.checkId,
  title: 'TLS certificate chain',
  category: 'tls',
  dependsOn: ['connect.target', 'net.reach'],
  // wallet.dir: its ewallet.pem is a trust source (and the client identity for
  // mutual TLS). A wallet with problems (expired README date, wrong password)
  // still gets its TLS verdict, so the wallet is waited for, not depended on.
  after: ['wallet.dir'],
  timeoutMs: DEFAULT_TIMEOUTS.tcpMs + DEFAULT_TIMEOUTS.tlsMs + 5000,
  codes: codes.list,
  async run({ deps, dataOf }, signal) {
    const target = dataOf(CONNECT_TARGET_DATA);
    const reach = dataOf(REACH_DATA);
    if (!target || !reach) return { skipped: 'no reachable connect target', findings: [] };
    const address = reach.reachable.find((a) => a.protocol === 'tcps');
    if (!address) return { skipped: 'no TCPS address to handshake with', findings: [] };
    const server = `${address.host}:${address.port}`;
    // The driver fails over to the next address on any error, so every reachable TCPS address is shaken hands with.
    const others = otherTcpsAddresses(reach, address);
    const probeAt = (a: Reachable): Promise<TlsProbeResult> => deps.facts.network.tlsChain(a.ip, a.port, { servername: a.host, signal });
    const [probe, otherProbes] = await Promise.all([probeAt(address), Promise.all(others.map(probeAt))]);
    const base: Record<string, string> = { server: `${server} (${address.ip})`, ...otherAddressEvidence(others, otherProbes, probe) };
    const captured: CapturedChain | undefined = probe.ok ? probe.chain : probe.partial;
    const wallet = walletOf(dataOf(WALLET_DATA));
    const walletHasClientCert = wallet?.hasPrivateKey === true;
    const findings: Finding[] = [];
    if (!probe.ok) {
      const demanded = captured?.clientCertRequested === true || captured?.alert?.description === 116;
      if (demanded && !walletHasClientCert && (captured?.certificates.length ?? 0) === 0) {
        return { summary: 'client certificate required', findings: [clientCertFinding(server, 'the server asked for a client certificate and ended the handshake without one', base)] };
      }
      if (!demanded || (captured?.certificates.length ?? 0) === 0) {
        const evidence = { ...base, result: `${probe.kind}: ${probe.message}`, ...(probe.code ? { code: probe.code } : {}), elapsed: `${probe.ms} ms` };
        if (probe.kind === 'timeout') {
          return { summary: 'no TLS answer', findings: [findingFrom(codes.spec.handshakeTimeout, { title: `${server} accepted TCP but did not complete a TLS handshake within ${DEFAULT_TIMEOUTS.tlsMs / 1000} s`, evidence, inspect: [`openssl s_client -connect ${server} -servername ${address.host} </dev/null`] })] };
        }
        if (probe.kind === 'aborted') return { summary: 'interrupted', findings: [] };
        const title =
          probe.kind === 'not-tls'
            ? `${server} does not speak TLS on this port`
            : probe.kind === 'alert'
              ? `${server} ended the TLS handshake: ${probe.message.replace(/^the server ended the handshake with /, '')}`
              : `TLS handshake with ${server} failed: ${probe.message}`;
        return { summary: 'handshake failed', findings: [findingFrom(codes.spec.handshakeFailed, { title, evidence, inspect: [`openssl s_client -connect ${server} -servername ${address.host} </dev/null`] })] };
      }
    }
    const chain = captured as CapturedChain;
    const presented = chain.certificates.map(certFromDer).filter((c): c is Cert => c !== undefined);
    if (presented.length === 0) {
      return { summary: 'no certificate', findings: [findingFrom(codes.spec.handshakeFailed, { title: `${server} presented no readable certificate`, evidence: base })] };
    }

    const sources = await gatherSources(deps, wallet);
    const walletId = wallet && wallet.caPems.length > 0 ? 'wallet' : undefined;
    const client = await clientTrust(deps, { caFileIds: deps.options.caFiles.map((p) => `ca-file:${p}`), ...(walletId ? { walletId } : {}), ...(wallet ? { walletDir: wallet.dir } : {}) });
    sources.push(...client.sources);
    const consultedIds = client.consultedIds;
    const input = {
      presented,
      orderKnown: chain.orderKnown,
      host: address.host,
      sslServerDnMatch: target.sslServerDnMatch,
      ...(target.sslServerCertDn !== undefined ? { sslServerCertDn: target.sslServerCertDn } : {}),
      sources,
      ...(chain.clientCertRequested !== undefined ? { clientCertRequested: chain.clientCertRequested } : {}),
      // A handshake that failed after the certificates came is the server ending it too.
      ...(chain.closedAfterHandshake !== undefined || !probe.ok ? { closedAfterHandshake: !probe.ok || chain.closedAfterHandshake === true } : {}),
      ...(chain.alert ? { serverAlert: chain.alert.name } : {}),
      walletHasClientCert,
      now: deps.now(),
    };
    const assessment = assessChain({
      ...input,
      // A wallet without PEM certificates (cwallet.sso only) is not what thin drivers use.
      ...(walletId && client.walletReplaces ? { walletSourceId: walletId } : {}),
      ...(consultedIds ? { consultedIds } : {}),
    });
    // The doctor's own database connection is node-oracledb's, whichever client is judged.
    const nodeView =
      client.client === 'node' || assessment.trustedBy
        ? assessment
        : assessChain({ ...input, ...(walletId ? { walletSourceId: walletId } : {}), consultedIds: sources.filter((s) => s.kind === 'node-bundled' || s.kind === 'extra-ca' || s.kind === 'system' || s.kind === 'ca-file' || s.kind === 'wallet').map((s) => s.id) });

    const evidence = { ...base, ...chainEvidence(chain, presented, assessment, deps, wallet, client) };
    // The full picture once, on the first problem; the others carry what is their own.
    assessment.problems.forEach((p, i) => {
      findings.push(problemFinding(p, { server, host: address.host, evidence: i === 0 ? evidence : base, assessment, target, presented, now: deps.now(), client: client.client }));
    });
    findings.push(...clientFindings(client, assessment.verdicts.map((v) => v.source), consultedIds));
    // A fix that hands the driver a CA needs a driver that takes it; a DN-matching bug of its release fails where the doctor's match passes.
    const needsCa = assessment.problems.some((p) => p.kind === 'untrusted-root' || p.kind === 'self-signed-in-chain') || assessment.trustedBy?.kind === 'ca-file';
    const leaf = presented[0];
    const upgrades = driverUpgrades(client, deps, { needsCa, dn: { identity: assessment.identity, ...(leaf && commonName(leaf.subject) ? { cn: commonName(leaf.subject) } : {}), ...(target.easyConnect ? { easyConnect: target.easyConnect } : {}) } });
    findings.push(...upgrades.map((u) => findingFrom(codes.spec.driverTooOld, u)));

    let data: TlsSettings | undefined;
    if (nodeView.trustedBy) data = settingsFor(nodeView, target, wallet, chain.clientCertRequested);
    if (!findings.some((f) => f.severity === 'fail')) {
      findings.unshift(verifiedFinding(assessment, { server, host: address.host, evidence, data, presented, client: client.client }));
    }
    const by = assessment.trustedBy ? `verified by ${assessment.trustedBy.label}` : 'not verified';
    return { summary: `${presented.length} certificate(s) from ${server}, ${by}${chain.protocol ? `, ${chain.protocol}` : ''}`, findings, ...(data ? { data } : {}) };
  },
};

/** Further addresses the TLS check looks at (a descriptor with many addresses is cut here). */
const MAX_OTHER_ADDRESSES = 3;

type Reachable = ReachData['reachable'][number];

function otherTcpsAddresses(reach: ReachData, first: Reachable): Reachable[] {
  const key = (a: Reachable): string => `${a.host}|${a.ip}|${a.port}`;
  const seen = new Set([key(first)]);
  const out: Reachable[] = [];
  for (const a of reach.reachable) {
    if (a.protocol !== 'tcps' || seen.has(key(a))) continue;
    seen.add(key(a));
    out.push(a);
  }
  return out.slice(0, MAX_OTHER_ADDRESSES);
}

/** One line per further address: the same chain as the first, another one, or what went wrong there. */
function otherAddressEvidence(others: Reachable[], probes: TlsProbeResult[], first: TlsProbeResult): Record<string, string> {
  const firstLeaf = first.ok ? first.chain.certificates[0] : undefined;
  const out: Record<string, string> = {};
  others.forEach((a, i) => {
    const p = probes[i];
    const label = `TLS at ${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port} (${a.ip})`;
    if (!p) return;
    if (!p.ok) {
      out[label] = `handshake failed: ${p.message}`;
      return;
    }
    const leaf = p.chain.certificates[0];
    const cert = leaf ? certFromDer(leaf) : undefined;
    out[label] = firstLeaf && leaf && firstLeaf.equals(leaf) ? 'the same server certificate as the first address' : `another server certificate: ${cert ? CERT_LINE(cert) : 'unreadable'} (judged only at the first address)`;
  });
  return out;
}

function walletOf(value: WalletData | undefined): WalletData | undefined {
  return value && Array.isArray(value.caPems) && typeof value.dir === 'string' ? value : undefined;
}

/** Every trust source, in the order they are shown. */
async function gatherSources(deps: DoctorDeps, wallet: WalletData | undefined): Promise<TrustSource[]> {
  const roots = deps.facts.trust.bundledRoots();
  const sources: TrustSource[] = [{ id: 'node-bundled', kind: 'node-bundled', label: `Node's bundled roots (${roots.length})`, certs: roots }];
  const extra = deps.env.NODE_EXTRA_CA_CERTS;
  if (extra) sources.push(await fileSource(deps, 'extra-ca', 'extra-ca', `NODE_EXTRA_CA_CERTS ${extra}`, extra));
  const system = deps.facts.trust.systemRoots();
  sources.push(system.ok ? { id: 'system', kind: 'system', label: `OS store (${system.certs.length})`, certs: system.certs } : { id: 'system', kind: 'system', label: 'OS store', certs: [], unavailable: system.reason });
  for (const path of deps.options.caFiles) sources.push(await fileSource(deps, `ca-file:${path}`, 'ca-file', `--ca-file ${path}`, path));
  if (wallet) {
    const parsed = wallet.caPems.flatMap((p) => certsFromPem(p).certs);
    const label = `wallet ewallet.pem in ${wallet.dir}`;
    sources.push(parsed.length > 0 ? { id: 'wallet', kind: 'wallet', label: `${label} (${parsed.length})`, certs: parsed, path: wallet.dir } : { id: 'wallet', kind: 'wallet', label, certs: [], path: wallet.dir, unavailable: 'no certificate in ewallet.pem (thin drivers cannot use this wallet)' });
  }
  return sources;
}

async function fileSource(deps: DoctorDeps, id: string, kind: 'extra-ca' | 'ca-file', label: string, path: string): Promise<TrustSource> {
  const read = await deps.files.readText(path, MAX_CA_FILE_BYTES);
  if (!read.ok) return { id, kind, label, certs: [], path, unavailable: `cannot read ${path}: ${read.reason}` };
  const pem = certsFromPem(read.text);
  if (pem.certs.length === 0) return { id, kind, label, certs: [], path, unavailable: `no readable certificate in ${path}${pem.unreadable.length ? ` (${pem.unreadable.length} broken block(s))` : ''}` };
  return { id, kind, label: `${label} (${pem.certs.length})`, certs: pem.certs, path, ...(pem.unreadable.length ? { unreadable: pem.unreadable.length } : {}) };
}

function verdictLine(v: ChainVerdict | undefined, source: TrustSource, now: Date): string {
  if (!v) return `not available: ${source.unavailable ?? 'unknown'}`;
  const broken = source.unreadable ? ` (${source.unreadable} block(s) in the file do not parse and were skipped)` : '';
  if (v.ok) {
    const path = v.path.map((s) => `${s.cert.name}${s.from === 'source' ? ' [from this source]' : ''}`).join(' ← ');
    const stale = v.path.find((s) => s.from === 'source' && s.cert.validTo.getTime() < now.getTime());
    if (stale) return `fails: its copy of ${stale.cert.name} expired ${stale.cert.validTo.toISOString().slice(0, 10)} (path: ${path})${broken}`;
    return `verified: ${path}${broken}`;
  }
  const stuck = v.stuckAt;
  switch (v.problem) {
    case 'missing-intermediate':
      return `fails: the issuer of ${stuck?.name} (${cnOf(stuck?.issuer ?? '')}) was not sent and is not here${broken}`;
    case 'untrusted-root':
      return `fails: no root for ${cnOf(stuck?.issuer ?? '')} here${broken}`;
    case 'self-signed-in-chain':
      return `fails: the self-signed ${stuck?.name} the server sent is not here${broken}`;
    case 'self-signed-leaf':
      return `fails: the server certificate is self-signed and not here${broken}`;
    default:
      return 'fails: no certificate';
  }
}

/** What node-oracledb will use to verify the server, in words. */
function consulted(wallet: WalletData | undefined, deps: DoctorDeps): string {
  if (wallet && wallet.caPems.length > 0) return `the wallet (${wallet.dir}/ewallet.pem) only: a wallet replaces Node's default roots`;
  const extra = deps.env.NODE_EXTRA_CA_CERTS ? ' + NODE_EXTRA_CA_CERTS' : '';
  const system = deps.facts.trust.hasSystemCaOption() ? ' (+ the OS store when Node runs with --use-system-ca)' : '';
  const caFiles = deps.options.caFiles.length > 0 ? '; it does not read --ca-file: pass that CA as walletContent (see the fix)' : '';
  return `Node's bundled roots${extra}${system}${caFiles}`;
}

function chainEvidence(chain: CapturedChain, presented: Cert[], a: TlsAssessment, deps: DoctorDeps, wallet: WalletData | undefined, client: ClientTrust): Record<string, string> {
  const out: Record<string, string> = {};
  out[chain.orderKnown ? 'chain sent (in order sent)' : 'chain sent (order not visible under TLS 1.3)'] = presented.map((c, i) => `${i + 1}. ${CERT_LINE(c)}`).join('; ');
  if (a.rootSent) out['root sent'] = 'the server also sends its root certificate (harmless: clients trust roots only from their own store)';
  if (a.unrelated.length > 0) out['not part of the chain'] = a.unrelated.map((c) => c.subject).join('; ');
  for (const v of a.verdicts) out[`trust: ${v.source.label}`] = verdictLine(v.verdict, v.source, deps.now());
  if (client.client === 'node') out['node-oracledb consults'] = consulted(wallet, deps);
  else out[`${CLIENT_NAMES[client.client]} consults`] = client.consults;
  Object.assign(out, client.evidence);
  if (a.identity.rule === 'dn') out['identity rule'] = `SSL_SERVER_CERT_DN vs the certificate subject (${a.identity.ok ? 'equal' : 'different'})`;
  else if (a.identity.rule === 'host') out['identity rule'] = `host name vs SAN/CN: ${a.identity.host} ${a.identity.ok ? 'covered' : 'not covered'} by ${a.identity.names.join(', ') || '(no names)'}`;
  else out['identity rule'] = 'none (SSL_SERVER_DN_MATCH is off)';
  if (chain.clientCertRequested !== undefined) {
    out['client certificate'] = chain.clientCertRequested
      ? `requested by the server${chain.clientCaNames ? ` (${chain.clientCaNames} acceptable CA name(s))` : ''}` +
        (chain.closedAfterHandshake ? '' : '; the handshake went on without one, so it may be optional (a port taking TLS and mutual TLS) or required: ADB decides after the handshake and refuses the connection with ORA-12506')
      : 'not requested (one-way TLS)';
  }
  out.handshake = `${chain.protocol ?? 'incomplete'}${chain.cipher ? ` ${chain.cipher}` : ''}, TCP ${chain.tcpMs} ms + TLS ${chain.ms} ms`;
  return out;
}

interface FindingContext {
  server: string;
  host: string;
  evidence: Record<string, string>;
  assessment: TlsAssessment;
  target: ConnectTarget;
  presented: Cert[];
  now: Date;
  client: ClientKind;
}

function trustFixText(caHint: string, client: ClientKind = 'node'): string {
  if (client !== 'node') return clientTrustFix(client, caHint);
  return (
    `node-oracledb: pass walletContent = a throw-away private key and its certificate followed by the CA (${caHint}) — a CA-only wallet fails with NJS-505 — or, with no wallet, start Node with NODE_EXTRA_CA_CERTS=${caHint}. ` +
    `python-oracledb: ssl_context=ssl.create_default_context(cafile='${caHint}'). ` +
    'Thick clients: add the CA to the wallet (orapki) named by WALLET_LOCATION in sqlnet.ora.'
  );
}

function problemFinding(p: TlsProblem, ctx: FindingContext): Finding {
  const { server, host, evidence } = ctx;
  const showChain = `openssl s_client -connect ${server} -servername ${host} -showcerts </dev/null`;
  switch (p.kind) {
    case 'missing-intermediate': {
      const issuer = cnOf(p.cert.issuer);
      const aia = p.cert.caIssuers[0];
      return findingFrom(codes.spec.missingIntermediate, {
        title: `${server} sends only its own certificate: the intermediate "${issuer}" that issued it is missing`,
        evidence: { ...evidence, ...(aia ? { 'issuer download (AIA)': aia } : {}) },
        fixText: `Install the full chain on the server (server certificate, then "${issuer}"). Until then, add "${issuer}" and its root to the client's CA file or wallet${aia ? ` (the intermediate can be downloaded from ${aia})` : ''}.`,
        inspect: [showChain],
      });
    }
    case 'untrusted-root': {
      const root = cnOf(p.cert.issuer);
      const elsewhere = trustedElsewhere(ctx);
      return findingFrom(codes.spec.untrustedRoot, {
        title: ctx.client === 'node' ? `No trust source holds the root "${root}" that issued ${server}'s chain` : `No trust source ${CLIENT_NAMES[ctx.client]} reads holds the root "${root}" that issued ${server}'s chain${elsewhere ? ` (${shortName(elsewhere)} does)` : ''}`,
        evidence,
        fixText: elsewhere?.kind === 'wallet' && ctx.client !== 'node'
          ? clientTrustFix(ctx.client, 'ca.pem', elsewhere.path)
          : elsewhere?.path && elsewhere.certs.length > 1 && (ctx.client === 'jdbc' || ctx.client === 'sqlplus')
            ? // keytool -importcert takes the first certificate of a file: a bundle would import some other root.
              `The "${root}" certificate is in ${elsewhere.path}, among ${elsewhere.certs.length - 1} others: save it alone as ca.pem${ctx.client === 'jdbc' ? ' (keytool -importcert imports only the first certificate of a file)' : ''}. ${trustFixText('ca.pem', ctx.client)}`
            : `Get the "${root}" CA certificate from its owner (your PKI team, or the database wallet) and trust it. ${trustFixText(elsewhere?.path ?? 'ca.pem', ctx.client)}`,
        commands: clientFixCommands(ctx.client),
        inspect: [showChain, ...clientInspectCommands(ctx.client)],
      });
    }
    case 'self-signed-in-chain': {
      const elsewhere = trustedElsewhere(ctx);
      const who = ctx.client === 'node' ? 'no trust source holds' : `no trust source ${CLIENT_NAMES[ctx.client]} reads holds${elsewhere ? ` (${shortName(elsewhere)} does)` : ''}`;
      return findingFrom(codes.spec.selfSignedInChain, {
        title: p.leafOnly ? `${server} presents a self-signed certificate (${p.cert.name}) that ${who}` : `${server} sent a self-signed root (${p.cert.name}) that ${who}`,
        evidence,
        fixText: elsewhere?.kind === 'wallet' && ctx.client !== 'node'
          ? clientTrustFix(ctx.client, 'ca.pem', elsewhere.path)
          : `If "${p.cert.name}" is your own CA, get it from your PKI team (not from the server) and trust it. ${trustFixText(elsewhere?.path ?? 'ca.pem', ctx.client)} If it is not yours, the connection is being intercepted.`,
        inspect: [showChain, ...clientInspectCommands(ctx.client)],
      });
    }
    case 'intercepted':
      return findingFrom(codes.spec.intercepted, {
        title: `TLS to ${server} looks intercepted: ${p.reason}`,
        evidence: { ...evidence, 'issued by': p.issuer.issuer },
        fixText:
          `Ask the network team to exempt ${host} port ${server.split(':').pop()} from TLS inspection (an SSL-bypass rule), or connect from a network without inspection. ` +
          `Stop-gap for one-way TLS only: trust the proxy's root (${cnOf(p.issuer.issuer)}) via walletContent / NODE_EXTRA_CA_CERTS; for mutual TLS, ask for the bypass.`,
        inspect: [showChain],
      });
    case 'out-of-order':
      return findingFrom(codes.spec.outOfOrder, {
        title: `${server} sends its chain out of order: ${p.order.map((c) => c.name).join(', ')}`,
        evidence,
      });
    case 'expired':
      return findingFrom(codes.spec.expired, {
        title: `The ${p.role} ${p.cert.name} expired ${p.days === 0 ? 'today' : `${p.days} day(s) ago`} (${p.cert.validTo.toISOString()})`,
        evidence: { ...evidence, "this machine's clock": ctx.now.toISOString() },
      });
    case 'expiring':
      return findingFrom(codes.spec.expiring, { title: `The ${p.role} ${p.cert.name} expires in ${p.days} day(s) (${p.cert.validTo.toISOString()})`, evidence });
    case 'not-yet-valid':
      return findingFrom(codes.spec.notYetValid, {
        title: `The ${p.role} ${p.cert.name} is not valid until ${p.cert.validFrom.toISOString()} (${p.days} day(s) from this machine's clock)`,
        evidence: { ...evidence, "this machine's clock": ctx.now.toISOString() },
        inspect: ['timedatectl status'],
      });
    case 'weak-signature':
      return findingFrom(codes.spec.weakSignature, { title: `The ${p.role} ${p.cert.name} is signed with ${p.algorithm}`, evidence });
    case 'weak-key':
      return findingFrom(codes.spec.weakKey, { title: `The ${p.role} ${p.cert.name} has a ${p.cert.key} key`, evidence });
    case 'hostname-mismatch': {
      const names = p.verdict.names;
      const leaf = ctx.presented[0];
      return findingFrom(codes.spec.hostnameMismatch, {
        title: `The server certificate does not cover ${p.verdict.host} (it covers ${names.join(', ') || 'no names'}) — node-oracledb: NJS-508`,
        evidence: { ...evidence, ...(p.verdict.reason ? { 'Node says': p.verdict.reason } : {}) },
        fixText: `Connect with a name the certificate covers${names[0] ? ` (e.g. ${names[0]}; for a tunnel or private endpoint IP, map that name to the address in /etc/hosts)` : ''}, or add (SSL_SERVER_CERT_DN="${leaf?.subject ?? ''}") to the descriptor's SECURITY.`,
      });
    }
    case 'dn-mismatch': {
      const v = p.verdict;
      const diffs = v.differences.map((d) => `${d.key}: expected ${d.expected === undefined ? '(absent)' : `'${d.expected}'`}, certificate has ${d.actual === undefined ? '(absent)' : `'${d.actual}'`}`).join('; ');
      return findingFrom(codes.spec.dnMismatch, {
        title: v.ouChange
          ? `SSL_SERVER_CERT_DN names OU=${(v.differences.find((d) => d.key === 'OU') ?? {}).expected ?? ''}, but the server certificate has no OU (a DN copied from an older certificate?) — node-oracledb: NJS-507`
          : `SSL_SERVER_CERT_DN does not match the server certificate's subject — node-oracledb: NJS-507`,
        evidence: { ...evidence, 'SSL_SERVER_CERT_DN': p.expected, 'certificate subject': v.subjectDn, differences: diffs },
        fixText: `Set (SSL_SERVER_CERT_DN="${v.subjectDn}") in the descriptor's SECURITY, or remove SSL_SERVER_CERT_DN so node-oracledb matches the host name (python-oracledb and thick clients do the same when it is absent).`,
      });
    }
    case 'client-cert-required':
      return clientCertFinding(server, p.how, evidence);
  }
}

function clientCertFinding(server: string, how: string, evidence: Record<string, string>): Finding {
  return findingFrom(codes.spec.clientCertRequired, {
    title: `${server} requires a client certificate (mutual TLS): ${how}; no wallet provides one`,
    evidence,
    fixText:
      'Download the wallet (Autonomous Database → Database connection → Download wallet, or the command below) and use it: node-oracledb walletLocation (ewallet.pem, with walletPassword), python-oracledb wallet_location, thick clients TNS_ADMIN with cwallet.sso. ' +
      'Or allow one-way TLS: set the database\'s "require mutual TLS" off (needs an access control list or a private endpoint) and connect without a wallet.',
    commands: [
      'oci db autonomous-database generate-wallet --autonomous-database-id <adb-ocid> --file wallet.zip --password <wallet-password>',
      'oci db autonomous-database update --autonomous-database-id <adb-ocid> --is-mtls-connection-required false',
    ],
  });
}

/** A source the client does not read that would verify the chain (a file the fix can name). */
function trustedElsewhere(ctx: FindingContext): TrustSource | undefined {
  return ctx.assessment.verdicts.find((v) => v.verdict?.ok && !ctx.assessment.decisive.includes(v.source) && v.source.path !== undefined)?.source;
}

/** A source in a few words, for a title (the evidence has the full label). */
function shortName(s: TrustSource): string {
  switch (s.kind) {
    case 'wallet':
      return 'the wallet';
    case 'extra-ca':
      return 'NODE_EXTRA_CA_CERTS';
    case 'ca-file':
      return `--ca-file ${s.path ?? ''}`.trim();
    case 'certifi':
      return 'certifi';
    case 'node-bundled':
      return "Node's roots";
    default:
      return s.path ?? s.label;
  }
}

/** Commands that show what the client trusts. */
/** The command that makes a client trust a CA, where one line does it (node-oracledb reads NODE_EXTRA_CA_CERTS). */
function clientFixCommands(client: ClientKind): string[] {
  return client === 'node' ? ['export NODE_EXTRA_CA_CERTS=/path/to/ca.pem'] : [];
}

/** Commands that show which trust sources a client reads; they change nothing. */
function clientInspectCommands(client: ClientKind): string[] {
  switch (client) {
    case 'node':
      return [];
    case 'python':
      return ['python3 -c "import ssl; print(ssl.get_default_verify_paths())"', 'python3 -c "import certifi; print(certifi.where())"'];
    case 'jdbc':
      return ['keytool -list -cacerts'];
    case 'sqlplus':
      return ['orapki wallet display -wallet <wallet dir>'];
  }
}

/** Per-client findings: stores that could not be read, consulted sources that are broken. */
function clientFindings(client: ClientTrust, sources: TrustSource[], consultedIds: readonly string[] | undefined): Finding[] {
  const out: Finding[] = [];
  if (client.unreadable) {
    out.push(findingFrom(codes.spec.clientNotFound, {
      title: `--client ${client.client}: ${client.unreadable}`,
      evidence: { [`${CLIENT_NAMES[client.client]} consults`]: client.consults },
    }));
  }
  if (client.client === 'node') return out;
  for (const s of sources) {
    if (!s.unavailable || !consultedIds?.includes(s.id) || s.kind === 'java-store') continue;
    // OpenSSL reads the CA file and the CA directory: a default one missing is normal when the other holds the roots
    // (one named by SSL_CERT_FILE / SSL_CERT_DIR that is missing is a mistake worth saying).
    const twin = s.label.startsWith('SSL_CERT_') ? undefined : s.id === 'python-cafile' ? 'python-capath' : s.id === 'python-capath' ? 'python-cafile' : undefined;
    if (twin && sources.some((x) => x.id === twin && !x.unavailable)) continue;
    out.push(findingFrom(codes.spec.trustSourceBroken, {
      title: `${s.label} adds no trust for ${CLIENT_NAMES[client.client]}: ${s.unavailable}`,
      evidence: { source: s.label, ...(s.path ? { path: s.path } : {}) },
      fixText: `Point it at a readable PEM bundle (or unset it so the defaults apply). ${clientTrustFix(client.client, s.path ?? 'ca.pem')}`,
    }));
  }
  return out;
}

function verifiedFinding(a: TlsAssessment, ctx: { server: string; host: string; evidence: Record<string, string>; data?: TlsSettings; presented: Cert[]; client: ClientKind }): Finding {
  const by = a.trustedBy;
  const defaults = by?.kind === 'node-bundled';
  const evidence = { ...ctx.evidence };
  if (ctx.data?.walletCaPems) evidence['walletContent (for the doctor\'s own connection)'] = `throw-away key + certificate + ${ctx.data.walletCaPems.length} CA certificate(s), made when a database connection follows`;
  const sign = interception(ctx.presented, ctx.host, a.verdicts.find((v) => v.source.kind === 'node-bundled')?.verdict);
  if (sign) evidence.note = `${sign.reason}; it verifies only because you trust that CA.`;
  const caHint = by?.path ?? 'ca.pem';
  if (ctx.client !== 'node') {
    // The client's own defaults (or its wallet) verified the chain: nothing to configure.
    const own = by !== undefined && ['python', 'os-file', 'system', 'wallet', 'java-store'].includes(by.kind);
    if (by) evidence['your application'] = own ? `${CLIENT_NAMES[ctx.client]} verifies this chain with ${by.label}${by.kind === 'wallet' ? ' (keep the wallet setting)' : ' by default'}` : clientTrustFix(ctx.client, caHint);
    return findingFrom(codes.spec.verified, {
      title: by ? `${ctx.server}: chain verified for ${CLIENT_NAMES[ctx.client]} by ${by.label}` : `${ctx.server}: chain not verified`,
      evidence,
      fixText: own ? 'Nothing to fix.' : `${CLIENT_NAMES[ctx.client]} must be given this CA: ${clientTrustFix(ctx.client, caHint)}`,
    });
  }
  if (by) evidence['your application'] = driverSettings(by, ctx.data);
  return findingFrom(codes.spec.verified, {
    title: by ? `${ctx.server}: chain verified by ${by.label}` : `${ctx.server}: chain not verified`,
    evidence,
    fixText: defaults || by?.kind === 'wallet'
      ? 'Nothing to fix.'
      : `The driver must be given this CA: ${trustFixText(caHint)}`,
  });
}

/** How each driver gets the trust that verified the chain, in one line. */
function driverSettings(by: TrustSource, data: TlsSettings | undefined): string {
  const dn = data?.sslServerCertDN ? ` with sslServerCertDN '${data.sslServerCertDN}'` : '';
  switch (by.kind) {
    case 'node-bundled':
      return `no CA settings needed: node-oracledb, python-oracledb and Oracle clients trust this chain by default${dn}`;
    case 'wallet':
      return `node-oracledb: walletLocation '${by.path}' (+ walletPassword when ewallet.pem is encrypted); python-oracledb: wallet_location; thick clients: TNS_ADMIN with cwallet.sso${dn}`;
    case 'extra-ca':
      return `node-oracledb without a wallet: keep NODE_EXTRA_CA_CERTS=${by.path} in the app's environment (read at start); python-oracledb: ssl_context with cafile ${by.path}${dn}`;
    default:
      return `node-oracledb: walletContent = throw-away key + certificate + ${by.path ?? 'the CA'} (a CA-only wallet fails NJS-505), or NODE_EXTRA_CA_CERTS=${by.path ?? 'ca.pem'}; python-oracledb: ssl_context=ssl.create_default_context(cafile='${by.path ?? 'ca.pem'}'); thick clients: add it to the wallet with orapki${dn}`;
  }
}

function settingsFor(a: TlsAssessment, target: ConnectTarget, wallet: WalletData | undefined, clientCertRequested: boolean | undefined): TlsSettings {
  const by = a.trustedBy as TrustSource;
  const base = {
    sslServerDNMatch: target.sslServerDnMatch,
    ...(target.sslServerCertDn !== undefined ? { sslServerCertDN: target.sslServerCertDn } : {}),
    trustedBy: by.id,
    ...(clientCertRequested !== undefined ? { clientCertRequested } : {}),
  };
  if (by.kind === 'node-bundled') return base;
  if (by.kind === 'wallet' && wallet) return { ...base, walletLocation: wallet.dir };
  // Node's defaults do not hold this CA in the doctor's own process: a wallet with the certificates the path took from the source.
  const fromSource = (a.path ?? []).filter((c) => by.certs.some((s) => s.fingerprint256 === c.fingerprint256));
  const cas = fromSource.length > 0 ? fromSource : by.certs.slice(0, 200);
  return { ...base, walletCaPems: cas.map((c) => c.pem) };
}
