// `skiff agent`: a node agent (kubelet on runc, pod network, image store) that joins a running
// cluster through a kubeconfig — or --server URL with --token and the cluster CA — and runs until
// SIGINT/SIGTERM. Its containers keep running when it stops; the next start re-adopts them.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeClient, loadKubeconfig, type ClientConfig } from '../client/index.js';
import { defaultDataDir } from './data-dir.js';
import { AGENT_OPTIONS, agentFlags, agentOptionsFrom } from './agent-flags.js';

export const AGENT_USAGE = `Usage: skiff agent [flags]

Runs a node agent (kubelet with runc containers, pod network, image store) that joins a running
cluster and registers this machine as a Node.

Flags:
  --kubeconfig FILE      Cluster to join (default: $KUBECONFIG, else <data-dir>/kubeconfig.yaml)
  --server URL           API server URL (instead of a kubeconfig; with --token and --ca-file)
  --token TOKEN          Bearer token for --server
  --ca-file FILE         Cluster CA certificate for --server
  --data-dir DIR         Agent state (images, containers, pod volumes, logs) under DIR/agent
  (and the node agent flags of \`skiff server --help\`)
`;

export async function runAgent(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      'ca-file': { type: 'string' },
      'data-dir': { type: 'string' },
      ...AGENT_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(AGENT_USAGE);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  let cfg: ClientConfig;
  if (values.server) {
    if (!values.token || !values['ca-file']) throw new Error('--server needs --token and --ca-file');
    cfg = { server: values.server, token: values.token, ca: readFileSync(values['ca-file'], 'utf8') };
  } else {
    cfg = loadKubeconfig(values.kubeconfig ?? process.env.KUBECONFIG ?? join(dataDir, 'kubeconfig.yaml'));
  }
  const flags = agentFlags(values);
  const client = new KubeClient(cfg);
  const { startAgent } = await import('../kubelet/agent.js');
  const agent = await startAgent(client, { ...agentOptionsFrom(flags), dataDir, clientCA: cfg.ca });
  process.stdout.write('Skiff agent is ready\n');
  return new Promise<number>((done) => {
    const stop = () => {
      void agent.stop().finally(() => {
        client.close();
        done(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
