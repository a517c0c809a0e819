// Server-side table rows as upstream's printers render them (pods in their many states,
// deployments, services, nodes, events, jobs, HPAs, endpoints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { builtinRegistry } from '../builtin.js';
import { defaultTable } from './columns.js';

const reg = builtinRegistry();
const NOW = new Date('2026-11-22T12:00:00Z');
const CREATED = '2026-11-22T11:55:00Z'; // 5m before NOW

function row(group: string, version: string, plural: string, obj: KubeObject): unknown[] {
  const rt = reg.get(group, version, plural)!;
  return (rt.table ?? defaultTable).row(obj, NOW);
}
function columns(group: string, version: string, plural: string): string[] {
  return reg.get(group, version, plural)!.table!.columns.map((c) => (c.priority ? `(${c.name})` : c.name));
}
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: CREATED, ...extra });

test('pod columns', () => {
  assert.deepEqual(columns('', 'v1', 'pods'), ['Name', 'Ready', 'Status', 'Restarts', 'Age', '(IP)', '(Node)', '(Nominated Node)', '(Readiness Gates)']);
  assert.equal(reg.get('', 'v1', 'pods')!.table!.columns[0].format, 'name');
});

test('pod rows by state', () => {
  const spec = { containers: [{ name: 'c', image: 'nginx' }] };
  const cases: [string, KubeObject, unknown[]][] = [
    ['pending, unscheduled', { metadata: meta('p'), spec, status: { phase: 'Pending' } }, ['p', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']],
    [
      'running and ready',
      {
        metadata: meta('p'), spec: { ...spec, nodeName: 'n1' },
        status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
      },
      ['p', '1/1', 'Running', '0', '5m', '10.0.0.5', 'n1', '<none>', '<none>'],
    ],
    [
      'crash loop with restarts',
      {
        metadata: meta('p'), spec,
        status: {
          phase: 'Running',
          containerStatuses: [{
            name: 'c', ready: false, restartCount: 2,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-22T11:58:00Z' } },
          }],
        },
      },
      ['p', '0/1', 'CrashLoopBackOff', '2 (2m ago)', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'image pull waiting',
      { metadata: meta('p'), spec, status: { phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } },
      ['p', '0/1', 'ContainerCreating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'completed',
      { metadata: meta('p'), spec, status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } },
      ['p', '0/1', 'Completed', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'terminated without reason',
      { metadata: meta('p'), spec, status: { phase: 'Failed', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } }] } },
      ['p', '0/1', 'ExitCode:137', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'terminating',
      { metadata: meta('p', { deletionTimestamp: '2026-11-22T11:59:00Z' }), spec, status: { phase: 'Running' } },
      ['p', '0/1', 'Terminating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container running',
      {
        metadata: meta('p'), spec: { ...spec, initContainers: [{ name: 'i', image: 'busybox' }] },
        status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, state: { running: {} } }] },
      },
      ['p', '0/1', 'Init:0/1', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container error',
      {
        metadata: meta('p'), spec: { ...spec, initContainers: [{ name: 'i', image: 'busybox' }] },
        status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
      },
      ['p', '0/1', 'Init:CrashLoopBackOff', '3', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'readiness gates and nominated node',
      {
        metadata: meta('p'), spec: { ...spec, readinessGates: [{ conditionType: 'x' }, { conditionType: 'y' }] },
        status: { phase: 'Pending', nominatedNodeName: 'n2', conditions: [{ type: 'x', status: 'True' }] },
      },
      ['p', '0/1', 'Pending', '0', '5m', '<none>', '<none>', 'n2', '1/2'],
    ],
    [
      'scheduling gated',
      { metadata: meta('p'), spec, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } },
      ['p', '0/1', 'SchedulingGated', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
  ];
  for (const [name, pod, want] of cases) assert.deepEqual(row('', 'v1', 'pods', pod), want, name);
});

test('deployment row and wide columns', () => {
  assert.deepEqual(columns('apps', 'v1', 'deployments'), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', '(Containers)', '(Images)', '(Selector)']);
  assert.deepEqual(
    row('apps', 'v1', 'deployments', {
      metadata: meta('web'),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
        template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    }),
    ['web', '2/3', 3, 2, '5m', 'nginx,side', 'nginx:1.25,busybox', 'app=web,tier in (a,b)'],
  );
  assert.deepEqual(row('apps', 'v1', 'deployments', { metadata: meta('d'), spec: { replicas: 1 } }), ['d', '0/1', 0, 0, '5m', '', '', '']);
});

test('service rows: ports, external IPs', () => {
  assert.deepEqual(columns('', 'v1', 'services'), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '(Selector)']);
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({ metadata: meta('s'), spec, status });
  const cases: [KubeObject, unknown[]][] = [
    [svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 80, protocol: 'TCP' }], selector: { b: '2', a: '1' } }),
      ['s', 'ClusterIP', '10.96.0.1', '<none>', '80/TCP', '5m', 'a=1,b=2']],
    [svc({ type: 'NodePort', clusterIPs: ['10.96.0.2'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }),
      ['s', 'NodePort', '10.96.0.2', '<none>', '80:30080/TCP,53/UDP', '5m', '<none>']],
    [svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.3'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }),
      ['s', 'LoadBalancer', '10.96.0.3', '<pending>', '443:31443/TCP', '5m', '<none>']],
    [svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.3'], ports: [] }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }),
      ['s', 'LoadBalancer', '10.96.0.3', '1.2.3.4', '<none>', '5m', '<none>']],
    [svc({ type: 'ClusterIP', clusterIPs: ['None'], externalIPs: ['5.6.7.8'] }), ['s', 'ClusterIP', 'None', '5.6.7.8', '<none>', '5m', '<none>']],
    [svc({ type: 'ExternalName', externalName: 'example.com' }), ['s', 'ExternalName', '<none>', 'example.com', '<none>', '5m', '<none>']],
  ];
  for (const [obj, want] of cases) assert.deepEqual(row('', 'v1', 'services', obj), want);
});

