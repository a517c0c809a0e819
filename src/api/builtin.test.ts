// The built-in registry must print the same `kubectl api-resources` rows as upstream (1.31) for every
// type issue 2 lists, plus the discovery facts kubectl relies on (verbs, subresources, categories).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRegistry } from './builtin.js';
import { apiVersionOf } from './resource-type.js';

// NAME SHORTNAMES APIVERSION NAMESPACED KIND, as upstream prints them (preferred versions only).
const UPSTREAM_ROWS = `
bindings - v1 true Binding
componentstatuses cs v1 false ComponentStatus
configmaps cm v1 true ConfigMap
endpoints ep v1 true Endpoints
events ev v1 true Event
limitranges limits v1 true LimitRange
namespaces ns v1 false Namespace
nodes no v1 false Node
persistentvolumeclaims pvc v1 true PersistentVolumeClaim
persistentvolumes pv v1 false PersistentVolume
pods po v1 true Pod
podtemplates - v1 true PodTemplate
replicationcontrollers rc v1 true ReplicationController
resourcequotas quota v1 true ResourceQuota
secrets - v1 true Secret
serviceaccounts sa v1 true ServiceAccount
services svc v1 true Service
controllerrevisions - apps/v1 true ControllerRevision
daemonsets ds apps/v1 true DaemonSet
deployments deploy apps/v1 true Deployment
replicasets rs apps/v1 true ReplicaSet
statefulsets sts apps/v1 true StatefulSet
horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler
cronjobs cj batch/v1 true CronJob
jobs - batch/v1 true Job
leases - coordination.k8s.io/v1 true Lease
endpointslices - discovery.k8s.io/v1 true EndpointSlice
events ev events.k8s.io/v1 true Event
ingressclasses - networking.k8s.io/v1 false IngressClass
ingresses ing networking.k8s.io/v1 true Ingress
networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy
poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget
clusterrolebindings - rbac.authorization.k8s.io/v1 false ClusterRoleBinding
clusterroles - rbac.authorization.k8s.io/v1 false ClusterRole
rolebindings - rbac.authorization.k8s.io/v1 true RoleBinding
roles - rbac.authorization.k8s.io/v1 true Role
priorityclasses pc scheduling.k8s.io/v1 false PriorityClass
storageclasses sc storage.k8s.io/v1 false StorageClass
`.trim();

/** What kubectl api-resources does: preferred version per group, stable-sorted by group name. */
function apiResourcesRows(): string[] {
  const reg = builtinRegistry();
  const groups = reg.groups();
  const rows = reg
    .all()
    .filter((rt) => groups.get(rt.group)![0] === rt.version)
    .map((rt) => ({ group: rt.group, row: [rt.plural, rt.shortNames.join(',') || '-', apiVersionOf(rt), String(rt.namespaced), rt.kind].join(' ') }));
  return rows.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)).map((r) => r.row);
}

test('api-resources rows match upstream', () => {
  assert.deepEqual(apiResourcesRows(), UPSTREAM_ROWS.split('\n'));
});

test('autoscaling prefers v2 and serves v1 from the same storage', () => {
  const reg = builtinRegistry();
  assert.deepEqual(reg.groups().get('autoscaling'), ['v2', 'v1']);
  const v1 = reg.get('autoscaling', 'v1', 'horizontalpodautoscalers')!;
  const v2 = reg.get('autoscaling', 'v2', 'horizontalpodautoscalers')!;
  assert.deepEqual(v1.storage, v2.storage);
  assert.equal(v1.storageVersion, 'v2');
});

test('events.k8s.io events share core storage', () => {
  const reg = builtinRegistry();
  assert.deepEqual(reg.get('events.k8s.io', 'v1', 'events')!.storage, reg.get('', 'v1', 'events')!.storage);
});

test('categories all', () => {
  const all = builtinRegistry()
    .all()
    .filter((rt) => rt.categories.includes('all'))
    .map((rt) => `${rt.plural}.${rt.version}`)
    .sort();
  assert.deepEqual(all, [
    'cronjobs.v1', 'daemonsets.v1', 'deployments.v1', 'horizontalpodautoscalers.v1', 'horizontalpodautoscalers.v2',
    'jobs.v1', 'pods.v1', 'replicasets.v1', 'replicationcontrollers.v1', 'services.v1', 'statefulsets.v1',
  ]);
});

test('verbs, subresources and scale as upstream discovery', () => {
  const reg = builtinRegistry();
  assert.deepEqual(reg.get('', 'v1', 'bindings')!.verbs, ['create']);
  assert.deepEqual(reg.get('', 'v1', 'componentstatuses')!.verbs, ['get', 'list']);
  assert.ok(!reg.get('', 'v1', 'namespaces')!.verbs.includes('deletecollection'));
  const pods = reg.get('', 'v1', 'pods')!;
  assert.deepEqual(pods.subresources.find((s) => s.name === 'eviction')!.kind, { group: 'policy', version: 'v1', kind: 'Eviction' });
  assert.ok(pods.hasStatus);
  for (const plural of ['deployments', 'replicasets', 'statefulsets']) {
    const rt = reg.get('apps', 'v1', plural)!;
    assert.ok(rt.scale, plural);
    assert.ok(rt.subresources.some((s) => s.name === 'scale' && s.kind.kind === 'Scale'));
  }
  const rc = reg.get('', 'v1', 'replicationcontrollers')!;
  assert.ok(rc.scale);
  assert.equal(rc.scale!.selector({ spec: { selector: { b: '2', a: '1' } } }), 'a=1,b=2');
  assert.equal(reg.get('apps', 'v1', 'deployments')!.scale!.selector({ spec: { selector: { matchLabels: { app: 'web' } } } }), 'app=web');
  assert.ok(!reg.get('', 'v1', 'configmaps')!.hasStatus);
  assert.equal(reg.get('', 'v1', 'configmaps')!.listKind, 'ConfigMapList');
  assert.equal(reg.get('', 'v1', 'endpoints')!.singular, 'endpoints');
});
