// The kubelet's HTTPS server for the API server's proxied streaming requests, with upstream's
// routes: GET /containerLogs/{ns}/{pod}/{container}, /exec/{ns}/{pod}/{container}?command=…,
// /attach/{ns}/{pod}/{container} and /portForward/{ns}/{pod}. Callers must present a client
// certificate signed by `clientCA` (the API server's kubelet client certificate). exec/attach speak
// WebSocket channels (v5/v4) or SPDY/3.1; port-forward speaks SPDY/3.1, directly or in a WebSocket.
import https from 'node:https';
import { channel } from 'node:diagnostics_channel';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import { StreamingError, type StreamingBackend } from './backend.js';
import { negotiate, PORT_FORWARD_PROTOCOL, SPDY_EXEC_PROTOCOLS, WS_EXEC_PROTOCOLS, WS_PORT_FORWARD_PROTOCOL, type TerminalSize } from './channel.js';
import { runSession, type ClientStreams } from './exec-run.js';
import { serveContainerLogs } from './logs-handler.js';
import { servePortForward } from './port-forward.js';
import { acceptSpdyUpgrade, isSpdyUpgrade, isWebSocketUpgrade, spdyServerSession } from './spdy.js';
import { collectSpdyStreams } from './spdy-streams.js';
import { wsClientStreams } from './ws-streams.js';

export interface KubeletServerOptions {
  host: string;
  /** 0 = a random free port. */
  port: number;
  tls: { cert: string; key: string };
  /** Client certificates must be signed by this CA (PEM). */
  clientCA: string;
  backend: StreamingBackend;
}

export interface RunningKubeletServer {
  port: number;
  close(): Promise<void>;
}

/** One message per accepted streaming session: which route, over which transport and protocol. */
export interface StreamSessionEvent {
  kind: 'exec' | 'attach' | 'portForward';
  transport: 'websocket' | 'spdy';
  protocol: string;
  namespace: string;
  pod: string;
}
export const streamSessions = channel('skiff:kubelet:stream-session');

type Route =
  | { kind: 'containerLogs' | 'exec' | 'attach'; ns: string; pod: string; container: string }
  | { kind: 'portForward'; ns: string; pod: string };

