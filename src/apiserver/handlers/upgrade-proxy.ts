// The raw half of upstream's UpgradeAwareHandler, for pods/exec, attach and portforward: the
// client's upgrade request (WebSocket GET or SPDY POST) is re-sent to the kubelet over a TLS
// connection authenticated with the API server's kubelet client certificate, with the path
// rewritten and only the upgrade-relevant headers kept (never the user's credentials); then the
// two sockets are joined byte for byte, so the kubelet's 101 (or error) answer and every frame after
// it pass through untouched.
import { connect as tlsConnect } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { Duplex } from 'node:stream';
import { internalError } from '../../machinery/errors.js';

export interface PendingUpgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  /** The response object errors are written through before the proxy takes the socket. */
  res: ServerResponse;
}

const pending = new WeakMap<object, PendingUpgrade>();

/** Called by the server's 'upgrade' listener before the request goes through the normal chain. */
export function registerUpgrade(up: PendingUpgrade): void {
  pending.set(up.req, up);
}

export function upgradeOf(req: IncomingMessage | Http2ServerRequest): PendingUpgrade | undefined {
  return pending.get(req);
}

const FORWARDED = new Set(['upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions', 'x-stream-protocol-version', 'user-agent', 'content-length', 'origin']);

/** The request head sent to the kubelet (raw header lines keep repeated X-Stream-Protocol-Version). */
export function upstreamHead(req: IncomingMessage, host: string, port: number, path: string): string {
  const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`, `Host: ${isIP(host) === 6 ? `[${host}]` : host}:${port}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (FORWARDED.has(raw[i]!.toLowerCase())) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  return lines.join('\r\n') + '\r\n\r\n';
}

export async function proxyUpgrade(up: PendingUpgrade, loc: { host: string; port: number; path: string }, client: { cert: string; key: string }): Promise<void> {
  const backend = await new Promise<Socket>((resolve, reject) => {
    const s = tlsConnect({
      host: loc.host,
      port: loc.port,
      cert: client.cert,
      key: client.key,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      ...(isIP(loc.host) ? {} : { servername: loc.host }),
    });
    s.once('secureConnect', () => resolve(s));
    s.once('error', (e) => reject(internalError(`error dialing backend: ${e.message}`)));
  });
  const { socket, res } = up;
  res.detachSocket(socket as Socket);
  backend.on('error', () => socket.destroy());
  socket.on('error', () => backend.destroy());
  backend.write(upstreamHead(up.req, loc.host, loc.port, loc.path));
  if (up.head.length) backend.write(up.head);
  socket.pipe(backend);
  backend.pipe(socket);
  socket.once('close', () => backend.destroy());
  backend.once('close', () => socket.destroy());
}
