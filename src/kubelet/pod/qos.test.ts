// Table tests for the QoS class, cases after upstream qos_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { computePodQOS, getPodQOSClass } from './qos.js';

type R = Record<string, string>;
const c = (name: string, requests?: R, limits?: R): Container => ({ name, resources: { requests, limits } });
const pod = (containers: Container[], initContainers?: Container[]): Pod => ({ spec: { containers, initContainers } });

test('computePodQOS', () => {
  const cases: Array<[string, Pod, string]> = [
    ['no resources', pod([c('a'), c('b')]), 'BestEffort'],
    ['zero requests count as none', pod([c('a', { cpu: '0', memory: '0' })]), 'BestEffort'],
    ['other resources ignored', pod([c('a', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/gpu': '1' })]), 'BestEffort'],
    ['limits == requests', pod([c('a', { cpu: '100m', memory: '100Mi' }, { cpu: '100m', memory: '100Mi' })]), 'Guaranteed'],
    ['limits only (requests default)', pod([c('a', undefined, { cpu: '1', memory: '1Gi' })]), 'Guaranteed'],
    ['equal in another unit', pod([c('a', { cpu: '1', memory: '1Gi' }, { cpu: '1000m', memory: '1024Mi' })]), 'Guaranteed'],
    ['two guaranteed', pod([c('a', undefined, { cpu: '1', memory: '1Gi' }), c('b', undefined, { cpu: '2', memory: '1Gi' })]), 'Guaranteed'],
    ['one best-effort container', pod([c('a', undefined, { cpu: '1', memory: '1Gi' }), c('b')]), 'Burstable'],
    ['request below limit', pod([c('a', { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]), 'Burstable'],
    ['cpu limit only', pod([c('a', undefined, { cpu: '1' })]), 'Burstable'],
    ['requests only', pod([c('a', { memory: '10Mi' })]), 'Burstable'],
    ['init container without limits', pod([c('a', undefined, { cpu: '1', memory: '1Gi' })], [c('i')]), 'Burstable'],
    ['init container guaranteed', pod([c('a', undefined, { cpu: '1', memory: '1Gi' })], [c('i', undefined, { cpu: '1', memory: '1Gi' })]), 'Guaranteed'],
    ['init container requests only', pod([c('a')], [c('i', { cpu: '1' })]), 'Burstable'],
  ];
  for (const [name, p, want] of cases) assert.equal(computePodQOS(p), want, name);
});

test('getPodQOSClass prefers status.qosClass', () => {
  assert.equal(getPodQOSClass({ spec: { containers: [c('a')] }, status: { qosClass: 'Burstable' } }), 'Burstable');
  assert.equal(getPodQOSClass({ spec: { containers: [c('a')] } }), 'BestEffort');
});
