// Tables for core/v1 kinds other than Pod, as upstream's printers render them.
import type {
  ConfigMap,
  Endpoints,
  LimitRange,
  LoadBalancerStatus,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
  ServicePort,
} from 'kubernetes-types/core/v1.js';
import { ageCol, ageOf, col, containerCells, formatLabels, int, listWithMore, nameCol, nameOf, table, wide } from './columns.js';

/** makePortString: `80/TCP`, `80:30080/TCP`, comma-joined. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

/** loadBalancerStatusStringer (server-side tables are always generated wide: no truncation). */
export function loadBalancerIPs(lb: { ingress?: { ip?: string; hostname?: string }[] } | LoadBalancerStatus | undefined): string {
  const out: string[] = [];
  for (const i of lb?.ingress ?? []) {
    if (i.ip) out.push(i.ip);
    else if (i.hostname) out.push(i.hostname);
  }
  return out.join(',');
}

function serviceExternalIP(svc: Service): string {
  const ext = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc.status?.loadBalancer);
      if (ext.length) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
  }
  return '<unknown>';
}

export const serviceTable = table<Service>(
  [nameCol(), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), ageCol(), wide('Selector')],
  (svc, now) => [
    nameOf(svc),
    svc.spec?.type ?? '',
    svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>',
    serviceExternalIP(svc),
    servicePorts(svc.spec?.ports) || '<none>',
    ageOf(svc, now),
    formatLabels(svc.spec?.selector),
  ],
);

export const configMapTable = table<ConfigMap>([nameCol(), col('Data', 'integer'), ageCol()], (cm, now) => [
  nameOf(cm),
  Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
  ageOf(cm, now),
]);

export const secretTable = table<Secret>([nameCol(), col('Type'), col('Data', 'integer'), ageCol()], (s, now) => [
  nameOf(s),
  s.type ?? '',
  Object.keys(s.data ?? {}).length,
  ageOf(s, now),
]);

export const serviceAccountTable = table<ServiceAccount>([nameCol(), col('Secrets', 'integer'), ageCol()], (sa, now) => [
  nameOf(sa),
  (sa.secrets ?? []).length,
  ageOf(sa, now),
]);

export const namespaceTable = table<Namespace>([nameCol(), col('Status'), ageCol()], (ns, now) => [
  nameOf(ns),
  ns.status?.phase ?? '',
  ageOf(ns, now),
]);

/** findNodeRoles: `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted. */
function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const r = k.slice('node-role.kubernetes.io/'.length);
      if (r) roles.add(r);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodeTable = table<Node>(
  [
    nameCol(), col('Status'), col('Roles'), ageCol(), col('Version'),
    wide('Internal-IP'), wide('External-IP'), wide('OS-Image'), wide('Kernel-Version'), wide('Container-Runtime'),
  ],
  (node, now) => {
    const status: string[] = [];
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
    else status.push('Unknown');
    if (node.spec?.unschedulable) status.push('SchedulingDisabled');
    const info = node.status?.nodeInfo;
    return [
      nameOf(node), status.join(','), nodeRoles(node), ageOf(node, now), info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'), nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>', info?.kernelVersion || '<unknown>', info?.containerRuntimeVersion || '<unknown>',
    ];
  },
);

/** formatEndpoints: up to three `ip:port` entries then ` + N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  if (!ep.subsets || ep.subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of ep.subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) list.push(a.ip);
      continue;
    }
    for (const p of ss.ports) {
      count += addrs.length;
      for (const a of addrs) list.push(a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
    }
  }
  return listWithMore(list, count, 3, '');
}

export const endpointsTable = table<Endpoints>([nameCol(), col('Endpoints'), ageCol()], (ep, now) => [
  nameOf(ep),
  formatEndpoints(ep),
  ageOf(ep, now),
]);

const ACCESS_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];
export function accessModes(modes: string[] | undefined): string {
  return ACCESS_MODES.filter(([m]) => (modes ?? []).includes(m)).map(([, s]) => s).join(',');
}

function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  // GetPersistentVolume(Claim)Class: the beta annotation wins over the field.
  return obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? obj.spec?.storageClassName ?? '';
}

export const persistentVolumeTable = table<PersistentVolume>(
  [
    nameCol(), col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'),
    col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), ageCol(), wide('VolumeMode'),
  ],
  (pv, now) => {
    const ref = pv.spec?.claimRef;
    return [
      nameOf(pv),
      pv.spec?.capacity?.storage !== undefined ? String(pv.spec.capacity.storage) : '0',
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      pv.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '',
      ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '',
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      ageOf(pv, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
);

export const persistentVolumeClaimTable = table<PersistentVolumeClaim>(
  [
    nameCol(), col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'),
    col('VolumeAttributesClass'), ageCol(), wide('VolumeMode'),
  ],
  (pvc, now) => {
    const bound = !!pvc.spec?.volumeName;
    const cap = pvc.status?.capacity?.storage;
    return [
      nameOf(pvc),
      pvc.metadata?.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '',
      pvc.spec?.volumeName ?? '',
      bound ? (cap !== undefined ? String(cap) : '0') : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      ageOf(pvc, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
);

export const resourceQuotaTable = table<ResourceQuota>([nameCol(), ageCol(), col('Request'), col('Limit')], (q, now) => {
  const req: string[] = [];
  const lim: string[] = [];
  for (const r of Object.keys(q.spec?.hard ?? {}).sort()) {
    const used = q.status?.used?.[r] ?? '0';
    const hard = q.status?.hard?.[r] ?? '0';
    const pieces = r.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? lim : req).push(`${r}: ${used}/${hard}`);
  }
  return [nameOf(q), ageOf(q, now), req.join(', '), lim.join(', ')];
});

export const limitRangeTable = table<LimitRange>([nameCol(), col('Created At', 'date')], (lr) => [
  nameOf(lr),
  lr.metadata?.creationTimestamp ?? '',
]);

export const replicationControllerTable = table<ReplicationController>(
  [nameCol(), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageCol(), wide('Containers'), wide('Images'), wide('Selector')],
  (rc, now) => {
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      nameOf(rc), int(rc.spec?.replicas), int(rc.status?.replicas), int(rc.status?.readyReplicas), ageOf(rc, now),
      names, images, formatLabels(rc.spec?.selector),
    ];
  },
);

export const podTemplateTable = table<PodTemplate>(
  [nameCol(), col('Containers'), col('Images'), col('Pod Labels')],
  (pt) => {
    const [names, images] = containerCells(pt.template?.spec?.containers);
    return [nameOf(pt), names, images, formatLabels(pt.template?.metadata?.labels)];
  },
);

interface ComponentStatus {
  metadata?: { name?: string };
  conditions?: { type?: string; status?: string; message?: string; error?: string }[];
}
export const componentStatusTable = table<ComponentStatus>(
  [nameCol(), col('Status'), col('Message'), col('Error')],
  (cs) => {
    let status = 'Unknown';
    let message = '';
    let error = '';
    for (const c of cs.conditions ?? []) {
      if (c.type !== 'Healthy') continue;
      status = c.status === 'True' ? 'Healthy' : 'Unhealthy';
      message = c.message ?? '';
      error = c.error ?? '';
      break;
    }
    return [nameOf(cs), status, message, error];
  },
);
