// Response bodies are read with a limit: a peer that streams forever must
// cost a bounded amount of memory, and say so, not push the process to GBs.

/** Larger than any OCI, IMDS or proxymux answer the doctor reads. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  readonly code = 'ResponseTooLarge';
  constructor(readonly limit: number) {
    super(`the response body was larger than ${limit} bytes; the doctor stopped reading it`);
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
