// A minimal node pod network inside a throwaway "node" network namespace, for tests and benchmarks
// of the Service proxy: the pod and service CIDRs routed `unreachable` first (so nothing can leave),
// forwarding on, bridged traffic through netfilter (replies between two pods on the bridge must meet
// conntrack to undo a Service DNAT), bridge br0 at 10.42.0.1/24, and pods plugged in by veth.
import { run } from '../../src/kubelet/network/command.js';

const inNs = (ns: string, ...argv: string[]) => run('ip', ['netns', 'exec', ns, ...argv]);

/** Sets up `node` (an existing netns) as a node with bridge br0 for 10.42.0.0/24. */
export async function makeNodeBridge(node: string): Promise<void> {
  await inNs(node, 'ip', 'route', 'add', 'unreachable', '10.42.0.0/16');
  await inNs(node, 'ip', 'route', 'add', 'unreachable', '10.43.0.0/16');
  await inNs(node, 'ip', 'link', 'set', 'lo', 'up');
  await inNs(node, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  // Per-netns on this kernel; elsewhere it may be global only, so a failure is not fatal.
  await run('ip', ['netns', 'exec', node, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1'], { allowFail: true });
  await inNs(node, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
  await inNs(node, 'ip', 'addr', 'add', '10.42.0.1/24', 'dev', 'br0');
  await inNs(node, 'ip', 'link', 'set', 'br0', 'up');
}

/** Plugs the netns `pod` into node's br0 as eth0 with `ip`/24 and a default route via the bridge. */
export async function plugPod(node: string, pod: string, hostIf: string, ip: string): Promise<void> {
  await inNs(node, 'ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod);
  await inNs(node, 'ip', 'link', 'set', hostIf, 'master', 'br0', 'up');
  await inNs(pod, 'ip', 'link', 'set', 'lo', 'up');
  await inNs(pod, 'ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0');
  await inNs(pod, 'ip', 'link', 'set', 'eth0', 'up');
  await inNs(pod, 'ip', 'route', 'add', 'default', 'via', '10.42.0.1');
}
