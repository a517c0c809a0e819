// Pure translation of a resolved ContainerConfig (plus what the sandbox contributes: namespace
// paths, /etc files, the cgroup path) into an OCI runtime spec (config.json) for runc. Defaults
// follow what containerd's CRI plugin generates for a Kubernetes container, so a workload sees the
// same environment as on an upstream node: the default capability set, masked and read-only /proc
// and /sys paths, the standard /proc /dev /dev/pts /dev/shm /dev/mqueue /sys mounts, devices denied
// except runc's defaults, and for privileged containers all of that lifted.
import type { ContainerConfig, QOSClass } from '../types.js';

/** containerd's default capability set for containers (the upstream "default container set"). */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** Every capability the kernel (6.x) defines, in number order (CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40). */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** containerd's defaults (oci/spec.go, pkg/cri/opts). */
export const MASKED_PATHS = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
    noNewPrivileges: boolean;
    oomScoreAdj?: number;
  };
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  linux: {
    cgroupsPath: string;
    namespaces: Array<{ type: string; path?: string }>;
    resources: {
      devices: Array<{ allow: boolean; access: string }>;
      cpu?: { shares?: number; quota?: number; period?: number };
      memory?: { limit?: number; swap?: number };
      pids?: { limit: number };
    };
    maskedPaths?: string[];
    readonlyPaths?: string[];
  };
}

/** What the sandbox and runtime contribute beyond the ContainerConfig. */
export interface SpecContext {
  /** Mounted rootfs (absolute). */
  rootfs: string;
  hostname: string;
  /** Namespace paths to join; undefined = share the host's (hostNetwork / hostIPC). */
  netnsPath?: string;
  ipcPath?: string;
  utsPath?: string;
  hostPID: boolean;
  /** Files (and the pod's /dev/shm directory) bind-mounted into every container of the pod. */
  hostsFile: string;
  resolvConf: string;
  hostnameFile: string;
  shmDir?: string;
  cgroupsPath: string;
  /** memory.memsw exists (swap accounting): then swap is limited to the memory limit (no swapping). */
  swapAccounting: boolean;
}

/** `<cgroupRoot>/kubepods[/burstable|/besteffort]/pod<uid>` — Guaranteed pods sit directly under kubepods, as upstream. */
export function podCgroupPath(cgroupRoot: string, qos: QOSClass, podUid: string): string {
  const tier = qos === 'Guaranteed' ? '' : qos === 'Burstable' ? '/burstable' : '/besteffort';
  return `${cgroupRoot.replace(/\/+$/, '')}/kubepods${tier}/pod${podUid}`;
}

function capName(c: string): string {
  const u = c.toUpperCase();
  return u.startsWith('CAP_') ? u : `CAP_${u}`;
}

/**
 * The effective capability set, with containerd's precedence: "ALL" in add, then "ALL" in drop,
 * then individual adds, then individual drops — so add [ALL] drop [CHOWN] is everything but CHOWN
 * and drop [ALL] add [NET_ADMIN] is just NET_ADMIN.
 */
export function computeCapabilities(add: readonly string[] = [], drop: readonly string[] = [], privileged = false): string[] {
  if (privileged) return [...ALL_CAPABILITIES];
  const isAll = (c: string) => c.toUpperCase() === 'ALL';
  let caps = [...DEFAULT_CAPABILITIES];
  if (add.some(isAll)) caps = [...ALL_CAPABILITIES];
  if (drop.some(isAll)) caps = [];
  for (const c of add) if (!isAll(c) && !caps.includes(capName(c))) caps.push(capName(c));
  const dropped = new Set(drop.filter((c) => !isAll(c)).map(capName));
  return caps.filter((c) => !dropped.has(c));
}

