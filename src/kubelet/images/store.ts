// The kubelet's image manager (ImageService): a content-addressed store under one root directory.
//   <root>/blobs/sha256/<hex>        manifests, indexes, configs, compressed layers (verified)
//   <root>/snapshots/<chainId hex>/fs  one unpacked layer each, an overlayfs lowerdir
//   <root>/snapshots/<chainId hex>/meta.json  {diffId, size}
//   <root>/tmp/                      partial downloads (resumed), unpack and import work dirs
//   <root>/images.json               the index (image-index.ts)
// A layer is unpacked once per chain ID (its content plus everything below it), so two images
// sharing a base share its snapshots. Removing an image drops its references and then deletes every
// blob and snapshot that no remaining image (and no pull in progress) uses.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRecord, ImageService, PullAuth, PullProgress } from './types.js';
import { ImageError } from './errors.js';
import { BlobStore } from './blob-store.js';
import { ImageIndex, toRecord, type StoredImage, type StoredLayer } from './image-index.js';
import { RegistryClient, type RegistrySession } from './registry-client.js';
import type { RegistriesConfig } from './registries-config.js';
import { formatReference, isDigestLike, parseReference, repositoryName, type ImageReference } from './reference.js';
import type { ImageManifest, OciImageConfig } from './media-types.js';
import { unpackLayer } from './unpack.js';
import { readArchive, type ArchiveImage } from './archive-import.js';
import { amountToFree, selectVictims, statfsUsage, type FsUsage } from './gc.js';

export interface ImageStoreOptions {
  root: string;
  registries?: RegistriesConfig;
  /** Disk usage of the image filesystem; statfs of `root` unless replaced (tests). */
  statfs?: (path: string) => FsUsage;
}

const hex = (digest: string) => digest.slice('sha256:'.length);

export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev === undefined ? d : `sha256:${createHash('sha256').update(`${prev} ${d}`).digest('hex')}`);
  }
  return out;
}

export class ImageStore implements ImageService {
  readonly root: string;
  readonly blobs: BlobStore;
  readonly client: RegistryClient;
  private readonly index: ImageIndex;
  private readonly statfs: (path: string) => FsUsage;
  private readonly snapshotsDir: string;
  /** Blobs and chain IDs in use by pulls/imports still running: never garbage. */
  private readonly pinned = new Map<string, number>();
  private readonly unpacking = new Map<string, Promise<void>>();

  constructor(opts: ImageStoreOptions) {
    this.root = opts.root;
    mkdirSync(this.root, { recursive: true });
    this.blobs = new BlobStore(this.root);
    this.snapshotsDir = join(this.root, 'snapshots');
    mkdirSync(this.snapshotsDir, { recursive: true });
    this.client = new RegistryClient({ ...(opts.registries && { registries: opts.registries }) });
    this.index = new ImageIndex(this.root);
    this.statfs = opts.statfs ?? statfsUsage;
    // Leftovers of a crash mid-unpack or mid-import; partial downloads stay to be resumed.
    for (const n of readdirSync(this.snapshotsDir)) if (n.includes('.tmp-')) rmSync(join(this.snapshotsDir, n), { recursive: true, force: true });
    for (const n of readdirSync(this.blobs.tmpDir)) if (!n.endsWith('.partial')) rmSync(join(this.blobs.tmpDir, n), { recursive: true, force: true });
  }

  snapshotDir(chainId: string): string {
    return join(this.snapshotsDir, hex(chainId), 'fs');
  }

  get(ref: string): ImageRecord | undefined {
    const img = this.find(ref);
    return img && toRecord(img, (c) => this.snapshotDir(c));
  }

  list(): ImageRecord[] {
    return [...this.index.images.values()].map((i) => toRecord(i, (c) => this.snapshotDir(c)));
  }

  /** By image ID (full, sha256:-less, or a unique prefix of at least 12 hex digits) or by reference. */
  private find(ref: string): StoredImage | undefined {
    const bare = ref.startsWith('sha256:') ? ref.slice(7) : ref;
    if (/^[a-f0-9]{12,64}$/.test(bare)) {
      const hits = [...this.index.images.values()].filter((i) => hex(i.id).startsWith(bare));
      if (hits.length === 1) return hits[0];
      if (isDigestLike(ref)) return undefined;
    }
    let r: ImageReference;
    try {
      r = parseReference(ref);
    } catch {
      return undefined;
    }
    const repo = repositoryName(r);
    for (const img of this.index.images.values()) {
      if (r.digest ? img.repoDigests.includes(`${repo}@${r.digest}`) || (img.manifestDigest === r.digest && img.repoDigests.some((d) => d.startsWith(`${repo}@`))) : img.repoTags.includes(`${repo}:${r.tag}`)) return img;
    }
    return undefined;
  }

