// Table tests for strategic merge patch: every directive, the merge keys of built-in lists, the list
// ordering rules of upstream strategicpatch, the patches kubectl sends (apply, set image, edit, 3-way
// deletions) and the error cases. Schemas come from testing/schema-fixture.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchemaNode } from '../schema-node.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { PatchError } from './patch-error.js';
import { deploymentSchema, freeFormSchema, podSchema, serviceSchema } from './testing/schema-fixture.js';

type Row = [name: string, original: unknown, patch: unknown, want: unknown, schema?: SchemaNode];

const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const podWith = (containers: unknown[]) => ({ spec: { containers } });
const deployWith = (podSpec: unknown) => ({ spec: { template: { spec: podSpec } } });

function run(rows: Row[], defaultSchema: SchemaNode | undefined): void {
  for (const [name, original, patch, want, schema] of rows) {
    const o = JSON.stringify(original);
    const p = JSON.stringify(patch);
    const got = applyStrategicMergePatch(original, patch, schema ?? defaultSchema);
    assert.deepEqual(got, want, name);
    assert.equal(JSON.stringify(original), o, `${name}: original mutated`);
    assert.equal(JSON.stringify(patch), p, `${name}: patch mutated`);
  }
}

test('maps, scalars and null', () => {
  run(
    [
      ['scalar replaced', { spec: { restartPolicy: 'Always', nodeName: 'n1' } }, { spec: { restartPolicy: 'Never' } }, { spec: { restartPolicy: 'Never', nodeName: 'n1' } }],
      ['null deletes a key', { metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null } } }, { metadata: { labels: { b: '2' } } }],
      ['null for an absent key is dropped', { spec: {} }, { spec: { nodeName: null } }, { spec: {} }],
      ['new map key added', { metadata: { labels: { a: '1' } } }, { metadata: { labels: { b: '2' } } }, { metadata: { labels: { a: '1', b: '2' } } }],
      ['new subtree has its nulls dropped', {}, { metadata: { labels: { a: '1', b: null } } }, { metadata: { labels: { a: '1' } } }],
      ['type change replaces', { spec: { nodeName: { odd: 1 } } }, { spec: { nodeName: 'n2' } }, { spec: { nodeName: 'n2' } }],
      ['map replaces scalar', { spec: { nodeSelector: 'x' } }, { spec: { nodeSelector: { disk: 'ssd' } } }, { spec: { nodeSelector: { disk: 'ssd' } } }],
      ['empty patch', { spec: { nodeName: 'n1' } }, {}, { spec: { nodeName: 'n1' } }],
      ['original not an object', null, { a: 1 }, { a: 1 }],
      ['resources maps merge', podWith([c('a', { resources: { limits: { cpu: '1' } } })]), podWith([c('a', { resources: { limits: { memory: '1Gi' }, requests: { cpu: '100m' } } })]), podWith([c('a', { resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m' } } })])],
      ['null inside a merged element removes the field', podWith([c('a', { imagePullPolicy: 'Always', image: 'x' })]), podWith([c('a', { imagePullPolicy: null })]), podWith([c('a', { image: 'x' })])],
      ['rollout pause/resume', { spec: { paused: true, replicas: 1 } }, { spec: { paused: null } }, { spec: { replicas: 1 } }, deploymentSchema],
      ['cordon', { spec: { nodeName: 'x' } }, { spec: { unschedulable: true } }, { spec: { nodeName: 'x', unschedulable: true } }],
    ],
    podSchema,
  );
});

test('lists merged by key (containers, env, ports, volumeMounts, conditions, ownerReferences, service ports)', () => {
  run(
    [
      ['container merged by name', podWith([c('nginx', { image: 'nginx:1.25', ports: [{ containerPort: 80 }] })]), podWith([c('nginx', { image: 'nginx:1.26' })]), podWith([c('nginx', { image: 'nginx:1.26', ports: [{ containerPort: 80 }] })])],
      ['new container without $setElementOrder goes first (upstream order)', podWith([c('a')]), podWith([c('b')]), podWith([c('b'), c('a')])],
      ['patch items keep live order relative to server items', podWith([c('a'), c('b'), c('c')]), podWith([c('b', { image: 'b2' }), c('d')]), podWith([c('a'), c('b', { image: 'b2' }), c('d'), c('c')])],
      ['env merged by name', podWith([c('app', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })]), podWith([c('app', { env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] })]), podWith([c('app', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }] })])],
      ['env var valueFrom replaces value via null', podWith([c('app', { env: [{ name: 'A', value: '1' }] })]), podWith([c('app', { env: [{ name: 'A', value: null, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] })]), podWith([c('app', { env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] })])],
      ['ports merged by containerPort', podWith([c('a', { ports: [{ containerPort: 80, name: 'http' }] })]), podWith([c('a', { ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] })]), podWith([c('a', { ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }] })])],
      ['volumeMounts merged by mountPath', podWith([c('a', { volumeMounts: [{ name: 'v', mountPath: '/d' }] })]), podWith([c('a', { volumeMounts: [{ mountPath: '/d', readOnly: true }] })]), podWith([c('a', { volumeMounts: [{ name: 'v', mountPath: '/d', readOnly: true }] })])],
      ['status conditions merged by type', { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } }, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] } }],
      ['podIPs merged by ip', { status: { podIPs: [{ ip: '10.0.0.1' }] } }, { status: { podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] } }, { status: { podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] } }],
      ['ownerReferences merged by uid', { metadata: { ownerReferences: [{ uid: 'u1', name: 'rs1' }] } }, { metadata: { ownerReferences: [{ uid: 'u1', controller: true }] } }, { metadata: { ownerReferences: [{ uid: 'u1', name: 'rs1', controller: true }] } }],
      ['imagePullSecrets merged by name', { spec: { imagePullSecrets: [{ name: 'a' }] } }, { spec: { imagePullSecrets: [{ name: 'a' }, { name: 'b' }] } }, { spec: { imagePullSecrets: [{ name: 'a' }, { name: 'b' }] } }],
      ['hostAliases merged by ip', { spec: { hostAliases: [{ ip: '1.1.1.1', hostnames: ['a'] }] } }, { spec: { hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }] } }, { spec: { hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }] } }],
      ['initContainers merged by name', { spec: { initContainers: [c('init', { image: 'busybox' })] } }, { spec: { initContainers: [c('init', { command: ['true'] })] } }, { spec: { initContainers: [c('init', { image: 'busybox', command: ['true'] })] } }],
      ['new merge list is taken from the patch', { spec: {} }, { spec: { containers: [c('a', { image: 'x', env: [{ name: 'E', value: null }] })] } }, { spec: { containers: [c('a', { image: 'x', env: [{ name: 'E' }] })] } }],
      ['service ports merged by port', { spec: { ports: [{ port: 80, targetPort: 8080, name: 'http' }] } }, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, { spec: { ports: [{ port: 80, targetPort: 9090, name: 'http' }] } }, serviceSchema],
      ['deployment conditions merged by type', { status: { conditions: [{ type: 'Available', status: 'True' }] } }, { status: { conditions: [{ type: 'Progressing', status: 'True' }] } }, { status: { conditions: [{ type: 'Progressing', status: 'True' }, { type: 'Available', status: 'True' }] } }, deploymentSchema],
    ],
    podSchema,
  );
});

