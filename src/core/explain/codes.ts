// Finding codes only the explainer answers in: causes a pasted error can name
// but no check of a live run observes (yet). They sit in the catalogue beside
// the checks' codes, so `explain` and the doctor share one vocabulary.
import type { FindingSpec } from '../types.js';

export const EXPLAIN_SPECS = {
  unknownError: {
    code: 'explain.unknown-error',
    severity: 'warn',
    meaning: 'The pasted error is not one the explainer knows on the IAM-to-database path; it says what it did recognise.',
    fix: 'Run the doctor against the same database (dbiam-doctor --dsn …) to find the broken link, or paste the complete error, cause lines and stack included.',
  },
  nativeEncryption: {
    code: 'net.native-encryption',
    severity: 'fail',
    meaning: 'The database requires Oracle Native Network Encryption or checksumming (sqlnet.ora SQLNET.ENCRYPTION_SERVER / CRYPTO_CHECKSUM_SERVER): thin drivers cannot speak it, and IAM token logons need TLS instead.',
    fix: 'Connect over TLS (TCPS, port 1522 or a TLS listener) instead of Native Network Encryption; for password logons a thick client also works. Check with: SELECT network_service_banner FROM v$session_connect_info.',
  },
  knownBug: {
    code: 'client.known-bug',
    severity: 'fail',
    meaning: 'The client version named in the error (or found in the run) has a bug, acknowledged by its maintainers, that raises or hides this error.',
    fix: 'Upgrade the client to the release that fixes it (named in the explanation, from the project’s release notes or changelog).',
  },
  poolExhausted: {
    code: 'client.pool-exhausted',
    severity: 'fail',
    meaning: 'The connection pool had no free session to hand out: more concurrent requests than the pool maximum, or connections that are never released.',
    fix: 'Release every pooled connection after use (also on errors), and size the pool maximum for the load.',
  },
} as const satisfies Record<string, FindingSpec>;

export const EXPLAIN_CODE_LIST: readonly FindingSpec[] = Object.values(EXPLAIN_SPECS);
