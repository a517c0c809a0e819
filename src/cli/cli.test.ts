// Tests for the CLI: server flag parsing, data dir defaults, kubectl lookup and pass-through (real
// kubectl, `config` subcommands only, so no server is needed), help/version/unknown-command exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseServerFlags, parseSimFlags, servingHosts } from './flags.js';
import { defaultDataDir } from './data-dir.js';
import { findKubectl, splitDataDir } from './kubectl.js';
import { ensurePki, writeKubeconfig } from '../apiserver/pki/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../../../..');
const skiff = (args: string[]) =>
  spawnSync(process.execPath, [join(REPO, 'bin/skiff'), ...args], { encoding: 'utf8', env: { ...process.env, HOME: tmpdir() } });

test('server flags: defaults and explicit values', () => {
  const d = parseServerFlags(['--data-dir', '/x/y']);
  assert.deepEqual(d, {
    dataDir: '/x/y', port: 6443, bindAddress: '127.0.0.1', storage: 'sqlite:///x/y/state.db', tlsSans: [],
    simNodes: 0, disableScheduler: false, disableControllerManager: false, schedulerConfig: undefined, nodeMonitorGracePeriodMs: undefined, nodeMonitorPeriodMs: undefined,
    disableAgent: false,
    agent: {
      nodeName: undefined, nodeIP: undefined, podCIDR: undefined, clusterCIDR: '10.42.0.0/16', clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local',
      registries: undefined, disableDefaultRegistryEndpoint: false, kubeletPort: 10250,
      serviceCIDR: '10.43.0.0/16', flannelBackend: 'host-gw', disableKubeProxy: false, proxyMode: 'iptables', disableClusterDNS: false, dnsUpstreams: undefined, dnsPort: 53,
    },
    disableIngress: false, ingressHttpPort: 80, ingressHttpsPort: 443,
  });
  const e = parseServerFlags([
    '--data-dir=rel', '--https-port', '0', '--bind-address', '0.0.0.0', '--storage', 'sqlite:///tmp/s.db', '--tls-san', 'a.test', '--tls-san', '192.0.2.1',
  ]);
  assert.notEqual(e, 'help');
  if (e === 'help') return;
  assert.equal(e.dataDir, resolve('rel'));
  assert.equal(e.port, 0);
  assert.equal(e.bindAddress, '0.0.0.0');
  assert.equal(e.storage, 'sqlite:///tmp/s.db');
  assert.deepEqual(e.tlsSans, ['a.test', '192.0.2.1']);
  assert.equal(parseServerFlags(['-h']), 'help');
  assert.throws(() => parseServerFlags(['--https-port', '70000']), /invalid --https-port/);
  assert.throws(() => parseServerFlags(['--bogus']), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  const c = parseServerFlags(['--sim-nodes', '5', '--node-monitor-grace-period', '4s', '--node-monitor-period', '500ms', '--disable-scheduler']);
  assert.notEqual(c, 'help');
  if (c === 'help') return;
  assert.deepEqual([c.simNodes, c.nodeMonitorGracePeriodMs, c.nodeMonitorPeriodMs, c.disableScheduler], [5, 4000, 500, true]);
  assert.throws(() => parseServerFlags(['--sim-nodes=-1']), /invalid --sim-nodes/);
  assert.throws(() => parseServerFlags(['--node-monitor-grace-period', 'soon']), /invalid --node-monitor-grace-period: soon/);
});

test('sim flags: node count and where the cluster is', () => {
  const s = parseSimFlags(['--nodes', '3', '--kubeconfig', '/k.yaml', '--name-prefix', 'edge-']);
  assert.deepEqual(s, { nodes: 3, kubeconfig: '/k.yaml', namePrefix: 'edge-' });
  assert.throws(() => parseSimFlags(['--nodes', '0']), /invalid --nodes/);
});

test('servingHosts expands wildcard binds to local addresses', () => {
  assert.deepEqual(servingHosts('127.0.0.1', ['a.test']), ['127.0.0.1', 'a.test']);
  assert.ok(servingHosts('0.0.0.0', []).includes('127.0.0.1'));
});

test('default data dir', () => {
  assert.equal(defaultDataDir({ SKIFF_DATA_DIR: '/srv/skiff' }), '/srv/skiff');
  const want = process.getuid?.() === 0 ? '/var/lib/skiff' : join(homedir(), '.skiff');
  assert.equal(defaultDataDir({}), want);
});

test('splitDataDir takes only a leading --data-dir', () => {
  assert.deepEqual(splitDataDir(['--data-dir', 'd', 'get', 'ns']), { dataDir: 'd', rest: ['get', 'ns'] });
  assert.deepEqual(splitDataDir(['--data-dir=d', 'get']), { dataDir: 'd', rest: ['get'] });
  assert.deepEqual(splitDataDir(['get', '--data-dir', 'd']), { rest: ['get', '--data-dir', 'd'] });
});

test('findKubectl prefers /usr/bin/kubectl, else PATH', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-path-'));
  try {
    const fake = join(dir, 'kubectl');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    const found = findKubectl({ PATH: dir });
    assert.equal(found, existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : fake);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('skiff kubectl passes args, output and exit code through with the data dir kubeconfig', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
  try {
    const pki = await ensurePki(dir, { hosts: [] });
    writeKubeconfig(join(dir, 'kubeconfig.yaml'), { server: 'https://127.0.0.1:1', caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
    const ok = skiff(['kubectl', '--data-dir', dir, 'config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, 'https://127.0.0.1:1');
    const bad = skiff(['kubectl', '--data-dir', dir, 'config', 'use-context', 'nope']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /no context exists with the name: "nope"/);
    const missing = skiff(['kubectl', '--data-dir', join(dir, 'none'), 'get', 'ns']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /kubeconfig\.yaml does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('help, version and usage errors', () => {
  const table: Array<[string[], number, RegExp]> = [
    [['--help'], 0, /skiff server \[flags\]/],
    [['help', 'server'], 0, /--https-port PORT/],
    [['server', '--help'], 0, /--bind-address ADDR/],
    [['version'], 0, /^skiff v\d+\.\d+\.\d+ \(node v/],
    [['bogus'], 2, /unknown command "bogus"/],
    [['server', '--bogus'], 2, /Unknown option '--bogus'/],
  ];
  for (const [args, code, pattern] of table) {
    const r = skiff(args);
    assert.equal(r.status, code, args.join(' '));
    assert.match(r.stdout + r.stderr, pattern, args.join(' '));
  }
});