test('atomic lists are replaced', () => {
  run(
    [
      ['command replaced', podWith([c('a', { command: ['sh', '-c', 'x'] })]), podWith([c('a', { command: ['y'] })]), podWith([c('a', { command: ['y'] })])],
      ['args replaced', podWith([c('a', { args: ['1', '2'] })]), podWith([c('a', { args: [] })]), podWith([c('a', { args: [] })])],
      ['envFrom replaced', podWith([c('a', { envFrom: [{ prefix: 'X' }] })]), podWith([c('a', { envFrom: [{ prefix: 'Y' }] })]), podWith([c('a', { envFrom: [{ prefix: 'Y' }] })])],
      ['tolerations replaced', { spec: { tolerations: [{ key: 'a' }, { key: 'b' }] } }, { spec: { tolerations: [{ key: 'c' }] } }, { spec: { tolerations: [{ key: 'c' }] } }],
      ['matchExpressions replaced', { spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } } }, { spec: { selector: { matchExpressions: [{ key: 'b', operator: 'Exists' }] } } }, { spec: { selector: { matchExpressions: [{ key: 'b', operator: 'Exists' }] } } }, deploymentSchema],
      ['null removes a list', podWith([c('a', { command: ['x'] })]), podWith([c('a', { command: null })]), podWith([c('a')])],
    ],
    podSchema,
  );
});

