// Verifying the chain a server presented against one trust source at a time,
// the way OpenSSL builds a path: from the leaf, issuer by issuer (from the
// source or from what the server sent), until a self-signed certificate the
// source holds. When the path breaks, the place it breaks names the problem.
import { issued, nameKey, sameCert, type Cert } from './certs.js';

export type TrustSourceKind = 'node-bundled' | 'extra-ca' | 'system' | 'ca-file' | 'wallet' | 'os-file' | 'python' | 'certifi' | 'env-bundle' | 'java-store';

export interface TrustSource {
  /** Stable id, e.g. "node-bundled", "ca-file:/etc/ca.pem", "wallet". */
  id: string;
  kind: TrustSourceKind;
  /** For people: "Node's bundled roots (144)". */
  label: string;
  certs: Cert[];
  /** Undefined when the source could be read; otherwise why it is not there. */
  unavailable?: string;
  /** File the source came from, if any. */
  path?: string;
  /** Blocks in the source that did not parse (reported, never fatal). */
  unreadable?: number;
}

export type ChainProblem =
  /** The leaf's issuer is neither sent nor trusted: the server omits an intermediate. */
  | 'missing-intermediate'
  /** The top of what was sent is issued by a root this source does not hold. */
  | 'untrusted-root'
  /** The path ends in a self-signed certificate the server sent and the source does not hold. */
  | 'self-signed-in-chain'
  /** The server's own certificate is self-signed and not trusted. */
  | 'self-signed-leaf'
  | 'no-certificate';

export interface PathStep {
  cert: Cert;
  /** Where the certificate came from. */
  from: 'server' | 'source';
}

export type ChainVerdict =
  | { ok: true; path: PathStep[]; anchor: Cert; anchorSentByServer: boolean }
  | {
      ok: false;
      problem: ChainProblem;
      path: PathStep[];
      /** The certificate whose issuer could not be found (or the untrusted self-signed one). */
      stuckAt?: Cert;
    };

const MAX_DEPTH = 10;

/** False only when the name keys prove `c` is not named `key` (then `c` need not be parsed). */
function mayBeNamed(c: Cert, key: string | undefined): boolean {
  return key === undefined || c.subjectKey === undefined || c.subjectKey === key;
}

/** Looks up certificates in a source by subject, then confirms with signatures. */
function issuerIn(cert: Cert, pool: readonly Cert[], skip: ReadonlySet<string>): Cert | undefined {
  const issuerKey = nameKey(cert.x509.raw, 'issuer');
  for (const c of pool) {
    if (!mayBeNamed(c, issuerKey)) continue;
    if (skip.has(c.fingerprint256)) continue;
    if (c.subjectRaw !== cert.x509.issuer) continue;
    if (issued(cert, c)) return c;
  }
  return undefined;
}

function holds(source: TrustSource, cert: Cert): boolean {
  const subjectKey = nameKey(cert.x509.raw, 'subject');
  return source.certs.some((c) => sameCert(c, cert) || (mayBeNamed(c, subjectKey) && c.subjectRaw === cert.subjectRaw && c.x509.publicKey.equals(cert.x509.publicKey)));
}

export function verifyChainAgainst(presented: readonly Cert[], source: TrustSource): ChainVerdict {
  const leaf = presented[0];
  if (!leaf) return { ok: false, problem: 'no-certificate', path: [] };
  const path: PathStep[] = [{ cert: leaf, from: 'server' }];
  const used = new Set([leaf.fingerprint256]);
  let cur = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (cur.selfSigned) {
      if (holds(source, cur)) return { ok: true, path, anchor: cur, anchorSentByServer: path.at(-1)?.from === 'server' };
      return { ok: false, problem: path.length === 1 ? 'self-signed-leaf' : 'self-signed-in-chain', path, stuckAt: cur };
    }
    // The issuer: from the trust source first (it may hold the intermediate too), then from what was sent.
    const fromSource = issuerIn(cur, source.certs, used);
    const next = fromSource ?? issuerIn(cur, presented, used);
    if (!next) {
      if (cur === leaf) return { ok: false, problem: leafIssuerLooksLikeRoot(leaf) ? 'untrusted-root' : 'missing-intermediate', path, stuckAt: cur };
      return { ok: false, problem: 'untrusted-root', path, stuckAt: cur };
    }
    path.push({ cert: next, from: fromSource ? 'source' : 'server' });
    used.add(next.fingerprint256);
    cur = next;
  }
  return { ok: false, problem: 'untrusted-root', path, stuckAt: cur };
}

/**
 * With only the leaf in hand, a missing issuer is usually an intermediate the
 * server failed to send (public CAs never issue leaves from a root). A small
 * private CA does sign leaves from its root; its name usually says so.
 */
function leafIssuerLooksLikeRoot(leaf: Cert): boolean {
  const cn = /(?:^|,)CN=([^,]*)/.exec(leaf.issuer)?.[1] ?? '';
  return /\broot\b/i.test(cn);
}

/** Whether the certificates were sent in order: each one issued by the next. */
export function sentInOrder(presented: readonly Cert[]): { inOrder: boolean; rootSent: boolean; unrelated: Cert[] } {
  let inOrder = true;
  const unrelated: Cert[] = [];
  for (let i = 0; i + 1 < presented.length; i++) {
    const a = presented[i] as Cert;
    const b = presented[i + 1] as Cert;
    if (!issued(a, b)) inOrder = false;
  }
  // A certificate that issues nothing sent and is not the leaf plays no part in the chain.
  presented.forEach((c, i) => {
    if (i === 0) return;
    const issuesSomething = presented.some((o) => o !== c && !o.selfSigned && issued(o, c));
    if (!issuesSomething) unrelated.push(c);
  });
  const rootSent = presented.slice(1).some((c) => c.selfSigned);
  return { inOrder, rootSent, unrelated };
}
