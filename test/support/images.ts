// Test helper: builds small registry-shaped images from this machine's /bin/busybox (no outside
// registry is reachable), pushes them to a registry over the HTTP API, and writes docker-save and
// OCI-layout archives for import tests. Images:
//   busybox  one gzip layer: bin/busybox + applet symlinks, etc/ tmp/(1777) proc/ sys/ dev/ root/
//            var/www/; Env PATH=…, Cmd ["sh"]
//   httpd    busybox layer + a layer with var/www/index.html and var/www/ready;
//            Cmd ["httpd","-f","-p","80","-h","/var/www"], ExposedPorts 80/tcp
//   whiteout busybox + a layer adding etc/removed and opt/keep/{a,b} + a layer deleting etc/removed
//            (`.wh.removed`) and making opt/keep opaque (`.wh..wh..opq`) with a new opt/keep/c
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { c as tarCreate } from 'tar';

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

export interface Layer extends Blob {
  /** sha256 of the uncompressed tar. */
  diffId: string;
  uncompressed: Buffer;
}

export interface BuiltImage {
  format: 'docker' | 'oci';
  config: Blob;
  layers: Layer[]; // bottom first
  manifest: Blob;
}

export type LayerEntry =
  | { path: string; type: 'dir'; mode?: number }
  | { path: string; type: 'file'; content?: string | Buffer; mode?: number; from?: string }
  | { path: string; type: 'symlink'; target: string };

const M = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};

export const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const blob = (mediaType: string, bytes: Buffer): Blob => ({ mediaType, bytes, digest: digestOf(bytes), size: bytes.length });

/** A layer tar (gzip) holding exactly `entries`, built through a staging dir with node-tar. */
export function buildLayer(entries: LayerEntry[], format: 'docker' | 'oci' = 'docker'): Layer {
  const stage = mkdtempSync(join(tmpdir(), 'skiff-layer-'));
  try {
    const root = join(stage, 'root');
    mkdirSync(root);
    for (const e of entries) {
      const p = join(root, e.path);
      mkdirSync(dirname(p), { recursive: true });
      if (e.type === 'dir') {
        mkdirSync(p, { recursive: true });
        chmodSync(p, e.mode ?? 0o755);
      } else if (e.type === 'file') {
        if (e.from) copyFileSync(e.from, p);
        else writeFileSync(p, e.content ?? '');
        chmodSync(p, e.mode ?? 0o644);
      } else {
        symlinkSync(e.target, p);
      }
    }
    const file = join(stage, 'layer.tar');
    // Only top-level names: node-tar recurses; 'portable' off keeps uid/gid 0 and modes as staged.
    tarCreate({ sync: true, file, cwd: root, portable: false, noDirRecurse: false }, readdirSync(root).sort());
    const uncompressed = readFileSync(file);
    const gz = gzipSync(uncompressed, { level: 1 });
    return { ...blob(format === 'oci' ? M.ociLayer : M.dockerLayer, gz), diffId: digestOf(uncompressed), uncompressed };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

export interface ImageConfigInput {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  User?: string;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string>;
}

export function buildImage(layers: Layer[], cfg: ImageConfigInput, format: 'docker' | 'oci' = 'docker'): BuiltImage {
  const config = blob(
    format === 'oci' ? M.ociConfig : M.dockerConfig,
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z', config: cfg, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) }, history: layers.map(() => ({ created_by: 'skiff test' })) })),
  );
  const desc = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const manifest = blob(
    format === 'oci' ? M.ociManifest : M.dockerManifest,
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: format === 'oci' ? M.ociManifest : M.dockerManifest, config: desc(config), layers: layers.map(desc) })),
  );
  return { format, config, layers, manifest };
}

/** A manifest list (docker) or index (oci) over images with their platforms. */
export function buildIndex(entries: Array<{ image: BuiltImage; os: string; architecture: string; variant?: string }>, format: 'docker' | 'oci' = 'docker'): Blob {
  const mt = format === 'oci' ? M.ociIndex : M.dockerList;
  return blob(
    mt,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: mt,
        manifests: entries.map((e) => ({ mediaType: e.image.manifest.mediaType, digest: e.image.manifest.digest, size: e.image.manifest.size, platform: { os: e.os, architecture: e.architecture, ...(e.variant && { variant: e.variant }) } })),
      }),
    ),
  );
}

