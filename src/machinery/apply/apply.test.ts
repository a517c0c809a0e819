import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { isStatusError, type StatusError } from '../errors.js';
import type { KubeObject } from '../object.js';
import { applyServerSide } from './apply.js';
import { deploymentSchema } from './fixtures.js';
import { recordUpdate } from './update.js';

const T1 = new Date('2026-11-22T11:23:39Z');
const T2 = new Date('2026-11-22T12:00:00Z');
const GR = { group: 'apps', resource: 'deployments' };
type Container = { name: string; image?: string; args?: string[]; ports?: { containerPort: number; protocol?: string }[] };

function config(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...metadata }, spec };
}

function containers(o: KubeObject): Container[] {
  return (o.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers;
}

function podSpec(cs: Container[]) {
  return { template: { spec: { containers: cs } } };
}

function apply(live: KubeObject | undefined, applied: KubeObject, manager: string, force = false, now = T1): KubeObject {
  return applyServerSide({ live, applied, manager, force, schema: deploymentSchema, apiVersion: 'apps/v1', now, groupResource: GR });
}

/** The object as stored after a write: the server adds identity fields. */
function stored(o: KubeObject): KubeObject {
  return { ...o, metadata: { ...o.metadata, uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-11-22T11:00:00Z' } };
}

function entry(o: KubeObject, manager: string): ManagedFieldsEntry | undefined {
  return o.metadata?.managedFields?.find((e) => e.manager === manager);
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e;
    throw e;
  }
  assert.fail('expected a conflict');
}

test('create via apply: result is the config, owned by the applier with an Apply entry', () => {
  const applied = config(
    { replicas: 2, selector: { matchLabels: { app: 'web' } }, ...podSpec([{ name: 'nginx', image: 'nginx:1.26' }]) },
    { labels: { app: 'web' } },
  );
  const out = apply(undefined, applied, 'kubectl');
  const { managedFields, ...meta } = out.metadata!;
  assert.deepEqual({ ...out, metadata: meta }, applied);
  assert.deepEqual(managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2026-11-22T11:23:39Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
        },
      },
    },
  ]);
});

test('re-apply without a field removes it; fields others own or nobody applied stay', () => {
  const first = stored(
    apply(undefined, config({ replicas: 2, paused: true, ...podSpec([{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }]) }, { labels: { app: 'web', tier: 'x' } }), 'mgr'),
  );
  // Another manager (an Update) adds an annotation and owns tier too.
  const edited = structuredClone(first);
  edited.metadata!.annotations = { note: 'hi' };
  edited.metadata!.labels!.tier = 'y';
  recordUpdate({ old: first, updated: edited, manager: 'kubectl-edit', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });

  const out = apply(edited, config({ replicas: 2, ...podSpec([{ name: 'a', image: 'a' }]) }, { labels: { app: 'web' } }), 'mgr', false, T2);
  assert.equal((out.spec as { paused?: boolean }).paused, undefined, 'paused pruned');
  assert.deepEqual(containers(out).map((c) => c.name), ['a'], 'container b pruned');
  assert.deepEqual(out.metadata!.labels, { app: 'web', tier: 'y' }, 'tier is owned by kubectl-edit');
  assert.deepEqual(out.metadata!.annotations, { note: 'hi' });
  assert.equal(out.metadata!.resourceVersion, '7');
  assert.equal(out.metadata!.uid, 'u1');
  assert.equal(entry(out, 'mgr')!.time, '2026-11-22T12:00:00Z');
});

