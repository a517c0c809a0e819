// The hand-assembled Table JSON of lists must be exactly what serializing buildTable's object gives,
// for every includeObject mode, for a type with printer columns (pods) and one without (configmaps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRegistry } from '../api/builtin.js';
import type { KubeObject } from '../machinery/object.js';
import { buildTable, buildTableJson, type IncludeObject } from './table.js';

const registry = builtinRegistry();
const now = new Date('2026-01-02T03:04:05Z');

const pod = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'a"b': 'c' }, managedFields: [{ manager: 'm', fieldsV1: { 'k:{"name":"c"}': {} } }] },
  spec: { containers: [{ name: 'c', image: 'i' }], nodeName: 'n1' },
  status: { phase: 'Running', podIP: '10.0.0.1', containerStatuses: [{ name: 'c', ready: true, restartCount: 2 }] },
  ...extra,
});

test('buildTableJson equals JSON.stringify(buildTable(...)) for lists', () => {
  const cases: Array<[string, KubeObject[]]> = [
    ['pods', [pod('a'), pod('b', { metadata: undefined }), pod('c', { status: undefined })]],
    ['pods', []],
    ['configmaps', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', creationTimestamp: '2026-01-01T00:00:00Z' }, data: { k: 'v' } }]],
  ];
  for (const [plural, objs] of cases) {
    const rt = registry.get('', 'v1', plural)!;
    for (const include of ['None', 'Metadata', 'Object'] as IncludeObject[]) {
      for (const version of ['v1', 'v1beta1']) {
        const meta = { resourceVersion: '9', continue: 'abc', remainingItemCount: 3 };
        const want = JSON.stringify(buildTable(rt, objs, meta, { include, version, now }));
        assert.equal(buildTableJson(rt, objs, meta, { include, version, now }), want, `${plural} ${include} ${version}`);
        // A second rendering (cached metadata / object JSON) is the same.
        assert.equal(buildTableJson(rt, objs, meta, { include, version, now }), want, `${plural} ${include} ${version} (cached)`);
      }
    }
  }
});
