// Response bodies are read with a limit: a peer that streams forever must
// cost a bounded amount of memory, and say so, not push the process to GBs.

/**
 * Larger than any answer the doctor reads: a Vault secret bundle carries up to
 * the secret check's 10 MB limit as base64 (about 13.4 MB), and that check
 * must see it to say secret.too-large.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  readonly code = 'ResponseTooLarge';
  constructor(readonly limit: number) {
    super(`the response body was larger than ${limit} bytes; stopped reading it`);
  }
}

/** The body of a fetch response as text, at most `limit` bytes (the stream is cancelled past it). */
export async function readBodyCapped(res: Response, limit = MAX_RESPONSE_BYTES): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(limit);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The same, parsed as JSON. */
export async function readJsonCapped(res: Response, limit = MAX_RESPONSE_BYTES): Promise<unknown> {
  return JSON.parse(await readBodyCapped(res, limit)) as unknown;
}

/**
 * What went wrong with a fetch, in words: the dispatcher's size limit shows
 * up as "terminated" with the real reason in `cause`.
 */
export function fetchErrorText(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' || code === 'ResponseTooLarge') return `the response body was larger than ${MAX_RESPONSE_BYTES} bytes; stopped reading it`;
  }
  return err instanceof Error ? err.message : String(err);
}
