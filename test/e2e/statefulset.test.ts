// The StatefulSet controller as a kubectl user meets it, on `skiff server --sim-nodes 3`: `kubectl
// apply` of a 3-replica set with a claim template while `kubectl get pods -w` watches web-0, web-1,
// web-2 appear in order; `kubectl get pvc` lists their claims; `kubectl scale --replicas=0` removes
// them in reverse order and keeps the claims; `kubectl rollout status|history|undo sts/web` read
// the ControllerRevisions and status the controller writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';

const WEB = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: nginx:1.25
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;

let s: SkiffServer;
before(async () => {
  s = await SkiffServer.start(undefined, ['--sim-nodes', '3']);
});
after(async () => {
  await s?.destroy();
});

function ok(args: string[], input?: string): string {
  const r = s.kubectlSync(args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
/** Pod names in the order their first line with `status` appeared in a `get pods -w` stream. */
function firstSeen(out: string, status?: string): string[] {
  const names: string[] = [];
  for (const line of out.split('\n')) {
    const [name, , st] = line.trim().split(/\s+/);
    if (!name || name === 'NAME' || names.includes(name) || (status && st !== status)) continue;
    names.push(name);
  }
  return names;
}

function afterLastRunning(out: string): string {
  const lines = out.split('\n');
  let last = -1;
  lines.forEach((l, i) => {
    if (/\sRunning\s/.test(l)) last = i;
  });
  return lines.slice(last + 1).join('\n');
}

test('kubectl: a StatefulSet is created in order, scaled down in reverse, keeps its claims, rolls out', async () => {
  const watch = s.kubectlSpawn(['get', 'pods', '-l', 'app=web', '-w']);
  try {
    assert.match(ok(['apply', '-f', '-'], WEB), /statefulset.apps\/web created/);
    const st = ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    assert.match(st, /partitioned roll out complete: 3 new pods have been updated/);
    const pods = ok(['get', 'pods', '-l', 'app=web']);
    assert.match(pods, /web-0\s+1\/1\s+Running/);
    assert.match(pods, /web-2\s+1\/1\s+Running/);
    // Creation order, twice: from the watch, and from creationTimestamp sort.
    await waitFor(() => firstSeen(watch.out()).length === 3, 5_000, 'watch saw 3 pods');
    assert.deepEqual(firstSeen(watch.out()), ['web-0', 'web-1', 'web-2'], watch.out());
    const byAge = ok(['get', 'pods', '-l', 'app=web', '--sort-by=.metadata.creationTimestamp', '-o', 'jsonpath={.items[*].metadata.name}']);
    assert.equal(byAge, 'web-0 web-1 web-2');
    assert.equal(ok(['get', 'pod', 'web-1', '-o', 'jsonpath={.spec.hostname}.{.spec.subdomain}']), 'web-1.web');
    assert.match(ok(['get', 'sts', 'web']), /web\s+3\/3\s/);
    const pvc = ok(['get', 'pvc']);
    for (const n of ['data-web-0', 'data-web-1', 'data-web-2']) assert.match(pvc, new RegExp(`${n}\\s+Pending`));
    const describe = ok(['describe', 'sts', 'web']);
    assert.match(describe, /SuccessfulCreate\s+.*create Claim data-web-0 Pod web-0 in StatefulSet web success/);
    assert.match(describe, /SuccessfulCreate\s+.*create Pod web-2 in StatefulSet web successful/);

    // Rolling update, history and undo (ControllerRevisions).
    ok(['set', 'image', 'sts/web', 'nginx=nginx:1.26']);
    assert.match(ok(['rollout', 'status', 'sts/web', '--timeout=60s']), /partitioned roll out complete: 3 new pods have been updated/);
    assert.equal(ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}']), 'nginx:1.26 nginx:1.26 nginx:1.26');
    const hist = ok(['rollout', 'history', 'sts/web']);
    assert.match(hist, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    assert.match(ok(['rollout', 'undo', 'sts/web']), /statefulset.apps\/web rolled back/);
    await waitFor(() => s.kubectlSync(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}']).stdout === 'nginx:1.25 nginx:1.25 nginx:1.25', 60_000, 'undo rolled back');
    ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    assert.match(ok(['rollout', 'history', 'sts/web']), /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);

    // Scale to zero: highest ordinal first, one at a time; the claims stay.
    assert.match(ok(['scale', 'sts', 'web', '--replicas=0']), /statefulset.apps\/web scaled/);
    await waitFor(() => s.kubectlSync(['get', 'pods', '-l', 'app=web', '-o', 'name']).stdout.trim() === '', 30_000, 'all pods gone');
    // The watch prints with a lag: look only after the last Running line (the undo's web-0).
    await waitFor(() => firstSeen(afterLastRunning(watch.out()), 'Terminating').length === 3, 10_000, 'watch saw 3 terminations');
    assert.deepEqual(firstSeen(afterLastRunning(watch.out()), 'Terminating'), ['web-2', 'web-1', 'web-0'], watch.out());
    assert.match(ok(['get', 'sts', 'web']), /web\s+0\/0\s/);
    const kept = ok(['get', 'pvc', '-o', 'name']).trim().split('\n');
    assert.deepEqual(kept, ['persistentvolumeclaim/data-web-0', 'persistentvolumeclaim/data-web-1', 'persistentvolumeclaim/data-web-2']);
    assert.match(ok(['describe', 'sts', 'web']), /SuccessfulDelete\s+.*delete Pod web-2 in StatefulSet web successful/);
  } finally {
    watch.proc.kill();
  }
});
