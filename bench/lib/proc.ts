// Process helpers for the benchmarks: free ports, resident memory from /proc/<pid>/status, and
// waiting for a child to exit.
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}

/** VmRSS of a process in MiB (Linux only; NaN elsewhere). */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export function waitExit(proc: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((ok) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(t);
      ok(code);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