export function parseRoute(pathname: string): Route | undefined {
  const parts = pathname.split('/').slice(1).map((p) => decodeURIComponent(p));
  const [kind, ns, pod, container] = parts;
  if (!ns || !pod) return undefined;
  if ((kind === 'containerLogs' || kind === 'exec' || kind === 'attach') && container && parts.length === 4) return { kind, ns, pod, container };
  // Upstream also serves /exec/{ns}/{pod}/{uid}/{container}; kubectl never sends it.
  if (kind === 'portForward' && parts.length === 3) return { kind, ns, pod };
  return undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const truthy = (v: string | null) => v === 'true' || v === '1';

function errorCode(e: unknown): { status: number; message: string } {
  if (e instanceof StreamingError) return { status: e.httpStatus, message: e.message };
  return { status: 500, message: e instanceof Error ? e.message : String(e) };
}

/** A plain-text HTTP error on a socket that was about to be upgraded. */
function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = Buffer.from(message);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`);
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<RunningKubeletServer> {
  const { backend } = opts;
  const server = https.createServer({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.clientCA, requestCert: true, rejectUnauthorized: true });
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet.invalid');
    const fail = (e: unknown) => {
      const { status, message } = errorCode(e);
      if (!res.headersSent) {
        res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(message);
      } else res.end();
    };
    if (url.pathname === '/healthz') return void res.end('ok');
    const route = parseRoute(url.pathname);
    if (!route) return fail(new StreamingError('NotFound', '404 page not found'));
    if (route.kind !== 'containerLogs') return fail(new StreamingError('BadRequest', 'Upgrade request required'));
    if (req.method !== 'GET') return fail(new StreamingError('BadRequest', `method ${req.method} not allowed`));
    serveContainerLogs(backend, req, res, route.ns, route.pod, route.container, url.searchParams).catch(fail);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    handleUpgrade(req, socket, head).catch((e) => {
      const { status, message } = errorCode(e);
      if (socket.writable) rejectUpgrade(socket, status, message);
    });
  });

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet.invalid');
    const route = parseRoute(url.pathname);
    if (!route || route.kind === 'containerLogs') throw new StreamingError('NotFound', '404 page not found');
    const ws = isWebSocketUpgrade(req);
    if (!ws && !isSpdyUpgrade(req)) throw new StreamingError('BadRequest', `unsupported upgrade ${JSON.stringify(req.headers.upgrade ?? '')}`);
    const kind = route.kind;
    const publish = (transport: StreamSessionEvent['transport'], protocol: string) => {
      if (streamSessions.hasSubscribers) streamSessions.publish({ kind, transport, protocol, namespace: route.ns, pod: route.pod } satisfies StreamSessionEvent);
    };
    if (route.kind === 'portForward') {
      const { podUid } = await backend.resolvePod(route.ns, route.pod);
      const describe = `${route.ns}/${route.pod}, uid ${podUid}`;
      const dial = (port: number) => backend.runtime.portForward(podUid, port);
      if (ws) {
        const sock = await wsUpgrade(req, socket, head, [WS_PORT_FORWARD_PROTOCOL]);
        publish('websocket', sock.protocol);
        servePortForward(spdyServerSession(createWebSocketStream(sock)), describe, dial);
        return;
      }
      const protocol = negotiate(req.headers['x-stream-protocol-version'], [PORT_FORWARD_PROTOCOL]);
      if (!protocol) throw new StreamingError('BadRequest', `unable to upgrade: unable to negotiate protocol: server accepts [${PORT_FORWARD_PROTOCOL}]`);
      acceptSpdyUpgrade(socket, head, protocol);
      publish('spdy', protocol);
      servePortForward(spdyServerSession(socket), describe, dial);
      return;
    }

    const q = url.searchParams;
    const io = { stdin: truthy(q.get('stdin')), stdout: truthy(q.get('stdout')), stderr: truthy(q.get('stderr')), tty: truthy(q.get('tty')) };
    const argv = q.getAll('command');
    if (route.kind === 'exec' && argv.length === 0) throw new StreamingError('BadRequest', 'you must specify at least 1 command');
    if (!io.stdin && !io.stdout && !io.stderr) throw new StreamingError('BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
    const c = await backend.resolveContainer(route.ns, route.pod, route.container);
    if (!c.running) throw new StreamingError('Internal', `container not found (${JSON.stringify(route.container)})`);
    let client: ClientStreams;
    if (ws) {
      const sock = await wsUpgrade(req, socket, head, WS_EXEC_PROTOCOLS);
      publish('websocket', sock.protocol);
      client = wsClientStreams(sock, sock.protocol, { ...io, stderr: io.stderr && !io.tty });
    } else {
      const protocol = negotiate(req.headers['x-stream-protocol-version'], SPDY_EXEC_PROTOCOLS);
      if (!protocol) {
        const offered = String(req.headers['x-stream-protocol-version'] ?? '');
        throw new StreamingError('Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered}], server accepts [${SPDY_EXEC_PROTOCOLS.join(' ')}]`);
      }
      acceptSpdyUpgrade(socket, head, protocol);
      publish('spdy', protocol);
      client = await collectSpdyStreams(spdyServerSession(socket), socket, io);
    }
    const start = route.kind === 'exec'
      ? (size?: TerminalSize) => backend.runtime.exec(c.containerId, argv, { tty: io.tty, stdin: io.stdin, size })
      : () => backend.runtime.attach(c.containerId, { tty: io.tty, stdin: io.stdin });
    await runSession(start, client, { argv: route.kind === 'exec' ? argv : undefined, tty: io.tty && route.kind === 'exec' });
  }

  function wsUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, protocols: readonly string[]): Promise<WebSocket> {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '');
    if (!negotiate(offered, protocols)) {
      return Promise.reject(new StreamingError('BadRequest', `unable to upgrade: no supported websocket subprotocol in [${offered}], server accepts [${protocols.join(' ')}]`));
    }
    const chosen = negotiate(offered, protocols)!;
    return new Promise((resolve) => {
      const w = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: () => chosen });
      if (!TOKEN.test(chosen)) {
        // `SPDY/3.1+portforward.k8s.io` is not an RFC 7230 token ('/'), so `ws` would refuse the
        // header with a 400; negotiate it ourselves and add it to the 101 answer.
        delete req.headers['sec-websocket-protocol'];
        w.once('headers', (lines) => lines.push(`Sec-WebSocket-Protocol: ${chosen}`));
      }
      w.handleUpgrade(req, socket, head, (sock) => {
        resolve(Object.defineProperty(sock, 'protocol', { value: chosen }));
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const done = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}