  markUsed(id: string): void {
    const img = this.find(id);
    if (!img) return;
    img.lastUsed = new Date().toISOString();
    this.index.save();
  }

  async pull(ref: string, opts: { auths?: Record<string, PullAuth>; onProgress?(p: PullProgress): void; signal?: AbortSignal } = {}): Promise<ImageRecord> {
    const r = parseReference(ref);
    const name = formatReference(r);
    const pins: string[] = [];
    try {
      const resolved = await this.client.resolve(r, opts);
      const { manifest, session } = resolved;
      this.pin(pins, resolved.digest, resolved.manifestDigest, manifest.config.digest, ...manifest.layers.map((l) => l.digest));
      if (resolved.index) this.blobs.putBytes(resolved.digest, resolved.index.bytes);
      this.blobs.putBytes(resolved.manifestDigest, resolved.manifestBytes);
      const total = manifest.config.size + manifest.layers.reduce((n, l) => n + l.size, 0);
      let done = 0;
      const progress = (n: number) => {
        done += n;
        opts.onProgress?.({ bytes: done, totalBytes: total });
      };
      const fetch = (d: { digest: string; size: number }) => this.blobs.ensure(d, (offset) => this.client.openBlob(session, d.digest, offset, opts.signal), progress);
      await fetch(manifest.config);
      await inParallel(manifest.layers, 3, fetch);
      const img = await this.commit(manifest, resolved.manifestDigest, pins, {
        tags: r.tag !== undefined ? [`${repositoryName(r)}:${r.tag}`] : [],
        digests: [`${repositoryName(r)}@${resolved.digest}`],
        extraBlobs: resolved.index ? [resolved.digest] : [],
      });
      return toRecord(img, (c) => this.snapshotDir(c));
    } catch (e) {
      if (e instanceof ImageError) throw new ImageError(e.code, `failed to pull and unpack image "${name}": ${e.message}`, { cause: e });
      throw new ImageError('ERR_REGISTRY_UNAVAILABLE', `failed to pull and unpack image "${name}": ${(e as Error).message}`, { cause: e });
    } finally {
      this.unpin(pins);
    }
  }

