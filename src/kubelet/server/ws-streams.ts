// The WebSocket transport for exec/attach (kubectl 1.30+: `v5.channel.k8s.io`, also v4): every
// binary message starts with its channel byte; stdin arrives on 0, output leaves on 1 and 2, the
// exit Status on 3, terminal sizes on 4, and in v5 the client half-closes stdin with `ff 00`.
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { CHANNEL, decodeFrame, encodeFrame, parseResize, ResizeFeed } from './channel.js';
import type { ClientStreams } from './exec-run.js';

export interface WsStreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb();
      ws.send(encodeFrame(channel, chunk), { binary: true }, () => cb());
    },
  });
}

export function wsClientStreams(ws: WebSocket, protocol: string, opts: WsStreamOptions): ClientStreams {
  const v5 = protocol.startsWith('v5.');
  const stdin = opts.stdin ? new PassThrough() : undefined;
  const resizes = new ResizeFeed();
  const gone = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.on('error', () => {});
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    if (!isBinary && !Buffer.isBuffer(raw)) return;
    const frame = decodeFrame(raw, v5);
    if (frame.type === 'close') {
      if (frame.channel === CHANNEL.stdin) stdin?.end();
      return;
    }
    if (frame.type !== 'data') return;
    if (frame.channel === CHANNEL.stdin && stdin && !stdin.writableEnded) stdin.write(frame.data);
    else if (frame.channel === CHANNEL.resize) {
      const size = parseResize(frame.data.toString());
      if (size) resizes.push(size);
    }
  });
  void gone.then(() => stdin && !stdin.writableEnded && stdin.end());
  return {
    stdin,
    stdout: opts.stdout ? channelWriter(ws, CHANNEL.stdout) : undefined,
    stderr: opts.stderr ? channelWriter(ws, CHANNEL.stderr) : undefined,
    resizes,
    writeStatus: (status) =>
      new Promise<void>((resolve) => {
        if (ws.readyState !== ws.OPEN) return resolve();
        ws.send(encodeFrame(CHANNEL.error, JSON.stringify(status)), { binary: true }, () => resolve());
      }),
    close: () => {
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
    gone,
  };
}
