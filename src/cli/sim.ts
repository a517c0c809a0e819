// `skiff sim`: joins simulated nodes to a running cluster (the role kwok plays upstream) through a
// kubeconfig, and acts as their kubelet until SIGINT/SIGTERM, when it stops heartbeating and exits.
// The Node objects stay behind, as a stopped kubelet's do; the node lifecycle controller marks them
// NotReady once their Leases expire.
import { KubeClient } from '../client/index.js';
import { startSimNodes } from '../kubelet/sim/sim-nodes.js';
import type { SimFlags } from './flags.js';

export async function runSim(flags: SimFlags): Promise<number> {
  const client = KubeClient.fromKubeconfig(flags.kubeconfig);
  const sim = await startSimNodes(client, { count: flags.nodes, namePrefix: flags.namePrefix });
  process.stdout.write(`Registered ${sim.names.length} simulated node(s): ${sim.names.slice(0, 3).join(', ')}${sim.names.length > 3 ? ', ...' : ''}\n`);
  return new Promise<number>((resolve) => {
    const stop = () => {
      void sim.stop().finally(() => {
        client.close();
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
