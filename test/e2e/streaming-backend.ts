// A stand-in node for the streaming e2e test: a StreamingBackend whose "container" is a chroot
// holding busybox-static (so exec, `tar` for kubectl cp and absolute paths behave as in a real
// container root, without runc or images), whose logs are CRI files the test writes, and whose
// port-forward dials a TCP server the test runs on loopback. Needs root (chroot) and /bin/busybox.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { StreamingError, type ResolvedContainer, type StreamingBackend } from '../../src/kubelet/server/index.js';
import type { ExecSession } from '../../src/kubelet/runtime/types.js';

// Resolved once: the chroot'ed commands get PATH=/bin, which would hide /usr/sbin/chroot itself.
const CHROOT = ['/usr/sbin/chroot', '/usr/bin/chroot', '/sbin/chroot'].find((p) => existsSync(p)) ?? 'chroot';

export interface FakeContainer {
  running: boolean;
  logPath: string;
  previousLogPath?: string;
}

export interface FakeNode {
  backend: StreamingBackend;
  root: string;
  dir: string;
  containers: Map<string, FakeContainer>;
  cleanup(): void;
}

/** Runs argv inside the chroot with pipes (a TTY is not emulated: stderr stays separate). */
function chrootExec(root: string, argv: string[], stdin: boolean): ExecSession {
  const child = spawn(CHROOT, [root, ...argv], { env: { PATH: '/bin', HOME: '/' }, stdio: ['pipe', 'pipe', 'pipe'], cwd: '/' });
  if (!stdin) child.stdin.end();
  const exit = new Promise<number>((resolve) => {
    child.once('error', () => resolve(126));
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1)));
  });
  return {
    stdin: stdin ? child.stdin : undefined,
    stdout: child.stdout,
    stderr: child.stderr,
    resize: () => {},
    exit,
    kill: () => child.kill('SIGKILL'),
  };
}

export async function fakeNode(opts: { podUid: string; forwardTo: Record<number, number> }): Promise<FakeNode> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-stream-e2e-'));
  const root = join(dir, 'root');
  for (const d of ['bin', 'tmp', 'etc']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
  const install = spawn(CHROOT, [root, '/bin/busybox', '--install', '-s', '/bin'], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => install.once('close', resolve));
  if (code !== 0) throw new Error(`busybox --install in the chroot exited ${code}`);
  const containers = new Map<string, FakeContainer>();
  const backend: StreamingBackend = {
    async resolvePod(ns, pod) {
      if (ns !== 'default' || pod !== 'p') throw new StreamingError('NotFound', 'pod does not exist');
      return { podUid: opts.podUid };
    },
    async resolveContainer(ns, pod, container): Promise<ResolvedContainer> {
      if (ns !== 'default' || pod !== 'p') throw new StreamingError('NotFound', 'pod does not exist');
      const c = containers.get(container ?? '');
      if (!c) throw new StreamingError('NotFound', `container not found (${JSON.stringify(container)})`);
      return { containerId: `cid-${container}`, ...c };
    },
    runtime: {
      async exec(_id, argv, o) {
        return chrootExec(root, argv, o.stdin);
      },
      async attach(_id, o) {
        // The "main process" of this fake: echoes its stdin.
        return chrootExec(root, ['sh', '-c', 'echo attached; cat'], o.stdin);
      },
      portForward(_uid, port): Promise<Duplex> {
        const target = opts.forwardTo[port];
        if (!target) return Promise.reject(new Error(`nothing listens on port ${port}`));
        return new Promise((resolve, reject) => {
          const s = connect(target, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
      },
    },
  };
  return {
    backend,
    root,
    dir,
    containers,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A CRI log line with the given time. */
export function criLine(at: Date, stream: 'stdout' | 'stderr', tag: 'F' | 'P', msg: string): string {
  return `${at.toISOString().replace('Z', '000000+00:00')} ${stream} ${tag} ${msg}\n`;
}

export function writeLog(path: string, text: string): void {
  writeFileSync(path, text);
}
