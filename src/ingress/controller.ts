// The built-in ingress controller: informers on Ingresses, IngressClasses, Services, EndpointSlices
// and Secrets feed an in-memory route table, endpoint cache and certificate map that the HTTP and
// HTTPS listeners read on every request, so changes apply without a restart (rebuilds are coalesced
// to one per event-loop turn). A work queue keeps each handled Ingress's status.loadBalancer equal
// to the configured addresses. Event handlers only mark things dirty; nothing here blocks a request.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { Secret, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import type { KubeClient } from '../client/http-client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { NAMESPACE_INDEX, metaNamespaceKey } from '../client/store.js';
import { WorkQueue } from '../client/workqueue.js';
import { isStatusError } from '../machinery/errors.js';
import type { KeyPairPem } from '../apiserver/pki/index.js';
import { DEFAULT_CLASS_NAME, ingressClassFor, isHandledIngress } from './class.js';
import { RoundRobin, resolveEndpoints, SERVICE_NAME_LABEL, type Endpoint } from './endpoints.js';
import { handleRequest, handleUpgrade, type ProxyTarget } from './proxy.js';
import { buildRouteTable, olderFirst, route, type Backend, type RouteTable } from './route-table.js';
import { loadBalancerIngress, statusUpToDate } from './status.js';
import { CertificateStore, selfSignedDefault } from './tls.js';

export interface IngressOptions {
  /** Port 0 = any free port (see RunningIngress for the one chosen). */
  httpListen: { address: string; port: number };
  httpsListen: { address: string; port: number };
  /** The IngressClass name served (default 'skiff'). */
  className?: string;
  /** Written to status.loadBalancer.ingress of handled Ingresses (IPs as `ip`, names as `hostname`). */
  statusAddresses: string[];
  log?(msg: string): void;
  /** Create the IngressClass when none of that name exists (default true)… */
  createIngressClass?: boolean;
  /** …marked as the cluster's default class (default true, as k3s does for its bundled Traefik). */
  defaultClass?: boolean;
  /** Certificate for hosts without a matching TLS Secret (default: a generated self-signed one). */
  defaultCertificate?: KeyPairPem;
  /** Upstream inactivity timeout before a 504 (default 60 s, ingress-nginx's proxy-read-timeout). */
  upstreamTimeoutMs?: number;
}

export interface RunningIngress {
  httpPort: number;
  httpsPort: number;
  stop(): Promise<void>;
}

const NET = 'networking.k8s.io';
const INGRESSES = { group: NET, version: 'v1', resource: 'ingresses' } as const;
const CLASSES = { group: NET, version: 'v1', resource: 'ingressclasses' } as const;

function listen(server: http.Server, l: { address: string; port: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.address, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : l.port);
    });
  });
}

/**
 * Starts the controller on the shared informer factory (it registers its five informers and calls
 * `informers.start()`, which is idempotent) and resolves once the caches are synced and both
 * listeners are up. stop() closes listeners and connections; the informers belong to the factory.
 */
