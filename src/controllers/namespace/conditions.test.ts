import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NamespaceCondition } from 'kubernetes-types/core/v1.js';
import { CONDITION_TYPES, updateConditions, type DeletionOutcome } from './conditions.js';

const outcome = (o: Partial<DeletionOutcome> = {}): DeletionOutcome => ({
  discoveryFailures: new Map(),
  deleteErrors: [],
  remaining: new Map(),
  finalizersRemaining: new Map(),
  ...o,
});

const cases: Array<{ name: string; o: DeletionOutcome; want: Record<string, [string, string, string]> }> = [
  {
    name: 'all ok',
    o: outcome(),
    want: {
      NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      NamespaceContentRemaining: ['False', 'ContentRemoved', 'All content successfully removed'],
      NamespaceFinalizersRemaining: ['False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
      NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    },
  },
  {
    name: 'content and finalizers remaining, sorted',
    o: outcome({ remaining: new Map([['pods', 2], ['deployments.apps', 1]]), finalizersRemaining: new Map([['b/x', 1], ['a/y', 3]]) }),
    want: {
      NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: deployments.apps has 1 resource instances, pods has 2 resource instances'],
      NamespaceFinalizersRemaining: ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: a/y in 3 resource instances, b/x in 1 resource instances'],
    },
  },
  {
    name: 'discovery and deletion failures',
    o: outcome({ discoveryFailures: new Map([['metrics.k8s.io/v1beta1', 'service unavailable']]), deleteErrors: ['widgets.example.com: boom'] }),
    want: {
      NamespaceDeletionDiscoveryFailure: ['True', 'DiscoveryFailed', 'Discovery failed for some groups, 1 failing: metrics.k8s.io/v1beta1: service unavailable'],
      NamespaceDeletionContentFailure: ['True', 'ContentDeletionFailed', 'Failed to delete all resource types, 1 remaining: widgets.example.com: boom'],
    },
  },
];

for (const c of cases) {
  test(`updateConditions: ${c.name}`, () => {
    const got = updateConditions([], c.o, '2026-01-01T00:00:00Z');
    assert.deepEqual(got.map((x) => x.type), [...CONDITION_TYPES]);
    for (const [type, [status, reason, message]] of Object.entries(c.want)) {
      const x = got.find((g) => g.type === type);
      assert.deepEqual({ status: x?.status, reason: x?.reason, message: x?.message }, { status, reason, message }, type);
    }
  });
}

test('updateConditions: keeps foreign conditions and lastTransitionTime unless the status changes', () => {
  const t0 = '2026-01-01T00:00:00Z';
  const t1 = '2026-01-01T00:01:00Z';
  const foreign: NamespaceCondition = { type: 'Other', status: 'True' };
  const first = updateConditions([foreign], outcome({ remaining: new Map([['pods', 2]]) }), t0);
  assert.deepEqual(first[0], foreign);
  // Same status, new message: time kept. Status flips: time moves.
  const second = updateConditions(first, outcome({ remaining: new Map([['pods', 1]]) }), t1);
  assert.equal(second.find((c) => c.type === 'NamespaceContentRemaining')?.lastTransitionTime, t0);
  const third = updateConditions(second, outcome(), t1);
  assert.equal(third.find((c) => c.type === 'NamespaceContentRemaining')?.lastTransitionTime, t1);
  assert.equal(third.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime, t0);
  assert.deepEqual(updateConditions(third, outcome(), t1), third, 'idempotent');
});
