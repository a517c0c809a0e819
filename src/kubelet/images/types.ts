// What the kubelet needs from the image manager: pull (with policy handled by the kubelet), look up,
// list for node status, and the unpacked layers a container's overlayfs rootfs stacks.
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[]; // KEY=value
  workingDir?: string;
  user?: string;
  stopSignal?: string;
  exposedPorts?: string[];
}

export interface ImageRecord {
  /** sha256:… of the image config (upstream's "image ID"). */
  id: string;
  /** Every reference that resolved to this image, normalized (docker.io/library/busybox:latest). */
  repoTags: string[];
  /** repo@sha256:<manifest digest> references. */
  repoDigests: string[];
  sizeBytes: number;
  config: ImageConfig;
  /** Unpacked layer directories, topmost first (overlayfs lowerdir order). */
  layerDirs: string[];
  lastUsed?: string; // ISO time; for GC
}

export interface PullAuth {
  username?: string;
  password?: string;
  /** base64 user:pass as in dockerconfigjson `auth`. */
  auth?: string;
  identityToken?: string;
}

export interface PullProgress {
  bytes: number;
  totalBytes: number;
}

export interface ImageService {
  /** Normalized lookup (busybox → docker.io/library/busybox:latest, digests honoured). */
  get(ref: string): ImageRecord | undefined;
  /** Pulls through the configured mirrors; `auths` keyed by registry host (from imagePullSecrets). */
  pull(ref: string, opts?: { auths?: Record<string, PullAuth>; onProgress?(p: PullProgress): void; signal?: AbortSignal }): Promise<ImageRecord>;
  list(): ImageRecord[];
  remove(ref: string): Promise<boolean>;
  /** docker-save or OCI archive (.tar, optionally gzipped); returns the imported images. */
  import(archivePath: string): Promise<ImageRecord[]>;
  markUsed(id: string): void;
  /** Removes unused images (not in `inUse`, least recently used first) until usage <= lowPercent. */
  garbageCollect(inUse: Set<string>, opts: { highPercent: number; lowPercent: number }): Promise<string[]>;
}
