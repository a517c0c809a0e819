// The proxy loop over a fake API and a fake command runner: the first sync routes the service CIDR
// unreachable before writing rules, writes one iptables-restore batch and inserts the jumps once;
// a burst of changes becomes one sync; an unchanged state writes nothing; a deleted Service's chains
// are deleted in the next batch; stop() removes jumps, chains and the route. In mode 'nftables' the same
// loop writes nft transactions into its own table and no iptables at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { InformerFactory } from '../client/informer-factory.js';
import type { Exec, ExecResult } from './exec.js';
import { FakeListerWatcher } from './fake-lister-watcher.js';
import { startProxy } from './proxier.js';

const SVC = { group: '', resource: 'services' };
const EPS = { group: 'discovery.k8s.io', resource: 'endpointslices' };

function service(name: string, ip: string): Service {
  return { metadata: { namespace: 'default', name }, spec: { clusterIP: ip, ports: [{ port: 80, protocol: 'TCP' }] } };
}
function endpointSlice(name: string, ips: string[]): EndpointSlice {
  return {
    metadata: { namespace: 'default', name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  };
}

/** Records commands; iptables -C fails until the same rule was inserted with -I. */
function fakeExec() {
  const calls: Array<{ argv: string[]; stdin?: string }> = [];
  const inserted = new Set<string>();
  const exec: Exec = async (argv, opts = {}) => {
    calls.push({ argv: [...argv], stdin: opts.stdin });
    const ok: ExecResult = { stdout: '', stderr: '', exitCode: 0 };
    const op = argv.findIndex((a) => a === '-C' || a === '-I' || a === '-D');
    if (argv[0] === 'iptables' && op >= 0) {
      const rest = [...argv.slice(0, op), ...argv.slice(argv[op] === '-I' ? op + 3 : op + 2)];
      const key = `${argv[op + 1]} ${rest.join(' ')}`;
      if (argv[op] === '-I') inserted.add(key);
      else if (!inserted.has(key)) return { ...ok, exitCode: 1 };
      else if (argv[op] === '-D') inserted.delete(key);
    }
    return ok;
  };
  return { exec, calls, inserted, restores: () => calls.filter((c) => c.argv[0] === 'iptables-restore') };
}

test('proxy loop: one batch per change, none when unchanged, stale chains and everything removed on stop', async () => {
  const api = new FakeListerWatcher();
  api.put(SVC, service('web', '10.43.0.20'));
  api.put(EPS, endpointSlice('web', ['10.42.0.2', '10.42.0.3']));
  const informers = new InformerFactory(api);
  const fx = fakeExec();
  const proxy = await startProxy(informers, { nodeName: 'n1', nodeIPs: [], exec: fx.exec, minSyncIntervalMs: 20, serviceRoute: 'unreachable' });
  assert.deepEqual(fx.calls[0]!.argv, ['ip', 'route', 'replace', 'unreachable', '10.43.0.0/16'], 'route before any rule');
  informers.start();
  await proxy.synced;
  await proxy.idle();
  assert.equal(fx.restores().length, 1);
  assert.deepEqual(fx.restores()[0]!.argv, ['iptables-restore', '-w', '5', '--noflush']);
  assert.match(fx.restores()[0]!.stdin!, /DNAT --to-destination 10\.42\.0\.3:8080/);
  assert.equal(fx.inserted.size, 8, 'every jump inserted once');
  assert.equal(proxy.metrics.syncs, 1);
  assert.equal(proxy.metrics.syncDurationsMs.length, 1);

  // A burst of five changes is coalesced into (at most) two syncs; the last state wins.
  for (let i = 4; i < 9; i++) api.put(EPS, endpointSlice('web', ['10.42.0.2', `10.42.0.${i}`]));
  await new Promise((r) => setTimeout(r, 5));
  await proxy.idle();
  assert.ok(fx.restores().length <= 3, `burst gave ${fx.restores().length - 1} syncs`);
  assert.match(fx.restores().at(-1)!.stdin!, /10\.42\.0\.8:8080/);
  assert.equal(fx.inserted.size, 8, 'jumps are not duplicated');

  // An update that changes nothing the rules depend on writes nothing.
  const before = proxy.metrics.syncs;
  api.put(SVC, { ...service('web', '10.43.0.20'), metadata: { namespace: 'default', name: 'web', labels: { touched: 'yes' } } });
  await new Promise((r) => setTimeout(r, 5));
  await proxy.idle();
  assert.equal(proxy.metrics.syncs, before);

  // Deleting the service deletes its chains in the next batch.
  api.remove(SVC, 'default', 'web');
  await new Promise((r) => setTimeout(r, 5));
  await proxy.idle();
  const last = fx.restores().at(-1)!.stdin!;
  assert.match(last, /^-X KUBE-SVC-[A-Z2-7]{16}$/m);
  assert.match(last, /^-X KUBE-SEP-[A-Z2-7]{16}$/m);
  assert.doesNotMatch(last, /^-A KUBE-SVC-/m);

  await proxy.stop();
  informers.stop();
  assert.equal(fx.inserted.size, 0, 'jumps removed');
  const cleanup = fx.restores().at(-1)!.stdin!;
  assert.match(cleanup, /^-X KUBE-SERVICES$/m);
  assert.match(cleanup, /^-X KUBE-POSTROUTING$/m);
  assert.ok(fx.calls.some((c) => c.argv.join(' ') === 'ip route del unreachable 10.43.0.0/16'));
});

test("mode 'nftables': nft transactions into the named table, never iptables; stop() deletes the table", async () => {
  const api = new FakeListerWatcher();
  api.put(SVC, service('web', '10.43.0.20'));
  api.put(EPS, endpointSlice('web', ['10.42.0.2']));
  const informers = new InformerFactory(api);
  const fx = fakeExec();
  const proxy = await startProxy(informers, { mode: 'nftables', nftTable: 'skt-t', nodeName: 'n1', nodeIPs: [], exec: fx.exec, minSyncIntervalMs: 20, serviceRoute: 'unreachable' });
  assert.deepEqual(fx.calls[0]!.argv, ['ip', 'route', 'replace', 'unreachable', '10.43.0.0/16'], 'route before any rule');
  informers.start();
  await proxy.synced;
  await proxy.idle();
  api.put(EPS, endpointSlice('web', ['10.42.0.2', '10.42.0.3']));
  await new Promise((r) => setTimeout(r, 5));
  await proxy.idle();
  const nft = fx.calls.filter((c) => c.argv[0] === 'nft');
  assert.equal(nft.length, 2);
  assert.match(nft[0]!.stdin!, /^table ip skt-t \{ \}\ndelete table ip skt-t\ntable ip skt-t \{/);
  assert.match(nft[1]!.stdin!, /^flush table ip skt-t\n/);
  assert.match(nft[1]!.stdin!, /numgen random mod 2 0 goto endpoint-/);
  await proxy.stop();
  informers.stop();
  assert.equal(fx.calls.at(-4)!.stdin, 'table ip skt-t { }\ndelete table ip skt-t\n');
  assert.equal(fx.calls.some((c) => c.argv[0].startsWith('iptables')), false);
});
