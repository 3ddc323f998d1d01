// Detecting the pod the doctor runs in, from what Kubernetes gives every
// container: KUBERNETES_SERVICE_HOST/_PORT, the named-port variable of OKE's
// proxymux, HOSTNAME, and the mounted service-account namespace and token
// (subject system:serviceaccount:<namespace>:<name>, per the Kubernetes docs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { podFacts } from '../../src/core/pod-env.js';
import { runCli } from '../helpers/cli.js';

/** An unsigned token with the claims a projected service-account token carries (a test canary, not a credential). */
function saToken(namespace: string, name: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'RS256', kid: 'test' })}.${part({ iss: 'https://kubernetes.default.svc', sub: `system:serviceaccount:${namespace}:${name}`, aud: ['https://kubernetes.default.svc'], iat: now, exp: now + 3600, 'kubernetes.io': { namespace, serviceaccount: { name } } })}.c2lnbmF0dXJlLWNhbmFyeQ`;
}

const POD_ENV = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_PROXYMUX: '12250', HOSTNAME: 'api-7f9c-x2' };

describe('podFacts', () => {
  it('outside Kubernetes: nothing', () => {
    expect(podFacts({ HOSTNAME: 'laptop' }, { tokenPath: '/x' })).toBeUndefined();
  });

  it('namespace from the mounted file, service account from the token subject, the pod from HOSTNAME', () => {
    expect(podFacts(POD_ENV, { tokenPath: '/t', namespace: 'payments\n', token: saToken('payments', 'api') })).toEqual({
      namespace: 'payments',
      serviceAccount: 'api',
      podName: 'api-7f9c-x2',
      apiServer: '10.96.0.1:443',
      proxymux: '10.96.0.1:12250',
      tokenMounted: true,
    });
  });

  it('no proxymux port, no token mounted (automountServiceAccountToken: false)', () => {
    const p = podFacts({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, { tokenPath: '/t', namespace: 'default' });
    expect(p).toEqual({ namespace: 'default', apiServer: '10.96.0.1:443', tokenMounted: false });
  });

  it('a token that is not a service-account JWT names no account', () => {
    expect(podFacts(POD_ENV, { tokenPath: '/t', token: 'not-a-jwt' })?.serviceAccount).toBeUndefined();
  });
});

describe('the doctor in a pod', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbiam-pod-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('auth.mode names the workload (namespace/service account) and diff can compare it', async () => {
    const token = saToken('payments', 'api');
    writeFileSync(join(dir, 'token'), token);
    const env = { ...POD_ENV, OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH: join(dir, 'token') };
    const out = await runCli(['--only', 'auth.mode', '--offline', '--format', 'json'], { env });
    const doc = JSON.parse(out.stdout) as { checks: { id: string; summary: string }[] };
    const summary = doc.checks.find((c) => c.id === 'auth.mode')?.summary;
    expect(summary).toMatch(/^oke_workload_identity \(.*\) · pod payments\/api$/);
    expect(out.stdout).not.toContain(token.split('.')[1]);

    // Without the proxymux variable the mode is not OKE's, and the failure says which pod it was.
    const { KUBERNETES_SERVICE_PORT_PROXYMUX: _dropped, ...basic } = env;
    const forced = await runCli(['--only', 'auth.mode', '--offline', '--format', 'json', '--auth', 'oke_workload_identity'], { env: basic });
    const fdoc = JSON.parse(forced.stdout) as { checks: { id: string; findings: { code: string; evidence: Record<string, string> }[] }[] };
    const finding = fdoc.checks.find((c) => c.id === 'auth.mode')?.findings.find((f) => f.code === 'auth.oke-workload-incomplete');
    expect(finding?.evidence['kubernetes pod']).toBe('pod api-7f9c-x2 in namespace payments as service account api (service-account token mounted; no KUBERNETES_SERVICE_PORT_PROXYMUX: not an OKE enhanced cluster with workload identity)');

    writeFileSync(join(dir, 'a.json'), out.stdout);
    writeFileSync(join(dir, 'b.json'), forced.stdout);
    const diff = await runCli(['diff', join(dir, 'a.json'), join(dir, 'b.json'), '--format', 'json']);
    const d = JSON.parse(diff.stdout) as { facts: { name: string; a?: string; b?: string }[]; verdict: { link: string } };
    expect(d.facts.find((f) => f.name === 'Kubernetes workload')).toMatchObject({ a: 'payments/api', b: 'payments/api' });
    expect(d.verdict.link).toBe('auth.mode');
  });
});
