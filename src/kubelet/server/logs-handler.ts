// GET /containerLogs/{namespace}/{pod}/{container}: the kubelet's log endpoint. Query parameters as
// upstream's PodLogOptions (follow, previous, timestamps, tailLines, sinceSeconds, sinceTime,
// limitBytes); errors as text/plain with upstream's wording, which the API server passes to kubectl.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readLogs, type ReadLogsOptions } from '../logs/reader.js';
import { StreamingError, type StreamingBackend } from './backend.js';

const truthy = (v: string | null) => v === 'true' || v === '1';

function intParam(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new StreamingError('BadRequest', `${name}: Invalid value: "${v}": must be an integer >= ${min}`);
  return n;
}

export function logOptions(q: URLSearchParams, now = Date.now()): ReadLogsOptions {
  const opts: ReadLogsOptions = { follow: truthy(q.get('follow')), timestamps: truthy(q.get('timestamps')) };
  opts.tailLines = intParam(q, 'tailLines', 0);
  opts.limitBytes = intParam(q, 'limitBytes', 1);
  const sinceSeconds = intParam(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new StreamingError('BadRequest', 'at most one of sinceTime or sinceSeconds may be specified');
  if (sinceSeconds !== undefined) opts.sinceMs = now - sinceSeconds * 1000;
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) throw new StreamingError('BadRequest', `sinceTime: Invalid value: "${sinceTime}": must be RFC3339`);
    opts.sinceMs = ms;
  }
  return opts;
}

export async function serveContainerLogs(backend: StreamingBackend, req: IncomingMessage, res: ServerResponse, ns: string, pod: string, container: string, q: URLSearchParams): Promise<void> {
  const opts = logOptions(q);
  const previous = truthy(q.get('previous'));
  const c = await backend.resolveContainer(ns, pod, container);
  let path = c.logPath;
  if (previous) {
    if (!c.previousLogPath) throw new StreamingError('BadRequest', `previous terminated container "${container}" in pod "${pod}" not found`);
    path = c.previousLogPath;
    opts.follow = false; // an exited container's log does not grow
  }
  const ac = new AbortController();
  res.once('close', () => ac.abort());
  opts.signal = ac.signal;
  opts.isRunning = async () => {
    try {
      return (await backend.resolveContainer(ns, pod, container)).running;
    } catch {
      return false;
    }
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
  };
  try {
    // Headers go out before the first line, so `logs -f` on a quiet container is not left waiting.
    if (opts.follow) start();
    await readLogs(path, opts, (chunk) => {
      start();
      if (!res.write(chunk)) return new Promise<void>((r) => {
        res.once('drain', r);
        res.once('close', r);
      });
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !started) {
      throw new StreamingError('BadRequest', `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
    }
    if (!started) throw e;
  }
  start();
  res.end();
  void req;
}
