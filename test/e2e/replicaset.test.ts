// The ReplicaSet and ReplicationController controllers as a kubectl user meets them, on a server with
// 3 simulated nodes: `kubectl create -f`, `kubectl scale`, `kubectl get` showing DESIRED/CURRENT/READY
// and `kubectl describe` listing the controller's SuccessfulCreate/SuccessfulDelete events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';

const RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: nginx
        image: nginx:1.25
`;

const RC = `apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 2
  selector:
    app: legacy
  template:
    metadata:
      labels:
        app: legacy
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: nginx
        image: nginx:1.25
`;

/** The data row of `kubectl get <kind> <name>` split into columns. */
const row = (out: string) => (out.trim().split('\n')[1] ?? '').trim().split(/\s+/);

test('kubectl: ReplicaSet and ReplicationController create, scale, get and describe', async () => {
  const s = await SkiffServer.start(undefined, ['--sim-nodes', '3']);
  const k = (args: string[], input?: string) => s.kubectlSync(args, { input });
  const counts = (kind: string, name: string) => row(k(['get', kind, name]).stdout).slice(1, 4).join(' ');
  try {
    const created = k(['create', '-f', '-'], RS);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /replicaset.apps\/web created/);
    await waitFor(() => counts('rs', 'web') === '3 3 3', 20_000, 'web 3 3 3');

    const scaled = k(['scale', 'rs', 'web', '--replicas=5']);
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.match(scaled.stdout, /replicaset.apps\/web scaled/);
    await waitFor(() => counts('rs', 'web') === '5 5 5', 20_000, 'web 5 5 5');
    const get = k(['get', 'rs', 'web']);
    assert.match(get.stdout, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE/);
    assert.deepEqual(row(get.stdout).slice(0, 4), ['web', '5', '5', '5']);
    const pods = k(['get', 'pods', '-l', 'app=web', '-o', 'name']).stdout.trim().split('\n');
    assert.equal(pods.length, 5);
    for (const p of pods) assert.match(p, /^pod\/web-[a-z0-9]{5}$/);

    assert.equal(k(['scale', 'rs', 'web', '--replicas=2']).code, 0);
    await waitFor(() => counts('rs', 'web') === '2 2 2', 20_000, 'web 2 2 2');
    let describe = '';
    await waitFor(() => {
      describe = k(['describe', 'rs', 'web']).stdout;
      return (describe.match(/SuccessfulCreate/g) ?? []).length === 5 && (describe.match(/SuccessfulDelete/g) ?? []).length === 3;
    }, 10_000, 'describe shows 5 creates and 3 deletes');
    assert.match(describe, /Replicas:\s+2 current \/ 2 desired/);
    assert.match(describe, /Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
    assert.match(describe, /Normal\s+SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: web-[a-z0-9]{5}/);
    assert.match(describe, /Normal\s+SuccessfulDelete\s+\S+\s+replicaset-controller\s+Deleted pod: web-[a-z0-9]{5}/);

    const rc = k(['create', '-f', '-'], RC);
    assert.equal(rc.code, 0, rc.stderr);
    assert.match(rc.stdout, /replicationcontroller\/legacy created/);
    await waitFor(() => counts('rc', 'legacy') === '2 2 2', 20_000, 'legacy 2 2 2');
    assert.equal(k(['scale', 'rc', 'legacy', '--replicas=4']).code, 0);
    await waitFor(() => counts('rc', 'legacy') === '4 4 4', 20_000, 'legacy 4 4 4');
    let rcDescribe = '';
    await waitFor(() => {
      rcDescribe = k(['describe', 'rc', 'legacy']).stdout;
      return (rcDescribe.match(/SuccessfulCreate/g) ?? []).length === 4;
    }, 10_000, 'describe rc shows 4 creates');
    assert.match(rcDescribe, /Replicas:\s+4 current \/ 4 desired/);
    assert.match(rcDescribe, /Normal\s+SuccessfulCreate\s+\S+\s+replication-controller\s+Created pod: legacy-[a-z0-9]{5}/);
  } finally {
    await s.destroy();
  }
});