test('node, namespace, configmap, secret rows', () => {
  assert.deepEqual(
    row('', 'v1', 'nodes', {
      metadata: { name: 'n1', creationTimestamp: CREATED, labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '192.168.1.2' }],
        nodeInfo: { kubeletVersion: 'v1.31.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'skiff://0.1' },
      },
    }),
    ['n1', 'Ready,SchedulingDisabled', 'control-plane,worker', '5m', 'v1.31.0', '192.168.1.2', '<none>', 'Debian', '6.1', 'skiff://0.1'],
  );
  assert.deepEqual(row('', 'v1', 'nodes', { metadata: { name: 'n2' } }).slice(0, 5), ['n2', 'Unknown', '<none>', '<unknown>', '']);
  assert.deepEqual(row('', 'v1', 'namespaces', { metadata: meta('ns'), status: { phase: 'Active' } }), ['ns', 'Active', '5m']);
  assert.deepEqual(row('', 'v1', 'configmaps', { metadata: meta('cm'), data: { a: '1', b: '2' }, binaryData: { c: '' } }), ['cm', 3, '5m']);
  assert.deepEqual(row('', 'v1', 'secrets', { metadata: meta('s'), type: 'Opaque', data: { a: 'MQ==' } }), ['s', 'Opaque', 1, '5m']);
});

test('event rows in both API groups', () => {
  const core = {
    apiVersion: 'v1', kind: 'Event', metadata: meta('p.1'),
    involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{c}' },
    reason: 'Pulled', message: 'Image pulled ', type: 'Normal', source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2026-11-22T11:50:00Z', lastTimestamp: CREATED, count: 3,
  };
  const want = ['5m', 'Normal', 'Pulled', 'pod/p', 'spec.containers{c}', 'kubelet, n1', 'Image pulled', '10m', 3, 'p.1'];
  assert.deepEqual(row('', 'v1', 'events', core), want);
  const v1 = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('p.2'), eventTime: '2026-11-22T11:58:00.000000Z',
    regarding: { kind: 'Pod', name: 'p' }, reason: 'Scheduled', note: 'ok', type: 'Normal', reportingController: 'default-scheduler',
  };
  assert.deepEqual(row('events.k8s.io', 'v1', 'events', v1), ['2m', 'Normal', 'Scheduled', 'pod/p', '', 'default-scheduler', 'ok', '2m', 1, 'p.2']);
});

test('job, cronjob, hpa, endpoints, pvc rows', () => {
  assert.deepEqual(
    row('batch', 'v1', 'jobs', {
      metadata: meta('pi'), spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } },
      status: { succeeded: 1, startTime: '2026-11-22T11:55:00Z', completionTime: '2026-11-22T11:55:42Z', conditions: [{ type: 'Complete', status: 'True' }] },
    }),
    ['pi', 'Complete', '1/1', '42s', '5m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u'],
  );
  assert.deepEqual(
    row('batch', 'v1', 'cronjobs', { metadata: meta('c'), spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: {} } } } }),
    ['c', '*/5 * * * *', '<none>', 'False', 0, '<none>', '5m', '', '', '<none>'],
  );
  const hpa = {
    metadata: meta('h'),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    status: { currentMetrics: null, desiredReplicas: 0 },
  };
  assert.deepEqual(row('autoscaling', 'v2', 'horizontalpodautoscalers', hpa), ['h', 'Deployment/web', 'cpu: <unknown>/80%', '1', 5, 0, '5m']);
  assert.deepEqual(
    row('autoscaling', 'v1', 'horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v1', metadata: meta('h'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 30 },
    }),
    ['h', 'Deployment/web', 'cpu: 30%/50%', '1', 5, 2, '5m'],
  );
  assert.deepEqual(
    row('', 'v1', 'endpoints', {
      metadata: meta('e'),
      subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }],
    }),
    ['e', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...', '5m'],
  );
  assert.deepEqual(row('', 'v1', 'endpoints', { metadata: meta('e') }), ['e', '<none>', '5m']);
  assert.deepEqual(
    row('', 'v1', 'persistentvolumeclaims', {
      metadata: meta('c'), spec: { volumeName: 'pv1', storageClassName: 'standard', volumeMode: 'Filesystem' },
      status: { phase: 'Bound', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '1Gi' } },
    }),
    ['c', 'Bound', 'pv1', '1Gi', 'RWO,RWX', 'standard', '<unset>', '5m', 'Filesystem'],
  );
});

test('every registered type has a table with a name column', () => {
  for (const rt of reg.all()) {
    if (rt.plural === 'bindings') continue;
    assert.ok(rt.table, `${rt.plural}.${rt.group} has a table`);
    assert.ok(rt.table!.columns.some((c) => c.format === 'name'), `${rt.plural}.${rt.group} has a name column`);
  }
});
