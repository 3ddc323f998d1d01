// The explainer's table: which signals mean which broken link, answered in the
// finding codes the checks use, so a pasted error and a live run agree.
// Rules are tried in order; more specific rules come first. A rule fires when
// its signals are present and at least one of them is not yet accounted for.
import { privateHostNote, RANKED_RULES } from './table-ranked.js';
import type { ExplainRule, Facts, RankedCause, RuleAnswer, RuleMatch } from './types.js';

const ENABLE_IAM_SQL = "EXEC DBMS_CLOUD_ADMIN.ENABLE_EXTERNAL_AUTHENTICATION(type => 'OCI_IAM');";
const CHECK_IAM_SQL = "SELECT name, value FROM v$parameter WHERE name = 'identity_provider_type';";
const LIST_GLOBAL_USERS_SQL = "SELECT username, external_name FROM dba_users WHERE authentication_type = 'GLOBAL';";
const DOCTOR = "dbiam-doctor --dsn '<connect string>'";

function where(f: Facts): string {
  return f.host ? ` at ${f.host}${f.port ? `:${f.port}` : ''}` : '';
}

/** Host, port and the like as evidence, skipping what the text did not say. */
function evidence(f: Facts, keys: Exclude<keyof Facts, 'versions'>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = f[k];
    if (v) out[k] = v;
  }
  return out;
}

/** Why a connection can time out, most likely first for what the text shows (a private address, an ADB host). */
function timeoutCauses(code: string, m: RuleMatch): RankedCause[] {
  const nc = `nc -vz -w 5 ${m.facts.host ?? '<host>'} ${m.facts.port ?? '<port>'}`;
  const privateEndpoint: RankedCause = { code, why: 'a private endpoint or private address: reachable only through a VPN, FastConnect, a bastion or from inside the VCN, and its security list / NSG must allow the port (1521-1522)', tell: `${nc} from inside the VCN, then check the ingress rules of the endpoint's subnet` };
  const firewall: RankedCause = { code, why: 'a firewall, security list or NSG on the way drops the packets', tell: nc };
  const slow: RankedCause = { code, why: 'the path is only slow (a proxy, retries of a failover list): connectTimeout / transportConnectTimeout are too short', tell: 'time the connection with a longer timeout' };
  return m.facts.host && !/\.adb\./.test(m.facts.host) && !/^\d/.test(m.facts.host) ? [firewall, privateEndpoint, slow] : [privateEndpoint, firewall, slow];
}

function showChain(f: Facts): string[] {
  return f.host && f.port ? [`openssl s_client -connect ${f.host}:${f.port} -showcerts </dev/null`] : [];
}

/** The one-way TLS wallet node-oracledb needs to trust a private CA (it loads the wallet as key, certificate and CA). */
const ONE_WAY_WALLET = [
  'openssl req -x509 -newkey rsa:2048 -nodes -keyout throwaway.key -out throwaway.crt -days 365 -subj "/CN=client"',
  'cat throwaway.key throwaway.crt ca.pem > ewallet.pem',
];

const TLS_WRAPPERS = ['NJS-506', 'DPY-6005', 'NJS-503', 'ORA-29024', 'ORA-28860'];
const OCI_404 = ['oci:status:404', 'oci:code:NotAuthorizedOrNotFound', 'oci:msg:not-found'];
const OCI_401 = ['oci:status:401', 'oci:code:NotAuthenticated', 'oci:msg:not-authenticated'];

/** ORA-01017's causes, each tied to the codes of the run that point at it. */
interface LogonCause {
  codes: string[];
  cause: string;
  fix: string;
  commands: string[];
}

const LOGON_CAUSES: LogonCause[] = [
  {
    codes: ['policy.no-grant', 'policy.denied', 'policy.where-excludes-target', 'policy.subject-mismatch', 'policy.location-mismatch', 'policy.verb-too-weak', 'dg.no-match'],
    cause: 'No IAM policy lets this principal use database-connections on this database (this run found it); the database checks the policy when it verifies the token and answers only ORA-01017.',
    fix: 'Add or fix the policy as the policy finding of this run says (allow … to use database-connections …, with target.database.id for one database); policies apply within seconds, dynamic-group changes can take up to an hour.',
    commands: [],
  },
  {
    codes: ['dbuser.fallback-to-iam-name'],
    cause: 'The IAM user has no Database Username, so the database sees the IAM user name instead; a mapping written for another name does not match (this run found it).',
    fix: "Set the user's Database Username in the Console (Identity → Users → the user → Edit), or map the global user to the name the database really sees.",
    commands: [],
  },
  {
    codes: ['dbuser.mapping-mismatch', 'dbuser.not-in-mapped-group'],
    cause: "The global user's mapping does not name this principal: a group it is not in, or another principal name or OCID (this run found it).",
    fix: 'Add the user to the mapped group, or change the mapping to the right IAM_GROUP_NAME / IAM_PRINCIPAL_NAME / IAM_PRINCIPAL_OCID.',
    commands: [LIST_GLOBAL_USERS_SQL],
  },
  {
    codes: ['db.external-auth-disabled', 'dbtools.external-auth-disabled', 'dbconfig.external-auth-disabled'],
    cause: 'IAM authentication is not enabled on the database, so it cannot accept a token from OCI IAM at all (this run found it).',
    fix: 'As ADMIN enable OCI IAM as the external identity provider, then check identity_provider_type.',
    commands: [ENABLE_IAM_SQL, CHECK_IAM_SQL],
  },
  {
    codes: ['db.no-global-mapping', 'dbconfig.no-mapping-for-principal'],
    cause: 'No global user or role in the database maps to this principal or its groups (this run found it).',
    fix: 'As ADMIN create a global user (or global role) mapped to the IAM group or principal and grant it CREATE SESSION.',
    commands: ["CREATE USER app_user IDENTIFIED GLOBALLY AS 'IAM_GROUP_NAME=<group>';", 'GRANT CREATE SESSION TO app_user;'],
  },
  {
    codes: ['token.scope-excludes-database', 'token.scope-malformed'],
    cause: 'The DB token was requested with a scope that does not cover this database (this run found it), so the database does not accept it for a logon.',
    fix: 'Request the token with a scope that covers the database: urn:oracle:db::id::<compartment-ocid> or urn:oracle:db::id::<compartment-ocid>::<database-ocid>.',
    commands: [],
  },
  {
    codes: ['dbuser.no-db-password'],
    cause: 'On the IAM database password path, the IAM user has no database password (or may not use DB credentials), so the password cannot match (this run found it).',
    fix: 'Create the IAM database password for the user (Console: the user → Database passwords); repeated failures can lock the account for a while.',
    commands: [],
  },
];

