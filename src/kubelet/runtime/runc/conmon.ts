// Starting a container under conmon, the supervisor that outlives the kubelet: conmon runs
// `runc create`, holds the container's stdio, writes its output to the CRI log file, and writes
// the exit code to `<exit-dir>/<id>` (and an `oom` file in the persist dir on an OOM kill) when it
// ends. conmon only creates the container; the caller runs `runc start`. Creation is reported on the
// sync pipe (fd 3, `_OCI_SYNCPIPE=3`) as `{"data": <pid>}`, or a negative pid and a message.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { attachId } from './layout.js';

export interface ConmonLaunch {
  conmonPath: string;
  runcPath: string;
  runcRoot: string;
  id: string;
  bundle: string;
  logPath: string;
  exitDir: string;
  persistDir: string;
  sockDir: string;
  containerPidFile: string;
  conmonPidFile: string;
  tty: boolean;
  stdin: boolean;
  stdinOnce: boolean;
  timeoutMs?: number;
}

export class ConmonError extends Error {
  readonly code = 'ECONMON';
}

/** Launches conmon and resolves the container's pid once runc create has finished. */
export function launchConmon(o: ConmonLaunch): Promise<number> {
  const args = [
    '--api-version', '1',
    '-b', o.bundle,
    '-c', o.id,
    // The attach socket path is <sock-dir>/<cuuid>/attach (Layout.attachSocket).
    '-u', attachId(o.id),
    '-n', o.id,
    '-r', o.runcPath,
    '--runtime-arg', '--root', '--runtime-arg', o.runcRoot,
    '-p', o.containerPidFile,
    '-P', o.conmonPidFile,
    '-l', `k8s-file:${o.logPath}`,
    '--exit-dir', o.exitDir,
    '--persist-dir', o.persistDir,
    '--socket-dir-path', o.sockDir,
    '--log-level', 'warn',
  ];
  if (o.tty) args.push('-t');
  if (o.stdin) args.push('-i');
  if (o.stdin && !o.stdinOnce) args.push('--leave-stdin-open');
  return new Promise((resolve, reject) => {
    // stdio: nothing of ours but the sync pipe reaches conmon (and through it the container), so no
    // pipe of this process is held open by the container (SUBSTRATE.md).
    const child = spawn(o.conmonPath, args, {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      // conmon also drops an `oom` marker into its working directory when the container is
      // OOM-killed: keep it in the container's own state, not wherever the agent was started.
      cwd: o.persistDir,
      detached: true,
    });
    child.unref();
    const pipe = child.stdio[3] as Readable;
    let buf = '';
    let done = false;
    const finish = (err: Error | undefined, pid?: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      pipe.destroy();
      if (err) reject(err);
      else resolve(pid!);
    };
    const timer = setTimeout(() => finish(new ConmonError(`conmon did not report container ${o.id} created`)), o.timeoutMs ?? 60_000);
    pipe.setEncoding('utf8');
    pipe.on('data', (d: string) => {
      buf += d;
      const m = /\{[^}]*\}/.exec(buf);
      if (!m) return;
      let msg: { data?: number; message?: string };
      try {
        msg = JSON.parse(m[0]) as { data?: number; message?: string };
      } catch {
        return;
      }
      if (typeof msg.data === 'number' && msg.data > 0) finish(undefined, msg.data);
      else finish(new ConmonError(`container create failed: ${msg.message ?? JSON.stringify(msg)}`));
    });
    pipe.on('error', () => undefined);
    pipe.on('close', () => finish(new ConmonError(`conmon exited before reporting container ${o.id} created`)));
    child.on('error', (err) => finish(new ConmonError(`cannot run conmon: ${err.message}`, { cause: err })));
  });
}
