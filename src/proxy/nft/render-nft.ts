// Renders the proxy's whole ruleset as one nftables table, in the structure of upstream kube-proxy's
// nftables mode (pkg/proxy/nftables/proxier.go), so `nft list table ip kube-proxy` reads like theirs:
//
//   nat-prerouting/nat-output (dstnat) → services ─ ip daddr . l4proto . dport vmap @service-ips
//                                                    (cluster IPs → goto service-X or local-X,
//                                                     external/LB IPs → goto external-X)
//                                                 ─ node address: l4proto . dport vmap @service-nodeports
//   external-X → mark for SNAT, goto service-X (ETP Local: pod/node sources → service-X, others → local-X)
//   service-X / local-X → (affinity: ip saddr @affinity-E goto endpoint-E) → numgen cascade (1/n each)
//   endpoint-E → hairpin mark, (affinity: update @affinity-E), dnat to ip:port
//   nat-postrouting (srcnat) → masquerading: masquerade only packets carrying the 0x4000 mark
//   filter-input/forward/output (filter, ct state new): @no-endpoint-services / @no-endpoint-nodeports
//     → reject (no endpoints) or drop (Local policy, none on this node); any other address of the
//     service CIDR → reject.
//
// Only traffic that matched a Service is marked, so nothing else is masqueraded. Pure: the same state
// gives the same text. The result lists the table's chains, sets and maps so the syncer can flush the
// maps and delete what a later ruleset no longer has, all in one `nft -f` transaction.
import { createHash } from 'node:crypto';
import { buildServicePorts, trafficPlan, type Endpoint, type ProxyState, type ServicePort } from '../service-port.js';

export interface NftRuleOptions {
  nodeName: string;
  /** Addresses NodePorts are served on; [] = every local address (`fib daddr type local`). */
  nodeIPs: readonly string[];
  serviceCIDR: string;
  clusterCIDR: string;
  /** The `ip` family table's name, default 'kube-proxy'. */
  table?: string;
}

export class NftTableNameError extends Error {
  readonly code = 'ENFTTABLENAME';
}

/** The packet mark that asks the masquerading chain to SNAT (upstream's masquerade bit 14). */
export const NFT_MASQ_MARK = '0x00004000';
export const DEFAULT_NFT_TABLE = 'kube-proxy';

/** The maps every ruleset has; the syncer flushes them before each rewrite (flush table keeps elements). */
export const NFT_MAPS = ['service-ips', 'service-nodeports', 'no-endpoint-services', 'no-endpoint-nodeports'] as const;

export interface NftRuleset {
  table: string;
  /** `table ip <name> { … }`: every definition, to be applied to an empty (or flushed) table. */
  text: string;
  /** Every chain of the table, base chains included. */
  chains: ReadonlySet<string>;
  /** The affinity sets (their elements are client state: the syncer never flushes them). */
  sets: ReadonlySet<string>;
}

/**
 * Checks a table name: 1–11 of a-z, 0-9, '-', starting with a letter, so `<table>-svc` still fits an
 * interface name (15 characters) for the sink device. Throws NftTableNameError.
 */
