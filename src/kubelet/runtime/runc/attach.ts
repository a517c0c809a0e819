// attach: a connection to the container's main process through conmon, which holds its stdio. conmon
// serves an attach socket (<sock-dir>/<cuuid>/attach, SOCK_SEQPACKET, so message boundaries carry
// framing): every packet it sends is one byte naming the stream (conmon's pipe numbers: 2 stdout,
// 3 stderr) and the data; whatever a client writes goes to the container's stdin (when it was
// created with stdin), and a client's shutdown closes that stdin when the container is stdinOnce.
// Resizes go to the pty on the container process's stdin (tty-resize.ts). Node's net module only
// speaks SOCK_STREAM, hence node-unix-socket for the socket.
import { PassThrough, Writable } from 'node:stream';
import { SeqpacketSocket } from 'node-unix-socket';
import type { ExecSession } from '../types.js';
import { TtyResizer } from './tty-resize.js';

const STDOUT = 2;
const STDERR = 3;
// conmon reads client input into a buffer of this size; a larger packet would be cut short.
const MAX_PACKET = 8192;

export interface AttachTarget {
  socketPath: string;
  /** The container's main process, whose stdin is its pty when it has one. */
  pid: number;
  stdin: boolean;
  tty: boolean;
}

export function conmonAttach(t: AttachTarget): Promise<ExecSession> {
  const sock = new SeqpacketSocket();
  const stdout = new PassThrough();
  const stderr = t.tty ? undefined : new PassThrough();
  let resolveExit!: (code: number) => void;
  const exit = new Promise<number>((r) => (resolveExit = r));
  let ended = false;
  const resizer = t.tty ? new TtyResizer(() => t.pid, () => ended) : undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    stdout.end();
    stderr?.end();
    sock.destroy();
    resolveExit(0);
  };
  sock.on('data', (packet: Buffer) => {
    const data = packet.subarray(1);
    if (packet[0] === STDOUT) stdout.write(data);
    else if (packet[0] === STDERR) (stderr ?? stdout).write(data);
  });
  sock.on('end', end);
  sock.on('close', end);
  sock.on('error', end);

  const stdin = t.stdin
    ? new Writable({
        write(chunk: Buffer, _enc, done) {
          if (ended) return done();
          for (let off = 0; off < chunk.length; off += MAX_PACKET) sock.write(chunk.subarray(off, off + MAX_PACKET));
          done();
        },
        final(done) {
          // Half-close: conmon closes the container's stdin if it is stdinOnce, and keeps sending output.
          if (!ended) sock.end();
          done();
        },
      })
    : undefined;

  return new Promise((resolve, reject) => {
    sock.once('error', reject); // before connecting; after that resolve() has already happened
    try {
      sock.connect(t.socketPath, () => resolve({
        stdin,
        stdout,
        stderr,
        resize: (width, height) => resizer?.resize(width, height),
        exit,
        kill: end,
      }));
    } catch (err) {
      reject(err);
    }
  });
}
