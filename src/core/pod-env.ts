// Is the doctor running in a Kubernetes pod, and as which workload? Read from
// what Kubernetes gives every container: KUBERNETES_SERVICE_HOST/_PORT (and
// KUBERNETES_SERVICE_PORT_<NAME> for a named port, such as OKE's proxymux),
// HOSTNAME (the pod name), and the mounted service-account directory with
// `namespace` and `token`, whose `sub` claim is
// system:serviceaccount:<namespace>:<name>.
// Sources: https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
// https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/
// Pure: the caller reads the two files. The token is a credential: only its
// subject is read, never shown.
import { decodeJwt } from './jwt.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface PodFiles {
  /** Content of <dir>/namespace, when readable. */
  namespace?: string;
  /** Content of the token file, when readable. */
  token?: string;
  /** The token path read (OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH or the default). */
  tokenPath: string;
}

export interface PodFacts {
  namespace?: string;
  serviceAccount?: string;
  podName?: string;
  apiServer: string;
  /** host:port of the OKE proxymux, when the cluster's kubernetes service names that port. */
  proxymux?: string;
  tokenMounted: boolean;
}

/** Undefined when not in a pod (Kubernetes sets KUBERNETES_SERVICE_HOST in every container). */
export function podFacts(env: Readonly<Record<string, string | undefined>>, files: PodFiles): PodFacts | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host) return undefined;
  let namespace = files.namespace?.trim() || undefined;
  let serviceAccount: string | undefined;
  if (files.token !== undefined) {
    const decoded = decodeJwt(files.token);
    const sub = decoded.ok ? decoded.jwt.claims.sub : undefined;
    const m = typeof sub === 'string' ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(sub) : null;
    if (m) {
      namespace ??= m[1];
      serviceAccount = m[2];
    }
  }
  const proxymuxPort = env.KUBERNETES_SERVICE_PORT_PROXYMUX;
  return {
    ...(namespace ? { namespace } : {}),
    ...(serviceAccount ? { serviceAccount } : {}),
    ...(env.HOSTNAME ? { podName: env.HOSTNAME } : {}),
    apiServer: `${host}:${env.KUBERNETES_SERVICE_PORT ?? '?'}`,
    ...(proxymuxPort ? { proxymux: `${host}:${proxymuxPort}` } : {}),
    tokenMounted: files.token !== undefined,
  };
}

/** One line for a report: "pod api-7f9 in payments as service account api (token mounted; proxymux 10.96.0.1:12250)". */
export function describePod(p: PodFacts): string {
  const who = `${p.podName ? `pod ${p.podName}` : 'a pod'} in namespace ${p.namespace ?? '(unknown)'} as service account ${p.serviceAccount ?? '(unknown)'}`;
  const token = p.tokenMounted ? 'service-account token mounted' : 'no service-account token mounted';
  return `${who} (${token}; ${p.proxymux ? `proxymux ${p.proxymux}` : 'no KUBERNETES_SERVICE_PORT_PROXYMUX: not an OKE enhanced cluster with workload identity'})`;
}
