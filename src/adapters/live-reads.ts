// The adapters behind live-facts' reads of OCI, the metadata service, the
// database, OKE and python, in one module that live-facts loads on the first
// such read: a run that makes none (`--offline --only tls.chain`) does not
// load their code, nor node:https and node:child_process.
export { probeImds } from './imds.js';
export { getAutonomousDatabase } from './oci-database.js';
export { generateDbToken } from './oci-dbtoken.js';
export { executeSql, getDbToolsConnection, getExternalAuthProvider, validateDbToolsConnection } from './oci-dbtools.js';
export { compartmentAncestry, listCompartmentTree, listDynamicGroups, listPolicies, listUserGroups } from './oci-iam-reads.js';
export { readInstanceAttributes } from './oci-policy-targets.js';
export { getUser, instancePrincipalSession, retryState, serverDate, serviceBaseUrl } from './oci-sdk.js';
export { getSecretBundle } from './oci-secrets.js';
export { exchangeServiceAccountToken } from './oke-proxymux.js';
export { runAdminQueries, runIdentityQuery } from './oracle-db.js';
export { probePython } from './python-probe.js';
