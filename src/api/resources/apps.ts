// apps/v1: deployments, replicasets, daemonsets, statefulsets, controllerrevisions — discovery facts
// as upstream, with the scale subresource for the scalable ones and their strategies.
import type { KubeObject } from '../../machinery/object.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { labelSelectorAsString } from '../../machinery/labels.js';
import type { ResourceType, ScaleSpec } from '../resource-type.js';
import { defineResource, gvk, scaleSub, statusSub } from './define.js';
import { appsHooks } from './apps-strategy.js';

const G = 'apps';
const V = 'v1';
const self = (kind: string) => gvk(G, V, kind);

/** Scale for types whose selector is a metav1.LabelSelector at spec.selector. */
export const labelSelectorScale: ScaleSpec = {
  specReplicasPath: ['spec', 'replicas'],
  statusReplicasPath: ['status', 'replicas'],
  selector: (obj: KubeObject) => labelSelectorAsString((obj.spec as { selector?: LabelSelector } | undefined)?.selector),
};

export function appsResources(): ResourceType[] {
  const h = appsHooks;
  return [
    defineResource({ group: G, version: V, kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true, ...h.controllerRevision }),
    defineResource({
      group: G, version: V, kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'],
      subresources: [statusSub(self('DaemonSet'))], ...h.daemonSet,
    }),
    defineResource({
      group: G, version: V, kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'],
      subresources: [scaleSub(), statusSub(self('Deployment'))], scale: labelSelectorScale, ...h.deployment,
    }),
    defineResource({
      group: G, version: V, kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ['all'],
      subresources: [scaleSub(), statusSub(self('ReplicaSet'))], scale: labelSelectorScale, ...h.replicaSet,
    }),
    defineResource({
      group: G, version: V, kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ['all'],
      subresources: [scaleSub(), statusSub(self('StatefulSet'))], scale: labelSelectorScale, ...h.statefulSet,
    }),
  ];
}
