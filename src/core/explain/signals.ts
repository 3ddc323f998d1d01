// Reads pasted error text from any client (node-oracledb, python-oracledb,
// JDBC, SQL*Plus, the OCI CLI and SDKs) into signals and facts. Only shapes
// that the clients really print are matched; the table decides what they mean.
import { REALM_DOMAIN_PATTERN } from '../regions.js';
import type { ClientName } from './known-bugs.js';
import type { Facts, Signal } from './types.js';

/** Error codes as the clients print them: NJS-506, DPY-6005, ORA-01017, TNS-12506. Case matters: `ora-01017` in a help URL is not an error. */
const ERROR_CODE = /\b(NJS|DPY|DPI|ORA|TNS)-(\d{3,5})\b/g;

/**
 * Cause phrases: OpenSSL/Node, Python ssl, Java, socket and file errors, OCI
 * messages. Tokens are matched on word boundaries, so `ENOTFOUND` inside
 * `ConfigFileNotFound` is not a DNS failure.
 */
const PHRASES: { key: string; re: RegExp }[] = [
  { key: 'tls:untrusted-root', re: /unable to get local issuer certificate|\bUNABLE_TO_GET_ISSUER_CERT_LOCALLY\b|PKIX path building failed|unable to find valid certification path to requested target/gi },
  { key: 'tls:pkix', re: /PKIX path building failed|SunCertPathBuilderException/g },
  { key: 'tls:verify-failed', re: /certificate verify failed|\bCERTIFICATE_VERIFY_FAILED\b/gi },
  { key: 'tls:self-signed-in-chain', re: /self[- ]signed certificate in certificate chain|\bSELF_SIGNED_CERT_IN_CHAIN\b/gi },
  { key: 'tls:self-signed-leaf', re: /\bDEPTH_ZERO_SELF_SIGNED_CERT\b|\bself[- ]signed certificate\b(?! in certificate chain)/gi },
  { key: 'tls:missing-intermediate', re: /unable to verify the first certificate|\bUNABLE_TO_VERIFY_LEAF_SIGNATURE\b|unable to get issuer certificate\b/gi },
  { key: 'tls:expired', re: /certificate has expired|\bCERT_HAS_EXPIRED\b|\bCertificateExpiredException\b/gi },
  { key: 'tls:not-yet-valid', re: /certificate is not yet valid|\bCERT_NOT_YET_VALID\b|\bCertificateNotYetValidException\b/gi },
  { key: 'tls:altname', re: /\bERR_TLS_CERT_ALTNAME_INVALID\b|does not match certificate's altnames|Hostname mismatch, certificate is not valid for|No subject alternative (?:DNS )?names? matching|Certificate did not match expected hostname/gi },
  { key: 'tls:bad-decrypt', re: /\bbad decrypt\b/gi },
  { key: 'tls:decoder-unsupported', re: /DECODER routines::unsupported/gi },
  { key: 'net:timed-out', re: /\btimed out\b|\bETIMEDOUT\b|Connect timeout occurred/gi },
  { key: 'net:refused', re: /\bECONNREFUSED\b|\bConnection refused\b/gi },
  { key: 'net:reset', re: /\bConnection reset by peer\b|\bECONNRESET\b|forcibly closed by the remote host|\bConnectionResetError\b/gi },
  { key: 'net:no-route', re: /\bNo route to host\b|\bNetwork is unreachable\b|\bEHOSTUNREACH\b|\bENETUNREACH\b/gi },
  { key: 'net:dns', re: /\bENOTFOUND\b|\bEAI_AGAIN\b|\bgetaddrinfo\b|Name or service not known|nodename nor servname provided|\bUnknownHostException\b|Unknown host specified|: no such host\b|Temporary failure in name resolution/gi },
  { key: 'net:native-encryption', re: /Native Network Encryption|\bALLOW_WEAK_CRYPTO_CLIENTS\b/gi },
  { key: 'file:enoent', re: /\bENOENT: no such file or directory|No such file or directory/gi },
  { key: 'oci:msg:not-authenticated', re: /The required information to complete authentication was not provided or was incorrect/gi },
  { key: 'oci:msg:not-found', re: /Authorization failed or requested resource not found/gi },
  { key: 'oci:clock-skew', re: /is not within allowed clock skew/gi },
  { key: 'oci:cli-session-expired', re: /This CLI session has expired/gi },
  { key: 'oci:config-not-found', re: /\bConfigFileNotFound\b|Could not find config file at\b/g },
  { key: 'oci:cli-services-bug', re: /\bFileNotFoundError: \[(?:Errno 2|WinError 3)\][^\n]*'services'/g },
  { key: 'oci:config-invalid', re: /The config file at \S+ is invalid/g },
  { key: 'oci:config-user-missing', re: /\|\s*user\s*\|\s*missing\s*\|/g },
  { key: 'oci:security-token-file', re: /\[["']security_token_file["']\]/g },
  { key: 'oci:private-key-config', re: /did not find a proper configuration for private key/g },
  // The Python SDK / CLI checks key_file before signing: the value is not a path to a file (a template placeholder, a typo).
  { key: 'oci:key-file-path-invalid', re: /\bInvalidKeyFilePath\b|the key_file's value .{0,300}? must be a valid file path/g },
  { key: 'oci:tenancy-config', re: /did not find a proper configuration for (?:tenancy|user|fingerprint|region)/g },
  // The Go SDK's composing provider prints the files it tried: the file may simply not be there.
  { key: 'oci:go-config-files', re: /\bfileConfigurationProvider\) Configuration provided by file: /g },
  { key: 'oci:proxymux-failed', re: /Failed to (?:call Proxymux|get a RPST token from Proxymux)/g },
  { key: 'js:fetch-failed', re: /\bTypeError: fetch failed\b/g },
  { key: 'oci:rp-version-missing', re: /OCI_RESOURCE_PRINCIPAL_VERSION, not present/g },
  { key: 'oci:ip-signer-bug', re: /'InstancePrincipalsSecurityTokenSigner' object has no attribute '_tenancy_id'/g },
  { key: 'oci:instance-principal', re: /InstancePrincipal|instance_principal|Instance principals authentication/gi },
  // The metadata service itself, not "lookup … on 169.254.169.254:53" (the instance's DNS resolver).
  { key: 'host:imds', re: /169\.254\.169\.254(?!:53)|\/opc\/v[12]\//g },
  // In every realm: auth.<region>.<realm domain>.
  { key: 'host:auth', re: new RegExp(String.raw`\bauth\.[a-z0-9-]+\.${REALM_DOMAIN_PATTERN}\b|\/v1\/x509\b`, 'g') },
  // A region typed with a non-ASCII character (an em dash) becomes a punycode host.
  { key: 'host:non-ascii-region', re: new RegExp(String.raw`\bxn--[a-z0-9-]+\.${REALM_DOMAIN_PATTERN}\b|\.[a-z]{2}%E2%80%9[34]`, 'gi') },
  { key: 'pool:exhausted', re: /Cannot open further sessions/gi },
  { key: 'py:inband-12572', re: /in-band notification with error number 12572/g },
  { key: 'db:23ai', re: /\b(?:ADB-)?23ai\b|Database (?:version )?23\b/g },
  // The text comes from an Oracle database client (a reset there is the database's doing, not a web service's).
  { key: 'ctx:oracle-client', re: /\boracledb\b|\bcx_Oracle\b|oracle\.jdbc|\b(?:NJS|DPY|DPI|ORA|TNS)-\d{3,5}\b/g },
  // The text comes from an OCI SDK or CLI calling an OCI API endpoint (not a database driver).
  { key: 'ctx:oci-api', re: new RegExp(String.raw`\bcom\.oracle\.bmc\b|\boci\._vendor\b|Oracle-(?:Java|Python|Go|TypeScript|DotNet)SDK|https?:\/\/[a-z0-9.-]+\.oci\.${REALM_DOMAIN_PATTERN}|https?:\/\/(?:identity|objectstorage|database|iaas|containerengine)\.[a-z0-9-]+\.${REALM_DOMAIN_PATTERN}`, 'g') },
  { key: 'dsn:url', re: /sqlalche\.me|\boracle(?:\+oracledb|\+cx_oracle)?:\/\//gi },
  // Which OCI operation failed: a 404 means different things for each.
  { key: 'oci:op:db-token', re: /generateScopedAccessToken|generate_scoped_access_token|generate-scoped-access-token|db-token get|identity_data_plane/gi },
  { key: 'oci:op:secret', re: /get_secret_bundle|getSecretBundle|secretbundles|secret-bundle/gi },
  { key: 'oci:op:dbtools', re: /DatabaseToolsConnection|database_tools_connection|database-tools-connection|databasetools/gi },
  { key: 'oci:op:get-user', re: /\bget_user\b|\bgetUser\b|\bGetUser\b|\/users\/ocid1\.user\./g },
];

/** OCI service error statuses, in the forms the CLI, the SDKs and Terraform print. */
const OCI_STATUS: RegExp[] = [
  /["']?(?:status|statusCode|status_code)["']?\s*[:=]\s*(\d{3})\b/g,
  /http status code:?\s*(\d{3})\b/gi,
  /\((\d{3}),\s*[A-Z][A-Za-z]+,\s*(?:true|false)\)/g,
  /\b([45]\d\d)-[A-Z][A-Za-z]+\b/g,
];

/** OCI service error codes (NotAuthenticated…); quoted values only, so `"code": "ORA-01017"` is left to the ORA- reader. */
const OCI_CODE: RegExp[] = [
  /(?:["']code["']|\bserviceCode)\s*[:=]\s*["']([A-Z][A-Za-z]+)["']/g,
  /Service error:\s*([A-Z][A-Za-z]+)/g,
  /\((?:\d{3}),\s*([A-Z][A-Za-z]+),\s*(?:true|false)\)/g,
  /\b[45]\d\d-([A-Z][A-Za-z]+)\b/g,
  /\b(NotAuthenticated|NotAuthorizedOrNotFound)\b/g,
];

/** Strips colours and CRLF, and unescapes `\n` where a JSON-quoted message continues with a cause line. */
export function normaliseText(raw: string): string {
  return (
    raw
      .replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
      // Control characters of a binary paste would only break lines apart.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
      .replace(/\r\n?/g, '\n')
      .replace(/\\n(?=(?:NJS-|DPY-|ORA-|Cause|Help|unable|self|certificate|connect |getaddrinfo|error:|\[SSL|\s+at ))/g, '\n')
  );
}

function lineInfo(text: string): { lineOf(index: number): number; lines: string[] } {
  const lines = text.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  return {
    lines,
    lineOf(index: number): number {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= index) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

function codeKey(prefix: string, digits: string): string {
  // TNS-12506 is ORA-12506 printed by the network layer; ORA numbers are five digits.
  if (prefix === 'TNS' || prefix === 'ORA') return `ORA-${digits.padStart(5, '0')}`;
  return `${prefix}-${digits}`;
}

export function readSignals(text: string): Map<string, Signal[]> {
  const { lines, lineOf } = lineInfo(text);
  const out = new Map<string, Signal[]>();
  const add = (key: string, index: number, matched: string, isError: boolean): void => {
    const lineNo = lineOf(index);
    const list = out.get(key) ?? [];
    list.push({ key, index, lineNo, text: matched, line: (lines[lineNo] ?? '').trim(), isError });
    out.set(key, list);
  };
  for (const m of text.matchAll(ERROR_CODE)) add(codeKey(m[1] ?? '', m[2] ?? ''), m.index, m[0], true);
  for (const { key, re } of PHRASES) for (const m of text.matchAll(re)) add(key, m.index, m[0], false);
  for (const re of OCI_STATUS) {
    for (const m of text.matchAll(re)) {
      const status = Number(m[1]);
      // Only failures: a pasted success or an unrelated "status: 200" is not an error.
      if (status >= 400 && status < 600) add(`oci:status:${status}`, m.index, m[0], true);
    }
  }
  for (const re of OCI_CODE) for (const m of text.matchAll(re)) add(`oci:code:${m[1] ?? ''}`, m.index, m[1] ?? '', false);
  for (const list of out.values()) list.sort((a, b) => a.index - b.index);
  return out;
}

function first(text: string, patterns: RegExp[]): RegExpMatchArray | undefined {
  for (const re of patterns) {
    const m = text.match(re);
    if (m) return m;
  }
  return undefined;
}

/** The first line after `index`'s line that is not a stack frame or blank: the cause a wrapper carries. */
export function causeLineAfter(text: string, index: number): string | undefined {
  const rest = text.slice(index).split('\n').slice(1);
  for (const raw of rest) {
    const l = raw.trim();
    if (l === '' || /^at\s/.test(l) || /^\^+$/.test(l) || /^File "/.test(l)) continue;
    return l.replace(/^Cause:\s*/, '');
  }
  return undefined;
}

export function readFacts(text: string): Facts {
  const facts: Facts = {};
  const hostPort = first(text, [/\bhost "?([^\s"]+?)"? port (\d+)/, /\(HOST\s*=\s*([^)\s]+)\)\s*\(PORT\s*=\s*(\d+)\)/i, /\bconnect (?:ECONNREFUSED|ETIMEDOUT) ([0-9a-fA-F.:]+):(\d+)/]);
  if (hostPort) {
    facts.host = hostPort[1];
    facts.port = hostPort[2];
  } else {
    // ADB descriptors write the port before the host.
    const portHost = text.match(/\(PORT\s*=\s*(\d+)\)\s*\(HOST\s*=\s*([^)\s]+)\)/i);
    if (portHost) {
      facts.port = portHost[1];
      facts.host = portHost[2];
    }
  }
  const service = text.match(/Service "?([^"\s]+)"? is not registered/);
  if (service) facts.service = service[1];
  const sid = text.match(/SID "?([^"\s]+)"? is not registered/);
  if (sid) facts.sid = sid[1];
  const timeout = text.match(/exceeded "([^"]+)" of (\d+) seconds/);
  if (timeout) {
    facts.timeoutName = timeout[1];
    facts.timeoutSeconds = timeout[2];
  }
  const certName = first(text, [/invalid certificate\. (\S+)\s+not present in certificate/, /name on the server certificate does not match the expected value: "([^"]+)"/, /Hostname mismatch, certificate is not valid for '([^']+)'/, /Host: (\S+?)\. is not in the cert's altnames/]);
  if (certName) facts.certName = certName[1];
  const dn = text.match(/distinguished name \(DN\) on the server certificate does not match the expected value: ([^\n]+)/);
  if (dn) facts.expectedDn = (dn[1] ?? '').trim();
  const missing = first(text, [/ENOENT: no such file or directory, (?:open|stat|scandir|lstat) '([^']+)'/, /No such file or directory: '([^']+)'/, /wallet file (\S+) was not found/]);
  if (missing) facts.missingFile = missing[1];
  const dbUser = text.match(/user (\S+) lacks CREATE SESSION/);
  if (dbUser) facts.dbUser = dbUser[1];
  const unresolved = first(text, [/getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (\S+)/, /\blookup (\S+?)(?: on \S+)?: no such host/, /host='([^']+)'[^\n]*Temporary failure in name resolution/]);
  if (unresolved) facts.unresolvedHost = unresolved[1];

  const versions = readVersions(text);
  if (Object.keys(versions).length > 0) facts.versions = versions;
  const protocol = first(text, [/\(PROTOCOL\s*=\s*(TCPS?)\s*\)/i, /\b(tcps):\/\//i]);
  if (protocol) facts.protocol = (protocol[1] ?? '').toUpperCase();
  const root = rootCauseOf(text);
  if (root) facts.rootCause = root;

  const wrapper = text.match(/\b(?:NJS-50[3-6]|NJS-512|DPY-6005|DPY-4011)\b[^\n]*/);
  if (wrapper?.index !== undefined) facts.causeLine = causeLineAfter(text, wrapper.index);

  const request = first(text, [/["']?opc-request-id["']?\s*[:=]\s*["']?([^"',\s}]+)/i, /opcRequestId:\s*'([^']+)'/, /opc request id:\s*(\S+)/i]);
  if (request) facts.opcRequestId = request[1];
  const operation = first(text, [/["']?operation_name["']?\s*:\s*["']([^"']+)/, /operationName:\s*'([^']+)'/]);
  if (operation) facts.operation = operation[1];
  const target = first(text, [/["']?target_service["']?\s*:\s*["']([^"']+)/, /targetService:\s*'([^']+)'/]);
  if (target) facts.targetService = target[1];
  const endpoint = first(text, [/["']?request_endpoint["']?\s*:\s*["']([^"']+)/, /requestEndpoint:\s*'([^']+)'/]);
  if (endpoint) facts.endpoint = endpoint[1];
  return facts;
}

const VERSION_PATTERNS: [ClientName, RegExp[]][] = [
  ['node-oracledb', [/\boracledb@(\d+\.\d+\.\d+)/, /\bnode-oracledb\b[^\n\d]{0,12}v?(\d+\.\d+(?:\.\d+)?)/i, /\boracle-node-(\d+\.\d+)/i, /"oracledb":\s*"[\^~]?(\d+\.\d+\.\d+)"/, /versionString:?\s*`?'?(\d+\.\d+\.\d+)/]],
  ['python-oracledb', [/\boracledb\.__version__:?\s*'?(\d+\.\d+\.\d+)/, /\bpython-oracledb[ =]{1,3}v?(\d+\.\d+\.\d+)/i, /\boracledb==(\d+\.\d+\.\d+)/]],
  ['oci-cli', [/Oracle-PythonCLI\/(\d+\.\d+\.\d+)/, /\boci (?:-v|--version)\s*\n\s*(\d+\.\d+\.\d+)/, /\boci-cli v?(\d+\.\d+\.\d+)/i]],
];

/** Client versions the paste names (a run's own versions come in through the context). */
export function readVersions(text: string): Partial<Record<ClientName, string>> {
  const out: Partial<Record<ClientName, string>> = {};
  for (const [client, patterns] of VERSION_PATTERNS) {
    const m = first(text, patterns);
    if (m?.[1]) out[client] = m[1];
  }
  return out;
}

/**
 * The innermost error of a chain: the last `Caused by:` of a Java stack, or
 * the last exception line of a Python traceback (the one that matters most).
 */
export function rootCauseOf(text: string): string | undefined {
  const causedBy = [...text.matchAll(/^[ \t]*Caused by:[ \t]*(.+)$/gm)];
  if (causedBy.length > 0) return causedBy[causedBy.length - 1]?.[1]?.trim();
  if (!/Traceback \(most recent call last\)/.test(text)) return undefined;
  const lines = text.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i] ?? '';
    if (/^[A-Za-z_][\w.]*(?:Error|Exception|Found|Warning|Expired|Invalid)\w*:\s/.test(l)) return l;
  }
  return undefined;
}

/** True for an address of a private network (RFC 1918, or a unique-local IPv6 one): reachable only from inside. */
export function isPrivateAddress(host: string | undefined): boolean {
  if (!host) return false;
  const v4 = host.match(/^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  return /^f[cd][0-9a-f]{2}:/i.test(host);
}

/** Which clients printed the text, from the shapes only they produce. */
export function detectClients(text: string): string[] {
  const clients: [string, RegExp][] = [
    ['node-oracledb', /\bNJS-\d{3}\b|node_modules\/oracledb/],
    ['python-oracledb', /\bDPY-\d{4}\b|\bDPI-\d{4}\b|oracledb\.exceptions/],
    ['JDBC', /java\.sql\.|oracle\.jdbc|oracle\.net\.ns|SQLRecoverableException/],
    ['SQL*Plus', /^ERROR:\s*$|SQL\*Plus|^SP2-\d{4}/m],
    ['OCI CLI', /^ServiceError:|Oracle-PythonCLI/m],
    ['OCI SDK', /Oracle-(?:TypeScript|Python|Java|Go|DotNet)SDK|OciError|oci\.exceptions\.ServiceError|com\.oracle\.bmc|Service error:/],
    ['Oracle Client libraries (thick)', /\bORA-(?:28759|29024|28860)\b|\bTNS-\d{5}\b/],
  ];
  return clients.filter(([, re]) => re.test(text)).map(([name]) => name);
}
