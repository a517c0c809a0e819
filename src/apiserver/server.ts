// The Skiff API server: HTTPS (HTTP/2 with HTTP/1.1 fallback) with client-certificate requests,
// the handler chain authn → authz → routing (non-resource endpoints, discovery, OpenAPI, generic
// REST for every registered type) with per-request timeouts, in front of the watch cache over storage.
import http2 from 'node:http2';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Storage } from '../storage/interface.js';
import type { Registry } from '../api/registry.js';
import type { ResourceType } from '../api/resource-type.js';
import type { Authenticator, Authorizer } from './auth/types.js';
import { forbidden, methodNotAllowed, timeout as timeoutError } from '../machinery/errors.js';
import { GenericStore, type StoreContext } from './generic-store.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { writeError } from './errors-response.js';
import type { Response } from './response.js';
import { authenticate } from './authenticate.js';
import { serveNonResource } from './non-resource.js';
import { notFound404 } from './not-found.js';
import { negotiateOutput } from './negotiation.js';
import { dispatch } from './handlers/dispatch.js';
import { registerUpgrade } from './handlers/upgrade-proxy.js';
import type { HandlerContext } from './handlers/context.js';
import { createOpenAPIService, type OpenAPIService } from '../api/openapi/index.js';
import { createCacher } from '../storage/cacher/index.js';
import { bootstrap } from './bootstrap.js';
import { prepareNamespace } from './namespace-lifecycle.js';
import { allocateServiceOnCreate, allocateServiceOnUpdate } from './service-ip.js';
import { parseGoDuration } from './duration.js';
import { admitPodPriority, bootstrapSystemPriorityClasses } from './priority-admission.js';

export interface ApiServerOptions {
  storage: Storage;
  registry: Registry;
  authenticators: Authenticator[];
  authorizer: Authorizer;
  tls: { cert: string; key: string; ca: string };
  port: number;
  host: string;
  /** How often watches that allow bookmarks get a BOOKMARK (default 10 s; tests shorten it). */
  watchBookmarkIntervalMs?: number;
  /** Client certificate presented to kubelets when proxying pods/log, exec, attach, portforward. */
  kubeletClient?: { cert: string; key: string };
}

export interface RunningApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const LONG_RUNNING_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

