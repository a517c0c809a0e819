// Runs `bin/skiff server` as a child process on a data dir and port of the benchmark's choosing, and
// measures how long it takes from spawn until /readyz answers 200 over HTTPS with the admin client
// certificate (polled every 10 ms; on a fresh data dir this includes creating the certificates).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type Credentials } from './client.js';
import { msSince } from './stats.js';
import { sleep, waitExit } from './proc.js';

/** The checkout root: this file is dist/bench/lib/skiff.js. */
export const REPO = resolve(fileURLToPath(import.meta.url), '../../../..');

export interface RunningSkiff {
  proc: ChildProcess;
  url: string;
  creds: Credentials;
  startMs: number;
  output: () => string;
  stop(): Promise<{ code: number | null; ms: number }>;
}

function readCreds(dataDir: string): Credentials | undefined {
  const tls = join(dataDir, 'tls');
  const files = ['ca.crt', 'admin.crt', 'admin.key'].map((f) => join(tls, f));
  if (!files.every((f) => existsSync(f))) return undefined;
  const [ca, cert, key] = files.map((f) => readFileSync(f, 'utf8')) as [string, string, string];
  return { ca, cert, key };
}

export interface StartOptions {
  /** Run the controller-manager and the scheduler too (the kubelet benchmark needs pods scheduled). */
  controlLoops?: boolean;
}

export async function startSkiff(dataDir: string, port: number, timeoutMs = 60_000, opts: StartOptions = {}): Promise<RunningSkiff> {
  const t0 = process.hrtime.bigint();
  // The API benchmarks measure the API server and its store; the control loops have their own.
  const loops = opts.controlLoops ? [] : ['--disable-controller-manager', '--disable-scheduler'];
  const proc = spawn(process.execPath, [join(REPO, 'bin/skiff'), 'server', '--data-dir', dataDir, '--https-port', String(port), '--bind-address', '127.0.0.1',
    ...loops, '--disable-agent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d));
  proc.stderr!.on('data', (d: Buffer) => (output += d));
  const url = `https://127.0.0.1:${port}`;
  let creds: Credentials | undefined;
  let probe: Client | undefined;
  try {
    while (msSince(t0) < timeoutMs) {
      if (proc.exitCode !== null) throw new Error(`skiff server exited with ${proc.exitCode}:\n${output}`);
      creds ??= readCreds(dataDir);
      if (creds) {
        probe ??= new Client(url, creds, 1);
        const ok = await probe.request('GET', '/readyz').then((r) => r.status === 200, () => false);
        if (ok) break;
      }
      await sleep(10);
    }
  } finally {
    probe?.close();
  }
  const startMs = msSince(t0);
  if (!creds || startMs >= timeoutMs) {
    proc.kill('SIGKILL');
    throw new Error(`skiff server not ready after ${timeoutMs} ms:\n${output}`);
  }
  const finalCreds = creds;
  return {
    proc,
    url,
    creds: finalCreds,
    startMs,
    output: () => output,
    async stop() {
      const t = process.hrtime.bigint();
      proc.kill('SIGTERM');
      const code = await waitExit(proc, 15_000);
      return { code, ms: msSince(t) };
    },
  };
}
