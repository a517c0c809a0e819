// Unit tests for rolling-update step computation: a whole rollout run sync by sync against a fake
// world (pods become available between syncs), checking every step against maxSurge/maxUnavailable;
// upstream's concrete example for maxOldScaleDown; Recreate waiting for old pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deepCopy } from '../../machinery/object.js';
import { rolloutRecreate } from './recreate.js';
import { maxOldScaleDown, rolloutRolling } from './rolling.js';
import { dep, fakeWorld, rs } from './testing.js';

test('maxOldScaleDown: upstream example (10 replicas, maxUnavailable 2, maxSurge 3, new RS 3 unavailable) → 2', () => {
  const d = dep(10, 3, 2);
  const newRS = rs('new', 3, 0);
  assert.equal(maxOldScaleDown([rs('old', 10), newRS], newRS, d), 2);
  assert.equal(maxOldScaleDown([rs('old', 8), rs('new', 5, 5)], rs('new', 5, 5), d), 5);
});

test('rolloutRolling: 10 replicas, surge 3, unavailable 2 — every step within bounds, ends 0/10', async () => {
  const w = fakeWorld();
  const d = dep(10, 3, 2);
  d.spec!.template = { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'img:2' }] } };
  const old = rs('d-old', 10, 10, { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' });
  old.spec!.template = { metadata: { labels: { app: 'd', 'pod-template-hash': 'old' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } };
  w.rss.set('d-old', old);
  const steps: string[] = [];
  for (let i = 0; i < 20; i++) {
    const cur = deepCopy(w.deployment ?? d);
    await rolloutRolling(w, cur, [...w.rss.values()]);
    const all = [...w.rss.values()];
    const newRS = all.find((x) => x.metadata?.name !== 'd-old')!;
    const total = all.reduce((n, x) => n + (x.spec?.replicas ?? 0), 0);
    // Pods that are available right now: a scale-down removes available pods at once.
    const available = all.reduce((n, x) => n + Math.min(x.spec?.replicas ?? 0, x.status?.availableReplicas ?? 0), 0);
    assert.ok(total <= 13, `surge exceeded at step ${i}: ${total}`);
    assert.ok(available >= 8, `availability below 8 at step ${i}: ${available}`);
    steps.push(`${w.rss.get('d-old')!.spec!.replicas}/${newRS.spec!.replicas}`);
    // Between syncs the new pods come up and become available.
    for (const x of all) Object.assign(x, { status: { replicas: x.spec!.replicas, availableReplicas: x.spec!.replicas, readyReplicas: x.spec!.replicas } });
    if (steps.at(-1) === '0/10' && steps.at(-2) === '0/10') break;
  }
  // Sync 1 creates the new RS at 3 (13 pods) and, within the unavailable budget, drops 2 old pods.
  assert.deepEqual(steps.slice(0, 5), ['8/3', '8/5', '3/5', '3/10', '0/10'], steps.join(' '));
  assert.equal(steps.at(-1), '0/10');
  const newRS = [...w.rss.values()].find((x) => x.metadata?.name !== 'd-old')!;
  assert.equal(newRS.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.match(newRS.metadata?.name ?? '', /^d-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(w.events[0], `Normal ScalingReplicaSet Scaled up replica set ${newRS.metadata?.name} from 0 to 3`);
  assert.ok(w.events.includes('Normal ScalingReplicaSet Scaled down replica set d-old from 10 to 8'), w.events.join('\n'));
  const prog = w.deployment?.status?.conditions?.find((c) => c.type === 'Progressing');
  assert.equal(prog?.reason, 'NewReplicaSetAvailable');
  assert.equal(prog?.message, `ReplicaSet "${newRS.metadata?.name}" has successfully progressed.`);
});

test('rolloutRolling: unhealthy old pods are removed first even with no new pod available', async () => {
  const w = fakeWorld();
  const d = dep(4, 0, 1);
  const newRS = rs('d-new', 0, 0, { 'deployment.kubernetes.io/revision': '2' });
  newRS.spec!.template = d.spec!.template;
  const old = rs('d-old', 4, 2, { 'deployment.kubernetes.io/revision': '1' });
  old.spec!.template = { metadata: { labels: { app: 'd', v: '1' } } };
  w.rss.set('d-new', newRS).set('d-old', old);
  await rolloutRolling(w, d, [old, newRS]);
  // Not a single pod may be added (surge 0): 4 - 3 - 0 = 1 may go, taken from the 2 unhealthy ones.
  assert.equal(w.rss.get('d-old')!.spec!.replicas, 3);
});

test('rolloutRecreate: scales old to 0, waits for old pods, then creates the new RS at full size', async () => {
  const w = fakeWorld();
  const d = dep(3, 0, 0, 'Recreate');
  d.spec!.template = { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'img:2' }] } };
  const old = rs('d-old', 3, 3, { 'deployment.kubernetes.io/revision': '1' });
  old.spec!.template = { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } };
  w.rss.set('d-old', old);
  await rolloutRecreate(w, d, [old], new Map());
  assert.equal(w.rss.get('d-old')!.spec!.replicas, 0);
  assert.equal(w.rss.size, 1, 'no new RS in the same step');
  // The RS reports 0 but one pod is still terminating (Running): keep waiting.
  const scaled = { ...w.rss.get('d-old')!, status: { replicas: 0 } };
  const running: Pod = { metadata: { name: 'p' }, status: { phase: 'Running' } };
  await rolloutRecreate(w, d, [scaled], new Map([['d-old-uid', [running]]]));
  assert.equal(w.rss.size, 1);
  await rolloutRecreate(w, d, [scaled], new Map([['d-old-uid', []]]));
  const created = [...w.rss.values()].find((x) => x.metadata?.name !== 'd-old')!;
  assert.equal(created.spec?.replicas, 3);
  assert.equal(created.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.ok(w.events.includes(`Normal ScalingReplicaSet Scaled up replica set ${created.metadata?.name} from 0 to 3`), w.events.join('\n'));
});
