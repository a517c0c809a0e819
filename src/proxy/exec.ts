// Runs iptables, iptables-restore, iptables-save and ip for the proxy, optionally through a command
// prefix (`ip netns exec skt-1`) so tests and benchmarks program a network namespace of their own and
// never the host's. Argument arrays only, never a shell; stdin is used for iptables-restore input.
// The proxy keeps its own runner rather than the kubelet's: components do not import each other.
import { spawn } from 'node:child_process';

export class ProxyCommandError extends Error {
  readonly code = 'EPROXYCOMMAND';
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`${argv.join(' ')} failed (exit ${exitCode}): ${stderr.trim().slice(0, 2000)}`, options);
  }
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** How the proxy runs host tools; unit tests pass a fake. */
export interface Exec {
  (argv: readonly string[], opts?: { stdin?: string; allowFail?: boolean }): Promise<ExecResult>;
}

/** An Exec that spawns processes, with `prefix` put before every command. */
export function hostExec(prefix: readonly string[] = [], timeoutMs = 60_000): Exec {
  return (argv, opts = {}) =>
    new Promise((resolve, reject) => {
      const full = [...prefix, ...argv];
      const child = spawn(full[0]!, full.slice(1), { stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], timeout: timeoutMs });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (err) => reject(new ProxyCommandError(full, null, String(err), { cause: err })));
      child.on('close', (code) => {
        const exitCode = code ?? -1;
        if (exitCode !== 0 && !opts.allowFail) reject(new ProxyCommandError(full, exitCode, stderr));
        else resolve({ stdout, stderr, exitCode });
      });
      if (opts.stdin !== undefined) {
        child.stdin!.on('error', () => {}); // a tool that dies early reports through its exit code
        child.stdin!.end(opts.stdin);
      }
    });
}
