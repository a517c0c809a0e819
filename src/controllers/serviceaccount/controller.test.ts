import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { SharedInformer, type ListerWatcher } from '../../client/informer.js';
import type { ResourceRef } from '../../client/http-client.js';
import { StatusError } from '../../machinery/errors.js';
import { ServiceAccountsController, type ServiceAccountClient } from './controller.js';

const never = {} as ListerWatcher; // informers are never started: tests seed their stores
const ns = (name: string, extra: Partial<Namespace> = {}): Namespace => ({ metadata: { name }, status: { phase: 'Active' }, ...extra });
const sa = (namespace: string, name = 'default'): ServiceAccount => ({ metadata: { namespace, name } });

function setup(createErr?: StatusError) {
  const namespaces = new SharedInformer<Namespace>(never, { group: '', version: 'v1', resource: 'namespaces' });
  const accounts = new SharedInformer<ServiceAccount>(never, { group: '', version: 'v1', resource: 'serviceaccounts' });
  const created: string[] = [];
  const client = {
    create: async (r: ResourceRef, o: ServiceAccount) => {
      if (createErr) throw createErr;
      created.push(`${r.namespace}/${o.metadata?.name}`);
      return o;
    },
  } as unknown as ServiceAccountClient;
  return { c: new ServiceAccountsController(client, namespaces, accounts), namespaces, accounts, created };
}

test('serviceaccounts: syncNamespace creates only what is missing, only in active namespaces', async () => {
  const s = setup();
  s.namespaces.store.upsert(ns('a'));
  s.namespaces.store.upsert(ns('b'));
  s.namespaces.store.upsert(ns('t', { metadata: { name: 't', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Terminating' } }));
  s.accounts.store.upsert(sa('b'));
  for (const k of ['a', 'b', 't', 'missing']) assert.deepEqual(await s.c.syncNamespace(k), { kind: 'done' });
  assert.deepEqual(s.created, ['a/default']);
});

test('serviceaccounts: AlreadyExists and a terminating namespace are success; other errors retry', async () => {
  const cases: Array<[StatusError, string]> = [
    [new StatusError({ status: 'Failure', code: 409, reason: 'AlreadyExists', message: 'serviceaccounts "default" already exists' }), 'done'],
    [new StatusError({ status: 'Failure', code: 403, reason: 'Forbidden', message: 'serviceaccounts "default" is forbidden: unable to create new content in namespace a because it is being terminated' }), 'done'],
    [new StatusError({ status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' }), 'error'],
  ];
  for (const [err, want] of cases) {
    const s = setup(err);
    s.namespaces.store.upsert(ns('a'));
    assert.equal((await s.c.syncNamespace('a')).kind, want, err.message);
  }
});

/** A lister/watcher whose watch events the test pushes by hand. */
function fakeWatcher() {
  const push: Array<(e: unknown) => void> = [];
  const lw = {
    list: async () => ({ metadata: { resourceVersion: '1' }, items: [] }),
    watch: (_r: unknown, _o: unknown, onEvent: (e: unknown) => void) => {
      push.push(onEvent);
      let end!: () => void;
      const done = new Promise<void>((r) => (end = r));
      return { abort: () => end(), done };
    },
  } as unknown as ListerWatcher;
  return { lw, emit: (e: unknown) => push.forEach((p) => p(e)), watching: () => push.length > 0 };
}

test('serviceaccounts: handlers enqueue the namespace on namespace add and default-SA delete', async () => {
  const nsW = fakeWatcher();
  const saW = fakeWatcher();
  const namespaces = new SharedInformer<Namespace>(nsW.lw, { group: '', version: 'v1', resource: 'namespaces' });
  const accounts = new SharedInformer<ServiceAccount>(saW.lw, { group: '', version: 'v1', resource: 'serviceaccounts' });
  const c = new ServiceAccountsController({} as ServiceAccountClient, namespaces, accounts);
  namespaces.start();
  accounts.start();
  try {
    while (!nsW.watching() || !saW.watching()) await new Promise((r) => setTimeout(r, 1));
    saW.emit({ type: 'DELETED', object: { ...sa('x'), metadata: { ...sa('x').metadata, resourceVersion: '2' } } });
    saW.emit({ type: 'DELETED', object: sa('y', 'other') });
    assert.equal(c.queue.len(), 1, 'only the deletion of a managed account matters');
    nsW.emit({ type: 'ADDED', object: ns('z') });
    nsW.emit({ type: 'ADDED', object: ns('x') }); // de-duplicated with the SA delete
    assert.equal(c.queue.len(), 2);
  } finally {
    namespaces.stop();
    accounts.stop();
  }
});
