// The images index: <root>/images.json, the only mutable metadata of the store. It maps images
// (by config digest) to their references, layers and blobs. Written atomically (temp file + fsync +
// rename) so a crash leaves either the old or the new index, and reloaded at start, which is how the
// store survives a kubelet restart. Blobs and snapshots not named here are garbage. Another process
// may change the file under a running agent (`skiff image import|rm`, as crictl does beside
// containerd): every read checks the file's identity (inode, mtime, size) and reloads it when changed.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageConfig, ImageRecord } from './types.js';

export interface StoredLayer {
  digest: string;
  mediaType: string;
  size: number;
  diffId: string;
  chainId: string;
}

/** What the index keeps per image; `toRecord` turns it into the ImageService's ImageRecord. */
export interface StoredImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  sizeBytes: number;
  config: ImageConfig;
  manifestDigest: string;
  layers: StoredLayer[]; // bottom first, as in the manifest
  /** Every blob the image needs kept: manifest(s), config, layers. */
  blobs: string[];
  created: string;
  lastUsed?: string;
}

interface IndexFile {
  version: 1;
  images: StoredImage[];
}

export class ImageIndex {
  private readonly file: string;
  private readonly map = new Map<string, StoredImage>();
  /** inode/mtime/size of the file as last read or written; '' = no file. */
  private loadedStamp = '';

  constructor(root: string) {
    this.file = join(root, 'images.json');
    this.reloadIfChanged();
  }

  /** The images by ID, current with the file on disk. Callers mutate it, then save(). */
  get images(): Map<string, StoredImage> {
    this.reloadIfChanged();
    return this.map;
  }

  private stamp(): string {
    try {
      const st = statSync(this.file);
      return `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return '';
    }
  }

  private reloadIfChanged(): void {
    const now = this.stamp();
    if (now === this.loadedStamp) return;
    this.map.clear();
    if (now) {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as IndexFile;
      for (const img of parsed.images ?? []) this.map.set(img.id, img);
    }
    this.loadedStamp = now;
  }

  save(): void {
    const body: IndexFile = { version: 1, images: [...this.map.values()] };
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(body, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.loadedStamp = this.stamp();
  }
}

export function toRecord(img: StoredImage, snapshotDir: (chainId: string) => string): ImageRecord {
  return {
    id: img.id,
    repoTags: [...img.repoTags],
    repoDigests: [...img.repoDigests],
    sizeBytes: img.sizeBytes,
    config: structuredClone(img.config),
    layerDirs: img.layers.map((l) => snapshotDir(l.chainId)).reverse(),
    ...(img.lastUsed && { lastUsed: img.lastUsed }),
  };
}
