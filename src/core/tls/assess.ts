// From a captured chain and the trust sources to named problems: one verdict
// per source, which source the driver will consult, and each thing wrong with
// the chain (trust, order, dates, algorithms, identity, client certificate,
// interception). Pure: the check turns problems into findings.
import { REALM_DOMAIN_PATTERN } from '../regions.js';
import { isWeakSignature, type Cert } from './certs.js';
import { checkIdentity, type IdentityVerdict } from './dn-match.js';
import { sentInOrder, verifyChainAgainst, type ChainVerdict, type TrustSource } from './trust.js';

export const EXPIRING_DAYS = 30;
const DAY = 86_400_000;

export interface TlsAssessmentInput {
  /** As sent; presented[0] is the server's own certificate. */
  presented: Cert[];
  orderKnown: boolean;
  host: string;
  sslServerDnMatch: boolean;
  sslServerCertDn?: string;
  /** Every source, including the ones not available here (they get a line too). */
  sources: TrustSource[];
  /** The wallet the client will use, if any: it alone is consulted. */
  walletSourceId?: string;
  /** The sources the client reads (default: every available one); the others get their line but do not decide. */
  consultedIds?: readonly string[];
  clientCertRequested?: boolean;
  closedAfterHandshake?: boolean;
  serverAlert?: string;
  /** True when the wallet in use holds a client key and certificate (mutual TLS). */
  walletHasClientCert: boolean;
  now: Date;
}

export type CertRole = 'server certificate' | 'intermediate' | 'root';

export type TlsProblem =
  | { kind: 'missing-intermediate' | 'untrusted-root' | 'self-signed-in-chain'; cert: Cert; leafOnly: boolean; verdict: ChainVerdict }
  | { kind: 'intercepted'; reason: string; issuer: Cert }
  | { kind: 'out-of-order'; order: Cert[] }
  | { kind: 'expired' | 'not-yet-valid' | 'expiring'; cert: Cert; role: CertRole; days: number }
  | { kind: 'weak-signature'; cert: Cert; role: CertRole; algorithm: string }
  | { kind: 'weak-key'; cert: Cert; role: CertRole }
  | { kind: 'hostname-mismatch'; verdict: Extract<IdentityVerdict, { rule: 'host' }> }
  | { kind: 'dn-mismatch'; verdict: Extract<IdentityVerdict, { rule: 'dn' }>; expected: string }
  | { kind: 'client-cert-required'; how: string };

export interface SourceVerdict {
  source: TrustSource;
  verdict?: ChainVerdict;
}

export interface TlsAssessment {
  verdicts: SourceVerdict[];
  /** Sources whose verdict decides (the wallet alone when one is used; else every available source). */
  decisive: TrustSource[];
  /** The first decisive source that verifies the chain. */
  trustedBy?: TrustSource;
  /** The path that source built. */
  path?: Cert[];
  rootSent: boolean;
  unrelated: Cert[];
  identity: IdentityVerdict;
  problems: TlsProblem[];
}

/** Names of TLS-inspecting products as they appear in their CA certificates. */
const INTERCEPTOR = /zscaler|netskope|palo ?alto|fortinet|fortigate|forcepoint|websense|blue ?coat|symantec web|mcafee web|skyhigh|umbrella|cisco secure|sophos|check ?point|barracuda|squid|mitmproxy|charles proxy|fiddler|kaspersky|avast|eset|bitdefender|trend ?micro|menlo|iboss|lightspeed|contentkeeper|securly|smoothwall|cloudflare gateway|proxy ca|inspection|decrypt/i;

/** Oracle Cloud service hosts: their certificates chain to public roots. */
const ORACLE_CLOUD_HOST = new RegExp(String.raw`(^|\.)${REALM_DOMAIN_PATTERN}$|(^|\.)oraclecloudapps\.com$`, 'i');

export function isOracleCloudHost(host: string): boolean {
  return ORACLE_CLOUD_HOST.test(host);
}

