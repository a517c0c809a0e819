// Unit tests for the ControllerRevision history helpers: hashing as upstream, canonical data bytes,
// naming, equality, ordering and the create-with-collision loop against a fake client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import { StatusError } from '../../machinery/errors.js';
import type { SharedInformer } from '../../client/informer.js';
import {
  canonicalJson,
  ControllerHistory,
  controllerRevisionName,
  equalRevision,
  fnv32,
  hashControllerRevision,
  newControllerRevision,
  nextRevision,
  safeEncodeString,
  sortRevisions,
  templatePatch,
  type HistoryClient,
} from './controller-history.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('fnv32 is FNV-1 (Go hash/fnv New32)', () => {
  assert.equal(fnv32(enc('')), 0x811c9dc5);
  assert.equal(fnv32(enc('a')), 0x050c5d7e);
  assert.equal(fnv32(enc('foobar')), 0x31f0b262);
});

test('safeEncodeString maps each character through the vowel-free alphabet', () => {
  // '0' is 48; 48 % 27 = 21 → '4'; '9' is 57 → 57 % 27 = 3 → 'f'
  assert.equal(safeEncodeString('09'), '4f');
  assert.match(hashControllerRevision({ a: 1 }, 0), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
});

test('canonicalJson sorts keys like Go json.Marshal of a map and escapes HTML characters', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } }), '{"a":{"c":null,"d":[1,"x"]},"b":1}');
  assert.equal(canonicalJson({ s: '<&>' }), '{"s":"\\u003c\\u0026\\u003e"}');
});

test('the hash depends on data and collision count, not on key order', () => {
  const a = hashControllerRevision({ x: 1, y: 2 }, 0);
  assert.equal(a, hashControllerRevision({ y: 2, x: 1 }, 0));
  assert.notEqual(a, hashControllerRevision({ x: 1, y: 2 }, 1));
  assert.notEqual(a, hashControllerRevision({ x: 1, y: 3 }, 0));
});

test('templatePatch replaces the whole template', () => {
  assert.deepEqual(templatePatch({ metadata: { labels: { app: 'web' } } }), { spec: { template: { metadata: { labels: { app: 'web' } }, $patch: 'replace' } } });
});

test('newControllerRevision names by owner and hash, labels and owns', () => {
  const owner = { metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
  const data = templatePatch({ metadata: { labels: { app: 'web' } } });
  const cr = newControllerRevision({ owner, ownerApiVersion: 'apps/v1', ownerKind: 'StatefulSet', templateLabels: { app: 'web' }, data, revision: 3, collisionCount: 0 });
  const hash = hashControllerRevision(data, 0);
  assert.equal(cr.metadata?.name, `web-${hash}`);
  assert.deepEqual(cr.metadata?.labels, { app: 'web', 'controller.kubernetes.io/hash': hash });
  assert.equal(cr.metadata?.ownerReferences?.[0].uid, 'u1');
  assert.equal(cr.metadata?.ownerReferences?.[0].controller, true);
  assert.equal(cr.revision, 3);
  assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225);
});

test('equality, ordering and next revision', () => {
  const r = (name: string, revision: number, data: unknown): ControllerRevision => ({ metadata: { name }, revision, data: data as object });
  assert.ok(equalRevision(r('a', 1, { p: 1, q: 2 }), r('b', 2, { q: 2, p: 1 })));
  assert.ok(!equalRevision(r('a', 1, { p: 1 }), r('b', 2, { p: 2 })));
  assert.deepEqual(sortRevisions([r('c', 3, {}), r('a', 1, {}), r('b', 2, {})]).map((x) => x.metadata?.name), ['a', 'b', 'c']);
  assert.equal(nextRevision([]), 1);
  assert.equal(nextRevision([r('a', 4, {}), r('b', 2, {})]), 5);
});

test('createControllerRevision returns an equal existing revision and bumps the count on a collision', async () => {
  const stored = new Map<string, ControllerRevision>();
  const client = {
    async create(_r: unknown, obj: ControllerRevision) {
      const name = obj.metadata?.name ?? '';
      if (stored.has(name)) throw new StatusError({ code: 409, reason: 'AlreadyExists', message: 'exists' });
      stored.set(name, obj);
      return obj;
    },
    async get(r: { name?: string }) {
      return stored.get(r.name ?? '');
    },
  } as unknown as HistoryClient;
  const h = new ControllerHistory(client, {} as SharedInformer<ControllerRevision>);
  const owner = { metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
  const data = templatePatch({ metadata: { labels: { app: 'web' } } });
  const cr = newControllerRevision({ owner, ownerApiVersion: 'apps/v1', ownerKind: 'StatefulSet', data, revision: 1, collisionCount: 0 });
  const collision = { count: 0 };
  const first = await h.createControllerRevision(owner, cr, collision);
  const again = await h.createControllerRevision(owner, cr, collision);
  assert.equal(again.metadata?.name, first.metadata?.name);
  assert.equal(collision.count, 0);
  // Someone else's data under our next name: a collision.
  stored.set(first.metadata?.name ?? '', { ...first, data: { other: true } });
  const bumped = await h.createControllerRevision(owner, cr, collision);
  assert.equal(collision.count, 1);
  assert.equal(bumped.metadata?.name, `web-${hashControllerRevision(data, 1)}`);
});
