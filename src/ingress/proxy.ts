// The data path: one HTTP request (or Upgrade) from a client, routed and forwarded to a pod. Requests
// keep their Host header and gain X-Forwarded-For (the client address appended to any existing
// list), -Proto, -Host and -Port; hop-by-hop headers (RFC 9110 §7.6.1) are dropped both ways.
// Answers of our own: 404 when no rule matches (or the backend is a resource), 503 when the Service
// has no ready endpoint, 502 when connecting to the chosen endpoint fails (after retries on other
// endpoints for requests without a body), 504 when it stays silent.
// Upgrade requests (WebSocket) are forwarded with their Upgrade/Connection headers and, once the pod
// answers 101, the two sockets are piped into each other.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Backend } from './route-table.js';
import type { Endpoint } from './endpoints.js';

export type Proto = 'http' | 'https';

export interface ProxyTarget {
  /** The backend for a request, or undefined for 404. */
  route(host: string, url: string): Backend | undefined;
  /** The next endpoint of a Service backend, or undefined when none is ready. */
  pick(b: ServiceBackend): Endpoint | undefined;
  agent: http.Agent;
  /** Upgraded socket pairs, so stop() can close them (the HTTP server no longer tracks them). */
  tunnels: Set<Duplex>;
  upstreamTimeoutMs: number;
  log(msg: string): void;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

function stripHopByHop(h: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...h };
  const listed = String(h.connection ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const k of [...HOP_BY_HOP, ...listed]) delete out[k];
  return out;
}

const clientIp = (req: http.IncomingMessage) => (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');

/** Request headers for the upstream: the client's, minus hop-by-hop, plus X-Forwarded-*. */
export function forwardedHeaders(req: http.IncomingMessage, proto: Proto): http.OutgoingHttpHeaders {
  const h = stripHopByHop(req.headers);
  const prior = req.headers['x-forwarded-for'];
  h['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${clientIp(req)}` : clientIp(req);
  h['x-forwarded-proto'] = proto;
  if (req.headers.host) h['x-forwarded-host'] = req.headers.host;
  h['x-forwarded-port'] = String(req.socket.localPort ?? '');
  h['x-real-ip'] = clientIp(req);
  return h;
}

type ServiceBackend = Extract<Backend, { kind: 'service' }>;
type Decision = { backend: ServiceBackend; ep: Endpoint } | { status: 404 | 503; text: string };

function decide(t: ProxyTarget, req: http.IncomingMessage): Decision {
  const b = t.route(req.headers.host ?? '', req.url ?? '/');
  if (!b || b.kind !== 'service') return { status: 404, text: 'default backend - 404\n' };
  const ep = t.pick(b);
  if (!ep) return { status: 503, text: `no ready endpoints for service ${b.namespace}/${b.service}\n` };
  return { backend: b, ep };
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Attempts per request without a body (ingress-nginx's proxy_next_upstream "error", 3 tries): an
 * endpoint that refuses or resets (a pod gone before its endpoint is removed, a keep-alive socket the
 * pod closed just as it was reused) costs the client nothing when another endpoint answers. Requests
 * with a body are never retried: it has been streamed to the first endpoint already.
 */
const MAX_TRIES = 3;
const RETRIABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const hasBody = (req: http.IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

export function handleRequest(t: ProxyTarget, proto: Proto, req: http.IncomingMessage, res: http.ServerResponse): void {
  const d = decide(t, req);
  if (!('ep' in d)) {
    req.resume(); // drain any body so the keep-alive connection stays usable
    plain(res, d.status, d.text);
    return;
  }
  const headers = forwardedHeaders(req, proto);
  const canRetry = !hasBody(req);
  let current: http.ClientRequest | undefined;
  // A client that goes away mid-request: abandon the upstream exchange too.
  res.on('close', () => {
    if (!res.writableFinished) current?.destroy();
  });
  const attempt = (ep: Endpoint, n: number) => {
    const up = http.request({ host: ep.ip, port: ep.port, method: req.method, path: req.url, headers, agent: t.agent });
    current = up;
    up.setTimeout(t.upstreamTimeoutMs, () => up.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' })));
    up.on('response', (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.statusMessage, stripHopByHop(ur.headers));
      ur.pipe(res);
      ur.on('error', () => res.destroy());
    });
    up.on('error', (e: NodeJS.ErrnoException) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      t.log(`ingress: ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${ep.ip}:${ep.port} (try ${n}): ${e.message}`);
      const next = canRetry && n < MAX_TRIES && RETRIABLE.has(e.code ?? '') ? t.pick(d.backend) : undefined;
      if (next) attempt(next, n + 1);
      else plain(res, e.code === 'ETIMEDOUT' ? 504 : 502, e.code === 'ETIMEDOUT' ? 'upstream timed out\n' : 'bad gateway\n');
    });
    if (canRetry) up.end();
    else req.pipe(up);
  };
  if (canRetry) req.resume();
  attempt(d.ep, 1);
}

function rawHead(status: number, message: string, rawHeaders: string[]): string {
  let s = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) s += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return s + '\r\n';
}

export function handleUpgrade(t: ProxyTarget, proto: Proto, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  const d = decide(t, req);
  if (!('ep' in d)) {
    socket.end(rawHead(d.status, d.status === 404 ? 'Not Found' : 'Service Unavailable', ['Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(d.text)), 'Connection', 'close']) + d.text);
    return;
  }
  const headers = forwardedHeaders(req, proto);
  headers.connection = 'Upgrade';
  headers.upgrade = req.headers.upgrade ?? '';
  const up = http.request({ host: d.ep.ip, port: d.ep.port, method: req.method, path: req.url, headers, agent: false });
  up.on('upgrade', (ur, upSocket, upHead) => {
    t.tunnels.add(socket);
    t.tunnels.add(upSocket);
    const close = () => {
      socket.destroy();
      upSocket.destroy();
      t.tunnels.delete(socket);
      t.tunnels.delete(upSocket);
    };
    socket.on('close', close);
    upSocket.on('close', close);
    upSocket.on('error', close);
    socket.write(rawHead(ur.statusCode ?? 101, ur.statusMessage ?? 'Switching Protocols', ur.rawHeaders));
    if (upHead.length) socket.write(upHead);
    if (head.length) upSocket.write(head);
    upSocket.pipe(socket);
    socket.pipe(upSocket);
  });
  // The pod declined the upgrade: relay its ordinary answer and close.
  up.on('response', (ur) => {
    // The body arrives de-chunked, so its framing becomes "until close".
    const keep: string[] = [];
    for (let i = 0; i + 1 < ur.rawHeaders.length; i += 2) {
      const name = ur.rawHeaders[i]!.toLowerCase();
      if (name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive') keep.push(ur.rawHeaders[i]!, ur.rawHeaders[i + 1]!);
    }
    socket.write(rawHead(ur.statusCode ?? 502, ur.statusMessage ?? '', [...keep, 'Connection', 'close']));
    ur.pipe(socket);
  });
  up.on('error', (e) => {
    t.log(`ingress: upgrade ${req.headers.host ?? ''}${req.url ?? ''} → ${d.ep.ip}:${d.ep.port}: ${e.message}`);
    if (socket.writable) socket.end(rawHead(502, 'Bad Gateway', ['Content-Length', '12', 'Connection', 'close']) + 'bad gateway\n');
  });
  up.end();
}
