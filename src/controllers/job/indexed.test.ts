// Indexed completion helpers: index annotation parsing, completedIndexes compression, pending indexes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { firstPendingIndexes, formatIndexes, getCompletionIndex, parseIndexes } from './indexed.js';
import { newJobPod } from './job-pods.js';

test('completedIndexes round-trips through ranges', () => {
  const cases: Array<[number[], string]> = [[[], ''], [[0], '0'], [[0, 1, 2], '0-2'], [[5, 0, 1, 2, 7, 8], '0-2,5,7-8'], [[3, 3, 4], '3-4']];
  for (const [ixs, s] of cases) {
    assert.equal(formatIndexes(ixs), s);
    assert.deepEqual(parseIndexes(s, 100), [...new Set(ixs)].sort((a, b) => a - b));
  }
  assert.deepEqual(parseIndexes('0-3,9', 3), [0, 1, 2], 'indexes beyond completions are dropped');
});

test('pending indexes skip succeeded and active ones', () => {
  assert.deepEqual(firstPendingIndexes(6, new Set([0, 2]), new Set([1]), 2), [3, 4]);
  assert.deepEqual(firstPendingIndexes(3, new Set([0, 1, 2]), new Set(), 2), []);
});

test('an indexed pod carries its index, hostname and JOB_COMPLETION_INDEX', () => {
  const job: Job = { metadata: { name: 'work', namespace: 'ns', uid: 'u1' }, spec: { completionMode: 'Indexed', completions: 3, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  const pod = newJobPod(job, 2);
  assert.equal(pod.metadata?.generateName, 'work-2-');
  assert.equal(getCompletionIndex(pod), 2);
  assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], '2');
  assert.equal(pod.metadata?.labels?.a, 'b');
  assert.equal(pod.spec?.hostname, 'work-2');
  assert.deepEqual(pod.metadata?.finalizers, ['batch.kubernetes.io/job-tracking']);
  assert.equal(pod.metadata?.ownerReferences?.[0]?.uid, 'u1');
  assert.equal(pod.spec?.containers[0].env?.[0]?.name, 'JOB_COMPLETION_INDEX');
  const plain = newJobPod({ ...job, spec: { ...job.spec!, completionMode: 'NonIndexed' } }, undefined);
  assert.equal(plain.metadata?.generateName, 'work-');
  assert.equal(plain.spec?.hostname, undefined);
  assert.equal(getCompletionIndex(plain), undefined);
});
