// Table-driven tests for the pure OCI spec generation: capabilities, namespaces, mounts, masked
// paths, resources and the cgroup path per QoS class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerConfig } from '../types.js';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES, MASKED_PATHS, buildSpec, computeCapabilities, podCgroupPath, type SpecContext } from './oci-spec.js';

const cfg = (over: Partial<ContainerConfig> = {}): ContainerConfig => ({
  podUid: 'u1', name: 'c', attempt: 0, image: 'busybox', imageId: 'sha256:x', lowerDirs: ['/l'], argv: ['sh', '-c', 'true'],
  env: [{ name: 'A', value: '1' }], workingDir: '', mounts: [], resources: {}, security: {}, tty: false, stdin: false,
  stdinOnce: false, logPath: '/log', ...over,
});
const ctx = (over: Partial<SpecContext> = {}): SpecContext => ({
  rootfs: '/b/rootfs', hostname: 'pod', netnsPath: '/var/run/netns/p', ipcPath: '/s/ns/ipc', utsPath: '/s/ns/uts', hostPID: false,
  hostsFile: '/s/hosts', resolvConf: '/s/resolv.conf', hostnameFile: '/s/hostname', shmDir: '/s/shm', cgroupsPath: '/r/kubepods/podu1/id',
  swapAccounting: true, ...over,
});

