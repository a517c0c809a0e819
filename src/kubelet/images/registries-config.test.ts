// Unit tests of registries.yaml parsing and of the endpoint order a pull tries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointsFor, loadRegistriesConfig, parseRegistriesConfig, rewriteRepository } from './registries-config.js';
import { isImageError } from './errors.js';

const YAML = `
mirrors:
  docker.io:
    endpoint:
      - "http://127.0.0.1:5000"
      - "https://mirror.example.com/prefix"
  quay.io:
    endpoint: ["mirror.example.com:8443"]
    rewrite:
      "^coreos/(.*)": "mirror/coreos/$1"
  "*":
    endpoint: ["http://catch-all.local"]
configs:
  "mirror.example.com":
    auth: { username: u, password: p }
    tls: { ca_file: /etc/ca.pem, insecure_skip_verify: true }
  "registry.internal":
    auth: { identitytoken: tok }
`;

test('mirrors first in order, then the default endpoint', () => {
  const c = parseRegistriesConfig(YAML);
  const eps = endpointsFor(c, 'docker.io');
  assert.deepEqual(eps.map((e) => e.base), ['http://127.0.0.1:5000/v2', 'https://mirror.example.com/prefix/v2', 'https://registry-1.docker.io/v2']);
  assert.deepEqual(eps.map((e) => e.isDefault), [false, false, true]);
  assert.equal(eps[1].auth?.username, 'u');
  assert.equal(eps[1].tls?.insecure_skip_verify, true);
  assert.equal(eps[0].auth, undefined);
});

test('scheme-less endpoints are https; rewrites apply to mirror endpoints only', () => {
  const c = parseRegistriesConfig(YAML);
  const eps = endpointsFor(c, 'quay.io');
  assert.deepEqual(eps.map((e) => e.base), ['https://mirror.example.com:8443/v2', 'https://quay.io/v2']);
  assert.equal(rewriteRepository(eps[0], 'coreos/etcd'), 'mirror/coreos/etcd');
  assert.equal(rewriteRepository(eps[0], 'other/x'), 'other/x');
  assert.equal(rewriteRepository(eps[1], 'coreos/etcd'), 'coreos/etcd');
});

test('"*" mirrors registries without their own entry; configs by registry host apply to the default endpoint', () => {
  const c = parseRegistriesConfig(YAML);
  const eps = endpointsFor(c, 'registry.internal');
  assert.deepEqual(eps.map((e) => e.base), ['http://catch-all.local/v2', 'https://registry.internal/v2']);
  assert.equal(eps[1].auth?.identitytoken, 'tok');
});

test('disableDefaultEndpoint drops the default after mirrors; loopback registries default to http', () => {
  const c = { ...parseRegistriesConfig(YAML), disableDefaultEndpoint: true };
  assert.deepEqual(endpointsFor(c, 'docker.io').map((e) => e.base), ['http://127.0.0.1:5000/v2', 'https://mirror.example.com/prefix/v2']);
  const none = parseRegistriesConfig('');
  assert.deepEqual(endpointsFor(none, 'localhost:5000').map((e) => e.base), ['http://localhost:5000/v2']);
  assert.deepEqual(endpointsFor(none, 'docker.io').map((e) => e.base), ['https://registry-1.docker.io/v2']);
});

test('missing file means no mirrors; invalid content is ERR_BAD_CONFIG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-regcfg-'));
  try {
    assert.deepEqual(loadRegistriesConfig(join(dir, 'nope.yaml')), { mirrors: {}, configs: {} });
    const f = join(dir, 'r.yaml');
    for (const text of ['mirrors: [1]', 'mirrors: {docker.io: {endpoint: "x"}}', 'mirrors: {a: {endpoint: ["ftp://x"]}}', 'configs: {a: {tls: {insecure_skip_verify: "yes"}}}', 'mirrors: {a: {rewrite: {"(": "x"}}}', ': : :']) {
      writeFileSync(f, text);
      assert.throws(() => loadRegistriesConfig(f), (e: unknown) => isImageError(e, 'ERR_BAD_CONFIG'), text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