test('apply after a client-side-apply Update conflicts on changed fields only', () => {
  const created = stored(config({ replicas: 1, ...podSpec([{ name: 'nginx', image: 'nginx:1.25' }]) }));
  recordUpdate({ old: undefined, updated: created, manager: 'kubectl-client-side-apply', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });

  // Same values as live → shared ownership, no conflict.
  const same = apply(created, config({ replicas: 1 }), 'ssa');
  assert.deepEqual(entry(same, 'ssa')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.deepEqual((entry(same, 'kubectl-client-side-apply')!.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']!['f:replicas'], {});

  const err = conflictOf(() => apply(created, config({ replicas: 3, ...podSpec([{ name: 'nginx', image: 'nginx:1.25' }]) }), 'ssa'));
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  assert.deepEqual(err.status.details, {
    causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
  });

  const two = conflictOf(() => apply(created, config({ replicas: 3, ...podSpec([{ name: 'nginx', image: 'nginx:1.26' }]) }), 'ssa'));
  assert.equal(
    two.message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
  );
  assert.deepEqual(two.status.details?.causes?.map((c) => c.field), ['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
});

test('force takes ownership away from the other managers', () => {
  const created = stored(config({ replicas: 1, paused: false }));
  recordUpdate({ old: undefined, updated: created, manager: 'kubectl-client-side-apply', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  const out = apply(created, config({ replicas: 5 }), 'ssa', true, T2);
  assert.equal((out.spec as { replicas: number }).replicas, 5);
  assert.deepEqual(entry(out, 'ssa')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.deepEqual(entry(out, 'kubectl-client-side-apply')!.fieldsV1, { 'f:spec': { 'f:paused': {} } });
  // Now the old owner (as an applier) would conflict with the new one: the message names an Apply manager.
  const again = stored(out);
  const err = conflictOf(() => apply(again, config({ replicas: 6 }), 'other'));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "ssa": .spec.replicas');
});

test('two appliers share a field; it survives one of them dropping it', () => {
  const a = stored(apply(undefined, config({ replicas: 3 }, { labels: { shared: 'v' } }), 'a'));
  const b = stored(apply(a, config({ replicas: 3 }, { labels: { shared: 'v' } }), 'b'));
  assert.deepEqual(entry(b, 'a')!.fieldsV1, entry(b, 'b')!.fieldsV1);
  const aDrops = apply(b, config({ replicas: 3 }), 'a');
  assert.deepEqual(aDrops.metadata!.labels, { shared: 'v' });
  assert.deepEqual(entry(aDrops, 'a')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  // Changing a shared field conflicts with the other applier.
  const err = conflictOf(() => apply(b, config({ replicas: 4 }), 'a'));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "b": .spec.replicas');
});

test('map lists merge by key: containers by name, ports by containerPort+protocol (protocol defaulted)', () => {
  const live = stored(config(podSpec([
    { name: 'a', image: 'a:1', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] },
    { name: 'b', image: 'b:1' },
  ])));
  recordUpdate({ old: undefined, updated: live, manager: 'creator', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  const out = apply(live, config(podSpec([{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 8080 }] }, { name: 'c', image: 'c:1' }])), 'ssa');
  assert.deepEqual(containers(out), [
    { name: 'a', image: 'a:1', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 8080 }] },
    { name: 'b', image: 'b:1' },
    { name: 'c', image: 'c:1' },
  ]);
  assert.deepEqual(entry(out, 'ssa')!.fieldsV1, {
    'f:spec': {
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"a"}': {
              '.': {},
              'f:name': {},
              'f:ports': {
                'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
              },
            },
            'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} },
          },
        },
      },
    },
  });
});

test('atomic lists are replaced and owned whole; set lists (finalizers) union by value', () => {
  const live = stored(config(podSpec([{ name: 'a', args: ['x', 'y'] }]), { finalizers: ['keep/me'] }));
  recordUpdate({ old: undefined, updated: live, manager: 'creator', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  const out = apply(live, config(podSpec([{ name: 'a', args: ['z'] }]), { finalizers: ['mine/too'] }), 'ssa', true);
  assert.deepEqual(containers(out)[0]!.args, ['z']);
  assert.deepEqual(out.metadata!.finalizers, ['keep/me', 'mine/too']);
  assert.deepEqual(entry(out, 'ssa')!.fieldsV1, {
    'f:metadata': { 'f:finalizers': { 'v:"mine/too"': {} } },
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:args': {}, 'f:name': {} } } } } },
  });
  // Dropping the finalizer from the config removes it again; the other one stays.
  const dropped = apply(stored(out), config(podSpec([{ name: 'a', args: ['z'] }])), 'ssa');
  assert.deepEqual(dropped.metadata!.finalizers, ['keep/me']);
});

test('kubectl upgrading from client-side apply: no conflict on fields unchanged since last-applied', () => {
  const lastApplied = JSON.stringify(config({ replicas: 2 })) + '\n';
  const live = stored(config({ replicas: 2, paused: false }, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }));
  recordUpdate({ old: undefined, updated: live, manager: 'kubectl-client-side-apply', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  const out = apply(live, config({ replicas: 4 }), 'kubectl');
  assert.equal((out.spec as { replicas: number }).replicas, 4);
  assert.equal(
    out.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration'],
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":4}}\n',
  );
  // paused differs from what the annotation says (it is absent there) → still a conflict.
  const err = conflictOf(() => apply(live, config({ replicas: 4, paused: true }), 'kubectl'));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.paused');
  // Other managers get no such leniency.
  assert.equal(conflictOf(() => apply(live, config({ replicas: 4 }), 'someone')).code, 409);
});

test('status is not owned through the main resource; meta fields are never owned', () => {
  const out = apply(undefined, { ...config({ replicas: 1 }, { uid: 'x', resourceVersion: '3' }), status: { replicas: 9 } }, 'ssa');
  assert.deepEqual(entry(out, 'ssa')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
});

test('bad apply bodies are 400s with upstream wording', () => {
  const cases: [KubeObject, string][] = [
    [{ ...config({}), apiVersion: 'apps/v1beta1' }, 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1'],
    [config({}, { managedFields: [] }), 'metadata.managedFields must be nil'],
  ];
  for (const [body, msg] of cases) {
    const err = conflictOf(() => apply(undefined, body, 'ssa'));
    assert.equal(err.code, 400);
    assert.equal(err.message, msg);
  }
});

test('a no-op re-apply keeps the entry time', () => {
  const first = stored(apply(undefined, config({ replicas: 1 }), 'ssa', false, T1));
  const again = apply(first, config({ replicas: 1 }), 'ssa', false, T2);
  assert.equal(entry(again, 'ssa')!.time, '2026-11-22T11:23:39Z');
});

test('conflicts with several managers are grouped per manager, sorted by identity', () => {
  const base = stored(config({ replicas: 1, paused: false }, { labels: { a: '1' } }));
  recordUpdate({ old: undefined, updated: base, manager: 'zeta', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  const next = structuredClone(base);
  (next.spec as { paused: boolean }).paused = true;
  recordUpdate({ old: base, updated: next, manager: 'alpha', schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
  const err = conflictOf(() => apply(next, config({ replicas: 2, paused: false }, { labels: { a: '2' } }), 'ssa'));
  assert.equal(
    err.message,
    'Apply failed with 3 conflicts: conflicts with "alpha" using apps/v1:\n- .spec.paused\nconflicts with "zeta" using apps/v1:\n- .metadata.labels.a\n- .spec.replicas',
  );
});

test('without a schema values are deduced: maps granular, lists atomic', () => {
  const applied: KubeObject = { apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'f' }, spec: { a: { b: 1 }, list: [1, 2] } };
  const out = applyServerSide({ live: undefined, applied, manager: 'm', force: false, schema: undefined, apiVersion: 'example.com/v1', now: T1, groupResource: { group: 'example.com', resource: 'foos' } });
  assert.deepEqual(out.metadata!.managedFields![0]!.fieldsV1, { 'f:spec': { '.': {}, 'f:a': { '.': {}, 'f:b': {} }, 'f:list': {} } });
  const again = applyServerSide({ live: stored(out), applied: { ...applied, spec: { list: [3] } }, manager: 'm', force: false, schema: undefined, apiVersion: 'example.com/v1', now: T1, groupResource: { group: 'example.com', resource: 'foos' } });
  assert.deepEqual(again.spec, { list: [3] });
});

test('dropping the last applied label removes the labels map', () => {
  const first = stored(apply(undefined, config({ replicas: 1 }, { labels: { app: 'web' } }), 'ssa'));
  const out = apply(first, config({ replicas: 1 }), 'ssa');
  assert.equal(out.metadata!.labels, undefined);
  assert.equal(out.metadata!.name, 'web');
});

test('re-apply keeps unowned (defaulted) fields inside elements the applier still applies', () => {
  const first = apply(undefined, config({ replicas: 1, ...podSpec([{ name: 'a', image: 'a:1' }]) }), 'ssa');
  const defaulted = stored(first);
  Object.assign(containers(defaulted)[0]!, { imagePullPolicy: 'IfNotPresent' });
  const out = apply(defaulted, config({ replicas: 1, ...podSpec([{ name: 'a', image: 'a:2' }]) }), 'ssa');
  assert.deepEqual(containers(out), [{ name: 'a', image: 'a:2', imagePullPolicy: 'IfNotPresent' }]);
});
