// Renders the proxy's whole ruleset as iptables-restore input for the nat and filter tables, in the
// structure of upstream pkg/proxy/iptables/proxier.go (syncProxyRules), so `iptables-save` output reads
// like a kube-proxy node's:
//
//   nat  PREROUTING/OUTPUT → KUBE-SERVICES ─ -d clusterIP --dport → KUBE-SVC-x (or KUBE-SVL-x, ITP Local)
//                                          ─ -d lbIP/externalIP   → KUBE-EXT-x
//                                          ─ (last) node address  → KUBE-NODEPORTS ─ --dport nodePort → KUBE-EXT-x
//        KUBE-EXT-x → mark for SNAT, → KUBE-SVC-x (ETP Local: pod/node sources short-circuit, others → KUBE-SVL-x)
//        KUBE-SVC-x → (affinity: -m recent --rcheck) → -m statistic 1/n, 1/(n-1)… → KUBE-SEP-y → DNAT ip:port
//        POSTROUTING → KUBE-POSTROUTING: MASQUERADE only packets carrying the 0x4000 mark
//  filter FORWARD/OUTPUT(NEW) → KUBE-SERVICES: REJECT cluster IPs without endpoints, and (last) any other
//                               address of the service CIDR; INPUT/FORWARD(NEW) → KUBE-EXTERNAL-SERVICES:
//                               REJECT NodePorts/LB IPs without endpoints; FORWARD → KUBE-FORWARD accepts
//                               marked and established service traffic.
//
// Only traffic that matched a Service is ever marked, so nothing else is masqueraded: a pod reaching
// the outside keeps its address (that is the node's or the CNI's business, never the proxy's).
// buildChains is pure and gives the ruleset chain by chain, so the syncer can write only the chains that
// changed (upstream's partial sync); buildRules renders all of it as one iptables-restore input.
import { chainNames, type ChainNames } from './chain-names.js';
import { buildServicePorts, trafficPlan, type Endpoint, type ProxyState, type ServicePort } from './service-port.js';

export interface RuleOptions {
  nodeName: string;
  /** Addresses NodePorts are served on; [] = every local address (`-m addrtype --dst-type LOCAL`). */
  nodeIPs: readonly string[];
  serviceCIDR: string;
  clusterCIDR: string;
  chainPrefix?: string;
}

/** The packet mark that asks KUBE-POSTROUTING to masquerade (upstream's --iptables-masquerade-bit 14). */
export const MASQ_MARK = '0x4000';

/**
 * Above this many endpoints, per-endpoint rules carry no comment (upstream's
 * largeClusterEndpointsThreshold): with iptables-nft every comment is an extra compat match, and at
 * 5,000 services × 2 endpoints they cost about a quarter of the restore time.
 */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

/** One rule inserted into a built-in chain: [table, chain, ...args]. */
export interface JumpRule {
  table: 'nat' | 'filter';
  chain: string;
  args: string[];
}

/** The jumps from built-in chains into the proxy's own; the syncer inserts them idempotently. */
export function jumpRules(names: ChainNames): JumpRule[] {
  const c = (comment: string) => ['-m', 'comment', '--comment', comment];
  const isNew = ['-m', 'conntrack', '--ctstate', 'NEW'];
  return [
    { table: 'nat', chain: 'PREROUTING', args: [...c('kubernetes service portals'), '-j', names.services] },
    { table: 'nat', chain: 'OUTPUT', args: [...c('kubernetes service portals'), '-j', names.services] },
    { table: 'nat', chain: 'POSTROUTING', args: [...c('kubernetes postrouting rules'), '-j', names.postrouting] },
    { table: 'filter', chain: 'INPUT', args: [...isNew, ...c('kubernetes externally-visible service portals'), '-j', names.externalServices] },
    { table: 'filter', chain: 'FORWARD', args: [...c('kubernetes forwarding rules'), '-j', names.forward] },
    { table: 'filter', chain: 'FORWARD', args: [...isNew, ...c('kubernetes service portals'), '-j', names.services] },
    { table: 'filter', chain: 'FORWARD', args: [...isNew, ...c('kubernetes externally-visible service portals'), '-j', names.externalServices] },
    { table: 'filter', chain: 'OUTPUT', args: [...isNew, ...c('kubernetes service portals'), '-j', names.services] },
  ];
}