export const BUSYBOX_APPLETS = ['sh', 'echo', 'cat', 'ls', 'sleep', 'env', 'test', '[', 'tar', 'wget', 'httpd', 'nc', 'mkdir', 'rm', 'cp', 'mv', 'touch', 'id', 'hostname', 'ps', 'kill', 'true', 'false', 'printf', 'head', 'tail', 'grep', 'sed', 'date', 'dd', 'seq', 'yes', 'du', 'df', 'mount', 'stat', 'chmod', 'readlink', 'ln', 'whoami', 'nslookup', 'timeout', 'free', 'wc', 'sort', 'uname', 'expr', 'basename', 'dirname', 'pwd', 'find', 'xargs', 'tee', 'ping', 'ip', 'ifconfig', 'netstat', 'nohup', 'chown', 'umount', 'vi', 'awk', 'md5sum', 'sha256sum', 'base64', 'tr', 'cut', 'uniq', 'tac', 'rmdir', 'sync', 'usleep', 'watch', 'top', 'pidof', 'killall', 'ash', 'stty'];

const layerCache = new Map<string, Layer>();

/** The busybox base layer (memoized: building it gzips ~1 MB). */
export function busyboxLayer(format: 'docker' | 'oci' = 'docker'): Layer {
  const hit = layerCache.get(format);
  if (hit) return hit;
  let available: Set<string>;
  try {
    available = new Set(execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean));
  } catch {
    available = new Set(BUSYBOX_APPLETS);
  }
  const entries: LayerEntry[] = [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', type: 'file', from: '/bin/busybox', mode: 0o755 },
    ...BUSYBOX_APPLETS.filter((a) => available.has(a)).map((a): LayerEntry => ({ path: `bin/${a}`, type: 'symlink', target: 'busybox' })),
    { path: 'etc', type: 'dir' },
    { path: 'etc/passwd', type: 'file', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
    { path: 'etc/group', type: 'file', content: 'root:x:0:\nnogroup:x:65534:\n' },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'proc', type: 'dir' },
    { path: 'sys', type: 'dir' },
    { path: 'dev', type: 'dir' },
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'var/www', type: 'dir' },
  ];
  const l = buildLayer(entries, format);
  layerCache.set(format, l);
  return l;
}

const PATH_ENV = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin';

export function buildBusyboxImage(opts: { format?: 'docker' | 'oci' } = {}): BuiltImage {
  const f = opts.format ?? 'docker';
  // The label keeps the two formats' image IDs apart (their layers are byte-identical).
  return buildImage([busyboxLayer(f)], { Env: [PATH_ENV], Cmd: ['sh'], Labels: { 'dev.skiff.test.format': f } }, f);
}

export function buildHttpdImage(opts: { format?: 'docker' | 'oci' } = {}): BuiltImage {
  const f = opts.format ?? 'docker';
  const www = buildLayer(
    [
      { path: 'var/www', type: 'dir' },
      { path: 'var/www/index.html', type: 'file', content: 'hello from skiff\n' },
      { path: 'var/www/ready', type: 'file', content: 'ok\n' },
    ],
    f,
  );
  return buildImage([busyboxLayer(f), www], { Env: [PATH_ENV], Cmd: ['httpd', '-f', '-p', '80', '-h', '/var/www'], ExposedPorts: { '80/tcp': {} } }, f);
}

/** Three layers; after stacking: etc/removed is gone, opt/keep holds only c (a and b hidden). */
export function buildWhiteoutImage(): BuiltImage {
  const add = buildLayer([
    { path: 'etc', type: 'dir' },
    { path: 'etc/removed', type: 'file', content: 'to be deleted\n' },
    { path: 'etc/kept', type: 'file', content: 'stays\n' },
    { path: 'opt/keep', type: 'dir' },
    { path: 'opt/keep/a', type: 'file', content: 'a\n' },
    { path: 'opt/keep/b', type: 'dir' },
    { path: 'opt/keep/b/deep', type: 'file', content: 'deep\n' },
  ]);
  const del = buildLayer([
    { path: 'etc', type: 'dir' },
    { path: 'etc/.wh.removed', type: 'file' },
    { path: 'opt/keep', type: 'dir' },
    { path: 'opt/keep/.wh..wh..opq', type: 'file' },
    { path: 'opt/keep/b', type: 'dir' },
    { path: 'opt/keep/c', type: 'file', content: 'c\n' },
  ]);
  return buildImage([busyboxLayer(), add, del], { Env: [PATH_ENV], Cmd: ['sh'] });
}

