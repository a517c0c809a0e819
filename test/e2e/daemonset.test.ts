// A DaemonSet as a user meets it with the real kubectl against `skiff server --sim-nodes 3`: with
// sim-node-2 tainted it runs on the other two nodes (`kubectl get ds` reads 2 2 2), a toleration added
// with `kubectl patch` brings it onto the tainted node (3/3) as a rolling update `kubectl rollout
// status` follows, `kubectl set image` rolls every pod, `rollout history` lists the revisions and
// `rollout undo` goes back; `kubectl describe` shows upstream's events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: default
spec:
  selector:
    matchLabels: {app: agent}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {app: agent}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: agent
        image: busybox:1
`;

test('daemonset: skips a tainted node, follows a toleration, rolls out with set image and undo', async () => {
  const s = await SkiffServer.start(undefined, ['--sim-nodes', '3']);
  const k = (args: string[], input?: string) => {
    const r = s.kubectlSync(args, { input });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const dsRow = () => s.kubectlSync(['get', 'ds', 'agent', '--no-headers']).stdout.trim().split(/\s+/);
  const podNodes = () => s.kubectlSync(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{" "}{end}']).stdout.trim().split(' ').filter(Boolean).sort();
  const podImages = () => [...new Set(s.kubectlSync(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.containers[0].image}']).stdout.trim().split(' '))];
  try {
    assert.match(k(['taint', 'node', 'sim-node-2', 'dedicated=x:NoSchedule']), /node\/sim-node-2 tainted/);
    assert.match(k(['apply', '-f', '-'], DS), /daemonset.apps\/agent created/);
    // NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE-SELECTOR AGE
    await waitFor(() => dsRow().slice(0, 7).join(' ') === 'agent 2 2 2 2 2 <none>', 20_000, 'ds agent 2 2 2 2 2');
    assert.match(k(['get', 'ds', 'agent']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\n/);
    assert.deepEqual(podNodes(), ['sim-node-0', 'sim-node-1']);

    const toleration = '{"spec":{"template":{"spec":{"tolerations":[{"key":"dedicated","operator":"Equal","value":"x","effect":"NoSchedule"}]}}}}';
    assert.match(k(['patch', 'ds', 'agent', '-p', toleration]), /daemonset.apps\/agent patched/);
    assert.match(k(['rollout', 'status', 'ds/agent', '--timeout=60s']), /daemon set "agent" successfully rolled out/);
    await waitFor(() => dsRow().slice(0, 6).join(' ') === 'agent 3 3 3 3 3', 20_000, 'ds agent 3/3');
    await waitFor(() => podNodes().join() === 'sim-node-0,sim-node-1,sim-node-2', 20_000, 'a pod on every node');

    assert.match(k(['set', 'image', 'ds/agent', 'agent=busybox:2']), /daemonset.apps\/agent image updated/);
    const rollout = k(['rollout', 'status', 'ds/agent', '--timeout=60s']);
    assert.match(rollout, /daemon set "agent" successfully rolled out/);
    await waitFor(() => podImages().join() === 'busybox:2' && podNodes().length === 3, 20_000, 'every pod on busybox:2');
    assert.equal(dsRow().slice(0, 6).join(' '), 'agent 3 3 3 3 3');

    const history = k(['rollout', 'history', 'ds/agent']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n3\s+<none>/);
    assert.match(k(['rollout', 'undo', 'ds/agent']), /daemonset.apps\/agent rolled back/);
    assert.match(k(['rollout', 'status', 'ds/agent', '--timeout=60s']), /successfully rolled out/);
    await waitFor(() => podImages().join() === 'busybox:1' && podNodes().length === 3, 20_000, 'back on busybox:1');
    assert.match(k(['rollout', 'history', 'ds/agent']), /\n3\s+<none>\n4\s+<none>/);

    const describe = k(['describe', 'ds', 'agent']);
    assert.match(describe, /Desired Number of Nodes Scheduled: 3/);
    assert.match(describe, /Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: agent-[a-z0-9]{5}/);
    assert.match(describe, /Normal\s+SuccessfulDelete\s+\S+\s+daemonset-controller\s+Deleted pod: agent-[a-z0-9]{5}/);
  } finally {
    await s.destroy();
  }
});
