// A minimal HTTPS client for the benchmarks: keep-alive agents authenticated with the admin client
// certificate, JSON requests, and long-lived watch streams split into events line by line. Built on
// node:https directly so the client's own overhead is small and the same for Skiff and the floor.
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface Credentials {
  ca: string;
  cert: string;
  key: string;
}

export interface Response {
  status: number;
  body: string;
}

export class Client {
  readonly agent: Agent;
  constructor(
    readonly baseUrl: string,
    readonly creds: Credentials,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, ca: creds.ca, cert: creds.cert, key: creds.key });
  }

  /** `headers` are added to (and override) the defaults; a gzip-encoded answer is decompressed. */
  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((ok, fail) => {
      const req = request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: { Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            try {
              const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
              ok({ status: res.statusCode ?? 0, body: body.toString('utf8') });
            } catch (e) {
              fail(e as Error);
            }
          });
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      // A benchmark must end even if the server stops answering.
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.end(data);
    });
  }

  /** POST, failing unless the status is 2xx. */
  async mustRequest(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response> {
    const r = await this.request(method, path, body, headers);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
    return r;
  }

  /**
   * Opens a watch; `onEvent` gets each parsed event line. Returns at once with a function that
   * closes the stream: whether the server has registered the watch is for the caller to establish
   * (some servers send the response headers only with the first event).
   */
  watch(path: string, onEvent: (ev: { type: string; object: { metadata?: { name?: string } } }) => void, onError: (e: Error) => void): () => void {
    const req = request(new URL(path, this.baseUrl), { agent: this.agent, headers: { Accept: 'application/json' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return onError(new Error(`watch ${path}: ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) onEvent(JSON.parse(line));
        }
      });
      res.on('error', () => {});
    });
    let closed = false;
    req.on('error', (e) => closed || onError(e));
    req.end();
    return () => {
      closed = true;
      req.destroy();
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
