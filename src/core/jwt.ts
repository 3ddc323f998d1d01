// Decodes JWTs (session tokens, DB tokens, principal tokens) to read their
// claims. Decoding is not verifying: only the issuer can verify.
import { createPublicKey } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: string;
}

export type JwtResult = { ok: true; jwt: DecodedJwt } | { ok: false; reason: string };

function decodePart(part: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new Error(`${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

export function decodeJwt(token: string): JwtResult {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { ok: false, reason: `expected 3 dot-separated parts, found ${parts.length}` };
  try {
    return { ok: true, jwt: { header: decodePart(parts[0] as string, 'header'), claims: decodePart(parts[1] as string, 'payload'), signature: parts[2] as string } };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

/** A numeric date claim (`exp`, `iat`, `nbf`) as a Date, if present and sane. */
export function claimDate(claims: Record<string, unknown>, name: string): Date | undefined {
  const v = claims[name];
  return typeof v === 'number' && Number.isFinite(v) ? new Date(v * 1000) : undefined;
}

/**
 * The RSA public key in a token's `jwk` claim (an object, or the JSON string
 * real OCI tokens carry), as SPKI PEM; undefined when there is none.
 */
export function jwkPublicKeyPem(jwk: unknown): string | undefined {
  try {
    const j = (typeof jwk === 'string' ? JSON.parse(jwk) : jwk) as Record<string, unknown> | undefined;
    if (!j || typeof j.n !== 'string' || typeof j.e !== 'string') return undefined;
    return createPublicKey({ key: { kty: 'RSA', n: j.n, e: j.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return undefined;
  }
}
