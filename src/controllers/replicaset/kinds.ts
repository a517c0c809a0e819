// The two kinds one replica controller serves (upstream runs the ReplicaSet controller for
// ReplicationControllers too, through a conversion layer in pkg/controller/replication): apps/v1
// ReplicaSet with a metav1.LabelSelector, and core/v1 ReplicationController whose selector is a
// plain label map (defaulted from the template labels). Both share spec.replicas, minReadySeconds,
// template and the status shape, so the controller works on their common view.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { ResourceId } from '../../client/informer-factory.js';

export type ReplicaOwner = ReplicaSet | ReplicationController;

export interface ReplicaKind {
  /** For log lines and the runner: `replicaset-controller`, `replication-controller`. */
  component: string;
  resource: ResourceId;
  apiVersion: string;
  kind: string;
  /** The owner's selector as a metav1.LabelSelector (undefined = matches nothing). */
  selector(o: ReplicaOwner): LabelSelector | undefined;
}

export const REPLICA_SET_KIND: ReplicaKind = {
  component: 'replicaset-controller',
  resource: { group: 'apps', version: 'v1', resource: 'replicasets' },
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selector: (o) => (o as ReplicaSet).spec?.selector,
};

export const REPLICATION_CONTROLLER_KIND: ReplicaKind = {
  component: 'replication-controller',
  resource: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selector: (o) => {
    const rc = o as ReplicationController;
    // The API server defaults an empty selector to the template labels; a controller must never
    // treat an empty map as "everything" and adopt every pod in the namespace.
    const set = rc.spec?.selector && Object.keys(rc.spec.selector).length ? rc.spec.selector : rc.spec?.template?.metadata?.labels;
    return set && Object.keys(set).length ? { matchLabels: set } : undefined;
  },
};

export const desiredReplicas = (o: ReplicaOwner): number => o.spec?.replicas ?? 1;
export const minReadySeconds = (o: ReplicaOwner): number => o.spec?.minReadySeconds ?? 0;
