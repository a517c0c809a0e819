// httpGet probes (upstream pkg/probe/http + pkg/kubelet/prober): GET with `User-Agent:
// kube-probe/<version>` and `Accept: */*` unless the probe sets them, no keep-alive, HTTPS without
// certificate verification. 200 ≤ code < 400 is success. Redirects follow Go's client as the kubelet
// configures it: to the same host they are followed (at most 10, then "stopped after 10 redirects"),
// to another host the redirect response itself is the answer — a 3xx, so a *warning* (counted as
// success). One deadline covers the whole exchange, redirects included, as Go's Client.Timeout does.
// At most 10 KiB of body is read. Failures are worded like Go's *url.Error so events match upstream.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { IncomingMessage, ClientRequest } from 'node:http';
import type { HTTPHeader } from 'kubernetes-types/core/v1.js';
import type { ProbeResult } from './probe.js';
import { dialErrorText, joinHostPort } from './tcp-probe.js';

export const MAX_BODY_BYTES = 10 * 1024;
export const MAX_REDIRECTS = 10;
/** Upstream sends kube-probe/<major>.<minor> of the kubelet. */
export const PROBE_USER_AGENT = 'kube-probe/1.31';

export interface HttpProbeSpec {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** As written in the probe ('' allowed); may carry a query string. */
  path: string;
  headers: HTTPHeader[];
  timeoutMs: number;
  userAgent?: string;
}

/** The URL as Go's formatURL prints it: no path stays no path; a relative path gets its slash. */
export function probeURL(s: Pick<HttpProbeSpec, 'scheme' | 'host' | 'port' | 'path'>): URL {
  const path = s.path === '' || s.path.startsWith('/') ? s.path : `/${s.path}`;
  return new URL(`${s.scheme}://${joinHostPort(s.host, s.port)}${path}`);
}
/** Go prints "http://h:80" for an empty path; WHATWG URL always adds "/". */
const display = (u: URL, rawEmptyPath: boolean): string => (rawEmptyPath ? u.href.replace(/\/$/, '') : u.href);

function buildHeaders(spec: HttpProbeSpec): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const h of spec.headers) {
    const k = h.name.toLowerCase();
    const prev = out[k];
    out[k] = prev === undefined ? h.value : ([] as string[]).concat(prev, h.value);
  }
  if (!('user-agent' in out)) out['user-agent'] = spec.userAgent ?? PROBE_USER_AGENT;
  if (!('accept' in out)) out.accept = '*/*';
  else if (out.accept === '') delete out.accept;
  return out;
}

interface Exchange {
  res: IncomingMessage;
  body: Buffer;
}

export function httpProbe(spec: HttpProbeSpec): Promise<ProbeResult> {
  const headers = buildHeaders(spec);
  const deadline = Date.now() + spec.timeoutMs;
  let url = probeURL(spec);
  let emptyPath = spec.path === '';
  const firstHost = url.hostname;

  const fetchOnce = (u: URL): Promise<Exchange> =>
    new Promise((resolve, reject) => {
      const mod = u.protocol === 'https:' ? https : http;
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
      let req: ClientRequest | undefined;
      let gotHeaders = false;
      let settled = false;
      const fail = (msg: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req?.destroy();
        reject(new Error(msg));
      };
      const timer = setTimeout(() => {
        fail(gotHeaders ? 'context deadline exceeded (Client.Timeout or context cancellation while reading body)' : `Get ${JSON.stringify(display(u, emptyPath))}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
      }, Math.max(0, deadline - Date.now()));
      timer.unref();
      req = mod.request({
        method: 'GET',
        host,
        port,
        path: `${u.pathname}${u.search}`,
        headers,
        agent: false,
        rejectUnauthorized: false,
        ...(u.protocol === 'https:' && !net.isIP(host) ? { servername: host } : {}),
      });
      let connected = false;
      req.on('socket', (s) => s.once('connect', () => (connected = true)).once('secureConnect', () => (connected = true)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        let what: string;
        if (!connected && e.code && e.code !== 'ECONNRESET') what = dialErrorText(e, host, port);
        else if (e.message === 'socket hang up') what = 'EOF';
        else if (e.code === 'ECONNRESET') what = `read tcp ${joinHostPort(host, port)}: read: connection reset by peer`;
        else what = e.message;
        fail(`Get ${JSON.stringify(display(u, emptyPath))}: ${what}`);
      });
      req.on('response', (res) => {
        gotHeaders = true;
        const chunks: Buffer[] = [];
        let n = 0;
        const done = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req?.destroy();
          resolve({ res, body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES) });
        };
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          n += c.length;
          if (n >= MAX_BODY_BYTES) done(); // upstream ReadAtMost: truncation is not an error
        });
        res.on('end', done);
        res.on('error', (e) => fail(e.message));
      });
      req.end();
    });

  return (async (): Promise<ProbeResult> => {
    let redirects = 0;
    for (;;) {
      let ex: Exchange;
      try {
        ex = await fetchOnce(url);
      } catch (e) {
        return { result: 'failure', output: (e as Error).message };
      }
      const code = ex.res.statusCode ?? 0;
      const location = ex.res.headers.location;
      if ([301, 302, 303, 307, 308].includes(code) && location) {
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return { result: 'failure', output: `Get ${JSON.stringify(display(url, emptyPath))}: failed to parse Location header ${JSON.stringify(location)}` };
        }
        // Another host: Go's ErrUseLastResponse — the 3xx itself is the result (a warning below).
        if (next.hostname === firstHost) {
          if (++redirects > MAX_REDIRECTS) return { result: 'failure', output: `Get ${JSON.stringify(next.href)}: stopped after ${MAX_REDIRECTS} redirects` };
          url = next;
          emptyPath = false;
          continue;
        }
      }
      const body = ex.body.toString('utf8');
      if (code >= 200 && code < 400) {
        if (code >= 300) return { result: 'success', warning: true, output: `Probe terminated redirects, Response body: ${body}` };
        return { result: 'success', output: body };
      }
      return { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` };
    }
  })();
}
