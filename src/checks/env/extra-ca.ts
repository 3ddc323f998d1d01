import { parseCertificateBundle } from '../../core/pem.js';
import { defineCodes, findingFrom } from '../finding.js';
import type { DoctorCheck } from '../deps.js';

/** Certificate bundles larger than this are refused rather than read into memory. */
const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
/** Up to this many certificates the file is a custom CA list rather than a copy of a trust store. */
const CUSTOM_CA_MAX = 10;

const codes = defineCodes({
  missing: {
    code: 'env.extra-ca-missing',
    severity: 'fail',
    meaning: 'NODE_EXTRA_CA_CERTS names a file that does not exist; Node ignores it and trusts only its bundled roots.',
    fix: 'Point NODE_EXTRA_CA_CERTS at the PEM file holding your corporate or private CA, or unset it.',
  },
  unreadable: {
    code: 'env.extra-ca-unreadable',
    severity: 'fail',
    meaning: 'NODE_EXTRA_CA_CERTS names a file that cannot be read.',
    fix: 'Make the file readable by this user (or point the variable at a readable copy).',
  },
  noCertificates: {
    code: 'env.extra-ca-no-certificates',
    severity: 'fail',
    meaning: 'The file in NODE_EXTRA_CA_CERTS holds no readable PEM certificate, so it adds no trust.',
    fix: 'Export the CA as PEM (-----BEGIN CERTIFICATE-----), e.g. `openssl x509 -inform der -in ca.cer -out ca.pem`.',
  },
  badBlock: {
    code: 'env.extra-ca-bad-block',
    severity: 'warn',
    meaning: 'Some certificate blocks in the NODE_EXTRA_CA_CERTS file do not parse; Node skips them.',
    fix: 'Re-export the broken certificates as PEM, or remove them from the bundle.',
  },
  expired: {
    code: 'env.extra-ca-expired',
    severity: 'warn',
    meaning: 'A certificate in the NODE_EXTRA_CA_CERTS file has expired; chains that rely on it no longer verify.',
    fix: 'Replace the expired CA certificate with its current version from your PKI team.',
  },
});

export const extraCaCheck: DoctorCheck = {
  id: 'env.extra-ca',
  title: 'Extra CA certificates (NODE_EXTRA_CA_CERTS)',
  category: 'env',
  dependsOn: [],
  timeoutMs: 5000,
  codes: codes.list,
  async run({ deps }) {
    const path = deps.env.NODE_EXTRA_CA_CERTS;
    if (!path) return { summary: 'not set: Node trusts its bundled roots only', findings: [] };
    const evidence = { NODE_EXTRA_CA_CERTS: path };
    const probe = await deps.files.probe(path);
    if (probe.kind === 'missing') {
      return { summary: 'file not found', findings: [findingFrom(codes.spec.missing, { title: `NODE_EXTRA_CA_CERTS file not found: ${path}`, evidence })] };
    }
    const read = await deps.files.readText(path, MAX_BUNDLE_BYTES);
    if (!read.ok) {
      return { summary: 'unreadable', findings: [findingFrom(codes.spec.unreadable, { title: `Cannot read ${path}: ${read.reason}`, evidence: { ...evidence, reason: read.reason } })] };
    }
    const bundle = parseCertificateBundle(read.text);
    if (bundle.certificates.length === 0) {
      return {
        summary: 'no certificates',
        findings: [findingFrom(codes.spec.noCertificates, { title: `No certificate in ${path}`, evidence: { ...evidence, blocks: String(bundle.unreadable.length + bundle.otherBlocks.length) } })],
      };
    }
    const findings = [];
    if (bundle.unreadable.length > 0) {
      findings.push(
        findingFrom(codes.spec.badBlock, {
          title: `${bundle.unreadable.length} certificate block(s) in ${path} do not parse`,
          evidence: Object.fromEntries(bundle.unreadable.slice(0, 10).map((u) => [`line ${u.line}`, u.reason])),
        }),
      );
    }
    const now = deps.now();
    const expired = bundle.certificates.filter((c) => c.validTo < now);
    // A large bundle (a copy of the OS store) always carries a few stale roots
    // that nothing chains to any more; only a short custom CA file is judged.
    if (expired.length > 0 && bundle.certificates.length > CUSTOM_CA_MAX) {
      return { summary: `${bundle.certificates.length} certificate(s) from ${path}, ${expired.length} expired (ignored in a bundle this size)`, findings };
    }
    if (expired.length > 0) {
      findings.push(
        findingFrom(codes.spec.expired, {
          title: `${expired.length} expired certificate(s) in ${path}`,
          evidence: Object.fromEntries(expired.slice(0, 10).map((c) => [c.subject, `expired ${c.validTo.toISOString()} (line ${c.line})`])),
        }),
      );
    }
    return { summary: `${bundle.certificates.length} certificate(s) from ${path}`, findings };
  },
};
