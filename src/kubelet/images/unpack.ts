// Unpacks one layer tar (gzip or plain) into its own snapshot directory, ready to be one of the
// lowerdirs of a container's overlayfs root. Files, modes (including setuid and sticky bits),
// ownership, mtimes, symlinks and hardlinks come from node-tar; device nodes and FIFOs, which node-tar
// skips, are made with mknod(1). Extended attributes (file capabilities) are not preserved.
//
// Whiteouts: each layer is its own directory and overlayfs does the stacking, so OCI whiteouts must
// become overlayfs whiteouts:
//   `.wh.<name>`   → a 0/0 character device `<name>` (overlayfs' whiteout), hiding it in lower layers;
//   `.wh..wh..opq` → instead of the `trusted.overlay.opaque` xattr (Node has no setxattr), explicit
//                    whiteouts for every entry that the lower layers have in that directory and this
//                    layer does not, recursing into directories both have. Equivalent for overlayfs,
//                    and correct because a snapshot is keyed by its chain ID: its lower layers are
//                    fixed when it is unpacked.
// The uncompressed stream is hashed on the way through: the result is the layer's diff ID, which the
// caller checks against the image config's rootfs.diff_ids.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmodSync, createReadStream, lchownSync, lstatSync, mkdirSync, openSync, readSync, closeSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { Unpack, type ReadEntry } from 'tar';
import { ImageError } from './errors.js';

const run = promisify(execFile);

export type Compression = 'gzip' | 'zstd' | 'none';

export function detectCompression(file: string): Compression {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    if (n >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (n === 4 && b.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
    return 'none';
  } finally {
    closeSync(fd);
  }
}

interface SpecialEntry {
  path: string;
  type: 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  mode: number;
  uid: number;
  gid: number;
  major: number;
  minor: number;
}

export interface UnpackResult {
  diffId: string;
  /** Uncompressed size of the layer tar. */
  size: number;
}

/**
 * Unpacks `blobPath` into `destDir` (created), converting whiteouts against `lowerDirs` (the
 * already unpacked layers below this one, topmost first).
 */
export async function unpackLayer(blobPath: string, destDir: string, lowerDirs: string[]): Promise<UnpackResult> {
  const compression = detectCompression(blobPath);
  if (compression === 'zstd') throw new ImageError('ERR_UNSUPPORTED_COMPRESSION', `layer ${blobPath}: zstd-compressed layers are not supported`);
  mkdirSync(destDir, { recursive: true });
  const whiteouts: string[] = [];
  const opaques: string[] = [];
  const specials: SpecialEntry[] = [];
  const errors: string[] = [];
  const modes = new Map<string, number>();
  const unpack = new Unpack({
    cwd: destDir,
    preserveOwner: true,
    chmod: true,
    processUmask: 0,
    maxDepth: 4096,
    onwarn: (code: string, message: string | Error) => {
      if (code !== 'TAR_ENTRY_INFO') errors.push(`${code}: ${message instanceof Error ? message.message : message}`);
    },
    filter: (path: string, entry: ReadEntry | unknown) => {
      const e = entry as ReadEntry;
      const clean = posix.normalize(path.replace(/^\/+/, ''));
      const base = posix.basename(clean);
      if (base === '.wh..wh..opq') {
        opaques.push(posix.dirname(clean));
        return false;
      }
      if (base.startsWith('.wh.')) {
        whiteouts.push(posix.join(posix.dirname(clean), base.slice(4)));
        return false;
      }
      if (e.type === 'CharacterDevice' || e.type === 'BlockDevice' || e.type === 'FIFO') {
        specials.push({ path: clean, type: e.type, mode: (e.mode ?? 0o644) & 0o7777, uid: e.uid ?? 0, gid: e.gid ?? 0, major: e.header.devmaj ?? 0, minor: e.header.devmin ?? 0 });
        return false;
      }
      if ((e.type === 'File' || e.type === 'OldFile' || e.type === 'ContiguousFile' || e.type === 'Directory') && e.mode !== undefined) modes.set(clean, e.mode & 0o7777);
      return true;
    },
  });
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const sink = unpack as unknown as NodeJS.WritableStream;
  try {
    if (compression === 'gzip') await pipeline(createReadStream(blobPath), createGunzip(), meter, sink);
    else await pipeline(createReadStream(blobPath), meter, sink);
  } catch (e) {
    throw new ImageError('ERR_BAD_ARCHIVE', `failed to extract layer ${blobPath}: ${(e as Error).message}`, { cause: e });
  }
  if (errors.length) throw new ImageError('ERR_BAD_ARCHIVE', `failed to extract layer ${blobPath}: ${errors.slice(0, 3).join('; ')}`);

  // node-tar creates files and directories through open/mkdir, so the process umask strips bits
  // (tmp/ 1777 would become 1755) and chown clears setuid/setgid: put the archive's modes back.
  for (const [rel, mode] of modes) {
    const p = inside(destDir, rel);
    try {
      const st = lstatSync(p);
      if (!st.isSymbolicLink() && (st.mode & 0o7777) !== mode) chmodSync(p, mode);
    } catch {
      /* replaced by a later entry of another type */
    }
  }
  for (const s of specials) {
    const target = inside(destDir, s.path);
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { force: true });
    const kind = s.type === 'FIFO' ? ['p'] : [s.type === 'CharacterDevice' ? 'c' : 'b', String(s.major), String(s.minor)];
    await run('mknod', ['-m', s.mode.toString(8), target, ...kind]);
    lchownSync(target, s.uid, s.gid);
  }
  for (const w of whiteouts) {
    const target = inside(destDir, w);
    if (lexists(target)) continue; // this layer re-created the name; whiteouts only hide lower layers
    await makeWhiteout(target);
  }
  for (const dir of opaques) await opaque(destDir, dir === '.' ? '' : dir, lowerDirs);
  return { diffId: `sha256:${hash.digest('hex')}`, size };
}

/** Hides every lower entry of `rel` that this layer does not provide itself (see the header). */
async function opaque(destDir: string, rel: string, lowerDirs: string[]): Promise<void> {
  const here = inside(destDir, rel);
  mkdirSync(here, { recursive: true });
  const lowerNames = new Set<string>();
  for (const l of lowerDirs) {
    const d = join(l, rel);
    if (isDir(d)) for (const n of readdirSync(d)) lowerNames.add(n);
  }
  for (const name of lowerNames) {
    const mine = join(here, name);
    if (!lexists(mine)) {
      await makeWhiteout(mine);
    } else if (isDir(mine) && !lstatSync(mine).isSymbolicLink()) {
      // Both have a directory: overlayfs would merge them, so the lower contents need hiding too.
      if (lowerDirs.some((l) => isDir(join(l, rel, name)))) await opaque(destDir, posix.join(rel, name), lowerDirs);
    }
  }
}

async function makeWhiteout(target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  await run('mknod', ['-m', '0', target, 'c', '0', '0']);
}

/** Joins without letting `..` escape the layer directory (node-tar already refuses such entries). */
function inside(root: string, rel: string): string {
  const clean = posix.normalize(`/${rel}`);
  return join(root, clean);
}

const lexists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

const isDir = (p: string) => {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
};