test('primitive merge lists (finalizers): union and $deleteFromPrimitiveList', () => {
  const meta = (finalizers: unknown) => ({ metadata: { finalizers } });
  run(
    [
      ['union keeps live order', meta(['a', 'b']), meta(['b', 'c']), meta(['a', 'b', 'c'])],
      ['new finalizer alone goes first (upstream order)', meta(['a', 'b']), meta(['c']), meta(['c', 'a', 'b'])],
      ['duplicates collapse', meta(['a']), meta(['a', 'a']), meta(['a'])],
      ['added to absent list', {}, meta(['x']), meta(['x'])],
      ['$deleteFromPrimitiveList removes values', meta(['a', 'b', 'c']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'z'] } }, meta(['a', 'c'])],
      ['$deleteFromPrimitiveList on absent list is a no-op', { metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }, { metadata: {} }],
      ['$deleteFromPrimitiveList works on atomic lists too', podWith([c('a', { args: ['x', 'y'] })]), podWith([c('a', { '$deleteFromPrimitiveList/args': ['x'] })]), podWith([c('a', { args: ['y'] })])],
      [
        'kubectl 3-way: add c, remove b, keep order',
        meta(['a', 'b']),
        { metadata: { '$setElementOrder/finalizers': ['a', 'c'], finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
        meta(['a', 'c']),
      ],
      ['null removes all finalizers', meta(['a']), meta(null), { metadata: {} }],
    ],
    podSchema,
  );
});

test('$patch directives', () => {
  run(
    [
      ['delete a container', podWith([c('a'), c('sidecar'), c('b')]), podWith([{ name: 'sidecar', $patch: 'delete' }]), podWith([c('a'), c('b')])],
      ['delete an env var and set another', podWith([c('a', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })]), podWith([c('a', { env: [{ name: 'A', $patch: 'delete' }, { name: 'C', value: '3' }] })]), podWith([c('a', { env: [{ name: 'C', value: '3' }, { name: 'B', value: '2' }] })])],
      ['delete a missing element is a no-op', podWith([c('a')]), podWith([{ name: 'zzz', $patch: 'delete' }]), podWith([c('a')])],
      ['replace a whole merge list', podWith([c('a', { image: '1' }), c('b')]), podWith([c('only', { image: 'x' }), { $patch: 'replace' }]), podWith([c('only', { image: 'x' })])],
      ['replace with empty list', podWith([c('a')]), podWith([{ $patch: 'replace' }]), podWith([])],
      ['replace a map', { spec: { nodeSelector: { zone: 'a', disk: 'hdd' } } }, { spec: { nodeSelector: { $patch: 'replace', disk: 'ssd' } } }, { spec: { nodeSelector: { disk: 'ssd' } } }],
      ['delete a map empties it', { metadata: { labels: { a: '1' } } }, { metadata: { labels: { $patch: 'delete' } } }, { metadata: { labels: {} } }],
      ['replace the whole object', { spec: { nodeName: 'x' }, metadata: { name: 'p' } }, { $patch: 'replace', spec: { restartPolicy: 'Never' } }, { spec: { restartPolicy: 'Never' } }],
      ['replace inside a list element', podWith([c('a', { resources: { limits: { cpu: '1', memory: '1Gi' } } })]), podWith([c('a', { resources: { $patch: 'replace', limits: { cpu: '2' } } })]), podWith([c('a', { resources: { limits: { cpu: '2' } } })])],
      ['directive on a map absent from the original', { spec: {} }, { spec: { nodeSelector: { $patch: 'replace', disk: 'ssd' } } }, { spec: { nodeSelector: { disk: 'ssd' } } }],
      ['delete element in a list absent from the original', { spec: {} }, { spec: { containers: [{ name: 'x', $patch: 'delete' }, c('y')] } }, { spec: { containers: [c('y')] } }],
    ],
    podSchema,
  );
});

