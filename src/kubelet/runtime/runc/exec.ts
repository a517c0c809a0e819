// exec sessions: `runc exec` in the foreground with pipes as its stdio (safe:
// runc exec waits for the process, unlike `runc run -d`); the exec'd process inherits the container
// process's env, cwd, user and capabilities from its spec, as upstream exec does. With a tty, runc's
// foreground mode allocates the pty itself and copies between it and its own stdio — but only if
// that stdio is a terminal: with pipes it fails ("open /dev/tty: no such device or address"). So a
// tty exec runs runc under util-linux `script`, which gives runc a pty as controlling terminal and
// copies it to our pipes (stderr merged, output with \r\n as on any terminal). Its stdin stays an
// open pipe even without stdin (at EOF script would type ^D into the terminal). The exec'd pid comes
// from --pid-file, so a timeout can SIGKILL the process itself, not just runc, and resizes can go
// to the terminal on its stdin (tty-resize.ts).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecOptions, ExecSession } from '../types.js';
import { TtyResizer } from './tty-resize.js';

export class ExecTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export interface ExecTarget {
  runcPath: string;
  runcRoot: string;
  id: string;
  /** The container's bundle: its config.json process is the template for a sized tty exec. */
  bundle: string;
  /** Where runc writes the exec'd pid (unique per exec; removed when it ends). */
  pidFile: string;
}

export function runcExec(t: ExecTarget, argv: string[], opts: ExecOptions): ExecSession {
  const { runcPath, runcRoot, id, pidFile } = t;
  const args = ['--root', runcRoot, 'exec', '--pid-file', pidFile];
  const size = opts.tty && opts.size && opts.size.width >= 1 && opts.size.height >= 1
    ? { width: Math.floor(opts.size.width), height: Math.floor(opts.size.height) }
    : undefined;
  const processFile = size ? `${pidFile}.process.json` : undefined;
  if (opts.tty) args.push('--tty');
  if (processFile && size) {
    // The pty is made at the client's size, so the process never sees a 0x0 terminal.
    writeFileSync(processFile, JSON.stringify(sizedProcess(t.bundle, argv, size)));
    args.push('--process', processFile, id);
  } else {
    args.push(id, ...argv);
  }
  // runc also copies its own terminal's size (script's pty) to the container's once it runs: set
  // that one to the same size first.
  const sizeFirst = size ? `stty rows ${size.height} cols ${size.width} 2>/dev/null; exec ` : '';
  const child = opts.tty
    ? spawn('script', ['-q', '-e', '-f', '-c', sizeFirst + [runcPath, ...args].map(shellQuote).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(runcPath, args, { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const execPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      return pid > 0 ? pid : undefined;
    } catch {
      return undefined; // not started yet or gone
    }
  };
  const killProcess = () => {
    const pid = execPid();
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
  };
  const resizer = opts.tty ? new TtyResizer(execPid, () => closed) : undefined;
  const exit = new Promise<number>((resolve, reject) => {
    let timedOut = false;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        killProcess();
      }, opts.timeoutMs);
    }
    child.on('error', (err) => reject(err));
    child.on('close', (code, signal) => {
      closed = true;
      if (timer) clearTimeout(timer);
      child.stdin?.destroy();
      rmSync(pidFile, { force: true });
      if (processFile) rmSync(processFile, { force: true });
      if (timedOut) reject(new ExecTimeoutError(`exec in ${id} timed out after ${opts.timeoutMs} ms`));
      else resolve(code ?? (signal ? 128 + signalNumber(signal) : 255));
    });
  });
  // Callers that only want the code must not crash the process with an unhandled rejection.
  exit.catch(() => undefined);
  return {
    stdin: opts.stdin ? (child.stdin ?? undefined) : undefined,
    stdout: child.stdout!,
    stderr: opts.tty ? undefined : child.stderr!,
    resize: (width, height) => resizer?.resize(width, height),
    exit,
    kill: killProcess,
  };
}

/** The container's own process (env, cwd, user, capabilities) running `argv` on a pty of `size`. */
function sizedProcess(bundle: string, argv: string[], size: { width: number; height: number }): Record<string, unknown> {
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as { process: Record<string, unknown> };
  return { ...spec.process, args: argv, terminal: true, consoleSize: { height: size.height, width: size.width } };
}

/** POSIX single-quoting for the one command line `script -c` takes. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function signalNumber(sig: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };
  return table[sig] ?? 9;
}
