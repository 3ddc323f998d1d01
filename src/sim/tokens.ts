// Tokens the simulated tenancy issues (session, principal and DB tokens):
// RS256 JWTs signed with the simulator's own key, verifiable by it alone.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { decodeJwt, jwkPublicKeyPem } from '../core/jwt.js';
import { takeRsaKey } from './key-pool.js';

export interface TokenIssuer {
  issue(claims: Record<string, unknown>): string;
  /** The claims if the token is ours, intact and unexpired; else the reason. */
  verify(token: string, now: Date): { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };
}

export function createTokenIssuer(): TokenIssuer {
  const pair = takeRsaKey(2048);
  const privateKey = createPrivateKey(pair.privateKeyPem);
  const publicKey = createPublicKey(pair.publicKeyPem);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'sim' })).toString('base64url');
  return {
    issue(claims) {
      const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${body}.${sign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
    },
    verify(token, now) {
      const decoded = decodeJwt(token);
      if (!decoded.ok) return { ok: false, reason: `malformed token: ${decoded.reason}` };
      const [h, p, s] = token.trim().split('.') as [string, string, string];
      if (!verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) return { ok: false, reason: 'token signature is invalid' };
      const exp = decoded.jwt.claims.exp;
      if (typeof exp !== 'number' || exp * 1000 <= now.getTime()) return { ok: false, reason: 'token has expired' };
      return { ok: true, claims: decoded.jwt.claims };
    },
  };
}

/**
 * A public key as the OCI token services embed it in the `jwk` claim: a JSON
 * *string* holding the JWK, not a nested object (session, instance, resource
 * and workload tokens alike), so readers must parse it.
 */
export function publicKeyToJwk(publicKeyPem: string): string {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  return JSON.stringify({ kid: 'sim-session-key', ...jwk, alg: 'RS256', use: 'sig' });
}

/**
 * Public keys already read from a token's jwk claim, by the claim's text: a
 * run signs most of its calls with one session key, and reading it again for
 * each request was a few milliseconds of every demo.
 */
const keysByJwk = new Map<string, KeyObject>();

export function jwkToPublicKey(jwk: unknown): KeyObject {
  const known = typeof jwk === 'string' ? keysByJwk.get(jwk) : undefined;
  if (known) return known;
  const pem = jwkPublicKeyPem(jwk);
  if (!pem) throw new Error('no usable jwk claim');
  const key = createPublicKey(pem);
  if (typeof jwk === 'string') {
    if (keysByJwk.size >= 64) keysByJwk.clear();
    keysByJwk.set(jwk, key);
  }
  return key;
}
