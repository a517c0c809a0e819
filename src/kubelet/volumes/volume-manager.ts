// Sets up, refreshes and tears down a pod's volumes on this node. Layout as upstream:
// `<podsDir>/<uid>/volumes/kubernetes.io~<plugin>/<name>`. emptyDir is a 0777 directory (medium
// Memory: a tmpfs of sizeLimit, else of the pod's memory limit); configMap, secret, downwardAPI and
// projected are written with the atomic writer (secret and projected into a tmpfs); hostPath and
// PV-backed volumes point at the host path itself and are never removed. No state is kept: tearDown
// finds mounts from /proc/self/mountinfo, so it works after a kubelet restart.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { ObjectSource } from '../pod/object-source.js';
import type { NodeAllocatable } from '../envvars/resource-field-ref.js';
import { parseQuantityJson } from '../../machinery/quantity.js';
import { podLimits } from '../pod/sandbox-config.js';
import { writePayload, type Payload } from './atomic-writer.js';
import { VolumeError } from './errors.js';
import { checkHostPathType } from './host-path.js';
import { isMountPoint, mountPointsUnder, mountTmpfs, unmount } from './mounts.js';
import { configMapPayload, DEFAULT_MODE, downwardAPIPayload, projectedPayload, secretPayload, type PayloadContext } from './payloads.js';
import { persistentVolumePath } from './persistent-volume.js';

export interface VolumeMount {
  hostPath: string;
  readOnly?: boolean;
}

export const PLUGIN_DIRS = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

export class VolumeManager {
  private readonly podsDir: string;
  private readonly source: ObjectSource;
  private readonly nodeAllocatable?: NodeAllocatable;

  constructor(opts: { podsDir: string; source: ObjectSource; nodeAllocatable?: NodeAllocatable }) {
    this.podsDir = opts.podsDir;
    this.source = opts.source;
    this.nodeAllocatable = opts.nodeAllocatable;
  }

  podDir(uid: string): string {
    return join(this.podsDir, uid);
  }

  /** Sets up every volume of the pod (idempotent); rejects with a VolumeError on the first failure. */
  async setUp(pod: Pod): Promise<Map<string, VolumeMount>> {
    const out = new Map<string, VolumeMount>();
    for (const v of pod.spec?.volumes ?? []) out.set(v.name, await this.setUpVolume(pod, v));
    return out;
  }

  /** Re-writes configMap/secret/downwardAPI/projected contents that changed; returns the changed
   *  volume names, and errors for volumes that could not be refreshed (their old contents stay). */
  async update(pod: Pod): Promise<{ updated: string[]; errors: VolumeError[] }> {
    const updated: string[] = [];
    const errors: VolumeError[] = [];
    for (const v of pod.spec?.volumes ?? []) {
      if (!(v.configMap || v.secret || v.downwardAPI || v.projected)) continue;
      try {
        if (await this.writeProjection(pod, v)) updated.push(v.name);
      } catch (err) {
        errors.push(err instanceof VolumeError ? err : new VolumeError('MountFailed', v.name, String(err), { cause: err }));
      }
    }
    return { updated, errors };
  }

  /** Unmounts every mount under the pod directory, then removes the directory (volumes and the
   *  containers' termination-message files). Host paths are outside it and stay untouched. */
  async tearDown(podUid: string): Promise<void> {
    const dir = this.podDir(podUid);
    for (const m of mountPointsUnder(dir)) await unmount(m);
    const left = mountPointsUnder(dir);
    if (left.length) throw new VolumeError('MountFailed', '', `still mounted after unmount: ${left.join(', ')}`);
    await fs.rm(dir, { recursive: true, force: true });
  }

