import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { LeaderElector, type LeaderElectionConfig } from './leader-election.js';
import { conflict, notFound } from '../machinery/errors.js';

/** An in-memory Lease endpoint with optimistic concurrency, like the API server's. */
function fakeLeases() {
  const state: { lease?: Lease; rv: number; down: boolean } = { rv: 0, down: false };
  const r = { group: 'coordination.k8s.io', resource: 'leases' };
  const client: LeaderElectionConfig['client'] = {
    get: (async () => {
      if (state.down) throw new Error('connection refused');
      if (!state.lease) throw notFound(r, 'l');
      return structuredClone(state.lease);
    }) as LeaderElectionConfig['client']['get'],
    create: (async (_ref: unknown, o: Lease) => {
      if (state.down) throw new Error('connection refused');
      state.lease = { ...structuredClone(o), metadata: { ...o.metadata, resourceVersion: String(++state.rv) } };
      return structuredClone(state.lease);
    }) as LeaderElectionConfig['client']['create'],
    update: (async (_ref: unknown, o: Lease) => {
      if (state.down) throw new Error('connection refused');
      if (o.metadata?.resourceVersion !== state.lease?.metadata?.resourceVersion) throw conflict(r, 'l', 'modified');
      state.lease = { ...structuredClone(o), metadata: { ...o.metadata, resourceVersion: String(++state.rv) } };
      return structuredClone(state.lease);
    }) as LeaderElectionConfig['client']['update'],
  };
  return { state, client };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function elector(client: LeaderElectionConfig['client'], identity: string, log: string[], extra: Partial<LeaderElectionConfig> = {}) {
  return new LeaderElector({
    client,
    namespace: 'kube-system',
    name: 'l',
    identity,
    leaseDurationSeconds: 0.3,
    renewDeadlineMs: 150,
    retryPeriodMs: 20,
    onStartedLeading: () => log.push(`${identity} started`),
    onStoppedLeading: () => log.push(`${identity} stopped`),
    ...extra,
  });
}

test('one leader at a time; stop releases the Lease and the other takes over at once', async () => {
  const { state, client } = fakeLeases();
  const log: string[] = [];
  const a = elector(client, 'a', log, { leaseDurationSeconds: 60 });
  const ra = a.run();
  await until(() => a.isLeader());
  const b = elector(client, 'b', log, { leaseDurationSeconds: 60 });
  const rb = b.run();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(b.isLeader(), false, 'the Lease is held and not expired');
  assert.equal(b.getLeader(), 'a');
  assert.equal(state.lease?.spec?.holderIdentity, 'a');
  assert.match(state.lease?.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  a.stop();
  await ra;
  await until(() => b.isLeader(), 1000); // well before the 60 s lease would expire
  assert.equal(state.lease?.spec?.holderIdentity, 'b');
  assert.equal(state.lease?.spec?.leaseTransitions, 0, 'a released: taking over a free Lease is no transition');
  b.stop();
  await rb;
  assert.deepEqual(log, ['a started', 'a stopped', 'b started', 'b stopped']);
});

test('a leader that cannot renew steps down; an expired Lease is taken over', async () => {
  const { state, client } = fakeLeases();
  const log: string[] = [];
  let signal: AbortSignal | undefined;
  const a = elector(client, 'a', log, { onStartedLeading: (s) => ((signal = s), log.push('a started')) });
  const ra = a.run();
  await until(() => a.isLeader());
  state.down = true;
  await ra; // gives up after renewDeadline
  assert.equal(a.isLeader(), false);
  assert.equal(signal?.aborted, true);
  state.down = false;
  // 'a' is gone without releasing: 'b' must wait out the 0.3 s lease from when it first saw it.
  const t0 = Date.now();
  const b = elector(client, 'b', log);
  const rb = b.run();
  await until(() => b.isLeader());
  assert.ok(Date.now() - t0 >= 250, `took over after expiry (${Date.now() - t0} ms)`);
  assert.equal(state.lease?.spec?.leaseTransitions, 1);
  b.stop();
  await rb;
  assert.deepEqual(log, ['a started', 'a stopped', 'b started', 'b stopped']);
});
