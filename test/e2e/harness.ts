// End-to-end harness: starts the real `bin/skiff server` on a temp data dir and a random port, and
// runs the real kubectl against it with the kubeconfig the server wrote (no insecure flags), each
// call with a throwaway discovery cache so tests never see stale discovery.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');
export const KUBECTL = '/usr/bin/kubectl';
export const kubectlVersion = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}

export class SkiffServer {
  proc: ChildProcess | undefined;
  output = '';
  readonly cacheDir: string;
  constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly extraArgs: string[] = [],
  ) {
    this.cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kcache-'));
  }

  get kubeconfig(): string {
    return join(this.dataDir, 'kubeconfig.yaml');
  }

  /** Starts `skiff server` on a temp data dir; `args` are extra flags, e.g. ['--sim-nodes', '3']. */
  static async start(dataDir?: string, args: string[] = []): Promise<SkiffServer> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
    const server = new SkiffServer(dir, await freePort(), args);
    await server.boot();
    return server;
  }

  async boot(): Promise<void> {
    this.output = ''; // a restart must wait for its own "Skiff is ready"
    // Without '--with-agent' the cluster has no real node (the kubelet tests ask for one).
    const withAgent = this.extraArgs.includes('--with-agent');
    const extra = withAgent ? this.extraArgs.filter((a) => a !== '--with-agent') : ['--disable-agent', ...this.extraArgs];
    const args = ['bin/skiff', 'server', '--data-dir', this.dataDir, '--https-port', String(this.port), '--bind-address', '127.0.0.1', ...extra];
    const proc = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`skiff server exited ${proc.exitCode}:\n${this.output}`);
      if (existsSync(this.kubeconfig)) {
        const r = this.kubectlSync(['get', '--raw', '/readyz']);
        // "Skiff is ready" comes after the controllers started and simulated nodes registered.
        if (r.code === 0 && r.stdout.trim() === 'ok' && this.output.includes('Skiff is ready')) return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`skiff server did not become ready:\n${this.output}`);
  }

  /** Runs kubectl synchronously (kubectl is a separate process, so this does not block the server). */
  kubectlSync(args: string[], opts: { bin?: string; input?: string; env?: Record<string, string> } = {}): KubectlResult {
    const r = spawnSync(opts.bin ?? KUBECTL, ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args], {
      input: opts.input,
      encoding: 'utf8',
      env: { ...process.env, HOME: this.cacheDir, ...opts.env },
      timeout: 60_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** The command line that runs kubectl against this server (for running it some other way). */
  kubectlArgv(args: string[], bin = KUBECTL): string[] {
    return [bin, '--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args];
  }

  /** Runs kubectl in the background (for `get -w`); returns the process and a live output buffer. */
  kubectlSpawn(args: string[], bin = KUBECTL): { proc: ChildProcess; out: () => string } {
    let out = '';
    const proc = spawn(bin, ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args], {
      env: { ...process.env, HOME: this.cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    return { proc, out: () => out };
  }

  async stop(): Promise<number | null> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return proc?.exitCode ?? null;
    const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(this.cacheDir, { recursive: true, force: true });
  }

  /** Client credentials from the kubeconfig, for raw HTTPS requests in tests. */
  credentials(): { ca: Buffer; cert: Buffer; key: Buffer; server: string } {
    const text = readFileSync(this.kubeconfig, 'utf8');
    const field = (name: string) => {
      const m = new RegExp(`${name}:\\s*(\\S+)`).exec(text);
      if (!m) throw new Error(`kubeconfig has no ${name}`);
      return m[1]!;
    };
    return {
      ca: Buffer.from(field('certificate-authority-data'), 'base64'),
      cert: Buffer.from(field('client-certificate-data'), 'base64'),
      key: Buffer.from(field('client-key-data'), 'base64'),
      server: field('server'),
    };
  }
}

export async function waitFor(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
