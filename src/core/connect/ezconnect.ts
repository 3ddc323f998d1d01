// EZConnect (Easy Connect Plus) as node-oracledb thin reads it:
//   [tcp|tcps://]host[,host…][:port][;host…][/service][:server][/instance][?k=v&k="v"]
// IPv6 hosts in brackets. Hosts without a port take the next port given in
// their group, else 1521. Resolved to the long descriptor form the driver builds.
import type { Position } from './nv.js';
import { unquote } from './descriptor.js';
import type { ConnectAddress, ConnectDetails, ConnectTarget } from './target.js';

export type EzResult =
  | { ok: true; target: Omit<ConnectTarget, 'source'>; details: Omit<ConnectDetails, 'kind'>; params: Record<string, string> }
  | { ok: false; message: string; at: Position };

/** Parameters that go to DESCRIPTION (as node-oracledb's resolver places them). */
const DESCRIPTION_PARAMS = ['ENABLE', 'FAILOVER', 'LOAD_BALANCE', 'RECV_BUF_SIZE', 'SEND_BUF_SIZE', 'SDU', 'SOURCE_ROUTE', 'RETRY_COUNT', 'RETRY_DELAY', 'CONNECT_TIMEOUT', 'TRANSPORT_CONNECT_TIMEOUT', 'RECV_TIMEOUT', 'USE_SNI', 'COMPRESSION'];
const SECURITY_PARAMS: Record<string, string> = {
  SSL_SERVER_DN_MATCH: 'SSL_SERVER_DN_MATCH',
  TLS_SERVER_DN_MATCH: 'SSL_SERVER_DN_MATCH',
  SSL_SERVER_CERT_DN: 'SSL_SERVER_CERT_DN',
  TLS_SERVER_CERT_DN: 'SSL_SERVER_CERT_DN',
  SSL_ALLOW_WEAK_DN_MATCH: 'SSL_ALLOW_WEAK_DN_MATCH',
  WALLET_LOCATION: 'MY_WALLET_DIRECTORY',
  MY_WALLET_DIRECTORY: 'MY_WALLET_DIRECTORY',
};
const MAX_LENGTH = 8192;
const MAX_HOSTS = 64;

class EzFail extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** True when the text looks like EZConnect rather than a descriptor or an alias. */
export function looksLikeEzConnect(text: string): boolean {
  const t = text.trim();
  return !t.startsWith('(') && /[/:?[\]]/.test(t);
}

export function parseEzConnect(input: string): EzResult {
  if (input.length > MAX_LENGTH) return { ok: false, message: `connect string is ${input.length} characters, more than ${MAX_LENGTH}`, at: { line: 1, column: 1 } };
  try {
    return parse(input);
  } catch (err) {
    if (err instanceof EzFail) return { ok: false, message: err.message, at: { line: 1, column: err.offset + 1 } };
    return { ok: false, message: String(err), at: { line: 1, column: 1 } };
  }
}