test('$setElementOrder', () => {
  run(
    [
      [
        'kubectl apply: image update',
        deployWith({ containers: [c('nginx', { image: 'nginx:1.25' })] }),
        { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } } },
        deployWith({ containers: [c('nginx', { image: 'nginx:1.26' })] }),
        deploymentSchema,
      ],
      [
        'kubectl set image keeps the other container',
        deployWith({ containers: [c('web', { image: 'w1' }), c('side', { image: 's1' })] }),
        { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'side' }], containers: [{ image: 'w2', name: 'web' }] } } } },
        deployWith({ containers: [c('web', { image: 'w2' }), c('side', { image: 's1' })] }),
        deploymentSchema,
      ],
      ['append in the given order', podWith([c('a')]), { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [c('b')] } }, podWith([c('a'), c('b')])],
      ['insert in the middle', podWith([c('a'), c('c')]), { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], containers: [c('b')] } }, podWith([c('a'), c('b'), c('c')])],
      ['reorder without content changes', podWith([c('a'), c('b'), c('c')]), { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } }, podWith([c('c'), c('a'), c('b')])],
      ['server-only items interleave by live order (upstream)', podWith([c('a'), c('x'), c('b')]), { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [c('b', { image: 'b2' })] } }, podWith([c('x'), c('b', { image: 'b2' }), c('a')])],
      [
        'kubectl apply removing an env var',
        podWith([c('app', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })]),
        { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'app', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'B', $patch: 'delete' }] }] } },
        podWith([c('app', { env: [{ name: 'A', value: '1' }] })]),
      ],
      [
        'kubectl apply removing a container',
        podWith([c('a'), c('b')]),
        { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', $patch: 'delete' }] } },
        podWith([c('a')]),
      ],
      ['list absent from the original', { spec: {} }, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [c('b'), c('a')] } }, podWith([c('b'), c('a')])],
      ['unkeyed list of maps: merged, order left alone', { spec: { tolerations: [{ key: 'a' }] } }, { spec: { '$setElementOrder/tolerations': [{ key: 'b' }], tolerations: [{ key: 'b' }] } }, { spec: { tolerations: [{ key: 'b' }] } }],
      ['order for a list in neither document', { spec: {} }, { spec: { '$setElementOrder/containers': [{ name: 'a' }] } }, { spec: {} }],
      ['ports ordered by containerPort', podWith([c('a', { ports: [{ containerPort: 80 }, { containerPort: 81 }] })]), podWith([c('a', { '$setElementOrder/ports': [{ containerPort: 81 }, { containerPort: 80 }] })]), podWith([c('a', { ports: [{ containerPort: 81 }, { containerPort: 80 }] })])],
      ['primitive list order', { metadata: { finalizers: ['a', 'b'] } }, { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } }, { metadata: { finalizers: ['b', 'a'] } }],
    ],
    podSchema,
  );
});

test('$retainKeys', () => {
  const strategy = (s: unknown) => ({ spec: { strategy: s } });
  run(
    [
      [
        'RollingUpdate → Recreate as kubectl apply sends it',
        strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }),
        { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
        strategy({ type: 'Recreate' }),
      ],
      ['without $retainKeys other keys stay', strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }), { spec: { strategy: { type: 'Recreate' } } }, strategy({ type: 'Recreate', rollingUpdate: { maxSurge: 1 } })],
      ['Recreate → RollingUpdate', strategy({ type: 'Recreate' }), { spec: { strategy: { $retainKeys: ['rollingUpdate', 'type'], type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } } } }, strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } })],
      ['retained keys merge', strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }), { spec: { strategy: { $retainKeys: ['rollingUpdate', 'type'], rollingUpdate: { maxSurge: 3 } } } }, strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } })],
      ['on an absent map', { spec: {} }, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, strategy({ type: 'Recreate' })],
    ],
    deploymentSchema,
  );
  run(
    [
      [
        'volume source switch emptyDir → configMap',
        { spec: { volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', hostPath: { path: '/x' } }] } },
        { spec: { '$setElementOrder/volumes': [{ name: 'v' }, { name: 'w' }], volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, name: 'v' }] } },
        { spec: { volumes: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', hostPath: { path: '/x' } }] } },
      ],
    ],
    podSchema,
  );
});

test('unknown and free-form schemas behave like JSON merge patch', () => {
  run(
    [
      ['free-form lists replaced, maps merged', { spec: { a: [1, 2], b: { c: 1 } } }, { spec: { a: [3], b: { d: 2 } } }, { spec: { a: [3], b: { c: 1, d: 2 } } }, freeFormSchema],
      ['free-form lists of maps are not merged', { spec: { items: [{ name: 'a', x: 1 }] } }, { spec: { items: [{ name: 'a', y: 2 }] } }, { spec: { items: [{ name: 'a', y: 2 }] } }, freeFormSchema],
      ['free-form null deletes', { spec: { a: 1, b: 2 } }, { spec: { a: null } }, { spec: { b: 2 } }, freeFormSchema],
      ['metadata still uses its schema', { metadata: { finalizers: ['a'] } }, { metadata: { finalizers: ['b'] } }, { metadata: { finalizers: ['b', 'a'] } }, freeFormSchema],
    ],
    undefined,
  );
  run(
    [
      ['no schema: containers replaced', podWith([c('a'), c('b')]), podWith([c('a', { image: 'x' })]), podWith([c('a', { image: 'x' })])],
      ['no schema: maps merged', { a: { b: 1 } }, { a: { c: 2 } }, { a: { b: 1, c: 2 } }],
      ['no schema: $patch still honoured', { a: { b: 1 } }, { a: { $patch: 'replace', c: 2 } }, { a: { c: 2 } }],
      ['unknown field in a typed object', { spec: { weird: [1] } }, { spec: { weird: [2] } }, { spec: { weird: [2] } }, podSchema],
    ],
    undefined,
  );
});

