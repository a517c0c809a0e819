// Seeded fuzz of bad client input against the running server (issue 2: "Nothing a client sends may
// crash the server or corrupt stored data"; "Bad input gets a clear error and loses nothing").
// A few hundred deterministic requests: garbage/truncated/deeply nested JSON and YAML, valid objects
// with mutated fields, random bodies under all four PATCH content types, hostile query parameters,
// odd URLs, wrong methods and content types, oversized bodies. Every failure must be a 4xx (504 only
// for a too-large resourceVersion) carrying a Status whose code and reason match; the server keeps
// serving; and objects written before the storm are byte-for-byte unchanged after it. Fuzz writes go
// to the `fuzz` namespace; anything aimed at the `keep` namespace is forced to dryRun=All. To explore,
// SKIFF_FUZZ_SEED=<n> picks another seed and SKIFF_FUZZ_DEBUG=1 prints every accepted write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer, type Resp } from './harness.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts.close();
});

/** mulberry32: small, seedable, good enough to pick cases reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Obj = Record<string, unknown>;
interface Case {
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

const KINDS: { coll: (ns: string) => string; make: (name: string) => Obj }[] = [
  { coll: (ns) => `/api/v1/namespaces/${ns}/configmaps`, make: (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { a: 'b' } }, data: { k: 'v' } }) },
  { coll: (ns) => `/api/v1/namespaces/${ns}/secrets`, make: (name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', data: { k: 'dg==' } }) },
  { coll: (ns) => `/api/v1/namespaces/${ns}/pods`, make: (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'E', value: 'x' }] }] } }) },
  { coll: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`, make: (name) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }) },
  { coll: (ns) => `/api/v1/namespaces/${ns}/services`, make: (name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }] } }) },
];

const nest = (depth: number, open: string, close: string, leaf = '1') => open.repeat(depth) + leaf + close.repeat(depth);
const RAW_NUMBERS = ['1e400', '-0', '1.5', '-1e400', '9007199254740993', '1e-400', '-1', '2147483648'];
const WEIRD: unknown[] = [null, true, 0, -1, 'str', '', [], {}, [1, 'a', null], { a: { b: [] } }, 'x'.repeat(70_000), '🚀\u0000\ud800é漢字', '$patch', 'RAW:'];
const JSON_GARBAGE = ['{', '}', '[', '{"a":', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"', 'null', '"str"', '123', '[]', 'true', '{"a":1}}', '\u0000\u0001\u0002', '{"kind":{"x":1}}', '{"apiVersion":7,"kind":[]}', '{"metadata":"x"}', '{"metadata":{"name":{"a":1}}}', '{"a":NaN}', '{"a":1e400}', '\ufeff{}'];
const YAML_GARBAGE = ['a: !!omap [{x: 1}]', 'a: .nan', 'a: [', 'a: {b: c', '- - -\n  : :', ': x', '*unknown', 'a: &a [*a]', '%YAML 9.9\n---\na: 1', '---\na: 1\n---\nb: 2', '!!binary zz', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x]', 'a: !!js/function "function(){}"', '{{{', '\t- x', 'key: value\n  bad: indent'];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const JSON_PATHS = ['', '/', 'metadata', '/metadata/labels/~2', '/metadata/labels/~1a', '/spec/containers/99', '/spec/containers/-/name', '/a/b/c/d', '/metadata/name', '/data/k', '/spec/replicas', '/kind', '/metadata/uid', '/spec/containers/0/ports/x', '/spec/containers/-1'];
const SMP_BODIES: Obj[] = [
  { $patch: 7 },
  { $patch: 'bogus' },
  { $patch: 'delete' },
  { $patch: 'replace' },
  { spec: { $patch: 7 } },
  { spec: { containers: [{ $patch: 'delete' }] } },
  { spec: { containers: [{ name: 'c', $patch: ['x'] }] } },
  { spec: { containers: { name: 'c' } } },
  { spec: { containers: 'str' } },
  { spec: { 'containers': [{ name: 'c', ports: { containerPort: 1 } }] } },
  { spec: { '$setElementOrder/containers': 'str' } },
  { spec: { '$setElementOrder/containers': [{ x: 1 }] } },
  { spec: { '$setElementOrder/containers': [{ name: 'zzz' }] } },
  { '$setElementOrder/x': 'str' },
  { $retainKeys: {} },
  { spec: { $retainKeys: 'str' } },
  { spec: { $retainKeys: [1, null] } },
  { spec: { '$deleteFromPrimitiveList/finalizers': 'x' } },
  { metadata: { '$deleteFromPrimitiveList/finalizers': [{}] } },
  { metadata: { labels: { $patch: 'delete' } } },
  { metadata: { finalizers: { $patch: 'replace' } } },
  { data: { $patch: 'merge', k: null } },
  { metadata: { name: 'other' } },
  { metadata: { resourceVersion: 'abc' } },
  { metadata: { resourceVersion: '1' } },
  { spec: { replicas: 'RAW:1e400' } },
];
const QUERY: [string, string[]][] = [
  ['limit', ['-1', 'abc', '0', '1e3', '99999999999999999999', '1.5']],
  ['continue', ['garbage', 'eyJ2IjoxfQ', '%00', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiLi4vLi4ifQ']],
  ['resourceVersion', ['abc', '-5', '99999999999', '0', '1.5', '']],
  ['resourceVersionMatch', ['Bogus', 'Exact', 'NotOlderThan']],
  ['labelSelector', ['===', 'a in (', 'a,,b', '!', 'a notin b', 'a=' + 'x'.repeat(100), '%ZZ', 'a>b', 'a=b=c', 'a in ()']],
  ['fieldSelector', ['spec.foo=x', '===', 'metadata.name==', 'metadata.name in (x)', ',', 'metadata.namespace!=', 'a']],
  ['timeoutSeconds', ['-1', 'abc', '1.5']],
  ['dryRun', ['Bogus', 'All', '']],
  ['fieldValidation', ['Bogus', 'Strict', 'Warn', 'Ignore']],
  ['propagationPolicy', ['Bogus', 'Orphan']],
  ['gracePeriodSeconds', ['-5', 'abc', '1e400']],
  ['fieldManager', ['x'.repeat(200), '\u0001', '']],
  ['force', ['maybe', 'true']],
  ['pretty', ['maybe']],
  ['allowWatchBookmarks', ['maybe']],
  ['sendInitialEvents', ['maybe', 'true']],
];
const ODD_PATHS = [
  '/apis/nope.example.com/v1/things', '/apis/apps/v9/deployments', '/api/v2/pods', '/api//v1//namespaces', '//api/v1/namespaces',
  '/api/v1/namespaces/fuzz/../keep/configmaps', '/api/v1/namespaces/../../etc/passwd', '/api/v1/namespaces/fuzz/configmaps/' + 'n'.repeat(5000),
  '/api/v1/namespaces/fuzz/configmaps/a%2Fb', '/api/v1/namespaces/fuzz%2Fx/configmaps', '/api/v1/namespaces/fuzz/configmaps/%', '/api/v1/namespaces/fuzz/configmaps/%00',
  '/api/v1/namespaces/fuzz/configmaps/x/y/z/w', '/api/v1/namespaces/fuzz/configmaps/x/status', '/api/v1/namespaces/fuzz/pods/x/bogus', '/api/v1/namespaces/fuzz/nothings',
  '/api/v1/namespaces/' + 'N'.repeat(300) + '/configmaps', '/api/v1/namespaces/UPPER/configmaps', '/apis', '/apis/', '/apis/apps', '/apis/apps/v1/', '/api/v1/watch/namespaces/fuzz/configmaps/x/y',
  '/api/v1/namespaces/fuzz/configmaps?%', '/openapi/v3/apis/nope/v1', '/openapi/v2?x=%', '/version/x', '/healthz/bogus', '/api/v1/namespaces/fuzz/pods/x/log', '/api/v1/namespaces/fuzz/pods/x/exec',
];
const CONTENT_TYPES = ['text/plain', 'application/xml', 'application/vnd.kubernetes.protobuf', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', ';;;', 'application/', '*/*'];

