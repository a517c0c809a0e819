// Unit test of taint-eviction timing with a controllable clock and a recording fake client: the
// timer starts when the taint is first seen, is kept across re-syncs, fires after tolerationSeconds,
// and is cancelled (with upstream's event) when the taint goes; terminating pods on an unreachable
// node are force-deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { InformerFactory } from '../../client/informer-factory.js';
import type { KubeClient } from '../../client/http-client.js';
import type { ControllerContext } from '../shared/context.js';
import type { MetaObject } from '../../client/store.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

function fixture() {
  let now = 1_000_000;
  const calls: string[] = [];
  const events: string[] = [];
  const client = {
    delete: async (r: { name?: string }, o?: { gracePeriodSeconds?: number }) => void calls.push(`delete ${r.name}${o?.gracePeriodSeconds === 0 ? ' force' : ''}`),
    patch: async (r: { name?: string; subresource?: string }) => void calls.push(`patch ${r.name}/${r.subresource ?? ''}`),
    get: async () => ({}),
    list: async () => ({ metadata: {}, items: [] }),
    watch: () => ({ abort() {}, done: new Promise<void>(() => {}) }),
  };
  const informers = new InformerFactory(client as unknown as KubeClient);
  const ctx: ControllerContext = {
    client: client as unknown as KubeClient,
    config: {},
    informers,
    now: () => now,
    synced: Promise.resolve(),
    recorder: () => ({ event: (_o: MetaObject, _t: string, reason: string, msg: string) => void events.push(`${reason}: ${msg}`), flush: async () => {} }),
  };
  const c = new TaintEvictionController(ctx);
  const nodes = informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' }).store;
  const pods = informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' }).store;
  return { c, nodes, pods, calls, events, advance: (ms: number) => (now += ms) };
}

const tainted = (ready = 'Unknown'): Node => ({
  metadata: { name: 'n1' },
  spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
  status: { conditions: [{ type: 'Ready', status: ready }] },
});
const pod = (seconds: number | undefined, deleting = false): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }] },
});

test('eviction fires tolerationSeconds after the taint was first seen, not after the last sync', async () => {
  const f = fixture();
  f.nodes.upsert(tainted());
  f.pods.upsert(pod(2));
  assert.deepEqual(await f.c.sync('default/p'), { kind: 'requeueAfter', ms: 2000 });
  f.advance(1500);
  assert.deepEqual(await f.c.sync('default/p'), { kind: 'requeueAfter', ms: 500 });
  assert.deepEqual(f.calls, []);
  f.advance(500);
  assert.equal((await f.c.sync('default/p')).kind, 'done');
  assert.deepEqual(f.calls, ['patch p/status', 'delete p']);
  assert.deepEqual(f.events, ['TaintManagerEviction: Marking for deletion Pod default/p']);
});

test('the timer is cancelled when the taint goes; an untolerated taint evicts at once', async () => {
  const f = fixture();
  f.nodes.upsert(tainted());
  f.pods.upsert(pod(60));
  assert.equal((await f.c.sync('default/p')).kind, 'requeueAfter');
  f.nodes.upsert({ metadata: { name: 'n1' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  assert.equal((await f.c.sync('default/p')).kind, 'done');
  assert.deepEqual(f.events, ['TaintManagerEviction: Cancelling deletion of Pod default/p']);
  const g = fixture();
  g.nodes.upsert({ ...tainted(), spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } });
  g.pods.upsert(pod(300));
  assert.equal((await g.c.sync('default/p')).kind, 'done');
  assert.deepEqual(g.calls, ['patch p/status', 'delete p']);
});

test('a terminating pod is force-deleted only when its node is unreachable', async () => {
  const f = fixture();
  f.nodes.upsert(tainted('False'));
  f.pods.upsert(pod(2, true));
  await f.c.sync('default/p');
  assert.deepEqual(f.calls, [], 'a NotReady kubelet still answers: let it finish');
  f.nodes.upsert(tainted('Unknown'));
  await f.c.sync('default/p');
  assert.deepEqual(f.calls, ['delete p force']);
});