function logonDenied(m: RuleMatch): RuleAnswer {
  const found = new Set(m.context.foundCodes ?? []);
  const hits = LOGON_CAUSES.map((c) => ({ c, codes: c.codes.filter((code) => found.has(code)) })).filter((h) => h.codes.length > 0);
  if (hits.length > 0) {
    return {
      code: 'db.logon-denied',
      title: 'The database refused the logon (ORA-01017)',
      cause: hits.map((h) => h.c.cause).join(' '),
      fixText: hits.map((h) => h.c.fix).join(' '),
      commands: hits.flatMap((h) => h.c.commands),
      related: hits.flatMap((h) => h.codes),
    };
  }
  return {
    code: 'db.logon-denied',
    title: 'The database refused the logon (ORA-01017)',
    cause:
      'With a DB token the database received and checked the token but could not let the principal in. In order of likelihood: no global user or role maps to the principal or its groups; IAM authentication is not enabled on the database; no IAM policy allows use database-connections on this database; the token scope leaves this database out; the IAM user has no Database Username and the mapping names another one. With a plain password it simply means a wrong user name or password.',
    fixText: 'Run the doctor against this database to tell these apart; as ADMIN you can check the provider and the global users directly.',
    commands: [DOCTOR, CHECK_IAM_SQL, LIST_GLOBAL_USERS_SQL],
    causes: [
      { code: 'db.logon-denied', why: 'with a plain password: a wrong user name or password', tell: 'the same user and password in SQL*Plus' },
      { code: 'db.no-global-mapping', why: 'no global user or role maps to the principal or its groups', tell: LIST_GLOBAL_USERS_SQL },
      { code: 'db.external-auth-disabled', why: 'IAM authentication is not enabled on the database', tell: CHECK_IAM_SQL },
      { code: 'policy.no-grant', why: 'no IAM policy allows use database-connections on this database', tell: DOCTOR },
      { code: 'token.scope-excludes-database', why: 'the token scope leaves this database out', tell: 'decode the token: its scope claim must cover the database or its compartment' },
      { code: 'dbuser.fallback-to-iam-name', why: 'the IAM user has no Database Username and the mapping names another one', tell: 'oci iam user get --user-id <ocid> --query data."db-user-name"' },
    ],
  };
}

/** ENOENT: which file is missing decides whose finding it is. */
function missingFile(m: RuleMatch): RuleAnswer {
  const file = m.facts.missingFile ?? '';
  const ev = evidence(m.facts, ['missingFile']);
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) || '/' : '';
  if (/ewallet\.pem$|cwallet\.sso$|ewallet\.p12$/.test(file) || m.has('DPY-2018')) {
    return {
      code: 'wallet.file-missing',
      title: `The wallet file ${file || 'ewallet.pem'} is missing`,
      cause: 'The driver looked for the wallet in the configured directory and the file is not there. Thin drivers (node-oracledb, python-oracledb) read ewallet.pem; thick clients read cwallet.sso.',
      fixText: 'Point walletLocation / wallet_location (or WALLET_LOCATION in sqlnet.ora) at the directory where the wallet zip was unpacked, with every file of the zip in it.',
      commands: dir ? [`ls -l ${dir}`] : [],
      evidence: ev,
    };
  }
  if (/tnsnames\.ora$|sqlnet\.ora$/.test(file)) {
    return {
      code: 'env.tns-admin-empty',
      title: `${file} is missing`,
      cause: 'The directory named by TNS_ADMIN (or configDir) has no tnsnames.ora, so the alias in the connect string cannot be resolved.',
      fixText: 'Point TNS_ADMIN at the directory where the wallet zip was unpacked.',
      commands: dir ? [`ls -l ${dir}`] : [],
      evidence: ev,
    };
  }
  if (/\.oci\/config$|[/\\]config$/.test(file)) {
    return {
      code: 'config.file-missing',
      title: `The OCI config file ${file} is missing`,
      cause: 'The code that asks OCI for the DB token reads an OCI config file that does not exist here.',
      fixText: 'Create the profile with oci setup config (or oci session authenticate), or point the code at the right file.',
      commands: ['oci setup config'],
      evidence: ev,
    };
  }
  if (/token/.test(file)) {
    return {
      code: 'session.token-missing',
      title: `The token file ${file} is missing`,
      cause: 'A session or DB token file named by the configuration does not exist.',
      fixText: 'Log in again to write a new session token (oci session authenticate), or fetch a new DB token (oci iam db-token get).',
      commands: [],
      evidence: ev,
    };
  }
  if (/\.pem$|\.key$/.test(file)) {
    return {
      code: 'key.file-missing',
      title: `The private key ${file} is missing`,
      cause: 'The code that signs the DB token request reads a private key file that does not exist here (often inside the accessToken callback, whose error node-oracledb reports as NJS-168).',
      fixText: 'Point key_file in the OCI profile at the private key whose public key is uploaded to the user.',
      commands: [],
      evidence: ev,
    };
  }
  return {
    code: 'explain.unknown-error',
    severity: 'warn',
    title: `A file is missing${file ? `: ${file}` : ''}`,
    cause: 'The error says a file does not exist, but not one the explainer can place on the IAM-to-database path.',
    fixText: 'Check the path in the error; run the doctor to see which link uses it.',
    commands: [DOCTOR],
    evidence: ev,
  };
}

