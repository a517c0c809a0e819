// Runs the authenticator chain for one request: the verified client certificate (when the TLS layer
// accepted it against the CA) and the headers go to each authenticator in turn; the first user wins.
// No user → 401; an authenticator that throws (bad token) → 401 as well.
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { unauthorized } from '../machinery/errors.js';
import type { AuthRequest, Authenticator, UserInfo } from './auth/types.js';

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

// The peer certificate is fixed for a connection: decode it once per connection (HTTP/2 session or
// HTTP/1.1 socket), not per request.
const perConnection = new WeakMap<object, AuthRequest['clientCert'] | null>();

export function clientCertOf(req: IncomingMessage | Http2ServerRequest): AuthRequest['clientCert'] {
  const conn: object | undefined = 'stream' in req && req.stream ? req.stream.session : req.socket;
  if (conn) {
    const hit = perConnection.get(conn);
    if (hit !== undefined) return hit ?? undefined;
  }
  const cert = readClientCert(req);
  if (conn) perConnection.set(conn, cert ?? null);
  return cert;
}

function readClientCert(req: IncomingMessage | Http2ServerRequest): AuthRequest['clientCert'] {
  const sock = req.socket as TLSSocket | undefined;
  if (!sock || !sock.authorized || typeof sock.getPeerCertificate !== 'function') return undefined;
  const cert = sock.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const cn = asList(subject.CN)[0] ?? '';
  return { subjectCN: cn, subjectO: asList(subject.O) };
}

export function authenticate(authenticators: Authenticator[], req: IncomingMessage | Http2ServerRequest): UserInfo {
  const ar: AuthRequest = { headers: req.headers as AuthRequest['headers'], clientCert: clientCertOf(req) };
  for (const a of authenticators) {
    let user: UserInfo | undefined;
    try {
      user = a.authenticate(ar);
    } catch {
      throw unauthorized();
    }
    if (user) return user;
  }
  throw unauthorized();
}
