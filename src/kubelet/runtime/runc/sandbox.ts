// A pod sandbox without a pause container. Upstream runtimes keep the pod's shared namespaces alive
// with an "infra" (pause) process; here nothing runs for that purpose: the network namespace is a
// named netns (`ip netns add`, bind-mounted under /var/run/netns), and the IPC and UTS namespaces
// are made persistent the same way — `unshare --ipc=<file> --uts=<file>` bind-mounts the new
// namespaces onto files in the sandbox directory and, in the same command, sets the pod hostname in
// the UTS namespace. Containers join all three by path. With no process to supervise, there is
// nothing to lose on a kubelet crash or to restart, no pause image to pull, and a container exiting
// never takes the pod's namespaces with it; the sandbox lives exactly as long as its mounts.
// The pod's /dev/shm is a tmpfs in the sandbox directory bind-mounted into each container, so POSIX
// shared memory is shared across the pod as upstream.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../network/command.js';
import type { SandboxConfig } from '../types.js';
import { isMounted, unmountAll } from './host.js';

export interface SandboxPaths {
  dir: string;
  hosts: string;
  resolvConf: string;
  hostname: string;
  ipcNs: string;
  utsNs: string;
  shm: string;
}

export function sandboxPaths(dir: string): SandboxPaths {
  return {
    dir,
    hosts: join(dir, 'hosts'),
    resolvConf: join(dir, 'resolv.conf'),
    hostname: join(dir, 'hostname'),
    ipcNs: join(dir, 'ns', 'ipc'),
    utsNs: join(dir, 'ns', 'uts'),
    shm: join(dir, 'shm'),
  };
}

/** Writes the pod's /etc files and creates its persistent IPC/UTS namespaces and /dev/shm. Idempotent. */
export async function createSandboxNamespaces(p: SandboxPaths, cfg: SandboxConfig, hostnameBin: string[]): Promise<void> {
  mkdirSync(join(p.dir, 'ns'), { recursive: true });
  writeFileSync(p.hosts, cfg.hostsFile);
  writeFileSync(p.resolvConf, cfg.resolvConf);
  writeFileSync(p.hostname, `${cfg.hostname}\n`);
  // hostNetwork pods keep the host's UTS namespace (hostname = node name) as upstream.
  const ownUts = !cfg.hostNetwork;
  const ownIpc = !cfg.hostIPC;
  const args: string[] = [];
  if (ownIpc && !isMounted(p.ipcNs)) {
    writeFileSync(p.ipcNs, '');
    args.push(`--ipc=${p.ipcNs}`);
  }
  if (ownUts && !isMounted(p.utsNs)) {
    writeFileSync(p.utsNs, '');
    args.push(`--uts=${p.utsNs}`);
  }
  if (args.length > 0) {
    // The command runs inside the new namespaces: it sets the hostname in the new UTS namespace.
    const cmd = args.some((a) => a.startsWith('--uts')) ? [...hostnameBin, cfg.hostname] : ['/bin/true'];
    await run('unshare', [...args, ...cmd]);
  }
  if (ownIpc && !isMounted(p.shm)) {
    mkdirSync(p.shm, { recursive: true });
    await run('mount', ['-t', 'tmpfs', '-o', 'nosuid,nodev,noexec,mode=1777,size=65536k', 'shm', p.shm]);
  }
}

/** Unmounts the namespaces and /dev/shm and deletes the sandbox directory (idempotent). */
export async function removeSandboxDir(p: SandboxPaths): Promise<void> {
  for (const m of [p.ipcNs, p.utsNs, p.shm]) await unmountAll(m);
  if (existsSync(p.dir)) rmSync(p.dir, { recursive: true, force: true });
}
