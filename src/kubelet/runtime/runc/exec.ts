// exec and attach sessions. exec runs `runc exec` in the foreground with pipes as its stdio (safe:
// runc exec waits for the process, unlike `runc run -d`); the exec'd process inherits the container
// process's env, cwd, user and capabilities from its spec, as upstream exec does. With a tty, runc's
// foreground mode allocates the pty itself and copies between it and its own stdio — but only if
// that stdio is a terminal: with pipes it fails ("open /dev/tty: no such device or address"). So a
// tty exec runs runc under util-linux `script`, which gives runc a pty as controlling terminal and
// copies it to our pipes (stderr merged, output with \r\n as on any terminal). Its stdin stays an
// open pipe even without stdin (at EOF script would type ^D into the terminal). Resizing would need
// the pty master, which runc only hands out over --console-socket as an SCM_RIGHTS fd Node cannot
// receive, so resize() is a no-op. The exec'd pid comes from --pid-file so
// a timeout can SIGKILL the process itself, not just runc.
// attach is read-only: conmon's attach socket is SOCK_SEQPACKET, which Node cannot open, so attach
// follows the container's CRI log from its current end and streams the stdout lines (stderr lines
// to stderr); stdin is not connected.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { ExecOptions, ExecSession } from '../types.js';

export class ExecTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export function runcExec(runcPath: string, runcRoot: string, id: string, argv: string[], opts: ExecOptions, pidFile: string): ExecSession {
  const args = ['--root', runcRoot, 'exec', '--pid-file', pidFile];
  if (opts.tty) args.push('--tty');
  args.push(id, ...argv);
  const child = opts.tty
    ? spawn('script', ['-q', '-e', '-f', '-c', [runcPath, ...args].map(shellQuote).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(runcPath, args, { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let timer: NodeJS.Timeout | undefined;
  const killProcess = () => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // not started yet or gone
    }
    child.kill('SIGKILL');
  };
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
      if (timer) clearTimeout(timer);
      child.stdin?.destroy();
      rmSync(pidFile, { force: true });
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
    resize: () => undefined,
    exit,
    kill: killProcess,
  };
}

/** POSIX single-quoting for the one command line `script -c` takes. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function signalNumber(sig: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };
  return table[sig] ?? 9;
}

/** Streams what the container writes to its CRI log from now on (`<ts> <stream> <P|F> <text>`). */
export function followLog(logPath: string, isRunning: () => boolean): ExecSession {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let offset = 0;
  try {
    offset = statSync(logPath).size;
  } catch {
    // not written yet
  }
  let pending = '';
  let stopped = false;
  let resolveExit!: (code: number) => void;
  const exit = new Promise<number>((r) => (resolveExit = r));
  const poll = () => {
    if (stopped) return;
    try {
      const fd = openSync(logPath, 'r');
      try {
        const buf = Buffer.alloc(64 * 1024);
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, offset);
          if (n <= 0) break;
          offset += n;
          pending += buf.subarray(0, n).toString('utf8');
        }
      } finally {
        closeSync(fd);
      }
    } catch {
      // log rotated or missing
    }
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^\S+ (stdout|stderr) ([PF]) (.*)$/.exec(line);
      if (!m) continue;
      const text = m[2] === 'F' ? `${m[3]}\n` : m[3]!;
      (m[1] === 'stderr' ? stderr : stdout).write(text);
    }
    if (!isRunning()) return end(0);
    setTimeout(poll, 200).unref();
  };
  const end = (code: number) => {
    if (stopped) return;
    stopped = true;
    stdout.end();
    stderr.end();
    resolveExit(code);
  };
  setImmediate(poll);
  return { stdout, stderr, resize: () => undefined, exit, kill: () => end(0) };
}