export async function startIngressController(client: KubeClient, informers: InformerFactory, opts: IngressOptions): Promise<RunningIngress> {
  const className = opts.className ?? DEFAULT_CLASS_NAME;
  const log = opts.log ?? (() => {});
  const ingInf = informers.for<Ingress>(INGRESSES);
  const classInf = informers.for<IngressClass>(CLASSES);
  const svcInf = informers.for<Service>({ group: '', version: 'v1', resource: 'services' });
  const sliceInf = informers.for<EndpointSlice>({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
  const secretInf = informers.for<Secret>({ group: '', version: 'v1', resource: 'secrets' });

  const certs = new CertificateStore(opts.defaultCertificate ?? (await selfSignedDefault()), log);
  const wantStatus = loadBalancerIngress(opts.statusAddresses);
  const statusQueue = new WorkQueue();
  const rr = new RoundRobin();
  /** Ready endpoints by backend key; emptied on every Service or EndpointSlice change. */
  const endpointCache = new Map<string, Endpoint[]>();
  let table: RouteTable = buildRouteTable([]);
  let tlsSecrets = new Set<string>();
  let stopped = false;
  let rebuildPending = false;

  const handled = (): Ingress[] => {
    const cls = classInf.store.get(className);
    return ingInf.store.list().filter((i) => isHandledIngress(i, className, cls)).sort(olderFirst);
  };
  const rebuild = () => {
    rebuildPending = false;
    if (stopped) return;
    const ings = handled();
    table = buildRouteTable(ings);
    tlsSecrets = new Set(ings.flatMap((i) => (i.spec?.tls ?? []).map((t) => `${i.metadata?.namespace}/${t.secretName}`)));
    certs.update(ings, (k) => secretInf.store.get(k));
    for (const i of ings) if (!statusUpToDate(i, wantStatus)) statusQueue.add(metaNamespaceKey(i));
  };
  const scheduleRebuild = () => {
    if (rebuildPending || stopped) return;
    rebuildPending = true;
    setImmediate(rebuild);
  };
  const onAny = (f: () => void) => ({ onAdd: f, onUpdate: f, onDelete: f });
  ingInf.addEventHandler(onAny(scheduleRebuild));
  classInf.addEventHandler(onAny(scheduleRebuild));
  const onSecret = (s: Secret) => {
    if (tlsSecrets.has(metaNamespaceKey(s))) scheduleRebuild();
  };
  secretInf.addEventHandler({ onAdd: onSecret, onUpdate: (_o, n) => onSecret(n), onDelete: onSecret });
  const dropEndpoints = () => endpointCache.clear();
  svcInf.addEventHandler(onAny(dropEndpoints));
  sliceInf.addEventHandler(onAny(dropEndpoints));

  informers.start();
  await Promise.all([ingInf, classInf, svcInf, sliceInf, secretInf].map((i) => i.waitForSync()));

  if (opts.createIngressClass !== false && !classInf.store.get(className)) {
    try {
      await client.create(CLASSES, ingressClassFor(className, opts.defaultClass !== false));
      log(`ingress: created IngressClass ${className} (controller ${ingressClassFor(className, false).spec?.controller})`);
    } catch (e) {
      if (!(isStatusError(e) && e.reason === 'AlreadyExists')) throw e;
    }
  }
  rebuild();

  const endpointsFor = (b: Extract<Backend, { kind: 'service' }>, key: string): Endpoint[] => {
    let eps = endpointCache.get(key);
    if (!eps) {
      const slices = sliceInf.store.byIndex(NAMESPACE_INDEX, b.namespace).filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === b.service);
      eps = resolveEndpoints(svcInf.store.get(`${b.namespace}/${b.service}`), slices, b.port);
      endpointCache.set(key, eps);
    }
    return eps;
  };
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });
  const tunnels = new Set<Duplex>();
  const target: ProxyTarget = {
    route: (host, url) => route(table, host, url),
    pick: (b) => {
      const key = `${b.namespace}/${b.service}:${b.port.number ?? b.port.name}`;
      return rr.pick(key, endpointsFor(b, key));
    },
    agent,
    tunnels,
    upstreamTimeoutMs: opts.upstreamTimeoutMs ?? 60_000,
    log,
  };
  const httpServer = http.createServer((req, res) => handleRequest(target, 'http', req, res));
  httpServer.on('upgrade', (req, socket, head) => handleUpgrade(target, 'http', req, socket, head));
  const httpsServer = https.createServer(
    { ...certs.defaultCert, SNICallback: (name, cb) => cb(null, certs.select(name)) },
    (req, res) => handleRequest(target, 'https', req, res),
  );
  httpsServer.on('upgrade', (req, socket, head) => handleUpgrade(target, 'https', req, socket, head));

  const statusWorker = (async () => {
    for (;;) {
      const key = await statusQueue.get();
      if (key === undefined) return;
      try {
        await syncStatus(key);
        statusQueue.forget(key);
      } catch (e) {
        log(`ingress: status of ${key}: ${(e as Error).message}`);
        statusQueue.addRateLimited(key);
      } finally {
        statusQueue.done(key);
      }
    }
  })();
  async function syncStatus(key: string): Promise<void> {
    const ing = ingInf.store.get(key);
    if (!ing || stopped || !isHandledIngress(ing, className, classInf.store.get(className)) || statusUpToDate(ing, wantStatus)) return;
    try {
      await client.patch({ ...INGRESSES, namespace: ing.metadata?.namespace, name: ing.metadata?.name, subresource: 'status' }, { status: { loadBalancer: { ingress: wantStatus } } }, 'merge');
    } catch (e) {
      if (!(isStatusError(e) && e.code === 404)) throw e;
    }
  }

  const stop = async () => {
    stopped = true;
    statusQueue.shutDown();
    for (const s of tunnels) s.destroy();
    const closing = [httpServer, httpsServer].map((s) => new Promise<void>((r) => (s.listening ? s.close(() => r()) : r())));
    httpServer.closeAllConnections();
    httpsServer.closeAllConnections();
    await Promise.all(closing);
    agent.destroy();
    await statusWorker;
  };
  try {
    const httpPort = await listen(httpServer, opts.httpListen);
    const httpsPort = await listen(httpsServer, opts.httpsListen);
    log(`ingress: class ${className} on http ${opts.httpListen.address}:${httpPort}, https ${opts.httpsListen.address}:${httpsPort}`);
    return { httpPort, httpsPort, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
