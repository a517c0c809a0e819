// The kubectl smoke: every command a user meets first, against a running Skiff, for one kubectl
// binary. Shared by the per-version test files. `typedCreates` is false for kubectl ≥ 1.32, whose
// `kubectl create <kind>` generators send protobuf bodies Skiff does not decode yet (manifests via
// `create -f`/`apply -f` are JSON and are used instead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SkiffServer, KubectlResult } from './harness.js';
import { waitFor } from './harness.js';
import * as m from './manifests.js';
import { UPSTREAM_API_RESOURCES } from './expected-api-resources.js';

export interface SmokeOptions {
  bin: string;
  ns: string;
  typedCreates: boolean;
}

export function defineSmoke(getServer: () => SkiffServer, o: SmokeOptions): void {
  const { ns } = o;
  const k = (args: string[], input?: string, env?: Record<string, string>): KubectlResult =>
    getServer().kubectlSync(args, { bin: o.bin, input, env });
  const ok = (args: string[], input?: string, env?: Record<string, string>): string => {
    const r = k(args, input, env);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const fails = (args: string[], input?: string): string => {
    const r = k(args, input);
    assert.equal(r.code, 1, `kubectl ${args.join(' ')} should fail with exit 1, got ${r.code}:\n${r.stdout}${r.stderr}`);
    return r.stderr;
  };
  const json = (args: string[]) => JSON.parse(ok([...args, '-o', 'json'])) as Record<string, any>;

  test('version reports the server as v1.31', () => {
    const v = JSON.parse(ok(['version', '-o', 'json']));
    assert.equal(v.serverVersion.major, '1');
    assert.equal(v.serverVersion.minor, '31');
    assert.match(v.serverVersion.gitVersion, /^v1\.31\./);
  });

  test('api-resources prints upstream rows', () => {
    const rows = new Set(
      ok(['api-resources'])
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/).join(' '))
        .filter(Boolean),
    );
    const missing = UPSTREAM_API_RESOURCES.filter((r) => !rows.has(r));
    assert.deepEqual(missing, [], `rows missing or different:\n${[...rows].join('\n')}`);
  });

  test('namespace create', () => {
    if (o.typedCreates) assert.match(ok(['create', 'namespace', ns]), new RegExp(`namespace/${ns} created`));
    else assert.match(ok(['create', '-f', '-'], m.namespace(ns)), new RegExp(`namespace/${ns} created`));
    assert.match(ok(['get', 'ns', ns]), new RegExp(`^NAME\\s+STATUS\\s+AGE\\n${ns}\\s+Active\\s+\\d+s`));
  });

  test('deployment create, get (yaml, json, wide, name, jsonpath), describe', () => {
    if (o.typedCreates) ok(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', ns]);
    else ok(['create', '-f', '-'], m.deployment(ns, 'web', 'nginx:1.25'));
    const yaml = ok(['get', 'deploy', 'web', '-n', ns, '-o', 'yaml']);
    for (const line of ['maxSurge: 25%', 'maxUnavailable: 25%', 'revisionHistoryLimit: 10', 'progressDeadlineSeconds: 600',
      'restartPolicy: Always', 'dnsPolicy: ClusterFirst', 'terminationGracePeriodSeconds: 30', 'schedulerName: default-scheduler',
      'imagePullPolicy: IfNotPresent', 'terminationMessagePath: /dev/termination-log', 'generation: 1', 'uid: ']) {
      assert.ok(yaml.includes(line), `yaml lacks ${line}:\n${yaml}`);
    }
    const d = json(['get', 'deploy', 'web', '-n', ns]);
    assert.equal(d.kind, 'Deployment');
    assert.equal(d.spec.replicas, 1);
    const wide = ok(['get', 'deploy', '-n', ns, '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    assert.match(wide, /\nweb\s+0\/1\s+0\s+0\s+\S+\s+nginx\s+nginx:1\.25\s+app=web/);
    assert.equal(ok(['get', 'deploy', '-n', ns, '-o', 'name']).trim(), 'deployment.apps/web');
    assert.equal(ok(['get', 'deploy', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
    const desc = ok(['describe', 'deploy', 'web', '-n', ns]);
    assert.match(desc, /Name:\s+web/);
    assert.match(desc, /Namespace:\s+/);
    assert.match(desc, /StrategyType:\s+RollingUpdate/);
  });

  test('explain reads the OpenAPI schema; get all uses categories', () => {
    const out = ok(['explain', 'pod.spec.containers']);
    assert.match(out, /KIND:\s+Pod/);
    assert.match(out, /containers\s+<\[\]/);
    assert.match(out, /\n\s+image\s+<string>/);
    assert.match(ok(['explain', 'deployment.spec.strategy', '--recursive']), /maxSurge\s+<(IntOrString|string)>/);
    assert.match(ok(['get', 'all', '-n', ns]), /deployment.apps\/web\s+0\/1/);
  });

  test('patch: json, merge and strategic', () => {
    ok(['patch', 'deploy', 'web', '-n', ns, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]']);
    ok(['patch', 'deploy', 'web', '-n', ns, '--type=merge', '-p', '{"metadata":{"labels":{"merged":"yes"}}}']);
    ok(['patch', 'deploy', 'web', '-n', ns, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}']);
    const d = json(['get', 'deploy', 'web', '-n', ns]);
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.metadata.labels.merged, 'yes');
    assert.equal(d.spec.template.spec.containers.length, 1);
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.26');
    assert.equal(d.metadata.generation, 3, 'replicas and template changes bump generation; labels do not');
  });

  test('label, annotate, scale, edit', () => {
    ok(['label', 'deploy', 'web', '-n', ns, 'tier=frontend']);
    ok(['annotate', 'deploy', 'web', '-n', ns, 'note=hello']);
    assert.equal(ok(['get', 'deploy', '-n', ns, '-l', 'tier=frontend', '-o', 'name']).trim(), 'deployment.apps/web');
    ok(['label', 'deploy', 'web', '-n', ns, 'tier-']);
    assert.equal(ok(['get', 'deploy', '-n', ns, '-l', 'tier=frontend', '-o', 'name']).trim(), '');
    assert.match(ok(['scale', 'deploy', 'web', '-n', ns, '--replicas=4']), /deployment.apps\/web scaled/);
    assert.equal(ok(['get', 'deploy', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '4');
    const editor = `sed -i -e 's/note: hello/note: edited/'`;
    assert.match(ok(['edit', 'deploy', 'web', '-n', ns], undefined, { KUBE_EDITOR: editor }), /deployment.apps\/web edited/);
    assert.equal(ok(['get', 'deploy', 'web', '-n', ns, '-o', 'jsonpath={.metadata.annotations.note}']), 'edited');
  });

  test('apply twice: client-side three-way merge keeps list items by key', () => {
    assert.match(ok(['apply', '-f', '-'], m.applyV1(ns)), /deployment.apps\/api created/);
    ok(['label', 'deploy', 'api', '-n', ns, 'extra=kept']);
    assert.match(ok(['apply', '-f', '-'], m.applyV1(ns)), /deployment.apps\/api unchanged/);
    assert.match(ok(['apply', '-f', '-'], m.applyV2(ns)), /deployment.apps\/api configured/);
    const d = json(['get', 'deploy', 'api', '-n', ns]);
    const containers = d.spec.template.spec.containers as Array<{ name: string; image: string; env?: Array<{ name: string }> }>;
    assert.deepEqual(containers.map((c) => c.name).sort(), ['main', 'sidecar']);
    const main = containers.find((c) => c.name === 'main')!;
    assert.equal(main.image, 'nginx:1.26');
    assert.deepEqual(main.env!.map((e) => e.name), ['X', 'B']);
    assert.equal(d.metadata.labels.extra, 'kept', 'a label set outside the file survives');
    assert.equal(d.metadata.annotations?.team, undefined, 'an annotation dropped from the file is removed');
  });

  test('apply --server-side with managedFields and conflicts', () => {
    assert.match(ok(['apply', '--server-side', '-f', '-'], m.configMap(ns, 'ssa', 'one')), /configmap\/ssa serverside-applied/);
    assert.match(ok(['apply', '--server-side', '-f', '-'], m.configMap(ns, 'ssa', 'two')), /configmap\/ssa serverside-applied/);
    const cm = json(['get', 'cm', 'ssa', '-n', ns, '--show-managed-fields']);
    assert.equal(cm.data.key, 'two');
    const mf = cm.metadata.managedFields as Array<{ manager: string; operation: string; fieldsV1: Record<string, unknown> }>;
    const entry = mf.find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
    assert.ok(entry, JSON.stringify(mf));
    assert.deepEqual(entry.fieldsV1['f:data'], { 'f:key': {} });
    const conflict = fails(['apply', '--server-side', '--field-manager=other', '-f', '-'], m.configMap(ns, 'ssa', 'three'));
    assert.match(conflict, /conflict/i);
    assert.match(conflict, /\.data\.key/);
    ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], m.configMap(ns, 'ssa', 'three'));
    assert.equal(ok(['get', 'cm', 'ssa', '-n', ns, '-o', 'jsonpath={.data.key}']), 'three');
  });

  test('service, configmap, secret', () => {
    if (o.typedCreates) {
      ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', ns]);
      ok(['create', 'configmap', 'cm1', '--from-literal=a=b', '-n', ns]);
      ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t', '-n', ns]);
    } else {
      ok(['create', '-f', '-'], m.service(ns));
      ok(['create', '-f', '-'], m.configMap(ns, 'cm1', 'b'));
      ok(['create', '-f', '-'], m.secret(ns));
    }
    const svc = ok(['get', 'svc', 'web', '-n', ns, '-o', 'wide']);
    assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\n/);
    assert.match(svc, /\nweb\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=web/);
    const s = json(['get', 'svc', 'web', '-n', ns]);
    assert.equal(s.spec.sessionAffinity, 'None');
    assert.equal(s.spec.ports[0].targetPort, 8080);
    assert.match(ok(['get', 'cm', '-n', ns]), /\ncm1\s+1\s+\S+/);
    assert.match(ok(['get', 'secret', 'creds', '-n', ns]), /^NAME\s+TYPE\s+DATA\s+AGE\ncreds\s+Opaque\s+1\s+/);
    const pw = ok(['get', 'secret', 'creds', '-n', ns, '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(pw, 'base64').toString(), 's3cr3t');
  });

  test('pod create, get, wide columns, delete', () => {
    ok(['create', '-f', '-'], m.pod(ns));
    assert.match(ok(['get', 'pods', '-n', ns]), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\np1\s+0\/1\s+Pending\s+0\s+\S+/);
    assert.match(ok(['get', 'pods', '-n', ns, '-o', 'wide']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
    assert.match(ok(['get', 'pods', '-n', ns, '--field-selector', 'status.phase=Pending', '-o', 'name']), /pod\/p1/);
    assert.match(ok(['describe', 'pod', 'p1', '-n', ns]), /Status:\s+Pending/);
    assert.match(ok(['delete', 'pod', 'p1', '-n', ns]), /pod "p1" deleted/);
  });

  test('get -w receives ADDED, MODIFIED, DELETED', async () => {
    const w = getServer().kubectlSpawn(['get', 'cm', '-n', ns, '-w', '--output-watch-events', '-l', 'watched=yes'], o.bin);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      ok(['create', '-f', '-'], m.configMap(ns, 'watched', 'a').replace('metadata:\n', 'metadata:\n  labels:\n    watched: "yes"\n'));
      await waitFor(() => /ADDED\s+watched/.test(w.out()), 10_000, 'ADDED');
      ok(['annotate', 'cm', 'watched', '-n', ns, 'x=y']);
      await waitFor(() => /MODIFIED\s+watched/.test(w.out()), 10_000, 'MODIFIED');
      ok(['delete', 'cm', 'watched', '-n', ns]);
      await waitFor(() => /DELETED\s+watched/.test(w.out()), 10_000, 'DELETED');
    } finally {
      w.proc.kill('SIGTERM');
    }
  });

  test('--dry-run=server validates without persisting', () => {
    const out = o.typedCreates
      ? ok(['create', 'configmap', 'dry', '--from-literal=a=b', '-n', ns, '--dry-run=server'])
      : ok(['create', '-f', '-', '--dry-run=server'], m.configMap(ns, 'dry', 'b'));
    assert.match(out, /configmap\/dry created \(server dry run\)/);
    assert.match(fails(['get', 'cm', 'dry', '-n', ns]), /Error from server \(NotFound\): configmaps "dry" not found/);
    ok(['delete', 'deploy', 'web', '-n', ns, '--dry-run=server']);
    ok(['get', 'deploy', 'web', '-n', ns]);
  });

  test('invalid input gets upstream-style errors', () => {
    const name = fails(['create', '-f', '-'], m.badName(ns));
    assert.match(name, /The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    const dep = fails(['create', '-f', '-'], m.badSelector(ns));
    assert.match(dep, /The Deployment "bad" is invalid: \n\* spec.replicas: Invalid value: -1: must be greater than or equal to 0/);
    assert.match(dep, /\* spec.template.metadata.labels: Invalid value: map\[string\]string\{"app":"x"\}: `selector` does not match template `labels`/);
    const strict = fails(['create', '-f', '-'], m.unknownField(ns));
    assert.match(strict, /Error from server \(BadRequest\): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"/);
    assert.match(fails(['get', 'deploy', 'nope', '-n', ns]), /Error from server \(NotFound\): deployments.apps "nope" not found/);
    assert.match(fails(['get', 'notathing']), /the server doesn't have a resource type "notathing"/);
  });

  test('delete everything created', () => {
    assert.match(ok(['delete', 'deploy', 'web', 'api', '-n', ns]), /deployment.apps "web" deleted\ndeployment.apps "api" deleted/);
    ok(['delete', 'svc', 'web', '-n', ns]);
    ok(['delete', 'cm', 'cm1', 'ssa', '-n', ns]);
    ok(['delete', 'secret', 'creds', '-n', ns]);
    assert.match(fails(['get', 'deploy', 'web', '-n', ns]), /deployments.apps "web" not found/);
    assert.equal(ok(['get', 'deploy,svc,cm,secret', '-n', ns, '-o', 'name']).trim(), '');
  });
}
