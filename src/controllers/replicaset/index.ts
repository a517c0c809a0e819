// Starters for the replica controllers (upstream cmd/kube-controller-manager startReplicaSetController
// and startReplicationController): one implementation, two kinds. Both start their workers only once
// the shared informers synced, as acting on a half-listed pod cache would create pods that exist.
import type { StartController } from '../shared/context.js';
import { runWhenSynced } from '../shared/context.js';
import { ReplicaController } from './controller.js';
import { REPLICATION_CONTROLLER_KIND, REPLICA_SET_KIND, type ReplicaKind } from './kinds.js';

/** Upstream --concurrent-replicaset-syncs / --concurrent-rc-syncs default. */
const WORKERS = 5;

function starter(kind: ReplicaKind): StartController {
  return (ctx) => {
    const c = new ReplicaController(ctx, kind);
    return runWhenSynced(ctx, { name: kind.component, queue: c.queue, workers: WORKERS, reconcile: (key) => c.syncReplicaSet(key) });
  };
}

export const startReplicaSetController: StartController = starter(REPLICA_SET_KIND);
export const startReplicationController: StartController = starter(REPLICATION_CONTROLLER_KIND);
export { ReplicaController } from './controller.js';
export { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND, type ReplicaKind, type ReplicaOwner } from './kinds.js';
