// Small helpers to write responses through Node's HTTP/1 and HTTP/2-compat response objects alike,
// with gzip for large bodies when the client accepts it (upstream compresses above 128 KiB).
import { gzip } from 'node:zlib';
import { stringify as stringifyYaml } from 'yaml';
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

export type Response = ServerResponse | Http2ServerResponse;

const GZIP_THRESHOLD = 128 * 1024;

export function writeBody(res: Response, code: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const h: Record<string, string | number> = { 'content-type': contentType, 'cache-control': 'no-cache, private', ...headers };
  const req = (res as { req?: { headers?: Record<string, string | string[] | undefined> } }).req;
  const ae = req?.headers?.['accept-encoding'];
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > GZIP_THRESHOLD && typeof ae === 'string' && /\bgzip\b/.test(ae)) {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    // Level 1 as upstream (defaultGzipContentEncodingLevel): several times faster than the default
    // for a similar ratio; compressed on the thread pool so other requests keep being served.
    gzip(buf, { level: 1 }, (err, zipped) => {
      if (res.headersSent || res.writableEnded || res.destroyed) return;
      try {
        if (err) return send(res, code, h, buf);
        h['content-encoding'] = 'gzip';
        send(res, code, h, zipped);
      } catch {
        // The client went away while we compressed: nobody to answer (and no request to fail).
      }
    });
    return;
  }
  send(res, code, h, body, size);
}

// Strings go to the socket as they are: Node encodes them together with the headers in one write.
function send(res: Response, code: number, h: Record<string, string | number>, body: string | Buffer, size = body.length): void {
  h['content-length'] = size;
  res.writeHead(code, h);
  res.end(body);
}

export function writeJson(res: Response, code: number, obj: unknown, headers: Record<string, string> = {}): void {
  // Upstream also serves YAML to clients that prefer it (e.g. `curl -H 'Accept: application/yaml'`).
  const accept = (res as { req?: { headers?: Record<string, string | string[] | undefined> } }).req?.headers?.accept;
  if (typeof accept === 'string' && /^\s*application\/yaml\b/.test(accept)) {
    writeBody(res, code, 'application/yaml', stringifyYaml(obj), headers);
    return;
  }
  writeBody(res, code, 'application/json', JSON.stringify(obj), headers);
}

export function writeText(res: Response, code: number, text: string): void {
  writeBody(res, code, 'text/plain; charset=utf-8', text, { 'x-content-type-options': 'nosniff' });
}

/** Writes one chunk of a streaming response (watch events). */
export function writeChunk(res: Response, chunk: string): void {
  (res as ServerResponse).write(chunk);
}
