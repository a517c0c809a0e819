// tcpSocket probes (upstream pkg/probe/tcp): success when a TCP connection opens within the
// timeout, closed right away. Also the Go-style dial error text the HTTP probe reuses, so events
// read like upstream's ("dial tcp 10.42.0.5:81: connect: connection refused").
import net from 'node:net';
import type { ProbeResult } from './probe.js';

/** net.JoinHostPort: IPv6 literals in brackets. */
export const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  EADDRNOTAVAIL: 'connect: cannot assign requested address',
  ETIMEDOUT: 'i/o timeout',
};

/** A Node socket error during dial, worded as Go's *net.OpError. */
export function dialErrorText(e: unknown, host: string, port: number): string {
  const code = (e as { code?: string }).code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `dial tcp: lookup ${host}: no such host`;
  const what = CONNECT_ERRORS[code] ?? (e instanceof Error ? e.message : String(e));
  return `dial tcp ${joinHostPort(host, port)}: ${what}`;
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => finish({ result: 'failure', output: `dial tcp ${joinHostPort(host, port)}: i/o timeout` }), timeoutMs);
    timer.unref();
    function finish(r: ProbeResult) {
      clearTimeout(timer);
      sock.removeAllListeners();
      sock.on('error', () => undefined);
      sock.destroy();
      resolve(r);
    }
    sock.once('connect', () => finish({ result: 'success', output: '' }));
    sock.once('error', (e) => finish({ result: 'failure', output: dialErrorText(e, host, port) }));
  });
}
