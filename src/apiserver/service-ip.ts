// Service ClusterIP and NodePort allocation (upstream's ipallocator / portallocator, simplified):
// the service CIDR is 10.43.0.0/16 with 10.43.0.1 reserved for the `kubernetes` Service; the set of
// allocated values is derived from the stored Services at allocation time, so there is no separate
// allocator state to keep consistent.
import type { KubeObject } from '../machinery/object.js';
import { isPlainObject } from '../machinery/object.js';
import { StatusError } from '../machinery/errors.js';
import type { StoreContext } from './generic-store.js';
import { storagePrefix, type ResourceType } from '../api/resource-type.js';

export const SERVICE_CIDR = { base: (10 << 24) | (43 << 16), size: 1 << 16 };
export const KUBERNETES_SERVICE_IP = '10.43.0.1';
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

const ipToInt = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

interface ServiceSpecLike {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports?: Array<{ nodePort?: number; port?: number; protocol?: string; name?: string }>;
}

function specOf(obj: KubeObject): ServiceSpecLike {
  if (!isPlainObject(obj.spec)) obj.spec = {};
  return obj.spec as ServiceSpecLike;
}

function invalidService(name: string, field: string, value: string, detail: string): StatusError {
  const message = `Invalid value: ${value}: ${detail}`;
  return new StatusError({
    status: 'Failure',
    code: 422,
    reason: 'Invalid',
    message: `Service "${name}" is invalid: ${field}: ${message}`,
    details: { name, group: '', kind: 'Service', causes: [{ reason: 'FieldValueInvalid', message, field }] },
  });
}

async function allocated(ctx: StoreContext, rt: ResourceType, exceptUid?: string): Promise<{ ips: Set<string>; ports: Set<number> }> {
  const list = await ctx.storage.list(storagePrefix(rt));
  const ips = new Set<string>([KUBERNETES_SERVICE_IP]);
  const ports = new Set<number>();
  for (const kv of list.items) {
    const svc = JSON.parse(kv.value) as KubeObject;
    if (exceptUid && svc.metadata?.uid === exceptUid) continue;
    const spec = specOf(svc);
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) ips.add(ip);
    for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  }
  return { ips, ports };
}

function needsNodePorts(spec: ServiceSpecLike): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

export async function allocateServiceOnCreate(ctx: StoreContext, rt: ResourceType, svc: KubeObject): Promise<void> {
  const spec = specOf(svc);
  const name = svc.metadata?.name ?? '';
  if (spec.type === 'ExternalName') return;
  const { ips, ports } = await allocated(ctx, rt);
  const requested = spec.clusterIPs?.[0] ?? spec.clusterIP;
  if (requested === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
  } else if (requested) {
    const n = ipToInt(requested);
    const inRange = n > SERVICE_CIDR.base && n < SERVICE_CIDR.base + SERVICE_CIDR.size - 1;
    const isKube = requested === KUBERNETES_SERVICE_IP && name === 'kubernetes' && svc.metadata?.namespace === 'default';
    if (!inRange) {
      throw invalidService(name, 'spec.clusterIPs', `[]string{"${requested}"}`, `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is 10.43.0.0/16`);
    }
    if (ips.has(requested) && !isKube) {
      throw invalidService(name, 'spec.clusterIPs', `[]string{"${requested}"}`, `failed to allocate IP ${requested}: provided IP is already allocated`);
    }
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
  } else {
    let ip: string | undefined;
    for (let i = 0; i < 64 && !ip; i++) {
      const c = intToIp(SERVICE_CIDR.base + 2 + Math.floor(Math.random() * (SERVICE_CIDR.size - 3)));
      if (!ips.has(c)) ip = c;
    }
    for (let n = SERVICE_CIDR.base + 2; !ip && n < SERVICE_CIDR.base + SERVICE_CIDR.size - 1; n++) if (!ips.has(intToIp(n))) ip = intToIp(n);
    if (!ip) throw new StatusError({ status: 'Failure', code: 500, reason: 'InternalError', message: 'Internal error occurred: failed to allocate a serviceIP: range is full' });
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  if (spec.clusterIP !== 'None' || true) {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (needsNodePorts(spec)) allocateNodePorts(name, spec, ports);
}

function allocateNodePorts(name: string, spec: ServiceSpecLike, used: Set<number>): void {
  (spec.ports ?? []).forEach((p, i) => {
    if (p.nodePort) {
      if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
        throw invalidService(name, `spec.ports[${i}].nodePort`, String(p.nodePort), `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`);
      }
      if (used.has(p.nodePort)) throw invalidService(name, `spec.ports[${i}].nodePort`, String(p.nodePort), 'provided port is already allocated');
      used.add(p.nodePort);
      return;
    }
    let port: number | undefined;
    for (let t = 0; t < 64 && !port; t++) {
      const c = NODE_PORT_MIN + Math.floor(Math.random() * (NODE_PORT_MAX - NODE_PORT_MIN + 1));
      if (!used.has(c)) port = c;
    }
    for (let c = NODE_PORT_MIN; !port && c <= NODE_PORT_MAX; c++) if (!used.has(c)) port = c;
    if (!port) throw new StatusError({ status: 'Failure', code: 500, reason: 'InternalError', message: 'Internal error occurred: failed to allocate a nodePort: range is full' });
    used.add(port);
    p.nodePort = port;
  });
}

/** On update: keep allocated values the client omitted (upstream patchAllocatedValues), allocate new node ports. */
export async function allocateServiceOnUpdate(ctx: StoreContext, rt: ResourceType, svc: KubeObject, old: KubeObject): Promise<void> {
  const spec = specOf(svc);
  const oldSpec = specOf(old);
  if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!spec.clusterIPs && oldSpec.clusterIPs) spec.clusterIPs = oldSpec.clusterIPs;
    if (!spec.ipFamilies && oldSpec.ipFamilies) spec.ipFamilies = oldSpec.ipFamilies;
    if (!spec.ipFamilyPolicy && oldSpec.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
  }
  if (!needsNodePorts(spec)) {
    for (const p of spec.ports ?? []) delete p.nodePort;
    return;
  }
  const oldPorts = oldSpec.ports ?? [];
  for (const p of spec.ports ?? []) {
    if (p.nodePort) continue;
    const prev = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
    if (prev?.nodePort) p.nodePort = prev.nodePort;
  }
  if ((spec.ports ?? []).some((p) => !p.nodePort) || (spec.ports ?? []).some((p) => !oldPorts.some((o) => o.nodePort === p.nodePort))) {
    const { ports } = await allocated(ctx, rt, old.metadata?.uid);
    allocateNodePorts(svc.metadata?.name ?? '', spec, ports);
  }
}
