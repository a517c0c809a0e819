// `skiff kubectl …`: runs the system kubectl against the local server's admin kubeconfig. Only a
// leading --data-dir is ours; every other argument, the standard streams and the exit status belong
// to kubectl. While kubectl runs, Ctrl-C reaches it directly (same process group), so we ignore
// SIGINT ourselves and forward SIGTERM.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { defaultDataDir, kubeconfigPath } from './data-dir.js';
import { KUBECTL_USAGE } from './usage.js';

/** /usr/bin/kubectl if present, else the first executable `kubectl` on PATH. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = ['/usr/bin/kubectl', ...(env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'kubectl'))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Splits a leading `--data-dir DIR` / `--data-dir=DIR` off kubectl's arguments. */
export function splitDataDir(args: string[]): { dataDir?: string; rest: string[] } {
  const [first, second] = args;
  if (first === '--data-dir' && second !== undefined) return { dataDir: second, rest: args.slice(2) };
  if (first?.startsWith('--data-dir=')) return { dataDir: first.slice('--data-dir='.length), rest: args.slice(1) };
  return { rest: args };
}

export async function runKubectl(args: string[]): Promise<number> {
  if (args[0] === '--help' && args.length === 1) {
    process.stdout.write(KUBECTL_USAGE);
    return 0;
  }
  const { dataDir, rest } = splitDataDir(args);
  const dir = dataDir ? resolve(dataDir) : defaultDataDir();
  const kubeconfig = kubeconfigPath(dir);
  const bin = findKubectl();
  if (!bin) {
    process.stderr.write('skiff: kubectl not found (looked for /usr/bin/kubectl and kubectl on PATH)\n');
    return 127;
  }
  if (!existsSync(kubeconfig)) {
    process.stderr.write(`skiff: ${kubeconfig} does not exist; start the server first: skiff server --data-dir ${dir}\n`);
    return 1;
  }
  const child = spawn(bin, rest, { stdio: 'inherit', env: { ...process.env, KUBECONFIG: kubeconfig } });
  const ignore = () => {};
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  return new Promise((ok) => {
    child.on('error', (e) => {
      process.stderr.write(`skiff: cannot run ${bin}: ${e.message}\n`);
      ok(127);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      ok(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15));
    });
  });
}
