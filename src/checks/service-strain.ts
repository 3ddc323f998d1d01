// A read the doctor gave up on because OCI was busy or failing (429, 5xx,
// after bounded retries): its own finding, so a throttled
// incident is not read as a missing policy or a wrong key. Declared once here,
// listed by identity.whoami (the first OCI read of every run), emitted by
// every check that reads OCI.
import type { Finding } from '../core/types.js';
import type { FactFailure } from './facts.js';
import { defineCodes, findingFrom } from './finding.js';

export const STRAIN_CODES = defineCodes({
  throttled: {
    code: 'oci.throttled',
    severity: 'fail',
    meaning: 'OCI answered 429 TooManyRequests and kept doing so through the doctor’s retries: the tenancy or the service is throttling, so this link could not be checked (nothing is known to be wrong with it).',
    fix: 'Run the doctor again in a few minutes; if it persists, look for a job flooding the same API in this tenancy, and quote the opc-request-id to Oracle Support.',
  },
  serviceError: {
    code: 'oci.service-error',
    severity: 'fail',
    meaning: 'OCI answered 5xx through the doctor’s retries: the service is failing, so this link could not be checked.',
    fix: 'Check the OCI status page for the region, run the doctor again later, and quote the opc-request-id to Oracle Support if it persists.',
  },
});

/** The finding for a read given up on a busy or failing service, or undefined for any other failure. */
export function strainFinding(f: FactFailure, what: string): Finding | undefined {
  if (!f.gaveUp) return undefined;
  const evidence: Record<string, string> = { request: f.request, answer: `${f.status === 0 ? 'connection dropped' : `${f.status} ${f.code}`}${f.message ? `: ${f.message}` : ''}`, attempts: String(f.attempts ?? 1) };
  if (f.opcRequestId) evidence['opc-request-id'] = f.opcRequestId;
  const spec = f.gaveUp === 'throttled' ? STRAIN_CODES.spec.throttled : STRAIN_CODES.spec.serviceError;
  const title = f.gaveUp === 'throttled' ? `OCI throttled ${what} (429 after ${f.attempts ?? 1} attempts)` : `OCI failed ${what} (${f.status === 0 ? 'connection dropped' : f.status} after ${f.attempts ?? 1} attempts)`;
  return findingFrom(spec, { title, evidence });
}