/** The chains of one table in declaration order, each with its `-A` lines in order. */
class Table {
  readonly chains = new Map<string, string[]>();
  chain(name: string): void {
    if (!this.chains.has(name)) this.chains.set(name, []);
  }
  rule(chain: string, ...parts: string[]): void {
    const lines = this.chains.get(chain);
    // A rule for an undeclared chain would be an -A iptables-restore rejects; fail here, in the renderer.
    if (!lines) throw new Error(`rules: chain ${chain} used before it was declared`);
    lines.push(`-A ${chain} ${parts.filter(Boolean).join(' ')}`);
  }
}

/**
 * The ruleset split by chain, for a syncer that writes only what changed: per table, every chain in
 * declaration order with its `-A` lines. `topLevel` holds the fixed chains ("nat/KUBE-SERVICES"…)
 * that upstream rewrites on every sync; the rest are per service port (SVC, SVL, EXT, SEP).
 */
export interface RuleSet {
  nat: ReadonlyMap<string, readonly string[]>;
  filter: ReadonlyMap<string, readonly string[]>;
  topLevel: ReadonlySet<string>;
}

export const TABLES = ['nat', 'filter'] as const;
export type TableName = (typeof TABLES)[number];

const comment = (text: string) => `-m comment --comment "${text.replace(/["\\]/g, '')}"`;
const portMatch = (sp: ServicePort, port: number) => `-p ${sp.protocol} -m ${sp.protocol} --dport ${port}`;
const REJECT = '-j REJECT --reject-with icmp-port-unreachable';

/**
 * Rules spreading traffic over endpoints: with n endpoints the i-th rule (0-based) takes a share
 * 1/(n-i) of what is left, e.g. 3 endpoints → 0.3333333333, 0.5000000000, then the rest: each gets 1/3.
 * With ClientIP affinity, a client seen within the window goes back to its endpoint first.
 */
function writeEndpointRules(nat: Table, chain: string, sp: ServicePort, eps: readonly Endpoint[], sepName: (e: Endpoint) => string, large: boolean): void {
  const note = (text: string) => (large ? '' : comment(text));
  if (sp.affinitySeconds > 0) {
    for (const e of eps) {
      const sep = sepName(e);
      nat.rule(chain, note(`${sp.id} -> ${e.ip}:${e.port}`), `-m recent --name ${sep} --rcheck --seconds ${sp.affinitySeconds} --reap`, `-j ${sep}`);
    }
  }
  eps.forEach((e, i) => {
    const left = eps.length - i;
    const stat = left > 1 ? `-m statistic --mode random --probability ${(1 / left).toFixed(10)} ` : '';
    nat.rule(chain, note(`${sp.id} -> ${e.ip}:${e.port}`), `${stat}-j ${sepName(e)}`);
  });
}