export function buildSpec(cfg: ContainerConfig, ctx: SpecContext): OciSpec {
  const sec = cfg.security;
  const privileged = sec.privileged === true;
  const caps = computeCapabilities(sec.capabilitiesAdd, sec.capabilitiesDrop, privileged);
  const env = cfg.env.map((e) => `${e.name}=${e.value}`);
  if (!cfg.env.some((e) => e.name === 'HOSTNAME')) env.push(`HOSTNAME=${ctx.hostname}`);
  if (!cfg.env.some((e) => e.name === 'PATH')) env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');

  const uid = sec.runAsUser ?? 0;
  const gid = sec.runAsGroup ?? 0;
  const user: OciSpec['process']['user'] = { uid, gid };
  if (sec.supplementalGroups && sec.supplementalGroups.length > 0) user.additionalGids = [...sec.supplementalGroups];

  const sysOpts = privileged ? ['nosuid', 'noexec', 'nodev', 'rw'] : ['nosuid', 'noexec', 'nodev', 'ro'];
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    privileged
      ? { destination: '/dev', type: 'bind', source: '/dev', options: ['rbind', 'rprivate', 'rw'] }
      : { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    ctx.shmDir
      ? { destination: '/dev/shm', type: 'bind', source: ctx.shmDir, options: ['rbind', 'rprivate', 'rw'] }
      : { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: sysOpts },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: [...sysOpts, 'relatime'] },
    { destination: '/etc/hosts', type: 'bind', source: ctx.hostsFile, options: ['rbind', 'rprivate', 'rw'] },
    { destination: '/etc/resolv.conf', type: 'bind', source: ctx.resolvConf, options: ['rbind', 'rprivate', 'rw'] },
    { destination: '/etc/hostname', type: 'bind', source: ctx.hostnameFile, options: ['rbind', 'rprivate', 'rw'] },
  ];
  for (const m of cfg.mounts) {
    mounts.push({ destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', 'rprivate', m.readOnly ? 'ro' : 'rw'] });
  }

  const namespaces: Array<{ type: string; path?: string }> = [{ type: 'mount' }];
  if (!ctx.hostPID) namespaces.push({ type: 'pid' });
  if (ctx.netnsPath) namespaces.push({ type: 'network', path: ctx.netnsPath });
  if (ctx.ipcPath) namespaces.push({ type: 'ipc', path: ctx.ipcPath });
  if (ctx.utsPath) namespaces.push({ type: 'uts', path: ctx.utsPath });

  const r = cfg.resources;
  const resources: OciSpec['linux']['resources'] = {
    devices: privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }],
  };
  if (r.cpuShares !== undefined || r.cpuQuotaUs !== undefined) {
    resources.cpu = {};
    if (r.cpuShares !== undefined) resources.cpu.shares = r.cpuShares;
    if (r.cpuQuotaUs !== undefined) {
      resources.cpu.quota = r.cpuQuotaUs;
      resources.cpu.period = r.cpuPeriodUs ?? 100_000;
    }
  }
  if (r.memoryLimitBytes !== undefined) {
    resources.memory = { limit: r.memoryLimitBytes };
    if (ctx.swapAccounting) resources.memory.swap = r.memoryLimitBytes;
  }
  if (r.pidsLimit !== undefined) resources.pids = { limit: r.pidsLimit };

  const spec: OciSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: cfg.tty,
      user,
      args: [...cfg.argv],
      env,
      cwd: cfg.workingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: sec.allowPrivilegeEscalation === false,
    },
    root: { path: ctx.rootfs, readonly: sec.readOnlyRootFilesystem === true },
    mounts,
    linux: { cgroupsPath: ctx.cgroupsPath, namespaces, resources },
  };
  // Negative values need CAP_SYS_RESOURCE, which this host lacks (SUBSTRATE.md): runc would fail
  // the start, so the container keeps its inherited score instead.
  if (r.oomScoreAdj !== undefined && r.oomScoreAdj >= 0) spec.process.oomScoreAdj = r.oomScoreAdj;
  if (!privileged) {
    spec.linux.maskedPaths = [...MASKED_PATHS];
    spec.linux.readonlyPaths = [...READONLY_PATHS];
  }
  return spec;
}
