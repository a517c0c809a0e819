// Restarting the server (cleanly, and with kill -9) keeps every committed object, and a watch resumed
// from the last resourceVersion it saw receives exactly the events it missed — no more, no fewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';
import { rawRequest, openWatch } from './raw-client.js';
import * as m from './manifests.js';

const CMS = '/api/v1/namespaces/default/configmaps';

// The root CA publisher writes kube-root-ca.crt into every namespace at some point; not ours to count.
const ROOT_CA = 'kube-root-ca.crt';
const ours = <E extends { object: { metadata?: { name?: string } } }>(events: E[]) => events.filter((e) => e.object.metadata?.name !== ROOT_CA);

test('restart keeps objects; a resumed watch gets exactly the missed events', async () => {
  const s = await SkiffServer.start();
  const k = (args: string[], input?: string) => {
    const r = s.kubectlSync(args, { input });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  try {
    for (let i = 0; i < 5; i++) k(['create', '-f', '-'], m.configMap('default', `keep-${i}`, String(i)));
    const list = JSON.parse((await rawRequest(s, 'GET', CMS)).body);
    const listRv = list.metadata.resourceVersion as string;

    // A watcher sees two more writes, then goes away.
    const w1 = openWatch(s, `${CMS}?watch=true&resourceVersion=${listRv}`);
    assert.equal(await w1.status, 200);
    k(['create', '-f', '-'], m.configMap('default', 'seen-1', 'a'));
    k(['annotate', 'cm', 'seen-1', 'x=1']);
    await waitFor(() => ours(w1.events).length === 2, 10_000, 'two events');
    w1.close();
    const lastRv = ours(w1.events)[1]!.object.metadata!.resourceVersion!;

    // Writes it misses: a create, an update, a delete — then a clean restart and a kill -9 restart.
    k(['create', '-f', '-'], m.configMap('default', 'missed', 'b'));
    k(['label', 'cm', 'missed', 'y=2']);
    k(['delete', 'cm', 'keep-0']);
    assert.equal(await s.stop(), 0, 'clean shutdown exits 0');
    await s.boot();
    k(['annotate', 'cm', 'keep-1', 'after=restart']);
    s.proc!.kill('SIGKILL');
    await new Promise((r) => s.proc!.once('exit', r));
    await s.boot();

    const names = k(['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').filter((n) => n !== ROOT_CA).sort();
    assert.deepEqual(names, ['keep-1', 'keep-2', 'keep-3', 'keep-4', 'missed', 'seen-1']);
    assert.equal(k(['get', 'cm', 'keep-1', '-o', 'jsonpath={.metadata.annotations.after}']), 'restart');

    const w2 = openWatch(s, `${CMS}?watch=true&resourceVersion=${lastRv}`);
    assert.equal(await w2.status, 200);
    await waitFor(() => ours(w2.events).length >= 4, 10_000, 'missed events');
    await new Promise((r) => setTimeout(r, 500));
    w2.close();
    assert.deepEqual(
      ours(w2.events).map((e) => `${e.type} ${e.object.metadata!.name}`),
      ['ADDED missed', 'MODIFIED missed', 'DELETED keep-0', 'MODIFIED keep-1'],
    );
    const rvs = ours(w2.events).map((e) => Number(e.object.metadata!.resourceVersion));
    assert.deepEqual([...rvs].sort((a, b) => a - b), rvs, 'events arrive in revision order');
  } finally {
    await s.destroy();
  }
});
