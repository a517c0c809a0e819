// End-to-end with the real kubectl against `skiff server --sim-nodes 2` (short node monitor periods):
// `kubectl delete --cascade=orphan|foreground|background` on ConfigMaps owning ConfigMaps and on a
// Deployment (with its ReplicaSet and pods); then a node joined by a separate `skiff sim` process
// that is stopped — the node goes NotReady with the unreachable taint, its pod is evicted after its
// tolerationSeconds and the Deployment's replacement lands on a healthy node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { SkiffServer, waitFor, REPO } from './harness.js';

const owner = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  role: owner
`;
const dependent = (name: string, ownerName: string, uid: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: ${ownerName}
    uid: ${uid}
    blockOwnerDeletion: true
data:
  role: dependent
`;
const spreadDeployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 3
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      terminationGracePeriodSeconds: 0
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {app: ${name}}}}
      containers:
      - {name: nginx, image: nginx}
`;

test('kubectl delete --cascade on owned objects, and a node that stops heartbeating', async () => {
  const s = await SkiffServer.start(undefined, ['--sim-nodes', '2', '--node-monitor-grace-period', '15s', '--node-monitor-period', '1s']);
  const k = (args: string[], input?: string) => s.kubectlSync(args, { input });
  const ok = (args: string[], input?: string) => {
    const r = k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const exists = (what: string) => k(['get', ...what.split(' ')]).code === 0;
  const pair = (o: string, d: string) => {
    ok(['apply', '-f', '-'], owner(o));
    const uid = ok(['get', 'cm', o, '-o', 'jsonpath={.metadata.uid}']);
    ok(['apply', '-f', '-'], dependent(d, o, uid));
  };
  let sim: ReturnType<typeof spawn> | undefined;
  try {
    // --cascade=orphan: the dependent stays and loses its ownerReference.
    pair('owner', 'dep');
    assert.match(ok(['delete', 'cm', 'owner', '--cascade=orphan']), /configmap "owner" deleted/);
    assert.equal(k(['get', 'cm', 'owner']).code, 1);
    assert.equal(ok(['get', 'cm', 'dep', '-o', 'jsonpath={.metadata.ownerReferences}']), '');
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(exists('cm dep'), 'orphaned dependent survives');

    // --cascade=foreground: kubectl waits for the owner, which waits for its dependent.
    pair('fg-owner', 'fg-dep');
    assert.match(ok(['delete', 'cm', 'fg-owner', '--cascade=foreground']), /configmap "fg-owner" deleted/);
    assert.ok(!exists('cm fg-dep'), 'dependent deleted before the owner');
    assert.ok(!exists('cm fg-owner'));

    // --cascade=background (the default): the dependent follows shortly.
    pair('bg-owner', 'bg-dep');
    ok(['delete', 'cm', 'bg-owner']);
    await waitFor(() => !exists('cm bg-dep'), 10_000, 'background dependent deleted');

    // A Deployment: orphan keeps the ReplicaSet (unowned) and its pods; foreground removes everything.
    ok(['apply', '-f', '-'], spreadDeployment('web'));
    await waitFor(() => ok(['get', 'pods', '-l', 'app=web', '-o', 'name']).trim().split('\n').filter(Boolean).length === 3, 20_000, 'web pods');
    assert.match(ok(['delete', 'deploy', 'web', '--cascade=orphan']), /deployment.apps "web" deleted/);
    const rs = ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']).trim();
    assert.ok(rs, 'the ReplicaSet survives an orphaning delete');
    assert.equal(ok(['get', 'rs', rs, '-o', 'jsonpath={.metadata.ownerReferences}']), '');
    assert.equal(ok(['get', 'pods', '-l', 'app=web', '-o', 'name']).trim().split('\n').length, 3);
    ok(['apply', '-f', '-'], spreadDeployment('web2'));
    await waitFor(() => ok(['get', 'pods', '-l', 'app=web2', '-o', 'name']).trim().split('\n').filter(Boolean).length === 3, 20_000, 'web2 pods');
    assert.match(ok(['delete', 'deploy', 'web2', '--cascade=foreground', '--timeout=30s']), /deployment.apps "web2" deleted/);
    assert.equal(ok(['get', 'rs,pods', '-l', 'app=web2', '-o', 'name']).trim(), '', 'foreground took the ReplicaSet and pods first');
    ok(['delete', 'rs', rs, '--cascade=background']);
    await waitFor(() => ok(['get', 'pods', '-l', 'app=web', '-o', 'name']).trim() === '', 20_000, 'orphaned ReplicaSet deleted with its pods');

    // A third node from a separate `skiff sim`; stopping it stops its heartbeats.
    sim = spawn(process.execPath, ['bin/skiff', 'sim', '--nodes', '1', '--name-prefix', 'extra-', '--kubeconfig', s.kubeconfig], { cwd: REPO, stdio: 'ignore' });
    await waitFor(() => /\bReady\b/.test(k(['get', 'node', 'extra-0', '--no-headers']).stdout), 20_000, 'extra-0 Ready');
    ok(['apply', '-f', '-'], spreadDeployment('spread'));
    const podsOn = () => ok(['get', 'pods', '-l', 'app=spread', '--field-selector', 'status.phase=Running', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{" "}{.metadata.deletionTimestamp}{"\\n"}{end}']);
    await waitFor(() => podsOn().trim().split('\n').filter((l) => l.trim()).length === 3 && podsOn().includes('extra-0'), 20_000, 'one spread pod per node');
    const victim = ok(['get', 'pods', '-l', 'app=spread', '--field-selector', 'spec.nodeName=extra-0', '-o', 'jsonpath={.items[0].metadata.name}']);
    sim.kill('SIGTERM');
    await waitFor(() => /\bNotReady\b/.test(k(['get', 'node', 'extra-0', '--no-headers']).stdout), 30_000, 'extra-0 NotReady');
    const taints = ok(['get', 'node', 'extra-0', '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect}{"\\n"}{end}']);
    assert.match(taints, /node.kubernetes.io\/unreachable:NoExecute/);
    assert.match(taints, /node.kubernetes.io\/unreachable:NoSchedule/);
    assert.match(ok(['get', 'node', 'extra-0', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].message}']), /Kubelet stopped posting node status\./);
    await waitFor(() => k(['get', 'pod', victim]).code !== 0, 15_000, 'pod on the dead node evicted and removed');
    const events = ok(['get', 'events', '--field-selector', `involvedObject.name=${victim}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, new RegExp(`TaintManagerEviction: Marking for deletion Pod default/${victim}`));
    await waitFor(() => {
      const lines = podsOn().trim().split('\n').filter((l) => l.trim());
      return lines.length === 3 && lines.every((l) => !l.includes('extra-0') && l.trim().split(' ').length === 1);
    }, 20_000, 'replacement running on a healthy node');
  } finally {
    if (sim && sim.exitCode === null) sim.kill('SIGKILL');
    await s.destroy();
  }
});
