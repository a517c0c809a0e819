// Upstream's strategic-merge and server-side-apply markers for built-in types (the `+patchStrategy`,
// `+patchMergeKey`, `+listType`, `+listMapKey`, `+mapType`/`+structType` tags of k8s.io/api, which the
// real OpenAPI spec carries as `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
// `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`). kubernetes-types
// drops these, so they are kept here as a table and applied to the definitions at load time.
import type { Definitions } from './types.js';

export interface FieldAnnotation {
  strategy?: string; // 'merge' | 'merge,retainKeys' | 'retainKeys' | 'replace'
  key?: string;
  list?: 'atomic' | 'set' | 'map';
  keys?: string[];
  map?: 'atomic' | 'granular';
}

const core = 'io.k8s.api.core.v1.';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const apps = 'io.k8s.api.apps.v1.';

const merge = (key: string, keys?: string[]): FieldAnnotation => ({ strategy: 'merge', key, list: 'map', keys: keys ?? [key] });
/** merge by key for patches, but no list-map markers upstream (SSA derives the key from the merge key). */
const mergeOnly = (key: string): FieldAnnotation => ({ strategy: 'merge', key });
const atomic: FieldAnnotation = { list: 'atomic' };
const set: FieldAnnotation = { list: 'set' };
const conditions = mergeOnly('type');
const mapConditions = merge('type');

const containerFields: Record<string, FieldAnnotation> = {
  ports: merge('containerPort', ['containerPort', 'protocol']),
  env: mergeOnly('name'),
  volumeMounts: mergeOnly('mountPath'),
  volumeDevices: mergeOnly('devicePath'),
  resizePolicy: atomic,
  command: atomic,
  args: atomic,
  envFrom: atomic,
};

/** Definition name → property → markers. */
export const FIELD_ANNOTATIONS: Record<string, Record<string, FieldAnnotation>> = {
  [meta + 'ObjectMeta']: {
    finalizers: { strategy: 'merge', list: 'set' },
    ownerReferences: merge('uid'),
    managedFields: atomic,
  },
  [meta + 'LabelSelector']: { matchExpressions: atomic },
  [meta + 'LabelSelectorRequirement']: { values: atomic },
  [core + 'PodSpec']: {
    containers: mergeOnly('name'),
    initContainers: mergeOnly('name'),
    ephemeralContainers: mergeOnly('name'),
    volumes: { strategy: 'merge,retainKeys', key: 'name', list: 'map', keys: ['name'] },
    imagePullSecrets: mergeOnly('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    schedulingGates: merge('name'),
    resourceClaims: { strategy: 'merge,retainKeys', key: 'name', list: 'map', keys: ['name'] },
    tolerations: atomic,
    readinessGates: atomic,
    nodeSelector: { map: 'atomic' },
  },
  [core + 'Container']: containerFields,
  [core + 'EphemeralContainer']: containerFields,
  [core + 'ResourceRequirements']: { claims: { list: 'map', keys: ['name'] } },
  [core + 'PodStatus']: {
    conditions,
    podIPs: { strategy: 'merge', key: 'ip' },
    hostIPs: { strategy: 'merge', key: 'ip', list: 'atomic' },
    resourceClaimStatuses: { strategy: 'merge,retainKeys', key: 'name', list: 'map', keys: ['name'] },
  },
  [core + 'PodSecurityContext']: { supplementalGroups: atomic, sysctls: atomic },
  [core + 'Capabilities']: { add: atomic, drop: atomic },
  [core + 'PodDNSConfig']: { nameservers: atomic, searches: atomic, options: atomic },
  [core + 'NodeSelector']: { nodeSelectorTerms: atomic },
  [core + 'NodeSelectorTerm']: { matchExpressions: atomic, matchFields: atomic },
  [core + 'NodeSelectorRequirement']: { values: atomic },
  [core + 'NodeAffinity']: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [core + 'PodAffinity']: {
    requiredDuringSchedulingIgnoredDuringExecution: atomic,
    preferredDuringSchedulingIgnoredDuringExecution: atomic,
  },
  [core + 'PodAntiAffinity']: {
    requiredDuringSchedulingIgnoredDuringExecution: atomic,
    preferredDuringSchedulingIgnoredDuringExecution: atomic,
  },
  [core + 'TopologySpreadConstraint']: { matchLabelKeys: atomic },
  [core + 'ServiceSpec']: {
    ports: merge('port', ['port', 'protocol']),
    clusterIPs: atomic,
    ipFamilies: atomic,
    externalIPs: atomic,
    loadBalancerSourceRanges: atomic,
    selector: { map: 'atomic' },
  },
  [core + 'ReplicationControllerSpec']: { selector: { map: 'atomic' } },
  [core + 'ServiceStatus']: { conditions: mapConditions },
  [core + 'LoadBalancerStatus']: { ingress: atomic },
  [core + 'LoadBalancerIngress']: { ports: atomic },
  [core + 'NodeSpec']: { podCIDRs: { strategy: 'merge', list: 'set' }, taints: atomic },
  [core + 'NodeStatus']: {
    conditions,
    addresses: mergeOnly('type'),
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
  },
  [core + 'NamespaceStatus']: { conditions },
  [core + 'NamespaceSpec']: { finalizers: atomic },
  [core + 'PersistentVolumeClaimStatus']: { conditions },
  [core + 'PersistentVolumeClaimSpec']: { accessModes: atomic },
  [core + 'PersistentVolumeSpec']: { accessModes: atomic, mountOptions: atomic },
  [core + 'ReplicationControllerStatus']: { conditions },
  [core + 'EndpointSubset']: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [core + 'Endpoints']: { subsets: atomic },
  [core + 'ServiceAccount']: { secrets: mergeOnly('name'), imagePullSecrets: atomic },
  [core + 'ScopeSelector']: { matchExpressions: atomic },
  [core + 'LimitRangeSpec']: { items: atomic },
  [core + 'ComponentStatus']: { conditions: mergeOnly('type') },
  [apps + 'DeploymentSpec']: { strategy: { strategy: 'retainKeys' } },
  [apps + 'DeploymentStatus']: { conditions },
  [apps + 'ReplicaSetStatus']: { conditions },
  [apps + 'DaemonSetStatus']: { conditions },
  [apps + 'StatefulSetStatus']: { conditions },
  [apps + 'StatefulSetSpec']: { volumeClaimTemplates: atomic },
  ['io.k8s.api.batch.v1.JobStatus']: { conditions: { strategy: 'merge', key: 'type', list: 'atomic' } },
  ['io.k8s.api.batch.v1.CronJobStatus']: { active: atomic },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus']: {
    conditions: mapConditions,
    currentMetrics: atomic,
  },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec']: { metrics: atomic },
  ['io.k8s.api.autoscaling.v2.HPAScalingRules']: { policies: atomic },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetSpec']: { selector: { strategy: 'replace' } },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetStatus']: { conditions: mapConditions },
  ['io.k8s.api.networking.v1.NetworkPolicySpec']: { ingress: atomic, egress: atomic, policyTypes: atomic },
  ['io.k8s.api.networking.v1.NetworkPolicyIngressRule']: { ports: atomic, from: atomic },
  ['io.k8s.api.networking.v1.NetworkPolicyEgressRule']: { ports: atomic, to: atomic },
  ['io.k8s.api.networking.v1.IngressSpec']: { rules: atomic, tls: atomic },
  ['io.k8s.api.networking.v1.IngressTLS']: { hosts: atomic },
  ['io.k8s.api.networking.v1.HTTPIngressRuleValue']: { paths: atomic },
  ['io.k8s.api.networking.v1.IngressLoadBalancerStatus']: { ingress: atomic },
  ['io.k8s.api.rbac.v1.Role']: { rules: atomic },
  ['io.k8s.api.rbac.v1.ClusterRole']: { rules: atomic },
  ['io.k8s.api.rbac.v1.RoleBinding']: { subjects: atomic },
  ['io.k8s.api.rbac.v1.ClusterRoleBinding']: { subjects: atomic },
  ['io.k8s.api.rbac.v1.AggregationRule']: { clusterRoleSelectors: atomic },
  ['io.k8s.api.rbac.v1.PolicyRule']: {
    verbs: atomic, apiGroups: atomic, resources: atomic, resourceNames: atomic, nonResourceURLs: atomic,
  },
  ['io.k8s.api.discovery.v1.EndpointSlice']: { endpoints: atomic, ports: atomic },
  ['io.k8s.api.discovery.v1.Endpoint']: { addresses: set },
  ['io.k8s.api.discovery.v1.EndpointHints']: { forZones: atomic },
  ['io.k8s.api.storage.v1.StorageClass']: { mountOptions: atomic, allowedTopologies: atomic },
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus']: {
    conditions: { list: 'map', keys: ['type'] },
  },
};

