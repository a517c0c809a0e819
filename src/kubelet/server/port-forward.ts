// Port forwarding over a SPDY/3.1 session (direct upgrade for kubectl ≤1.30, tunnelled in a
// WebSocket for 1.31+). For every local connection kubectl opens two streams sharing a `requestid`:
// `error` (we write a message there if the pod's port cannot be reached) and `data` (the bytes),
// both with the target `port`. Like upstream's kubelet we pair them, dial the port in the pod and
// copy both ways; when either side ends, both streams are closed.
import type { Duplex } from 'node:stream';
import type { Connection } from 'spdy-transport';
import { streamHeader, type SpdyStream } from './spdy.js';

export type Dialer = (port: number) => Promise<Duplex>;

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

export function servePortForward(conn: Connection, podDescription: string, dial: Dialer): void {
  const pairs = new Map<string, Pair>();
  conn.on('stream', (stream: SpdyStream) => {
    stream.on('error', () => {});
    stream.respond(200, {});
    const type = streamHeader(stream, 'streamtype');
    const id = streamHeader(stream, 'requestid') ?? '';
    if (type !== 'error' && type !== 'data') {
      stream.abort();
      return;
    }
    let pair = pairs.get(id);
    if (!pair) {
      // Upstream gives a pair 30 s to complete.
      const timer = setTimeout(() => {
        pairs.delete(id);
        pair?.error?.abort();
        pair?.data?.abort();
      }, 30_000);
      timer.unref();
      pair = { timer };
      pairs.set(id, pair);
    }
    if (pair[type]) {
      stream.abort();
      return;
    }
    pair[type] = stream;
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(id);
      void forward(pair.error, pair.data, podDescription, dial);
    }
  });
}

async function forward(errorStream: SpdyStream, data: SpdyStream, pod: string, dial: Dialer): Promise<void> {
  errorStream.resume();
  const portText = streamHeader(data, 'port') ?? '';
  const port = Number(portText);
  let target: Duplex;
  try {
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`invalid port ${JSON.stringify(portText)}`);
    target = await dial(port);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    errorStream.end(`error forwarding port ${portText} to pod ${pod}: ${why}`);
    data.end();
    return;
  }
  target.on('error', () => {});
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    if (!data.writableEnded) data.end();
    if (!errorStream.writableEnded) errorStream.end();
    target.destroy();
  };
  data.pipe(target);
  target.pipe(data, { end: false });
  target.once('end', finish);
  target.once('close', finish);
  data.once('close', finish);
}
