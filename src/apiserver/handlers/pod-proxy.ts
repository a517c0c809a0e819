// pods/log, pods/exec, pods/attach and pods/portforward: validated as upstream's
// pkg/registry/core/pod/strategy.go (LogLocation, streamLocation, PortForwardLocation), then proxied
// to the kubelet of the pod's node — logs as a streamed GET, the others as a raw upgrade proxy
// (upgrade-proxy.ts). The API server authenticates to the kubelet with its kubelet client certificate
// and, like upstream without --kubelet-certificate-authority, does not verify the kubelet's.
import { request as httpsRequest } from 'node:https';
import type { KubeObject } from '../../machinery/object.js';
import { badRequest, internalError, StatusError, type StatusReason } from '../../machinery/errors.js';
import type { HandlerContext } from './context.js';
import { proxyUpgrade, upgradeOf } from './upgrade-proxy.js';

export interface KubeletClientConfig {
  cert: string;
  key: string;
}

export type StreamKind = 'log' | 'exec' | 'attach' | 'portforward';

export interface KubeletLocation {
  host: string;
  port: number;
  /** Path and query on the kubelet, e.g. `/exec/default/p/c?command=ls&stdout=true`. */
  path: string;
}

interface ContainerLike {
  name?: string;
}
interface PodLike extends KubeObject {
  spec?: { nodeName?: string; containers?: ContainerLike[]; initContainers?: ContainerLike[]; ephemeralContainers?: ContainerLike[] };
}
interface NodeLike extends KubeObject {
  status?: { addresses?: Array<{ type?: string; address?: string }>; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
}

const names = (cs: ContainerLike[] | undefined) => (cs ?? []).map((c) => c.name ?? '');
const KUBELET_PATH: Record<StreamKind, string> = { log: 'containerLogs', exec: 'exec', attach: 'attach', portforward: 'portForward' };
/** Address types in the order we dial them (upstream's is configurable; InternalIP first works without DNS). */
const ADDRESS_ORDER = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalIP', 'ExternalDNS'];
const DEFAULT_KUBELET_PORT = 10250;

/** The container a request is about, defaulted and validated with upstream's messages. */
export function podContainer(pod: PodLike, name: string, requested: string): string {
  const spec = pod.spec ?? {};
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  if (!requested) {
    if (containers.length === 1) return containers[0]!;
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...init, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** Where on which kubelet the request goes; undefined for logs of a pod with no node (empty body, as upstream). */
export async function kubeletLocation(ctx: HandlerContext, kind: StreamKind): Promise<KubeletLocation | undefined> {
  const { namespace: ns, name } = ctx.info;
  const pod = (await ctx.store.get(ns, name)) as PodLike;
  const query = new URLSearchParams(ctx.query);
  let path = `/${KUBELET_PATH[kind]}/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
  if (kind !== 'portforward') {
    path += `/${encodeURIComponent(podContainer(pod, name, query.get('container') ?? ''))}`;
    query.delete('container');
  }
  if (kind === 'exec' && query.getAll('command').length === 0) throw badRequest('you must specify at least 1 command');
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    if (kind === 'log') return undefined;
    throw badRequest(`pod ${name} does not have a host assigned`);
  }
  const nodes = ctx.storeFor('', 'v1', 'nodes');
  if (!nodes) throw internalError('no nodes resource');
  const node = (await nodes.get('', nodeName)) as NodeLike;
  const addrs = node.status?.addresses ?? [];
  const host = ADDRESS_ORDER.map((t) => addrs.find((a) => a.type === t && a.address)?.address).find(Boolean);
  if (!host) throw internalError(`no preferred addresses found; known addresses: []`);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT;
  const qs = query.toString();
  return { host, port, path: qs ? `${path}?${qs}` : path };
}

const REASONS: Record<number, StatusReason> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 429: 'TooManyRequests', 503: 'ServiceUnavailable', 504: 'Timeout' };

/** A kubelet's error answer as a Status: its text becomes the message, as upstream's generic response checker. */
export function kubeletError(code: number, body: string): StatusError {
  const reason = REASONS[code] ?? 'InternalError';
  const message = body.trim() || `the server rejected our request for an unknown reason`;
  return new StatusError({ status: 'Failure', code: code >= 400 ? code : 500, reason, message });
}

export async function handlePodLog(ctx: HandlerContext, kubelet: KubeletClientConfig | undefined): Promise<void> {
  const loc = await kubeletLocation(ctx, 'log');
  if (!loc) {
    ctx.res.writeHead(200, { 'content-type': 'text/plain' });
    ctx.res.end();
    return;
  }
  if (!kubelet) throw internalError('the API server has no kubelet client credentials');
  await new Promise<void>((resolve, reject) => {
    const out = httpsRequest({ host: loc.host, port: loc.port, path: loc.path, method: 'GET', cert: kubelet.cert, key: kubelet.key, rejectUnauthorized: false, agent: false });
    void ctx.closed.then(() => out.destroy());
    out.on('error', (e) => reject(internalError(`Get "https://${loc.host}:${loc.port}${loc.path}": ${e.message}`)));
    out.on('response', (kres) => {
      const code = kres.statusCode ?? 500;
      if (code !== 200) {
        let body = '';
        kres.setEncoding('utf8');
        kres.on('data', (d: string) => (body.length < 64 * 1024 ? (body += d) : undefined));
        kres.on('end', () => reject(kubeletError(code, body)));
        kres.on('error', () => reject(kubeletError(code, body)));
        return;
      }
      ctx.res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' });
      // Each chunk is written as it comes, so `kubectl logs -f` sees lines while they are logged.
      kres.on('data', (d: Buffer) => {
        if (!(ctx.res as NodeJS.WritableStream).write(d)) {
          kres.pause();
          ctx.res.once('drain', () => kres.resume());
        }
      });
      kres.on('end', () => {
        ctx.res.end();
        resolve();
      });
      kres.on('error', () => {
        ctx.res.end();
        resolve();
      });
    });
    out.end();
  });
}

/** exec, attach, portforward: only as an upgrade (WebSocket or SPDY), proxied raw to the kubelet. */
export async function handlePodStream(ctx: HandlerContext, kind: Exclude<StreamKind, 'log'>, kubelet: KubeletClientConfig | undefined): Promise<void> {
  const loc = await kubeletLocation(ctx, kind);
  const up = upgradeOf(ctx.req);
  if (!up) throw badRequest('Upgrade request required');
  if (!kubelet) throw internalError('the API server has no kubelet client credentials');
  await proxyUpgrade(up, loc!, kubelet);
}
