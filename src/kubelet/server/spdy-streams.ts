// The SPDY/3.1 transport for exec/attach (kubectl ≤1.29, and 1.30+ when the WebSocket upgrade fails):
// the client opens one stream per role, named by the `streamtype` header — error first, then stdin,
// stdout, stderr (not with a TTY) and resize (TTY) as the query asked — and the server answers each.
// The session starts once every expected stream is there (upstream waits up to 30 s as well).
import { PassThrough } from 'node:stream';
import type { Status } from 'kubernetes-types/meta/v1.js';
import type { Connection } from 'spdy-transport';
import { parseResize, ResizeFeed } from './channel.js';
import type { ClientStreams } from './exec-run.js';
import { streamHeader, type SpdyStream } from './spdy.js';

export interface SpdyStreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  timeoutMs?: number;
}

export function collectSpdyStreams(conn: Connection, socket: { destroy(): void; end(): void }, opts: SpdyStreamOptions): Promise<ClientStreams> {
  const expected = new Set(['error']);
  if (opts.stdin) expected.add('stdin');
  if (opts.stdout) expected.add('stdout');
  if (opts.stderr && !opts.tty) expected.add('stderr');
  if (opts.tty) expected.add('resize');
  const got = new Map<string, SpdyStream>();
  const gone = new Promise<void>((resolve) => conn.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out waiting for client to create streams (${[...expected].filter((s) => !got.has(s)).join(', ')})`));
    }, opts.timeoutMs ?? 30_000);
    void gone.then(() => {
      clearTimeout(timer);
      reject(new Error('client closed the connection before creating its streams'));
    });
    conn.on('stream', (stream: SpdyStream) => {
      stream.on('error', () => {});
      stream.respond(200, {});
      const type = streamHeader(stream, 'streamtype') ?? '';
      if (!expected.has(type) || got.has(type)) {
        stream.abort();
        return;
      }
      got.set(type, stream);
      if (got.size < expected.size) return;
      clearTimeout(timer);
      resolve(clientStreams(got, conn, socket, gone));
    });
  });
}

function clientStreams(got: Map<string, SpdyStream>, conn: Connection, socket: { destroy(): void; end(): void }, gone: Promise<void>): ClientStreams {
  const errorStream = got.get('error')!;
  // Nothing is read from the error stream, but its FIN must be consumed.
  errorStream.resume();
  for (const t of ['stdout', 'stderr']) got.get(t)?.resume();
  const resizes = new ResizeFeed();
  const resize = got.get('resize');
  if (resize) {
    // A stream of concatenated JSON objects: {"Width":80,"Height":24}{"Width":100,…}
    let buf = '';
    resize.on('data', (d: Buffer) => {
      buf += d.toString();
      let end: number;
      while ((end = buf.indexOf('}')) >= 0) {
        const size = parseResize(buf.slice(0, end + 1));
        buf = buf.slice(end + 1);
        if (size) resizes.push(size);
      }
    });
  }
  let stdin: PassThrough | undefined;
  const rawStdin = got.get('stdin');
  if (rawStdin) {
    stdin = new PassThrough();
    rawStdin.pipe(stdin);
  }
  let closed = false;
  return {
    stdin,
    stdout: got.get('stdout'),
    stderr: got.get('stderr'),
    resizes,
    writeStatus: (status: Status) =>
      new Promise<void>((resolve) => {
        errorStream.end(JSON.stringify(status), () => resolve());
      }),
    close: () => {
      if (closed) return;
      closed = true;
      // GOAWAY, then close our side once the FINs are flushed (end, not destroy, keeps queued
      // output); a client that never closes is cut off after a few seconds.
      conn.end();
      setTimeout(() => socket.end(), 100).unref();
      setTimeout(() => socket.destroy(), 5000).unref();
    },
    gone,
  };
}
