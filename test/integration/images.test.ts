// Integration test of the image manager against Debian's real docker-registry: images built here
// from /bin/busybox are pushed under docker.io-style names and pulled through a registries.yaml
// mirror, exactly the path a kubelet pull of `busybox` takes. Needs root (overlayfs mount, chown,
// mknod) and the docker-registry binary.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../src/kubelet/images/store.js';
import { loadRegistriesConfig } from '../../src/kubelet/images/registries-config.js';
import { isImageError } from '../../src/kubelet/images/errors.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { buildBusyboxImage, buildHttpdImage, buildImage, buildIndex, buildLayer, buildWhiteoutImage, busyboxLayer, pushBlob, pushImage, pushManifest, writeDockerArchive, writeOciArchive } from '../support/images.js';

describe('image store against a real registry', () => {
  let reg: TestRegistry;
  let dir: string;
  let store: ImageStore;
  const busybox = buildBusyboxImage();
  const httpd = buildHttpdImage();
  const whiteout = buildWhiteoutImage();
  const ociBusybox = buildBusyboxImage({ format: 'oci' });
  const mounts: string[] = [];

  const newStore = (root = join(dir, 'images')) => new ImageStore({ root, registries: { ...loadRegistriesConfig(join(dir, 'registries.yaml')), disableDefaultEndpoint: true } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-images-it-'));
    reg = await startRegistry();
    await pushImage(reg.url, 'library/busybox', 'latest', busybox);
    await pushImage(reg.url, 'library/httpd', '1', httpd);
    await pushImage(reg.url, 'library/whiteout', '1', whiteout);
    await pushImage(reg.url, 'library/busybox-oci', '1', ociBusybox);
    // A multi-platform image: arm64 points at httpd's manifest, amd64 at busybox's.
    await pushImage(reg.url, 'library/multi', 'arm64', httpd);
    await pushImage(reg.url, 'library/multi', 'amd64', busybox);
    await pushManifest(reg.url, 'library/multi', '1', buildIndex([
      { image: httpd, os: 'linux', architecture: 'arm64', variant: 'v8' },
      { image: busybox, os: 'linux', architecture: 'amd64' },
    ]));
    writeFileSync(join(dir, 'registries.yaml'), `mirrors:\n  docker.io:\n    endpoint:\n      - "${reg.url}"\n`);
    store = newStore();
  });

  after(async () => {
    for (const m of mounts.reverse()) {
      try {
        execFileSync('umount', [m]);
      } catch {
        /* already unmounted */
      }
    }
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('pulls busybox (a docker.io name) through the mirror and unpacks its rootfs', async () => {
    const seen: number[] = [];
    const img = await store.pull('busybox', { onProgress: (p) => seen.push(p.bytes / p.totalBytes) });
    assert.equal(img.id, busybox.config.digest);
    assert.deepEqual(img.repoTags, ['docker.io/library/busybox:latest']);
    assert.deepEqual(img.repoDigests, [`docker.io/library/busybox@${busybox.manifest.digest}`]);
    assert.deepEqual(img.config.cmd, ['sh']);
    assert.deepEqual(img.config.env, ['PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    assert.equal(img.layerDirs.length, 1);
    const root = img.layerDirs[0];
    assert.equal(readlinkSync(join(root, 'bin/sh')), 'busybox');
    assert.equal(statSync(join(root, 'bin/busybox')).mode & 0o777, 0o755);
    assert.equal(statSync(join(root, 'tmp')).mode & 0o7777, 0o1777);
    assert.equal(seen.at(-1), 1, 'progress reaches the total');
    assert.equal(store.get('docker.io/library/busybox:latest')?.id, img.id);
    assert.equal(store.get(`busybox@${busybox.manifest.digest}`)?.id, img.id);
    assert.equal(store.get(img.id.slice(7, 19))?.id, img.id, 'short image id');
  });

  test('a second pull downloads nothing; a 2-layer image shares the base snapshot', async () => {
    const before = store.blobs.downloadedBytes;
    const again = await store.pull('docker.io/library/busybox:latest');
    assert.equal(store.blobs.downloadedBytes, before);
    const h = await store.pull('httpd:1');
    assert.equal(store.blobs.downloadedBytes - before, httpd.layers[1].size + httpd.config.size, 'only the new layer and config');
    assert.equal(h.layerDirs.length, 2);
    assert.equal(h.layerDirs[1], again.layerDirs[0]);
    assert.equal(readFileSync(join(h.layerDirs[0], 'var/www/index.html'), 'utf8'), 'hello from skiff\n');
    assert.deepEqual(h.config.exposedPorts, ['80/tcp']);
  });

  test('a manifest list resolves to linux/amd64; OCI manifests pull too', async () => {
    const m = await store.pull('multi:1');
    assert.equal(m.id, busybox.config.digest);
    assert.ok(m.repoTags.includes('docker.io/library/multi:1'));
    assert.ok(m.repoDigests.some((d) => d.startsWith('docker.io/library/multi@sha256:') && !d.endsWith(busybox.manifest.digest)));
    const o = await store.pull('busybox-oci:1');
    assert.equal(o.id, ociBusybox.config.digest);
    assert.ok(existsSync(join(o.layerDirs[0], 'bin/busybox')));
  });

  test('a missing image is ERR_IMAGE_NOT_FOUND with containerd\'s message', async () => {
    await assert.rejects(store.pull('nope'), (e: unknown) => {
      assert.ok(isImageError(e, 'ERR_IMAGE_NOT_FOUND'), String(e));
      assert.equal((e as Error).message, 'failed to pull and unpack image "docker.io/library/nope:latest": failed to resolve reference "docker.io/library/nope:latest": docker.io/library/nope:latest: not found');
      return true;
    });
    await assert.rejects(store.pull('Bad/Name'), (e: unknown) => isImageError(e, 'ERR_INVALID_REFERENCE'));
  });

  test('a corrupted blob fails digest verification and leaves nothing behind', async () => {
    const unique = buildLayer([{ path: 'junk', type: 'file', content: `unique ${Date.now()} ${Math.random()}\n`.repeat(50) }]);
    const img = buildImage([busyboxLayer(), unique], { Cmd: ['sh'] });
    await pushImage(reg.url, 'library/corrupt', '1', img);
    const hex = unique.digest.slice(7);
    const data = join(reg.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    const bytes = readFileSync(data);
    bytes[bytes.length - 20] ^= 0xff;
    writeFileSync(data, bytes);
    await assert.rejects(store.pull('corrupt:1'), (e: unknown) => isImageError(e, 'ERR_DIGEST_MISMATCH') && /failed to pull and unpack image "docker.io\/library\/corrupt:1"/.test((e as Error).message));
    assert.equal(store.blobs.has(unique.digest), false);
    assert.deepEqual(readdirSync(store.blobs.tmpDir).filter((n) => n.startsWith(hex)), []);
    assert.equal(store.get('corrupt:1'), undefined);
  });

  test('whiteouts hide lower files when the layers are stacked with overlayfs', async () => {
    const img = await store.pull('whiteout:1');
    assert.equal(img.layerDirs.length, 3);
    const m = join(dir, 'merged');
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(dir, d), { recursive: true });
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${img.layerDirs.join(':')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, m]);
    mounts.push(m);
    try {
      assert.equal(existsSync(join(m, 'etc/removed')), false, 'whited-out file is gone');
      assert.equal(readFileSync(join(m, 'etc/kept'), 'utf8'), 'stays\n');
      assert.deepEqual(readdirSync(join(m, 'opt/keep')).sort(), ['b', 'c'], 'opaque dir shows only the top layer');
      assert.deepEqual(readdirSync(join(m, 'opt/keep/b')), [], 'opaque applies to re-created subdirectories');
      assert.ok(lstatSync(join(m, 'bin/sh')).isSymbolicLink());
      // The unpacked top layer holds overlayfs whiteouts (0/0 character devices).
      const wh = lstatSync(join(img.layerDirs[0], 'etc/removed'));
      assert.ok(wh.isCharacterDevice() && wh.rdev === 0);
    } finally {
      execFileSync('umount', [m]);
      mounts.pop();
    }
  });

  test('imports docker-save and OCI archives (plain and gzipped)', async () => {
    const fresh = newStore(join(dir, 'import-store'));
    const plain = join(dir, 'save.tar');
    writeDockerArchive(plain, 'example.com/team/httpd:v2', httpd);
    const [a] = await fresh.import(plain);
    assert.equal(a.id, httpd.config.digest);
    assert.deepEqual(a.repoTags, ['example.com/team/httpd:v2']);
    assert.deepEqual(a.config.cmd, ['httpd', '-f', '-p', '80', '-h', '/var/www']);
    assert.equal(readFileSync(join(a.layerDirs[0], 'var/www/ready'), 'utf8'), 'ok\n');
    const gz = join(dir, 'save.tar.gz');
    writeDockerArchive(gz, 'busybox:saved', busybox, { gzip: true });
    const [b] = await fresh.import(gz);
    assert.deepEqual(b.repoTags, ['docker.io/library/busybox:saved']);
    assert.equal(b.layerDirs[0], a.layerDirs[1], 'same base layer, same snapshot');
    const oci = join(dir, 'oci.tar.gz');
    writeOciArchive(oci, 'docker.io/library/busybox-oci:imported', ociBusybox, { gzip: true });
    const [c] = await fresh.import(oci);
    assert.equal(c.id, ociBusybox.config.digest);
    assert.deepEqual(c.repoTags, ['docker.io/library/busybox-oci:imported']);
    assert.deepEqual(c.repoDigests, [`docker.io/library/busybox-oci@${ociBusybox.manifest.digest}`]);
    await assert.rejects(fresh.import(join(dir, 'registries.yaml')), (e: unknown) => isImageError(e, 'ERR_BAD_ARCHIVE'));
    assert.equal(fresh.list().length, 3);
  });

  test('rm drops the image and only the content no other image uses; the index survives a restart', async () => {
    const h = store.get('httpd:1')!;
    const topLayer = h.layerDirs[0];
    assert.equal(await store.remove('docker.io/library/httpd:1'), true);
    assert.equal(store.get('httpd:1'), undefined);
    assert.equal(existsSync(topLayer), false, 'httpd-only snapshot removed');
    assert.equal(store.blobs.has(httpd.layers[1].digest), false);
    assert.ok(existsSync(store.get('busybox')!.layerDirs[0]), 'shared base kept');
    assert.equal(await store.remove('httpd:1'), false);
    const restarted = newStore();
    assert.deepEqual(restarted.list().map((i) => i.id).sort(), store.list().map((i) => i.id).sort());
    assert.equal(restarted.get('busybox')?.id, busybox.config.digest);
  });

  test('garbage collection removes unused images, least recently used first', async () => {
    let available = 10;
    const gcStore = new ImageStore({ root: join(dir, 'images'), statfs: () => ({ capacity: 100, available }) });
    const all = gcStore.list();
    assert.ok(all.length >= 3);
    gcStore.markUsed(busybox.config.digest);
    assert.deepEqual(await gcStore.garbageCollect(new Set(), { highPercent: 95, lowPercent: 80 }), [], 'below the high threshold');
    available = 1;
    const inUse = new Set([ociBusybox.config.digest]);
    const removed = await gcStore.garbageCollect(inUse, { highPercent: 90, lowPercent: 80 });
    assert.ok(removed.length > 0);
    assert.ok(!removed.includes(ociBusybox.config.digest), 'in-use image kept');
    if (removed.includes(busybox.config.digest)) assert.equal(removed.at(-1), busybox.config.digest, 'most recently used goes last');
    for (const id of removed) assert.equal(gcStore.get(id), undefined);
  });
});

test('pushBlob is idempotent (helper sanity)', async (t) => {
  const reg = await startRegistry();
  t.after(() => reg.stop());
  const l = busyboxLayer();
  await pushBlob(reg.url, 'x/y', l);
  await pushBlob(reg.url, 'x/y', l);
  const res = await fetch(`${reg.url}/v2/x/y/blobs/${l.digest}`, { method: 'HEAD' });
  assert.equal(res.status, 200);
});
