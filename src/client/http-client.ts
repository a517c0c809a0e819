// A typed Kubernetes API client over HTTPS (node:https with a keep-alive Agent, so a controller's
// requests share a few TLS connections). Built from explicit credentials or a kubeconfig file. Every
// non-2xx response surfaces as a StatusError carrying the server's Status body; watches stream
// newline-delimited JSON events to a callback and can be aborted.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Status } from 'kubernetes-types/meta/v1.js';
import { StatusError } from '../machinery/errors.js';
import { isPlainObject, type KubeObject } from '../machinery/object.js';
import type { MetaObject } from './store.js';

export type ClientConfig =
  | { server: string; ca: string; cert: string; key: string }
  | { server: string; ca: string; token: string };

export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1/namespaces/ns/pods/p/status` or `/apis/apps/v1/deployments` from its parts. */
export function resourcePath(r: ResourceRef): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespace) p += `/namespaces/${encodeURIComponent(r.namespace)}`;
  p += `/${r.resource}`;
  if (r.name) p += `/${encodeURIComponent(r.name)}`;
  if (r.subresource) p += `/${r.subresource}`;
  return p;
}

export type WatchEvent<T = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

export interface WatchOptions {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface KubeList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** A running watch: `done` settles when the stream ends (resolves) or fails to start (rejects). */
export interface WatchHandle {
  abort(): void;
  done: Promise<void>;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';
const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

function query(o: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A Status-shaped error for a response whose body is not a Status (e.g. a proxy's text). */
function toStatusError(code: number, text: string): StatusError {
  try {
    const body: unknown = JSON.parse(text);
    if (isPlainObject(body) && body.kind === 'Status') return new StatusError({ ...(body as Status), code });
  } catch {
    // not JSON: fall through
  }
  return new StatusError({ status: 'Failure', code, reason: code >= 500 ? 'InternalError' : 'BadRequest', message: text || `HTTP ${code}` });
}

export class KubeClient {
  readonly server: URL;
  private readonly agent: https.Agent;
  private readonly authHeader: Record<string, string>;

  constructor(cfg: ClientConfig) {
    this.server = new URL(cfg.server);
    this.agent = new https.Agent({
      keepAlive: true,
      ca: cfg.ca,
      ...('cert' in cfg ? { cert: cfg.cert, key: cfg.key } : {}),
    });
    this.authHeader = 'token' in cfg ? { authorization: `Bearer ${cfg.token}` } : {};
  }

  /** Reads the current context of a kubeconfig (inline `*-data` or file paths). */
  static fromKubeconfig(path: string, context?: string): KubeClient {
    return new KubeClient(loadKubeconfig(path, context));
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request; resolves the parsed JSON body of a 2xx response, rejects a StatusError otherwise. */
  request<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = { accept: 'application/json', ...this.authHeader };
      if (data !== undefined) {
        headers['content-type'] = contentType;
        headers['content-length'] = String(Buffer.byteLength(data));
      }
      const req = https.request(
        { host: this.server.hostname, port: this.server.port || 443, method, path, agent: this.agent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const code = res.statusCode ?? 0;
            if (code < 200 || code >= 300) return reject(toStatusError(code, text));
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch (e) {
              reject(e);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  get<T = KubeObject>(r: ResourceRef): Promise<T> {
    return this.request<T>('GET', resourcePath(r));
  }
  list<T = KubeObject>(r: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.request<KubeList<T>>('GET', resourcePath(r) + query(opts));
  }
  create<T extends MetaObject>(r: ResourceRef, obj: T): Promise<T> {
    return this.request<T>('POST', resourcePath({ ...r, name: undefined }), obj);
  }
  update<T extends MetaObject>(r: ResourceRef, obj: T): Promise<T> {
    return this.request<T>('PUT', resourcePath({ ...r, name: r.name ?? obj.metadata?.name }), obj);
  }
  patch<T = KubeObject>(r: ResourceRef, patch: unknown, type: PatchType = 'merge', fieldManager?: string): Promise<T> {
    const q = query({ fieldManager, ...(type === 'apply' ? { force: 'true' } : {}) });
    return this.request<T>('PATCH', resourcePath(r) + q, patch, PATCH_CONTENT_TYPES[type]);
  }
  delete<T = unknown>(r: ResourceRef, opts?: { propagationPolicy?: string; gracePeriodSeconds?: number; preconditions?: object }): Promise<T> {
    const body = opts ? { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } : undefined;
    return this.request<T>('DELETE', resourcePath(r), body);
  }

  /**
   * Streams a watch: each newline-delimited JSON event goes to onEvent in order. A non-2xx response
   * rejects `done` with a StatusError; the stream's end (server timeout, abort) resolves it.
   */
  watch<T = KubeObject>(r: ResourceRef | string, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): WatchHandle {
    const path = (typeof r === 'string' ? r : resourcePath(r)) + query({ watch: 'true', ...opts });
    let req: ReturnType<typeof https.request> | undefined;
    let aborted = false;
    const done = new Promise<void>((resolve, reject) => {
      req = https.request(
        { host: this.server.hostname, port: this.server.port || 443, method: 'GET', path, agent: this.agent, headers: { accept: 'application/json', ...this.authHeader } },
        (res) => {
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => reject(toStatusError(code, Buffer.concat(chunks).toString('utf8'))));
            return;
          }
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buf += c;
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (!line.trim() || aborted) continue;
              try {
                onEvent(JSON.parse(line) as WatchEvent<T>);
              } catch (e) {
                // A garbled line (or a throwing callback) ends this watch instead of the process.
                aborted = true;
                req?.destroy();
                reject(e);
                return;
              }
            }
          });
          res.on('end', () => resolve());
          res.on('close', () => resolve());
          res.on('error', () => resolve());
        },
      );
      req.on('error', (e) => (aborted ? resolve() : reject(e)));
      req.end();
    });
    return {
      abort() {
        aborted = true;
        req?.destroy();
      },
      done,
    };
  }
}

/** The ClientConfig of a kubeconfig's current (or named) context. */
export function loadKubeconfig(path: string, contextName?: string): ClientConfig {
  const doc: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (!isPlainObject(doc)) throw new Error(`kubeconfig ${path}: not a mapping`);
  const named = (list: unknown, name: unknown, what: string): Record<string, unknown> => {
    const hit = Array.isArray(list) ? list.find((e) => isPlainObject(e) && e.name === name) : undefined;
    const v = isPlainObject(hit) ? hit[what] : undefined;
    if (!isPlainObject(v)) throw new Error(`kubeconfig ${path}: no ${what} named ${String(name)}`);
    return v;
  };
  const ctx = named(doc.contexts, contextName ?? doc['current-context'], 'context');
  const cluster = named(doc.clusters, ctx.cluster, 'cluster');
  const user = named(doc.users, ctx.user, 'user');
  const pem = (data: unknown, file: unknown): string | undefined =>
    typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : typeof file === 'string' ? readFileSync(file, 'utf8') : undefined;
  const server = String(cluster.server);
  const ca = pem(cluster['certificate-authority-data'], cluster['certificate-authority']) ?? '';
  if (typeof user.token === 'string') return { server, ca, token: user.token };
  const cert = pem(user['client-certificate-data'], user['client-certificate']);
  const key = pem(user['client-key-data'], user['client-key']);
  if (!cert || !key) throw new Error(`kubeconfig ${path}: user has neither a token nor a client certificate`);
  return { server, ca, cert, key };
}