function parse(input: string): EzResult {
  if (/[\r\n]/.test(input.trim())) throw new EzFail('an EZConnect string is one line', input.search(/[\r\n]/));
  let pos = input.length - input.trimStart().length;
  const end = input.trimEnd().length;
  const fail = (message: string, at = pos): never => {
    throw new EzFail(message, at);
  };

  // Extended settings after '?'.
  const q = input.indexOf('?', pos);
  const params = q >= 0 && q < end ? parseParams(input, q + 1, end) : {};
  const main = q >= 0 && q < end ? q : end;

  let protocol: 'tcp' | 'tcps' = 'tcp';
  const scheme = /^([A-Za-z0-9]+):\/\//.exec(input.slice(pos, main));
  if (scheme) {
    const p = (scheme[1] as string).toLowerCase();
    if (p !== 'tcp' && p !== 'tcps') fail(`protocol '${scheme[1]}' is not supported by the thin drivers (use tcp or tcps)`);
    protocol = p as 'tcp' | 'tcps';
    pos += scheme[0].length;
  } else if (input.startsWith('//', pos)) {
    pos += 2;
  }

  // Host groups: ';' separates address lists, ',' hosts; a port applies to the hosts before it.
  const addresses: ConnectAddress[] = [];
  const groups: number[] = [];
  let pending: { host: string; at: number }[] = [];
  const flush = (port: number): void => {
    for (const h of pending) addresses.push({ host: h.host, port, protocol });
    pending = [];
  };
  while (pos < main) {
    const c = input[pos];
    if (c === '[') {
      const close = input.indexOf(']', pos);
      if (close < 0 || close > main) fail("'[' opens an IPv6 address that is never closed with ']'");
      const host = input.slice(pos + 1, close);
      if (!/^[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?$/.test(host) || !host.includes(':')) fail(`'${host}' is not an IPv6 address`, pos + 1);
      pending.push({ host, at: pos });
      pos = close + 1;
    } else {
      const m = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(input.slice(pos, main));
      if (!m) fail(c === undefined ? 'expected a host name' : `expected a host name, found '${c}'`);
      pending.push({ host: (m as RegExpExecArray)[0], at: pos });
      pos += (m as RegExpExecArray)[0].length;
    }
    if (pending.length + addresses.length > MAX_HOSTS) fail(`more than ${MAX_HOSTS} hosts`);
    if (input[pos] === ':' && /^\d/.test(input[pos + 1] ?? '')) {
      const pm = /^\d+/.exec(input.slice(pos + 1, main)) as RegExpExecArray;
      const after = input[pos + 1 + pm[0].length] ?? '';
      if (/[A-Za-z_.]/.test(after)) fail(`port must be a number, found '${/^[A-Za-z0-9_.]+/.exec(input.slice(pos + 1))?.[0]}'`, pos + 1);
      const port = Number(pm[0]);
      if (port < 1 || port > 65535) fail(`port must be from 1 to 65535, found ${pm[0]}`, pos + 1);
      pos += 1 + pm[0].length;
      flush(port);
    } else if (input[pos] === ':' && !/^(dedicated|shared|pooled)\b/i.test(input.slice(pos + 1, main))) {
      fail(`expected a port number after ':'`, pos + 1);
    }
    const sep = input[pos];
    if (sep === ',') {
      pos++;
      continue;
    }
    if (sep === ';') {
      flush(1521);
      groups.push(addresses.length);
      pos++;
      continue;
    }
    break;
  }
  flush(1521);
  if (addresses.length === 0) fail('no host in the connect string');

  let service: string | undefined;
  let server: string | undefined;
  let instance: string | undefined;
  if (input[pos] === '/') {
    pos++;
    const m = /^[A-Za-z0-9][A-Za-z0-9_.$#,-]*/.exec(input.slice(pos, main));
    if (!m && pos < main && input[pos] !== ':' && input[pos] !== '/') fail(`expected a service name after '/', found '${input[pos]}'`);
    if (m) {
      service = m[0];
      pos += m[0].length;
    }
  }
  if (input[pos] === ':') {
    const m = /^:(dedicated|shared|pooled)/i.exec(input.slice(pos, main));
    if (!m) fail(`expected :dedicated, :shared or :pooled after the service name`, pos + 1);
    server = (m as RegExpExecArray)[1];
    pos += (m as RegExpExecArray)[0].length;
  }
  if (input[pos] === '/' && service !== undefined) {
    pos++;
    const m = /^[A-Za-z0-9][A-Za-z0-9_]*/.exec(input.slice(pos, main));
    if (!m) fail('expected an instance name after the second /');
    instance = (m as RegExpExecArray)[0];
    pos += (m as RegExpExecArray)[0].length;
  }
  if (pos < main) fail(`unexpected '${input[pos]}'`);

  // The descriptor node-oracledb would build.
  const upper: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) upper[k.toUpperCase()] = v;
  const desc = DESCRIPTION_PARAMS.filter((k) => upper[k] !== undefined).map((k) => `(${k}=${upper[k]})`);
  const proxy = upper.HTTPS_PROXY ? `(HTTPS_PROXY=${upper.HTTPS_PROXY})${upper.HTTPS_PROXY_PORT ? `(HTTPS_PROXY_PORT=${upper.HTTPS_PROXY_PORT})` : ''}` : '';
  const addr = (a: ConnectAddress): string => `(ADDRESS=(PROTOCOL=${a.protocol.toUpperCase()})(HOST=${a.host})(PORT=${a.port})${proxy})`;
  let addressText: string;
  if (groups.length > 0) {
    const bounds = [0, ...groups.filter((g) => g < addresses.length), addresses.length];
    const lists: string[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const slice = addresses.slice(bounds[i], bounds[i + 1]);
      if (slice.length > 0) lists.push(`(ADDRESS_LIST=${slice.length > 1 ? '(LOAD_BALANCE=ON)' : ''}${slice.map(addr).join('')})`);
    }
    addressText = lists.join('');
  } else {
    if (addresses.length > 1) desc.unshift('(LOAD_BALANCE=ON)');
    addressText = addresses.map(addr).join('');
  }
  const connectData = `(CONNECT_DATA=(SERVICE_NAME=${service ?? ''})${server ? `(SERVER=${server})` : ''}${instance ? `(INSTANCE_NAME=${instance})` : ''})`;
  const security: string[] = [];
  const securityValues: Record<string, string> = {};
  if (protocol === 'tcps') {
    for (const [k, canonical] of Object.entries(SECURITY_PARAMS)) {
      const v = upper[k];
      if (v === undefined || securityValues[canonical] !== undefined) continue;
      securityValues[canonical] = v;
      security.push(`(${canonical}=${/[(),=\s]/.test(v) ? `"${v}"` : v})`);
    }
  }
  const descriptor = `(DESCRIPTION=${desc.join('')}${addressText}${connectData}${security.length ? `(SECURITY=${security.join('')})` : ''})`;
  const dnMatch = securityValues.SSL_SERVER_DN_MATCH;
  const certDn = securityValues.SSL_SERVER_CERT_DN;
  const retryCount = upper.RETRY_COUNT && /^\d+$/.test(upper.RETRY_COUNT) ? Number(upper.RETRY_COUNT) : undefined;
  const retryDelay = upper.RETRY_DELAY && /^\d+$/.test(upper.RETRY_DELAY) ? Number(upper.RETRY_DELAY) : undefined;
  return {
    ok: true,
    target: {
      descriptor,
      addresses,
      ...(service !== undefined ? { serviceName: service } : {}),
      ...(retryCount !== undefined ? { retry: { count: retryCount, ...(retryDelay !== undefined ? { delaySeconds: retryDelay } : {}) } } : {}),
      sslServerDnMatch: dnMatch === undefined ? true : ['yes', 'on', 'true'].includes(dnMatch.toLowerCase()),
      ...(certDn !== undefined && certDn !== '' ? { sslServerCertDn: unquote(certDn) } : {}),
      easyConnect: { sslServerDnMatch: dnMatch !== undefined, sslServerCertDn: certDn !== undefined && certDn !== '' },
    },
    details: {
      ...(retryCount !== undefined ? { retryCount } : {}),
      ...(retryDelay !== undefined ? { retryDelay } : {}),
      ...(upper.CONNECT_TIMEOUT ? { connectTimeout: upper.CONNECT_TIMEOUT } : {}),
      ...(upper.HTTPS_PROXY ? { httpsProxy: upper.HTTPS_PROXY } : {}),
      ...(securityValues.MY_WALLET_DIRECTORY ? { walletLocation: securityValues.MY_WALLET_DIRECTORY } : {}),
      unsupported: [],
    },
    params,
  };
}

/** `k=v&k2="v,=&2"`: blanks outside quotes ignored, as the driver does. */
function parseParams(input: string, start: number, end: number): Record<string, string> {
  const out: Record<string, string> = {};
  let key: string | undefined;
  let token = '';
  let tokenAt = start;
  for (let i = start; i < end; i++) {
    const c = input[i] as string;
    if (/\s/.test(c)) continue;
    if (c === '"') {
      const close = input.indexOf('"', i + 1);
      if (close < 0 || close >= end) throw new EzFail('unterminated double quote in the parameters', i);
      if (token === '') tokenAt = i;
      token += input.slice(i + 1, close);
      i = close;
    } else if (c === '=') {
      if (key !== undefined) throw new EzFail(`unexpected '=' in the value of '${key}' (quote values that contain '=')`, i);
      if (token === '') throw new EzFail("a parameter needs a name before '='", i);
      key = token;
      token = '';
    } else if (c === '&') {
      if (key === undefined) throw new EzFail(token === '' ? "empty parameter before '&'" : `parameter '${token}' has no '=value'`, token === '' ? i : tokenAt);
      out[key] = token;
      key = undefined;
      token = '';
    } else {
      if (token === '') tokenAt = i;
      token += c;
    }
  }
  if (key !== undefined) out[key] = token;
  else if (token !== '') throw new EzFail(`parameter '${token}' has no '=value'`, tokenAt);
  return out;
}
