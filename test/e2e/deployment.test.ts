// The Deployment controller as a kubectl user meets it, on `skiff server --sim-nodes 3`: create,
// `kubectl scale` up and down, `kubectl set image` with the ReplicaSets watched step by step
// (`kubectl get rs -w`), `rollout status` / `history` / `undo --to-revision` / `pause` / `resume` /
// `restart` (all client-side logic in kubectl, reading what the controller writes), and a Recreate
// Deployment whose old and new pods are never alive at the same time (`kubectl get pods -w`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    kubernetes.io/change-cause: initial
spec:
  replicas: 3
  minReadySeconds: 1
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
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
      - name: c
        image: img:1
`;

const REC = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: rec
spec:
  replicas: 3
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: rec
  template:
    metadata:
      labels:
        app: rec
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: img:1
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
const jp = (kind: string, path: string) => ok(['get', kind, '-o', `jsonpath=${path}`]);
/** `rollout history` rows as [revision, change-cause]. */
const history = (d: string) => ok(['rollout', 'history', `deploy/${d}`]).trim().split('\n').slice(2).map((l) => l.trim().split(/\s{2,}/));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('kubectl: create, scale, set image (watched step by step), rollout status/history/undo', async () => {
  ok(['apply', '-f', '-'], WEB);
  const st = ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  assert.match(st, /deployment "web" successfully rolled out/);
  assert.match(ok(['get', 'deploy', 'web']), /web\s+3\/3\s+3\s+3\s/);
  const rs1 = jp('rs', '{.items[0].metadata.name}');
  assert.match(rs1, /^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  assert.equal(jp('deploy/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '1');

  ok(['scale', 'deploy/web', '--replicas=5']);
  ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  await waitFor(() => jp(`rs/${rs1}`, '{.spec.replicas}/{.status.readyReplicas}') === '5/5', 20_000, 'rs at 5');
  ok(['scale', 'deploy/web', '--replicas=3']);
  await waitFor(() => jp(`rs/${rs1}`, '{.spec.replicas}/{.status.replicas}') === '3/3', 20_000, 'rs back at 3');
  const ev = ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  assert.match(ev, new RegExp(`Scaled up replica set ${rs1} from 3 to 5`));
  assert.match(ev, new RegExp(`Scaled down replica set ${rs1} from 5 to 3`));

  // Watch the ReplicaSets while the image changes: NAME DESIRED AVAILABLE per line.
  const w = s.kubectlSpawn(['get', 'rs', '-l', 'app=web', '-w', '--no-headers', '-o', 'custom-columns=N:.metadata.name,D:.spec.replicas,A:.status.availableReplicas']);
  try {
    await sleep(500);
    ok(['set', 'image', 'deploy/web', 'c=img:2']);
    ok(['annotate', 'deploy/web', '--overwrite', 'kubernetes.io/change-cause=set image img:2']);
    const st2 = ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
    assert.match(st2, /Waiting for deployment "web" rollout to finish: \d out of 3 new replicas have been updated\.\.\./);
    assert.match(st2, /deployment "web" successfully rolled out/);
    await sleep(300);
  } finally {
    w.proc.kill();
  }
  const rs2 = jp('deploy/web', '{.metadata.name}') && ok(['get', 'rs', '-l', 'app=web', '-o', `jsonpath={range .items[?(@.spec.replicas==3)]}{.metadata.name}{end}`]);
  assert.notEqual(rs2, rs1);
  const desired = new Map<string, number>();
  const seq: string[] = [];
  for (const line of w.out().trim().split('\n')) {
    const [n, d] = line.trim().split(/\s+/);
    if (n !== rs1 && n !== rs2) continue;
    desired.set(n, Number(d));
    const step = `${desired.get(rs1) ?? 0}/${desired.get(rs2) ?? 0}`;
    if (seq[seq.length - 1] !== step) seq.push(step);
    // maxSurge 1, maxUnavailable 0: never more than 4 pods wanted in all.
    assert.ok((desired.get(rs1) ?? 0) + (desired.get(rs2) ?? 0) <= 4, `over surge at ${step}`);
  }
  // old/new: the new RS grows one at a time while the old shrinks.
  assert.deepEqual(seq, ['3/0', '3/1', '2/1', '2/2', '1/2', '1/3', '0/3'], w.out());

  assert.deepEqual(history('web'), [['1', 'initial'], ['2', 'set image img:2']]);
  assert.match(ok(['rollout', 'history', 'deploy/web', '--revision=2']), /Image:\s+img:2/);

  assert.match(ok(['rollout', 'undo', 'deploy/web', '--to-revision=1']), /deployment.apps\/web rolled back/);
  ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  assert.equal(jp('deploy/web', '{.spec.template.spec.containers[0].image}'), 'img:1');
  await waitFor(() => jp('deploy/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}') === '3', 10_000, 'revision 3');
  assert.equal(jp(`rs/${rs1}`, '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '3');
  assert.equal(jp(`rs/${rs1}`, '{.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}'), '1');
  assert.deepEqual(history('web').map((r) => r[0]), ['2', '3']);
});

test('kubectl: rollout pause holds a change, resume rolls it out, restart makes a new revision', async () => {
  ok(['rollout', 'pause', 'deploy/web']);
  await waitFor(() => jp('deploy/web', '{.status.conditions[?(@.type=="Progressing")].reason}') === 'DeploymentPaused', 10_000, 'paused condition');
  assert.equal(jp('deploy/web', '{.status.conditions[?(@.type=="Progressing")].message}'), 'Deployment is paused');
  const before = jp('rs', '{.items[*].metadata.name}').split(' ').length;
  ok(['set', 'image', 'deploy/web', 'c=img:3']);
  await sleep(800);
  assert.equal(jp('rs', '{.items[*].metadata.name}').split(' ').length, before, 'no new RS while paused');
  const st = s.kubectlSync(['rollout', 'status', 'deploy/web', '--timeout=2s']);
  assert.notEqual(st.code, 0);
  assert.match(st.stdout, /Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated/);
  assert.match(s.kubectlSync(['rollout', 'undo', 'deploy/web']).stderr, /you cannot rollback a paused deployment/);

  ok(['rollout', 'resume', 'deploy/web']);
  assert.match(ok(['rollout', 'status', 'deploy/web', '--timeout=60s']), /successfully rolled out/);
  assert.equal(jp('rs', '{.items[*].metadata.name}').split(' ').length, before + 1);
  assert.equal(jp('deploy/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '4');

  assert.match(ok(['rollout', 'restart', 'deploy/web']), /deployment.apps\/web restarted/);
  assert.match(ok(['rollout', 'status', 'deploy/web', '--timeout=60s']), /successfully rolled out/);
  assert.notEqual(jp('deploy/web', '{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'), '');
  assert.deepEqual(history('web').map((r) => r[0]), ['2', '3', '4', '5']);
  const conds = jp('deploy/web', '{range .status.conditions[*]}{.type}={.reason};{end}');
  assert.match(conds, /Available=MinimumReplicasAvailable/);
  assert.match(conds, /Progressing=NewReplicaSetAvailable/);
});

test('kubectl: a Recreate Deployment never has old and new pods at once', async () => {
  ok(['apply', '-f', '-'], REC);
  ok(['rollout', 'status', 'deploy/rec', '--timeout=60s']);
  const w = s.kubectlSpawn(['get', 'pods', '-l', 'app=rec', '-w', '--output-watch-events', '--no-headers', '-o', 'custom-columns=E:.type,N:.object.metadata.name,I:.object.spec.containers[0].image']);
  try {
    await sleep(500);
    ok(['set', 'image', 'deploy/rec', 'c=img:2']);
    assert.match(ok(['rollout', 'status', 'deploy/rec', '--timeout=60s']), /successfully rolled out/);
    await sleep(300);
  } finally {
    w.proc.kill();
  }
  const alive = new Map<string, string>();
  let sawNew = false;
  for (const line of w.out().trim().split('\n')) {
    const [ev, name, img] = line.trim().split(/\s+/);
    if (ev === 'DELETED') alive.delete(name);
    else alive.set(name, img);
    if (img === 'img:2') sawNew = true;
    assert.ok(new Set(alive.values()).size <= 1, `old and new pods together: ${[...alive].join(' ')}`);
  }
  assert.ok(sawNew, w.out());
  assert.deepEqual([...new Set(alive.values())], ['img:2']);
  const ev = ok(['get', 'events', '--field-selector', 'involvedObject.name=rec', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  assert.match(ev, /Scaled down replica set rec-\w+ from 3 to 0/);
  assert.match(ev, /Scaled up replica set rec-\w+ from 0 to 3/);
});

test('kubectl: rollout status fails once a rollout exceeds its progress deadline', async () => {
  ok(['create', 'deployment', 'stuck', '--image=img:1', '--replicas=1']);
  // Pods that fit no node never become available; a 2 s deadline then expires.
  ok(['patch', 'deploy/stuck', '-p', '{"spec":{"progressDeadlineSeconds":2,"template":{"spec":{"nodeSelector":{"nowhere":"true"}}}}}']);
  const r = s.kubectlSync(['rollout', 'status', 'deploy/stuck', '--timeout=30s']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /error: deployment "stuck" exceeded its progress deadline/);
  assert.match(jp('deploy/stuck', '{.status.conditions[?(@.type=="Progressing")].message}'), /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
});