function writeServicePort(nat: Table, filter: Table, n: ChainNames, opts: RuleOptions, sp: ServicePort, large: boolean): void {
  const { cluster, local, hasEndpoints, externallyAccessible, hasInternalEndpoints, hasExternalEndpoints, usesClusterChain, usesLocalChain } = trafficPlan(sp, opts.nodeName);
  const svc = n.svc(sp.id, sp.protocol);
  const svl = n.svl(sp.id, sp.protocol);
  const ext = n.ext(sp.id, sp.protocol);
  // Each endpoint's name is used up to four times (affinity, statistic, its own chain): hash it once.
  const sepNames = new Map<Endpoint, string>();
  const sepName = (e: Endpoint) => {
    let name = sepNames.get(e);
    if (name === undefined) sepNames.set(e, (name = n.sep(sp.id, sp.protocol, `${e.ip}:${e.port}`)));
    return name;
  };
  // Upstream: REJECT when the service has no endpoints at all; DROP when it has some but the Local
  // policy leaves none for this node (the client should not retry elsewhere through this node).
  const filterTarget = (hasLocal: boolean) => (!hasEndpoints ? REJECT : hasLocal ? '' : '-j DROP');
  const noEndpoints = (local: boolean) => (!hasEndpoints ? 'has no endpoints' : local ? 'has no local endpoints' : '');

  // Cluster IP.
  const clusterDst = `-d ${sp.clusterIP}/32 ${portMatch(sp, sp.port)}`;
  if (hasInternalEndpoints) nat.rule(n.services, comment(`${sp.id} cluster IP`), clusterDst, `-j ${sp.internalPolicyLocal ? svl : svc}`);
  else filter.rule(n.services, comment(`${sp.id} ${noEndpoints(true)}`), clusterDst, filterTarget(false));

  // Load-balancer ingress and external IPs, then the node port.
  for (const ip of sp.externalAddresses) {
    const dst = `-d ${ip}/32 ${portMatch(sp, sp.port)}`;
    if (hasExternalEndpoints) nat.rule(n.services, comment(`${sp.id} external IP`), dst, `-j ${ext}`);
    else filter.rule(n.externalServices, comment(`${sp.id} ${noEndpoints(true)}`), dst, filterTarget(false));
  }
  if (sp.nodePort > 0) {
    if (hasExternalEndpoints) nat.rule(n.nodePorts, comment(`${sp.id}`), portMatch(sp, sp.nodePort), `-j ${ext}`);
    else filter.rule(n.externalServices, comment(`${sp.id} ${noEndpoints(true)}`), '-m addrtype --dst-type LOCAL', portMatch(sp, sp.nodePort), filterTarget(false));
  }

  if (externallyAccessible && hasExternalEndpoints) {
    nat.chain(ext);
    if (!sp.externalPolicyLocal) {
      nat.rule(ext, comment(`masquerade traffic for ${sp.id} external destinations`), `-j ${n.markMasq}`);
      nat.rule(ext, `-j ${svc}`);
    } else {
      // Pods and the node itself may use any endpoint (and must, or a node without local endpoints
      // would break them); only traffic from outside is kept on this node, with its source intact.
      nat.rule(ext, comment(`pod traffic for ${sp.id} external destinations`), `-s ${opts.clusterCIDR}`, `-j ${svc}`);
      nat.rule(ext, comment(`masquerade LOCAL traffic for ${sp.id} external destinations`), '-m addrtype --src-type LOCAL', `-j ${n.markMasq}`);
      nat.rule(ext, comment(`route LOCAL traffic for ${sp.id} external destinations`), '-m addrtype --src-type LOCAL', `-j ${svc}`);
      nat.rule(ext, `-j ${svl}`);
    }
  }

  if (usesClusterChain) {
    nat.chain(svc);
    // Clients outside the pod network (the node, NodePort users) are masqueraded so replies return here.
    nat.rule(svc, comment(`${sp.id} cluster IP`), clusterDst, `! -s ${opts.clusterCIDR}`, `-j ${n.markMasq}`);
    writeEndpointRules(nat, svc, sp, cluster, sepName, large);
  }
  if (usesLocalChain) {
    nat.chain(svl);
    writeEndpointRules(nat, svl, sp, local, sepName, large);
  }
  const seps = new Map<string, Endpoint>();
  for (const e of [...(usesClusterChain ? cluster : []), ...(usesLocalChain ? local : [])]) seps.set(sepName(e), e);
  for (const [sep, e] of seps) {
    nat.chain(sep);
    // Hairpin: a pod reaching itself through the Service must see the node as the source.
    nat.rule(sep, large ? '' : comment(sp.id), `-s ${e.ip}/32`, `-j ${n.markMasq}`);
    const recent = sp.affinitySeconds > 0 ? ` -m recent --name ${sep} --set` : '';
    nat.rule(sep, large ? '' : comment(sp.id), `-p ${sp.protocol} -m ${sp.protocol}${recent}`, `-j DNAT --to-destination ${e.ip}:${e.port}`);
  }
}

