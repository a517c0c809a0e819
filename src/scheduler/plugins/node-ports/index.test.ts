import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerPort } from 'kubernetes-types/core/v1.js';
import { plugin, ERR_REASON } from './index.js';
import { CycleState } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { container, makeNode, makePod } from '../../framework/testing.js';

const withPorts = (name: string, ports: ContainerPort[]) => makePod(name, { containers: [container(undefined, { ports })] });

test('NodePorts filter', () => {
  const rows: { name: string; used: ContainerPort[]; want: ContainerPort[]; ok: boolean }[] = [
    { name: 'no host ports', used: [{ containerPort: 80, hostPort: 80 }], want: [{ containerPort: 80 }], ok: true },
    { name: 'same port', used: [{ containerPort: 80, hostPort: 8080 }], want: [{ containerPort: 81, hostPort: 8080 }], ok: false },
    { name: 'different protocol', used: [{ containerPort: 53, hostPort: 53 }], want: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }], ok: true },
    { name: 'different specific IPs', used: [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.1' }], want: [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.2' }], ok: true },
    { name: 'bind-all vs specific IP', used: [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.1' }], want: [{ containerPort: 80, hostPort: 80 }], ok: false },
    { name: 'other port', used: [{ containerPort: 80, hostPort: 80 }], want: [{ containerPort: 80, hostPort: 81 }], ok: true },
  ];
  for (const r of rows) {
    const ni = newNodeInfo(makeNode('n'), [withPorts('old', r.used)]);
    const s = plugin.filter(new CycleState(), withPorts('new', r.want), ni);
    assert.equal(s.code, r.ok ? 'Success' : 'Unschedulable', r.name);
    assert.deepEqual(s.reasons, r.ok ? [] : [ERR_REASON], r.name);
  }
});