test('result shares nothing with the inputs', () => {
  type Ctr = { name: string; env: Array<{ name: string; value: string }> };
  const original = { spec: { containers: [{ name: 'a', env: [{ name: 'A', value: '1' }] }] as Ctr[] } };
  const patch = { spec: { containers: [{ name: 'b', env: [{ name: 'B', value: '2' }] }] as Ctr[] } };
  const out = applyStrategicMergePatch(original, patch, podSchema) as { spec: { containers: Array<{ env: Array<{ value: string }> }> } };
  for (const ctr of out.spec.containers) ctr.env[0]!.value = 'changed';
  assert.equal(original.spec.containers[0]!.env[0]!.value, '1');
  assert.equal(patch.spec.containers[0]!.env[0]!.value, '2');
});

test('errors', () => {
  const cases: Array<[string, unknown, unknown, string, RegExp, SchemaNode | undefined]> = [
    ['patch not an object', {}, [1], 'BadFormat', /invalid JSON document/, podSchema],
    ['unknown $patch on a map', { a: {} }, { a: { $patch: 'frob' } }, 'MergeFailed', /^unknown patch type: frob in map: map\[\$patch:frob\]$/, podSchema],
    ['$patch merge in a list', podWith([c('a')]), podWith([{ name: 'a', $patch: 'merge' }]), 'MergeFailed', /merging lists cannot yet be specified in the patch/, podSchema],
    ['unknown $patch in a list', podWith([c('a')]), podWith([{ name: 'a', $patch: 'zap' }]), 'MergeFailed', /unknown patch type: zap/, podSchema],
    ['delete element without merge key', podWith([c('a')]), podWith([{ image: 'x', $patch: 'delete' }]), 'MergeFailed', /does not contain declared merge key: name/, podSchema],
    ['element without merge key', podWith([c('a')]), podWith([{ image: 'x' }]), 'MergeFailed', /^map: map\[image:x\] does not contain declared merge key: name$/, podSchema],
    ['$retainKeys not a list', { spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: 'type' } } }, 'BadFormat', /invalid patch format of retainKeys/, deploymentSchema],
    ['patch key outside $retainKeys', { spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }, 'BadFormat', /invalid patch format of retainKeys/, deploymentSchema],
    ['$setElementOrder not a list', podWith([c('a')]), { spec: { '$setElementOrder/containers': { name: 'a' } } }, 'MergeFailed', /expected a \[\]interface \{\}, but received a map/, podSchema],
    ['$setElementOrder mismatching the patch', podWith([c('a'), c('b')]), { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [c('b')] } }, 'MergeFailed', /doesn't match \$setElementOrder list/, podSchema],
    ['$setElementOrder item without merge key', podWith([c('a')]), { spec: { '$setElementOrder/containers': [{ image: 'a' }], containers: [c('a')] } }, 'MergeFailed', /does not contain declared merge key/, podSchema],
    ['malformed $setElementOrder key', { spec: {} }, { spec: { $setElementOrderX: [] } }, 'BadFormat', /invalid patch format of setElementOrder list/, podSchema],
    ['malformed $deleteFromPrimitiveList key', { metadata: {} }, { metadata: { $deleteFromPrimitiveListfinalizers: ['a'] } }, 'BadFormat', /invalid patch format of primitive list/, podSchema],
    ['lists of lists', { metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }, 'Unprocessable', /lists of lists are not supported/, podSchema],
    ['mixed element types', { metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [1] } }, 'MergeFailed', /list element types are not identical/, podSchema],
  ];
  for (const [name, original, patch, code, msg, schema] of cases) {
    assert.throws(
      () => applyStrategicMergePatch(original, patch, schema),
      (e: unknown) => e instanceof PatchError && e.code === code && msg.test(e.message),
      name,
    );
  }
});