/** The complete ruleset, chain by chain (see RuleSet). Pure. */
export function buildChains(state: ProxyState, opts: RuleOptions): RuleSet {
  const n = chainNames(opts.chainPrefix);
  const nat = new Table();
  const filter = new Table();
  for (const c of [n.services, n.nodePorts, n.postrouting, n.markMasq]) nat.chain(c);
  for (const c of [n.services, n.externalServices, n.forward]) filter.chain(c);

  nat.rule(n.postrouting, `-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK}`, '-j RETURN');
  // Clear the mark so a re-routed packet is not masqueraded twice (upstream does the same).
  nat.rule(n.postrouting, `-j MARK --xor-mark ${MASQ_MARK}`);
  nat.rule(n.postrouting, comment('kubernetes service traffic requiring SNAT'), '-j MASQUERADE --random-fully');
  nat.rule(n.markMasq, `-j MARK --or-mark ${MASQ_MARK}`);
  filter.rule(n.forward, comment('kubernetes forwarding rules'), `-m mark --mark ${MASQ_MARK}/${MASQ_MARK}`, '-j ACCEPT');
  filter.rule(n.forward, comment('kubernetes forwarding conntrack rule'), '-m conntrack --ctstate RELATED,ESTABLISHED', '-j ACCEPT');

  const ports = buildServicePorts(state);
  const large = ports.reduce((sum, sp) => sum + sp.endpoints.length, 0) > LARGE_CLUSTER_ENDPOINTS;
  for (const sp of ports) writeServicePort(nat, filter, n, opts, sp, large);

  // Node ports last: a cluster IP or LB rule must win over a node port on the same port number.
  if (opts.nodeIPs.length === 0) {
    nat.rule(n.services, comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), '! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL', `-j ${n.nodePorts}`);
  } else {
    for (const ip of opts.nodeIPs) nat.rule(n.services, comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), `-d ${ip}/32`, `-j ${n.nodePorts}`);
  }
  // Nothing addressed to the service range may leave the node: what no rule above claimed is refused.
  filter.rule(n.services, comment('no such service'), `-d ${opts.serviceCIDR}`, REJECT);
  const topLevel = new Set<string>();
  for (const c of [n.services, n.nodePorts, n.postrouting, n.markMasq]) topLevel.add(`nat/${c}`);
  for (const c of [n.services, n.externalServices, n.forward]) topLevel.add(`filter/${c}`);
  return { nat: nat.chains, filter: filter.chains, topLevel };
}

/**
 * iptables-restore --noflush input for one table: declares (and so flushes) `write` and `remove`,
 * appends the rules of `write`, then deletes `remove`. Every chain written is declared, because all
 * declarations precede the rules, so a jump may target any chain written in the same input; chains
 * not mentioned keep their rules (--noflush), so jumps into them stay valid too.
 */
export function renderTable(table: TableName, write: ReadonlyMap<string, readonly string[]>, remove: Iterable<string> = []): string {
  const removed = [...remove];
  const out = [`*${table}`];
  for (const c of write.keys()) out.push(`:${c} - [0:0]`);
  for (const c of removed) out.push(`:${c} - [0:0]`);
  for (const lines of write.values()) for (const l of lines) out.push(l);
  for (const c of removed) out.push(`-X ${c}`);
  out.push('COMMIT', '');
  return out.join('\n');
}

/** The complete ruleset (nat then filter) as iptables-restore --noflush input. */
export function buildRules(state: ProxyState, opts: RuleOptions): string {
  const set = buildChains(state, opts);
  return renderTable('nat', set.nat) + renderTable('filter', set.filter);
}

/** The chains a rendered ruleset declares, per table ("nat/KUBE-SVC-…"). */
export function declaredChains(rules: string): Set<string> {
  const out = new Set<string>();
  let table = '';
  for (const line of rules.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(':')) out.add(`${table}/${line.slice(1).split(' ')[0]}`);
  }
  return out;
}

/**
 * iptables-restore input that flushes and deletes chains (e.g. a deleted Service's): flushing every
 * one first drops the references between them, so the deletes may come in any order.
 */
export function deleteChainsText(chains: Iterable<string>): string {
  const byTable = new Map<string, string[]>();
  for (const tc of chains) {
    const [table, chain] = tc.split('/') as [string, string];
    byTable.set(table, [...(byTable.get(table) ?? []), chain]);
  }
  let out = '';
  for (const [table, list] of byTable) {
    out += [`*${table}`, ...list.map((c) => `:${c} - [0:0]`), ...list.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n');
  }
  return out;
}
