// Minimal HTTPS client for end-to-end tests that need what kubectl cannot show: raw watch streams
// with exact event sequences. Authenticates with the admin client certificate from the kubeconfig.
import { request } from 'node:https';
import type { SkiffServer } from './harness.js';

export interface WatchEventJson {
  type: string;
  object: { kind?: string; metadata?: { name?: string; resourceVersion?: string }; [k: string]: unknown };
}

export function rawRequest(s: SkiffServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const c = s.credentials();
  return new Promise((ok, fail) => {
    const req = request(
      `${c.server}${path}`,
      { method, ca: c.ca, cert: c.cert, key: c.key, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', fail);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** Opens a watch and collects events until `close()`; resolves `ready` once the response headers arrive. */
export function openWatch(s: SkiffServer, path: string): { events: WatchEventJson[]; status: Promise<number>; close(): void } {
  const c = s.credentials();
  const events: WatchEventJson[] = [];
  let buf = '';
  let close = () => {};
  const status = new Promise<number>((ok, fail) => {
    const req = request(`${c.server}${path}`, { ca: c.ca, cert: c.cert, key: c.key }, (res) => {
      ok(res.statusCode ?? 0);
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) events.push(JSON.parse(line) as WatchEventJson);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', (e) => fail(e));
    req.end();
    close = () => req.destroy();
  });
  return { events, status, close: () => close() };
}
