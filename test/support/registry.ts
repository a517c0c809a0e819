// Test helper: a real OCI registry (Debian's docker-registry 2.8) on a random loopback port with
// its storage in a temp dir. Ready once GET /v2/ answers; stop() kills it by PID and removes the dir.
// With `htpasswd` it demands Basic credentials (its htpasswd file holds a bcrypt hash); with
// `storageDir` it serves another registry's storage (e.g. the same images, behind a password).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import bcrypt from 'bcryptjs';
import { join } from 'node:path';

export interface TestRegistry {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT */
  host: string;
  /** Where the registry keeps its data (tests may corrupt blobs in it). */
  storageDir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, child: ChildProcess, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return true;
    } catch {
      /* not listening yet */
    }
    await sleep(50);
  }
  return false;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    if (child.pid) process.kill(child.pid, 'SIGTERM');
  });
}

export interface RegistryOptions {
  htpasswd?: { username: string; password: string };
  storageDir?: string;
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-registry-'));
  const storageDir = opts.storageDir ?? join(dir, 'data');
  let auth = '';
  if (opts.htpasswd) {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, `${opts.htpasswd.username}:${bcrypt.hashSync(opts.htpasswd.password, 5)}\n`);
    auth = `auth: {htpasswd: {realm: skiff-test, path: ${file}}}\n`;
  }
  // A port picked then released may be taken by someone else before the registry binds it: retry.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = join(dir, 'config.yml');
    writeFileSync(config, `version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: ${storageDir}}, delete: {enabled: true}}\nhttp: {addr: ${host}}\n${auth}`);
    const logFd = openSync(join(dir, 'registry.log'), 'a');
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    child.on('error', () => {});
    const url = `http://${host}`;
    if (await waitReady(url, child, Date.now() + 15_000)) {
      return {
        url,
        host,
        storageDir,
        stop: async () => {
          await kill(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await kill(child);
  }
  const log = readFileSync(join(dir, 'registry.log'), 'utf8').slice(-2000);
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`docker-registry did not start:\n${log}`);
}
