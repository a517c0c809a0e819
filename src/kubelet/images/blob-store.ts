// Content-addressed blob storage (<root>/blobs/sha256/<hex>) and the download path into it. A blob
// is streamed into <root>/tmp/<hex>.partial while being hashed and only renamed into place once its
// size and sha256 match the descriptor, so the store never holds unverified content. An interrupted
// download leaves the partial file behind and the next attempt resumes it with a Range request.
// Concurrent requests for one digest share one download; a blob already present is never fetched.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageError } from './errors.js';
import type { HttpResponse } from './http.js';

export interface BlobDescriptor {
  digest: string;
  size: number;
}

/** Opens the blob from `offset`; must answer 206 for a ranged request to be resumed. */
export type BlobOpener = (offset: number) => Promise<HttpResponse>;

const hexOf = (digest: string) => {
  const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!m) throw new ImageError('ERR_UNSUPPORTED_MEDIA_TYPE', `unsupported digest ${JSON.stringify(digest)}`);
  return m[1];
};

export class BlobStore {
  private readonly dir: string;
  readonly tmpDir: string;
  private readonly inflight = new Map<string, Promise<void>>();
  /** Bytes received from registries (tests check that a second pull downloads nothing). */
  downloadedBytes = 0;

  constructor(root: string) {
    this.dir = join(root, 'blobs', 'sha256');
    this.tmpDir = join(root, 'tmp');
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
  }

  path(digest: string): string {
    return join(this.dir, hexOf(digest));
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  list(): string[] {
    return readdirSync(this.dir).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  size(digest: string): number {
    return statSync(this.path(digest)).size;
  }

  delete(digest: string): void {
    rmSync(this.path(digest), { force: true });
  }

  /** Stores small content (manifests, configs) after checking it hashes to `digest`. */
  putBytes(digest: string, bytes: Buffer): void {
    const got = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (got !== digest) throw new ImageError('ERR_DIGEST_MISMATCH', `digest mismatch for ${digest}: got ${got}`);
    if (this.has(digest)) return;
    const tmp = join(this.tmpDir, `${hexOf(digest)}.${randomBytes(4).toString('hex')}`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, this.path(digest));
  }

  /** Moves a local file into the store under its own digest (archive import); returns the digest. */
  async adoptFile(file: string): Promise<BlobDescriptor> {
    const h = createHash('sha256');
    let size = 0;
    for await (const c of createReadStream(file) as AsyncIterable<Buffer>) {
      h.update(c);
      size += c.length;
    }
    const digest = `sha256:${h.digest('hex')}`;
    if (this.has(digest)) rmSync(file, { force: true });
    else renameSync(file, this.path(digest));
    return { digest, size };
  }

  /** Makes sure the blob is in the store, downloading it at most once at a time. */
  ensure(desc: BlobDescriptor, open: BlobOpener, onBytes?: (n: number) => void): Promise<void> {
    if (this.has(desc.digest)) return Promise.resolve();
    const running = this.inflight.get(desc.digest);
    if (running) return running;
    const p = this.download(desc, open, onBytes).finally(() => this.inflight.delete(desc.digest));
    this.inflight.set(desc.digest, p);
    return p;
  }

  private async download(desc: BlobDescriptor, open: BlobOpener, onBytes?: (n: number) => void): Promise<void> {
    const partial = join(this.tmpDir, `${hexOf(desc.digest)}.partial`);
    let offset = existsSync(partial) ? statSync(partial).size : 0;
    if (offset >= desc.size) {
      rmSync(partial, { force: true });
      offset = 0;
    }
    const res = await open(offset);
    const hash = createHash('sha256');
    if (offset > 0 && res.status === 206 && contentRangeStart(res) === offset) {
      for await (const c of createReadStream(partial) as AsyncIterable<Buffer>) hash.update(c);
      onBytes?.(offset);
    } else {
      offset = 0; // the registry ignored the Range: start over
    }
    let size = offset;
    const meter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        size += chunk.length;
        if (size > desc.size) return cb(new ImageError('ERR_SIZE_MISMATCH', `blob ${desc.digest}: more than the expected ${desc.size} bytes`));
        hash.update(chunk);
        this.downloadedBytes += chunk.length;
        onBytes?.(chunk.length);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(res.body, meter, createWriteStream(partial, { flags: offset > 0 ? 'a' : 'w' }));
    } catch (e) {
      // A content error poisons the partial file; a broken connection leaves it for a resume.
      if (e instanceof ImageError) rmSync(partial, { force: true });
      throw e;
    }
    const got = `sha256:${hash.digest('hex')}`;
    if (size !== desc.size || got !== desc.digest) {
      rmSync(partial, { force: true });
      throw new ImageError(size !== desc.size ? 'ERR_SIZE_MISMATCH' : 'ERR_DIGEST_MISMATCH', `failed commit on ref "layer-${desc.digest}": unexpected commit digest ${got}, expected ${desc.digest}: failed precondition (${size} of ${desc.size} bytes)`);
    }
    renameSync(partial, this.path(desc.digest));
  }
}

function contentRangeStart(res: HttpResponse): number | undefined {
  const m = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''));
  return m ? Number(m[1]) : undefined;
}