function build(seed: number, n: number, fuzzNames: Map<string, string[]>): Case[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const kind = () => pick(KINDS);
  const json = (v: unknown) => JSON.stringify(v).replace(/"RAW:([^"]*)"/g, (_m, raw: string) => raw || '1e400');

  function mutate(o: unknown, depth = 0): unknown {
    if (o === null || typeof o !== 'object') return pick([...WEIRD, 'RAW:' + pick(RAW_NUMBERS), JSON.parse(nest(200 + Math.floor(r() * 2000), '[', ']'))]);
    const copy: Obj | unknown[] = Array.isArray(o) ? [...o] : { ...(o as Obj) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || r() < 0.25) return mutate(null);
    const k = pick(keys);
    (copy as Obj)[k] = depth < 6 && r() < 0.6 ? mutate((copy as Obj)[k], depth + 1) : mutate(null);
    return copy;
  }
  const target = (): { path: string; ns: string; name: string; k: (typeof KINDS)[number] } => {
    const k = kind();
    const ns = r() < 0.25 ? 'keep' : 'fuzz';
    const names = fuzzNames.get(k.coll(ns)) ?? ['missing'];
    const name = r() < 0.85 ? pick(names) : 'missing';
    return { path: `${k.coll(ns)}/${name}`, ns, name, k };
  };
  const query = () => {
    const parts: string[] = [];
    const count = Math.floor(r() * 3);
    for (let i = 0; i < count; i++) {
      const [key, vals] = pick(QUERY);
      parts.push(`${key}=${encodeURIComponent(pick(vals))}`);
    }
    return parts.join('&');
  };
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const cat = Math.floor(r() * 9);
    if (cat === 0) {
      // garbage, truncated or hugely nested JSON/YAML bodies
      const yaml = r() < 0.4;
      const k = kind();
      const good = json(k.make(`g${i}`));
      const bodies = yaml
        ? [pick(YAML_GARBAGE), nest(5000 + Math.floor(r() * 50_000), '[', ']'), nest(3000, '{a: ', '}'), 'a: ' + nest(20_000, '- ', '', 'x').replace(/- /g, '\n- ').slice(0, 200_000), 'a: &a [' + '*a,'.repeat(50) + ']']
        : [pick(JSON_GARBAGE), good.slice(0, Math.floor(r() * good.length)), nest(5000 + Math.floor(r() * 100_000), '[', ']'), nest(20_000, '{"a":', '}'), `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n${i}"},"data":${nest(50_000, '{"a":', '}', '"x"')}}`];
      const named = r() < 0.3;
      cases.push({ method: named ? 'PUT' : 'POST', path: named ? target().path : k.coll('fuzz'), body: pick(bodies), headers: { 'content-type': yaml ? 'application/yaml' : 'application/json' } });
    } else if (cat === 1 || cat === 2) {
      // valid objects with one or more fields mutated
      const k = kind();
      let o: unknown = k.make(`m${i}`);
      const times = 1 + Math.floor(r() * 3);
      for (let j = 0; j < times; j++) o = mutate(o);
      const named = r() < 0.3;
      const t = target();
      cases.push({ method: named ? 'PUT' : 'POST', path: named ? t.path : k.coll('fuzz'), body: json(o) });
    } else if (cat === 3 || cat === 4) {
      // PATCH with random bodies under all four patch content types
      const t = target();
      const type = pick(PATCH_TYPES);
      let body: string;
      if (type === 'application/json-patch+json') {
        const ops = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
          const op: Obj = { op: pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', 7, null]), path: pick([...JSON_PATHS, 7, null]) };
          if (r() < 0.7) op.value = pick(WEIRD);
          if (r() < 0.3) op.from = pick(JSON_PATHS);
          return op;
        });
        body = json(pick([ops, ops[0], 'str', [1, 2], [[]], { op: 'add' }]));
      } else if (type === 'application/apply-patch+yaml') {
        body = pick([json(mutate(t.k.make(t.name))), pick(YAML_GARBAGE), json(pick(SMP_BODIES)), json(t.k.make(t.name)), '[]', '7']);
      } else {
        body = json(pick([pick(SMP_BODIES), pick(SMP_BODIES), mutate(t.k.make(t.name)), [1], 'str', null, 7]));
      }
      const q = query() + (type === 'application/apply-patch+yaml' && r() < 0.7 ? '&fieldManager=fuzz' : '');
      cases.push({ method: 'PATCH', path: `${t.path}?${q}`, body, headers: { 'content-type': type } });
    } else if (cat === 5) {
      // hostile query parameters on reads, watches and deletes
      const k = kind();
      const verb = pick(['list', 'get', 'watch', 'watchParam', 'delete', 'deletecollection']);
      const q = query();
      if (verb === 'list') cases.push({ method: 'GET', path: `${pick([k.coll('fuzz'), k.coll('keep'), k.coll('fuzz').replace('/namespaces/fuzz', '')])}?${q}` });
      else if (verb === 'get') cases.push({ method: 'GET', path: `${target().path}?${q}` });
      else if (verb === 'watch' || verb === 'watchParam') {
        const rv = pick(['abc', '-5', '99999999999', '1.5', '0']);
        const base = verb === 'watch' ? k.coll('fuzz').replace(/^(\/apis?\/[^/]+(?:\/v1)?)/, '$1/watch') : `${k.coll('fuzz')}?watch=${pick(['true', '1', 'maybe'])}&`;
        cases.push({ method: 'GET', path: `${base}${base.includes('?') ? '' : '?'}resourceVersion=${rv}&timeoutSeconds=1&${q}` });
      } else if (verb === 'delete') {
        const body = pick([undefined, '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Bogus"}', '{"gracePeriodSeconds":"x"}', '{"preconditions":{"uid":7}}', '{"preconditions":{"resourceVersion":"1"}}', '[', '{"dryRun":["Bogus"]}']);
        cases.push({ method: 'DELETE', path: `${target().path}?${q}`, body });
      } else cases.push({ method: 'DELETE', path: `${k.coll(r() < 0.5 ? 'keep' : 'fuzz')}?${q}` });
    } else if (cat === 6) {
      // odd URLs
      cases.push({ method: pick(['GET', 'GET', 'POST', 'DELETE']), path: pick(ODD_PATHS), body: r() < 0.3 ? '{}' : undefined });
    } else if (cat === 7) {
      // wrong methods and wrong content types
      const k = kind();
      if (r() < 0.5) {
        const m = pick(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND']);
        const p = pick([k.coll('fuzz').replace('/namespaces/fuzz', ''), `${k.coll('fuzz')}/x`, '/api', '/apis', '/version', '/healthz', '/openapi/v2', `${k.coll('fuzz')}`.replace(/^(\/apis?\/[^/]+(?:\/v1)?)/, '$1/watch')]);
        if ((m === 'POST' && p === k.coll('fuzz')) || m === 'TRACE') continue;
        cases.push({ method: m, path: p, body: m === 'OPTIONS' ? undefined : '{}', headers: { 'content-type': 'application/json' } });
      } else {
        cases.push({ method: pick(['POST', 'PUT', 'PATCH']), path: r() < 0.5 ? k.coll('fuzz') : target().path, body: json(k.make(`ct${i}`)), headers: { 'content-type': pick(CONTENT_TYPES) } });
      }
    } else {
      // bodies over 3 MiB, with and without a Content-Length that says so
      const k = kind();
      const big = json({ ...k.make(`big${i}`), data: { k: 'x'.repeat(3 * 1024 * 1024 + Math.floor(r() * 1000)) } });
      cases.push({ method: pick(['POST', 'PUT', 'PATCH']), path: k.coll('fuzz') + (r() < 0.5 ? `/big${i}` : ''), body: big, headers: { 'content-type': 'application/merge-patch+json' } });
      i += 4; // expensive: count each as five
    }
  }
  // Writes into the `keep` namespace must not land: force dryRun there.
  for (const c of cases) {
    if (c.method !== 'GET' && /\/namespaces\/keep(\/|$|\?)/.test(c.path)) c.path += (c.path.includes('?') ? '&' : '?') + 'dryRun=All';
  }
  return cases;
}

