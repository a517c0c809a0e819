import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';

const obj = (o: object) => o as KubeObject;
const backend = { service: { name: 'web', port: { number: 80 } } };

test('Ingress', () => {
  const v = getValidator('networking.k8s.io', 'Ingress');
  const ing = (spec: object) => obj({ metadata: { name: 'i' }, spec });
  const good = { ingressClassName: 'nginx', rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }], tls: [{ hosts: ['*.example.com'], secretName: 'tls' }] };
  assert.deepEqual(v.validate(ing(good)), []);
  assert.deepEqual(lines(v.validate(ing({}))), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
  assert.deepEqual(lines(v.validate(ing({ rules: [{ host: '10.0.0.1', http: { paths: [{ path: 'x', backend }] } }] }))), [
    'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
  ]);
  assert.deepEqual(lines(v.validate(ing({ rules: [{ http: { paths: [{ path: 'x', pathType: 'Prefix', backend: { service: { name: 'web', port: {} } } }] } }] }))), [
    'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path',
    'spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
  ]);
  assert.deepEqual(lines(v.validate(ing({ rules: [{ http: { paths: [{ path: '/', pathType: 'Regex', backend }] } }] }))), [
    'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  ]);
  assert.deepEqual(lines(v.validate(ing({ rules: [{ http: { paths: [] } }] }))), ['spec.rules[0].http.paths: Required value']);
});

test('IngressClass', () => {
  const v = getValidator('networking.k8s.io', 'IngressClass');
  const ic = (controller: string) => obj({ metadata: { name: 'nginx' }, spec: { controller } });
  assert.deepEqual(v.validate(ic('k8s.io/ingress-nginx')), []);
  assert.deepEqual(lines(v.validate(ic('nginx'))), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  assert.deepEqual(lines(v.validateUpdate(ic('example.com/b'), ic('example.com/a'))), ['spec.controller: Invalid value: "example.com/b": field is immutable']);
});

test('NetworkPolicy', () => {
  const v = getValidator('networking.k8s.io', 'NetworkPolicy');
  const np = (spec: object) => obj({ metadata: { name: 'np' }, spec });
  assert.deepEqual(v.validate(np({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { podSelector: { matchLabels: { a: 'b' } } }], ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] })), []);
  assert.deepEqual(lines(v.validate(np({ podSelector: {}, ingress: [{ from: [{}], ports: [{ port: 'http', endPort: 90 }] }], egress: [{ to: [{ ipBlock: { cidr: 'x' }, podSelector: {} }] }], policyTypes: ['Sideways'] }))), [
    'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    'spec.ingress[0].from[0]: Required value: must specify a peer',
    'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer',
    'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]);
});
