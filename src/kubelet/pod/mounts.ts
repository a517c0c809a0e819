// volumeMounts → runtime bind mounts, as upstream kubelet_pods.go makeMounts: the volume's host path
// (plus subPath / expanded subPathExpr, created if missing with the volume's mode, rejected when
// absolute, containing '..', or resolving outside the volume through a symlink), read-only when the
// mount or the volume says so; then the per-container termination-message file, created 0666 so any
// container user can write it, bind-mounted at terminationMessagePath.
import { chmodSync, closeSync, mkdirSync, openSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Mount } from '../runtime/types.js';
import { expand } from '../envvars/expansion.js';
import { ContainerConfigError } from './errors.js';

export interface PodVolume {
  hostPath: string;
  readOnly?: boolean;
}

/** Where the termination message of one container attempt lives on the host (the kubelet reads it). */
export function terminationMessageHostPath(podDir: string, containerName: string, attempt: number): string {
  return join(podDir, 'containers', containerName, `${attempt}-termination-log`);
}

export function makeMounts(
  container: Container,
  volumes: ReadonlyMap<string, PodVolume>,
  env: ReadonlyArray<{ name: string; value: string }>,
  opts: { podDir: string; attempt: number },
): Mount[] {
  const mounts: Mount[] = [];
  for (const m of container.volumeMounts ?? []) {
    const vol = volumes.get(m.name);
    if (!vol) throw new ContainerConfigError('VolumeNotFound', `cannot find volume "${m.name}" to mount into container "${container.name}"`);
    let hostPath = vol.hostPath;
    let subPath = m.subPath ?? '';
    if (m.subPathExpr) subPath = expandSubPathExpr(m.subPathExpr, env);
    if (subPath) hostPath = prepareSubPath(vol.hostPath, subPath, m.name, container.name);
    mounts.push({ hostPath, containerPath: m.mountPath, readOnly: Boolean(m.readOnly || vol.readOnly) });
  }
  const tmp = container.terminationMessagePath ?? '/dev/termination-log';
  if (tmp) {
    const file = terminationMessageHostPath(opts.podDir, container.name, opts.attempt);
    mkdirSync(join(file, '..'), { recursive: true });
    closeSync(openSync(file, 'a'));
    chmodSync(file, 0o666); // the umask would strip the write bits a non-root user needs
    mounts.push({ hostPath: file, containerPath: tmp, readOnly: false });
  }
  return mounts;
}

/** Upstream ExpandContainerVolumeMounts: every referenced variable must exist and be non-empty. */
function expandSubPathExpr(expr: string, env: ReadonlyArray<{ name: string; value: string }>): string {
  const map = new Map(env.map((e) => [e.name, e.value]));
  const missing = new Set<string>();
  const out = expand(expr, (k) => {
    const v = map.get(k);
    if (!v) missing.add(k);
    return v ?? '';
  });
  if (missing.size) throw new ContainerConfigError('InvalidSubPath', `missing value for ${[...missing].sort().join(', ')}`);
  return out;
}

function prepareSubPath(volumePath: string, subPath: string, mountName: string, containerName: string): string {
  if (isAbsolute(subPath)) throw new ContainerConfigError('InvalidSubPath', `error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) {
    throw new ContainerConfigError('InvalidSubPath', `unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  }
  const target = join(volumePath, subPath);
  let exists = true;
  try {
    statSync(target);
  } catch {
    exists = false;
  }
  if (!exists) {
    try {
      const mode = statSync(volumePath).mode & 0o7777;
      mkdirSync(target, { recursive: true, mode });
      chmodSync(target, mode);
    } catch (err) {
      throw new ContainerConfigError('InvalidSubPath', `failed to create subPath directory for volumeMount "${mountName}" of container "${containerName}"`, { cause: err });
    }
  }
  // A symlink inside the volume must not lead the bind mount out of it.
  const real = realpathSync(target);
  const rel = relative(realpathSync(volumePath), real);
  if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) {
    throw new ContainerConfigError('InvalidSubPath', `failed to prepare subPath for volumeMount "${mountName}" of container "${containerName}"`);
  }
  return real;
}
