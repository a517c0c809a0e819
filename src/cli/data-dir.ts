// Where Skiff keeps its state when --data-dir is not given: /var/lib/skiff for root (a system
// service, like k3s's /var/lib/rancher/k3s), ~/.skiff otherwise. SKIFF_DATA_DIR overrides both, which
// lets `skiff kubectl` find a server started elsewhere without repeating the flag.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SKIFF_DATA_DIR) return resolve(env.SKIFF_DATA_DIR);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? '/var/lib/skiff' : join(homedir(), '.skiff');
}

export const kubeconfigPath = (dataDir: string) => join(dataDir, 'kubeconfig.yaml');
export const tokensPath = (dataDir: string) => join(dataDir, 'tokens.csv');
