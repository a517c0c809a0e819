// A server-side SPDY/3.1 session over an upgraded socket (or a WebSocket tunnel), on top of the
// `spdy-transport` framing library, adapted to the way Kubernetes uses SPDY (moby/spdystream):
// streams carry plain headers (`streamtype`, `port`, `requestid`) and no HTTP `:method`/`:path`,
// which spdy-transport would reject, and spdystream does no flow control, so our send windows must
// never wait for a WINDOW_UPDATE that would not come.
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import transport, { type Connection, type SpdyStream } from 'spdy-transport';

export type { SpdyStream };

interface WindowSide {
  current: number;
  max: number;
  limit: number;
}
interface SpdyState {
  window: { send: WindowSide };
  streamWindow: { send: WindowSide };
  parser: { parseKVs(buf: unknown, cb: (err: Error | null, headers: Record<string, string>) => void): void };
}

const UNLIMITED = 2 ** 52;

export function spdyServerSession(socket: Duplex): Connection {
  const conn = transport.connection.create(socket, { protocol: 'spdy', isServer: true });
  const state = conn._spdyState as SpdyState;
  for (const side of [state.window.send, state.streamWindow.send]) {
    side.limit = Infinity;
    side.max = side.current = UNLIMITED;
  }
  const parser = state.parser;
  const parseKVs = parser.parseKVs.bind(parser);
  parser.parseKVs = (buf, cb) =>
    parseKVs(buf, (err, headers) => {
      if (!err && headers && headers[':method'] === undefined) {
        headers[':method'] = 'POST';
        headers[':path'] = '/';
      }
      cb(err, headers);
    });
  conn.start(3.1);
  conn.on('error', () => {});
  return conn;
}

/** A stream header, case-insensitively (Go sends `Streamtype`, SPDY lowercases on the wire). */
export function streamHeader(stream: SpdyStream, name: string): string | undefined {
  const h = stream.headers;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : String(h[key]);
}

/** Writes the 101 answer to a SPDY upgrade and returns the socket (with any early bytes put back). */
export function acceptSpdyUpgrade(socket: Duplex, head: Buffer, protocol: string | undefined): void {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1'];
  if (protocol) lines.push(`X-Stream-Protocol-Version: ${protocol}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  if (head.length) socket.unshift(head);
}

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return /^spdy\/3\.1$/i.test(String(req.headers.upgrade ?? '').trim());
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}
