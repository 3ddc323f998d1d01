// Verifies OCI HTTP request signatures (draft-cavage, as oci-common signs):
// Authorization: Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"
import { createHash, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface SignatureParams {
  keyId: string;
  algorithm: string;
  headers: string[];
  signature: string;
}

export function parseSignatureHeader(value: string | undefined): SignatureParams | undefined {
  if (!value || !/^Signature\s/i.test(value)) return undefined;
  const params: Record<string, string> = {};
  for (const m of value.slice(value.indexOf(' ') + 1).matchAll(/([a-zA-Z]+)="([^"]*)"/g)) params[m[1] as string] = m[2] as string;
  if (!params.keyId || !params.signature) return undefined;
  return {
    keyId: params.keyId,
    algorithm: params.algorithm ?? 'rsa-sha256',
    headers: (params.headers ?? 'date').split(/\s+/).filter(Boolean).map((h) => h.toLowerCase()),
    signature: params.signature,
  };
}

export interface SignedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Verdict = { ok: true } | { ok: false; reason: string; skew?: string };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The string the client signed: one `name: value` line per listed header. */
export function signingString(req: SignedRequest, names: string[]): string | undefined {
  const lines: string[] = [];
  for (const name of names) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${req.method.toLowerCase()} ${req.url}`);
      continue;
    }
    const v = header(req.headers, name);
    if (v === undefined) return undefined;
    lines.push(`${name}: ${v}`);
  }
  return lines.join('\n');
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Checks everything but the key lookup: signed headers, body hash, clock, signature. */
export function verifyRequestSignature(req: SignedRequest, params: SignatureParams, key: KeyObject, now: Date): Verdict {
  if (params.algorithm !== 'rsa-sha256') return { ok: false, reason: `unsupported signature algorithm ${params.algorithm}` };
  for (const required of ['(request-target)', 'host']) {
    if (!params.headers.includes(required)) return { ok: false, reason: `signature does not cover ${required}` };
  }
  const dateHeader = params.headers.includes('x-date') ? 'x-date' : params.headers.includes('date') ? 'date' : undefined;
  if (!dateHeader) return { ok: false, reason: 'signature does not cover date or x-date' };
  const date = Date.parse(header(req.headers, dateHeader) ?? '');
  if (Number.isNaN(date)) return { ok: false, reason: `${dateHeader} header is missing or unreadable` };
  if (Math.abs(now.getTime() - date) > MAX_CLOCK_SKEW_MS) {
    // The one 401 that says why (BRIEF §13); the range format is the simulator's.
    const range = `[${new Date(now.getTime() - MAX_CLOCK_SKEW_MS).toUTCString()}, ${new Date(now.getTime() + MAX_CLOCK_SKEW_MS).toUTCString()}]`;
    return { ok: false, reason: `the ${dateHeader} header is more than 5 minutes from the server's clock`, skew: `Date '${header(req.headers, dateHeader)}' is not within allowed clock skew. Current '${now.toUTCString()}', valid datetime range: ${range}` };
  }
  if (BODY_METHODS.has(req.method.toUpperCase())) {
    for (const required of ['x-content-sha256', 'content-length', 'content-type']) {
      if (!params.headers.includes(required)) return { ok: false, reason: `signature does not cover ${required}` };
    }
    const digest = createHash('sha256').update(req.body).digest('base64');
    if (header(req.headers, 'x-content-sha256') !== digest) return { ok: false, reason: 'x-content-sha256 does not match the body' };
  }
  const text = signingString(req, params.headers);
  if (text === undefined) return { ok: false, reason: 'a signed header is missing from the request' };
  let good = false;
  try {
    good = verify('sha256', Buffer.from(text), key, Buffer.from(params.signature, 'base64'));
  } catch {
    good = false;
  }
  return good ? { ok: true } : { ok: false, reason: 'signature does not verify with the registered key' };
}
