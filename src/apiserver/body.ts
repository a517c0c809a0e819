// Reading and decoding request bodies: at most 3 MiB (413 beyond, as upstream's
// MaxRequestBodyBytes), JSON or YAML (400 BadRequest when malformed), protobuf refused with 415
// until it is decoded (a later issue). Returns plain JSON values; type checks happen in handlers.
import { parse as parseYaml } from 'yaml';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../machinery/errors.js';
import { bodyFormat, type BodyFormat } from './negotiation.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage | Http2ServerRequest, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw requestEntityTooLarge('Request entity too large: limit is 3145728');
  }
  // Plain 'data'/'end' listeners: an async iterator over the request costs several times more
  // per request (stream wrappers, destroy on completion) for bodies that are one chunk.
  if (req.readableEnded) return Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(requestEntityTooLarge('Request entity too large: limit is 3145728'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (e: Error) => finish(e);
    // A client that goes away mid-body: the request will never end.
    const onClose = () => finish(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

export interface DecodedBody {
  format: BodyFormat;
  value: unknown;
}

/** Decodes a body according to its Content-Type. Patches are decoded here too (they are JSON or YAML). */
export function decodeBody(buf: Buffer, contentType: string | undefined): DecodedBody {
  const format = bodyFormat(contentType);
  if (format === 'protobuf') {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  if (format === 'unknown') {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') return { format, value: undefined };
  if (format === 'yaml' || format === 'apply-patch') {
    let value: unknown;
    try {
      // logLevel 'error': a client's `%YAML 9.9` must not print warnings on the server's stderr.
      value = parseYaml(text, { uniqueKeys: false, maxAliasCount: 100, logLevel: 'error' });
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    const bad = nonJsonValue(value);
    if (bad) throw badRequest(`error converting YAML to JSON: json: unsupported value: ${bad}`);
    return { format, value };
  }
  try {
    return { format, value: JSON.parse(text) };
  } catch (e) {
    const what = format === 'json' ? "couldn't get version/kind; json parse error" : 'error decoding patch';
    throw badRequest(`${what}: ${(e as Error).message}`);
  }
}

/**
 * What in a parsed YAML document JSON cannot carry, if anything: explicit tags (`!!binary`, `!!set`,
 * `!!omap`, `!!timestamp`) decode to Uint8Array/Set/Map/Date, `.inf`/`.nan` to non-finite numbers, and
 * an anchor holding its own alias (`a: &a [*a]`) to a cycle; handlers and storage would choke on any
 * of them. Iterative depth-first walk (documents may be nested very deep); a node reached again
 * through an alias is checked once, a node reached again while still open is a cycle.
 */
function nonJsonValue(root: unknown): string | undefined {
  const stack: { v: unknown; exit?: boolean }[] = [{ v: root }];
  const open = new Set<object>();
  const done = new Set<object>();
  while (stack.length > 0) {
    const { v, exit } = stack.pop()!;
    if (exit) {
      open.delete(v as object);
      done.add(v as object);
      continue;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
      continue;
    }
    const plain = typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
    if (!plain) return Object.prototype.toString.call(v).slice(8, -1);
    if (open.has(v)) return 'encountered a cycle via alias';
    if (done.has(v)) continue;
    open.add(v);
    stack.push({ v, exit: true });
    for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push({ v: x });
  }
  return undefined;
}
