// Unit tests for DaemonSet node eligibility: taints vs tolerations (incl. the automatic daemon
// tolerations), nodeSelector, required node affinity, template nodeName, and the pinning affinity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import { daemonPodTolerations, nodeShouldRunDaemonPod, replaceNodeNameAffinity, targetNodeName } from './eligibility.js';

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node => ({ metadata: { name, labels }, spec: { taints } });
const ds = (spec: Partial<PodSpec> = {}): DaemonSet => ({
  metadata: { name: 'd', namespace: 'default' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } } },
});

test('taints: NoSchedule keeps existing pods, NoExecute evicts, tolerations and PreferNoSchedule pass', () => {
  const rows: { name: string; taints: Taint[]; spec?: Partial<PodSpec>; want: [boolean, boolean] }[] = [
    { name: 'no taints', taints: [], want: [true, true] },
    { name: 'NoSchedule', taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }], want: [false, true] },
    { name: 'NoExecute', taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }], want: [false, false] },
    { name: 'PreferNoSchedule ignored', taints: [{ key: 'k', effect: 'PreferNoSchedule' }], want: [true, true] },
    { name: 'tolerated Equal', taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }], spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] }, want: [true, true] },
    { name: 'wrong value', taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }], spec: { tolerations: [{ key: 'dedicated', value: 'y' }] }, want: [false, true] },
    { name: 'Exists all', taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }], spec: { tolerations: [{ operator: 'Exists' }] }, want: [true, true] },
    { name: 'auto not-ready', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], want: [true, true] },
    { name: 'auto unreachable', taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], want: [true, true] },
    { name: 'auto unschedulable', taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], want: [true, true] },
    { name: 'auto memory-pressure', taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }], want: [true, true] },
    { name: 'network-unavailable without hostNetwork', taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }], want: [false, true] },
    { name: 'network-unavailable with hostNetwork', taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }], spec: { hostNetwork: true }, want: [true, true] },
  ];
  for (const r of rows) {
    const got = nodeShouldRunDaemonPod(node('n1', {}, r.taints), ds(r.spec));
    assert.deepEqual([got.shouldRun, got.shouldContinueRunning], r.want, r.name);
  }
});

test('nodeSelector, required node affinity and template nodeName', () => {
  const n = node('n1', { disk: 'ssd', zone: 'a' });
  const req = (key: string, operator: string, values?: string[]): Partial<PodSpec> => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator, values }] }] } } },
  });
  const rows: { name: string; spec: Partial<PodSpec>; want: boolean }[] = [
    { name: 'selector match', spec: { nodeSelector: { disk: 'ssd' } }, want: true },
    { name: 'selector mismatch', spec: { nodeSelector: { disk: 'hdd' } }, want: false },
    { name: 'affinity In', spec: req('zone', 'In', ['a', 'b']), want: true },
    { name: 'affinity NotIn', spec: req('zone', 'NotIn', ['a']), want: false },
    { name: 'affinity DoesNotExist', spec: req('gpu', 'DoesNotExist'), want: true },
    { name: 'nodeName this', spec: { nodeName: 'n1' }, want: true },
    { name: 'nodeName other', spec: { nodeName: 'n2' }, want: false },
  ];
  for (const r of rows) {
    const got = nodeShouldRunDaemonPod(n, ds(r.spec));
    assert.deepEqual([got.shouldRun, got.shouldContinueRunning], [r.want, r.want], r.name);
  }
});

test('daemon tolerations: added once, an identical user toleration is replaced, others kept', () => {
  const t = daemonPodTolerations({ containers: [], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, { key: 'x', operator: 'Exists' }] });
  assert.equal(t.length, 7);
  assert.deepEqual(t[0], { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
  assert.deepEqual(t[1], { key: 'x', operator: 'Exists' });
  assert.equal(daemonPodTolerations({ containers: [], hostNetwork: true }).length, 7);
});

test('pinning affinity replaces required terms, keeps preferred; targetNodeName reads it back', () => {
  const a = replaceNodeNameAffinity(
    {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'Exists' }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'p', operator: 'Exists' }] } }],
      },
    },
    'n7',
  );
  assert.deepEqual(a.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] });
  assert.equal(a.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length, 1);
  assert.equal(targetNodeName({ spec: { containers: [], affinity: a } }), 'n7');
  assert.equal(targetNodeName({ spec: { containers: [], nodeName: 'bound', affinity: a } }), 'bound');
  assert.equal(targetNodeName({ spec: { containers: [] } }), undefined);
});
