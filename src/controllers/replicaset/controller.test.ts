import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { InformerFactory } from '../../client/informer-factory.js';
import type { KubeClient, ResourceRef } from '../../client/http-client.js';
import type { ListerWatcher } from '../../client/informer.js';
import type { MetaObject } from '../../client/store.js';
import { StatusError } from '../../machinery/errors.js';
import type { ControllerContext } from '../shared/context.js';
import { ReplicaController } from './controller.js';
import { REPLICA_SET_KIND } from './kinds.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const rs: ReplicaSet = {
  metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 2 },
  spec: { replicas: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
};

/** A controller over never-started informers (seeded by hand) and a recording fake client. */
function setup(createFails: (n: number) => StatusError | undefined) {
  const calls = { create: 0, deleted: [] as string[], patches: [] as Array<{ r: ResourceRef; body: unknown }> };
  const events: string[] = [];
  const client = {
    create: async (_r: ResourceRef, o: Pod) => {
      const err = createFails(++calls.create);
      if (err) throw err;
      return { ...o, metadata: { ...o.metadata, name: `web-${calls.create}` } };
    },
    delete: async (r: ResourceRef) => void calls.deleted.push(r.name ?? ''),
    patch: async (r: ResourceRef, body: unknown) => void calls.patches.push({ r, body }),
    get: async () => rs,
  } as unknown as KubeClient;
  const ctx: ControllerContext = {
    client,
    informers: new InformerFactory({} as ListerWatcher),
    recorder: () => ({ event: (o: MetaObject, type: string, reason: string, msg: string) => void events.push(`${o.kind} ${type} ${reason} ${msg}`), flush: async () => {} }),
    now: () => NOW,
    synced: Promise.resolve(),
  } as unknown as ControllerContext;
  const c = new ReplicaController(ctx, REPLICA_SET_KIND);
  c.owners.store.upsert(rs);
  return { c, calls, events };
}

const quota = new StatusError({ status: 'Failure', code: 403, reason: 'Forbidden', message: 'pods "web-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2' });

test('syncReplicaSet: slow-start stops at the first failing batch; FailedCreate event, ReplicaFailure, expectations lowered', async () => {
  const { c, calls, events } = setup((n) => (n === 3 ? quota : undefined));
  const r = await c.syncReplicaSet('ns/web');
  assert.equal(r.kind, 'error');
  assert.equal(calls.create, 3, 'batches of 1 and 2; no third batch after a failure');
  assert.deepEqual(events, [
    'ReplicaSet Normal SuccessfulCreate Created pod: web-1',
    'ReplicaSet Normal SuccessfulCreate Created pod: web-2',
    `ReplicaSet Warning FailedCreate Error creating: ${quota.message}`,
  ]);
  const body = calls.patches[0].body as { status: ReplicaSet['status'] };
  assert.equal(calls.patches[0].r.subresource, 'status');
  assert.equal(body.status?.observedGeneration, 2);
  assert.deepEqual(body.status?.conditions?.map((x) => [x.type, x.status, x.reason, x.message]), [['ReplicaFailure', 'True', 'FailedCreate', quota.message]]);
  // 8 never-attempted/failed creations were forgiven; the 2 created pods are still awaited
  assert.ok(!c.expectations.satisfied('ns/web'));
  c.expectations.creationObserved('ns/web');
  c.expectations.creationObserved('ns/web');
  assert.ok(c.expectations.satisfied('ns/web'));
});

test('syncReplicaSet: a terminating namespace is not a failure and leaves no expectation behind', async () => {
  const terminating = new StatusError({ status: 'Failure', code: 403, reason: 'Forbidden', message: 'pods "web-" is forbidden: unable to create new content in namespace ns because it is being terminated' });
  const { c, events } = setup(() => terminating);
  assert.equal((await c.syncReplicaSet('ns/web')).kind, 'done');
  assert.deepEqual(events, []);
  assert.ok(c.expectations.satisfied('ns/web'));
});

test('syncReplicaSet: deletes the surplus in ranking order and waits for exactly those deletions', async () => {
  const { c, calls, events } = setup(() => undefined);
  const pod = (name: string, ready: boolean): Pod => ({
    metadata: { name, namespace: 'ns', uid: name, labels: { app: 'web' }, creationTimestamp: '2026-01-01T11:00:00Z', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true }] },
    spec: { containers: [], nodeName: 'n1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T11:00:00Z' }] },
  });
  for (const p of [pod('a', true), pod('b', false), pod('c', true)]) c.pods.store.upsert(p);
  c.owners.store.upsert({ ...rs, spec: { ...rs.spec!, replicas: 2 } });
  assert.equal((await c.syncReplicaSet('ns/web')).kind, 'done');
  assert.deepEqual(calls.deleted, ['b']);
  assert.deepEqual(events, ['ReplicaSet Normal SuccessfulDelete Deleted pod: b']);
  assert.ok(!c.expectations.satisfied('ns/web'));
  c.deletionObserved('ns/web', 'ns/a'); // not one we deleted: does not count
  assert.ok(!c.expectations.satisfied('ns/web'));
  c.deletionObserved('ns/web', 'ns/b');
  c.deletionObserved('ns/web', 'ns/b'); // deletionTimestamp then DELETED: counted once
  assert.ok(c.expectations.satisfied('ns/web'));
});
