// The in-memory zone the resolver answers from: resource records filed by owner name, each set
// contributed by one "owner" (a Service, keyed namespace/name) so that a Service's records can be
// replaced or dropped as a unit when it or its EndpointSlices change. Names below the cluster domain
// that only have descendants (svc.cluster.local, <ns>.svc.cluster.local, _tcp.<svc>…) are empty
// non-terminals: they exist (NODATA, not NXDOMAIN, per RFC 8020), so the index refcounts them too.
import type { SoaAnswer, SrvData } from 'dns-packet';
import { ancestorsUnder, canonical, isUnder } from './names.js';

/** The record kinds the cluster zone holds. Names are canonical (lower case, no trailing dot). */
export type ZoneRecord =
  | { name: string; type: 'A' | 'AAAA' | 'CNAME' | 'PTR'; data: string }
  | { name: string; type: 'SRV'; data: Required<SrvData> }
  | { name: string; type: 'TXT'; data: string };

export type RecordType = ZoneRecord['type'];

/** Version of the Kubernetes DNS schema implemented (docs/specification.md, "Schema Version"). */
export const DNS_SCHEMA_VERSION = '1.1.0';

export class DnsIndex {
  /** name → owner → records at that name. */
  private readonly names = new Map<string, Map<string, ZoneRecord[]>>();
  /** empty-non-terminal name → number of record names below it. */
  private readonly ents = new Map<string, number>();
  /** owner → names it contributed (to remove them). */
  private readonly owners = new Map<string, string[]>();
  /** SOA serial: seconds since the epoch of the last change (as CoreDNS; no zone transfers, so coarse is fine). */
  serial = Math.floor(Date.now() / 1000);
  readonly zone: string;

  constructor(zone: string, readonly ttl = 5) {
    this.zone = canonical(zone);
    this.set('\0zone', [{ name: `dns-version.${this.zone}`, type: 'TXT', data: DNS_SCHEMA_VERSION }]);
  }

  /** Replaces every record `owner` contributed with `records` (an empty list removes the owner). */
  set(owner: string, records: ZoneRecord[]): void {
    this.remove(owner);
    if (records.length === 0) return;
    const byName = new Map<string, ZoneRecord[]>();
    for (const r of records) {
      const rec = { ...r, name: canonical(r.name) } as ZoneRecord;
      let list = byName.get(rec.name);
      if (!list) byName.set(rec.name, (list = []));
      list.push(rec);
    }
    for (const [name, list] of byName) {
      let m = this.names.get(name);
      if (!m) this.names.set(name, (m = new Map()));
      m.set(owner, list);
      for (const a of ancestorsUnder(name, this.zone)) this.ents.set(a, (this.ents.get(a) ?? 0) + 1);
    }
    this.owners.set(owner, [...byName.keys()]);
    this.bump();
  }

  remove(owner: string): void {
    const names = this.owners.get(owner);
    if (!names) return;
    this.owners.delete(owner);
    for (const name of names) {
      const m = this.names.get(name);
      m?.delete(owner);
      if (m && m.size === 0) this.names.delete(name);
      for (const a of ancestorsUnder(name, this.zone)) {
        const n = (this.ents.get(a) ?? 1) - 1;
        if (n === 0) this.ents.delete(a);
        else this.ents.set(a, n);
      }
    }
    this.bump();
  }

  /** Records at a canonical name, all owners merged (empty when none). */
  lookup(name: string): ZoneRecord[] {
    const m = this.names.get(name);
    if (!m) return [];
    if (m.size === 1) return m.values().next().value as ZoneRecord[];
    return [...m.values()].flat();
  }

  /** Whether a canonical name exists in the zone: the apex, a name with records, or an empty non-terminal. */
  exists(name: string): boolean {
    return name === this.zone || this.names.has(name) || this.ents.has(name);
  }

  /** Whether a canonical name is this index's authority (the cluster domain or below). */
  inZone(name: string): boolean {
    return isUnder(name, this.zone);
  }

  /** The zone's SOA, as CoreDNS writes it (refresh 7200, retry 1800, expire 86400, minimum = ttl). */
  soa(): SoaAnswer {
    return {
      name: this.zone,
      type: 'SOA',
      ttl: this.ttl,
      data: { mname: `ns.dns.${this.zone}`, rname: `hostmaster.${this.zone}`, serial: this.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: this.ttl },
    };
  }

  /** Number of Services contributing records (the zone's own dns-version owner not counted). */
  get size(): number {
    return this.owners.size - 1;
  }

  private bump(): void {
    this.serial = Math.max(this.serial, Math.floor(Date.now() / 1000));
  }
}
