// Forwarding of names outside the cluster domain to upstream resolvers (CoreDNS' `forward` plugin,
// reduced): the client's query bytes are sent with a fresh random ID (so an off-path spoofer cannot
// reuse the client's), over UDP with a per-upstream timeout, retried over TCP when the UDP answer is
// truncated; TCP queries go upstream over TCP. Upstreams are tried in order; the caller relays the
// reply under the client's ID, or answers SERVFAIL when every upstream failed (undefined here).
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { isIP } from 'node:net';
import { randomInt } from 'node:crypto';

export interface Upstream {
  host: string;
  port: number;
}

/** Parses 'ip', 'ip:port' or '[ipv6]:port' (port defaults to 53). */
export function parseUpstream(s: string): Upstream {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { host: bracket[1]!, port: Number(bracket[2] ?? 53) };
  if (isIP(s) === 6) return { host: s, port: 53 };
  const i = s.lastIndexOf(':');
  if (i < 0) return { host: s, port: 53 };
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

export interface ForwardOptions {
  /** Ask upstream over TCP (the client asked over TCP). */
  tcp: boolean;
  /** Per-upstream, per-transport timeout. */
  timeoutMs: number;
}

const TC_BIT = 0x0200;

/** Sends `query` to each upstream in turn; the first reply, with the query's own ID restored. */
export async function forward(query: Buffer, upstreams: readonly Upstream[], opts: ForwardOptions): Promise<Buffer | undefined> {
  const clientId = query.readUInt16BE(0);
  for (const up of upstreams) {
    const q = Buffer.from(query);
    const id = randomInt(0, 0x10000);
    q.writeUInt16BE(id, 0);
    try {
      let reply = opts.tcp ? await tcpExchange(q, up, opts.timeoutMs) : await udpExchange(q, up, opts.timeoutMs);
      if (!opts.tcp && reply.readUInt16BE(2) & TC_BIT) reply = await tcpExchange(q, up, opts.timeoutMs);
      if (reply.readUInt16BE(0) !== id) continue;
      const out = Buffer.from(reply);
      out.writeUInt16BE(clientId, 0);
      return out;
    } catch {
      // timeout, refused or reset: try the next upstream
    }
  }
  return undefined;
}

export function udpExchange(q: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIP(up.host) === 6 ? 'udp6' : 'udp4');
    const id = q.readUInt16BE(0);
    let finished = false;
    const done = (err: Error | undefined, msg?: Buffer) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => done(new Error(`upstream ${up.host}:${up.port} timed out`)), timeoutMs);
    sock.on('error', (e) => done(e));
    // Only a reply with our ID counts; anything else on this ephemeral port is ignored.
    sock.on('message', (msg) => {
      if (msg.length >= 12 && msg.readUInt16BE(0) === id) done(undefined, msg);
    });
    // Connected, so an ICMP port-unreachable from a dead upstream surfaces as ECONNREFUSED at once
    // instead of waiting out the timeout; replies can then only come from the upstream itself.
    sock.connect(up.port, up.host, () => sock.send(q, (e) => e && done(e)));
  });
}

export function tcpExchange(q: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: up.host, port: up.port });
    let buf: Buffer = Buffer.alloc(0);
    const done = (err: Error | undefined, msg?: Buffer) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => done(new Error(`upstream ${up.host}:${up.port} timed out (tcp)`)), timeoutMs);
    sock.on('error', (e) => done(e));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(q.length);
      sock.write(Buffer.concat([len, q]));
    });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(undefined, buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.on('end', () => done(new Error('upstream closed the connection')));
  });
}
