// core/v1 ("legacy" group, served under /api/v1). Names, short names, categories, verbs and
// subresources as upstream's discovery shows them (resources listed alphabetically, as upstream does
// within a group version); strategies and defaults come from api/defaults and api/tables.
import type { ResourceType, Verb } from '../resource-type.js';
import { defineResource, gvk, scaleSub, statusSub, sub } from './define.js';
import { corePodHooks } from './core-pod.js';
import { coreHooks, type ServiceAllocator } from './core-strategy.js';

const G = '';
const V = 'v1';
const self = (kind: string) => gvk(G, V, kind);
const NO_DELETECOLLECTION: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export function coreResources(opts: { allocateService?: ServiceAllocator } = {}): ResourceType[] {
  const h = coreHooks(opts.allocateService);
  return [
    defineResource({ group: G, version: V, kind: 'Binding', plural: 'bindings', namespaced: true, verbs: ['create'] }),
    defineResource({
      group: G, version: V, kind: 'ComponentStatus', plural: 'componentstatuses', namespaced: false,
      shortNames: ['cs'], verbs: ['get', 'list'], ...h.componentStatus,
    }),
    defineResource({ group: G, version: V, kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'], ...h.configMap }),
    defineResource({ group: G, version: V, kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'], ...h.endpoints }),
    defineResource({ group: G, version: V, kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], ...h.event }),
    defineResource({ group: G, version: V, kind: 'LimitRange', plural: 'limitranges', namespaced: true, shortNames: ['limits'], ...h.limitRange }),
    defineResource({
      group: G, version: V, kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'],
      verbs: NO_DELETECOLLECTION,
      subresources: [sub('finalize', self('Namespace'), ['update']), statusSub(self('Namespace'))],
      ...h.namespace,
    }),
    defineResource({
      group: G, version: V, kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'],
      subresources: [sub('proxy', self('NodeProxyOptions'), ['create', 'delete', 'get', 'patch', 'update']), statusSub(self('Node'))],
      ...h.node,
    }),
    defineResource({
      group: G, version: V, kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'],
      subresources: [statusSub(self('PersistentVolumeClaim'))], ...h.pvc,
    }),
    defineResource({
      group: G, version: V, kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'],
      subresources: [statusSub(self('PersistentVolume'))], ...h.pv,
    }),
    defineResource({
      group: G, version: V, kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'],
      subresources: [
        sub('attach', self('PodAttachOptions'), ['create', 'get']),
        sub('binding', self('Binding'), ['create']),
        sub('ephemeralcontainers', self('Pod'), ['get', 'patch', 'update']),
        sub('eviction', gvk('policy', 'v1', 'Eviction'), ['create']),
        sub('exec', self('PodExecOptions'), ['create', 'get']),
        sub('log', self('Pod'), ['get']),
        sub('portforward', self('PodPortForwardOptions'), ['create', 'get']),
        sub('proxy', self('PodProxyOptions'), ['create', 'delete', 'get', 'patch', 'update']),
        statusSub(self('Pod')),
      ],
      ...corePodHooks,
    }),
    defineResource({ group: G, version: V, kind: 'PodTemplate', plural: 'podtemplates', namespaced: true, ...h.podTemplate }),
    defineResource({
      group: G, version: V, kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true,
      shortNames: ['rc'], categories: ['all'],
      subresources: [scaleSub(), statusSub(self('ReplicationController'))], ...h.replicationController,
    }),
    defineResource({
      group: G, version: V, kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true, shortNames: ['quota'],
      subresources: [statusSub(self('ResourceQuota'))], ...h.resourceQuota,
    }),
    defineResource({ group: G, version: V, kind: 'Secret', plural: 'secrets', namespaced: true, ...h.secret }),
    defineResource({
      group: G, version: V, kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'],
      subresources: [sub('token', gvk('authentication.k8s.io', 'v1', 'TokenRequest'), ['create'])], ...h.serviceAccount,
    }),
    defineResource({
      group: G, version: V, kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'],
      subresources: [sub('proxy', self('ServiceProxyOptions'), ['create', 'delete', 'get', 'patch', 'update']), statusSub(self('Service'))],
      ...h.service,
    }),
  ];
}
