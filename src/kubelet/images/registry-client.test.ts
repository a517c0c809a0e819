// The registry client's auth and download paths against a small fake registry on loopback
// (docker-registry cannot do token auth without an external token service): Bearer challenges
// with a token realm, Basic challenges, token caching, resumed downloads with Range, and one
// shared download for concurrent pulls of the same blob.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChallenge } from './auth.js';
import { ImageStore } from './store.js';
import { parseRegistriesConfig } from './registries-config.js';
import { isImageError } from './errors.js';
import { buildHttpdImage, type BuiltImage } from '../../../test/support/images.js';

test('parseChallenge', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
  });
  assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  assert.deepEqual(parseChallenge('bearer realm=http://x/t, service=svc'), { scheme: 'bearer', params: { realm: 'http://x/t', service: 'svc' } });
  assert.equal(parseChallenge('Negotiate abc'), undefined);
  assert.equal(parseChallenge(undefined), undefined);
});

interface FakeState {
  mode: 'bearer' | 'basic';
  tokenRequests: URLSearchParams[];
  blobGets: Map<string, number>;
  ranges: string[];
  blobDelayMs: number;
}

function fakeRegistry(images: Record<string, BuiltImage>, state: FakeState): http.Server {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { type: string; bytes: Buffer }>();
  for (const [ref, img] of Object.entries(images)) {
    for (const b of [img.config, ...img.layers]) blobs.set(b.digest, b.bytes);
    manifests.set(ref, { type: img.manifest.mediaType, bytes: img.manifest.bytes });
    manifests.set(img.manifest.digest, { type: img.manifest.mediaType, bytes: img.manifest.bytes });
  }
  const basic = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
  return http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const port = (req.socket.localPort ?? 0).toString();
    if (u.pathname === '/token') {
      state.tokenRequests.push(u.searchParams);
      if (req.headers.authorization !== basic) return void res.writeHead(401).end('{"details":"bad credentials"}');
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `tok-${state.tokenRequests.length}`, expires_in: 300 }));
    }
    const authOk = state.mode === 'bearer' ? /^Bearer tok-\d+$/.test(req.headers.authorization ?? '') : req.headers.authorization === basic;
    if (!authOk) {
      const m = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(u.pathname);
      const challenge =
        state.mode === 'bearer'
          ? `Bearer realm="http://127.0.0.1:${port}/token",service="fake-registry",scope="repository:${m?.[1] ?? ''}:pull"`
          : 'Basic realm="fake"';
      return void res.writeHead(401, { 'WWW-Authenticate': challenge, 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    let m = /^\/v2\/library\/app\/manifests\/(.+)$/.exec(u.pathname);
    if (m) {
      const man = manifests.get(m[1]);
      if (!man) return void res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return void res.writeHead(200, { 'Content-Type': man.type }).end(man.bytes);
    }
    m = /^\/v2\/library\/app\/blobs\/(sha256:[a-f0-9]{64})$/.exec(u.pathname);
    const body = m && blobs.get(m[1]);
    if (!m || !body) return void res.writeHead(404).end();
    state.blobGets.set(m[1], (state.blobGets.get(m[1]) ?? 0) + 1);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    setTimeout(() => {
      if (range) {
        state.ranges.push(req.headers.range!);
        const start = Number(range[1]);
        res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Length': body.length - start }).end(body.subarray(start));
      } else {
        res.writeHead(200, { 'Content-Length': body.length }).end(body);
      }
    }, state.blobDelayMs);
  });
}

describe('registry client against a fake registry', () => {
  const image = buildHttpdImage();
  const state: FakeState = { mode: 'bearer', tokenRequests: [], blobGets: new Map(), ranges: [], blobDelayMs: 0 };
  const server = fakeRegistry({ '1': image, '2': image }, state);
  let dir: string;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-regclient-'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const storeAt = (name: string, extraYaml = '') =>
    new ImageStore({ root: join(dir, name), registries: { ...parseRegistriesConfig(`mirrors:\n  docker.io:\n    endpoint: ["${url}"]\n${extraYaml}`), disableDefaultEndpoint: true } });

  test('Bearer challenge: token fetched with Basic credentials, cached across pulls', async () => {
    const store = storeAt('bearer');
    const img = await store.pull('app:1', { auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('alice:s3cret').toString('base64') } } });
    assert.equal(img.id, image.config.digest);
    assert.equal(state.tokenRequests.length, 1);
    assert.equal(state.tokenRequests[0].get('service'), 'fake-registry');
    assert.equal(state.tokenRequests[0].get('scope'), 'repository:library/app:pull');
    await store.pull('app:2', { auths: { 'docker.io': { username: 'alice', password: 's3cret' } } });
    assert.equal(store.client.tokens.fetches, 1, 'second pull reuses the cached token');
  });

  test('wrong or missing credentials are ERR_UNAUTHORIZED', async () => {
    const store = storeAt('denied');
    await assert.rejects(store.pull('app:1', { auths: { 'docker.io': { username: 'alice', password: 'wrong' } } }), (e: unknown) => isImageError(e, 'ERR_UNAUTHORIZED'));
    await assert.rejects(store.pull('app:1'), (e: unknown) => isImageError(e, 'ERR_UNAUTHORIZED'));
  });

  test('Basic challenge answered with registries.yaml credentials; 404 is ERR_IMAGE_NOT_FOUND', async () => {
    state.mode = 'basic';
    try {
      const host = new URL(url).host;
      const store = storeAt('basic', `configs:\n  "${host}":\n    auth:\n      username: alice\n      password: s3cret\n`);
      const img = await store.pull('app:1');
      assert.equal(img.id, image.config.digest);
      await assert.rejects(store.pull('app:404'), (e: unknown) => isImageError(e, 'ERR_IMAGE_NOT_FOUND'));
    } finally {
      state.mode = 'bearer';
    }
  });

  test('a partial download resumes with Range', async () => {
    const store = storeAt('resume');
    const layer = image.layers[0];
    const half = Math.floor(layer.size / 2);
    writeFileSync(join(store.blobs.tmpDir, `${layer.digest.slice(7)}.partial`), layer.bytes.subarray(0, half));
    state.ranges.length = 0;
    await store.pull('app:1', { auths: { 'docker.io': { username: 'alice', password: 's3cret' } } });
    assert.deepEqual(state.ranges, [`bytes=${half}-`]);
    assert.ok(readFileSync(store.blobs.path(layer.digest)).equals(layer.bytes));
  });

  test('concurrent pulls of the same image share one download per blob', async () => {
    const store = storeAt('dedup');
    state.blobGets.clear();
    state.blobDelayMs = 100;
    try {
      const auths = { 'docker.io': { username: 'alice', password: 's3cret' } };
      const [a, b] = await Promise.all([store.pull('app:1', { auths }), store.pull('app:2', { auths })]);
      assert.equal(a.id, b.id);
      for (const l of image.layers) assert.equal(state.blobGets.get(l.digest), 1, `layer ${l.digest} fetched once`);
      assert.deepEqual(store.get('app:2')?.repoTags.sort(), ['docker.io/library/app:1', 'docker.io/library/app:2']);
    } finally {
      state.blobDelayMs = 0;
    }
  });
});
