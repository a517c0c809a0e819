// Upstream's AtomicWriter (pkg/volume/util/atomic_writer.go) layout for configMap, secret,
// downwardAPI and projected volumes, so a running container never sees a half-updated volume:
//   <dir>/..2026_12_07_10_11_12.ab12cd/   the payload, written fresh on every change
//   <dir>/..data -> ..2026_12_07_10_11_12.ab12cd   swapped with one rename(2)
//   <dir>/<key>  -> ..data/<key>          one symlink per top-level name
// A write with an unchanged payload (same bytes and modes) touches nothing.
import { promises as fs } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

export type Payload = Map<string, FileProjection>;

const DATA_DIR = '..data';
const DATA_TMP = '..data_tmp';

/** Upstream validatePath: relative, no '..' element, not starting with '..'. Returns a message or ''. */
export function validatePayloadPath(p: string): string {
  if (!p) return 'invalid path: must not be empty';
  if (p.startsWith('/')) return `invalid path: must be relative path: ${p}`;
  if (p.split('/').includes('..')) return `invalid path: must not contain '..': ${p}`;
  if (p.startsWith('..')) return `invalid path: must not start with '..': ${p}`;
  return '';
}

function tsDirPrefix(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

/** Writes `payload` into `targetDir`; resolves true when the visible contents changed. */
export async function writePayload(targetDir: string, payload: Payload, opts: { fsGroup?: number } = {}): Promise<boolean> {
  const clean: Payload = new Map();
  for (const [p, f] of payload) {
    const msg = validatePayloadPath(p);
    if (msg) throw new Error(msg);
    // With an fsGroup, upstream SetVolumeOwnership adds group read (these volumes are read-only).
    const mode = opts.fsGroup !== undefined ? f.mode | 0o440 : f.mode;
    clean.set(normalize(p).replace(/\/+$/, ''), { data: f.data, mode });
  }
  await fs.mkdir(targetDir, { recursive: true });
  const oldTs = await fs.readlink(join(targetDir, DATA_DIR)).catch(() => undefined);
  const oldFiles = oldTs ? await readTree(join(targetDir, oldTs)) : undefined;
  if (oldFiles && samePayload(oldFiles, clean)) return false;

  const tsDir = await fs.mkdtemp(join(targetDir, tsDirPrefix()));
  for (const [p, f] of clean) {
    const file = join(tsDir, p);
    await fs.mkdir(dirname(file), { recursive: true, mode: 0o755 });
    await fs.writeFile(file, f.data);
    if (opts.fsGroup !== undefined) await fs.chown(file, 0, opts.fsGroup);
    await fs.chmod(file, f.mode);
  }
  if (opts.fsGroup !== undefined) await fs.chown(tsDir, 0, opts.fsGroup);
  await fs.chmod(tsDir, 0o755);

  const tmpLink = join(targetDir, DATA_TMP);
  await fs.rm(tmpLink, { force: true });
  await fs.symlink(tsDir.slice(targetDir.length + 1), tmpLink);
  await fs.rename(tmpLink, join(targetDir, DATA_DIR));

  const top = new Set([...clean.keys()].map((p) => p.split('/')[0]));
  for (const name of top) {
    const link = join(targetDir, name);
    const cur = await fs.readlink(link).catch(() => undefined);
    if (cur !== join(DATA_DIR, name)) {
      await fs.rm(link, { force: true, recursive: true });
      await fs.symlink(join(DATA_DIR, name), link);
    }
  }
  for (const entry of await fs.readdir(targetDir)) {
    if (entry.startsWith('..') || top.has(entry)) continue;
    await fs.rm(join(targetDir, entry), { force: true, recursive: true });
  }
  if (oldTs && oldTs !== DATA_DIR) await fs.rm(join(targetDir, oldTs), { recursive: true, force: true });
  return true;
}

async function readTree(root: string): Promise<Payload> {
  const out: Payload = new Map();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        const full = join(root, p);
        out.set(p, { data: await fs.readFile(full), mode: (await fs.stat(full)).mode & 0o7777 });
      }
    }
  };
  await walk('').catch(() => undefined);
  return out;
}

function samePayload(old: Payload, next: Payload): boolean {
  if (old.size !== next.size) return false;
  for (const [p, f] of next) {
    const o = old.get(p);
    if (!o || !o.data.equals(f.data) || (o.mode & 0o7777) !== (f.mode & 0o7777)) return false;
  }
  return true;
}
