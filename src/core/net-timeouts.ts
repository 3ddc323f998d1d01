// How long the network probes wait at each step. One owner: the probes use
// them, and the checks quote them in their findings and size their own limits.
export interface ProbeTimeouts {
  dnsMs: number;
  tcpMs: number;
  tlsMs: number;
  /** After a handshake in which a client certificate was requested: how long to watch for the server hanging up. */
  closeWatchMs: number;
}

export const DEFAULT_TIMEOUTS: ProbeTimeouts = { dnsMs: 3000, tcpMs: 5000, tlsMs: 10_000, closeWatchMs: 300 };