  /** Pod UIDs with a directory here (orphan cleanup after a restart compares them to the pods). */
  async listPodDirs(): Promise<string[]> {
    const entries = await fs.readdir(this.podsDir, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  }

  private volumeDir(pod: Pod, plugin: keyof typeof PLUGIN_DIRS, name: string): string {
    return join(this.podDir(pod.metadata?.uid ?? ''), 'volumes', PLUGIN_DIRS[plugin], name);
  }

  private async setUpVolume(pod: Pod, v: Volume): Promise<VolumeMount> {
    if (v.emptyDir) return { hostPath: await this.setUpEmptyDir(pod, v) };
    if (v.hostPath) {
      const msg = checkHostPathType(v.hostPath.path, v.hostPath.type);
      if (msg) throw new VolumeError('HostPathTypeCheck', v.name, msg);
      return { hostPath: v.hostPath.path };
    }
    if (v.configMap || v.secret || v.downwardAPI || v.projected) {
      const plugin = v.configMap ? 'configMap' : v.secret ? 'secret' : v.downwardAPI ? 'downwardAPI' : 'projected';
      const dir = this.volumeDir(pod, plugin, v.name);
      // Secrets, and projections (which may hold secrets or a token), never touch the disk: they are
      // written into a tmpfs, as upstream's wrapped memory-backed emptyDir.
      if (plugin === 'secret' || plugin === 'projected') await this.ensureTmpfs(dir, pod, v.name);
      await this.writeProjection(pod, v);
      return { hostPath: dir, readOnly: true };
    }
    const ns = pod.metadata?.namespace ?? 'default';
    if (v.persistentVolumeClaim) {
      const hostPath = await persistentVolumePath(this.source, ns, v.persistentVolumeClaim.claimName, v.name);
      return { hostPath, readOnly: v.persistentVolumeClaim.readOnly ?? false };
    }
    if (v.ephemeral) {
      // Generic ephemeral volumes are PVCs named <pod>-<volume>, created by the ephemeral controller.
      return { hostPath: await persistentVolumePath(this.source, ns, `${pod.metadata?.name}-${v.name}`, v.name) };
    }
    throw new VolumeError('UnsupportedVolumeType', v.name, `unsupported volume type for volume "${v.name}"`);
  }

  private async setUpEmptyDir(pod: Pod, v: Volume): Promise<string> {
    const dir = this.volumeDir(pod, 'emptyDir', v.name);
    if (v.emptyDir?.medium === 'Memory') {
      await this.ensureTmpfs(dir, pod, v.name, v.emptyDir.sizeLimit ? parseQuantityJson(v.emptyDir.sizeLimit).value() : undefined);
    } else if (v.emptyDir?.medium) {
      throw new VolumeError('UnsupportedVolumeType', v.name, `unsupported emptyDir medium "${v.emptyDir.medium}" for volume "${v.name}"`);
    }
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(dir, 0o777);
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    if (fsGroup !== undefined) {
      await fs.chown(dir, 0, fsGroup);
      await fs.chmod(dir, 0o2777); // setgid: new files inherit the fsGroup, as upstream SetVolumeOwnership
    }
    return dir;
  }

  /** A tmpfs on `dir` (once) of `sizeBytes`, else of the pod's memory limit (unlimited without one). */
  private async ensureTmpfs(dir: string, pod: Pod, volume: string, sizeBytes?: number): Promise<void> {
    // A directory made just now is no mount point; only an existing one needs the mount table read.
    const made = await fs.mkdir(dir, { recursive: true });
    if (made === undefined && isMountPoint(dir)) return;
    try {
      await mountTmpfs(dir, sizeBytes ?? podLimits(pod).memoryLimitBytes);
    } catch (err) {
      throw new VolumeError('MountFailed', volume, `mount tmpfs on ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  private async writeProjection(pod: Pod, v: Volume): Promise<boolean> {
    const ctx: PayloadContext = { pod, volume: v.name, source: this.source, nodeAllocatable: this.nodeAllocatable };
    let payload: Payload;
    let plugin: keyof typeof PLUGIN_DIRS;
    if (v.configMap) {
      plugin = 'configMap';
      payload = await configMapPayload(ctx, v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE);
    } else if (v.secret) {
      plugin = 'secret';
      payload = await secretPayload(ctx, { ...v.secret, name: v.secret.secretName }, v.secret.defaultMode ?? DEFAULT_MODE);
    } else if (v.downwardAPI) {
      plugin = 'downwardAPI';
      payload = downwardAPIPayload(ctx, v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE);
    } else {
      plugin = 'projected';
      payload = await projectedPayload(ctx, v.projected!);
    }
    try {
      return await writePayload(this.volumeDir(pod, plugin, v.name), payload, { fsGroup: pod.spec?.securityContext?.fsGroup });
    } catch (err) {
      throw new VolumeError('InvalidPath', v.name, (err as Error).message, { cause: err });
    }
  }
}
