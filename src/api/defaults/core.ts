// Upstream defaulting for core/v1 kinds other than Pod (pkg/apis/core/v1/defaults.go): Service,
// Namespace, Secret, PersistentVolume(Claim), Node, Endpoints, LimitRange, ReplicationController,
// PodTemplate.
import type {
  Endpoints,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimSpec,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
} from 'kubernetes-types/core/v1.js';
import { defaultPodTemplateSpec } from './pod.js';
import { canonicalResourceList } from './quantities.js';

/** service.ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with external IPs. */
function externallyAccessible(svc: Service): boolean {
  const t = svc.spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec?.externalIPs ?? []).length > 0);
}

export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  spec.type ||= 'ClusterIP';
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(svc)) spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.internalTrafficPolicy === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
}

export function defaultNamespace(ns: Namespace): void {
  const name = ns.metadata?.name;
  // SetDefaults_Namespace: the immutable name label every namespace carries.
  if (name) {
    ns.metadata!.labels ??= {};
    ns.metadata!.labels['kubernetes.io/metadata.name'] = name;
  }
  const status = ((ns as { status?: Namespace['status'] }).status ??= {});
  status.phase ||= 'Active';
}

export function defaultSecret(s: Secret): void {
  s.type ||= 'Opaque';
  // Upstream's v1 → internal conversion: stringData is a write-only convenience, merged into data
  // (base64) with stringData winning over data for the same key, and never stored or returned.
  if (s.stringData) {
    const data = (s.data ??= {});
    for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    delete s.stringData;
  }
}

export function defaultPersistentVolume(pv: PersistentVolume): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ||= 'Retain';
  spec.volumeMode ||= 'Filesystem';
  if (spec.hostPath) spec.hostPath.type ??= '';
  canonicalResourceList(spec.capacity);
  const status = ((pv as { status?: PersistentVolume['status'] }).status ??= {});
  status.phase ||= 'Pending';
}

export function defaultPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec | undefined): void {
  if (!spec) return;
  spec.volumeMode ||= 'Filesystem';
  canonicalResourceList(spec.resources?.requests);
  canonicalResourceList(spec.resources?.limits);
}

export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  defaultPersistentVolumeClaimSpec((pvc.spec ??= {}));
  const status = ((pvc as { status?: PersistentVolumeClaim['status'] }).status ??= {});
  status.phase ||= 'Pending';
  canonicalResourceList(status.capacity);
  canonicalResourceList(status.allocatedResources);
}

export function defaultNode(node: Node): void {
  // SetDefaults_NodeStatus: allocatable defaults to capacity.
  const status = node.status;
  canonicalResourceList(status?.capacity);
  canonicalResourceList(status?.allocatable);
  if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}

export function defaultEndpoints(ep: Endpoints): void {
  for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
}

export function defaultLimitRange(lr: LimitRange): void {
  for (const item of lr.spec?.limits ?? []) {
    for (const l of [item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio]) canonicalResourceList(l);
    if (item.type !== 'Container') continue;
    const def = (item.default ??= {});
    const defReq = (item.defaultRequest ??= {});
    // A missing default limit falls back to max; a missing default request to the default limit, then to min.
    for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in defReq)) defReq[k] = v;
    for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in defReq)) defReq[k] = v;
  }
}

export function defaultReplicationController(rc: ReplicationController): void {
  const spec = (rc.spec ??= {});
  const tmplLabels = spec.template?.metadata?.labels;
  // An RC without a selector selects its template's labels, and takes them as its own labels too.
  if (tmplLabels && Object.keys(tmplLabels).length > 0) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...tmplLabels };
    const meta = (rc.metadata ??= {});
    if (!meta.labels || Object.keys(meta.labels).length === 0) meta.labels = { ...tmplLabels };
  }
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template);
}

export function defaultPodTemplate(pt: PodTemplate): void {
  defaultPodTemplateSpec(pt.template);
}

export function defaultResourceQuota(q: ResourceQuota): void {
  canonicalResourceList(q.spec?.hard);
  canonicalResourceList(q.status?.hard);
  canonicalResourceList(q.status?.used);
}
