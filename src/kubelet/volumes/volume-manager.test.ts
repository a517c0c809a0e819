// VolumeManager against a temp pods dir: every supported source, in-place updates, a real tmpfs
// mount (root required) and tearDown leaving host paths alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Volume } from 'kubernetes-types/core/v1.js';
import type { ObjectSource } from '../pod/object-source.js';
import { VolumeError } from './errors.js';
import { mountPointsUnder, unmount } from './mounts.js';
import { VolumeManager } from './volume-manager.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-vm-'));
const podsDir = join(root, 'agent/pods');
test.after(async () => {
  for (const m of mountPointsUnder(root)) await unmount(m);
  rmSync(root, { recursive: true, force: true });
});
const hostDir = join(root, 'host');
mkdirSync(hostDir);
writeFileSync(join(hostDir, 'keep'), 'host data');
const pvDir = join(root, 'pv');
mkdirSync(pvDir);

const cms = new Map<string, ConfigMap>([['cfg', { metadata: { name: 'cfg', namespace: 'ns' }, data: { 'app.conf': 'v1', other: 'o' } }]]);
const secrets = new Map<string, Secret>([['sec', { metadata: { name: 'sec', namespace: 'ns' }, data: { pw: Buffer.from('hunter2').toString('base64') } }]]);
const pvcs = new Map<string, PersistentVolumeClaim>([
  ['claim', { metadata: { name: 'claim', namespace: 'ns', uid: 'c1' }, spec: { volumeName: 'pv1' }, status: { phase: 'Bound' } }],
  ['pending', { metadata: { name: 'pending', namespace: 'ns' }, status: { phase: 'Pending' } }],
]);
const pvs = new Map<string, PersistentVolume>([['pv1', { metadata: { name: 'pv1' }, spec: { hostPath: { path: pvDir }, claimRef: { uid: 'c1' } } }]]);
const source: ObjectSource = {
  getConfigMap: async (ns, n) => (ns === 'ns' ? cms.get(n) : undefined),
  getSecret: async (ns, n) => (ns === 'ns' ? secrets.get(n) : undefined),
  getPersistentVolumeClaim: async (ns, n) => (ns === 'ns' ? pvcs.get(n) : undefined),
  getPersistentVolume: async (n) => pvs.get(n),
};
const vm = new VolumeManager({ podsDir, source, nodeAllocatable: { cpu: '2', memory: '2Gi' } });
const mkPod = (uid: string, volumes: Volume[]): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid, labels: { app: 'x' } },
  spec: { containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } } }], volumes },
});

test('sets up every supported source and updates projections in place', async () => {
  const pod = mkPod('uid-a', [
    { name: 'scratch', emptyDir: {} },
    { name: 'host', hostPath: { path: hostDir, type: 'Directory' } },
    { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }] } },
    { name: 'allcfg', configMap: { name: 'cfg', defaultMode: 0o640 } },
    { name: 'sec', secret: { secretName: 'sec' } },
    { name: 'optcfg', configMap: { name: 'missing', optional: true } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } },
    { name: 'proj', projected: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'other', path: 'o' }] } }, { secret: { name: 'sec' } }, { serviceAccountToken: { path: 'token' } }] } },
    { name: 'data', persistentVolumeClaim: { claimName: 'claim' } },
  ]);
  const vols = await vm.setUp(pod);
  const base = join(podsDir, 'uid-a/volumes');
  assert.deepEqual(vols.get('scratch'), { hostPath: join(base, 'kubernetes.io~empty-dir/scratch') });
  assert.equal(statSync(vols.get('scratch')!.hostPath).mode & 0o777, 0o777);
  assert.deepEqual(vols.get('host'), { hostPath: hostDir });
  assert.deepEqual(vols.get('data'), { hostPath: pvDir, readOnly: false });
  const cfg = vols.get('cfg')!;
  assert.deepEqual(cfg, { hostPath: join(base, 'kubernetes.io~configmap/cfg'), readOnly: true });
  assert.equal(readFileSync(join(cfg.hostPath, 'conf/app.conf'), 'utf8'), 'v1');
  assert.equal(statSync(join(cfg.hostPath, 'conf/app.conf')).mode & 0o777, 0o600);
  assert.ok(!existsSync(join(cfg.hostPath, 'other')));
  const all = vols.get('allcfg')!.hostPath;
  assert.equal(readFileSync(join(all, 'other'), 'utf8'), 'o');
  assert.equal(statSync(join(all, 'app.conf')).mode & 0o777, 0o640);
  assert.equal(readFileSync(join(vols.get('sec')!.hostPath, 'pw'), 'utf8'), 'hunter2');
  assert.equal(statSync(join(vols.get('sec')!.hostPath, 'pw')).mode & 0o777, 0o644);
  assert.equal(vols.get('sec')!.hostPath, join(base, 'kubernetes.io~secret/sec'));
  const mounted = mountPointsUnder(join(podsDir, 'uid-a'));
  assert.deepEqual(mounted.sort(), [vols.get('sec')!.hostPath, vols.get('proj')!.hostPath].sort(), 'secret and projected volumes are tmpfs mounts, nothing else');
  assert.equal(statfsSync(vols.get('sec')!.hostPath).blocks * statfsSync(vols.get('sec')!.hostPath).bsize, 64 * 1024 * 1024, 'sized by the pod memory limit');
  const info = vols.get('info')!.hostPath;
  assert.equal(readFileSync(join(info, 'labels'), 'utf8'), 'app="x"');
  assert.equal(readFileSync(join(info, 'mem'), 'utf8'), '64');
  const proj = vols.get('proj')!.hostPath;
  assert.equal(readFileSync(join(proj, 'o'), 'utf8'), 'o');
  assert.equal(readFileSync(join(proj, 'pw'), 'utf8'), 'hunter2');
  assert.ok(!existsSync(join(proj, 'token')), 'no token API yet: nothing written');

  // Update: change the ConfigMap; only volumes that read the changed key report an update.
  const before = readlinkSync(join(all, '..data'));
  assert.deepEqual(await vm.update(pod), { updated: [], errors: [] });
  cms.set('cfg', { metadata: { name: 'cfg', namespace: 'ns' }, data: { 'app.conf': 'v2', other: 'o' } });
  const res = await vm.update(pod);
  assert.deepEqual(res.updated.sort(), ['allcfg', 'cfg']);
  assert.equal(readFileSync(join(cfg.hostPath, 'conf/app.conf'), 'utf8'), 'v2');
  assert.notEqual(readlinkSync(join(all, '..data')), before);
  // A deleted object keeps the old contents and reports the error.
  cms.delete('cfg');
  const res2 = await vm.update(pod);
  assert.deepEqual(res2.errors.map((e) => e.message), ['configmap "cfg" not found', 'configmap "cfg" not found', 'configmap "cfg" not found']);
  assert.equal(readFileSync(join(cfg.hostPath, 'conf/app.conf'), 'utf8'), 'v2');
  cms.set('cfg', { metadata: { name: 'cfg', namespace: 'ns' }, data: { 'app.conf': 'v2', other: 'o' } });

  assert.deepEqual(await vm.listPodDirs(), ['uid-a']);
  await vm.tearDown('uid-a');
  assert.deepEqual(mountPointsUnder(join(podsDir, 'uid-a')), []);
  assert.ok(!existsSync(join(podsDir, 'uid-a')));
  assert.equal(readFileSync(join(hostDir, 'keep'), 'utf8'), 'host data');
  assert.ok(existsSync(pvDir));
  assert.deepEqual(await vm.listPodDirs(), []);
});

