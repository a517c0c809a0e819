// Reads an image archive for `skiff image import` (containerd's `ctr images import`): either a
// `docker save` archive (manifest.json listing Config, RepoTags and Layers by path) or an OCI
// image layout (oci-layout, index.json, blobs/sha256/…), plain or gzipped. The archive is extracted
// into a work directory under the store's tmp/, every blob moves into the content store under its
// own digest, and for docker-save archives a Docker v2 manifest is synthesized (as containerd
// does), so imported and pulled images look the same afterwards.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { x as extract } from 'tar';
import { ImageError } from './errors.js';
import type { BlobStore } from './blob-store.js';
import { MEDIA, isIndexType, type Descriptor, type ImageIndex, type ImageManifest } from './media-types.js';
import { normalizeReference } from './reference.js';
import { detectCompression } from './unpack.js';
import { sha256Digest } from './registry-client.js';

export interface ArchiveImage {
  /** Normalized references to tag the image with. */
  names: string[];
  manifestDigest: string;
  manifest: ImageManifest;
  /** Digest for repoDigests (OCI layouts name a manifest or index); absent for docker-save. */
  repoDigest?: string;
}

const bad = (archive: string, why: string) => new ImageError('ERR_BAD_ARCHIVE', `${archive}: ${why}`);

function readJson<T>(file: string, archive: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw bad(archive, `cannot read ${posix.basename(file)}: ${(e as Error).message}`);
  }
}

/** A path inside the archive that must not escape it. */
function member(dir: string, rel: string, archive: string): string {
  const clean = posix.normalize(`/${rel}`);
  const p = join(dir, clean);
  if (!existsSync(p) || !statSync(p).isFile()) throw bad(archive, `missing ${rel}`);
  return p;
}

export async function readArchive(archivePath: string, workDir: string, blobs: BlobStore): Promise<ArchiveImage[]> {
  if (!existsSync(archivePath)) throw new ImageError('ERR_BAD_ARCHIVE', `open ${archivePath}: no such file or directory`);
  try {
    // node-tar detects gzip by itself; ownership inside the archive is irrelevant for blobs.
    await extract({ file: archivePath, cwd: workDir, preserveOwner: false, strict: true });
  } catch (e) {
    throw bad(archivePath, `not a tar archive: ${(e as Error).message}`);
  }
  if (existsSync(join(workDir, 'manifest.json'))) return readDockerSave(archivePath, workDir, blobs);
  if (existsSync(join(workDir, 'index.json'))) return readOciLayout(archivePath, workDir, blobs);
  throw bad(archivePath, 'neither a docker-save archive (manifest.json) nor an OCI image layout (index.json)');
}

interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

async function readDockerSave(archive: string, dir: string, blobs: BlobStore): Promise<ArchiveImage[]> {
  const entries = readJson<DockerSaveEntry[]>(join(dir, 'manifest.json'), archive);
  if (!Array.isArray(entries)) throw bad(archive, 'manifest.json must be a list');
  const adopted = new Map<string, { digest: string; size: number; mediaType: string }>();
  const adopt = async (rel: string, mediaType?: string) => {
    const hit = adopted.get(rel);
    if (hit) return hit;
    const p = member(dir, rel, archive);
    const mt = mediaType ?? (detectCompression(p) === 'gzip' ? MEDIA.dockerLayerGzip : MEDIA.ociLayer);
    const d = { ...(await blobs.adoptFile(p)), mediaType: mt };
    adopted.set(rel, d);
    return d;
  };
  const out: ArchiveImage[] = [];
  for (const e of entries) {
    if (typeof e?.Config !== 'string' || !Array.isArray(e.Layers)) throw bad(archive, 'manifest.json entry without Config or Layers');
    const config = await adopt(e.Config, MEDIA.dockerConfig);
    const layers: Descriptor[] = [];
    for (const l of e.Layers) {
      const d = await adopt(l);
      layers.push({ mediaType: d.mediaType, digest: d.digest, size: d.size });
    }
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MEDIA.dockerManifest, config: { mediaType: config.mediaType, digest: config.digest, size: config.size }, layers };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const manifestDigest = sha256Digest(bytes);
    blobs.putBytes(manifestDigest, bytes);
    out.push({ names: (e.RepoTags ?? []).map((t) => normalizeReference(t)), manifestDigest, manifest });
  }
  return out;
}

async function readOciLayout(archive: string, dir: string, blobs: BlobStore): Promise<ArchiveImage[]> {
  // Every blob moves into the store first; each file must hash to its name.
  const blobDir = join(dir, 'blobs', 'sha256');
  if (existsSync(blobDir)) {
    const { readdirSync } = await import('node:fs');
    for (const name of readdirSync(blobDir)) {
      const want = `sha256:${name}`;
      if (blobs.has(want)) continue;
      const got = await blobs.adoptFile(join(blobDir, name));
      if (got.digest !== want) {
        blobs.delete(got.digest);
        throw new ImageError('ERR_DIGEST_MISMATCH', `${archive}: blob ${name} has digest ${got.digest}`);
      }
    }
  }
  const readBlob = (digest: string) => {
    if (!blobs.has(digest)) throw bad(archive, `missing blob ${digest}`);
    return readFileSync(blobs.path(digest));
  };
  const index = readJson<ImageIndex>(join(dir, 'index.json'), archive);
  const out: ArchiveImage[] = [];
  for (const desc of index.manifests ?? []) {
    const ann = desc.annotations ?? {};
    const rawName = ann['io.containerd.image.name'] ?? ann['org.opencontainers.image.ref.name'];
    // ref.name may be a bare tag ("latest"), which names no repository: the image stays untagged.
    const names = rawName && /[/:]/.test(rawName) ? [normalizeReference(rawName)] : [];
    let target = desc;
    if (isIndexType(desc.mediaType)) {
      const idx = JSON.parse(readBlob(desc.digest).toString('utf8')) as ImageIndex;
      const pick = idx.manifests.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64');
      if (!pick) throw new ImageError('ERR_NO_MATCHING_PLATFORM', `${archive}: no linux/amd64 manifest in ${desc.digest}`);
      target = pick;
    }
    const manifest = JSON.parse(readBlob(target.digest).toString('utf8')) as ImageManifest;
    out.push({ names, manifestDigest: target.digest, manifest, ...(names.length && { repoDigest: desc.digest }) });
  }
  return out;
}
