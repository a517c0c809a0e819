// Where the runc runtime keeps its state under its root directory, and the atomic JSON store of
// sandbox and container records. Everything lives under `root` so a new RuncRuntime over the same
// root (after a crash, even kill -9) finds every sandbox and container again:
//   runc/                      runc --root (runc's own container state)
//   exits/<id>                 conmon exit files (bare exit code)
//   sock/                      conmon attach sockets
//   sandboxes/<uid>/           sandbox.json, hosts, resolv.conf, hostname, ns/{ipc,uts}, shm/
//   containers/<id>/           container.json, bundle/{config.json,rootfs}, upper/, work/, persist/
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStatus, PortMapping, QOSClass } from '../types.js';

export class Layout {
  constructor(readonly root: string) {}
  get runcRoot() { return join(this.root, 'runc'); }
  get exitDir() { return join(this.root, 'exits'); }
  get sockDir() { return join(this.root, 'sock'); }
  get sandboxesDir() { return join(this.root, 'sandboxes'); }
  get containersDir() { return join(this.root, 'containers'); }
  sandboxDir(uid: string) { return join(this.sandboxesDir, uid); }
  containerDir(id: string) { return join(this.containersDir, id); }
  bundle(id: string) { return join(this.containerDir(id), 'bundle'); }
  rootfs(id: string) { return join(this.bundle(id), 'rootfs'); }
  persistDir(id: string) { return join(this.containerDir(id), 'persist'); }
  exitFile(id: string) { return join(this.exitDir, id); }
  /** conmon's per-container socket dir, named by the cuuid we pass it (see conmon.ts). */
  attachDir(id: string) { return join(this.sockDir, attachId(id)); }
  attachSocket(id: string) { return join(this.attachDir(id), 'attach'); }

  ensure(): void {
    for (const d of [this.runcRoot, this.exitDir, this.sockDir, this.sandboxesDir, this.containersDir]) mkdirSync(d, { recursive: true });
  }
}

export interface SandboxRecord {
  uid: string;
  id: string;
  name: string;
  namespace: string;
  hostname: string;
  hostNetwork: boolean;
  hostIPC: boolean;
  hostPID: boolean;
  qosClass: QOSClass;
  portMappings: PortMapping[];
  ip: string;
  netnsPath?: string;
  state: 'ready' | 'notready';
  createdAt: string;
}

/** A short cuuid keeps `<sock-dir>/<cuuid>/attach` under the 108-byte socket path limit. */
export const attachId = (id: string) => id.slice(0, 16);

export interface ContainerRecord {
  id: string;
  podUid: string;
  name: string;
  attempt: number;
  image: string;
  imageId: string;
  logPath: string;
  cgroupsPath: string;
  labels?: Record<string, string>;
  createdAt: string;
  /** 'creating' until conmon reported the container created; then 'created'; 'started' after runc start. */
  phase: 'creating' | 'created' | 'started';
  startedAt?: string;
  conmonPid?: number;
  /** conmon's start time (field 22 of /proc/<pid>/stat) so a reused pid is not mistaken for it. */
  conmonStartTime?: string;
  pid?: number;
  /** How conmon holds the container's stdio: a pty (tty) and/or an open stdin. */
  tty?: boolean;
  stdin?: boolean;
  /** Cached once the container has exited: final status never changes. */
  final?: Pick<ContainerStatus, 'exitCode' | 'reason' | 'message'> & { finishedAt: string };
}

/** Writes JSON atomically (temp file + rename) so a crash never leaves a torn record. */
export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, path);
}

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Every record file `<dir>/<name>/<file>` that parses. */
export function loadRecords<T>(dir: string, file: string): T[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const n of names) {
    const r = readJson<T>(join(dir, n, file));
    if (r) out.push(r);
  }
  return out;
}
