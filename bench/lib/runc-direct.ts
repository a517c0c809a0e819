// The floor for the kubelet benchmark: the same container Skiff starts for a pod (busybox
// `sleep 3600`) started by plain `runc run -d` from a bundle whose rootfs is the unpacked busybox
// layer — no image store, no overlayfs, no pod network (a fresh network namespace with loopback
// only), no conmon, no API server. Each sample runs from spawning runc to the moment the container's
// PID 1 has exec'd `sleep` (/proc/<pid>/cmdline stops saying `runc init`), which is what a kubelet
// would call "running". Everything lives under its own `runc --root` and a cgroup parent of its own,
// so other runc users on the machine are never touched, and clean() removes all of it.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x as tarExtract } from 'tar';
import { busyboxLayer } from '../../test/support/images.js';
import { sleep } from './proc.js';
import { msSince } from './stats.js';

/** Parent cgroup (in every v1 hierarchy) of the baseline's containers; removed when empty. */
const CGROUP_PARENT = 'skiff-bench-runc';

interface OciConfig {
  process: { terminal: boolean; args: string[] };
  root: { path: string; readonly: boolean };
  hostname?: string;
  linux: { cgroupsPath?: string; namespaces: Array<{ type: string; path?: string }> };
}

export interface RuncDirect {
  /** Starts one container and resolves with ms from spawn to `sleep` running as its PID 1. */
  runOnce(): Promise<number>;
  /** Kills and deletes every container started, removes the cgroups and the temp dir. */
  clean(): Promise<void>;
}

function runc(args: string[], logFile: string): Promise<number | null> {
  // Files, not pipes: the detached container would inherit a pipe and keep it open (SUBSTRATE.md).
  const fd = openSync(logFile, 'a');
  try {
    const p = spawn('runc', args, { stdio: ['ignore', fd, fd] });
    return new Promise((ok, fail) => {
      p.once('error', fail);
      p.once('exit', (code) => ok(code));
    });
  } finally {
    closeSync(fd);
  }
}

/** Resolves once /proc/<pid>/cmdline is the container's own command, not `runc init`. */
async function untilExeced(pid: number, argv0: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      throw new Error(`container process ${pid} is gone`);
    }
    if (cmd.startsWith(`${argv0}\0`)) return;
    if (Date.now() > deadline) throw new Error(`container process ${pid} did not exec ${argv0} in ${timeoutMs} ms (cmdline ${JSON.stringify(cmd)})`);
    await sleep(1);
  }
}

export async function prepareRuncDirect(): Promise<RuncDirect> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-runc-'));
  const state = join(dir, 'state');
  const rootfs = join(dir, 'rootfs');
  const logFile = join(dir, 'runc.log');
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const ids: string[] = [];
  mkdirSync(rootfs, { recursive: true });
  mkdirSync(state);

  const layer = join(dir, 'layer.tar');
  writeFileSync(layer, busyboxLayer().uncompressed);
  await tarExtract({ file: layer, cwd: rootfs, preserveOwner: true });
  rmSync(layer);
  // runc's own default spec (namespaces pid, network without a path = a new netns with loopback
  // only, ipc, uts, mount; read-only root), changed only where a detached `sleep` needs it.
  const specDir = join(dir, 'spec');
  mkdirSync(specDir);
  execFileSync('runc', ['spec', '--bundle', specDir]);
  const base = JSON.parse(readFileSync(join(specDir, 'config.json'), 'utf8')) as OciConfig;
  base.process.terminal = false;
  base.process.args = ['sleep', '3600'];
  base.root = { path: rootfs, readonly: true };
  if (base.linux.namespaces.some((n) => n.type === 'network' && n.path)) throw new Error('runc default spec joins an existing network namespace');

  let n = 0;
  return {
    async runOnce() {
      const id = `${prefix}-${n++}`;
      const bundle = join(dir, 'bundles', id);
      mkdirSync(bundle, { recursive: true });
      const cfg: OciConfig = { ...base, hostname: id, linux: { ...base.linux, cgroupsPath: `/${CGROUP_PARENT}/${id}` } };
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(cfg));
      const pidFile = join(bundle, 'pid');
      ids.push(id);
      const t0 = process.hrtime.bigint();
      const code = await runc(['--root', state, 'run', '-d', '--pid-file', pidFile, '--bundle', bundle, id], logFile);
      if (code !== 0) throw new Error(`runc run ${id} exited ${code}: ${readFileSync(logFile, 'utf8').slice(-1000)}`);
      await untilExeced(Number(readFileSync(pidFile, 'utf8').trim()), 'sleep', 10_000);
      return msSince(t0);
    },
    async clean() {
      // Also whatever `runc list` knows under our root: a run that failed half-way may have left one.
      let listed: string[] = [];
      try {
        listed = execFileSync('runc', ['--root', state, 'list', '-q'], { encoding: 'utf8' }).split('\n').filter(Boolean);
      } catch {
        /* no state yet */
      }
      for (const id of new Set([...ids, ...listed])) await runc(['--root', state, 'delete', '--force', id], logFile).catch(() => null);
      for (const hierarchy of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
        const parent = join('/sys/fs/cgroup', hierarchy, CGROUP_PARENT);
        try {
          if (existsSync(parent)) rmdirSync(parent); // fails while another run's containers are in it: fine
        } catch {
          /* not empty or not ours to remove */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
