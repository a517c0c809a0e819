// Strategy hooks for the core/v1 types other than Pod (upstream pkg/registry/core/<type>/strategy.go):
// defaults, create-time status, tables and field selectors, grouped per type so core.ts stays a
// readable list of discovery facts.
import type {
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  ReplicationController,
  Secret,
  Service,
  ServiceSpec,
} from 'kubernetes-types/core/v1.js';
import { selectorFromSet } from '../../machinery/labels.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import {
  defaultEndpoints,
  defaultLimitRange,
  defaultNamespace,
  defaultNode,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultPodTemplate,
  defaultReplicationController,
  defaultResourceQuota,
  defaultSecret,
  defaultService,
} from '../defaults/core.js';
import * as t from '../tables/core.js';
import { eventTable } from '../tables/events.js';
import { eventFieldSelectors } from './events-convert.js';
import type { ResourceSpec } from './define.js';
import { hook, hook2, resetStatus } from './define.js';

/**
 * Hook for Service IP/port allocation (upstream does it in the service REST, not in defaulting).
 * Called from prepareForCreate (old undefined) and prepareForUpdate, after defaults; it should set
 * spec.clusterIP/clusterIPs (unless `None` or ExternalName) and nodePorts for NodePort/LoadBalancer.
 */
export type ServiceAllocator = (svc: Service, old?: Service) => void;

type Hooks = Partial<ResourceSpec>;

function fields<T>(fn: (obj: T) => Record<string, string | undefined>): ResourceSpec['fieldSelectors'] {
  return fn as unknown as ResourceSpec['fieldSelectors'];
}

function setStatus<T>(obj: T, status: unknown): void {
  (obj as { status?: unknown }).status = status;
}

