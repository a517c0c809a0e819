// tmpfs mounts for emptyDir medium Memory, and finding what is mounted under a directory (from
// /proc/self/mountinfo) so tearDown works after a kubelet restart without any saved state.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Mount points at or below `dir`, deepest first. Octal escapes (\040 for space) decoded. */
export function mountPointsUnder(dir: string): string[] {
  const root = dir.replace(/\/+$/, '');
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  const points = text
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => Boolean(p))
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === root || p.startsWith(root + '/'));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

export function isMountPoint(dir: string): boolean {
  return mountPointsUnder(dir).includes(dir.replace(/\/+$/, ''));
}

export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  const opts = ['mode=0777', ...(sizeBytes ? [`size=${sizeBytes}`] : [])].join(',');
  await run('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
}

/** Unmounts; falls back to a lazy unmount if the mount is busy (a process still inside it). */
export async function unmount(dir: string): Promise<void> {
  try {
    await run('umount', [dir]);
  } catch {
    await run('umount', ['-l', dir]);
  }
}
