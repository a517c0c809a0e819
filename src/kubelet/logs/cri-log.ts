// Parsing and formatting of CRI-format container log files, the files conmon writes and
// `kubectl logs` reads through the kubelet. One record a line:
//   2026-11-22T10:58:19.519889215+00:00 stdout F hello
// timestamp (RFC3339Nano), stream, tag (`F` full line, `P` partial: the next record continues it) and
// the message. Upstream's reader is pkg/kubelet/kuberuntime/logs/logs.go; like it we print a message
// joined from its partial records, and with timestamps the record's time in RFC3339NanoFixed + space.

export type LogStream = 'stdout' | 'stderr';

export interface CriRecord {
  /** The timestamp as written (kept as text: Date would drop nanoseconds). */
  time: string;
  /** Milliseconds since the epoch, for since-filters. */
  ms: number;
  stream: LogStream;
  partial: boolean;
  message: string;
}

const RECORD = /^(\S+) (stdout|stderr) ([PF])(?:[^ ]*)? (.*)$/s;

/** Parses one line (without its newline); undefined for a malformed line (skipped, as upstream logs and skips). */
export function parseCriLine(line: string): CriRecord | undefined {
  const m = RECORD.exec(line);
  if (!m) {
    // `…stdout F` with an empty message has no space after the tag.
    const e = /^(\S+) (stdout|stderr) ([PF])$/.exec(line);
    if (!e) return undefined;
    return build(e[1]!, e[2] as LogStream, e[3]!, '');
  }
  return build(m[1]!, m[2] as LogStream, m[3]!, m[4]!);
}

function build(time: string, stream: LogStream, tag: string, message: string): CriRecord | undefined {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  return { time, ms, stream, partial: tag === 'P', message };
}

/**
 * The timestamp as upstream prints it with `--timestamps`: RFC3339NanoFixed
 * ("2006-01-02T15:04:05.000000000Z07:00"): nine fraction digits, `Z` for a zero offset.
 * "2026-11-22T10:58:19.5+00:00" → "2026-11-22T10:58:19.500000000Z".
 */
export function formatTimestamp(time: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(time);
  if (!m) return time;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  const zone = m[3]!.toUpperCase() === 'Z' || m[3] === '+00:00' || m[3] === '-00:00' ? 'Z' : m[3]!;
  return `${m[1]}.${frac}${zone}`;
}

/** One line as a reader prints it: its first record's time and stream, the joined message. */
export interface LogLine {
  time: string;
  ms: number;
  stream: LogStream;
  message: string;
  /** False for a trailing run of partial records not yet completed by an `F` record. */
  complete: boolean;
}

/**
 * Joins records into lines. Partial records of one stream are buffered until that stream's `F`
 * record (stdout and stderr interleave independently, so each has its own buffer).
 */
export class LineAssembler {
  private pending = new Map<LogStream, { first: CriRecord; parts: string[] }>();

  push(rec: CriRecord): LogLine | undefined {
    const open = this.pending.get(rec.stream);
    if (rec.partial) {
      if (open) open.parts.push(rec.message);
      else this.pending.set(rec.stream, { first: rec, parts: [rec.message] });
      return undefined;
    }
    if (!open) return { time: rec.time, ms: rec.ms, stream: rec.stream, message: rec.message, complete: true };
    this.pending.delete(rec.stream);
    return { time: open.first.time, ms: open.first.ms, stream: rec.stream, message: open.parts.join('') + rec.message, complete: true };
  }

  /** Incomplete lines still buffered (printed at the end of a non-follow read, as upstream does). */
  flush(): LogLine[] {
    const out = [...this.pending.values()].map(({ first, parts }) => ({ time: first.time, ms: first.ms, stream: first.stream, message: parts.join(''), complete: false }));
    this.pending.clear();
    return out;
  }
}

/** Renders one line for the client: `message\n`, prefixed by the timestamp and a space when asked. */
export function renderLine(line: LogLine, timestamps: boolean): string {
  const body = line.complete ? line.message + '\n' : line.message;
  return timestamps ? `${formatTimestamp(line.time)} ${body}` : body;
}