export function assessChain(input: TlsAssessmentInput): TlsAssessment {
  const { presented, now } = input;
  const verdicts: SourceVerdict[] = input.sources.map((source) => (source.unavailable ? { source } : { source, verdict: verifyChainAgainst(presented, source) }));
  const wallet = input.walletSourceId ? input.sources.find((s) => s.id === input.walletSourceId && !s.unavailable) : undefined;
  const consulted = input.consultedIds;
  const decisive = wallet ? [wallet] : input.sources.filter((s) => !s.unavailable && (!consulted || consulted.includes(s.id)));
  const trusted = verdicts.find((v) => decisive.includes(v.source) && v.verdict?.ok);
  const okVerdict = trusted?.verdict?.ok ? trusted.verdict : undefined;
  const order = sentInOrder(presented);
  const leaf = presented[0];
  const problems: TlsProblem[] = [];

  // Trust.
  if (!okVerdict && leaf) {
    const union: TrustSource = { id: 'union', kind: 'ca-file', label: 'every source', certs: decisive.flatMap((s) => s.certs) };
    const v = verifyChainAgainst(presented, union);
    const bundled = verdicts.find((x) => x.source.kind === 'node-bundled')?.verdict;
    const intercept = interception(presented, input.host, bundled);
    if (intercept) {
      problems.push({ kind: 'intercepted', ...intercept });
    } else if (!v.ok && v.problem !== 'no-certificate') {
      const kind = v.problem === 'self-signed-leaf' ? 'self-signed-in-chain' : v.problem;
      problems.push({ kind, cert: v.stuckAt ?? leaf, leafOnly: v.problem === 'self-signed-leaf', verdict: v });
    } else if (v.ok) {
      // Only the union of sources builds a path (intermediate in one file, root in another).
      problems.push({ kind: 'untrusted-root', cert: v.anchor, leafOnly: false, verdict: v });
    }
  }

  // Order as sent.
  if (input.orderKnown && !order.inOrder && presented.length > 1) problems.push({ kind: 'out-of-order', order: presented });

  // Dates and algorithms, over the path when there is one (else over what was sent).
  const path = okVerdict ? okVerdict.path.map((s) => s.cert) : presented;
  const roleOf = (c: Cert, i: number): CertRole => (i === 0 ? 'server certificate' : c.selfSigned ? 'root' : 'intermediate');
  path.forEach((c, i) => {
    const role = roleOf(c, i);
    if (c.validTo.getTime() < now.getTime()) problems.push({ kind: 'expired', cert: c, role, days: Math.floor((now.getTime() - c.validTo.getTime()) / DAY) });
    else if (c.validFrom.getTime() > now.getTime()) problems.push({ kind: 'not-yet-valid', cert: c, role, days: Math.ceil((c.validFrom.getTime() - now.getTime()) / DAY) });
    else if (c.validTo.getTime() - now.getTime() < EXPIRING_DAYS * DAY) problems.push({ kind: 'expiring', cert: c, role, days: Math.floor((c.validTo.getTime() - now.getTime()) / DAY) });
    // A root's own signature is never checked; every other one is.
    if (!c.selfSigned && isWeakSignature(c.signatureAlgorithm)) problems.push({ kind: 'weak-signature', cert: c, role, algorithm: c.signatureAlgorithm as string });
    if ((c.keyType === 'rsa' || c.keyType === 'rsa-pss' || c.keyType === 'dsa') && (c.keyBits ?? 0) < 2048) problems.push({ kind: 'weak-key', cert: c, role });
  });

  // Identity, as node-oracledb decides it.
  const identity: IdentityVerdict = leaf ? checkIdentity(leaf, input.host, input.sslServerDnMatch, input.sslServerCertDn) : { rule: 'off', ok: true };
  if (identity.rule === 'host' && !identity.ok) problems.push({ kind: 'hostname-mismatch', verdict: identity });
  if (identity.rule === 'dn' && !identity.ok) problems.push({ kind: 'dn-mismatch', verdict: identity, expected: input.sslServerCertDn ?? '' });

  // Mutual TLS. A CertificateRequest alone does not make it required: a port
  // taking both TLS and mTLS asks too, and ADB finishes the handshake without
  // a certificate even when mTLS is required (it refuses the CONNECT after it,
  // ORA-12506). Only a server that ends the connection shows the demand here.
  const demanded = (input.clientCertRequested === true && input.closedAfterHandshake === true) || input.serverAlert === 'certificate_required';
  if (demanded && !input.walletHasClientCert) {
    const how = input.clientCertRequested
      ? 'the server sent a CertificateRequest during the handshake and hung up when none came'
      : 'the server refused the connection with alert certificate_required';
    problems.push({ kind: 'client-cert-required', how });
  }

  return {
    verdicts,
    decisive,
    ...(trusted ? { trustedBy: trusted.source } : {}),
    ...(okVerdict ? { path: okVerdict.path.map((s) => s.cert) } : {}),
    rootSent: input.orderKnown && order.rootSent,
    unrelated: order.unrelated,
    identity,
    problems,
  };
}

/**
 * An inspecting proxy re-signs the server's certificate with its own CA: the
 * chain then ends outside the public roots. Two signs: a known product name
 * in the chain, or an Oracle Cloud host (always publicly issued) whose chain
 * Node's bundled roots cannot verify.
 */
export function interception(presented: readonly Cert[], host: string, bundled: ChainVerdict | undefined): { reason: string; issuer: Cert } | undefined {
  const top = presented.at(-1) as Cert;
  const named = presented.find((c) => INTERCEPTOR.test(c.subject) || INTERCEPTOR.test(c.issuer));
  if (named) {
    const what = INTERCEPTOR.exec(`${named.subject} ${named.issuer}`)?.[0] ?? 'a proxy';
    return { reason: `the chain names ${what}, a TLS-inspecting product`, issuer: named };
  }
  if (isOracleCloudHost(host) && bundled && !bundled.ok) {
    return { reason: `${host} is an Oracle Cloud host, whose certificates chain to public roots, but this chain does not verify against Node's bundled public roots`, issuer: top };
  }
  return undefined;
}
