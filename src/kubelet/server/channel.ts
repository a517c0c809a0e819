// The framing of Kubernetes' streaming protocols, shared by the WebSocket and SPDY transports:
// stream numbers and names, protocol negotiation, the exit Status written on the error stream, and
// the WebSocket channel frame (first byte = channel; v5 adds close frames `ff <channel>`).
import type { Status } from 'kubernetes-types/meta/v1.js';

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** WebSocket subprotocols for exec/attach, best first (v5 adds the stdin close frame). */
export const WS_EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
/** SPDY `X-Stream-Protocol-Version`s for exec/attach: v4 = JSON Status on the error stream. */
export const SPDY_EXEC_PROTOCOLS = ['v4.channel.k8s.io'] as const;
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl 1.31+ tunnels SPDY inside a WebSocket with this subprotocol. */
export const WS_PORT_FORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** The server's first choice among what the client offered (values may be comma-joined headers). */
export function negotiate(offered: string | string[] | undefined, supported: readonly string[]): string | undefined {
  const list = (Array.isArray(offered) ? offered : [offered ?? ''])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return supported.find((p) => list.includes(p));
}

/** One WebSocket binary message for `channel`. */
export function encodeFrame(channel: number, data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
}

export type InboundFrame =
  | { type: 'data'; channel: number; data: Buffer }
  | { type: 'close'; channel: number }
  | { type: 'invalid' };

/** Decodes a message from the client; the close frame exists only in v5. */
export function decodeFrame(msg: Buffer, v5: boolean): InboundFrame {
  if (msg.length === 0) return { type: 'invalid' };
  const channel = msg[0]!;
  if (channel === CHANNEL.close) {
    if (!v5 || msg.length < 2) return { type: 'invalid' };
    return { type: 'close', channel: msg[1]! };
  }
  return { type: 'data', channel, data: msg.subarray(1) };
}

export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * Terminal sizes as a client sends them. The latest is remembered, because kubectl sends its first
 * size as soon as the streams are up, before the session listening for it exists.
 */
export class ResizeFeed {
  private latest?: TerminalSize;
  private readonly listeners: Array<(size: TerminalSize) => void> = [];
  private waiters: Array<(size: TerminalSize) => void> = [];

  push(size: TerminalSize): void {
    this.latest = size;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(size);
    for (const l of [...this.listeners]) l(size);
  }

  /** Calls `listener` with the latest size (if any) and every later one. */
  on(listener: (size: TerminalSize) => void): void {
    this.listeners.push(listener);
    if (this.latest) listener(this.latest);
  }

  /** The first size the client sends, or undefined if none came within `ms`. */
  first(ms: number): Promise<TerminalSize | undefined> {
    if (this.latest) return Promise.resolve(this.latest);
    return new Promise((resolve) => {
      const waiter = (size: TerminalSize) => {
        clearTimeout(timer);
        resolve(size);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, ms);
      this.waiters.push(waiter);
    });
  }
}

/** Parses `{"Width":80,"Height":24}`; undefined when malformed. */
export function parseResize(text: string): TerminalSize | undefined {
  try {
    const v = JSON.parse(text) as { Width?: unknown; Height?: unknown };
    if (typeof v.Width !== 'number' || typeof v.Height !== 'number') return undefined;
    return { width: v.Width, height: v.Height };
  } catch {
    return undefined;
  }
}

export const SUCCESS_STATUS: Status = { metadata: {}, status: 'Success' };

/**
 * The Status for a command's exit, as upstream's remotecommand server writes it; kubectl turns
 * reason NonZeroExitCode + cause ExitCode into its own exit code.
 */
export function exitStatus(code: number, argv: string[] | undefined): Status {
  if (code === 0) return SUCCESS_STATUS;
  const what = argv ? `error executing command [${argv.join(' ')}], exit code ${code}` : `exit code ${code}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${what}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** A failure that is not an exit code (runtime error) as an InternalError Status. */
export function errorStatus(message: string): Status {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}
