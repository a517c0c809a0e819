// The node IPAM controller over a seeded informer cache and a fake client: CIDRs nodes already hold
// are respected (even when the node without one is synced first), a deleted node's block is reused,
// exhaustion records CIDRNotAvailable, and a conflicting update gives the block back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { SharedInformer, type ListerWatcher } from '../../client/informer.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { ResourceRef } from '../../client/http-client.js';
import { StatusError } from '../../machinery/errors.js';
import { NodeIpamController, type NodeIpamClient } from './controller.js';

const never = {} as ListerWatcher; // never started: tests seed the store
const node = (name: string, podCIDR?: string): Node => ({ metadata: { name, resourceVersion: '1' }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} });

function setup(clusterCIDR = '10.42.0.0/16', updateErr?: () => StatusError | undefined) {
  const nodes = new SharedInformer<Node>(never, { group: '', version: 'v1', resource: 'nodes' });
  const updates: Array<{ name: string; podCIDR?: string; podCIDRs?: string[] }> = [];
  const events: string[] = [];
  const client = {
    update: async (r: ResourceRef, n: Node) => {
      const err = updateErr?.();
      if (err) throw err;
      updates.push({ name: r.name ?? '', podCIDR: n.spec?.podCIDR, podCIDRs: n.spec?.podCIDRs });
      nodes.store.upsert(n); // as the watch would deliver it
      return n;
    },
  } as unknown as NodeIpamClient;
  const recorder: EventRecorder = {
    event: (o, type, reason, message) => events.push(`${o.kind}/${o.metadata?.name} ${type} ${reason}: ${message}`),
    flush: async () => {},
  };
  return { c: new NodeIpamController(client, nodes, recorder, { clusterCIDR }), nodes, updates, events };
}

test('nodeipam: held CIDRs are marked used before the first allocation', async () => {
  const s = setup();
  s.nodes.store.upsert(node('new'));
  s.nodes.store.upsert(node('flag', '10.42.0.0/24')); // set by the kubelet's --pod-cidr
  s.nodes.store.upsert(node('old', '10.42.1.0/24'));
  assert.deepEqual(await s.c.syncNode('new'), { kind: 'done' });
  assert.deepEqual(s.updates, [{ name: 'new', podCIDR: '10.42.2.0/24', podCIDRs: ['10.42.2.0/24'] }]);
  assert.deepEqual(await s.c.syncNode('new'), { kind: 'done' }, 'already has one: nothing to do');
  assert.equal(s.updates.length, 1);
  assert.equal(s.c.cidrs.allocated, 3);
});

test('nodeipam: a deleted node frees its block and a waiting node gets it', async () => {
  const s = setup('10.42.0.0/23'); // two blocks
  s.nodes.store.upsert(node('a', '10.42.0.0/24'));
  s.nodes.store.upsert(node('b', '10.42.1.0/24'));
  s.nodes.store.upsert(node('c'));
  const r = await s.c.syncNode('c');
  assert.equal(r.kind, 'requeueAfter');
  assert.deepEqual(s.events, ['Node/c Warning CIDRNotAvailable: Node c status is now: CIDRNotAvailable']);
  s.nodes.store.deleteKey('a');
  while (s.c.queue.len() > 0) s.c.queue.done((await s.c.queue.get())!); // drain (no worker runs)
  assert.deepEqual(await s.c.syncNode('a'), { kind: 'done' });
  assert.equal(s.c.queue.len(), 1, 'the node without a CIDR is queued again');
  await s.c.syncNode('c');
  assert.deepEqual(s.updates.map((u) => `${u.name}=${u.podCIDR}`), ['c=10.42.0.0/24']);
});

test('nodeipam: a failed update gives the block back and is retried', async () => {
  const errs = [new StatusError({ code: 409, reason: 'Conflict', message: 'changed' }), new StatusError({ code: 500, reason: 'InternalError', message: 'disk full' })];
  const s = setup('10.42.0.0/16', () => errs.shift());
  s.nodes.store.upsert(node('x'));
  assert.equal((await s.c.syncNode('x')).kind, 'done', 'conflict: the newer version will queue the node again');
  assert.deepEqual(s.events, [], 'a conflict is not worth an event');
  assert.equal((await s.c.syncNode('x')).kind, 'error');
  assert.deepEqual(s.events, ['Node/x Warning CIDRAssignmentFailed: Node x status is now: CIDRAssignmentFailed']);
  assert.equal(s.c.cidrs.allocated, 0);
  await s.c.syncNode('x');
  assert.equal(s.updates[0]?.podCIDR, '10.42.2.0/24', 'the search moved on; 10.42.0.0/24 and 10.42.1.0/24 are free again');
  assert.equal(s.c.cidrs.isUsed('10.42.0.0/24'), false);
});