  async import(archivePath: string): Promise<ImageRecord[]> {
    const work = join(this.blobs.tmpDir, `import-${randomBytes(6).toString('hex')}`);
    mkdirSync(work, { recursive: true });
    const pins: string[] = [];
    try {
      const found: ArchiveImage[] = await readArchive(archivePath, work, this.blobs);
      const out: ImageRecord[] = [];
      for (const a of found) {
        this.pin(pins, a.manifestDigest, a.manifest.config.digest, ...a.manifest.layers.map((l) => l.digest));
        const img = await this.commit(a.manifest, a.manifestDigest, pins, {
          tags: a.names.map((n) => n.replace(/@sha256:[a-f0-9]{64}$/, '')).filter((n) => /:[^/]+$/.test(n)),
          digests: a.repoDigest ? a.names.map((n) => `${repositoryName(parseReference(n))}@${a.repoDigest}`) : [],
          extraBlobs: a.repoDigest && a.repoDigest !== a.manifestDigest ? [a.repoDigest] : [],
        });
        out.push(toRecord(img, (c) => this.snapshotDir(c)));
      }
      return out;
    } finally {
      this.unpin(pins);
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Unpacks the layers (once per chain ID) and records the image under its references. */
  private async commit(manifest: ImageManifest, manifestDigest: string, pins: string[], refs: { tags: string[]; digests: string[]; extraBlobs: string[] }): Promise<StoredImage> {
    const configBytes = readFileSync(this.blobs.path(manifest.config.digest));
    const config = JSON.parse(configBytes.toString('utf8')) as OciImageConfig;
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== manifest.layers.length) throw new ImageError('ERR_UNSUPPORTED_MEDIA_TYPE', `image config has ${diffIds.length} diff_ids for ${manifest.layers.length} layers`);
    const chains = chainIds(diffIds);
    this.pin(pins, ...chains);
    const layers: StoredLayer[] = [];
    for (let i = 0; i < manifest.layers.length; i++) {
      const l = manifest.layers[i];
      await this.ensureSnapshot(chains[i], diffIds[i], l.digest, chains.slice(0, i).reverse());
      layers.push({ digest: l.digest, mediaType: l.mediaType, size: l.size, diffId: diffIds[i], chainId: chains[i] });
    }
    const id = manifest.config.digest;
    // A tag names one image: moving it leaves the previous image untagged (shown as <none>).
    for (const other of this.index.images.values()) {
      if (other.id === id) continue;
      other.repoTags = other.repoTags.filter((t) => !refs.tags.includes(t));
    }
    const prev = this.index.images.get(id);
    const c = config.config ?? {};
    const img: StoredImage = {
      id,
      repoTags: union(prev?.repoTags, refs.tags),
      repoDigests: union(prev?.repoDigests, refs.digests),
      sizeBytes: manifest.config.size + manifest.layers.reduce((n, x) => n + x.size, 0),
      config: {
        ...(c.Entrypoint && { entrypoint: c.Entrypoint }),
        ...(c.Cmd && { cmd: c.Cmd }),
        ...(c.Env && { env: c.Env }),
        ...(c.WorkingDir && { workingDir: c.WorkingDir }),
        ...(c.User && { user: c.User }),
        ...(c.StopSignal && { stopSignal: c.StopSignal }),
        ...(c.ExposedPorts && { exposedPorts: Object.keys(c.ExposedPorts) }),
      },
      manifestDigest,
      layers,
      blobs: union(prev?.blobs, [manifestDigest, manifest.config.digest, ...manifest.layers.map((l) => l.digest), ...refs.extraBlobs]),
      created: prev?.created ?? new Date().toISOString(),
      ...(prev?.lastUsed && { lastUsed: prev.lastUsed }),
    };
    this.index.images.set(id, img);
    this.index.save();
    return img;
  }

  private ensureSnapshot(chainId: string, diffId: string, blobDigest: string, lowerChains: string[]): Promise<void> {
    const dir = join(this.snapshotsDir, hex(chainId));
    if (existsSync(dir)) return Promise.resolve();
    const running = this.unpacking.get(chainId);
    if (running) return running;
    const p = (async () => {
      const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
      try {
        const res = await unpackLayer(this.blobs.path(blobDigest), join(tmp, 'fs'), lowerChains.map((c) => this.snapshotDir(c)));
        if (res.diffId !== diffId) throw new ImageError('ERR_DIGEST_MISMATCH', `layer ${blobDigest}: unpacked content has diff ID ${res.diffId}, config says ${diffId}`);
        writeFileSync(join(tmp, 'meta.json'), JSON.stringify({ diffId, size: res.size, blob: blobDigest }));
        renameSync(tmp, dir);
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true });
        throw e;
      }
    })().finally(() => this.unpacking.delete(chainId));
    this.unpacking.set(chainId, p);
    return p;
  }

  /** CRI semantics: removing by any reference or by ID removes the whole image. */
  async remove(ref: string): Promise<boolean> {
    const img = this.find(ref);
    if (!img) return false;
    this.index.images.delete(img.id);
    this.index.save();
    this.sweep();
    return true;
  }

  /** Deletes blobs and snapshots that no image and no running pull needs. */
  private sweep(): void {
    const keep = new Set<string>(this.pinned.keys());
    for (const img of this.index.images.values()) {
      for (const b of img.blobs) keep.add(b);
      for (const l of img.layers) keep.add(l.chainId);
    }
    for (const d of this.blobs.list()) if (!keep.has(d)) this.blobs.delete(d);
    for (const n of readdirSync(this.snapshotsDir)) {
      if (!/^[a-f0-9]{64}$/.test(n) || keep.has(`sha256:${n}`)) continue;
      rmSync(join(this.snapshotsDir, n), { recursive: true, force: true });
    }
  }

  async garbageCollect(inUse: Set<string>, opts: { highPercent: number; lowPercent: number }): Promise<string[]> {
    const toFree = amountToFree(this.statfs(this.root), opts.highPercent, opts.lowPercent);
    if (toFree <= 0) return [];
    const used = (img: StoredImage) => inUse.has(img.id) || img.repoTags.some((t) => inUse.has(t)) || img.repoDigests.some((d) => inUse.has(d));
    const candidates = [...this.index.images.values()]
      .filter((img) => !used(img))
      .map((img) => ({ id: img.id, sizeBytes: img.sizeBytes, lastUsed: Date.parse(img.lastUsed ?? img.created) || 0 }));
    const victims = selectVictims(candidates, toFree);
    for (const id of victims) this.index.images.delete(id);
    if (victims.length) {
      this.index.save();
      this.sweep();
    }
    return victims;
  }

  private pin(list: string[], ...keys: string[]): void {
    for (const k of keys) {
      this.pinned.set(k, (this.pinned.get(k) ?? 0) + 1);
      list.push(k);
    }
  }

  private unpin(list: string[]): void {
    for (const k of list.splice(0)) {
      const n = (this.pinned.get(k) ?? 1) - 1;
      if (n <= 0) this.pinned.delete(k);
      else this.pinned.set(k, n);
    }
  }
}

const union = (a: string[] | undefined, b: string[]) => [...new Set([...(a ?? []), ...b])];

async function inParallel<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export type { RegistrySession };
