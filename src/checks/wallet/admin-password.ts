// The Database Tools admin setup logs on with a password kept in OCI Vault.
// Its state matters (a secret pending deletion breaks the connection); its
// content never does: the doctor reads the bundle, keeps nothing and shows
// nothing of it.
import { WHOAMI_DATA } from '../identity/whoami.js';
import type { DoctorCheck } from '../deps.js';
import { defineCodes, findingFrom } from '../finding.js';
import { strainFinding } from '../service-strain.js';
import type { WhoAmIData } from '../identity/whoami.js';

const codes = defineCodes({
  unusable: {
    code: 'secret.admin-password-unusable',
    severity: 'fail',
    meaning: "The Vault secret holding the Database Tools admin connection's password cannot be used: it is not active (pending deletion, deleted) or this principal may not read it.",
    fix: 'Cancel the deletion (or point the connection at a new secret), and allow the principal to read secret-bundles in its compartment.',
  },
});

export const adminPasswordSecretCheck: DoctorCheck = {
  id: 'secret.admin-password',
  title: 'Admin connection password in OCI Vault (state only)',
  category: 'wallet',
  dependsOn: ['identity.whoami'],
  timeoutMs: 15000,
  needsOciApi: true,
  codes: codes.list,
  async run({ deps, dataOf }) {
    const connectionId = deps.options.adminDbtoolsConnectionId;
    if (!connectionId) return { skipped: 'no --admin-dbtools-connection-id given', findings: [] };
    const who = dataOf(WHOAMI_DATA);
    if (!who) return { skipped: 'no signing identity (see Who am I)', findings: [] };
    const conn = await deps.facts.oci.dbToolsConnection(who.identity, connectionId);
    const connStrain = conn.ok ? undefined : strainFinding(conn, 'GetDatabaseToolsConnection (admin connection)');
    if (connStrain) return { summary: 'service strain', findings: [connStrain] };
    if (!conn.ok) return { skipped: `the admin connection cannot be read (${conn.status} ${conn.code}; see Database-side configuration)`, findings: [] };
    const secretId = conn.value.userPasswordSecretId;
    if (!secretId) return { skipped: 'the admin connection names no password secret', findings: [] };
    const evidence: Record<string, string> = { connection: `${conn.value.displayName} (${connectionId})`, 'password secret': secretId };
    const bundle = await deps.facts.oci.secretBundle(who.identity, secretId);
    if (!bundle.ok) {
      const strain = strainFinding(bundle, 'GetSecretBundle (admin password)');
      if (strain) return { summary: 'service strain', findings: [strain] };
      evidence.answer = `${bundle.status} ${bundle.code}: ${bundle.message}`;
      // Neither answer names the state (a secret pending deletion may answer 409 or 404): the command to look with reads it.
      const state = bundle.status === 409 ? 'is not active (409 IncorrectState)' : bundle.status === 404 ? 'cannot be read (missing, deleted or pending deletion, or no read secret-bundles policy)' : `cannot be read (${bundle.status} ${bundle.code})`;
      const stateCommand = `oci vault secret get --secret-id ${secretId} --query 'data."lifecycle-state"'`;
      const commands = bundle.status === 409 ? [`oci vault secret cancel-secret-deletion --secret-id ${secretId}`] : [];
      const inspect = bundle.status === 409 || bundle.status === 404 ? [stateCommand] : [];
      return { summary: 'unusable', findings: [findingFrom(codes.spec.unusable, { title: `The admin password secret ${state}`, evidence, commands, inspect })] };
    }
    // The password itself: registered so nothing can print it, then dropped.
    if (bundle.value.contentBase64) deps.secrets.add(Buffer.from(bundle.value.contentBase64, 'base64').toString('utf8'), 'admin password');
    deps.secrets.add(bundle.value.contentBase64, 'admin password');
    return { summary: `active (version ${bundle.value.versionNumber ?? '?'}, content not read out)`, findings: [] };
  },
};
