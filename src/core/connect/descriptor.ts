// A full connect descriptor: DESCRIPTION_LIST / DESCRIPTION, ADDRESS and
// ADDRESS_LIST (any nesting), CONNECT_DATA, SECURITY, RETRY_COUNT… into a
// ConnectTarget, with every problem located.
import { child, childrenOf, findAll, nvTrue, parseNvDescriptor, renderNv, type NvNode, type Position } from './nv.js';
import type { ConnectAddress, ConnectDetails, ConnectTarget } from './target.js';

export type DescriptorResult =
  | { ok: true; target: Omit<ConnectTarget, 'source'>; details: Omit<ConnectDetails, 'kind'> }
  | { ok: false; message: string; at: Position };

const DEFAULT_PORT = 1521;

export function parseDescriptor(text: string): DescriptorResult {
  const parsed = parseNvDescriptor(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message, at: parsed.error.at };
  return descriptorFromNode(parsed.value);
}

/** Removes one pair of surrounding quotes (values inside an atom keep theirs). */
export function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0] ? t.slice(1, -1) : t;
}

export function descriptorFromNode(root: NvNode): DescriptorResult {
  const top = root.key;
  if (top !== 'DESCRIPTION' && top !== 'DESCRIPTION_LIST') {
    return { ok: false, message: `a connect descriptor starts with DESCRIPTION (or DESCRIPTION_LIST), found '${root.name}'`, at: root.at };
  }
  const descriptions = top === 'DESCRIPTION' ? [root] : childrenOf(root, 'DESCRIPTION');
  if (descriptions.length === 0) return { ok: false, message: 'DESCRIPTION_LIST holds no DESCRIPTION', at: root.at };

  const addresses: ConnectAddress[] = [];
  const unsupported: ConnectDetails['unsupported'] = [];
  for (const d of descriptions) {
    const nodes = findAll(d, 'ADDRESS');
    if (nodes.length === 0) return { ok: false, message: `${d.name} holds no ADDRESS (expected (ADDRESS=(PROTOCOL=TCPS)(HOST=…)(PORT=…)))`, at: d.at };
    for (const a of nodes) {
      if (a.value !== undefined) return { ok: false, message: `ADDRESS needs (PROTOCOL=…)(HOST=…)(PORT=…), found a plain value '${a.value}'`, at: a.valueAt };
      const host = child(a, 'HOST');
      const proto = child(a, 'PROTOCOL');
      const port = child(a, 'PORT');
      const protocol = (proto?.value ?? 'tcp').trim().toLowerCase();
      if (protocol !== 'tcp' && protocol !== 'tcps') {
        unsupported.push({ protocol, at: proto?.valueAt });
        continue;
      }
      if (!host || !host.value) return { ok: false, message: 'ADDRESS has no HOST', at: host?.valueAt ?? a.at };
      let portNumber = DEFAULT_PORT;
      if (port) {
        const p = (port.value ?? '').trim();
        if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535) return { ok: false, message: `PORT must be a number from 1 to 65535, found '${p}'`, at: port.valueAt };
        portNumber = Number(p);
      }
      addresses.push({ host: unquote(host.value), port: portNumber, protocol });
    }
  }
  if (addresses.length === 0) {
    const first = unsupported[0];
    return { ok: false, message: `no TCP or TCPS address: protocol '${first?.protocol}' is not reachable over the network by the thin drivers`, at: first?.at ?? root.at };
  }

  const first = descriptions[0] as NvNode;
  const connectData = child(first, 'CONNECT_DATA');
  const service = connectData ? child(connectData, 'SERVICE_NAME')?.value : undefined;
  const sid = connectData ? child(connectData, 'SID')?.value : undefined;
  const security = child(first, 'SECURITY');
  const dnMatch = security ? (child(security, 'SSL_SERVER_DN_MATCH') ?? child(security, 'TLS_SERVER_DN_MATCH')) : undefined;
  const certDn = security ? (child(security, 'SSL_SERVER_CERT_DN') ?? child(security, 'TLS_SERVER_CERT_DN')) : undefined;
  const wallet = security ? (child(security, 'WALLET_LOCATION') ?? child(security, 'MY_WALLET_DIRECTORY')) : undefined;
  const num = (key: string): number | undefined => {
    const v = child(first, key)?.value;
    return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
  };
  const retryCount = num('RETRY_COUNT');
  const retryDelay = num('RETRY_DELAY');
  const connectTimeout = child(first, 'CONNECT_TIMEOUT')?.value;
  const proxy = findAll(first, 'HTTPS_PROXY')[0]?.value;
  const certDnValue = certDn?.value !== undefined && unquote(certDn.value) !== '' ? unquote(certDn.value) : undefined;
  return {
    ok: true,
    target: {
      descriptor: renderNv(root),
      addresses,
      ...(service !== undefined && service.trim() !== '' ? { serviceName: unquote(service) } : {}),
      // node-oracledb: sslServerDNMatch is true unless the descriptor says otherwise.
      ...(retryCount !== undefined ? { retry: { count: retryCount, ...(retryDelay !== undefined ? { delaySeconds: retryDelay } : {}) } } : {}),
      sslServerDnMatch: dnMatch?.value === undefined ? true : nvTrue(dnMatch.value),
      ...(certDnValue !== undefined ? { sslServerCertDn: certDnValue } : {}),
    },
    details: {
      ...(sid !== undefined ? { sid: unquote(sid) } : {}),
      ...(retryCount !== undefined ? { retryCount } : {}),
      ...(retryDelay !== undefined ? { retryDelay } : {}),
      ...(connectTimeout !== undefined ? { connectTimeout } : {}),
      ...(proxy !== undefined ? { httpsProxy: proxy } : {}),
      ...(wallet?.value !== undefined ? { walletLocation: unquote(wallet.value) } : {}),
      unsupported,
    },
  };
}
