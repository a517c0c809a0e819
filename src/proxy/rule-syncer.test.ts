// Partial syncs against a fake command runner: what each iptables-restore input declares, fills and
// deletes. The first sync writes every chain; a change to one service's endpoints writes only that
// service's chains plus the top-level ones; an unchanged state writes nothing; a deleted service's
// chains are flushed and deleted; after a failed restore, and once the full-sync period has passed,
// the next sync writes everything again. Also: the partial input applied over the previous kernel
// state gives exactly the full ruleset (simulated with a tiny in-memory iptables-restore).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { chainNames } from './chain-names.js';
import type { Exec } from './exec.js';
import { buildRules } from './rules.js';
import { RuleSyncer, type RuleSyncerOptions } from './rule-syncer.js';
import type { ProxyState } from './service-port.js';

const N = chainNames('KUBE');
const ruleOpts = { nodeName: 'n1', nodeIPs: [], serviceCIDR: '10.43.0.0/16', clusterCIDR: '10.42.0.0/16' };
const TOP = ['nat/KUBE-SERVICES', 'nat/KUBE-NODEPORTS', 'nat/KUBE-POSTROUTING', 'nat/KUBE-MARK-MASQ', 'filter/KUBE-SERVICES', 'filter/KUBE-EXTERNAL-SERVICES', 'filter/KUBE-FORWARD'];

