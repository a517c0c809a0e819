// The pure resolver: one question in, an answer or "forward it" out, from the DnsIndex alone (no I/O).
// Inside the cluster domain we are authoritative: records of the asked type; NODATA (NOERROR, empty
// answer, the zone SOA in authority) for a name that exists with other types or only has
// descendants; NXDOMAIN with the SOA for a name that does not exist. A CNAME (ExternalName Service) is
// chased while its target stays in the zone; a target outside it is left for the server to forward
// (`chase`), as CoreDNS' kubernetes plugin resolves external CNAME targets through its upstreams.
// `<a-b-c-d>.<ns>.pod.<zone>` answers the address it spells, like CoreDNS' `pods insecure` mode (k3s'
// default). PTR names we hold (ClusterIPs, headless endpoint IPs) are answered; other reverse names
// and every other name are forwarded.
import type { Answer as RR, RecordType as PacketType } from 'dns-packet';
import { isIP } from 'node:net';
import { canonical, isUnder, undashed } from './names.js';
import type { DnsIndex, ZoneRecord } from './records.js';

export interface Question {
  name: string;
  /** A dns-packet type name ('A', 'SRV'…); unknown numeric types arrive as e.g. 'UNKNOWN_65'. */
  type: PacketType | string;
}

export type Rcode = 'NOERROR' | 'NXDOMAIN';

export type Answer =
  | {
      kind: 'answer';
      rcode: Rcode;
      answers: RR[];
      authorities: RR[];
      /** A CNAME target outside the zone the server should resolve upstream and append. */
      chase?: { name: string; type: string };
    }
  | { kind: 'forward' };

/** Maximum CNAME hops followed inside the zone (ExternalName → ExternalName → …), to stop loops. */
const MAX_CNAME_HOPS = 8;

export function resolve(index: DnsIndex, q: Question): Answer {
  const qname = canonical(q.name);
  const qtype = q.type;
  if (!index.inZone(qname)) {
    const ptr = isReverse(qname) && qtype === 'PTR' ? index.lookup(qname).filter((r) => r.type === 'PTR') : [];
    if (ptr.length === 0) return { kind: 'forward' };
    return ok(ptr.map((r) => rr(index, r, q.name)), []);
  }
  const zone = index.zone;
  const soa = [index.soa()];

  if (qname === zone) {
    if (qtype === 'SOA' || qtype === 'ANY') return ok([{ ...index.soa(), name: q.name }], []);
    if (qtype === 'NS') return ok([{ name: q.name, type: 'NS', ttl: index.ttl, data: `ns.dns.${zone}` }], []);
    return ok([], soa);
  }

  const pod = podName(qname, zone);
  if (pod.kind === 'nxdomain') return { kind: 'answer', rcode: 'NXDOMAIN', answers: [], authorities: soa };
  if (pod.kind === 'empty') return ok([], soa);
  if (pod.kind === 'pod') {
    const type = isIP(pod.ip) === 6 ? 'AAAA' : 'A';
    return qtype === type || qtype === 'ANY' ? ok([{ name: q.name, type, ttl: index.ttl, data: pod.ip }], []) : ok([], soa);
  }

  const answers: RR[] = [];
  let name = qname;
  let owner = q.name; // the first owner name echoes the question's spelling (DNS 0x20 clients check it)
  for (let hop = 0; ; hop++) {
    const records = index.lookup(name);
    if (records.length === 0) {
      if (index.exists(name)) return ok(answers, answers.length ? [] : soa);
      // A dangling in-zone CNAME target: the final name decides the rcode (RFC 6604).
      return { kind: 'answer', rcode: 'NXDOMAIN', answers, authorities: soa };
    }
    const match = records.filter((r) => r.type === qtype || qtype === 'ANY');
    const cname = records.find((r) => r.type === 'CNAME');
    if (match.length || !cname) {
      answers.push(...match.map((r) => rr(index, r, owner)));
      return ok(answers, answers.length ? [] : soa);
    }
    answers.push(rr(index, cname, owner));
    const target = cname.data as string;
    if (!isUnder(target, zone)) return { kind: 'answer', rcode: 'NOERROR', answers, authorities: [], chase: { name: target, type: qtype } };
    if (hop >= MAX_CNAME_HOPS) return ok(answers, []);
    name = target;
    owner = target;
  }
}

function ok(answers: RR[], authorities: RR[]): Answer {
  return { kind: 'answer', rcode: 'NOERROR', answers, authorities };
}

function rr(index: DnsIndex, r: ZoneRecord, owner: string): RR {
  return { ...r, name: owner, ttl: index.ttl } as RR;
}

function isReverse(name: string): boolean {
  return name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa');
}

type PodName = { kind: 'other' } | { kind: 'empty' } | { kind: 'nxdomain' } | { kind: 'pod'; ip: string };

/**
 * Classifies a name against pod.<zone>: `<dashed-ip>.<ns>.pod.<zone>` is a pod record; `pod.<zone>`
 * and `<ns>.pod.<zone>` are empty non-terminals; anything else under pod.<zone> does not exist.
 */
function podName(name: string, zone: string): PodName {
  const suffix = `.pod.${zone}`;
  if (name === `pod.${zone}`) return { kind: 'empty' };
  if (!name.endsWith(suffix)) return { kind: 'other' };
  const labels = name.slice(0, -suffix.length).split('.');
  if (labels.length === 1) return { kind: 'empty' };
  const ip = labels.length === 2 ? undashed(labels[0]!) : undefined;
  return ip ? { kind: 'pod', ip } : { kind: 'nxdomain' };
}
