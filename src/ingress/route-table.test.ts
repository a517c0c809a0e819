// Table tests for route matching: every path type against upstream's "Examples" table, wildcard
// hosts, host-group precedence, longest-match and Exact-over-Prefix, conflicts between Ingresses,
// and default backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HTTPIngressPath, Ingress, IngressRule } from 'kubernetes-types/networking/v1.js';
import { buildRouteTable, normalizeHost, route, type Backend } from './route-table.js';

const svcPath = (path: string, pathType: string, service: string): HTTPIngressPath => ({ path, pathType, backend: { service: { name: service, port: { number: 80 } } } });
const rule = (host: string | undefined, ...paths: HTTPIngressPath[]): IngressRule => ({ ...(host ? { host } : {}), http: { paths } });
const ing = (name: string, rules: IngressRule[], extra: Partial<Ingress['spec']> = {}, created = '2024-01-01T00:00:00Z'): Ingress => ({
  metadata: { name, namespace: 'ns', creationTimestamp: created },
  spec: { rules, ...extra },
});
const svcOf = (b: Backend | undefined) => (b?.kind === 'service' ? b.service : b ? `resource:${b.resource.name}` : undefined);

test('path types against upstream examples table', () => {
  // [rule type, rule path, request path, matches]
  const cases: Array<[string, string, string, boolean]> = [
    ['Prefix', '/', '/', true],
    ['Prefix', '/', '/anything/at/all', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
    ['Prefix', '/foo', '/foobar', false],
    ['ImplementationSpecific', '/foo', '/foo/bar', true],
    ['ImplementationSpecific', '/foo', '/foobar', false],
    ['Prefix', '/foo', '/foo?x=1', true],
    ['Exact', '/foo', '/foo?x=/bar', true],
  ];
  for (const [type, path, req, want] of cases) {
    const t = buildRouteTable([ing('a', [rule('h.com', svcPath(path, type, 'svc'))])]);
    assert.equal(svcOf(route(t, 'h.com', req)), want ? 'svc' : undefined, `${type} ${path} vs ${req}`);
  }
});

test('longest match wins; Exact beats Prefix on equal length; order of rules does not matter', () => {
  const t = buildRouteTable([
    ing('a', [
      rule('h.com', svcPath('/', 'Prefix', 'root'), svcPath('/aaa', 'Prefix', 'aaa-prefix'), svcPath('/aaa', 'Exact', 'aaa-exact'), svcPath('/aaa/bbb', 'Prefix', 'bbb')),
    ]),
  ]);
  assert.equal(svcOf(route(t, 'h.com', '/aaa')), 'aaa-exact');
  assert.equal(svcOf(route(t, 'h.com', '/aaa/')), 'aaa-prefix');
  assert.equal(svcOf(route(t, 'h.com', '/aaa/ccc')), 'aaa-prefix');
  assert.equal(svcOf(route(t, 'h.com', '/aaa/bbb/x')), 'bbb');
  assert.equal(svcOf(route(t, 'h.com', '/zzz')), 'root');
  // Trailing slash on a Prefix rule does not make it "longer".
  const t2 = buildRouteTable([ing('a', [rule('h.com', svcPath('/foo/', 'Prefix', 'prefix'), svcPath('/foo', 'Exact', 'exact'))])]);
  assert.equal(svcOf(route(t2, 'h.com', '/foo')), 'exact');
  assert.equal(svcOf(route(t2, 'h.com', '/foo/x')), 'prefix');
});

test('hosts: exact, wildcard (one label), port stripped, case-insensitive, host-less rules', () => {
  const t = buildRouteTable([
    ing('a', [rule('foo.com', svcPath('/', 'Prefix', 'exact')), rule('*.foo.com', svcPath('/', 'Prefix', 'wild')), rule(undefined, svcPath('/', 'Prefix', 'any'))]),
  ]);
  assert.equal(svcOf(route(t, 'foo.com', '/')), 'exact');
  assert.equal(svcOf(route(t, 'FOO.com:8080', '/')), 'exact');
  assert.equal(svcOf(route(t, 'foo.com.', '/')), 'exact');
  assert.equal(svcOf(route(t, 'bar.foo.com', '/')), 'wild');
  assert.equal(svcOf(route(t, 'bar.foo.com:443', '/x')), 'wild');
  assert.equal(svcOf(route(t, 'a.bar.foo.com', '/')), 'any', 'a wildcard covers exactly one label');
  assert.equal(svcOf(route(t, 'other.org', '/')), 'any');
  assert.equal(svcOf(route(t, '127.0.0.1:80', '/')), 'any');
  assert.equal(svcOf(route(t, '', '/')), 'any');
  assert.equal(normalizeHost('[::1]:8080'), '[::1]');
});

test('an exact host without a matching path does not fall through to wildcard or host-less rules', () => {
  const t = buildRouteTable([
    ing('a', [rule('foo.com', svcPath('/api', 'Prefix', 'api')), rule('*.foo.com', svcPath('/', 'Prefix', 'wild')), rule(undefined, svcPath('/', 'Prefix', 'any'))]),
  ]);
  assert.equal(svcOf(route(t, 'foo.com', '/api/v1')), 'api');
  assert.equal(svcOf(route(t, 'foo.com', '/web')), undefined);
  // No exact rule for www.foo.com: the wildcard serves it.
  assert.equal(svcOf(route(t, 'www.foo.com', '/web')), 'wild');
});

test('conflicts between Ingresses: the older one wins the same host and path', () => {
  const older = ing('z-old', [rule('h.com', svcPath('/', 'Prefix', 'old'))], {}, '2024-01-01T00:00:00Z');
  const newer = ing('a-new', [rule('h.com', svcPath('/', 'Prefix', 'new'), svcPath('/only-new', 'Prefix', 'new2'))], {}, '2024-02-01T00:00:00Z');
  for (const order of [[older, newer], [newer, older]]) {
    const t = buildRouteTable(order);
    assert.equal(svcOf(route(t, 'h.com', '/')), 'old');
    assert.equal(svcOf(route(t, 'h.com', '/only-new/x')), 'new2', 'paths of both Ingresses are merged');
  }
});

test('default backends: per-host from its Ingress, then the oldest spec.defaultBackend, then none', () => {
  const def = (name: string) => ({ defaultBackend: { service: { name, port: { name: 'http' } } } });
  const a = ing('a', [rule('a.com', svcPath('/app', 'Prefix', 'app'))], def('a-default'), '2024-02-01T00:00:00Z');
  const b = ing('b', [], def('global-default'), '2024-01-01T00:00:00Z');
  const c = ing('c', [rule('c.com', svcPath('/app', 'Prefix', 'c-app'))], {}, '2024-03-01T00:00:00Z');
  const t = buildRouteTable([a, b, c]);
  assert.equal(svcOf(route(t, 'a.com', '/app')), 'app');
  assert.equal(svcOf(route(t, 'a.com', '/other')), 'a-default');
  assert.equal(svcOf(route(t, 'c.com', '/other')), 'global-default');
  assert.equal(svcOf(route(t, 'unknown.com', '/')), 'global-default');
  const port = route(t, 'a.com', '/other');
  assert.deepEqual(port?.kind === 'service' && port.port, { name: 'http' });
  assert.equal(route(t, 'a.com', '/other')?.namespace, 'ns');
  // Without any defaultBackend nothing matches (the proxy answers 404).
  assert.equal(route(buildRouteTable([c]), 'c.com', '/other'), undefined);
  assert.equal(route(buildRouteTable([]), 'x', '/'), undefined);
});

test('resource backends are returned as such (the proxy answers 404 for them)', () => {
  const t = buildRouteTable([
    ing('a', [rule('h.com', { path: '/static', pathType: 'Prefix', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' } } })]),
  ]);
  const b = route(t, 'h.com', '/static/x.png');
  assert.equal(b?.kind, 'resource');
  assert.equal(svcOf(b), 'resource:assets');
});