/** Service create: status `{loadBalancer: {}}`, single-stack IPv4 families, then allocation. */
export function prepareServiceForCreate(svc: Service, allocate?: ServiceAllocator): void {
  defaultService(svc);
  const spec = svc.spec!;
  setStatus(svc, { loadBalancer: {} });
  if (spec.type !== 'ExternalName') {
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
  allocate?.(svc);
  if (spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
}

/**
 * Service update: upstream's patchAllocatedValues — a PUT that omits allocated values (clusterIP,
 * node ports, health-check port, IP families) keeps the old ones, so `kubectl replace`/`apply` work.
 */
export function prepareServiceForUpdate(svc: Service, old: Service, allocate?: ServiceAllocator): void {
  defaultService(svc);
  const spec = svc.spec!;
  const o: ServiceSpec = old.spec ?? {};
  const wantsIP = (s: ServiceSpec) => s.type !== 'ExternalName';
  if (wantsIP(spec) && wantsIP(o)) {
    if (!spec.clusterIP && o.clusterIP) spec.clusterIP = o.clusterIP;
    if (!spec.clusterIPs && o.clusterIPs && spec.clusterIP === o.clusterIP) spec.clusterIPs = [...o.clusterIPs];
    // upstream normalizeClusterIPs: a client that changed only the singular field meant the plural
    // too, so validation reports `spec.clusterIPs[0]: … may not change once set`.
    const sameIPs = JSON.stringify(spec.clusterIPs ?? []) === JSON.stringify(o.clusterIPs ?? []);
    if (spec.clusterIP && spec.clusterIP !== o.clusterIP && sameIPs) spec.clusterIPs = [spec.clusterIP];
    if (!spec.ipFamilies && o.ipFamilies) spec.ipFamilies = [...o.ipFamilies];
    if (!spec.ipFamilyPolicy && o.ipFamilyPolicy) spec.ipFamilyPolicy = o.ipFamilyPolicy;
  }
  const needsNodePorts = (s: ServiceSpec) => s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (needsNodePorts(spec) && needsNodePorts(o)) {
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const prev = (o.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (prev?.nodePort) p.nodePort = prev.nodePort;
    }
    if (!spec.healthCheckNodePort && o.healthCheckNodePort) spec.healthCheckNodePort = o.healthCheckNodePort;
  }
  allocate?.(svc, old);
  if (spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
}

export function prepareNamespaceForCreate(ns: Namespace): void {
  defaultNamespace(ns);
  setStatus(ns, { phase: 'Active' });
  const spec = (ns.spec ??= {});
  // The namespace controller's finalizer: deletion waits until the namespace's content is gone.
  if (!(spec.finalizers ?? []).includes('kubernetes')) spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
}

export function coreHooks(allocate?: ServiceAllocator): Record<string, Hooks> {
  return {
    componentStatus: { table: t.componentStatusTable },
    configMap: { table: t.configMapTable },
    endpoints: { defaults: hook(defaultEndpoints), table: t.endpointsTable },
    event: { table: eventTable, fieldSelectors: eventFieldSelectors },
    limitRange: { defaults: hook(defaultLimitRange), table: t.limitRangeTable },
    namespace: {
      defaults: hook(defaultNamespace),
      prepareForCreate: hook(prepareNamespaceForCreate),
      extraFinalizers: ((ns: Namespace) => ns.spec?.finalizers ?? []) as ResourceSpec['extraFinalizers'],
      // Upstream lets spec.finalizers change only through the finalize subresource; the store's update
      // path does not tell hooks which subresource is written, so that rule is not enforced here.
      table: t.namespaceTable,
      fieldSelectors: fields<Namespace>((ns) => ({ 'status.phase': ns.status?.phase ?? '', name: ns.metadata?.name ?? '' })),
    },
    node: {
      defaults: hook(defaultNode),
      prepareForCreate: hook<Node>((n) => {
        delete n.spec?.configSource;
        n.spec ??= {};
      }),
      table: t.nodeTable,
      fieldSelectors: fields<Node>((n) => ({ 'spec.unschedulable': String(n.spec?.unschedulable ?? false) })),
    },
    pvc: {
      defaults: hook(defaultPersistentVolumeClaim),
      prepareForCreate: hook<PersistentVolumeClaim>((pvc) => {
        defaultPersistentVolumeClaim(pvc);
        setStatus(pvc, { phase: 'Pending' });
      }),
      table: t.persistentVolumeClaimTable,
      fieldSelectors: fields<PersistentVolumeClaim>((o) => ({ name: o.metadata?.name ?? '' })),
    },
    pv: {
      defaults: hook(defaultPersistentVolume),
      prepareForCreate: hook<PersistentVolume>((pv) => {
        defaultPersistentVolume(pv);
        setStatus(pv, { phase: 'Pending', lastPhaseTransitionTime: rfc3339(new Date()) });
      }),
      table: t.persistentVolumeTable,
      fieldSelectors: fields<PersistentVolume>((o) => ({ name: o.metadata?.name ?? '' })),
    },
    podTemplate: { defaults: hook(defaultPodTemplate), table: t.podTemplateTable },
    replicationController: {
      defaults: hook(defaultReplicationController),
      // ReplicationControllerStatus.replicas is not omitempty in Go: a fresh status reads `{replicas: 0}`.
      prepareForCreate: resetStatus(() => ({ replicas: 0 })),
      scale: {
        specReplicasPath: ['spec', 'replicas'],
        statusReplicasPath: ['status', 'replicas'],
        // RC selectors are plain maps.
        selector: (obj: KubeObject) => selectorFromSet((obj.spec as { selector?: Record<string, string> } | undefined)?.selector).toString(),
      },
      table: t.replicationControllerTable,
      fieldSelectors: fields<ReplicationController>((rc) => ({ 'status.replicas': String(rc.status?.replicas ?? 0) })),
    },
    resourceQuota: { defaults: hook(defaultResourceQuota), prepareForCreate: resetStatus(), table: t.resourceQuotaTable },
    secret: {
      defaults: hook(defaultSecret),
      table: t.secretTable,
      fieldSelectors: fields<Secret>((s) => ({ type: s.type ?? '' })),
    },
    serviceAccount: { table: t.serviceAccountTable },
    service: {
      defaults: hook(defaultService),
      prepareForCreate: hook<Service>((svc) => prepareServiceForCreate(svc, allocate)),
      prepareForUpdate: hook2<Service>((svc, old) => prepareServiceForUpdate(svc, old, allocate)),
      table: t.serviceTable,
      fieldSelectors: fields<Service>((s) => ({ 'spec.clusterIP': s.spec?.clusterIP ?? '', 'spec.type': s.spec?.type ?? '' })),
    },
  };
}