test('emptyDir medium Memory is a real tmpfs of sizeLimit, unmounted by tearDown', async () => {
  const pod = mkPod('uid-mem', [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }, { name: 'podsized', emptyDir: { medium: 'Memory' } }]);
  const vols = await vm.setUp(pod);
  await vm.setUp(pod); // idempotent: no second mount
  const shm = vols.get('shm')!.hostPath;
  assert.deepEqual(mountPointsUnder(join(podsDir, 'uid-mem')).sort(), [shm, vols.get('podsized')!.hostPath].sort());
  const st = statfsSync(shm);
  assert.equal(st.blocks * st.bsize, 8 * 1024 * 1024);
  const st2 = statfsSync(vols.get('podsized')!.hostPath);
  assert.equal(st2.blocks * st2.bsize, 64 * 1024 * 1024, 'defaults to the pod memory limit');
  writeFileSync(join(shm, 'x'), 'in memory');
  await vm.tearDown('uid-mem');
  assert.deepEqual(mountPointsUnder(join(podsDir, 'uid-mem')), []);
  assert.ok(!existsSync(join(podsDir, 'uid-mem')));
});

test('errors: unsupported source, missing objects and keys, unbound PVC, hostPath type', async () => {
  const cases: Array<[Volume, string, string]> = [
    [{ name: 'n', nfs: { server: 's', path: '/' } }, 'UnsupportedVolumeType', 'unsupported volume type for volume "n"'],
    [{ name: 'c', configMap: { name: 'nope' } }, 'ConfigMapNotFound', 'configmap "nope" not found'],
    [{ name: 'c', configMap: { name: 'cfg', items: [{ key: 'zz', path: 'z' }] } }, 'KeyNotFound', 'configmap references non-existent config key: zz'],
    [{ name: 's', secret: { secretName: 'nope' } }, 'SecretNotFound', 'secret "nope" not found'],
    [{ name: 's', secret: { secretName: 'sec', items: [{ key: 'zz', path: 'z' }] } }, 'KeyNotFound', 'secret references non-existent secret key: zz'],
    [{ name: 'd', persistentVolumeClaim: { claimName: 'pending' } }, 'PVCNotBound', 'error processing PVC ns/pending: PVC is not bound'],
    [{ name: 'd', persistentVolumeClaim: { claimName: 'ghost' } }, 'PVCNotBound', 'error processing PVC ns/ghost: failed to fetch PVC from API server: persistentvolumeclaims "ghost" not found'],
    [{ name: 'h', hostPath: { path: join(hostDir, 'keep'), type: 'Directory' } }, 'HostPathTypeCheck', `hostPath type check failed: ${join(hostDir, 'keep')} is not a directory`],
  ];
  for (const [vol, code, message] of cases) {
    await assert.rejects(vm.setUp(mkPod('uid-err', [vol])), (e: unknown) => {
      assert.ok(e instanceof VolumeError, String(e));
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      assert.equal(e.volume, vol.name);
      return true;
    });
  }
  assert.deepEqual([...(await vm.setUp(mkPod('uid-err', [{ name: 's', secret: { secretName: 'sec', optional: true, items: [{ key: 'zz', path: 'z' }] } }]))).keys()], ['s']);
  await vm.tearDown('uid-err');
});