async function ok(res: Response, what: string, want: number[]): Promise<Response> {
  if (!want.includes(res.status)) throw new Error(`${what}: HTTP ${res.status}: ${await res.text()}`);
  return res;
}

/** Pushes one blob (skipped when the registry has it): POST an upload, then PUT it with its digest. */
export async function pushBlob(registryUrl: string, repo: string, b: Blob): Promise<void> {
  const head = await fetch(`${registryUrl}/v2/${repo}/blobs/${b.digest}`, { method: 'HEAD' });
  if (head.status === 200) return;
  const start = await ok(await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST' }), `start upload of ${b.digest}`, [202]);
  await start.arrayBuffer();
  const loc = new URL(start.headers.get('location') ?? '', registryUrl);
  loc.searchParams.set('digest', b.digest);
  const put = await fetch(loc, { method: 'PUT', body: new Uint8Array(b.bytes), headers: { 'Content-Type': 'application/octet-stream' } });
  await (await ok(put, `upload ${b.digest}`, [201])).arrayBuffer();
}

/** PUTs a manifest (or index) under `ref` (tag or digest) with its exact media type. */
export async function pushManifest(registryUrl: string, repo: string, ref: string, m: Blob): Promise<void> {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body: new Uint8Array(m.bytes), headers: { 'Content-Type': m.mediaType } });
  await (await ok(res, `push manifest ${repo}:${ref}`, [201])).arrayBuffer();
}

export async function pushImage(registryUrl: string, repo: string, tag: string, image: BuiltImage): Promise<void> {
  for (const l of image.layers) await pushBlob(registryUrl, repo, l);
  await pushBlob(registryUrl, repo, image.config);
  await pushManifest(registryUrl, repo, tag, image.manifest);
}

function writeArchiveFrom(stage: string, path: string, gzip: boolean): void {
  tarCreate({ sync: true, file: path, cwd: stage, gzip, portable: true }, readdirSync(stage).sort());
}

/** A `docker save` archive: manifest.json, <config>.json, <diffid>/layer.tar (uncompressed). */
export function writeDockerArchive(path: string, repoTag: string, image: BuiltImage, opts: { gzip?: boolean } = {}): void {
  const stage = mkdtempSync(join(tmpdir(), 'skiff-save-'));
  try {
    const configName = `${image.config.digest.slice(7)}.json`;
    writeFileSync(join(stage, configName), image.config.bytes);
    const layers = image.layers.map((l) => {
      const dir = l.diffId.slice(7);
      mkdirSync(join(stage, dir), { recursive: true });
      writeFileSync(join(stage, dir, 'layer.tar'), l.uncompressed);
      return `${dir}/layer.tar`;
    });
    writeFileSync(join(stage, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [repoTag], Layers: layers }]));
    writeArchiveFrom(stage, path, opts.gzip ?? false);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** An OCI image layout archive: oci-layout, index.json (named by io.containerd.image.name), blobs/. */
export function writeOciArchive(path: string, name: string, image: BuiltImage, opts: { gzip?: boolean } = {}): void {
  const stage = mkdtempSync(join(tmpdir(), 'skiff-oci-'));
  try {
    mkdirSync(join(stage, 'blobs', 'sha256'), { recursive: true });
    for (const b of [image.config, image.manifest, ...image.layers]) writeFileSync(join(stage, 'blobs', 'sha256', b.digest.slice(7)), b.bytes);
    writeFileSync(join(stage, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    const m = image.manifest;
    writeFileSync(join(stage, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: m.mediaType, digest: m.digest, size: m.size, annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name.split(':').pop() } }] }));
    writeArchiveFrom(stage, path, opts.gzip ?? false);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
