// The service CIDR's route, shared by both rule backends (rule-syncer.ts for iptables,
// nft/nft-syncer.ts for nftables). Before the first rule exists the CIDR is routed `unreachable`, so no
// packet to a Service IP can follow the default route out of the machine. In 'sink' mode (default),
// once the first sync has installed the REJECT for the whole CIDR, the CIDR is routed into an empty
// bridge instead (this kernel has no dummy interfaces): locally generated packets then get a route, are
// DNATed in nat OUTPUT, and what no rule claims is refused — what IPVS mode's kube-ipvs0 is for.
// In 'unreachable' mode the route stays; forwarded pod traffic still works (DNAT precedes routing)
// but the node's own processes cannot use cluster IPs. See rule-syncer.ts for the longer story.
import type { Exec } from './exec.js';

export type ServiceRouteMode = 'sink' | 'unreachable';

export class ServiceRoute {
  private sinkUp = false;

  constructor(
    private readonly exec: Exec,
    private readonly cidr: string,
    private readonly mode: ServiceRouteMode = 'sink',
    /** The sink bridge's name (≤ 15 characters), e.g. 'kube-svc'. */
    readonly sinkDevice: string,
  ) {}

  /** Routes the CIDR unreachable; call before any rule is written. */
  async init(): Promise<void> {
    await this.exec(['ip', 'route', 'replace', 'unreachable', this.cidr]);
  }

  /** After a successful sync (the CIDR-wide REJECT exists): routes the CIDR into the sink, once. */
  async afterSync(): Promise<void> {
    if (this.mode === 'unreachable' || this.sinkUp) return;
    await this.exec(['ip', 'link', 'add', this.sinkDevice, 'type', 'bridge'], { allowFail: true }); // may exist from an earlier run
    await this.exec(['ip', 'link', 'set', this.sinkDevice, 'up']);
    await this.exec(['ip', 'route', 'replace', this.cidr, 'dev', this.sinkDevice]);
    this.sinkUp = true;
  }

  /** Removes both routes and the sink device; tolerates their absence. */
  async cleanup(): Promise<void> {
    await this.exec(['ip', 'route', 'del', 'unreachable', this.cidr], { allowFail: true });
    await this.exec(['ip', 'route', 'del', this.cidr, 'dev', this.sinkDevice], { allowFail: true });
    await this.exec(['ip', 'link', 'del', this.sinkDevice], { allowFail: true });
    this.sinkUp = false;
  }
}
