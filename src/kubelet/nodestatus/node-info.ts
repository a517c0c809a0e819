// What the node is, read from the host: CPU count, memory, hugepages, the ephemeral storage of the
// filesystem holding the kubelet's data dir, kernel, OS image, machine/boot IDs and architecture —
// upstream gets these from cAdvisor's MachineInfo; we read the same /proc and /sys files. From them,
// capacity and allocatable as upstream computes them with no kube-reserved/system-reserved and the
// default hard eviction thresholds (memory.available<100Mi, nodefs.available<10%):
//   memory 24683748Ki capacity → 24683748Ki − 100Mi (102400Ki) = 24581348Ki allocatable;
//   ephemeral-storage 264212084Ki (270553174016 bytes) → minus floor(10%) 27055317401 = 243497856615
//   allocatable (not a multiple of 1Ki, so printed in bytes, as on upstream nodes);
// hugepages are taken out of allocatable memory too (pre-allocated, not usable as ordinary memory).
import os from 'node:os';
import { readFileSync, readdirSync, statfsSync } from 'node:fs';

export const MAX_PODS = 110;
/** Upstream's default hard eviction thresholds (pkg/kubelet/eviction/defaults_linux.go). */
export const EVICTION_MEMORY_AVAILABLE_BYTES = 100 * 1024 * 1024;
export const EVICTION_NODEFS_AVAILABLE_FRACTION = 0.1;
export const EVICTION_NODEFS_INODES_FREE_FRACTION = 0.05;

export interface HostInfo {
  cpus: number;
  memoryBytes: number;
  /** Page size name (`hugepages-2Mi`) → bytes pre-allocated. */
  hugepages: Record<string, number>;
  ephemeralStorageBytes: number;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  /** GOARCH spelling: amd64, arm64, … */
  architecture: string;
  operatingSystem: 'linux';
}

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** `/proc/meminfo` → field name → bytes (values are in kB, i.e. KiB). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return out;
}

/** PRETTY_NAME from os-release (quoted or not); upstream shows "Debian GNU/Linux 12 (bookworm)". */
export function parseOsRelease(text: string): string | undefined {
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  if (!m) return undefined;
  return m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2');
}

const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
export const goArch = (nodeArch: string = process.arch): string => GOARCH[nodeArch] ?? nodeArch;

/** `hugepages-2048kB` → `hugepages-2Mi`, `hugepages-1048576kB` → `hugepages-1Gi`. */
export function hugepageResourceName(dir: string): string | undefined {
  const m = /^hugepages-(\d+)kB$/.exec(dir);
  if (!m) return undefined;
  return `hugepages-${formatBinaryQuantity(Number(m[1]) * 1024)}`;
}

function readHugepages(): Record<string, number> {
  const out: Record<string, number> = {};
  let dirs: string[] = [];
  try {
    dirs = readdirSync('/sys/kernel/mm/hugepages');
  } catch {
    // no hugepage support: report the common size as zero, as upstream does on such hosts
  }
  for (const d of dirs) {
    const name = hugepageResourceName(d);
    if (!name) continue;
    const pages = Number(readText(`/sys/kernel/mm/hugepages/${d}/nr_hugepages`)?.trim() ?? 0) || 0;
    out[name] = pages * Number(/\d+/.exec(d)![0]) * 1024;
  }
  if (!Object.keys(out).length) out['hugepages-2Mi'] = 0;
  return out;
}

/** Capacity of the filesystem holding `dir` (cAdvisor: blocks × block size). */
export function fsCapacityBytes(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.blocks) * Number(s.bsize);
}

export function readHostInfo(dataDir: string): HostInfo {
  const mem = parseMeminfo(readText('/proc/meminfo') ?? '');
  const machineID = readText('/etc/machine-id')?.trim() ?? '';
  return {
    cpus: os.availableParallelism(),
    memoryBytes: mem.get('MemTotal') ?? os.totalmem(),
    hugepages: readHugepages(),
    ephemeralStorageBytes: fsCapacityBytes(dataDir),
    kernelVersion: os.release(),
    osImage: parseOsRelease(readText('/etc/os-release') ?? '') ?? 'Linux',
    machineID,
    // Readable only by root and absent on many VMs; upstream then reports whatever cAdvisor found.
    systemUUID: readText('/sys/class/dmi/id/product_uuid')?.trim().toLowerCase() || machineID,
    bootID: readText('/proc/sys/kernel/random/boot_id')?.trim() ?? '',
    architecture: goArch(),
    operatingSystem: 'linux',
  };
}

const SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
/**
 * A byte count as a canonical BinarySI Quantity: the largest suffix that divides it exactly
 * (1024 → "1Ki", 1536 → "1536", 25276157952 → "24683748Ki").
 */
export function formatBinaryQuantity(bytes: number): string {
  let n = Math.max(0, Math.floor(bytes));
  if (n === 0) return '0';
  let i = 0;
  while (i < SUFFIXES.length - 1 && n % 1024 === 0) {
    n /= 1024;
    i++;
  }
  return `${n}${SUFFIXES[i]}`;
}

export function capacityOf(info: HostInfo): Record<string, string> {
  const cap: Record<string, string> = {
    cpu: String(info.cpus),
    'ephemeral-storage': formatBinaryQuantity(info.ephemeralStorageBytes),
    memory: formatBinaryQuantity(info.memoryBytes),
    pods: String(MAX_PODS),
  };
  for (const [name, bytes] of Object.entries(info.hugepages)) cap[name] = formatBinaryQuantity(bytes);
  return cap;
}

/** Capacity minus the hard eviction thresholds (and, for memory, pre-allocated hugepages). */
export function allocatableOf(info: HostInfo): Record<string, string> {
  const huge = Object.values(info.hugepages).reduce((a, b) => a + b, 0);
  const storageReserve = Math.floor(info.ephemeralStorageBytes * EVICTION_NODEFS_AVAILABLE_FRACTION);
  return {
    ...capacityOf(info),
    'ephemeral-storage': formatBinaryQuantity(info.ephemeralStorageBytes - storageReserve),
    memory: formatBinaryQuantity(info.memoryBytes - EVICTION_MEMORY_AVAILABLE_BYTES - huge),
  };
}