export const EXPLAIN_TABLE: ExplainRule[] = [
  ...RANKED_RULES,
  // ---- TLS: the names and DNs the driver checks itself -------------------
  {
    id: 'njs-507',
    when: ['NJS-507'],
    wraps: ['NJS-506'],
    emits: ['tls.dn-mismatch'],
    explain: (m) => ({
      code: 'tls.dn-mismatch',
      title: `The server certificate's DN does not match the DN the client expects${where(m.facts)}`,
      cause: 'ssl_server_cert_dn (sslServerCertDN) is set and the certificate subject differs from it: every RDN must be equal, in the same number. Autonomous Database certificates lost their OU= in 2022, so hard-coded DNs with OU= stopped matching.',
      fixText: 'Remove ssl_server_cert_dn so the host name is matched instead, or copy the subject exactly from the certificate the server sends.',
      commands: m.facts.host && m.facts.port ? [`openssl s_client -connect ${m.facts.host}:${m.facts.port} </dev/null 2>/dev/null | openssl x509 -noout -subject`] : [],
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  {
    id: 'host-name-mismatch',
    whenAny: ['NJS-508', 'DPY-6006', 'tls:altname'],
    wraps: ['NJS-506', 'DPY-6005'],
    emits: ['tls.hostname-mismatch'],
    explain: (m) => ({
      code: 'tls.hostname-mismatch',
      title: `The server certificate is not issued for ${m.facts.certName ?? 'the host name in the connect string'}`,
      cause: 'The client matched the host name of the connect string against the certificate (no ssl_server_cert_dn set) and the certificate does not name it. Typical causes: connecting by IP address, or through a private endpoint or tunnel alias that the certificate does not list.',
      fixText: "Connect with the host name from the database's tnsnames.ora (or the private endpoint's FQDN), or set ssl_server_cert_dn to the certificate's exact subject.",
      commands: showChain(m.facts),
      evidence: evidence(m.facts, ['certName', 'host', 'port']),
    }),
  },
  // ---- TLS: the chain -------------------------------------------------------
  {
    id: 'tls-untrusted-root',
    when: ['tls:untrusted-root'],
    wraps: TLS_WRAPPERS,
    emits: ['tls.untrusted-root', 'tls.missing-intermediate'],
    explain: (m) => ({
      code: 'tls.untrusted-root',
      title: `The server's certificate chain does not lead to a root this client trusts${where(m.facts)}`,
      cause: 'The chain the server sent ends at a CA that is not in the trust source the client uses. With node-oracledb a wallet replaces the default roots; without one only Node’s bundled roots and NODE_EXTRA_CA_CERTS (read at start) count. A missing intermediate can look the same.',
      fixText: 'Trust the CA that issued the server certificate: the database wallet, NODE_EXTRA_CA_CERTS=/path/ca.pem before Node starts (no wallet), or for a private CA with node-oracledb a wallet PEM holding a throw-away key and certificate plus the CA.',
      commands: showChain(m.facts),
      causes: [
        {
          code: 'tls.untrusted-root',
          why: m.has('tls:pkix')
            ? "JDBC checked the chain against the JVM's default trust store: the wallet was not used (oraclepki.jar, osdt_core.jar and osdt_cert.jar missing from the classpath, or TNS_ADMIN / wallet_location not passed), or the server uses a private CA"
            : 'the chain ends at a CA that is not in the trust source this client uses',
          tell: m.has('tls:pkix') ? 'ls the classpath for oraclepki.jar osdt_core.jar osdt_cert.jar; check the URL passes TNS_ADMIN=<wallet dir>' : showChain(m.facts)[0] ?? 'openssl s_client -connect <host>:<port> -showcerts </dev/null',
        },
        { code: 'tls.missing-intermediate', why: 'the server does not send its intermediate certificate', tell: 'openssl s_client -connect <host>:<port> -showcerts </dev/null (count the certificates sent)' },
      ],
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  {
    id: 'tls-self-signed-in-chain',
    whenAny: ['tls:self-signed-in-chain', 'tls:self-signed-leaf'],
    wraps: TLS_WRAPPERS,
    emits: ['tls.self-signed-in-chain', 'tls.intercepted'],
    explain: (m) => ({
      code: 'tls.self-signed-in-chain',
      title: `The server sent a self-signed certificate this client does not trust${where(m.facts)}`,
      cause: 'The chain ends at a self-signed certificate the client does not know: a private CA, or a TLS-inspecting proxy (Zscaler and the like) that re-signs the connection with its own root.',
      fixText: 'If a proxy intercepts, exempt the database host from inspection; otherwise trust that root (wallet, or NODE_EXTRA_CA_CERTS before Node starts).',
      commands: showChain(m.facts),
      related: ['tls.intercepted'],
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  {
    id: 'tls-missing-intermediate',
    when: ['tls:missing-intermediate'],
    wraps: TLS_WRAPPERS,
    emits: ['tls.missing-intermediate'],
    explain: (m) => ({
      code: 'tls.missing-intermediate',
      title: `The server did not send the intermediate certificate${where(m.facts)}`,
      cause: 'The client could not link the server certificate to any CA it has: the intermediate CA certificate is neither sent by the server nor present in the trust source.',
      fixText: 'Add the intermediate (with its root) to the trust source the client uses, or fix the server to send its full chain.',
      commands: showChain(m.facts),
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  {
    id: 'tls-expired',
    when: ['tls:expired'],
    wraps: TLS_WRAPPERS,
    emits: ['tls.cert-expired'],
    explain: (m) => ({
      code: 'tls.cert-expired',
      title: `A certificate in the server's chain has expired${where(m.facts)}`,
      cause: "A certificate of the chain is past its end date by this machine's clock: the server (or an inspecting proxy) presents an old certificate, or the local clock is far off.",
      fixText: 'Check the local clock first; then renew or rotate the server certificate (for Autonomous Database, download a fresh wallet after a rotation).',
      commands: ['date -u', ...showChain(m.facts)],
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  {
    id: 'tls-not-yet-valid',
    when: ['tls:not-yet-valid'],
    wraps: TLS_WRAPPERS,
    emits: ['tls.cert-not-yet-valid'],
    explain: (m) => ({
      code: 'tls.cert-not-yet-valid',
      title: `A certificate in the server's chain is not valid yet${where(m.facts)}`,
      cause: "A certificate's start date is in the future by this machine's clock: almost always the local clock is behind.",
      fixText: 'Turn on time synchronisation and try again.',
      commands: ['date -u', 'timedatectl set-ntp true'],
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  // ---- Wallets --------------------------------------------------------------
  {
    id: 'bad-decrypt',
    when: ['tls:bad-decrypt'],
    wraps: ['NJS-505', 'NJS-168', 'DPY-6005'],
    emits: ['wallet.password-wrong', 'wallet.password-required', 'key.passphrase-wrong'],
    explain: (m) => {
      if (m.has('NJS-168') && !m.has('NJS-505')) {
        return {
          code: 'key.passphrase-wrong',
          title: 'The private key used for the DB token request could not be decrypted',
          cause: 'The accessToken callback failed (NJS-168) reading an encrypted private key: the pass phrase is wrong or missing.',
          fixText: 'Put the right pass_phrase in the OCI profile, or use an unencrypted key for the token request.',
        };
      }
      return {
        code: 'wallet.password-wrong',
        title: 'The wallet could not be decrypted with the wallet password given',
        cause: "The private key in ewallet.pem is encrypted and did not decrypt ('bad decrypt'): the wallet password is wrong, or none was given. It is the password chosen when the wallet was downloaded, not a database password.",
        fixText: 'Pass the wallet password as walletPassword (node-oracledb) or wallet_password (python-oracledb); if it is lost, download the wallet again with a new password.',
        commands: ['openssl pkey -in ewallet.pem -noout'],
        related: ['wallet.password-required'],
      };
    },
  },
  {
    id: 'njs-505-no-key',
    when: ['NJS-505', 'tls:decoder-unsupported'],
    emits: ['tls.untrusted-root', 'wallet.file-missing'],
    explain: () => ({
      code: 'tls.untrusted-root',
      title: 'The wallet content holds no private key, so node-oracledb cannot use it (a CA alone)',
      cause: "node-oracledb loads the wallet as key, certificate and CA at once; a wallet holding only a CA certificate fails before any byte is sent (DECODER routines::unsupported). It is usually an attempt to trust a private CA for one-way TLS — the same problem a live run reports as an untrusted root.",
      fixText: 'Give node-oracledb a wallet PEM made of a throw-away private key, its self-signed certificate and the CA chain (the server never asks for the client certificate on one-way TLS), or drop the wallet and set NODE_EXTRA_CA_CERTS before Node starts.',
      commands: ONE_WAY_WALLET,
      related: ['wallet.file-missing'],
    }),
  },
  {
    id: 'missing-file',
    whenAny: ['file:enoent', 'DPY-2018'],
    wraps: ['NJS-505', 'NJS-512', 'NJS-168', 'DPY-4026'],
    emits: ['wallet.file-missing', 'env.tns-admin-empty', 'config.file-missing', 'session.token-missing', 'key.file-missing', 'explain.unknown-error'],
    explain: missingFile,
  },
  {
    id: 'njs-529',
    when: ['NJS-529'],
    emits: ['wallet.file-missing'],
    explain: () => ({
      code: 'wallet.file-missing',
      title: 'The wallet content is not PEM: node-oracledb needs ewallet.pem',
      cause: 'walletContent must be the text of ewallet.pem; thin mode cannot read cwallet.sso, ewallet.p12, a Java keystore, or the base64 of the wallet zip.',
      fixText: 'Pass the content of ewallet.pem from the wallet zip (from Vault: store ewallet.pem itself, or decode and unzip the wallet first).',
    }),
  },
  {
    id: 'ora-28759',
    whenAny: ['ORA-28759', 'ORA-12578'],
    emits: ['wallet.location-mismatch', 'wallet.dir-missing', 'wallet.file-missing'],
    explain: () => ({
      code: 'wallet.location-mismatch',
      title: 'The Oracle Client could not open the wallet',
      cause: 'Thick clients read the wallet named by WALLET_LOCATION in sqlnet.ora; the directory there is not where the wallet is (the zip ships DIRECTORY="?/network/admin"), or cwallet.sso is missing from it.',
      fixText: 'Set WALLET_LOCATION (DIRECTORY=…) in sqlnet.ora to the unpacked wallet directory and point TNS_ADMIN at it.',
      commands: ['grep -i -A2 wallet_location "$TNS_ADMIN/sqlnet.ora"'],
      causes: [
        { code: 'wallet.location-mismatch', why: 'WALLET_LOCATION in sqlnet.ora still says DIRECTORY="?/network/admin" (as shipped) or another directory than the unpacked wallet', tell: 'grep -i -A2 wallet_location "$TNS_ADMIN/sqlnet.ora"' },
        { code: 'wallet.dir-missing', why: 'the directory exists nowhere, or the process may not read it (permissions of the files and of every parent directory)', tell: 'ls -ld <wallet dir> && ls -l <wallet dir>/cwallet.sso' },
        { code: 'wallet.file-missing', why: 'cwallet.sso is not in the directory', tell: 'ls <wallet dir>' },
      ],
    }),
  },
  {
    id: 'ora-29024',
    when: ['ORA-29024'],
    emits: ['tls.untrusted-root', 'tls.cert-expired', 'tls.missing-intermediate'],
    explain: (m) => ({
      code: 'tls.untrusted-root',
      title: "The Oracle Client could not validate the server's certificate (ORA-29024)",
      cause: 'The thick client verifies the server chain against the certificates in the wallet; the chain does not lead to one of them (a different database’s wallet, an inspecting proxy, a rotated CA) or a certificate has expired.',
      fixText: "Use this database's current wallet (download it again after a rotation); behind an inspecting proxy, exempt the database host.",
      commands: showChain(m.facts),
      causes: [
        { code: 'tls.untrusted-root', why: "the wallet's trusted certificates do not include the CA of the server certificate (another database's wallet, a rotated CA, an inspecting proxy)", tell: 'orapki wallet display -wallet <wallet dir>, compared with the issuer the server sends' },
        { code: 'tls.cert-expired', why: 'a certificate of the chain has expired', tell: 'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -dates' },
        { code: 'tls.missing-intermediate', why: 'the server does not send its intermediate and the wallet lacks it', tell: 'openssl s_client -connect <host>:<port> -showcerts </dev/null' },
      ],
    }),
  },
  {
    id: 'ora-28860',
    when: ['ORA-28860'],
    emits: ['tls.client-cert-required', 'net.protocol-not-tcps', 'tls.intercepted'],
    explain: () => ({
      code: 'tls.client-cert-required',
      title: 'The TLS session failed (ORA-28860)',
      cause: 'A fatal TLS error with no detail. On this path it is usually mutual TLS (port 1522) without a client certificate the database accepts, TCPS spoken to a port that does not speak TLS (or the reverse), or a proxy that intercepts the connection.',
      fixText: 'For port 1522 use the wallet of this database (cwallet.sso through WALLET_LOCATION), or enable one-way TLS on the database and use port 1521; check protocol=tcps matches the port.',
      related: ['net.protocol-not-tcps', 'tls.intercepted'],
    }),
  },
  // ---- Tokens and the logon -------------------------------------------------
  {
    id: 'ora-01017',
    when: ['ORA-01017'],
    wraps: ['DPY-4011'],
    emits: ['db.logon-denied', ...new Set(LOGON_CAUSES.flatMap((c) => c.codes))],
    explain: logonDenied,
  },
  {
    id: 'ora-01045',
    when: ['ORA-01045'],
    emits: ['db.logon-denied'],
    explain: (m) => ({
      code: 'db.logon-denied',
      title: `The mapped database user${m.facts.dbUser ? ` ${m.facts.dbUser}` : ''} may not create a session (ORA-01045)`,
      cause: 'The token was accepted and a global user matched, but that user (or the global role it gets) lacks the CREATE SESSION privilege.',
      fixText: 'As ADMIN grant CREATE SESSION to the global user (or to the global role mapped to the group).',
      commands: [`GRANT CREATE SESSION TO ${m.facts.dbUser ?? '<global user>'};`],
      evidence: evidence(m.facts, ['dbUser']),
    }),
  },
  {
    id: 'ora-25704',
    when: ['ORA-25704'],
    emits: ['db.dn-match-required'],
    explain: () => ({
      code: 'db.dn-match-required',
      title: 'Token authentication needs server DN matching on (ORA-25704)',
      cause: 'The database accepts a token only over TLS with the server certificate matched, and the client has DN matching switched off.',
      fixText: 'Leave DN matching on: do not set sslServerDNMatch: false (node-oracledb), use ssl_server_dn_match=yes in the connect string, SSL_SERVER_DN_MATCH=TRUE in sqlnet.ora for thick clients.',
    }),
  },
  {
    id: 'ora-25707',
    when: ['ORA-25707'],
    emits: ['db.token-invalid'],
    explain: () => ({
      code: 'db.token-invalid',
      title: 'The database rejected the DB token as invalid (ORA-25707)',
      cause: 'The token reached the database but did not verify: altered or cut short on the way, issued for another key pair than the private key sent with it, or not a DB token (a session token, an OAuth token).',
      fixText: 'Request a fresh DB token and pass it unchanged with the private key whose public key was in the request.',
      commands: ['oci iam db-token get'],
    }),
  },
  {
    id: 'token-expired',
    whenAny: ['ORA-25708', 'NJS-087', 'DPY-2033'],
    emits: ['db.token-expired'],
    explain: (m) => ({
      code: 'db.token-expired',
      title: 'The DB token has expired',
      cause: `${m.has('ORA-25708') ? 'The database' : 'The driver'} found the token past its expiry time (exp). DB tokens live about an hour; a token fetched once at start-up and reused, or a wrong local clock, ends here.`,
      fixText: 'Fetch a new token for each connection or pool: pass a function as accessToken (node-oracledb) or access_token (python-oracledb) that returns a fresh token; thick clients: run oci iam db-token get again.',
      commands: ['oci iam db-token get', 'date -u'],
    }),
  },
  {
    id: 'ora-25711',
    when: ['ORA-25711'],
    emits: ['db.private-key-invalid'],
    explain: () => ({
      code: 'db.private-key-invalid',
      title: 'The private key sent with the DB token is missing or invalid (ORA-25711)',
      cause: "The database could not verify the client's proof of possession: the private key was not sent, is not a PEM private key, or is not the key the token was issued for.",
      fixText: 'Send the PEM private key of the pair whose public key was in the token request, with that token; with oci iam db-token get, keep oci_db_key.pem and the token together.',
      commands: ['oci iam db-token get'],
    }),
  },
  {
    id: 'token-needs-tcps',
    whenAny: ['ORA-25700', 'DPY-2034'],
    emits: ['net.protocol-not-tcps'],
    explain: () => ({
      code: 'net.protocol-not-tcps',
      title: 'Token authentication needs a TLS (TCPS) connection',
      cause: 'The connect string uses plain TCP; the database accepts tokens only over TLS.',
      fixText: 'Use protocol TCPS: tcps://host:1522/service in Easy Connect, or (PROTOCOL=TCPS) in the descriptor (port 1521 for one-way TLS, 1522 for mutual TLS).',
    }),
  },
  {
    id: 'driver-token-config',
    whenAny: ['NJS-084', 'NJS-085', 'NJS-086'],
    emits: ['db.driver-config-invalid', 'db.token-invalid', 'db.private-key-invalid'],
    explain: (m) => ({
      code: 'db.driver-config-invalid',
      title: 'node-oracledb refused the token settings before connecting',
      cause: m.has('NJS-084')
        ? 'NJS-084: the accessToken given is not usable: the token is not a JWT string, or privateKey is not a string.'
        : m.has('NJS-085')
          ? 'NJS-085: a pool with a token needs both homogeneous: true and externalAuth: true.'
          : 'NJS-086: a standalone connection with a token needs externalAuth: true.',
      fixText: 'Connect with externalAuth: true and accessToken: {token, privateKey} (both strings, the key in PEM); pools also need homogeneous: true.',
      related: m.has('NJS-084') ? ['db.token-invalid', 'db.private-key-invalid'] : [],
    }),
  },
  // ---- The listener and the network ---------------------------------------
  {
    id: 'service-unknown',
    whenAny: ['NJS-518', 'NJS-519', 'ORA-12514', 'ORA-12505', 'DPY-6001', 'DPY-6003'],
    wraps: ['NJS-511', 'DPY-6000'],
    emits: ['db.service-unknown'],
    explain: (m) => ({
      code: 'db.service-unknown',
      title: `${m.facts.service ? `Service "${m.facts.service}"` : m.facts.sid ? `SID "${m.facts.sid}"` : 'The service'} is not registered with the listener${where(m.facts)}`,
      cause: "The listener answered but does not know the service name (or SID) of the connect string: a typo, another database's service, or a host that is not this database's.",
      fixText: "Use one of the services in the database's tnsnames.ora (<db>_high, _medium, _low, _tp, _tpurgent) with its host.",
      causes: [
        { code: 'db.service-unknown', why: "the service name (or SID) is misspelt, belongs to another database, or a service name was given as SID", tell: 'lsnrctl services on the server, or the SERVICE_NAME entries of the wallet\'s tnsnames.ora' },
        { code: 'db.service-unknown', why: 'the database has not (yet) registered the service with the listener: it is starting, stopped, or registers with another listener', tell: 'retry after a minute; lsnrctl status shows the registered services' },
      ],
      commands: ['grep -io "service_name=[^)]*" "$TNS_ADMIN/tnsnames.ora"'],
      evidence: evidence(m.facts, ['service', 'sid', 'host', 'port']),
    }),
  },
  {
    id: 'connect-timeout',
    whenAny: ['NJS-510', 'ORA-12170'],
    wraps: ['net:timed-out', 'NJS-503', 'DPY-6005'],
    emits: ['db.connect-timeout'],
    explain: (m) => ({
      code: 'db.connect-timeout',
      title: `Connecting${where(m.facts)} timed out${m.facts.timeoutName ? ` (${m.facts.timeoutName} of ${m.facts.timeoutSeconds ?? '?'} s)` : ''}`,
      cause: `Nothing completed the connection in time.${privateHostNote(m.facts)}`,
      fixText: 'Check that this network reaches the host and port; if the path is only slow, raise connectTimeout / transportConnectTimeout.',
      causes: timeoutCauses('db.connect-timeout', m),
      commands: m.facts.host && m.facts.port ? [`nc -vz -w 5 ${m.facts.host} ${m.facts.port}`] : [],
      evidence: evidence(m.facts, ['host', 'port', 'timeoutName', 'timeoutSeconds']),
    }),
  },
  {
    id: 'tcp-timeout',
    when: ['net:timed-out'],
    whenAny: ['NJS-503', 'DPY-6005'],
    emits: ['net.tcp-timeout'],
    explain: (m) => ({
      code: 'net.tcp-timeout',
      title: `The TCP connection${where(m.facts)} timed out`,
      cause: `No answer to the TCP connection attempt.${privateHostNote(m.facts)}`,
      fixText: 'Check routing and firewalls to the host and port (private endpoints need a VPN, bastion or Database Tools).',
      causes: timeoutCauses('net.tcp-timeout', m),
      commands: m.facts.host && m.facts.port ? [`nc -vz -w 5 ${m.facts.host} ${m.facts.port}`] : [],
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  {
    id: 'tcp-refused',
    whenAny: ['ORA-12541', 'net:refused'],
    wraps: ['NJS-503', 'DPY-6005'],
    emits: ['net.tcp-refused'],
    explain: (m) => ({
      code: 'net.tcp-refused',
      title: `Nothing listens${where(m.facts)}: the TCP connection was refused`,
      cause: 'The host answered but no listener accepts connections on that port: wrong port (1521 vs 1522), wrong host, or a local tunnel that is not running.',
      fixText: "Check host and port against the database's tnsnames.ora; if you use a tunnel or port forward, start it.",
      commands: m.facts.host && m.facts.port ? [`nc -vz -w 5 ${m.facts.host} ${m.facts.port}`] : [],
      evidence: evidence(m.facts, ['host', 'port']),
    }),
  },
  {
    id: 'dns-failed',
    whenAny: ['NJS-530', 'ORA-12545', 'net:dns'],
    wraps: ['NJS-503', 'DPY-6005', 'NJS-168'],
    emits: ['net.dns-failed'],
    explain: (m) => ({
      code: 'net.dns-failed',
      title: `The host name ${m.facts.unresolvedHost ?? 'in the connect string'} does not resolve`,
      cause: 'DNS has no address for the host name.',
      fixText: 'Check the host name; for a private endpoint, resolve it from inside the VCN or set up DNS forwarding to it.',
      causes: [
        { code: 'net.dns-failed', why: 'a typo in the host name (or a region that does not exist in an OCI endpoint)', tell: `nslookup ${m.facts.unresolvedHost ?? '<host>'}` },
        { code: 'net.dns-failed', why: 'a private endpoint name that resolves only inside the VCN or through its DNS forwarding', tell: `nslookup ${m.facts.unresolvedHost ?? '<host>'} from inside the VCN` },
        { code: 'net.dns-failed', why: "this machine's resolver is not working (no network, VPN DNS, container DNS)", tell: 'nslookup oracle.com' },
      ],
      commands: m.facts.unresolvedHost ? [`nslookup ${m.facts.unresolvedHost}`] : [],
      evidence: evidence(m.facts, ['unresolvedHost', 'host', 'port']),
    }),
  },
  {
    id: 'alias-not-found',
    whenAny: ['NJS-517', 'ORA-12154'],
    emits: ['connect.alias-not-found'],
    explain: () => ({
      code: 'connect.alias-not-found',
      title: 'The connect alias is not in tnsnames.ora',
      cause: 'The connect string is an alias, and the tnsnames.ora the client reads (TNS_ADMIN or configDir) does not define it.',
      fixText: 'Use an alias from the wallet’s tnsnames.ora (<db>_high, _medium, _low…), or point TNS_ADMIN at the directory of the right wallet.',
      commands: ['grep -o "^[A-Za-z0-9_]*" "$TNS_ADMIN/tnsnames.ora"'],
    }),
  },
  {
    id: 'no-config-dir',
    whenAny: ['NJS-516', 'DPY-4027', 'NJS-520', 'DPY-4026'],
    emits: ['env.tns-admin-missing', 'env.tns-admin-empty'],
    explain: (m) => ({
      code: m.has('NJS-520') || m.has('DPY-4026') ? 'env.tns-admin-empty' : 'env.tns-admin-missing',
      title: m.has('NJS-520') || m.has('DPY-4026') ? 'tnsnames.ora is not in the configuration directory (or cannot be read)' : 'No configuration directory to look up the alias in',
      cause: 'The connect string is an alias, and the client has no directory with tnsnames.ora to look it up in (TNS_ADMIN unset, or pointing elsewhere).',
      fixText: 'Set TNS_ADMIN (or configDir / config_dir) to the directory where the wallet zip was unpacked.',
    }),
  },
  // ---- OCI service errors -----------------------------------------------------
  {
    id: 'oci-401',
    whenAny: OCI_401,
    wraps: ['NJS-168'],
    emits: ['identity.not-authenticated', 'identity.clock-skew', 'key.fingerprint-mismatch', 'session.token-expired'],
    explain: (m) => ({
      code: 'identity.not-authenticated',
      title: 'OCI rejected the request signature (401 NotAuthenticated)',
      cause: 'OCI could not authenticate the signed request and, by design, does not say which part failed.',
      commands: ['openssl rsa -pubout -outform DER -in ~/.oci/oci_api_key.pem | openssl md5 -c', 'date -u'],
      causes: [
        { code: 'identity.not-authenticated', why: "the profile's user or tenancy OCID is wrong, or its API key is not uploaded to that user", tell: 'oci iam user api-key list --user-id <user-ocid> (is the fingerprint of the profile there?)' },
        { code: 'key.fingerprint-mismatch', why: "the profile's fingerprint is not the fingerprint of its key_file", tell: 'openssl rsa -pubout -outform DER -in <key_file> | openssl md5 -c' },
        { code: 'session.token-expired', why: 'a session (security_token) profile whose token has expired: log in again, an expired session cannot be refreshed', tell: 'oci session validate --profile <profile> --local' },
        { code: 'identity.clock-skew', why: "this machine's clock is more than 5 minutes off (OCI then says so in the message)", tell: 'date -u' },
      ],
      evidence: evidence(m.facts, ['operation', 'targetService', 'endpoint', 'opcRequestId']),
    }),
  },
  {
    id: 'oci-404-db-token',
    whenAny: OCI_404,
    // Only when the failed call was the DB token request, or happened inside the token callback.
    needsAny: ['oci:op:db-token', 'NJS-168'],
    wraps: ['NJS-168'],
    emits: ['token.scope-malformed', 'token.request-denied'],
    explain: (m) => ({
      code: 'token.scope-malformed',
      title: 'The DB token request was refused (404 NotAuthorizedOrNotFound)',
      cause: 'generateScopedAccessToken answers 404 when the scope is malformed or names a compartment or database OCID that does not exist or that the principal cannot see.',
      fixText: 'Use a scope of the form urn:oracle:db::id::<tenancy-or-compartment-ocid>[::<database-ocid>] with OCIDs from this tenancy.',
      causes: [
        { code: 'token.scope-malformed', why: 'the scope is not one of the urn:oracle:db::id:: forms (extra words, a wrong prefix)', tell: 'the scope must read urn:oracle:db::id::<ocid>[::<db-ocid>] and nothing else' },
        { code: 'token.request-denied', why: 'the OCIDs in the scope do not exist in this tenancy or region, or the principal may not see them', tell: 'oci iam compartment get --compartment-id <ocid-from-the-scope>' },
      ],
      evidence: evidence(m.facts, ['operation', 'targetService', 'endpoint', 'opcRequestId']),
    }),
  },
  {
    id: 'oci-404-user',
    whenAny: OCI_404,
    needs: ['oci:op:get-user'],
    emits: ['identity.not-found'],
    explain: (m) => ({
      code: 'identity.not-found',
      title: 'OCI cannot find the user (404 NotAuthorizedOrNotFound)',
      cause: "Reading the caller's own user failed: the user OCID in the profile is wrong, or it belongs to another tenancy or realm.",
      fixText: 'Check the user and tenancy OCIDs in the profile against the Console (Profile → User settings).',
      evidence: evidence(m.facts, ['operation', 'endpoint', 'opcRequestId']),
    }),
  },
  {
    id: 'oci-404-secret',
    whenAny: OCI_404,
    needs: ['oci:op:secret'],
    emits: ['policy.no-grant', 'secret.unreadable'],
    explain: (m) => ({
      code: 'policy.no-grant',
      title: 'Reading the secret was refused (404 NotAuthorizedOrNotFound)',
      cause: 'OCI hides what a caller may not read: no policy lets this principal read secret-bundles for the secret, or the secret OCID is wrong.',
      fixText: 'Grant read secret-bundles on the secret (or its vault / compartment) to the principal, and check the secret OCID.',
      causes: [
        { code: 'policy.no-grant', why: 'no policy lets this principal read secret-bundles of the secret', tell: "dbiam-doctor policy explain --policies policies.json --as group:<group> --need 'read secret-bundles' --in 'compartment <path>'" },
        { code: 'secret.unreadable', why: 'the secret OCID is wrong (another region or tenancy) or the secret was deleted', tell: 'oci vault secret get --secret-id <ocid>' },
      ],
      commands: ["dbiam-doctor policy explain --policies policies.json --as group:<group> --need 'read secret-bundles' --in 'compartment <path>'"],
      related: ['secret.unreadable'],
      evidence: evidence(m.facts, ['operation', 'endpoint', 'opcRequestId']),
    }),
  },
  {
    id: 'oci-404-dbtools',
    whenAny: OCI_404,
    needs: ['oci:op:dbtools'],
    emits: ['policy.no-grant'],
    explain: (m) => ({
      code: 'policy.no-grant',
      title: 'The Database Tools call was refused (404 NotAuthorizedOrNotFound)',
      cause: 'OCI hides what a caller may not use: no policy lets this principal use database-tools-connections, or the connection OCID is wrong.',
      fixText: 'Grant use database-tools-connections (and read on the secrets the connection uses) to the principal, and check the connection OCID.',
      commands: ["dbiam-doctor policy explain --policies policies.json --as group:<group> --need 'use database-tools-connections' --in 'compartment <path>'"],
      evidence: evidence(m.facts, ['operation', 'endpoint', 'opcRequestId']),
    }),
  },
  {
    id: 'oci-404',
    whenAny: OCI_404,
    emits: ['policy.no-grant', 'identity.not-found'],
    explain: (m) => ({
      code: 'policy.no-grant',
      title: 'OCI refused the request or cannot find the resource (404 NotAuthorizedOrNotFound)',
      cause: 'OCI gives the same answer for "no policy allows it" and "no such resource": a missing or too narrow policy for this principal, or a wrong OCID (another region, compartment or tenancy).',
      fixText: 'Check the OCID and region first; then check that a policy grants this principal the access the call needs.',
      causes: [
        { code: 'policy.no-grant', why: 'no policy grants this principal the access the call needs', tell: "dbiam-doctor policy explain --policies policies.json --as group:<group> --need '<verb> <resource-type>' --in 'compartment <path>'" },
        { code: 'identity.not-found', why: 'the OCID is wrong: another region, compartment or tenancy (or a stray character in it)', tell: 'oci search resource structured-search --query-text "query all resources where identifier = \'<ocid>\'"' },
      ],
      commands: ['oci iam policy list --compartment-id <tenancy-ocid> --all > policies.json', "dbiam-doctor policy explain --policies policies.json --as group:<group> --need '<verb> <resource-type>' --in 'compartment <path>'"],
      evidence: evidence(m.facts, ['operation', 'targetService', 'endpoint', 'opcRequestId']),
    }),
  },
];

