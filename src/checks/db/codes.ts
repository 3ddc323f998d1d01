// The codes of the last links: the identity query (direct and through
// Database Tools). Declared once here so the identity-query check lists them
// and the error explainer answers in the same words a live run uses.
import { defineCodes } from '../finding.js';
import { ENABLE_IAM_SQL } from '../../core/db-config.js';

export const DB_CODES = defineCodes({
  identityConfirmed: {
    code: 'db.identity-confirmed',
    severity: 'info',
    meaning: 'The identity query ran: the database saw the expected global user, authenticated by token (or IAM password).',
    fix: 'Nothing to fix; the evidence shows session user, authenticated identity, method and roles.',
  },
  logonDenied: {
    code: 'db.logon-denied',
    severity: 'fail',
    meaning: 'The database refused the logon (ORA-01017): it checked the token or IAM password but found no way to let this principal in.',
    fix: 'Look at the other findings of the run: a missing policy, no global user or role mapped to the principal, IAM authentication not enabled, a token scope that leaves the database out, or the wrong Database Username.',
  },
  externalAuthDisabled: {
    code: 'db.external-auth-disabled',
    severity: 'fail',
    meaning: 'The database does not accept OCI IAM identities: identity_provider_type is not OCI_IAM.',
    fix: `As ADMIN run ${ENABLE_IAM_SQL} and check identity_provider_type in V$PARAMETER.`,
  },
  noGlobalMapping: {
    code: 'db.no-global-mapping',
    severity: 'fail',
    meaning: 'No global user or global role in the database maps to this principal, its groups or its Database Username.',
    fix: "As ADMIN create the mapping (CREATE USER … IDENTIFIED GLOBALLY AS 'IAM_GROUP_NAME=…' or 'IAM_PRINCIPAL_NAME=…', or a global role) and grant CREATE SESSION.",
  },
  tokenInvalid: {
    code: 'db.token-invalid',
    severity: 'fail',
    meaning: 'The database rejected the DB token as invalid (ORA-25707): altered, cut short, issued for another key pair, or not a DB token at all.',
    fix: 'Request a fresh DB token and send it with the private key whose public key was in the request; never edit or re-encode the token.',
  },
  tokenExpired: {
    code: 'db.token-expired',
    severity: 'fail',
    meaning: 'The DB token had expired when it reached the driver or the database (NJS-087, DPY-2033, ORA-25708); DB tokens live about an hour.',
    fix: 'Fetch a new token for each new connection or pool (pass a function as accessToken), and check that the local clock is right.',
  },
  privateKeyInvalid: {
    code: 'db.private-key-invalid',
    severity: 'fail',
    meaning: 'The private key sent with the DB token is missing, unreadable, or not the one the token was issued for (ORA-25711).',
    fix: 'Send the PEM private key of the key pair whose public key was in the token request, together with that token.',
  },
  dnMatchRequired: {
    code: 'db.dn-match-required',
    severity: 'fail',
    meaning: 'Token authentication needs server DN matching switched on (ORA-25704), and the client switched it off.',
    fix: 'Leave DN matching on: sslServerDNMatch true (node-oracledb), ssl_server_dn_match=yes in the connect string, SSL_SERVER_DN_MATCH=TRUE in sqlnet.ora.',
  },
  serviceUnknown: {
    code: 'db.service-unknown',
    severity: 'fail',
    meaning: 'The listener does not know the service name or SID in the connect string (ORA-12514 / ORA-12505, NJS-518 / NJS-519).',
    fix: "Use a service from the database's own tnsnames.ora (<db>_high, _medium, _low, _tp, _tpurgent) and check the host is this database's.",
  },
  aclRejected: {
    code: 'db.acl-rejected',
    severity: 'fail',
    meaning: "The listener refused the connection (ORA-12506, rejected by service ACL filtering): the database's access control list does not include this client's address, or (seen on mutual-TLS connections) no client wallet was sent.",
    fix: "Add the client's public IP, CIDR or VCN to the database's access control list, or connect from a network already on it.",
  },
  connectTimeout: {
    code: 'db.connect-timeout',
    severity: 'fail',
    meaning: 'Connecting to the database did not finish in time (ORA-12170, NJS-510): nothing answered, or a firewall or proxy held the connection.',
    fix: 'Check that this network can reach the host and port (private endpoints need a VPN, bastion or Database Tools), then raise the connect timeout if the path is just slow.',
  },
  unexpectedUser: {
    code: 'db.unexpected-user',
    severity: 'warn',
    meaning: 'The connection worked, but the database mapped it to another user than expected.',
    fix: 'Check which mapping matched (exclusive IAM_PRINCIPAL_NAME mappings win over shared group mappings) and fix the mapping or the expectation.',
  },
  unexpectedMethod: {
    code: 'db.unexpected-method',
    severity: 'warn',
    meaning: 'The session was not authenticated as expected: the doctor expects TOKEN_GLOBAL for DB tokens (its own expectation; no document found lists the value) and PASSWORD_GLOBAL for IAM database passwords (seen in a public example).',
    fix: 'Connect with externalAuth and the DB token (or the IAM database password) rather than a local database password.',
  },
  broadRoles: {
    code: 'db.broad-roles',
    severity: 'warn',
    meaning: 'The session holds broad roles (DBA, PDB_DBA, SELECT_CATALOG_ROLE) that a read-only support mapping should not carry.',
    fix: 'Map the support group to a global role with only the grants it needs, and revoke the broad roles from the mapped user.',
  },
  driverConfigInvalid: {
    code: 'db.driver-config-invalid',
    severity: 'fail',
    meaning: 'The driver refused the token settings before contacting the database (NJS-084/085/086): token auth needs externalAuth, pools also homogeneous, and a well-formed token and key.',
    fix: 'Pass externalAuth: true and accessToken {token, privateKey} as strings; for a pool also homogeneous: true.',
  },
  dbtoolsNotTokenAuth: {
    code: 'dbtools.not-token-auth',
    severity: 'fail',
    meaning: 'The Database Tools connection does not authenticate with a token (its authentication type is not TOKEN), so IAM is not used.',
    fix: 'Create (or update) the connection with authentication type TOKEN and runtime identity AUTHENTICATED_PRINCIPAL.',
  },
  dbtoolsScopeMissing: {
    code: 'dbtools.scope-missing',
    severity: 'warn',
    meaning: 'The Database Tools connection has no iam.db.token.scope advanced property; the DB token it requests may not cover this database.',
    fix: 'Set the advanced property iam.db.token.scope to a scope that covers the database (for example urn:oracle:db::id::<compartment-ocid>).',
  },
  dbtoolsExternalAuthDisabled: {
    code: 'dbtools.external-auth-disabled',
    severity: 'fail',
    meaning: 'The Database Tools property set ORACLE_DATABASE_EXTERNAL_AUTHENTICATION does not name OCI_IAM as the identity provider.',
    fix: 'Set the property set ORACLE_DATABASE_EXTERNAL_AUTHENTICATION with identity provider OCI_IAM for the connection’s tenancy.',
  },
  dbtoolsValidateFailed: {
    code: 'dbtools.validate-failed',
    severity: 'fail',
    meaning: 'ValidateDatabaseToolsConnection failed: the service could not log in through the connection (its code, cause and action say why).',
    fix: 'Follow the cause and action the validation returned; an ORA- code there means the same as on the direct path.',
  },
});
