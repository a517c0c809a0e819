// Small host facts and helpers for the runc runtime: mount table checks, mounting and unmounting,
// process liveness by pid + start time, and cgroup v1 clean-up (runc creates the container cgroup in
// every v1 controller and its parents on demand, but never removes the pod-level parents).
import { existsSync, lstatSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../network/command.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Mount points (decoded) currently in this mount namespace. */
export function mountPoints(): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[4]) out.add(f[4].replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return out;
}

export function isMounted(path: string): boolean {
  return mountPoints().has(path);
}

/** Unmounts `path` (all stacked mounts), lazily if busy. Idempotent. */
export async function unmountAll(path: string): Promise<void> {
  for (let i = 0; i < 8 && isMounted(path); i++) {
    const r = await run('umount', [path], { allowFail: true });
    if (r.exitCode !== 0) await run('umount', ['-l', path], { allowFail: true });
  }
  if (isMounted(path)) throw new Error(`cannot unmount ${path}`);
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or undefined if the pid is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: fields after the closing parenthesis.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19];
  } catch {
    return undefined;
  }
}

export function processAlive(pid: number, startTime?: string): boolean {
  const st = processStartTime(pid);
  if (st === undefined) return false;
  if (startTime !== undefined && st !== startTime) return false;
  // A zombie has exited already.
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The mounted v1 controller hierarchies (cpu, memory, pids, … and name=systemd), not symlinks. */
export function cgroupControllers(): string[] {
  try {
    return readdirSync(CGROUP_ROOT).filter((n) => {
      try {
        return lstatSync(join(CGROUP_ROOT, n)).isDirectory();
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

/** Whether memory.memsw.* exists (swap accounting), which runc needs to honour a swap limit. */
export function swapAccounting(): boolean {
  return existsSync(join(CGROUP_ROOT, 'memory', 'memory.memsw.limit_in_bytes'));
}

/** `oom_kill N` of a container's memory cgroup (0 if the cgroup is gone). */
export function cgroupOomKills(cgroupsPath: string): number {
  try {
    const m = /oom_kill (\d+)/.exec(readFileSync(join(CGROUP_ROOT, 'memory', cgroupsPath, 'memory.oom_control'), 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Writes a control file in one controller's cgroup (creating nothing); false if it does not exist. */
export function writeCgroupFile(controller: string, path: string, file: string, value: string): boolean {
  try {
    writeFileSync(join(CGROUP_ROOT, controller, path, file), value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the cgroup `path` and everything below it in every v1 controller, deepest first (like
 * `find /sys/fs/cgroup/<ctrl>/<path> -depth -type d -exec rmdir`). A cgroup still holding processes
 * (EBUSY) has them SIGKILLed and is retried; returns the directories that could not be removed.
 */
export async function removeCgroupTree(path: string): Promise<string[]> {
  const left: string[] = [];
  for (const ctrl of cgroupControllers()) {
    const top = join(CGROUP_ROOT, ctrl, path);
    if (!existsSync(top)) continue;
    const dirs: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
      dirs.push(d);
    };
    try {
      walk(top);
    } catch {
      continue;
    }
    for (const d of dirs) {
      for (let attempt = 0; ; attempt++) {
        try {
          rmdirSync(d);
          break;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') break;
          // A killed process leaves its cgroup only once reaped, which can take seconds on a busy host.
          if (code !== 'EBUSY' || attempt >= 100) {
            left.push(d);
            break;
          }
          killCgroupProcs(d);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  }
  return left;
}

function killCgroupProcs(dir: string): void {
  try {
    for (const p of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) {
      if (p) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  } catch {
    // no procs file
  }
}
