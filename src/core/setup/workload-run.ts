// Running the doctor inside the workload, where OKE workload identity and
// instance principals can be seen at all: a Kubernetes Job that runs as the
// workload's service account in its namespace, and an OCI Compute Run
// Command for instance principals. Each prints the JSON report on standard
// output, collected into one directory that `summarize` reads.
// Sources: Job fields (batch/v1 JobSpec, PodSpec) from the Kubernetes API
// reference; serviceAccountName + automountServiceAccountToken from Oracle's
// "Granting Workloads Access to OCI Resources" (OKE); the Run Command
// request shape (target.instanceId, content.source TEXT, output TEXT) from
// the Compute Instance Agent API (CreateInstanceAgentCommandDetails).
import pkg from '../../../package.json' with { type: 'json' };

/** The version the Job and Run Command pin (npx dbiam-doctor@VERSION): the one that wrote them. */
export const DOCTOR_VERSION: string = pkg.version;

export interface WorkloadRunInput {
  namespace: string;
  serviceAccount: string;
  /** The doctor's flags for the run (--format json is added). */
  doctorArgs: string[];
  /** The doctor version to run (npx dbiam-doctor@VERSION). */
  version: string;
  region?: string;
}

/** The batch/v1 Job fields this manifest uses. */
export interface K8sJob {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        automountServiceAccountToken: boolean;
        restartPolicy: 'Never' | 'OnFailure';
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: {
          name: string;
          image: string;
          command: string[];
          args: string[];
          env: { name: string; value: string }[];
          securityContext: { allowPrivilegeEscalation: boolean };
        }[];
      };
    };
  };
}

export const JOB_NAME = 'dbiam-doctor';
/** The Node images run as user "node", uid 1000; Node 22 is within what the doctor supports. */
export const JOB_IMAGE = 'node:22-slim';

/** Kubernetes names: a namespace is an RFC 1123 label, a service account an RFC 1123 subdomain. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function workloadNameProblem(kind: 'namespace' | 'service account', name: string): string | undefined {
  const max = kind === 'namespace' ? 63 : 253;
  const parts = kind === 'namespace' ? [name] : name.split('.');
  if (name.length === 0 || name.length > max || !parts.every((p) => DNS_LABEL.test(p) && p.length <= 63)) {
    return `${kind} '${name}' is not a valid Kubernetes name (lower-case letters, digits and '-'${kind === 'namespace' ? '' : ", parts separated by '.'"}, at most ${max} characters)`;
  }
  return undefined;
}

/**
 * npx prints its own notices on standard error, and `kubectl logs` mixes both
 * streams: the wrapper keeps standard output pure JSON and shows standard error
 * only when the doctor did not run (exit above 1).
 */
const WRAPPER = 'npx --yes "dbiam-doctor@$DBIAM_DOCTOR_VERSION" "$@" 2>/tmp/dbiam-doctor.stderr; status=$?; [ "$status" -le 1 ] || cat /tmp/dbiam-doctor.stderr >&2; exit "$status"';

export function jobManifest(input: WorkloadRunInput): K8sJob {
  for (const [kind, name] of [['namespace', input.namespace], ['service account', input.serviceAccount]] as const) {
    const problem = workloadNameProblem(kind, name);
    if (problem) throw new Error(problem);
  }
  const labels = { 'app.kubernetes.io/name': 'dbiam-doctor' };
  const env = [
    { name: 'DBIAM_DOCTOR_VERSION', value: input.version },
    { name: 'OCI_CLI_AUTH', value: 'oke_workload_identity' },
    ...(input.region ? [{ name: 'OCI_RESOURCE_PRINCIPAL_REGION', value: input.region }] : []),
    { name: 'NPM_CONFIG_UPDATE_NOTIFIER', value: 'false' },
  ];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: JOB_NAME, namespace: input.namespace, labels },
    spec: {
      // One attempt: a retry would only repeat the same verdict, and the report of the first is what counts.
      backoffLimit: 0,
      activeDeadlineSeconds: 600,
      // Kept an hour so its log (the report) can be collected.
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: input.serviceAccount,
          automountServiceAccountToken: true,
          restartPolicy: 'Never',
          securityContext: { runAsNonRoot: true, runAsUser: 1000 },
          containers: [
            {
              name: 'dbiam-doctor',
              image: JOB_IMAGE,
              command: ['sh', '-c', WRAPPER, 'dbiam-doctor'],
              args: ['--format', 'json', ...input.doctorArgs],
              env,
              securityContext: { allowPrivilegeEscalation: false },
            },
          ],
        },
      },
    },
  };
}

