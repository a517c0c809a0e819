// The slice of the untyped `spdy-transport` package (SPDY/3.1 framing, header compression with the
// SPDY dictionary, flow-control windows) that the streaming server uses.
declare module 'spdy-transport' {
  import type { Duplex } from 'node:stream';
  import type { EventEmitter } from 'node:events';

  export interface SpdyStream extends Duplex {
    id: number;
    headers: Record<string, string>;
    respond(status: number, headers: Record<string, string>, callback?: (err?: Error) => void): void;
    abort(code?: string, callback?: () => void): void;
  }

  export interface Connection extends EventEmitter {
    start(version: number): void;
    end(callback?: () => void): void;
    destroyStreams(err?: Error): void;
    on(event: 'stream', listener: (stream: SpdyStream) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    on(event: 'close', listener: () => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
    _spdyState: unknown;
  }

  export const connection: {
    create(socket: Duplex, options: { protocol: 'spdy' | 'http2'; isServer: boolean; windowSize?: number; maxStreams?: number }): Connection;
  };
}