test('computeCapabilities follows containerd precedence', () => {
  const cases: Array<{ name: string; add?: string[]; drop?: string[]; privileged?: boolean; want: string[] }> = [
    { name: 'default set', want: DEFAULT_CAPABILITIES },
    { name: 'add one', add: ['NET_ADMIN'], want: [...DEFAULT_CAPABILITIES, 'CAP_NET_ADMIN'] },
    { name: 'add with CAP_ prefix, no duplicate', add: ['CAP_CHOWN'], want: DEFAULT_CAPABILITIES },
    { name: 'drop one', drop: ['NET_RAW'], want: DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_NET_RAW') },
    { name: 'drop ALL add one', add: ['NET_BIND_SERVICE'], drop: ['ALL'], want: ['CAP_NET_BIND_SERVICE'] },
    { name: 'add ALL drop one', add: ['ALL'], drop: ['SYS_ADMIN'], want: ALL_CAPABILITIES.filter((c) => c !== 'CAP_SYS_ADMIN') },
    { name: 'add ALL drop ALL', add: ['ALL'], drop: ['all'], want: [] },
    { name: 'privileged', drop: ['ALL'], privileged: true, want: ALL_CAPABILITIES },
  ];
  for (const c of cases) assert.deepEqual(computeCapabilities(c.add, c.drop, c.privileged).sort(), [...c.want].sort(), c.name);
});

test('podCgroupPath per QoS class', () => {
  assert.equal(podCgroupPath('/skiff-ab', 'Guaranteed', 'u'), '/skiff-ab/kubepods/podu');
  assert.equal(podCgroupPath('/skiff-ab/', 'Burstable', 'u'), '/skiff-ab/kubepods/burstable/podu');
  assert.equal(podCgroupPath('/skiff-ab', 'BestEffort', 'u'), '/skiff-ab/kubepods/besteffort/podu');
});

test('buildSpec: defaults for an ordinary container', () => {
  const s = buildSpec(cfg(), ctx());
  assert.deepEqual(s.process.args, ['sh', '-c', 'true']);
  assert.equal(s.process.cwd, '/');
  assert.deepEqual(s.process.user, { uid: 0, gid: 0 });
  assert.ok(s.process.env.includes('A=1') && s.process.env.includes('HOSTNAME=pod') && s.process.env.some((e) => e.startsWith('PATH=')));
  assert.equal(s.process.noNewPrivileges, false);
  assert.equal(s.process.oomScoreAdj, undefined);
  assert.deepEqual(s.process.capabilities.bounding, DEFAULT_CAPABILITIES);
  assert.deepEqual(s.root, { path: '/b/rootfs', readonly: false });
  assert.deepEqual(s.linux.namespaces, [
    { type: 'mount' }, { type: 'pid' }, { type: 'network', path: '/var/run/netns/p' }, { type: 'ipc', path: '/s/ns/ipc' }, { type: 'uts', path: '/s/ns/uts' },
  ]);
  assert.equal(s.linux.cgroupsPath, '/r/kubepods/podu1/id');
  assert.deepEqual(s.linux.maskedPaths, MASKED_PATHS);
  assert.ok(s.linux.readonlyPaths?.includes('/proc/sys'));
  assert.deepEqual(s.linux.resources, { devices: [{ allow: false, access: 'rwm' }] });
  const dests = s.mounts.map((m) => m.destination);
  assert.deepEqual(dests, ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup', '/etc/hosts', '/etc/resolv.conf', '/etc/hostname']);
  assert.equal(s.mounts.find((m) => m.destination === '/dev/shm')?.source, '/s/shm');
  assert.ok(s.mounts.find((m) => m.destination === '/sys')?.options.includes('ro'));
});

test('buildSpec: table of security, resources and sandbox variations', () => {
  const cases: Array<{ name: string; c?: Partial<ContainerConfig>; x?: Partial<SpecContext>; check: (s: ReturnType<typeof buildSpec>) => void }> = [
    {
      name: 'user, groups, no privilege escalation, read-only rootfs, cwd',
      c: { workingDir: '/app', security: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } },
      check: (s) => {
        assert.deepEqual(s.process.user, { uid: 1000, gid: 3000, additionalGids: [4000] });
        assert.equal(s.process.noNewPrivileges, true);
        assert.equal(s.root.readonly, true);
        assert.equal(s.process.cwd, '/app');
      },
    },
    {
      name: 'privileged: all caps, no masking, host devices, rw sysfs',
      c: { security: { privileged: true } },
      check: (s) => {
        assert.equal(s.process.capabilities.effective.length, ALL_CAPABILITIES.length);
        assert.equal(s.linux.maskedPaths, undefined);
        assert.equal(s.linux.readonlyPaths, undefined);
        assert.deepEqual(s.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
        assert.equal(s.mounts.find((m) => m.destination === '/dev')?.source, '/dev');
        assert.ok(s.mounts.find((m) => m.destination === '/sys')?.options.includes('rw'));
      },
    },
    {
      name: 'resources, swap pinned to the memory limit, non-negative oomScoreAdj',
      c: { resources: { cpuShares: 512, cpuQuotaUs: 50000, cpuPeriodUs: 100000, memoryLimitBytes: 16 << 20, pidsLimit: 100, oomScoreAdj: 1000 } },
      check: (s) => {
        assert.deepEqual(s.linux.resources.cpu, { shares: 512, quota: 50000, period: 100000 });
        assert.deepEqual(s.linux.resources.memory, { limit: 16 << 20, swap: 16 << 20 });
        assert.deepEqual(s.linux.resources.pids, { limit: 100 });
        assert.equal(s.process.oomScoreAdj, 1000);
      },
    },
    {
      name: 'negative oomScoreAdj is dropped; no swap accounting, no swap limit',
      c: { resources: { oomScoreAdj: -997, memoryLimitBytes: 1 << 20 } },
      x: { swapAccounting: false },
      check: (s) => {
        assert.equal(s.process.oomScoreAdj, undefined);
        assert.deepEqual(s.linux.resources.memory, { limit: 1 << 20 });
      },
    },
    {
      name: 'hostNetwork + hostIPC + hostPID: only a mount namespace, private /dev/shm tmpfs',
      x: { netnsPath: undefined, ipcPath: undefined, utsPath: undefined, hostPID: true, shmDir: undefined },
      check: (s) => {
        assert.deepEqual(s.linux.namespaces, [{ type: 'mount' }]);
        assert.equal(s.mounts.find((m) => m.destination === '/dev/shm')?.type, 'tmpfs');
      },
    },
    {
      name: 'volume mounts, tty, env override of HOSTNAME',
      c: { tty: true, env: [{ name: 'HOSTNAME', value: 'x' }], mounts: [{ hostPath: '/h/cfg', containerPath: '/etc/cfg', readOnly: true }, { hostPath: '/h/data', containerPath: '/data', readOnly: false }] },
      check: (s) => {
        assert.equal(s.process.terminal, true);
        assert.deepEqual(s.process.env.filter((e) => e.startsWith('HOSTNAME=')), ['HOSTNAME=x']);
        assert.deepEqual(s.mounts.slice(-2), [
          { destination: '/etc/cfg', type: 'bind', source: '/h/cfg', options: ['rbind', 'rprivate', 'ro'] },
          { destination: '/data', type: 'bind', source: '/h/data', options: ['rbind', 'rprivate', 'rw'] },
        ]);
      },
    },
  ];
  for (const c of cases) {
    try {
      c.check(buildSpec(cfg(c.c), ctx(c.x)));
    } catch (err) {
      (err as Error).message = `${c.name}: ${(err as Error).message}`;
      throw err;
    }
  }
});