function service(name: string, ip: string): Service {
  return { metadata: { namespace: 'default', name }, spec: { clusterIP: ip, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
}
function slice(name: string, ips: string[]): EndpointSlice {
  return {
    metadata: { namespace: 'default', name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  };
}
/** Services a, b, c with two endpoints each; `bIPs` replaces b's. */
function state(bIPs = ['10.42.0.4', '10.42.0.5'], names = ['a', 'b', 'c']): ProxyState {
  const ips: Record<string, string[]> = { a: ['10.42.0.2', '10.42.0.3'], b: bIPs, c: ['10.42.0.6', '10.42.0.7'] };
  return {
    services: names.map((n) => service(n, `10.43.0.${20 + n.charCodeAt(0) - 97}`)),
    endpointSlices: names.map((n) => slice(n, ips[n]!)),
  };
}

/** What one restore input does, per "table/chain". */
function parse(input: string) {
  const declared = new Set<string>();
  const filled = new Set<string>();
  const deleted = new Set<string>();
  let table = '';
  for (const line of input.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(':')) declared.add(`${table}/${line.slice(1).split(' ')[0]}`);
    else if (line.startsWith('-A ')) filled.add(`${table}/${line.split(' ')[1]}`);
    else if (line.startsWith('-X ')) deleted.add(`${table}/${line.slice(3)}`);
  }
  return { declared, filled, deleted };
}

/**
 * A fake runner holding a miniature kernel: iptables-restore --noflush flushes each declared chain,
 * appends, deletes; `failNext` makes the next restore fail without applying anything.
 */
function fakeKernel() {
  const chains = new Map<string, string[]>();
  const restores: string[] = [];
  let failNext = false;
  const exec: Exec = async (argv, opts = {}) => {
    const ok = { stdout: '', stderr: '', exitCode: 0 };
    if (argv[0] === 'iptables-restore') {
      restores.push(opts.stdin ?? '');
      if (failNext) {
        failNext = false;
        throw new Error('iptables-restore: line 3 failed');
      }
      let table = '';
      for (const line of (opts.stdin ?? '').split('\n')) {
        if (line.startsWith('*')) table = line.slice(1);
        else if (line.startsWith(':')) chains.set(`${table}/${line.slice(1).split(' ')[0]}`, []);
        else if (line.startsWith('-A ')) chains.get(`${table}/${line.split(' ')[1]}`)!.push(line);
        else if (line.startsWith('-X ')) chains.delete(`${table}/${line.slice(3)}`);
      }
    }
    if (argv[0] === 'iptables-save') {
      const table = argv[2];
      const own = [...chains.keys()].filter((k) => k.startsWith(`${table}/`)).map((k) => `:${k.slice(table!.length + 1)} - [0:0]`);
      return { ...ok, stdout: [`*${table}`, ...own, 'COMMIT'].join('\n') };
    }
    return ok;
  };
  /** The kernel rendered like buildRules output, for comparison. */
  const dump = () => [...chains].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}\n${v.join('\n')}`).join('\n');
  return { exec, restores, chains, dump, failNext: () => (failNext = true) };
}

/** The kernel a full ruleset alone produces, in fakeKernel's dump format. */
function expectedDump(s: ProxyState): string {
  const k = fakeKernel();
  void k.exec(['iptables-restore'], { stdin: buildRules(s, ruleOpts) });
  return k.dump();
}

async function newSyncer(extra: Partial<RuleSyncerOptions> = {}) {
  const kernel = fakeKernel();
  const syncer = new RuleSyncer({ ...ruleOpts, serviceRoute: 'unreachable', exec: kernel.exec, ...extra });
  await syncer.init();
  return { kernel, syncer };
}

const bChains = (ips: string[]) => ['nat/' + N.svc('default/b:http', 'tcp'), ...ips.map((ip) => 'nat/' + N.sep('default/b:http', 'tcp', `${ip}:8080`))];

describe('RuleSyncer partial syncs', () => {
  test('first sync is full; one endpoint change writes only that service and the top level', async () => {
    const { kernel, syncer } = await newSyncer();
    assert.equal(await syncer.sync(state()), true);
    const first = parse(kernel.restores[0]!);
    assert.equal(first.declared.size, 7 + 3 * 3, 'top level + SVC and 2 SEP per service');
    assert.deepEqual(syncer.lastSync, { full: true, chainsWritten: 16, chainsDeleted: 0 });

    // b's endpoint 10.42.0.5 → 10.42.0.9: b's SVC is rewritten, its new SEP created, the old one deleted.
    assert.equal(await syncer.sync(state(['10.42.0.4', '10.42.0.9'])), true);
    const second = parse(kernel.restores[1]!);
    const [svcB, sep4, sep5] = bChains(['10.42.0.4', '10.42.0.5']);
    const sep9 = bChains(['10.42.0.9'])[1]!;
    assert.deepEqual([...second.filled].sort(), [...TOP.filter((c) => c !== 'filter/KUBE-EXTERNAL-SERVICES' && c !== 'nat/KUBE-NODEPORTS'), svcB!, sep9].sort());
    assert.deepEqual([...second.declared].sort(), [...TOP, svcB!, sep9, sep5!].sort(), 'every chain written or deleted is declared');
    assert.deepEqual([...second.deleted], [sep5]);
    assert.ok(!second.declared.has(sep4!), 'the unchanged endpoint chain is left alone');
    assert.doesNotMatch(kernel.restores[1]!, /default\/a:http -> |default\/c:http -> /, 'other services are not mentioned');
    assert.deepEqual(syncer.lastSync, { full: false, chainsWritten: 9, chainsDeleted: 1 });
    assert.equal(kernel.dump(), expectedDump(state(['10.42.0.4', '10.42.0.9'])), 'kernel equals a full write');
  });

  test('an unchanged state writes nothing', async () => {
    const { kernel, syncer } = await newSyncer();
    await syncer.sync(state());
    assert.equal(await syncer.sync(state()), false);
    assert.equal(await syncer.sync(state(), true), false);
    assert.equal(kernel.restores.length, 1);
  });

  test("a deleted service's chains are flushed and deleted in the same input", async () => {
    const { kernel, syncer } = await newSyncer();
    await syncer.sync(state());
    await syncer.sync(state(undefined, ['a', 'c']));
    const p = parse(kernel.restores[1]!);
    const gone = bChains(['10.42.0.4', '10.42.0.5']);
    assert.deepEqual([...p.deleted].sort(), [...gone].sort());
    for (const c of gone) assert.ok(p.declared.has(c) && !p.filled.has(c), c);
    assert.deepEqual([...p.filled].filter((c) => !TOP.includes(c)), [], 'a and c are not rewritten');
    assert.equal(kernel.dump(), expectedDump(state(undefined, ['a', 'c'])));
  });

  test('after a failed restore the next sync is full', async () => {
    const { kernel, syncer } = await newSyncer();
    await syncer.sync(state());
    kernel.failNext();
    await assert.rejects(syncer.sync(state(['10.42.0.4', '10.42.0.9'])), /line 3 failed/);
    // Someone deleted a's chains meanwhile: only a full sync brings them back.
    kernel.chains.delete('nat/' + N.svc('default/a:http', 'tcp'));
    assert.equal(await syncer.sync(state(['10.42.0.4', '10.42.0.9'])), true);
    const p = parse(kernel.restores.at(-1)!);
    assert.equal(syncer.lastSync?.full, true);
    assert.equal(p.filled.size, 7 - 2 + 3 * 3, 'every non-empty chain filled');
    assert.deepEqual([...p.deleted], [bChains(['10.42.0.5'])[1]], 'the stale chain is still deleted');
    assert.equal(kernel.dump(), expectedDump(state(['10.42.0.4', '10.42.0.9'])));
  });

  test('a full sync is forced once the full-sync period has passed, even without changes', async () => {
    let now = 1_000_000;
    const { kernel, syncer } = await newSyncer({ fullSyncPeriodMs: 60_000, now: () => now });
    await syncer.sync(state());
    now += 30_000;
    assert.equal(await syncer.sync(state()), false);
    now += 30_000;
    assert.equal(await syncer.sync(state()), true);
    assert.equal(syncer.lastSync?.full, true);
    assert.equal(parse(kernel.restores.at(-1)!).declared.size, 16);
    assert.equal(await syncer.sync(state()), false, 'and then the period starts again');
  });

  test('chains left by an earlier run are deleted by the first sync', async () => {
    const kernel = fakeKernel();
    await kernel.exec(['iptables-restore'], { stdin: '*nat\n:KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]\n-A KUBE-SVC-AAAAAAAAAAAAAAAA -j KUBE-MARK-MASQ\nCOMMIT\n' });
    const syncer = new RuleSyncer({ ...ruleOpts, serviceRoute: 'unreachable', exec: kernel.exec });
    await syncer.init();
    await syncer.sync(state());
    assert.deepEqual([...parse(kernel.restores.at(-1)!).deleted], ['nat/KUBE-SVC-AAAAAAAAAAAAAAAA']);
    assert.equal(kernel.dump(), expectedDump(state()));
  });

  test('crossing the comment-free threshold rewrites every endpoint chain', async () => {
    const { kernel, syncer } = await newSyncer();
    const many = (n: number) => Array.from({ length: n }, (_, i) => `10.42.${4 + (i >> 8)}.${i & 255}`);
    await syncer.sync(state(many(990)));
    await syncer.sync(state(many(1000)));
    assert.doesNotMatch(kernel.restores.at(-1)!, /-A KUBE-SEP-\S+ -m comment/, 'no comments above 1,000 endpoints');
    assert.ok(parse(kernel.restores.at(-1)!).filled.has('nat/' + N.sep('default/a:http', 'tcp', '10.42.0.2:8080')), "a's endpoints lose their comments too");
    assert.equal(kernel.dump(), expectedDump(state(many(1000))));
  });
});