/** Structs and maps that upstream marks `+structType=atomic` / `+mapType=atomic`. */
export const ATOMIC_TYPES: string[] = [
  meta + 'LabelSelector',
  meta + 'OwnerReference',
  core + 'LocalObjectReference',
  core + 'ObjectReference',
  core + 'TypedLocalObjectReference',
  core + 'ConfigMapKeySelector',
  core + 'SecretKeySelector',
  core + 'ObjectFieldSelector',
  core + 'ResourceFieldSelector',
  core + 'NodeSelector',
  core + 'NodeSelectorTerm',
  core + 'TopologySelectorTerm',
  core + 'SecretReference',
  core + 'ClientIPConfig',
  'io.k8s.api.rbac.v1.RoleRef',
  'io.k8s.api.rbac.v1.Subject',
];

/** Adds the markers to the definitions in place (idempotent). */
export function applyPatchAnnotations(defs: Definitions): void {
  for (const [defName, fields] of Object.entries(FIELD_ANNOTATIONS)) {
    const props = defs[defName]?.properties;
    if (!props) continue;
    for (const [field, a] of Object.entries(fields)) {
      const p = props[field];
      if (!p) continue;
      if (a.strategy) p['x-kubernetes-patch-strategy'] = a.strategy;
      if (a.key) p['x-kubernetes-patch-merge-key'] = a.key;
      if (a.list) p['x-kubernetes-list-type'] = a.list;
      if (a.keys) p['x-kubernetes-list-map-keys'] = a.keys;
      if (a.map) p['x-kubernetes-map-type'] = a.map;
    }
  }
  for (const name of ATOMIC_TYPES) {
    const d = defs[name];
    if (d) d['x-kubernetes-map-type'] = 'atomic';
  }
}
