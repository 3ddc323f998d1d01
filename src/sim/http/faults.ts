// Injected misbehaviour: answers the simulated services give before the real
// one (throttling, server errors, a slow answer, a dropped connection), and
// page sizes that force list operations to page. Real OCI does all of these
// during incidents; a doctor that makes one attempt per call misdiagnoses them.
import type { Fixture } from '../fixture.js';

export type Fault = NonNullable<NonNullable<Fixture['service']>['faults']>[number]['answers'][number];

/** What to do with one request before (or instead of) answering it for real. */
export type FaultStep =
  | { kind: 'answer'; status: number; code: string; message: string; headers: Record<string, string> }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' };

/** `*` matches any run of characters; everything else literally. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * The OCI error bodies for the injected statuses (the codes OCI documents for
 * them: TooManyRequests, InternalServerError, ServiceUnavailable). Their
 * messages are generic, as the real ones are.
 */
export function stepOf(f: Fault): FaultStep {
  switch (f.kind) {
    case 'throttle':
      return { kind: 'answer', status: 429, code: 'TooManyRequests', message: 'Too many requests for the tenancy.', headers: f.retryAfterSeconds === undefined ? {} : { 'retry-after': String(f.retryAfterSeconds) } };
    case 'internal-error':
      return { kind: 'answer', status: 500, code: 'InternalServerError', message: 'Internal error occurred.', headers: {} };
    case 'unavailable':
      return { kind: 'answer', status: 503, code: 'ServiceUnavailable', message: 'The service is currently unavailable.', headers: f.retryAfterSeconds === undefined ? {} : { 'retry-after': String(f.retryAfterSeconds) } };
    case 'delay':
      return { kind: 'delay', ms: f.delayMs ?? 0 };
    case 'reset':
      return { kind: 'reset' };
  }
}

/**
 * Hands out the injected answers. Each rule's list is given once per distinct
 * request (method and path, without the query): with `operation: '*'` and one
 * throttle, every operation is throttled the first time it is called, and its
 * retry gets the real answer.
 */
export function faultPlan(service: Fixture['service'], given: { method: string; path: string; kind: string }[] = []): { next(method: string, path: string): Fault | undefined } {
  const rules = (service?.faults ?? []).map((r) => ({ re: globToRegExp(r.operation), answers: r.answers }));
  const served = new Map<string, number>();
  return {
    next(method, path) {
      const line = `${method.toUpperCase()} ${path}`;
      for (const [i, rule] of rules.entries()) {
        if (!rule.re.test(line)) continue;
        const key = `${i}\u0000${line}`;
        const n = served.get(key) ?? 0;
        if (n >= rule.answers.length) continue;
        served.set(key, n + 1);
        const fault = rule.answers[n] as Fault;
        given.push({ method: method.toUpperCase(), path, kind: fault.kind });
        return fault;
      }
      return undefined;
    },
  };
}

/** Pages of a list: the page token is the offset, opaque to clients. */
export function pageOf<T>(items: T[], query: URLSearchParams, pageSize: number | undefined): { items: T[]; next?: string } {
  const limitParam = Number(query.get('limit'));
  const limit = Math.min(...[pageSize, Number.isInteger(limitParam) && limitParam > 0 ? limitParam : undefined].filter((x): x is number => x !== undefined), Number.POSITIVE_INFINITY);
  if (!Number.isFinite(limit)) return { items };
  const page = query.get('page');
  const offset = page ? Number.parseInt(Buffer.from(page, 'base64url').toString('utf8').replace(/^offset:/, ''), 10) || 0 : 0;
  const slice = items.slice(offset, offset + limit);
  return offset + limit < items.length ? { items: slice, next: Buffer.from(`offset:${offset + limit}`).toString('base64url') } : { items: slice };
}