function isCore(rt: ResourceType, plural: string): boolean {
  return rt.group === '' && rt.plural === plural;
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const cached = createCacher(opts.storage);
  await cached.ready();
  const storage: Storage = cached;
  const registry = opts.registry;

  const ctx: StoreContext = {
    storage,
    registry,
    now: () => new Date(),
    async beforeCreate(rt, obj) {
      if (isCore(rt, 'namespaces')) prepareNamespace(obj);
      if (isCore(rt, 'services')) await allocateServiceOnCreate(ctx, rt, obj);
      if (isCore(rt, 'pods')) await admitPodPriority(ctx, obj);
    },
    async beforeUpdate(rt, obj, old) {
      if (isCore(rt, 'services')) await allocateServiceOnUpdate(ctx, rt, obj, old);
    },
  };
  const stores = new Map<ResourceType, GenericStore>();
  const storeOf = (rt: ResourceType) => {
    let s = stores.get(rt);
    if (!s) stores.set(rt, (s = new GenericStore(rt, ctx)));
    return s;
  };

  // Built on first use: the documents cost a few hundred milliseconds and only kubectl apply/explain need them.
  let openapiSvc: OpenAPIService | undefined;
  const openapi = () => (openapiSvc ??= createOpenAPIService(registry));

  let boundPort = opts.port;
  const serverAddress = () => `${opts.host}:${boundPort}`;

  async function handleResource(req: IncomingMessage | http2.Http2ServerRequest, res: Response, info: RequestInfo, url: URL, closed: Promise<void>, user: HandlerContext['user']): Promise<void> {
    const rt = registry.get(info.apiGroup, info.apiVersion, info.resource);
    if (!rt) throw notFound404();
    if (!rt.namespaced && info.namespace) throw notFound404();
    if (rt.namespaced && !info.namespace && info.name && info.verb !== 'watch') throw notFound404();
    // Across all namespaces a namespaced type serves only list and watch (upstream registers no other
    // route there): `DELETE /api/v1/pods` must not be a deletecollection over every namespace.
    if (rt.namespaced && !info.namespace && info.verb !== 'list' && info.verb !== 'watch') {
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
    const hctx: HandlerContext = {
      req,
      res,
      query: url.searchParams,
      info,
      user,
      rt,
      store: storeOf(rt),
      storeFor: (g, v, p) => {
        const t = registry.get(g, v, p);
        return t ? storeOf(t) : undefined;
      },
      output: negotiateOutput(req.headers.accept),
      closed,
      warnings: [],
      now: () => new Date(),
      bookmarkIntervalMs: opts.watchBookmarkIntervalMs,
      kubeletClient: opts.kubeletClient,
    };
    // Long-running requests have no deadline (upstream's longRunningRequestCheck: watch, and the
    // log, exec, attach, portforward and proxy subresources).
    if (info.verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(info.subresource)) return dispatch(hctx);
    const t = url.searchParams.get('timeout');
    let ms = DEFAULT_TIMEOUT_MS;
    if (t) {
      const d = parseGoDuration(t);
      if (d !== undefined && d > 0) ms = Math.min(d, DEFAULT_TIMEOUT_MS);
    }
    let timer: NodeJS.Timeout | undefined;
    let pending: Pending | undefined;
    const expired = new Promise<never>((_, reject) => {
      const fail = () => reject(timeoutError('Timeout: request did not complete within requested timeout - context deadline exceeded'));
      // The default minute is enforced by one shared sweep (a timer per request costs more than
      // many handlers); an explicit ?timeout= gets its own precise timer.
      if (ms === DEFAULT_TIMEOUT_MS) deadlines.add((pending = { at: Date.now() + ms, fail }));
      else timer = setTimeout(fail, ms);
    });
    try {
      await Promise.race([dispatch(hctx), expired]);
    } finally {
      if (timer) clearTimeout(timer);
      if (pending) deadlines.delete(pending);
    }
  }
  interface Pending {
    at: number;
    fail(): void;
  }
  const deadlines = new Set<Pending>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const p of deadlines) {
      if (p.at > now) continue;
      deadlines.delete(p);
      p.fail();
    }
  }, 250);
  sweep.unref();

  async function handle(req: IncomingMessage | http2.Http2ServerRequest, res: Response): Promise<void> {
    let finishClosed!: () => void;
    const closed = new Promise<void>((r) => (finishClosed = r));
    res.on('close', () => finishClosed());
    // Socket-level failures (client resets) must never become unhandled 'error' events.
    req.on('error', () => finishClosed());
    res.on('error', () => finishClosed());
    try {
      // Resolved against the origin as text: `new URL(path, base)` would read `//api/…` as a host
      // and silently resolve `..` segments, so `DELETE …/namespaces/a/../b/configmaps` acted on b.
      // Upstream matches the path as sent (no route has a `.`/`..` or empty segment): 404.
      const rawPath = (req.url ?? '/').split('?')[0]!;
      const url = new URL('https://skiff.invalid' + (req.url?.startsWith('/') ? req.url : '/'));
      const user = authenticate(opts.authenticators, req);
      if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(rawPath) || (/^\/+apis?(\/|$)/.test(rawPath) && /\/\/./.test(rawPath))) throw notFound404();
      const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      const decision = opts.authorizer.authorize(
        info.isResourceRequest
          ? { user, verb: info.verb, apiGroup: info.apiGroup, apiVersion: info.apiVersion, resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name }
          : { user, verb: info.verb, path: url.pathname },
      );
      if (!decision.allowed) {
        const what = info.isResourceRequest
          ? `${info.resource}${info.apiGroup ? '.' + info.apiGroup : ''}${info.name ? ` "${info.name}"` : ''} is forbidden: User "${user.name}" cannot ${info.verb} resource "${info.resource}" in API group "${info.apiGroup}"${info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope'}`
          : `forbidden: User "${user.name}" cannot ${info.verb} path "${url.pathname}"`;
        throw forbidden(decision.reason ? `${what}: ${decision.reason}` : what);
      }
      if (!info.isResourceRequest) {
        if (await serveNonResource({ registry, serverAddress, openapi }, url.pathname, req.headers.accept, res)) return;
        throw notFound404();
      }
      await handleResource(req, res, info, url, closed, user);
    } catch (e) {
      if (!res.headersSent) writeError(res, e);
      else if (!res.writableEnded) res.end();
    }
  }

  const server = http2.createSecureServer({
    allowHTTP1: true,
    requestCert: true,
    rejectUnauthorized: false,
    ca: opts.tls.ca,
    cert: opts.tls.cert,
    key: opts.tls.key,
  });
  server.on('request', (req, res) => {
    handle(req, res).catch((e) => {
      console.error('skiff apiserver: unhandled error:', e);
    });
  });
  // Upgrade requests (WebSocket, SPDY: exec, attach, portforward) take the same authn → authz →
  // routing chain as any request, through a response object bound to the raw socket; a handler that
  // proxies the upgrade takes the socket over, anything else is answered normally and closed.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.once('finish', () => socket.end());
    registerUpgrade({ req, socket, head, res });
    handle(req, res).catch((e) => {
      console.error('skiff apiserver: unhandled error:', e);
    });
  });
  server.on('sessionError', () => {});
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;

  const namespaces = registry.get('', 'v1', 'namespaces');
  const services = registry.get('', 'v1', 'services');
  const endpoints = registry.get('', 'v1', 'endpoints');
  const endpointSlices = registry.get('discovery.k8s.io', 'v1', 'endpointslices');
  if (namespaces) {
    await bootstrap(
      {
        namespaces: storeOf(namespaces),
        services: services ? storeOf(services) : undefined,
        endpoints: endpoints ? storeOf(endpoints) : undefined,
        endpointSlices: endpointSlices ? storeOf(endpointSlices) : undefined,
      },
      boundPort,
      opts.host,
    );
  }
  const priorityClasses = registry.get('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (priorityClasses) await bootstrapSystemPriorityClasses(storeOf(priorityClasses));

  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    port: boundPort,
    url: `https://${host}:${boundPort}`,
    async close() {
      clearInterval(sweep);
      const done = new Promise<void>((r) => server.close(() => r()));
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      await done;
      await cached.close();
    },
  };
}
