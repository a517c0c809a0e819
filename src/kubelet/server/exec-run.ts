// Runs an exec or attach session against a client's streams, whatever the transport (WebSocket
// channels or SPDY streams): copies stdin in and stdout/stderr out, forwards terminal resizes, and
// once the process exited and its output is drained writes the exit Status on the error stream —
// the order kubectl relies on (output first, then the status, then the connection closes).
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { Status } from 'kubernetes-types/meta/v1.js';
import type { ExecSession } from '../runtime/types.js';
import { errorStatus, exitStatus, SUCCESS_STATUS, type ResizeFeed, type TerminalSize } from './channel.js';

/** The client side of a session, as a transport presents it. */
export interface ClientStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  resizes: ResizeFeed;
  /** Writes the final Status on the error stream. */
  writeStatus(status: Status): Promise<void>;
  /** Ends the session's transport (after the status); idempotent. */
  close(): void;
  /** Resolves when the client went away (the process is then killed). */
  gone: Promise<void>;
}

export interface RunOptions {
  /** The exec argv, for the exit message; undefined for attach (always Success, as upstream). */
  argv?: string[];
  /** A terminal session: its start waits briefly for the client's first size. */
  tty?: boolean;
}

// kubectl sends its terminal's size right after the streams are set up; a process started before
// it arrives would see a 0x0 terminal.
const FIRST_SIZE_WAIT_MS = 1000;

/** Pipes `from` into `to` without ending `to` on errors; resolves when `from` ended. */
async function copy(from: Readable, to: Writable | undefined): Promise<void> {
  for await (const chunk of from) {
    if (!to || to.destroyed) continue; // keep draining so the process never blocks on a full pipe
    if (!to.write(chunk)) await Promise.race([once(to, 'drain'), once(to, 'close')]);
  }
}

export async function runSession(start: (size?: TerminalSize) => Promise<ExecSession>, client: ClientStreams, opts: RunOptions): Promise<void> {
  let session: ExecSession;
  try {
    session = await start(opts.tty ? await client.resizes.first(FIRST_SIZE_WAIT_MS) : undefined);
  } catch (e) {
    await client.writeStatus(errorStatus(e instanceof Error ? e.message : String(e))).catch(() => {});
    client.close();
    return;
  }
  let finished = false;
  void client.gone.then(() => {
    if (!finished) session.kill();
  });
  client.resizes.on((s) => session.resize(s.width, s.height));
  if (client.stdin && session.stdin) {
    const sin = session.stdin;
    sin.on('error', () => {});
    client.stdin.pipe(sin);
  } else client.stdin?.resume();

  const outputs = [copy(session.stdout, client.stdout)];
  if (session.stderr) outputs.push(copy(session.stderr, client.stderr));
  let status: Status;
  try {
    const [code] = await Promise.all([session.exit, Promise.all(outputs)]);
    status = opts.argv ? exitStatus(code, opts.argv) : SUCCESS_STATUS;
  } catch (e) {
    status = errorStatus(e instanceof Error ? e.message : String(e));
  }
  finished = true;
  // Flush the output streams (SPDY: FIN) before the status, so kubectl has all output first.
  await Promise.all([endStream(client.stdout), endStream(client.stderr)]);
  await client.writeStatus(status).catch(() => {});
  client.close();
}

function endStream(w: Writable | undefined): Promise<void> {
  if (!w || w.writableEnded || w.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    w.end(() => resolve());
    w.once('error', () => resolve());
    w.once('close', () => resolve());
  });
}