/** Block YAML; every string double-quoted (a JSON string is a valid YAML double-quoted scalar). */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}[]\n`;
    return value
      .map((item) => {
        if (item !== null && typeof item === 'object') {
          const body = toYaml(item, `${indent}  `);
          return `${indent}- ${body.slice(indent.length + 2)}`;
        }
        return `${indent}- ${scalar(item)}\n`;
      })
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => {
        const key = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/.test(k) ? k : JSON.stringify(k);
        if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) return `${indent}${key}:\n${toYaml(v, Array.isArray(v) ? indent : `${indent}  `)}`;
        return `${indent}${key}: ${v !== null && typeof v === 'object' ? (Array.isArray(v) ? '[]' : '{}') : scalar(v)}\n`;
      })
      .join('');
  }
  return `${indent}${scalar(value)}\n`;
}

function scalar(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function jobManifestYaml(input: WorkloadRunInput): string {
  const ns = input.namespace;
  return [
    `# Runs dbiam-doctor once as service account ${input.serviceAccount} in namespace ${ns}: the OKE workload identity your pods have.`,
    `#   kubectl apply -f dbiam-doctor-job.yaml`,
    `#   until kubectl get -n ${ns} job/${JOB_NAME} -o jsonpath='{.status.succeeded}{.status.failed}' | grep -q 1; do sleep 5; done`,
    `#   mkdir -p reports && kubectl logs -n ${ns} job/${JOB_NAME} > reports/${ns}.${input.serviceAccount}.json`,
    `#   kubectl delete -n ${ns} job/${JOB_NAME}     # before running it again`,
    '#   npx dbiam-doctor summarize reports/',
    toYaml(jobManifest(input)),
  ].join('\n');
}

/**
 * A shell script that runs the doctor on an instance through Run Command (its
 * instance principal) and fetches the report. The output goes to Object Storage:
 * inline text output is cut short by the agent, and a report is tens of kilobytes.
 */
export function runCommandScript(input: { doctorArgs: string[]; version: string; compartmentOcid?: string; instanceOcid?: string }): string {
  const rest = input.doctorArgs.filter((a, i, all) => a !== '--auth' && all[i - 1] !== '--auth' && a !== '--format' && all[i - 1] !== '--format');
  const args = ['--auth', 'instance_principal', '--format', 'json', ...rest];
  const doctor = `npx --yes dbiam-doctor@${input.version} ${args.map(shellWord).join(' ')} 2>/tmp/dbiam-doctor.stderr`;
  return [
    '#!/bin/sh',
    '# Runs dbiam-doctor on an OCI instance as its instance principal, through Compute Run Command, and',
    '# keeps the JSON report as reports/<instance>.json. Needs: the Oracle Cloud Agent "Compute Instance Run',
    '# Command" plugin enabled on the instance, Node.js 20 or later there, a bucket for the output, and the',
    '# policies of Oracle\'s "Running Commands on an Instance" (to create commands, and for the instance to',
    '# write the output to the bucket).',
    'set -eu',
    `COMPARTMENT=${shellWord(input.compartmentOcid ?? '<compartment-ocid>')}`,
    `INSTANCE=${shellWord(input.instanceOcid ?? '<instance-ocid>')}`,
    "BUCKET='<bucket>'",
    'NAMESPACE=$(oci os ns get --query data --raw-output)',
    'OBJECT="dbiam-doctor/$INSTANCE.json"',
    `TEXT=${shellWord(doctor)}`,
    'CONTENT=$(printf \'{"source":{"sourceType":"TEXT","text":%s},"output":{"outputType":"OBJECT_STORAGE_TUPLE","bucketName":"%s","namespaceName":"%s","objectName":"%s"}}\' \\',
    '  "$(printf \'%s\' "$TEXT" | node -e \'process.stdin.on("data",d=>process.stdout.write(JSON.stringify(String(d))))\')" "$BUCKET" "$NAMESPACE" "$OBJECT")',
    'COMMAND=$(oci instance-agent command create --compartment-id "$COMPARTMENT" \\',
    '  --target "{\\"instanceId\\": \\"$INSTANCE\\"}" --content "$CONTENT" \\',
    '  --timeout-in-seconds 600 --display-name dbiam-doctor --query data.id --raw-output)',
    '# The execution is ACCEPTED, then IN_PROGRESS, then ends SUCCEEDED, FAILED, TIMED_OUT or CANCELED.',
    'while :; do',
    '  STATE=$(oci instance-agent command-execution get --command-id "$COMMAND" --instance-id "$INSTANCE" --query \'data."lifecycle-state"\' --raw-output)',
    '  case "$STATE" in ACCEPTED|IN_PROGRESS) sleep 10 ;; *) break ;; esac',
    'done',
    'mkdir -p reports',
    'oci os object get --bucket-name "$BUCKET" --name "$OBJECT" --file "reports/$INSTANCE.json"',
    'npx dbiam-doctor summarize reports/',
    '',
  ].join('\n');
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,.\/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The doctor's config (camelCase option keys) as the flags a run in another place needs. */
export function doctorArgsFromConfig(cfg: Record<string, unknown>, drop: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(cfg)) {
    if (drop.includes(key) || typeof value !== 'string') continue;
    out.push(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
  }
  return out;
}

/** Options that travel into the workload; local paths (profile, config file, TNS_ADMIN, CA files) do not. */
const TRAVELLING = ['region', 'dsn', 'adbId', 'scope', 'expectDbUser', 'mapping', 'walletSecretId', 'dbtoolsConnectionId', 'adminDbtoolsConnectionId'] as const;

export function doctorArgsFromOptions(options: Partial<Record<(typeof TRAVELLING)[number], string>> & { only?: string[]; skip?: string[] }): string[] {
  const cfg: Record<string, unknown> = {};
  for (const key of TRAVELLING) if (options[key] !== undefined) cfg[key] = options[key];
  const args = doctorArgsFromConfig(cfg);
  if (options.only?.length) args.push('--only', options.only.join(','));
  if (options.skip?.length) args.push('--skip', options.skip.join(','));
  return args;
}
