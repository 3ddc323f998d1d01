// Rules for errors whose text alone does not decide the cause, and for the
// client-side messages (CLI, SDKs, Terraform) that name it outright. They come
// first in the table: they are more specific than the generic rules after them.
// Where one error has several causes they are ranked, each with the one look
// that tells it apart; the run's own facts (wallet, port, versions) or the
// paste's (a version, the protocol) pick the order.
import { EXPLAIN_SPECS } from './codes.js';
import { KNOWN_BUGS, upgradeAdvice, versionHasBug, type ClientName, type KnownBug } from './known-bugs.js';
import { isPrivateAddress } from './signals.js';
import type { ExplainRule, Facts, RankedCause, RuleAnswer, RuleMatch } from './types.js';

const OCI_401 = ['oci:status:401', 'oci:code:NotAuthenticated', 'oci:msg:not-authenticated'];
const NNE = EXPLAIN_SPECS.nativeEncryption.code;
const BUG = EXPLAIN_SPECS.knownBug.code;
const POOL = EXPLAIN_SPECS.poolExhausted.code;
const NNE_TELL = 'As any user who can connect (thick client or SQL*Plus): SELECT network_service_banner FROM v$session_connect_info; an "Encryption service adapter" or "Crypto-checksumming service adapter" line means NNE is in use';
const MTLS_TELL = "oci db autonomous-database get --autonomous-database-id <adb-ocid> --query 'data.\"is-mtls-connection-required\"' (true: a wallet is required on port 1522)";
const ACL_TELL = "oci db autonomous-database get --autonomous-database-id <adb-ocid> --query 'data.\"whitelisted-ips\"' (is this network's public IP in the list?)";

function where(f: Facts): string {
  return f.host ? ` at ${f.host}${f.port ? `:${f.port}` : ''}` : '';
}

function evidenceOf(f: Facts, keys: ('host' | 'port' | 'protocol' | 'unresolvedHost' | 'missingFile' | 'rootCause')[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = f[k];
    if (v) out[k] = v;
  }
  for (const [client, v] of Object.entries(f.versions ?? {})) out[`${client} version`] = v;
  return out;
}

/** The port the connection went to: the run's own, else the paste's. */
function portOf(m: RuleMatch): number | undefined {
  const p = m.context.run?.port ?? (m.facts.port ? Number(m.facts.port) : undefined);
  return Number.isFinite(p) ? p : undefined;
}

/** The client version: the run's own, else the one the paste names. */
function versionOf(m: RuleMatch, client: ClientName): string | undefined {
  return m.context.run?.versions?.[client] ?? m.facts.versions?.[client];
}

const VERSION_TELL: Record<ClientName, string> = {
  'node-oracledb': "node -p \"require('oracledb').versionString\"",
  'python-oracledb': 'python -c "import oracledb; print(oracledb.__version__)"',
  'oci-cli': 'oci --version',
  'oci-typescript-sdk': 'npm ls oci-common; node --version',
};

function bugCause(bug: KnownBug, version: string | undefined): RankedCause {
  return {
    code: BUG,
    why: `${bug.client}${version ? ` ${version}` : ''}: ${bug.what}; ${upgradeAdvice(bug)} (${bug.source}).`,
    tell: `${VERSION_TELL[bug.client]} (is it in the broken range?)`,
  };
}

/** `causes` then the bug's own, the bug first when `version` is in its broken range. */
function withBug(causes: RankedCause[], bug: KnownBug, version: string | undefined): RankedCause[] {
  const all = [...causes, bugCause(bug, version)];
  return versionHasBug(bug, version) ? rank(all, (c) => c.code === BUG) : all;
}

/** Causes in the given order, the ones that `first` marks moved to the front. */
function rank(causes: RankedCause[], first: (c: RankedCause) => boolean): RankedCause[] {
  return [...causes.filter(first), ...causes.filter((c) => !first(c))];
}

