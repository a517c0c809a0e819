// The sockets: a UDP socket and a TCP listener on each listen address, sharing one port (with port 0
// the UDP socket picks it and TCP takes the same one, retrying if that port is busy for TCP). TCP
// carries messages with a 2-byte length prefix (RFC 1035 §4.2.2), several per connection; idle
// connections are closed after 10 s like CoreDNS' default read timeout.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import type { DnsHandler } from './handler.js';

export interface ListenAddress {
  address: string;
  port: number;
}

export interface Listeners {
  addresses: ListenAddress[];
  close(): Promise<void>;
}

const TCP_IDLE_MS = 10_000;

export async function listen(addrs: readonly ListenAddress[], handler: DnsHandler, onQuery: () => void, log?: (m: string) => void): Promise<Listeners> {
  const udps: UdpSocket[] = [];
  const tcps: Server[] = [];
  const conns = new Set<Socket>();
  const addresses: ListenAddress[] = [];
  const close = async () => {
    for (const c of conns) c.destroy();
    await Promise.all([...udps.map((u) => new Promise<void>((r) => u.close(() => r()))), ...tcps.map((t) => new Promise<void>((r) => t.close(() => r())))]);
  };
  try {
    for (const a of addrs) {
      const { udp, tcp, port } = await bindPair(a, handler, onQuery, conns, log);
      udps.push(udp);
      tcps.push(tcp);
      addresses.push({ address: a.address, port });
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { addresses, close };
}

async function bindPair(a: ListenAddress, handler: DnsHandler, onQuery: () => void, conns: Set<Socket>, log?: (m: string) => void) {
  for (let attempt = 0; ; attempt++) {
    const udp = await bindUdp(a, handler, onQuery, log);
    const port = udp.address().port;
    try {
      const tcp = await bindTcp({ address: a.address, port }, handler, onQuery, conns, log);
      return { udp, tcp, port };
    } catch (e) {
      await new Promise<void>((r) => udp.close(() => r()));
      if (a.port !== 0 || attempt >= 10 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
}

function bindUdp(a: ListenAddress, handler: DnsHandler, onQuery: () => void, log?: (m: string) => void): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const sock = createSocket({ type: isIP(a.address) === 6 ? 'udp6' : 'udp4' });
    sock.once('error', reject);
    sock.on('message', (msg, rinfo) => {
      onQuery();
      handler.handle(msg, false).then(
        (out) => out && sock.send(out, rinfo.port, rinfo.address),
        (e) => log?.(`dns: udp query from ${rinfo.address}: ${String(e)}`),
      );
    });
    sock.bind(a.port, a.address, () => {
      sock.off('error', reject);
      sock.on('error', (e) => log?.(`dns: udp ${a.address}: ${String(e)}`));
      resolve(sock);
    });
  });
}

function bindTcp(a: ListenAddress, handler: DnsHandler, onQuery: () => void, conns: Set<Socket>, log?: (m: string) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((sock) => {
      conns.add(sock);
      sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
      sock.on('close', () => conns.delete(sock));
      sock.on('error', () => sock.destroy());
      let buf: Buffer = Buffer.alloc(0);
      sock.on('data', (d: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, d]) : d;
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
          buf = buf.subarray(2 + msg.length);
          onQuery();
          handler.handle(msg, true).then(
            (out) => {
              if (!out || sock.destroyed) return;
              const len = Buffer.alloc(2);
              len.writeUInt16BE(out.length);
              sock.write(Buffer.concat([len, out]));
            },
            (e) => log?.(`dns: tcp query: ${String(e)}`),
          );
        }
      });
    });
    server.once('error', reject);
    server.listen(a.port, a.address, () => {
      server.off('error', reject);
      server.on('error', (e) => log?.(`dns: tcp ${a.address}: ${String(e)}`));
      resolve(server);
    });
  });
}
