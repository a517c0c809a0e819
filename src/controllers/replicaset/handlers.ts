// Informer handlers of the replica controller (upstream replica_set.go addPod/updatePod/deletePod and
// addRS/updateRS/deleteRS): they only settle expectations and enqueue owner keys. A pod's controller
// is enqueued on every change; an orphan enqueues every owner whose selector matches it so one of
// them adopts it; a pod given a deletionTimestamp counts as deleted at once, so that expectations
// do not wait out its grace period.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { metaNamespaceKey } from '../../client/store.js';
import { getControllerOf } from '../shared/owner-refs.js';
import { isPodReady } from '../shared/pods.js';
import type { ReplicaController } from './controller.js';
import { minReadySeconds, type ReplicaOwner } from './kinds.js';

export function registerHandlers(c: ReplicaController): void {
  const onPodDelete = (pod: Pod) => {
    const owner = c.resolveControllerRef(pod.metadata?.namespace, pod);
    if (!owner) return;
    const key = metaNamespaceKey(owner);
    c.deletionObserved(key, metaNamespaceKey(pod));
    c.queue.add(key);
  };

  c.pods.addEventHandler({
    onAdd(pod) {
      if (pod.metadata?.deletionTimestamp) return onPodDelete(pod);
      const owner = c.resolveControllerRef(pod.metadata?.namespace, pod);
      if (owner) {
        c.expectations.creationObserved(metaNamespaceKey(owner));
        c.enqueue(owner);
        return;
      }
      if (!getControllerOf(pod)) for (const o of c.ownersSelecting(pod)) c.enqueue(o);
    },
    onUpdate(old, cur) {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return; // resync
      const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
      if (cur.metadata?.deletionTimestamp) {
        onPodDelete(cur);
        if (labelsChanged) onPodDelete(old);
        return;
      }
      const oldRef = getControllerOf(old);
      const curRef = getControllerOf(cur);
      const refChanged = JSON.stringify(oldRef) !== JSON.stringify(curRef);
      if (refChanged && oldRef) {
        const prev = c.resolveControllerRef(old.metadata?.namespace, old);
        if (prev) c.enqueue(prev);
      }
      if (curRef) {
        const owner = c.resolveControllerRef(cur.metadata?.namespace, cur);
        if (!owner) return;
        c.enqueue(owner);
        // Becoming ready starts the minReadySeconds clock; look again when it has run.
        const minReady = minReadySeconds(owner);
        if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) c.enqueue(owner, minReady * 1000 + 1000);
        return;
      }
      if (labelsChanged || refChanged) for (const o of c.ownersSelecting(cur)) c.enqueue(o);
    },
    onDelete: onPodDelete,
  });

  c.owners.addEventHandler({
    onAdd: (o: ReplicaOwner) => c.enqueue(o),
    onUpdate: (_old, cur) => c.enqueue(cur),
    onDelete(o) {
      c.forget(metaNamespaceKey(o));
      c.enqueue(o);
    },
  });
}