export const RANKED_RULES: ExplainRule[] = [
  // ---- OCI CLI / SDK messages that name their cause -------------------------
  {
    id: 'oci-cli-services-bug',
    when: ['oci:cli-services-bug'],
    wraps: ['file:enoent'],
    emits: [BUG, 'identity.not-authenticated'],
    explain: (m) => ({
      code: BUG,
      title: "The OCI CLI hid the service's error behind FileNotFoundError … 'services'",
      cause: `${bugCause(KNOWN_BUGS.cliServices, versionOf(m, 'oci-cli')).why} Underneath, the service refused the request as unauthorized (401): the threads found a public key not uploaded to the user, a wrong tenancy OCID or fingerprint in the profile.`,
      commands: ['oci --version', 'oci setup repair-file-permissions --file ~/.oci/config'],
      related: ['identity.not-authenticated'],
      evidence: evidenceOf(m.facts, []),
    }),
  },
  {
    id: 'oci-cli-instance-principal-bug',
    when: ['oci:ip-signer-bug'],
    emits: [BUG],
    explain: (m) => ({
      code: BUG,
      title: "Instance-principal signing failed inside the OCI CLI ('_tenancy_id')",
      cause: bugCause(KNOWN_BUGS.cliInstancePrincipal, versionOf(m, 'oci-cli')).why,
      commands: ['oci --version', 'pip install --upgrade oci-cli'],
    }),
  },
  {
    id: 'oci-config-not-found',
    when: ['oci:config-not-found'],
    wraps: ['file:enoent', 'net:dns'],
    emits: ['config.file-missing'],
    explain: (m) => {
      const file = m.text.match(/Could not find config file at ([^\s,]+)/)?.[1];
      return {
        code: 'config.file-missing',
        title: `The OCI config file ${file ?? ''} does not exist`.replace('  ', ' '),
        cause: 'The SDK was asked to read an OCI config file (the default ~/.oci/config of the user the code runs as, or the path passed in) and there is none at that path. Nothing was sent to OCI.',
        commands: ['oci setup config', ...(file ? [`ls -l ${file}`] : [])],
        evidence: file ? { 'config file': file } : ({} as Record<string, string>),
      };
    },
  },
  {
    id: 'oci-clock-skew',
    when: ['oci:clock-skew'],
    wraps: OCI_401,
    emits: ['identity.clock-skew'],
    explain: (m) => {
      const date = m.text.match(/Date '([^']+)' is not within allowed clock skew/)?.[1];
      const current = m.text.match(/Current '([^']+)'/)?.[1];
      return {
        code: 'identity.clock-skew',
        title: "OCI refused the request: this machine's clock is off (401 clock skew)",
        cause: `The signed request carried the Date ${date ?? 'of this machine'}, but OCI's time was ${current ?? 'minutes away from it'}; OCI accepts only a few minutes of difference. Keys, policies and tokens are not the problem.`,
        commands: ['date -u', 'timedatectl set-ntp true'],
        evidence: Object.fromEntries([['request date', date], ['OCI time', current]].filter((e): e is [string, string] => e[1] !== undefined)),
      };
    },
  },
  {
    id: 'oci-cli-session-expired',
    when: ['oci:cli-session-expired'],
    emits: ['session.token-expired'],
    explain: () => ({
      code: 'session.token-expired',
      title: 'The CLI session (security token) of this profile has expired',
      cause: 'The profile authenticates with a session token from oci session authenticate, and the token is past its end. An expired session cannot be refreshed: log in again. Scripts that run the CLI hang on its re-authentication prompt.',
      commands: ['oci session authenticate --profile-name <profile> --region <region>', 'oci session validate --profile <profile> --local'],
    }),
  },
  {
    id: 'oci-session-profile-without-auth',
    when: ['oci:config-invalid', 'oci:config-user-missing'],
    emits: ['auth.mode-conflict', 'config.field-missing'],
    explain: () => ({
      code: 'auth.mode-conflict',
      title: 'The profile has no user: a session profile used with API-key auth',
      cause: 'Profiles written by oci session authenticate have a security_token_file and no user; API-key auth (the default) needs user and fails on it.',
      commands: ['oci iam region list --auth security_token --profile <profile>'],
      causes: [
        { code: 'auth.mode-conflict', why: 'the profile is a session profile, but the command signs with an API key (no --auth security_token, no auth = security_token in ~/.oci/oci_cli_rc)', tell: 'grep -A6 "^\\[<profile>\\]" ~/.oci/config | grep security_token_file' },
        { code: 'config.field-missing', why: 'an API-key profile that lacks its user OCID', tell: 'the user OCID from the Console (Profile → User settings) is missing from the profile' },
      ],
    }),
  },
  {
    id: 'oci-security-token-file-missing',
    when: ['oci:security-token-file'],
    emits: ['session.token-missing'],
    explain: () => ({
      code: 'session.token-missing',
      title: 'The profile has no session token (security_token_file)',
      cause: 'The code authenticates with a session token, and the profile names no security_token_file: no oci session authenticate was run for it.',
      commands: ['oci session authenticate --profile-name <profile> --region <region>'],
    }),
  },
  {
    id: 'oci-private-key-config',
    when: ['oci:private-key-config'],
    emits: ['key.file-missing', 'key.passphrase-missing', 'key.unreadable', 'key.passphrase-wrong'],
    explain: () => ({
      code: 'key.file-missing',
      title: 'The OCI provider found no usable private key in its configuration',
      cause: 'The SDK (Terraform provider, Go SDK) could not load a private key for signing.',
      causes: [
        { code: 'key.file-missing', why: 'no private_key / private_key_path set, or the path does not point at the key file (a relative path, another home directory)', tell: 'ls -l <private_key_path>' },
        { code: 'key.passphrase-missing', why: 'the key is encrypted and no private_key_password (pass_phrase) is given', tell: 'head -2 <key file>: ENCRYPTED means a pass phrase is needed' },
        { code: 'key.passphrase-wrong', why: 'the pass phrase given does not decrypt the key', tell: 'openssl pkey -in <key file> -noout (asks for the pass phrase)' },
        { code: 'key.unreadable', why: 'the file is not a PEM private key (a public key, a PuTTY key)', tell: 'head -1 <key file>' },
      ],
    }),
  },
  {
    id: 'oci-key-file-path-invalid',
    when: ['oci:key-file-path-invalid'],
    emits: ['key.file-missing'],
    explain: (m): RuleAnswer => {
      const value = m.text.match(/the key_file's value '([^'\n]*)'/)?.[1];
      return {
        code: 'key.file-missing',
        title: 'The profile’s key_file does not name a file',
        cause: `The SDK read key_file from the config file and found no file at that path${value ? `: '${value}'` : ''}; a template placeholder, quotes or a trailing comment make the value an impossible path.`,
        commands: ['grep -n "^key_file" ~/.oci/config', 'ls -l <the key_file path>'],
        ...(value ? { evidence: { key_file: value } } : {}),
      };
    },
  },
  {
    id: 'oci-profile-field-missing',
    when: ['oci:tenancy-config'],
    emits: ['config.field-missing', 'config.file-missing'],
    explain: (m) => {
      // The Go SDK's composing provider asks each source in turn (config files, environment) and says only that
      // none had the value: a file that is not where it looks reads the same as a file without the field.
      const filesListed = m.has('oci:go-config-files');
      const causes: RankedCause[] = [
        { code: 'config.field-missing', why: 'the provider block or profile it read lacks the value (in Terraform also: a resource that does not name an aliased provider gets a default provider with no settings)', tell: 'grep -v "^#" ~/.oci/config; in Terraform, check every resource names provider = oci.<alias> when the provider has an alias' },
        { code: 'config.file-missing', why: 'no config file at the path this process reads (another user or HOME, such as a service account)', tell: 'ls -l <each path the error lists, e.g. ~/.oci/config of the user the process runs as>' },
      ];
      const ranked = rank(causes, (c) => (filesListed ? c.code === 'config.file-missing' : c.code === 'config.field-missing'));
      return {
        code: ranked[0]?.code ?? 'config.field-missing',
        title: 'The OCI provider configuration lacks a required value',
        cause: 'The SDK (Terraform provider, Go SDK) found no tenancy, user, fingerprint or region in any source it read: variables, environment or a config file.',
        commands: ['grep -v "^#" ~/.oci/config'],
        ...(filesListed ? { causes: ranked } : {}),
      };
    },
  },
  {
    id: 'oke-proxymux-exchange',
    when: ['oci:proxymux-failed'],
    wraps: ['js:fetch-failed'],
    emits: ['identity.oke-exchange-failed', 'auth.oke-workload-incomplete', BUG],
    explain: (m) => {
      const causes: RankedCause[] = [
        { code: 'identity.oke-exchange-failed', why: "the call to the cluster's proxymux failed: not an enhanced cluster with workload identity, or the pod cannot reach KUBERNETES_SERVICE_HOST on the proxymux port", tell: 'kubectl exec <pod> -- sh -c \'echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_PROXYMUX\'' },
        { code: 'auth.oke-workload-incomplete', why: 'the pod lacks the service-account token or the proxymux variables', tell: 'kubectl exec <pod> -- ls /var/run/secrets/kubernetes.io/serviceaccount/token' },
        bugCause(KNOWN_BUGS.tsOkeNativeFetch, versionOf(m, 'oci-typescript-sdk')),
      ];
      // "fetch failed" is how Node's native fetch reports the TLS failure the SDK bug causes.
      const ranked = rank(causes, (c) => (m.has('js:fetch-failed') ? c.code === BUG : c.code === 'identity.oke-exchange-failed'));
      return {
        code: ranked[0]?.code ?? 'identity.oke-exchange-failed',
        title: "The pod's token could not be exchanged at the cluster's proxymux (OKE workload identity)",
        cause: 'OKE workload identity exchanges the service-account token for an OCI token at the cluster\'s proxymux; that call failed.',
        causes: ranked,
      };
    },
  },
  {
    id: 'oci-resource-principal-version',
    when: ['oci:rp-version-missing'],
    emits: ['auth.resource-principal-incomplete', 'auth.oke-workload-incomplete'],
    explain: (m) => {
      const oke = /OkeWorkload|workload identity/i.test(m.text);
      const causes: RankedCause[] = [
        { code: 'auth.oke-workload-incomplete', why: 'OKE workload identity: the Go SDK reads OCI_RESOURCE_PRINCIPAL_VERSION even here, and the pod does not set it (2.2)', tell: 'kubectl exec <pod> -- env | grep OCI_RESOURCE_PRINCIPAL' },
        { code: 'auth.resource-principal-incomplete', why: 'resource principal: the runtime did not inject its OCI_RESOURCE_PRINCIPAL_* variables', tell: 'env | grep OCI_RESOURCE_PRINCIPAL' },
      ];
      const ranked = rank(causes, (c) => (oke ? c.code === 'auth.oke-workload-incomplete' : c.code === 'auth.resource-principal-incomplete'));
      return {
        code: ranked[0]?.code ?? 'auth.resource-principal-incomplete',
        title: 'OCI_RESOURCE_PRINCIPAL_VERSION is not set',
        cause: 'The resource-principal (or OKE workload) provider needs OCI_RESOURCE_PRINCIPAL_VERSION in the environment.',
        commands: ['export OCI_RESOURCE_PRINCIPAL_VERSION=2.2'],
        causes: ranked,
      };
    },
  },
  {
    id: 'oci-region-not-ascii',
    when: ['host:non-ascii-region'],
    wraps: ['net:dns'],
    emits: ['config.region-unknown'],
    explain: (m) => ({
      code: 'config.region-unknown',
      title: 'The region contains a non-ASCII character, so its endpoint does not exist',
      cause: 'The endpoint host was built from a region typed with a character such as an em dash (—) instead of a hyphen; the resulting host name (punycode xn--…) does not resolve.',
      commands: ['grep -n region ~/.oci/config *.tf 2>/dev/null | LC_ALL=C grep -n -P "[^\\x00-\\x7F]"'],
      evidence: evidenceOf(m.facts, ['unresolvedHost']),
    }),
  },
  {
    id: 'federation-endpoint',
    when: ['host:auth'],
    whenAny: ['net:dns', 'net:timed-out', 'net:refused'],
    emits: ['identity.principal-federation-failed', 'identity.unreachable'],
    explain: (m) => ({
      code: 'identity.principal-federation-failed',
      title: `The federation endpoint ${m.facts.unresolvedHost ?? 'auth.<region>'} could not be reached`,
      cause: 'Instance and resource principals exchange their certificate for a token at the auth.<region> endpoint; this request never got an answer.',
      causes: [
        { code: 'identity.principal-federation-failed', why: 'the auth endpoint name does not resolve or is not reachable from here (DNS, egress rules, a proxy), or the SDK built it with the wrong realm domain (realms other than OC1 use other domains)', tell: `nslookup ${m.facts.unresolvedHost ?? 'auth.<region>.oraclecloud.com'}` },
        { code: 'identity.unreachable', why: 'no route to OCI at all from this network', tell: 'curl -sv https://auth.<region>.oraclecloud.com/ -o /dev/null' },
      ],
      evidence: evidenceOf(m.facts, ['unresolvedHost']),
    }),
  },
  {
    id: 'metadata-service',
    whenAny: ['host:imds', 'oci:instance-principal'],
    needsAny: ['net:timed-out', 'net:refused', 'net:no-route'],
    emits: ['auth.imds-unreachable', 'identity.principal-federation-failed'],
    explain: () => ({
      code: 'auth.imds-unreachable',
      title: 'The instance metadata service (169.254.169.254) did not answer',
      cause: 'Instance-principal auth first reads its identity certificate from the metadata service; the request timed out.',
      causes: [
        { code: 'auth.imds-unreachable', why: 'the code is not running on an OCI instance (a laptop, another cloud), or a firewall / container network blocks 169.254.169.254', tell: 'curl -s -m 5 -H "Authorization: Bearer Oracle" http://169.254.169.254/opc/v2/instance/region' },
        { code: 'identity.principal-federation-failed', why: 'the metadata service answered but the token exchange at auth.<region> timed out', tell: 'curl -sv -m 5 https://auth.<region>.oraclecloud.com/ -o /dev/null' },
      ],
    }),
  },
  {
    // An OCI SDK's HTTPS call that timed out (the auth. and metadata endpoints are read above): egress is blocked,
    // or the network only goes out through a proxy this client was not given.
    id: 'oci-api-timeout',
    when: ['net:timed-out', 'ctx:oci-api'],
    unless: ['ctx:oracle-client', 'host:imds', 'host:auth'],
    emits: ['net.tcp-timeout', 'env.proxy-not-applied'],
    explain: (m) => {
      const proxied = /\bproxy\b/i.test(m.text);
      const causes: RankedCause[] = [
        { code: 'net.tcp-timeout', why: 'nothing answers on the way to the OCI endpoint: a firewall or security list drops the traffic, or a private subnet has no NAT or service gateway', tell: 'curl -sv -m 10 https://<the endpoint in the error>/ -o /dev/null' },
        { code: 'env.proxy-not-applied', why: 'the network reaches OCI only through a proxy, and this client did not use it (the Java SDK takes its proxy from its own client configuration, not from the shell)', tell: 'env | grep -i _proxy; then the SDK client’s proxy settings' },
      ];
      const ranked = rank(causes, (c) => (proxied ? c.code === 'env.proxy-not-applied' : c.code === 'net.tcp-timeout'));
      return {
        code: ranked[0]?.code ?? 'net.tcp-timeout',
        title: 'The call to the OCI API endpoint timed out',
        cause: 'The SDK could not complete a connection to the OCI service endpoint in time.',
        causes: ranked,
      };
    },
  },
  // ---- Native network encryption ---------------------------------------------
  {
    id: 'native-network-encryption',
    whenAny: ['DPY-3001', 'ORA-12660', 'ORA-12599', 'net:native-encryption'],
    wraps: ['DPY-6000', 'DPY-6005', 'NJS-511', 'NJS-503', 'net:reset'],
    emits: [NNE],
    explain: (m) => ({
      code: NNE,
      title: 'The database requires Native Network Encryption, which this connection cannot use',
      cause: 'The server asks for Oracle Native Network Encryption or checksumming (ORA-12660 / ORA-12599, DPY-3001): thin drivers do not implement it, and IAM token logons need TLS instead. A thick client connects with a password, but not with a token over NNE.',
      commands: ['SELECT network_service_banner FROM v$session_connect_info;'],
      evidence: evidenceOf(m.facts, ['host', 'port']),
    }),
  },
  // ---- Listener rejections with several causes -------------------------------------
  {
    id: 'ora-12506',
    when: ['ORA-12506'],
    wraps: ['NJS-511', 'DPY-6000'],
    emits: ['tls.client-cert-required', 'db.acl-rejected'],
    explain: (m) => {
      const port = portOf(m);
      const mtls: RankedCause = { code: 'tls.client-cert-required', why: 'the database requires mutual TLS and the client presented no wallet (the commonest cause in the threads: no walletLocation / wallet_location / WALLET_LOCATION given)', tell: MTLS_TELL };
      const acl: RankedCause = { code: 'db.acl-rejected', why: "the database's access control list does not include the address this connection comes from", tell: ACL_TELL };
      // A wallet given, or one-way TLS on 1521, leaves the access list as the likelier cause.
      const aclFirst = m.context.run?.walletGiven === true || (port === 1521 && m.facts.protocol === 'TCPS');
      // A server that did not even ask for a client certificate does not require one.
      const causes = m.context.run?.clientCertRequested === false ? [acl] : aclFirst ? [acl, mtls] : [mtls, acl];
      return {
        code: causes[0]?.code ?? mtls.code,
        title: `The listener rejected the connection${where(m.facts)} (ORA-12506)`,
        cause: 'Autonomous Database answers ORA-12506 both when mutual TLS is required and no client certificate came, and when the client address is not on its access list.',
        commands: [MTLS_TELL.split(' (')[0] ?? '', ACL_TELL.split(' (')[0] ?? ''],
        causes,
        evidence: evidenceOf(m.facts, ['host', 'port', 'protocol']),
      };
    },
  },
  {
    id: 'njs-521',
    when: ['NJS-521'],
    wraps: ['NJS-500'],
    emits: [NNE, 'tls.client-cert-required', 'db.acl-rejected', BUG],
    explain: (m) => {
      const port = portOf(m);
      const version = versionOf(m, 'node-oracledb');
      const bug = KNOWN_BUGS.nodeFastAuth;
      const tls = port === 1522 || m.facts.protocol === 'TCPS';
      const nne: RankedCause = { code: NNE, why: 'a plain-TCP port of a database that requires Native Network Encryption: thin mode cannot speak NNE, so the server hangs up', tell: NNE_TELL };
      const mtls: RankedCause = { code: 'tls.client-cert-required', why: 'mutual TLS (port 1522) without a wallet the database accepts', tell: MTLS_TELL };
      const acl: RankedCause = { code: 'db.acl-rejected', why: 'an access list that drops this address', tell: ACL_TELL };
      const regression = bugCause(bug, version);
      let causes = tls ? [mtls, acl, regression] : [nne, regression, mtls];
      if (versionHasBug(bug, version) || (!version && m.has('db:23ai') && tls)) causes = rank(causes, (c) => c.code === BUG);
      return {
        code: causes[0]?.code ?? NNE,
        title: `The database closed the connection while it was being set up${where(m.facts)} (NJS-521)`,
        cause: 'node-oracledb read end-of-file before the logon completed: the server hung up. Which of the causes below depends on the port, the protocol and the driver version.',
        commands: [],
        causes,
        evidence: evidenceOf(m.facts, ['host', 'port', 'protocol']),
      };
    },
  },
  {
    id: 'connection-reset',
    whenAny: ['DPY-4011', 'net:reset'],
    needs: ['ctx:oracle-client'],
    unless: ['ORA-01017'],
    emits: [NNE, 'net.protocol-not-tcps'],
    explain: (m) => {
      const nne: RankedCause = { code: NNE, why: 'the database requires Native Network Encryption (python-oracledb 2 and earlier report it this way)', tell: NNE_TELL };
      const proto: RankedCause = { code: 'net.protocol-not-tcps', why: 'plain TCP spoken to a port that only accepts TLS (TCPS), or the reverse', tell: `openssl s_client -connect ${m.facts.host ?? '<host>'}:${m.facts.port ?? '<port>'} </dev/null (a certificate means the port speaks TLS)` };
      const version = versionOf(m, 'python-oracledb');
      // python-oracledb 3 reports NNE as DPY-3001; TCP to 1522 (TLS) points at the protocol.
      const protoFirst = (m.facts.protocol === 'TCP' && portOf(m) === 1522) || (version !== undefined && Number(version.split('.')[0]) >= 3);
      const causes = protoFirst ? [proto, nne] : [nne, proto];
      return {
        code: causes[0]?.code ?? NNE,
        title: `The database or the network closed the connection${where(m.facts)}`,
        cause: 'The server reset the connection while it was being set up.',
        causes,
        evidence: evidenceOf(m.facts, ['host', 'port', 'protocol']),
      };
    },
  },
  // ---- Connect strings ------------------------------------------------------------
  {
    id: 'dpy-4000',
    when: ['DPY-4000'],
    emits: ['connect.parse-error', 'connect.alias-not-found', BUG],
    explain: (m) => {
      const version = versionOf(m, 'python-oracledb');
      const bug = KNOWN_BUGS.pythonAliasList;
      const causes = withBug(
        [
          { code: 'connect.parse-error', why: 'tnsnames.ora has a syntax error before the alias (an unclosed parenthesis), so the thin parser never reaches the alias that SQL*Plus still finds', tell: 'compare the counts: grep -o "(" tnsnames.ora | wc -l; grep -o ")" tnsnames.ora | wc -l' },
          { code: 'connect.alias-not-found', why: 'the alias is not in the tnsnames.ora of the configuration directory used', tell: 'grep -in "^<alias>" "$TNS_ADMIN/tnsnames.ora"' },
        ],
        bug,
        version,
      );
      return {
        code: causes[0]?.code ?? 'connect.parse-error',
        title: 'python-oracledb did not find the alias in tnsnames.ora (DPY-4000)',
        cause: 'The dsn is an alias that the thin tnsnames.ora parser did not find.',
        causes,
      };
    },
  },
  {
    id: 'dpy-4027-url',
    when: ['DPY-4027', 'dsn:url'],
    emits: ['connect.parse-error', 'env.tns-admin-missing'],
    explain: () => ({
      code: 'connect.parse-error',
      title: 'The connection URL was read as a tnsnames alias (DPY-4027)',
      cause: 'The dsn arrived through a URL (SQLAlchemy and the like); a user name or password with special characters (@ : / # %) breaks the URL, and what is left of it looks like an alias to look up in tnsnames.ora.',
      causes: [
        { code: 'connect.parse-error', why: 'special characters in the credentials of the URL are not URL-encoded', tell: 'python -c "import urllib.parse; print(urllib.parse.quote_plus(\'<password>\'))" and use the encoded value' },
        { code: 'env.tns-admin-missing', why: 'the URL really names an alias and no configuration directory is set', tell: 'echo $TNS_ADMIN' },
      ],
    }),
  },
  {
    id: 'dpy-3008-in-band',
    when: ['DPY-3008', 'py:inband-12572'],
    wraps: ['DPY-6005'],
    emits: [BUG],
    explain: (m) => ({
      code: BUG,
      title: 'python-oracledb failed on an in-band notification while connecting (DPY-3008)',
      cause: bugCause(KNOWN_BUGS.pythonInBand, versionOf(m, 'python-oracledb')).why,
      commands: ['pip install --upgrade oracledb'],
    }),
  },
  {
    id: 'dpy-6002-known-bug',
    when: ['DPY-6002'],
    wraps: ['DPY-6005'],
    emits: [BUG, 'tls.dn-mismatch'],
    explain: (m) => {
      const version = versionOf(m, 'python-oracledb');
      const bug = KNOWN_BUGS.pythonDnMatch;
      const causes = withBug([{ code: 'tls.dn-mismatch', why: 'ssl_server_cert_dn is set and differs from the certificate subject (Autonomous Database certificates lost OU= in 2022)', tell: 'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -subject' }], bug, version);
      return {
        code: causes[0]?.code ?? 'tls.dn-mismatch',
        title: "The server certificate's DN does not match the expected DN (DPY-6002)",
        cause: 'python-oracledb compared the certificate subject with the DN it expects and found them different.',
        causes,
        evidence: { ...(m.facts.expectedDn ? { expectedDn: m.facts.expectedDn } : {}), ...evidenceOf(m.facts, ['host', 'port']) },
      };
    },
  },
  {
    id: 'dpy-6006-known-bug',
    when: ['DPY-6006'],
    wraps: ['DPY-6005'],
    emits: [BUG, 'tls.hostname-mismatch'],
    explain: (m) => {
      const version = versionOf(m, 'python-oracledb');
      const causes = withBug([{ code: 'tls.hostname-mismatch', why: 'neither the CN nor a Subject Alternative Name of the certificate names the host of the connect string (an IP address, a tunnel or private-endpoint alias)', tell: 'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -subject -ext subjectAltName' }], KNOWN_BUGS.pythonWildcardSan, version);
      return {
        code: causes[0]?.code ?? 'tls.hostname-mismatch',
        title: `The server certificate is not issued for ${m.facts.certName ?? 'the host name in the connect string'} (DPY-6006)`,
        cause: 'python-oracledb matched the host name of the connect string against the names on the certificate and found none equal.',
        causes,
        evidence: { ...(m.facts.certName ? { certName: m.facts.certName } : {}), ...evidenceOf(m.facts, ['host', 'port']) },
      };
    },
  },
  // ---- Pools, proxies, generic TLS verification ------------------------------------
  {
    id: 'pool-exhausted',
    whenAny: ['ORA-24418', 'pool:exhausted'],
    emits: [POOL],
    explain: () => ({
      code: POOL,
      title: 'The connection pool could not open another session (ORA-24418)',
      cause: 'Every session of the pool was in use.',
      causes: [
        { code: POOL, why: 'connections are not released (close() missing on some path, often after an error)', tell: 'log pool.connectionsInUse and pool.connectionsOpen over time: in-use that never falls means a leak' },
        { code: POOL, why: 'more concurrent requests than poolMax', tell: 'compare the peak concurrency with poolMax (and the thread pool size in thick mode)' },
      ],
    }),
  },
  {
    id: 'no-route-proxy',
    when: ['net:no-route'],
    unless: ['host:imds'],
    emits: ['env.proxy-not-applied', 'net.tcp-timeout'],
    explain: (m) => ({
      code: 'env.proxy-not-applied',
      title: 'No route to the host: this network only reaches out through a proxy, or not at all',
      cause: 'The connection could not even be routed.',
      causes: [
        { code: 'env.proxy-not-applied', why: 'the network reaches OCI only through a proxy and the client was given none', tell: 'env | grep -i _proxy' },
        { code: 'net.tcp-timeout', why: 'no route to the host from this network (VPN down, private address)', tell: `nc -vz -w 5 ${m.facts.host ?? '<host>'} ${m.facts.port ?? '443'}` },
      ],
    }),
  },
  {
    id: 'tls-verify-failed',
    when: ['tls:verify-failed'],
    unless: ['tls:untrusted-root', 'tls:self-signed-in-chain', 'tls:self-signed-leaf', 'tls:missing-intermediate', 'tls:expired', 'tls:not-yet-valid', 'tls:altname'],
    emits: ['tls.intercepted', 'tls.untrusted-root'],
    explain: (m) => {
      const proxied = /proxy|firewall|zscaler|inspect/i.test(m.text);
      const intercepted: RankedCause = { code: 'tls.intercepted', why: 'a TLS-inspecting proxy or firewall re-signs the connection with its own root, which this client does not trust', tell: 'openssl s_client -connect <host>:443 -showcerts </dev/null | grep "i:" (an issuer of your company, not DigiCert, means interception)' };
      const untrusted: RankedCause = { code: 'tls.untrusted-root', why: "the client's CA bundle lacks the CA that signs the server certificate", tell: 'python -c "import certifi; print(certifi.where())" and check that bundle' };
      const causes = proxied ? [intercepted, untrusted] : [untrusted, intercepted];
      return {
        code: causes[0]?.code ?? untrusted.code,
        title: 'The server certificate could not be verified',
        cause: 'The TLS handshake failed certificate verification.',
        causes,
      };
    },
  },
];

export function privateHostNote(f: Facts): string {
  return isPrivateAddress(f.host) ? ` ${f.host} is a private address: only a VPN, FastConnect, a bastion or a host inside the VCN reaches it, and the private endpoint's security list or NSG must allow the port.` : '';
}