/** The response must be a success, or a 4xx (504 for a too-large resourceVersion) Status that says why. */
function problem(c: Case, res: Resp): string | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const timeoutOk = res.status === 504 && /resourceVersion=99999999999|timeout/i.test(c.path);
  if (!(res.status >= 400 && res.status < 500) && !timeoutOk) return `status ${res.status}`;
  if (c.method === 'HEAD') return undefined;
  const s = res.json;
  if (!s || s.kind !== 'Status' || s.apiVersion !== 'v1') return `not a Status: ${res.text.slice(0, 200)}`;
  if (s.code !== res.status) return `Status.code ${s.code} != HTTP ${res.status}`;
  if (typeof s.reason !== 'string' || !s.reason) return 'Status without reason';
  if (s.status !== 'Failure' || typeof s.message !== 'string' || !s.message) return 'Status without message/Failure';
  return undefined;
}

async function send(c: Case): Promise<Resp> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error('no response within 5s')), 5000);
  });
  try {
    return await Promise.race([ts.req(c.method, c.path, c.body, c.headers), hang]);
  } finally {
    clearTimeout(timer);
  }
}

async function snapshot(paths: string[]): Promise<string[]> {
  return Promise.all(paths.map(async (p) => (await ts.req('GET', p)).text));
}

// Cases the fuzz once broke, pinned so they stay fixed (method, path, body, content type).
const REGRESSIONS: Case[] = [
  // A non-GET on a /watch/ path started a watch that never answered (upstream: 405).
  { method: 'PATCH', path: '/api/v1/watch/namespaces/fuzz/services', body: '{}', headers: { 'content-type': 'application/json' } },
  { method: 'DELETE', path: '/api/v1/watch/namespaces/fuzz/pods' },
  { method: 'POST', path: '/apis/apps/v1/watch/namespaces/fuzz/deployments', body: '{}' },
  // `new URL(path, base)` resolved `..` and read `//api` as a host: this emptied namespace `keep`.
  { method: 'DELETE', path: '/api/v1/namespaces/fuzz/../keep/configmaps' },
  { method: 'DELETE', path: '/api/v1/namespaces/fuzz/%2e%2e/keep/secrets/obj0' },
  { method: 'DELETE', path: '//api/api/v1/namespaces/keep/pods/obj0' },
  { method: 'DELETE', path: '/api/v1/namespaces//services/obj0' },
  // DELETE on the all-namespaces path was a deletecollection over every namespace (upstream: 405).
  { method: 'DELETE', path: '/api/v1/pods' },
  { method: 'DELETE', path: '/apis/apps/v1/deployments?dryRun=Bogus' },
  { method: 'POST', path: '/api/v1/configmaps', body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"keep"}}' },
  // YAML tags decoded to non-JSON values (Uint8Array, Set, Map, Date, Infinity) that crashed handlers.
  { method: 'POST', path: '/api/v1/namespaces/fuzz/secrets', body: '!!binary zz', headers: { 'content-type': 'application/yaml' } },
  { method: 'POST', path: '/api/v1/namespaces/fuzz/configmaps', body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tags}\ndata: !!set {a}', headers: { 'content-type': 'application/yaml' } },
  { method: 'POST', path: '/apis/apps/v1/namespaces/fuzz/deployments', body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: inf}\nspec: {replicas: .inf}', headers: { 'content-type': 'application/yaml' } },
  { method: 'PATCH', path: '/api/v1/namespaces/fuzz/configmaps/obj0?fieldManager=f', body: 'metadata: {annotations: {a: !!timestamp 2001-12-14}}', headers: { 'content-type': 'application/apply-patch+yaml' } },
  { method: 'POST', path: '/api/v1/namespaces/fuzz/configmaps', body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cyc}\ndata: &a {x: *a}', headers: { 'content-type': 'application/yaml' } },
  // A strategic merge failure caused by the patch (`$patch: merge` in a map) answered 500.
  { method: 'PATCH', path: '/api/v1/namespaces/fuzz/pods/obj2', body: '{"data":{"$patch":"merge","k":null}}', headers: { 'content-type': 'application/strategic-merge-patch+json' } },
  { method: 'PATCH', path: '/api/v1/namespaces/fuzz/pods/obj2', body: '{"spec":{"containers":[{"image":"x"}]}}', headers: { 'content-type': 'application/strategic-merge-patch+json' } },
];

