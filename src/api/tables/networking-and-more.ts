// Tables for networking.k8s.io, discovery.k8s.io, storage.k8s.io, scheduling.k8s.io, policy,
// coordination.k8s.io and rbac.authorization.k8s.io kinds, as upstream's printers render them.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { formatLabelSelector } from '../../machinery/labels.js';
import { ageCol, ageOf, col, listWithMore, nameCol, nameOf, table, wide } from './columns.js';
import { loadBalancerIPs } from './core.js';

/** formatHosts: up to three rule hosts then ` + N more...`; `*` when no rule names a host. */
function formatHosts(rules: { host?: string }[] | undefined): string {
  const list: string[] = [];
  const rs = rules ?? [];
  let more = false;
  for (const r of rs) {
    if (list.length === 3) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rs.length - 3} more...` : list.join(',');
}

export const ingressTable = table<Ingress>(
  [nameCol(), col('Class'), col('Hosts'), col('Address'), col('Ports'), ageCol()],
  (ing, now) => [
    nameOf(ing),
    ing.spec?.ingressClassName ?? '<none>',
    formatHosts(ing.spec?.rules),
    loadBalancerIPs(ing.status?.loadBalancer),
    (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
    ageOf(ing, now),
  ],
);

export const ingressClassTable = table<IngressClass>([nameCol(), col('Controller'), col('Parameters'), ageCol()], (ic, now) => {
  const p = ic.spec?.parameters;
  let params = '<none>';
  if (p) params = p.apiGroup ? `${p.kind}.${p.apiGroup}/${p.name}` : `${p.kind}/${p.name}`;
  return [nameOf(ic), ic.spec?.controller ?? '', params, ageOf(ic, now)];
});

export const networkPolicyTable = table<NetworkPolicy>([nameCol(), col('Pod-Selector'), ageCol()], (np, now) => [
  nameOf(np),
  formatLabelSelector(np.spec?.podSelector),
  ageOf(np, now),
]);

export const endpointSliceTable = table<EndpointSlice>(
  [nameCol(), col('AddressType'), col('Ports'), col('Endpoints'), ageCol()],
  (es, now) => {
    const ports = (es.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*'));
    const addrs = (es.endpoints ?? []).flatMap((e) => e.addresses);
    return [nameOf(es), es.addressType, listWithMore(ports, ports.length, 3, '<unset>'), listWithMore(addrs, addrs.length, 3, '<unset>'), ageOf(es, now)];
  },
);

export const storageClassTable = table<StorageClass>(
  [nameCol(), col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), ageCol()],
  (sc, now) => {
    const ann = sc.metadata?.annotations ?? {};
    const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      isDefault ? `${nameOf(sc)} (default)` : nameOf(sc),
      sc.provisioner, sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion ?? false, ageOf(sc, now),
    ];
  },
);

export const priorityClassTable = table<PriorityClass>(
  [nameCol(), col('Value', 'integer'), col('Global-Default', 'boolean'), ageCol(), col('PreemptionPolicy')],
  (pc, now) => [nameOf(pc), pc.value, pc.globalDefault ?? false, ageOf(pc, now), pc.preemptionPolicy ?? ''],
);

export const podDisruptionBudgetTable = table<PodDisruptionBudget>(
  [nameCol(), col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), ageCol()],
  (pdb, now) => [
    nameOf(pdb),
    pdb.spec?.minAvailable !== undefined ? String(pdb.spec.minAvailable) : 'N/A',
    pdb.spec?.maxUnavailable !== undefined ? String(pdb.spec.maxUnavailable) : 'N/A',
    pdb.status?.disruptionsAllowed ?? 0,
    ageOf(pdb, now),
  ],
);

export const leaseTable = table<Lease>([nameCol(), col('Holder'), ageCol()], (l, now) => [nameOf(l), l.spec?.holderIdentity ?? '', ageOf(l, now)]);

const createdAt = [nameCol(), col('Created At', 'date')];
export const roleTable = table<Role | ClusterRole>(createdAt, (r) => [nameOf(r), r.metadata?.creationTimestamp ?? '']);

export const roleBindingTable = table<RoleBinding | ClusterRoleBinding>(
  [nameCol(), col('Role'), ageCol(), wide('Users'), wide('Groups'), wide('ServiceAccounts')],
  (rb, now) => {
    const users: string[] = [];
    const groups: string[] = [];
    const sas: string[] = [];
    for (const s of rb.subjects ?? []) {
      if (s.kind === 'User') users.push(s.name);
      else if (s.kind === 'Group') groups.push(s.name);
      else if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    }
    return [nameOf(rb), `${rb.roleRef.kind}/${rb.roleRef.name}`, ageOf(rb, now), users.join(', '), groups.join(', '), sas.join(', ')];
  },
);
