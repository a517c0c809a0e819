// Runs `bin/skiff agent` as a process of its own against a control plane started with
// --disable-agent, so its resident memory is the node agent's alone (`skiff server` embeds one
// in the API server's process). Ready when it prints "Skiff agent is ready". Also sums the memory of
// the agent's conmon supervisors, which are separate processes (one per container) and so are
// reported beside the agent rather than in it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rssMiB, waitExit } from './proc.js';
import { REPO } from './skiff.js';
import { msSince } from './stats.js';

export interface AgentProcOptions {
  kubeconfig: string;
  dataDir: string;
  nodeName: string;
  podCIDR: string;
  nodeIP?: string;
}

export interface AgentProc {
  proc: ChildProcess;
  pid: number;
  /** ms from spawn to "Skiff agent is ready". */
  startMs: number;
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const READY_LINE = 'Skiff agent is ready';

export async function startAgentProc(o: AgentProcOptions, timeoutMs = 60_000): Promise<AgentProc> {
  const t0 = process.hrtime.bigint();
  const args = [join(REPO, 'bin/skiff'), 'agent', '--kubeconfig', o.kubeconfig, '--data-dir', o.dataDir, '--node-ip', o.nodeIP ?? '127.0.0.1', '--node-name', o.nodeName, '--pod-cidr', o.podCIDR, '--kubelet-port', '0'];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Keep only the tail: a long run logs for every pod.
  const add = (d: Buffer) => {
    output = (output + d.toString()).slice(-64_000);
  };
  proc.stdout!.on('data', add);
  proc.stderr!.on('data', add);
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill('SIGTERM');
    return waitExit(proc, 15_000);
  };
  try {
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`skiff agent not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const check = () => {
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          ok();
        }
      };
      proc.stdout!.on('data', check);
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`skiff agent exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { proc, pid: proc.pid!, startMs: msSince(t0), output: () => output, stop };
}

/** Count and total VmRSS (MiB) of the conmon processes whose command line names `dataDir`. */
export function conmonRss(dataDir: string): { count: number; mib: number } {
  let count = 0;
  let mib = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    if (!(argv[0] ?? '').endsWith('conmon') || !argv.some((a) => a.startsWith(dataDir))) continue;
    const r = rssMiB(Number(entry));
    if (Number.isFinite(r)) {
      count++;
      mib += r;
    }
  }
  return { count, mib };
}
