// Table tests of reference parsing against distribution/reference's normalization rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference, formatReference, normalizeReference } from './reference.js';
import { isImageError } from './errors.js';

const HEX = 'a'.repeat(64);

test('normalizes valid references', () => {
  const cases: Array<[string, string, Partial<ReturnType<typeof parseReference>>]> = [
    ['busybox', 'docker.io/library/busybox:latest', { domain: 'docker.io', path: 'library/busybox', tag: 'latest' }],
    ['nginx:alpine', 'docker.io/library/nginx:alpine', { tag: 'alpine' }],
    ['library/nginx', 'docker.io/library/nginx:latest', {}],
    ['user/app:v1.2', 'docker.io/user/app:v1.2', { path: 'user/app' }],
    ['index.docker.io/busybox', 'docker.io/library/busybox:latest', {}],
    ['docker.io/busybox:1', 'docker.io/library/busybox:1', {}],
    ['localhost/app', 'localhost/app:latest', { domain: 'localhost', path: 'app' }],
    ['localhost:5000/a/b:t', 'localhost:5000/a/b:t', { domain: 'localhost:5000', path: 'a/b', tag: 't' }],
    ['127.0.0.1:5000/x', '127.0.0.1:5000/x:latest', { domain: '127.0.0.1:5000' }],
    [`host.example/x@sha256:${HEX}`, `host.example/x@sha256:${HEX}`, { domain: 'host.example', tag: undefined, digest: `sha256:${HEX}` }],
    [`repo:tag@sha256:${HEX}`, `docker.io/library/repo:tag@sha256:${HEX}`, { tag: 'tag', digest: `sha256:${HEX}` }],
    ['my-reg.io:443/team/sub/app:1.0', 'my-reg.io:443/team/sub/app:1.0', { path: 'team/sub/app' }],
    ['Registry.Example.com/app', 'Registry.Example.com/app:latest', { domain: 'Registry.Example.com' }],
    ['foo_bar/a--b', 'docker.io/foo_bar/a--b:latest', {}],
  ];
  for (const [input, normalized, fields] of cases) {
    const r = parseReference(input);
    assert.equal(formatReference(r), normalized, input);
    for (const [k, v] of Object.entries(fields)) assert.equal((r as unknown as Record<string, unknown>)[k], v, `${input}.${k}`);
  }
});

test('rejects invalid references with ERR_INVALID_REFERENCE', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /at least one component/],
    ['Busybox', /must be lowercase/],
    ['docker.io/Library/busybox', /must be lowercase/],
    ['busybox@sha256:abc', /invalid reference format/],
    [`busybox@sha256:${'A'.repeat(64)}`, /invalid checksum digest format/],
    [`busybox@sha512:${HEX}`, /unsupported digest algorithm/],
    [HEX, /64-byte hexadecimal/],
    ['busybox:', /invalid reference format/],
    ['-busybox', /invalid reference format/],
    ['a//b', /invalid reference format/],
    ['busybox:tag with space', /invalid reference format/],
    [`x/${'a'.repeat(260)}`, /more than 255/],
  ];
  for (const [input, re] of cases) {
    assert.throws(() => parseReference(input), (e: unknown) => isImageError(e, 'ERR_INVALID_REFERENCE') && re.test((e as Error).message), input);
  }
});

test('normalizeReference is idempotent', () => {
  for (const s of ['busybox', 'nginx:alpine', `q.io/a@sha256:${HEX}`]) {
    const once = normalizeReference(s);
    assert.equal(normalizeReference(once), once);
  }
});
