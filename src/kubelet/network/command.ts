// Runs host tools (ip, iptables, runc, mount…) as child processes with argument arrays — never a
// shell — and turns a non-zero exit into a typed CommandError carrying stderr. Shared by the pod
// network and the runc runtime so both report tool failures the same way.
import { spawn } from 'node:child_process';

export class CommandError extends Error {
  readonly code = 'ECOMMAND';
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`${command} ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim()}`, options);
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs `command args…` with stdin from /dev/null and stdout/stderr captured. Only for tools that
 * exit on their own: never for `runc run -d`/`create`, whose container would inherit the pipes and
 * keep them open (see SUBSTRATE.md), which conmon launches instead.
 */
export function run(command: string, args: readonly string[], opts: { allowFail?: boolean; timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => reject(new CommandError(command, args, null, String(err), { cause: err })));
    child.on('close', (code) => {
      const exitCode = code ?? -1;
      if (exitCode !== 0 && !opts.allowFail) reject(new CommandError(command, args, exitCode, stderr));
      else resolve({ stdout, stderr, exitCode });
    });
  });
}

/** Runs and reports only success; for idempotent clean-up steps whose failure means "already gone". */
export async function tryRun(command: string, args: readonly string[]): Promise<boolean> {
  return (await run(command, args, { allowFail: true })).exitCode === 0;
}
