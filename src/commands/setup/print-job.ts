// `dbiam-doctor --print-job --namespace NS --service-account SA [doctor flags]`:
// prints the Kubernetes Job that runs this doctor, with these flags, as the
// workload's service account (OKE workload identity), and exits.
import { TOOL_NAME } from '../../adapters/system.js';
import type { DoctorOptions } from '../../core/options.js';
import { doctorArgsFromOptions, jobManifestYaml, workloadNameProblem } from '../../core/setup/workload-run.js';
import type { CliIO } from '../io.js';

export function printJob(options: DoctorOptions, io: CliIO, version: string): number {
  const fail = (message: string): number => {
    io.stderr.write(`${TOOL_NAME}: ${message}\nRun '${TOOL_NAME} help' for the options.\n`);
    return 2;
  };
  if (!options.namespace || !options.serviceAccount) return fail("--print-job needs the workload's --namespace and --service-account");
  const problem = workloadNameProblem('namespace', options.namespace) ?? workloadNameProblem('service account', options.serviceAccount);
  if (problem) return fail(problem);
  io.stdout.write(jobManifestYaml({ namespace: options.namespace, serviceAccount: options.serviceAccount, version, doctorArgs: doctorArgsFromOptions(options), ...(options.region ? { region: options.region } : {}) }));
  return 0;
}