test('bad input gets a 4xx Status, never a crash, and loses nothing', async (t) => {
  for (const ns of ['keep', 'fuzz']) assert.equal((await ts.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
  const names = new Map<string, string[]>();
  const kept: string[] = [];
  for (const k of KINDS) {
    for (const ns of ['keep', 'fuzz']) {
      const list: string[] = [];
      for (let j = 0; j < 3; j++) {
        const o = k.make(`obj${j}`);
        const created = await ts.req('POST', k.coll(ns), o);
        assert.equal(created.status, 201, created.text);
        // An update with known values, so the kept state is not just the create.
        const upd = { ...created.json, metadata: { ...created.json.metadata, labels: { known: `v${j}` }, annotations: { note: `updated-${j}` } } };
        const put = await ts.req('PUT', `${k.coll(ns)}/obj${j}`, upd);
        assert.equal(put.status, 200, put.text);
        list.push(`obj${j}`);
        if (ns === 'keep') kept.push(`${k.coll(ns)}/obj${j}`);
      }
      names.set(k.coll(ns), list);
    }
  }
  const before = await snapshot(kept);
  const listsBefore = await snapshot(KINDS.map((k) => k.coll('keep')));

  const cases = [...REGRESSIONS, ...build(Number(process.env.SKIFF_FUZZ_SEED ?? 20261122), 600, names)];
  const failures: string[] = [];
  const byStatus = new Map<number, number>();
  const t0 = Date.now();
  for (const c of cases) {
    let res: Resp;
    try {
      res = await send(c);
    } catch (e) {
      failures.push(`${c.method} ${c.path.slice(0, 120)} [${c.headers?.['content-type'] ?? ''}] ${String(c.body ?? '').slice(0, 120)} → ${(e as Error).message}`);
      continue;
    }
    byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
    if (process.env.SKIFF_FUZZ_DEBUG && c.method !== "GET" && res.status < 300) console.log("OK", res.status, c.method, c.path.slice(0, 200));
    const p = problem(c, res);
    if (p) failures.push(`${c.method} ${c.path.slice(0, 120)} [${c.headers?.['content-type'] ?? ''}] ${String(c.body ?? '').slice(0, 160)} → ${p}: ${res.text.slice(0, 200)}`);
  }
  const elapsed = Date.now() - t0;
  assert.deepEqual(failures, [], `${failures.length} bad responses:\n${failures.join('\n')}`);

  // Still serving, and nothing kept changed by a byte.
  assert.equal((await ts.req('GET', '/healthz')).status, 200);
  assert.deepEqual(await snapshot(kept), before);
  const listsAfter = await snapshot(KINDS.map((k) => k.coll('keep')));
  for (let i = 0; i < KINDS.length; i++) {
    const a = JSON.parse(listsBefore[i]!).items;
    const b = JSON.parse(listsAfter[i]!).items;
    assert.deepEqual(b, a, `list ${KINDS[i]!.coll('keep')} changed`);
  }
  t.diagnostic(`${cases.length} requests in ${elapsed} ms; by status: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}×${v}`).join(' ')}`);
  // The storm must mostly be refused, with a spread of reasons (not, say, 404 for everything).
  const refused = [...byStatus].filter(([k]) => k >= 400).reduce((n, [, v]) => n + v, 0);
  assert.ok(refused > cases.length / 2, `only ${refused} refusals`);
  for (const code of [400, 404, 405, 413, 415, 422]) assert.ok(byStatus.has(code), `no ${code} in the storm`);
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  assert.ok(elapsed < 20_000, `fuzz took ${elapsed} ms`);
});