export function checkTableName(name: string): string {
  if (!/^[a-z][a-z0-9-]{0,10}$/.test(name)) throw new NftTableNameError(`nftables table name ${JSON.stringify(name)} must be 1-11 characters a-z0-9- starting with a letter`);
  return name;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Upstream's chain-name hash: base32(sha256(base))[:8] (5 bytes give exactly 8 characters). */
function hash8(s: string): string {
  const buf = createHash('sha256').update(s).digest().subarray(0, 5);
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of buf) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Upstream's chain-name base "ns/name/proto/port" (an unnamed port uses its number). */
const baseName = (sp: ServicePort) => `${sp.namespace}/${sp.name}/${sp.protocol}/${sp.portName || sp.port}`;
const named = (kind: string, base: string) => `${kind}-${hash8(base)}-${base}`;

const REJECT_CHAIN = 'reject-chain';

class Builder {
  readonly chains = new Map<string, string[]>();
  readonly sets = new Map<string, string>();
  readonly elements = new Map<string, string[]>(NFT_MAPS.map((m) => [m, []]));
  chain(name: string, header = ''): string[] {
    let rules = this.chains.get(name);
    if (!rules) this.chains.set(name, (rules = header ? [header] : []));
    return rules;
  }
  rule(name: string, ...parts: string[]): void {
    const rules = this.chains.get(name);
    if (!rules) throw new Error(`render-nft: chain ${name} used before it was declared`);
    rules.push(parts.filter(Boolean).join(' '));
  }
  element(map: (typeof NFT_MAPS)[number], el: string): void {
    this.elements.get(map)!.push(el);
  }
}

function endpointChain(sp: ServicePort, e: Endpoint): string {
  return named('endpoint', `${baseName(sp)}__${e.ip}/${e.port}`);
}
function affinitySet(sp: ServicePort, e: Endpoint): string {
  return named('affinity', `${baseName(sp)}__${e.ip}/${e.port}`);
}

/**
 * Spreads over endpoints: with n endpoints the i-th rule (0-based) takes a share 1/(n-i) of what is
 * left (`numgen random mod n-i 0`), the last one the rest — each gets 1/n, as iptables' statistic
 * cascade. Not upstream's single `numgen random mod n vmap { … }`: every such vmap is an anonymous set,
 * and this kernel names each new anonymous set by scanning all sets of the table, so 5,000 services
 * took ~5 s of kernel time per restore (1 s without them). With ClientIP affinity a known client goes
 * back to its endpoint first.
 */
function writeEndpointDispatch(b: Builder, chain: string, sp: ServicePort, eps: readonly Endpoint[]): void {
  if (sp.affinitySeconds > 0) for (const e of eps) b.rule(chain, `ip saddr @${affinitySet(sp, e)} goto ${endpointChain(sp, e)}`);
  eps.forEach((e, i) => {
    const left = eps.length - i;
    b.rule(chain, left > 1 ? `numgen random mod ${left} 0 goto ${endpointChain(sp, e)}` : `goto ${endpointChain(sp, e)}`);
  });
}

function writeServicePort(b: Builder, opts: NftRuleOptions, sp: ServicePort): void {
  const { cluster, local, hasEndpoints, externallyAccessible, hasInternalEndpoints, hasExternalEndpoints, usesClusterChain, usesLocalChain } = trafficPlan(sp, opts.nodeName);
  const base = baseName(sp);
  const svc = named('service', base);
  const svl = named('local', base);
  const ext = named('external', base);
  // Upstream: reject when the service has no endpoints at all; drop when it has some but the Local
  // policy leaves none here (the client should not be told to give up, just not served by this node).
  const noEndpointVerdict = hasEndpoints ? 'drop' : `goto ${REJECT_CHAIN}`;
  const key = (ip: string) => `${ip} . ${sp.protocol} . ${sp.port}`;

  if (hasInternalEndpoints) b.element('service-ips', `${key(sp.clusterIP)} : goto ${sp.internalPolicyLocal ? svl : svc}`);
  else b.element('no-endpoint-services', `${key(sp.clusterIP)} : ${noEndpointVerdict}`);
  for (const ip of sp.externalAddresses) {
    if (hasExternalEndpoints) b.element('service-ips', `${key(ip)} : goto ${ext}`);
    else b.element('no-endpoint-services', `${key(ip)} : ${noEndpointVerdict}`);
  }
  if (sp.nodePort > 0) {
    if (hasExternalEndpoints) b.element('service-nodeports', `${sp.protocol} . ${sp.nodePort} : goto ${ext}`);
    else b.element('no-endpoint-nodeports', `${sp.protocol} . ${sp.nodePort} : ${noEndpointVerdict}`);
  }

  if (externallyAccessible && hasExternalEndpoints) {
    b.chain(ext);
    if (!sp.externalPolicyLocal) {
      b.rule(ext, 'jump mark-for-masquerade');
      b.rule(ext, `goto ${svc}`);
    } else {
      // Pods and the node itself may use any endpoint; only outside traffic stays on this node, unSNATed.
      b.rule(ext, `ip saddr ${opts.clusterCIDR} goto ${svc}`);
      b.rule(ext, 'fib saddr type local jump mark-for-masquerade');
      b.rule(ext, `fib saddr type local goto ${svc}`);
      b.rule(ext, `goto ${svl}`);
    }
  }
  if (usesClusterChain) {
    b.chain(svc);
    // Clients outside the pod network (the node, NodePort users) are masqueraded so replies return here.
    b.rule(svc, `ip daddr ${sp.clusterIP} ${sp.protocol} dport ${sp.port} ip saddr != ${opts.clusterCIDR} jump mark-for-masquerade`);
    writeEndpointDispatch(b, svc, sp, cluster);
  }
  if (usesLocalChain) {
    b.chain(svl);
    writeEndpointDispatch(b, svl, sp, local);
  }
  const eps = new Map<string, Endpoint>();
  for (const e of [...(usesClusterChain ? cluster : []), ...(usesLocalChain ? local : [])]) eps.set(endpointChain(sp, e), e);
  for (const [chain, e] of eps) {
    b.chain(chain);
    // Hairpin: a pod reaching itself through the Service must see the node as the source.
    b.rule(chain, `ip saddr ${e.ip} jump mark-for-masquerade`);
    if (sp.affinitySeconds > 0) {
      const set = affinitySet(sp, e);
      // Per-element timeout: the set's definition does not depend on the Service's timeout, so a
      // changed timeoutSeconds never needs the set (and its clients) re-created.
      b.sets.set(set, `set ${set} { type ipv4_addr; flags dynamic,timeout; }`);
      b.rule(chain, `update @${set} { ip saddr timeout ${sp.affinitySeconds}s }`);
    }
    b.rule(chain, `meta l4proto ${sp.protocol} dnat to ${e.ip}:${e.port}`);
  }
}

/** The complete table for `state`. Pure. */
export function renderNft(state: ProxyState, opts: NftRuleOptions): NftRuleset {
  const table = checkTableName(opts.table ?? DEFAULT_NFT_TABLE);
  const b = new Builder();
  const base = (type: string, hook: string, priority: string) => `type ${type} hook ${hook} priority ${priority}; policy accept;`;
  b.chain('nat-prerouting', base('nat', 'prerouting', 'dstnat'));
  b.rule('nat-prerouting', 'jump services');
  // nft 1.0.6 accepts the name dstnat only at prerouting; -100 is its value.
  b.chain('nat-output', base('nat', 'output', '-100'));
  b.rule('nat-output', 'jump services');
  b.chain('nat-postrouting', base('nat', 'postrouting', 'srcnat'));
  b.rule('nat-postrouting', 'jump masquerading');
  b.chain('filter-input', base('filter', 'input', 'filter'));
  b.rule('filter-input', 'ct state new jump nodeport-endpoints-check');
  b.rule('filter-input', 'ct state new jump service-endpoints-check');
  for (const hook of ['forward', 'output']) {
    b.chain(`filter-${hook}`, base('filter', hook, 'filter'));
    b.rule(`filter-${hook}`, 'ct state new jump service-endpoints-check');
    b.rule(`filter-${hook}`, 'ct state new jump cluster-ips-check');
  }
  b.chain('masquerading');
  b.rule('masquerading', `meta mark & ${NFT_MASQ_MARK} == 0 return`);
  // Clear the mark so a re-routed packet is not masqueraded twice (upstream does the same).
  b.rule('masquerading', `meta mark set meta mark ^ ${NFT_MASQ_MARK}`);
  b.rule('masquerading', 'masquerade fully-random');
  b.chain('mark-for-masquerade');
  b.rule('mark-for-masquerade', `meta mark set meta mark | ${NFT_MASQ_MARK}`);
  b.chain(REJECT_CHAIN);
  b.rule(REJECT_CHAIN, 'reject');
  b.chain('services');
  b.rule('services', 'ip daddr . meta l4proto . th dport vmap @service-ips');
  // Node ports after the service IPs: a cluster or LB IP must win over a node port with the same number.
  const nodeAddr = opts.nodeIPs.length ? `ip daddr { ${opts.nodeIPs.join(', ')} }` : 'fib daddr type local ip daddr != 127.0.0.0/8';
  b.rule('services', `${nodeAddr} meta l4proto . th dport vmap @service-nodeports`);
  b.chain('service-endpoints-check');
  b.rule('service-endpoints-check', 'ip daddr . meta l4proto . th dport vmap @no-endpoint-services');
  b.chain('nodeport-endpoints-check');
  b.rule('nodeport-endpoints-check', `${nodeAddr} meta l4proto . th dport vmap @no-endpoint-nodeports`);
  // Nothing addressed to the service range may leave the node: what no map above claimed is refused.
  b.chain('cluster-ips-check');
  b.rule('cluster-ips-check', `ip daddr ${opts.serviceCIDR} reject`);

  for (const sp of buildServicePorts(state)) writeServicePort(b, opts, sp);

  const out = [`table ip ${table} {`];
  for (const def of b.sets.values()) out.push(`\t${def}`);
  const mapType: Record<(typeof NFT_MAPS)[number], string> = {
    'service-ips': 'ipv4_addr . inet_proto . inet_service : verdict',
    'service-nodeports': 'inet_proto . inet_service : verdict',
    'no-endpoint-services': 'ipv4_addr . inet_proto . inet_service : verdict',
    'no-endpoint-nodeports': 'inet_proto . inet_service : verdict',
  };
  for (const m of NFT_MAPS) {
    const els = b.elements.get(m)!;
    out.push(`\tmap ${m} {`, `\t\ttype ${mapType[m]}`);
    if (els.length) out.push(`\t\telements = {\n\t\t\t${els.join(',\n\t\t\t')}\n\t\t}`);
    out.push('\t}');
  }
  for (const [name, rules] of b.chains) {
    out.push(`\tchain ${name} {`, ...rules.map((r) => `\t\t${r}`), '\t}');
  }
  out.push('}', '');
  return { table, text: out.join('\n'), chains: new Set(b.chains.keys()), sets: new Set(b.sets.keys()) };
}
