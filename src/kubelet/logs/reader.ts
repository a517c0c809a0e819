// Reads a CRI-format log file the way `kubectl logs` asks for it: --tail, --since/--since-time,
// --timestamps, --limit-bytes and -f. Upstream's kuberuntime/logs.ReadLogs is the model: lines are
// messages joined from their partial records; follow tails the file until the client goes away or
// the container has exited and the file stopped growing.
import { open, readFile, stat } from 'node:fs/promises';
import { LineAssembler, parseCriLine, renderLine, type LogLine } from './cri-log.js';

export interface ReadLogsOptions {
  follow?: boolean;
  /** Print only the last N lines (counted after partial records are joined). */
  tailLines?: number;
  /** Drop lines older than this instant (epoch ms; from sinceSeconds or sinceTime). */
  sinceMs?: number;
  timestamps?: boolean;
  /** Stop after this many bytes of output (the last line is cut). */
  limitBytes?: number;
  /** Follow only: polled when the file stops growing; false ends the stream. Default: never ends. */
  isRunning?: () => Promise<boolean>;
  /** Follow only: how often the file is polled (default 100 ms). */
  pollMs?: number;
  signal?: AbortSignal;
}

/** Receives output; a returned promise is awaited (back-pressure from a slow client). */
export type LogSink = (chunk: string) => void | Promise<void>;

class LimitReached extends Error {
  readonly code = 'LOG_LIMIT_REACHED';
}

/** Splits off complete `\n`-terminated lines; returns them and the unterminated rest. */
function splitLines(text: string): { lines: string[]; rest: string } {
  const cut = text.lastIndexOf('\n');
  if (cut < 0) return { lines: [], rest: text };
  return { lines: text.slice(0, cut).split('\n'), rest: text.slice(cut + 1) };
}

export async function readLogs(path: string, opts: ReadLogsOptions, sink: LogSink): Promise<void> {
  let written = 0;
  const emit = async (line: LogLine) => {
    if (opts.sinceMs !== undefined && line.ms < opts.sinceMs) return;
    let text = renderLine(line, opts.timestamps ?? false);
    if (opts.limitBytes !== undefined) {
      const left = opts.limitBytes - written;
      const buf = Buffer.from(text);
      if (buf.length >= left) {
        if (left > 0) await sink(buf.subarray(0, left).toString());
        throw new LimitReached();
      }
      written += buf.length;
    }
    await sink(text);
  };

  const assembler = new LineAssembler();
  const data = await readFile(path);
  let offset = data.length;
  const { lines: raw, rest } = splitLines(data.toString('utf8'));
  let carry = rest;
  let lines: LogLine[] = [];
  for (const l of raw) {
    const rec = parseCriLine(l);
    const line = rec && assembler.push(rec);
    if (line) lines.push(line);
  }
  if (opts.sinceMs !== undefined) lines = lines.filter((l) => l.ms >= opts.sinceMs!);
  if (opts.tailLines !== undefined && opts.tailLines >= 0) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
  try {
    for (const l of lines) await emit(l);
    if (!opts.follow) {
      for (const l of assembler.flush()) await emit(l);
      return;
    }
    await follow();
  } catch (e) {
    if (e instanceof LimitReached) return;
    throw e;
  }

  async function follow(): Promise<void> {
    const poll = opts.pollMs ?? 100;
    const fh = await open(path, 'r');
    try {
      while (!opts.signal?.aborted) {
        const size = (await stat(path)).size;
        if (size < offset) {
          // Truncated (copytruncate-style rotation): start again from the top.
          offset = 0;
          carry = '';
        }
        if (size > offset) {
          const buf = Buffer.alloc(size - offset);
          const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
          offset += bytesRead;
          const { lines: more, rest: tail } = splitLines(carry + buf.subarray(0, bytesRead).toString('utf8'));
          carry = tail;
          for (const l of more) {
            const rec = parseCriLine(l);
            const line = rec && assembler.push(rec);
            if (line) await emit(line);
          }
          continue;
        }
        // No growth: a stopped container writes no more, so the stream ends (after this last look).
        if (opts.isRunning && !(await opts.isRunning())) {
          if ((await stat(path)).size === offset) return;
          continue;
        }
        await sleep(poll, opts.signal);
      }
    } finally {
      await fh.close();
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
