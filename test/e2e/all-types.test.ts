// Every built-in type, end to end with the real kubectl 1.31: one realistic object of each is applied
// from a single multi-document file (created, then unchanged on re-apply — catching defaulting that is
// not idempotent and fields that do not round-trip), then read back with upstream's table columns,
// `-o wide`, `-o yaml` and `describe`; cross-version reads (autoscaling v1/v2, core/events.k8s.io
// Events), field selectors, `replace`, and `delete -f` of the whole file.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, type KubectlResult } from './harness.js';
import { allTypes, allTypesYaml, type TypeCase } from './all-types-manifests.js';
import type { KubeObject } from '../../src/machinery/object.js';

const NS = 'all-types';
const SFX = 'at1';
const cases = allTypes(NS, SFX);
const file = allTypesYaml(cases);

/** kubectl's header row, split into column names (columns are separated by three or more spaces). */
const headerRow = (out: string) => (out.split('\n')[0] ?? '').trim().split(/\s{2,}/);

describe('every built-in type with kubectl 1.31', () => {
  let server: SkiffServer;
  before(async () => {
    // The API server alone (no controllers, no scheduler): these tests pin API behaviour, and
    // controllers would change the objects under them (endpoints, replicas, events).
    server = await SkiffServer.start(undefined, ['--disable-controller-manager', '--disable-scheduler']);
  });
  after(async () => {
    await server?.destroy();
  });

  const k = (args: string[], input?: string): KubectlResult => server.kubectlSync(args, { input });
  const ok = (args: string[], input?: string): string => {
    const r = k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  test('apply creates one object of every type', () => {
    const out = ok(['apply', '-f', '-'], file);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, cases.length, out);
    for (const [i, line] of lines.entries()) {
      assert.match(line, new RegExp(`/${cases[i]!.name.replace(/\./g, '\\.')} created$`), out);
    }
  });

  test('re-applying the same file changes nothing', () => {
    const out = ok(['apply', '-f', '-'], file);
    // PodDisruptionBudget spec.selector has patchStrategy=replace, for which kubectl's three-way diff
    // always sends the whole selector, so upstream too prints `configured` for it on every apply.
    const changed = out.trim().split('\n').filter((l) => !l.endsWith(' unchanged'));
    assert.deepEqual(changed, ['poddisruptionbudget.policy/web-pdb configured'], out);
  });

  // One kubectl call per output format for all namespaced objects and one for all cluster-scoped ones:
  // kubectl prints one table (header + rows) per resource type, in argument order, blank-line separated.
  const groups = () => [cases.filter((c) => c.namespaced), cases.filter((c) => !c.namespaced)];
  const refs = (cs: TypeCase[]) => [...(cs[0]?.namespaced ? ['-n', NS] : []), ...cs.map((c) => `${c.resource}/${c.name}`)];

  test('get and get -o wide print upstream columns for every type', () => {
    for (const cs of groups()) {
      for (const wide of [false, true]) {
        const out = ok(['get', ...refs(cs), ...(wide ? ['-o', 'wide'] : [])]);
        const blocks = out.trim().split('\n\n');
        assert.equal(blocks.length, cs.length, out);
        for (const [i, c] of cs.entries()) {
          const [header = '', row = ''] = blocks[i]!.split('\n');
          const want = wide ? (c.wideFull ?? [...c.headers, ...c.wide]) : c.headers;
          assert.deepEqual(headerRow(header), want, `${c.resource}${wide ? ' -o wide' : ''}:\n${blocks[i]}`);
          const named = c.headers[0] === 'NAME' ? row.split(/\s+/)[0]?.endsWith(`/${c.name}`) : !wide || row.trimEnd().endsWith(`/${c.name}`);
          assert.ok(named, `${c.resource} row does not show ${c.name}:\n${blocks[i]}`);
        }
      }
    }
  });

  test('get -o yaml and describe work for every type', () => {
    for (const cs of groups()) {
      const list = JSON.parse(ok(['get', ...refs(cs), '-o', 'json']));
      assert.equal(list.items.length, cs.length);
      for (const [i, c] of cs.entries()) {
        assert.equal(list.items[i].metadata.name, c.name, c.resource);
        assert.match(list.items[i].metadata.uid, /^[0-9a-f-]{36}$/, c.resource);
      }
      const yaml = ok(['get', ...refs(cs), '-o', 'yaml']);
      assert.match(yaml, /^apiVersion: v1\nitems:\n/);
      assert.equal(yaml.match(/\n  metadata:\n/g)?.length, cs.length, yaml);
      const desc = ok(['describe', ...refs(cs)]);
      for (const c of cs) assert.match(desc, new RegExp(`Name:\\s+${c.name.replace(/\./g, '\\.')}\n`), `${c.resource} describe:\n${desc}`);
    }
  });

  test('a CronJob without a job selector shows <none> in the wide Selector column', () => {
    const out = ok(['get', 'cronjob', 'nightly', '-n', NS, '-o', 'wide']);
    assert.match(out.split('\n')[1] ?? '', /\sbusybox:1\.36\s+<none>$/, out);
  });

  test('server-side apply takes over the client-side applied objects', () => {
    const r = k(['apply', '--server-side', '-f', '-'], file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no warnings (a failed managedFields migration is reported as one)');
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.filter((l) => l.endsWith(' serverside-applied')).length, cases.length, r.stdout);
    // Fields added on create by the strategy/admission belong to no manager and survive the take-over.
    const job = JSON.parse(ok(['get', 'job', 'migrate', '-n', NS, '-o', 'json']));
    assert.ok(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']);
    const pod = JSON.parse(ok(['get', 'pod', 'web-pod', '-n', NS, '-o', 'json']));
    assert.equal(pod.spec.tolerations.length, 2);
    const again = ok(['apply', '--server-side', '-f', '-'], file);
    assert.equal(again.trim().split('\n').filter((l) => l.endsWith(' serverside-applied')).length, cases.length, again);
  });

  test('autoscaling v1 and v2 read each other\'s HorizontalPodAutoscalers', () => {
    const asV1 = JSON.parse(ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web-v2', '-n', NS, '-o', 'json']));
    assert.equal(asV1.apiVersion, 'autoscaling/v1');
    assert.equal(asV1.spec.targetCPUUtilizationPercentage, 70);
    assert.equal(asV1.spec.maxReplicas, 5);
    const asV2 = JSON.parse(ok(['get', 'horizontalpodautoscalers.v2.autoscaling', 'web-v1', '-n', NS, '-o', 'json']));
    assert.equal(asV2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(asV2.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
    ]);
    assert.equal(asV2.spec.minReplicas, 2);
    const yaml = ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web-v1', '-n', NS, '-o', 'yaml']);
    assert.match(yaml, /targetCPUUtilizationPercentage: 60/);
  });

  test('core and events.k8s.io Events are one collection', () => {
    const core = ok(['get', 'events', '-n', NS, '-o', 'name']).trim().split('\n').sort();
    assert.deepEqual(core, ['event/web-pod.1', 'event/web-pod.2']);
    const ev = ok(['get', 'events.events.k8s.io', '-n', NS, '-o', 'name']).trim().split('\n').sort();
    assert.deepEqual(ev, ['event.events.k8s.io/web-pod.1', 'event.events.k8s.io/web-pod.2']);
    const asCore = JSON.parse(ok(['get', 'events', 'web-pod.2', '-n', NS, '-o', 'json']));
    assert.equal(asCore.apiVersion, 'v1');
    assert.equal(asCore.involvedObject.name, 'web-pod');
    assert.equal(asCore.message, 'Pulling image nginx:1.27');
    assert.equal(asCore.reportingComponent, 'kubelet');
    const asNew = JSON.parse(ok(['get', 'events.v1.events.k8s.io', 'web-pod.1', '-n', NS, '-o', 'json']));
    assert.equal(asNew.apiVersion, 'events.k8s.io/v1');
    assert.equal(asNew.regarding.name, 'web-pod');
    assert.equal(asNew.note, `Successfully assigned ${NS}/web-pod to node-${SFX}`);
    assert.equal(asNew.deprecatedCount, 1);
  });

  test('field selectors on events and pods', () => {
    const names = (args: string[]) => ok([...args, '-n', NS, '-o', 'name']).trim().split('\n').filter(Boolean).sort();
    assert.deepEqual(names(['get', 'events', '--field-selector', 'involvedObject.name=web-pod']), ['event/web-pod.1', 'event/web-pod.2']);
    assert.deepEqual(names(['get', 'events', '--field-selector', 'involvedObject.kind=Pod,reason=Scheduled']), ['event/web-pod.1']);
    assert.deepEqual(names(['get', 'events', '--field-selector', 'involvedObject.name=other']), []);
    assert.deepEqual(names(['get', 'pods', '--field-selector', `spec.nodeName=node-${SFX}`]), ['pod/web-pod']);
    assert.deepEqual(names(['get', 'pods', '--field-selector', 'spec.nodeName=elsewhere']), []);
    assert.deepEqual(names(['get', 'pods', '--field-selector', 'status.phase=Pending,metadata.name=web-pod']), ['pod/web-pod']);
    assert.deepEqual(names(['get', 'secrets', '--field-selector', 'type=Opaque']), ['secret/web-tls']);
    const bad = k(['get', 'pods', '-n', NS, '--field-selector', 'spec.unknown=x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /field label not supported: spec\.unknown/);
  });

  test('what get -o yaml prints is accepted back by replace for every type', () => {
    for (const cs of groups()) {
      const yaml = ok(['get', ...refs(cs), '-o', 'yaml']);
      const out = ok(['replace', '-f', '-'], yaml);
      assert.equal(out.trim().split('\n').filter((l) => l.endsWith(' replaced')).length, cs.length, out);
    }
  });

  test('replace -f (PUT) for several types', () => {
    const pick = (resource: string) => cases.find((c) => c.resource === resource)!.yaml;
    const edits: [string, string, string][] = [
      ['configmaps', 'mode: production', 'mode: staging'],
      ['services', 'port: 80\n', 'port: 8080\n'],
      ['deployments.apps', 'replicas: 2', 'replicas: 3'],
      ['cronjobs.batch', '0 3 * * *', '30 4 * * *'],
      ['clusterroles.rbac.authorization.k8s.io', 'verbs: ["get", "list"]', 'verbs: ["get", "list", "watch"]'],
      ['priorityclasses.scheduling.k8s.io', 'description: High priority services', 'description: Higher'],
    ];
    const docs = edits.map(([r, from, to]) => {
      const y = pick(r);
      assert.ok(y.includes(from), `${r} manifest lacks ${from}`);
      return y.replace(from, to);
    });
    const out = ok(['replace', '-f', '-'], docs.join('---\n'));
    assert.equal(out.trim().split('\n').filter((l) => l.endsWith(' replaced')).length, edits.length, out);
    assert.equal(ok(['get', 'cm', 'web-config', '-n', NS, '-o', 'jsonpath={.data.mode}']), 'staging');
    const svc = JSON.parse(ok(['get', 'svc', 'web', '-n', NS, '-o', 'json']));
    assert.equal(svc.spec.ports[0].port, 8080);
    assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/, 'replace keeps the allocated clusterIP');
    assert.equal(ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']), '3 2');
    assert.equal(ok(['get', 'cronjob', 'nightly', '-n', NS, '-o', 'jsonpath={.spec.schedule}']), '30 4 * * *');
    assert.equal(ok(['get', 'pc', `high-${SFX}`, '-o', 'jsonpath={.description}']), 'Higher');
    // A PUT carrying a changed immutable field is refused as upstream.
    const immutable = pick('priorityclasses.scheduling.k8s.io').replace('value: 100000', 'value: 5');
    const r = k(['replace', '-f', '-'], immutable);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Forbidden: may not be changed in an update/);
  });

  test('delete -f of the whole file deletes every object', () => {
    // Everything but the Namespace first: deleting the Namespace starts the namespace controller, which
    // would race kubectl for the objects inside it (they would answer NotFound, as upstream).
    const rest = cases.filter((c) => c.resource !== 'namespaces');
    const out = ok(['delete', '-f', '-', '--wait=false'], allTypesYaml(rest));
    const lines = out.trim().split('\n');
    assert.equal(lines.filter((l) => l.endsWith(' deleted')).length, rest.length, out);
    ok(['delete', 'namespace', NS, '--wait=false']);
    for (const cs of groups()) {
      // Only objects with graceful deletion or finalizers may linger, and then only as terminating.
      const left = JSON.parse(ok(['get', ...refs(cs), '--ignore-not-found', '-o', 'json'])).items as KubeObject[];
      for (const obj of left) {
        assert.ok(obj.metadata?.deletionTimestamp, `${obj.kind}/${obj.metadata?.name} still exists without a deletionTimestamp`);
        assert.ok(['Namespace', 'Pod'].includes(obj.kind ?? ''), `${obj.kind}/${obj.metadata?.name} lingers`);
      }
    }
    // The namespace controller empties the namespace and then removes it; until then it is Terminating.
    const ns = k(['get', 'ns', NS, '--ignore-not-found']);
    assert.equal(ns.code, 0, ns.stderr);
    if (ns.stdout.trim()) assert.match(ns.stdout, new RegExp(`\\n${NS}\\s+Terminating\\s`));
  });
});
