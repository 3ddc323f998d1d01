import { defineCodes, findingFrom } from '../finding.js';
import type { DoctorCheck } from '../deps.js';

const NET_FILES = ['tnsnames.ora', 'sqlnet.ora'];
const WALLET_FILES = ['ewallet.pem', 'cwallet.sso', 'ewallet.p12'];

const codes = defineCodes({
  missing: {
    code: 'env.tns-admin-missing',
    severity: 'fail',
    meaning: 'TNS_ADMIN (or --tns-admin) names a directory that does not exist, so aliases and the wallet cannot be found there.',
    fix: 'Point TNS_ADMIN at the directory where the wallet zip was unpacked (it holds tnsnames.ora and sqlnet.ora).',
  },
  notDirectory: {
    code: 'env.tns-admin-not-directory',
    severity: 'fail',
    meaning: 'TNS_ADMIN must name a directory, not a file.',
    fix: 'Set TNS_ADMIN to the directory that holds tnsnames.ora, not to the file itself.',
  },
  unreadable: {
    code: 'env.tns-admin-unreadable',
    severity: 'fail',
    meaning: 'The TNS_ADMIN directory cannot be listed by this user.',
    fix: 'Fix the directory permissions, or point TNS_ADMIN at a readable copy.',
  },
  noNetFiles: {
    code: 'env.tns-admin-empty',
    severity: 'warn',
    meaning: 'The TNS_ADMIN directory holds neither tnsnames.ora nor sqlnet.ora; aliases will not resolve from it.',
    fix: 'Unpack the wallet zip into this directory, or point TNS_ADMIN at the directory where it was unpacked.',
  },
});

export const tnsAdminCheck: DoctorCheck = {
  id: 'env.tns-admin',
  title: 'TNS_ADMIN directory',
  category: 'env',
  dependsOn: [],
  timeoutMs: 3000,
  codes: codes.list,
  async run({ deps }) {
    const dir = deps.options.tnsAdmin;
    if (!dir) return { summary: 'not set', findings: [] };
    const evidence = { TNS_ADMIN: dir, source: deps.options.sources.tnsAdmin ?? 'default' };
    const probe = await deps.files.probe(dir);
    switch (probe.kind) {
      case 'missing':
        return { summary: 'not found', findings: [findingFrom(codes.spec.missing, { title: `TNS_ADMIN directory not found: ${dir}`, evidence })] };
      case 'file':
      case 'other':
        return { summary: 'not a directory', findings: [findingFrom(codes.spec.notDirectory, { title: `TNS_ADMIN is not a directory: ${dir}`, evidence })] };
      case 'unreadable':
        return { summary: 'unreadable', findings: [findingFrom(codes.spec.unreadable, { title: `Cannot list ${dir}: ${probe.reason}`, evidence })] };
      case 'dir': {
        const present = [...NET_FILES, ...WALLET_FILES].filter((f) => probe.entries.includes(f));
        const summary = present.length > 0 ? `${dir}: ${present.join(', ')}` : `${dir}: no Oracle Net files`;
        if (!NET_FILES.some((f) => probe.entries.includes(f))) {
          return { summary, findings: [findingFrom(codes.spec.noNetFiles, { title: `No tnsnames.ora or sqlnet.ora in ${dir}`, evidence: { ...evidence, entries: probe.entries.slice(0, 20).join(', ') || '(empty)' } })] };
        }
        return { summary, findings: [] };
      }
    }
  },
};
