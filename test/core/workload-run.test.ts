// The Kubernetes Job that runs the doctor as the workload, checked against the
// batch/v1 Job fields it relies on. The field lists and rules below are written
// by hand from the Kubernetes API reference (JobSpec, PodSpec, Container,
// EnvVar: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/)
// and the Jobs concept page (a Job's pod template may only use restartPolicy
// Never or OnFailure), and from Oracle's "Granting Workloads Access to OCI
// Resources" (serviceAccountName and automountServiceAccountToken: true).
import { describe, expect, it } from 'vitest';
import { jobManifest, jobManifestYaml, runCommandScript, toYaml, workloadNameProblem } from '../../src/core/setup/workload-run.js';
import { runCli } from '../helpers/cli.js';

const JOB_SPEC_FIELDS = ['activeDeadlineSeconds', 'backoffLimit', 'backoffLimitPerIndex', 'completionMode', 'completions', 'managedBy', 'manualSelector', 'maxFailedIndexes', 'parallelism', 'podFailurePolicy', 'podReplacementPolicy', 'selector', 'successPolicy', 'suspend', 'template', 'ttlSecondsAfterFinished'];
const OBJECT_META_FIELDS = ['name', 'generateName', 'namespace', 'labels', 'annotations'];
const POD_SPEC_FIELDS = ['activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'containers', 'dnsPolicy', 'enableServiceLinks', 'hostname', 'imagePullSecrets', 'initContainers', 'nodeSelector', 'priorityClassName', 'restartPolicy', 'securityContext', 'serviceAccountName', 'tolerations', 'volumes'];
const CONTAINER_FIELDS = ['args', 'command', 'env', 'envFrom', 'image', 'imagePullPolicy', 'name', 'resources', 'securityContext', 'volumeMounts', 'workingDir'];
const POD_SECURITY_FIELDS = ['fsGroup', 'runAsGroup', 'runAsNonRoot', 'runAsUser', 'seccompProfile', 'supplementalGroups'];
const CONTAINER_SECURITY_FIELDS = ['allowPrivilegeEscalation', 'capabilities', 'privileged', 'readOnlyRootFilesystem', 'runAsGroup', 'runAsNonRoot', 'runAsUser', 'seccompProfile'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Obj = Record<string, unknown>;
const keysWithin = (o: unknown, allowed: string[], at: string): void => {
  expect(o, at).toBeTypeOf('object');
  for (const k of Object.keys(o as Obj)) expect(allowed, `${at}.${k} is not a field of the Kubernetes type`).toContain(k);
};
const int32 = (v: unknown, min: number): boolean => Number.isInteger(v) && (v as number) >= min && (v as number) <= 2 ** 31 - 1;

/** Validates a manifest object against the Job fields the doctor uses. */
function validateJob(job: Obj): void {
  expect(job.apiVersion).toBe('batch/v1');
  expect(job.kind).toBe('Job');
  keysWithin(job, ['apiVersion', 'kind', 'metadata', 'spec'], 'Job');
  const meta = job.metadata as Obj;
  keysWithin(meta, OBJECT_META_FIELDS, 'metadata');
  expect(meta.name).toMatch(DNS_LABEL);
  expect((meta.name as string).length).toBeLessThanOrEqual(63);
  expect(meta.namespace).toMatch(DNS_LABEL);
  for (const v of Object.values(meta.labels as Obj)) expect(v).toBeTypeOf('string');
  const spec = job.spec as Obj;
  keysWithin(spec, JOB_SPEC_FIELDS, 'spec');
  expect(int32(spec.backoffLimit, 0)).toBe(true);
  expect(int32(spec.activeDeadlineSeconds, 1)).toBe(true);
  expect(int32(spec.ttlSecondsAfterFinished, 0)).toBe(true);
  const template = spec.template as Obj;
  keysWithin(template, ['metadata', 'spec'], 'spec.template');
  const pod = template.spec as Obj;
  keysWithin(pod, POD_SPEC_FIELDS, 'spec.template.spec');
  expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
  expect(pod.serviceAccountName).toBeTypeOf('string');
  expect(pod.automountServiceAccountToken).toBe(true);
  keysWithin(pod.securityContext, POD_SECURITY_FIELDS, 'spec.template.spec.securityContext');
  const containers = pod.containers as Obj[];
  expect(containers.length).toBeGreaterThan(0);
  for (const c of containers) {
    keysWithin(c, CONTAINER_FIELDS, 'container');
    expect(c.name).toMatch(DNS_LABEL);
    expect(c.image).toBeTypeOf('string');
    for (const list of [c.command, c.args]) expect((list as unknown[]).every((x) => typeof x === 'string')).toBe(true);
    for (const e of c.env as Obj[]) {
      keysWithin(e, ['name', 'value', 'valueFrom'], 'env');
      expect(e.name).toMatch(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/);
      expect(e.value).toBeTypeOf('string');
    }
    keysWithin(c.securityContext, CONTAINER_SECURITY_FIELDS, 'container.securityContext');
  }
}

const input = { namespace: 'finance', serviceAccount: 'financeserviceaccount', region: 'us-ashburn-1', version: '9.9.9', doctorArgs: ['--dsn', 'tcps://h:1522/s', '--expect-db-user', 'APP'] };

describe('the Kubernetes Job manifest', () => {
  it('holds only Job fields, with valid values', () => {
    validateJob(jobManifest(input) as unknown as Obj);
  });

  it('runs as the workload: its namespace, its service account, the token mounted, the OKE mode', () => {
    const job = jobManifest(input);
    expect(job.metadata.namespace).toBe('finance');
    const pod = job.spec.template.spec;
    expect(pod.serviceAccountName).toBe('financeserviceaccount');
    const c = pod.containers[0];
    expect(c?.args).toEqual(['--format', 'json', '--dsn', 'tcps://h:1522/s', '--expect-db-user', 'APP']);
    expect(c?.env).toContainEqual({ name: 'OCI_CLI_AUTH', value: 'oke_workload_identity' });
    expect(c?.env).toContainEqual({ name: 'DBIAM_DOCTOR_VERSION', value: '9.9.9' });
    // Standard output stays the JSON report: npx's notices on standard error go to a file.
    expect(c?.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c?.command[2]).toMatch(/^npx --yes "dbiam-doctor@\$DBIAM_DOCTOR_VERSION" "\$@" 2>\/tmp\//);
  });

  it('refuses names Kubernetes would refuse', () => {
    expect(workloadNameProblem('namespace', 'Finance')).toMatch(/not a valid Kubernetes name/);
    expect(workloadNameProblem('namespace', 'a'.repeat(64))).toMatch(/at most 63/);
    expect(workloadNameProblem('service account', 'app.sa-1')).toBeUndefined();
    expect(workloadNameProblem('service account', 'app_sa')).toMatch(/not a valid/);
    expect(() => jobManifest({ ...input, namespace: 'UPPER' })).toThrow(/namespace 'UPPER'/);
  });

  it('YAML: block style, strings double-quoted (hand-written expectation)', () => {
    expect(toYaml({ a: 'x', n: 0, b: true, l: ['p', 'q"r'], o: [{ k: 'v', m: 1 }], e: [], d: { 'x/y': 'z' } })).toBe(
      ['a: "x"', 'n: 0', 'b: true', 'l:', '- "p"', '- "q\\"r"', 'o:', '- k: "v"', '  m: 1', 'e: []', 'd:', '  x/y: "z"', ''].join('\n'),
    );
  });

  it('the YAML says how to collect the report where summarize reads it', () => {
    const yaml = jobManifestYaml(input);
    expect(yaml).toContain('kubectl logs -n finance job/dbiam-doctor > reports/finance.financeserviceaccount.json');
    expect(yaml).toContain('npx dbiam-doctor summarize reports/');
    expect(yaml).toContain('  namespace: "finance"\n');
    expect(yaml).toContain('      serviceAccountName: "financeserviceaccount"\n');
  });
});

describe('dbiam-doctor --print-job', () => {
  it('prints the Job with the flags of this run (local paths left out)', async () => {
    const out = await runCli(['--print-job', '--namespace', 'payments', '--service-account', 'api', '--dsn', 'mydb_high', '--tns-admin', '/home/me/wallet', '--region', 'eu-frankfurt-1']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('  namespace: "payments"');
    expect(out.stdout).toContain('serviceAccountName: "api"');
    expect(out.stdout).toContain('- "--dsn"\n        - "mydb_high"');
    expect(out.stdout).toContain('value: "eu-frankfurt-1"');
    expect(out.stdout).not.toContain('/home/me/wallet');
  });

  it('needs the namespace and service account, and valid ones (exit 2)', async () => {
    const missing = await runCli(['--print-job', '--namespace', 'payments']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/--print-job needs the workload's --namespace and --service-account/)]);
    const bad = await runCli(['--print-job', '--namespace', 'Payments', '--service-account', 'api']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/namespace 'Payments' is not a valid Kubernetes name/)]);
  });
});

describe('the Run Command script (instance principals)', () => {
  it('runs the doctor as the instance principal, output to Object Storage, then fetched for summarize', () => {
    const script = runCommandScript({ version: '9.9.9', doctorArgs: ['--auth', 'api_key', '--dsn', "it's"], instanceOcid: 'ocid1.instance.oc1..x' });
    expect(script).toContain(`TEXT='npx --yes dbiam-doctor@9.9.9 --auth instance_principal --format json --dsn '\\''it'\\''\\'\\'''\\''s'\\'' 2>/tmp/dbiam-doctor.stderr'`);
    expect(script).not.toContain('api_key');
    expect(script).toContain('"outputType":"OBJECT_STORAGE_TUPLE"');
    expect(script).toContain('oci instance-agent command create --compartment-id "$COMPARTMENT"');
    expect(script).toMatch(/case "\$STATE" in ACCEPTED\|IN_PROGRESS\) sleep 10 ;;/);
    expect(script).toContain('--file "reports/$INSTANCE.json"');
  });
});
