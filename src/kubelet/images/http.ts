// The registry client's HTTP layer over node:http/https: per-endpoint TLS from registries.yaml,
// redirects followed (blob GETs are often redirected to object storage) without carrying the
// Authorization header to another host, and an idle timeout so a stalled registry fails the pull
// instead of hanging it.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { RegistryTlsConfig } from './registries-config.js';
import { ImageError } from './errors.js';

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer | string;
  tls?: RegistryTlsConfig;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
  /** The URL that answered, after redirects. */
  url: string;
}

const MAX_REDIRECTS = 5;
const IDLE_TIMEOUT_MS = 60_000;

function tlsOptions(tls: RegistryTlsConfig | undefined): https.RequestOptions {
  if (!tls) return {};
  return {
    ...(tls.ca_file && { ca: readFileSync(tls.ca_file) }),
    ...(tls.cert_file && { cert: readFileSync(tls.cert_file) }),
    ...(tls.key_file && { key: readFileSync(tls.key_file) }),
    ...(tls.insecure_skip_verify && { rejectUnauthorized: false }),
  };
}

function once(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) return reject(new ImageError('ERR_ABORTED', 'pull aborted'));
    const u = new URL(req.url);
    const mod = u.protocol === 'https:' ? https : http;
    const r = mod.request(
      u,
      { method: req.method ?? 'GET', headers: { 'User-Agent': 'skiff-kubelet', ...req.headers }, ...(u.protocol === 'https:' ? tlsOptions(req.tls) : {}) },
      (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: req.url }),
    );
    r.setTimeout(IDLE_TIMEOUT_MS, () => r.destroy(new Error(`timeout after ${IDLE_TIMEOUT_MS / 1000}s waiting for ${u.host}`)));
    const onAbort = () => r.destroy(new ImageError('ERR_ABORTED', 'pull aborted'));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Sends the request, following up to 5 redirects. The caller must consume or destroy `body`. */
export async function request(req: HttpRequest): Promise<HttpResponse> {
  let cur = req;
  for (let i = 0; ; i++) {
    const res = await once(cur);
    const loc = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.status) || !loc || i === MAX_REDIRECTS) return res;
    res.body.resume();
    const next = new URL(loc, cur.url);
    const headers = { ...cur.headers };
    // Credentials are for the registry, not for the storage backend it redirects to.
    if (next.host !== new URL(cur.url).host) delete headers.Authorization;
    cur = { ...cur, url: next.toString(), headers, ...(res.status === 303 && { method: 'GET', body: undefined }) };
  }
}

/** Reads a whole (small) body, refusing more than `limit` bytes. */
export async function readBody(res: HttpResponse, limit = 8 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res.body as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) {
      res.body.destroy();
      throw new ImageError('ERR_UNEXPECTED_STATUS', `response from ${res.url} larger than ${limit} bytes`);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
