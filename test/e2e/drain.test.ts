// End to end with the real kubectl against `skiff server --sim-nodes 3`: a Service's Endpoints and
// EndpointSlices list its pods; a PodDisruptionBudget shows its allowed disruptions; `kubectl drain`
// cordons the node, evicts what the budget allows, retries on "Cannot evict pod as it would violate
// the pod's disruption budget." and finishes once a replacement makes room; cordon/uncordon flip
// spec.unschedulable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';

const pod = (name: string, app: string, node?: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${app}}}
spec:
  ${node ? `nodeName: ${node}` : ''}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: nginx, ports: [{name: http, containerPort: 8080}]}]
`;

test('endpoints, endpointslices, pdb and a drain that respects it', async () => {
  const s = await SkiffServer.start(undefined, ['--sim-nodes', '3']);
  const k = (args: string[], input?: string) => s.kubectlSync(args, { input });
  const until = (args: string[], re: RegExp, what: string, ms = 15_000) => waitFor(() => re.test(k(args).stdout), ms, what);
  try {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n';
    assert.equal(k(['apply', '-f', '-'], [svc, pod('web-1', 'web'), pod('web-2', 'web')].join('---\n')).code, 0);
    await until(['get', 'endpoints', 'web'], /^web\s+10\.42\.\d+\.\d+:8080,10\.42\.\d+\.\d+:8080\s/m, 'two endpoint addresses');
    const slices = k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    assert.match(slices.stdout, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m);
    assert.match(slices.stdout, /^web-[a-z0-9]{5}\s+IPv4\s+8080\s+10\.42\.\d+\.\d+,10\.42\.\d+\.\d+\s/m);

    // Two budgeted pods on sim-node-0, one on sim-node-1: the budget allows one disruption.
    const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db}\nspec:\n  minAvailable: 2\n  selector: {matchLabels: {app: db}}\n';
    assert.equal(k(['apply', '-f', '-'], [pod('db-a', 'db', 'sim-node-0'), pod('db-b', 'db', 'sim-node-0'), pod('db-c', 'db', 'sim-node-1'), pdb].join('---\n')).code, 0);
    await until(['get', 'pdb', 'db'], /^db\s+2\s+N\/A\s+1\s/m, 'pdb db ALLOWED DISRUPTIONS 1');

    const drain = s.kubectlSpawn(['drain', 'sim-node-0', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=60s']);
    const exited = new Promise<number | null>((ok) => drain.proc.once('exit', ok));
    try {
      await waitFor(() => drain.out().includes("Cannot evict pod as it would violate the pod's disruption budget."), 20_000, 'a refused eviction');
      assert.match(drain.out(), /node\/sim-node-0 cordoned/);
      assert.match(drain.out(), /error when evicting pods\/"db-[ab]" -n "default" \(will retry after 5s\)/);
      assert.equal(k(['get', 'node', 'sim-node-0', '-o', 'jsonpath={.spec.unschedulable}']).stdout, 'true');
      // Exactly one of the two went; the budget is spent.
      await until(['get', 'pdb', 'db'], /^db\s+2\s+N\/A\s+0\s/m, 'budget spent');
      // A replacement elsewhere makes room: the retry succeeds and the drain completes.
      assert.equal(k(['apply', '-f', '-'], pod('db-d', 'db', 'sim-node-2')).code, 0);
      assert.equal(await exited, 0, drain.out());
    } finally {
      drain.proc.kill();
    }
    assert.match(drain.out(), /pod\/db-[ab] evicted[\s\S]*pod\/db-[ab] evicted/);
    assert.match(drain.out(), /node\/sim-node-0 drained/);
    await waitFor(() => k(['get', 'pods', '--field-selector', 'spec.nodeName=sim-node-0', '-o', 'name']).stdout.trim() === '', 15_000, 'sim-node-0 empty');

    assert.match(k(['uncordon', 'sim-node-0']).stdout, /node\/sim-node-0 uncordoned/);
    assert.equal(k(['get', 'node', 'sim-node-0', '-o', 'jsonpath={.spec.unschedulable}']).stdout, '');
    assert.match(k(['cordon', 'sim-node-2']).stdout, /node\/sim-node-2 cordoned/);
    assert.match(k(['get', 'node', 'sim-node-2']).stdout, /sim-node-2\s+Ready,SchedulingDisabled/);
    assert.match(k(['uncordon', 'sim-node-2']).stdout, /node\/sim-node-2 uncordoned/);
  } finally {
    await s.destroy();
  }
});
