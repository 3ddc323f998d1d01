import { defineCodes, findingFrom } from '../finding.js';
import type { DoctorCheck } from '../deps.js';
import { CLIENT_DRIVER_CODES, clientDriverFindings } from './client-driver.js';

const MIN_NODE_MAJOR = 20;

const codes = defineCodes({
  nodeUnsupported: {
    code: 'env.node-unsupported',
    severity: 'fail',
    meaning: `Node.js is older than ${MIN_NODE_MAJOR}, the oldest release the doctor supports (its package.json engines field).`,
    fix: `Install Node.js ${MIN_NODE_MAJOR} LTS or later (nvm, fnm, or your package manager) and run again.`,
  },
});

export const runtimeCheck: DoctorCheck = {
  id: 'env.runtime',
  title: 'Node.js, platform and versions',
  category: 'env',
  dependsOn: [],
  // The python client's driver comes from a probe of up to 4 s (shared with tls.chain).
  timeoutMs: 8000,
  codes: [...codes.list, ...CLIENT_DRIVER_CODES],
  async run({ deps }) {
    const s = deps.system;
    const major = Number(s.nodeVersion.split('.')[0]);
    const summary = `Node v${s.nodeVersion} on ${s.platform} ${s.arch} · ${'dbiam-doctor'} ${s.toolVersion}`;
    if (!(major >= MIN_NODE_MAJOR)) {
      return {
        summary,
        findings: [
          findingFrom(codes.spec.nodeUnsupported, {
            title: `Node.js v${s.nodeVersion} is too old`,
            evidence: { node: `v${s.nodeVersion}`, required: `>= ${MIN_NODE_MAJOR}` },
            commands: ['nvm install --lts'],
          }),
        ],
      };
    }
    const driver = await clientDriverFindings(deps);
    // node without --project: the doctor's own node-oracledb, named in the report's tool line.
    const nodeOwn = deps.options.client === 'node' && !deps.options.project;
    return { summary: nodeOwn ? summary : `${summary} · ${driver[0]?.title ?? 'no driver version read'}`, findings: driver };
  },
};
