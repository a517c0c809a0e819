// The pure arithmetic of manageReplicas (upstream pkg/controller/replicaset/replica_set.go and
// controller_utils.go): how many pods to create or delete in one sync (capped by the burst limit),
// and slowStartBatch, which creates in batches of 1, 2, 4, … so that a template the API server
// rejects (quota, admission) costs one failed call rather than 500.

/** Upstream BurstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;
/** Upstream controller.SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** Pods to create (> 0) or delete (< 0) to go from `active` to `desired`, capped at `burst`. */
export function replicaDiff(active: number, desired: number, burst = BURST_REPLICAS): number {
  const diff = desired - active;
  return Math.max(-burst, Math.min(burst, diff));
}

/** Batch sizes slowStartBatch would use for `count` calls: 1, 2, 4, … then the remainder. */
export function slowStartBatchSizes(count: number, initial = SLOW_START_INITIAL_BATCH_SIZE): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

/**
 * Calls `fn` `count` times in growing concurrent batches; stops after the first batch with a failure.
 * Returns how many calls succeeded and the first error (upstream slowStartBatch).
 */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let successes = 0;
  for (const size of slowStartBatchSizes(count, initial)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failures.length;
    if (failures.length) return { successes, error: failures[0].reason };
  }
  return { successes };
}
