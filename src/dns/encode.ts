// Response encoding with name compression (RFC 1035 §4.1.4). dns-packet writes every name in full, so
// a headless Service's A records would each repeat the owner name: 40 endpoints of
// many.big.svc.cluster.local take 40 × 42 = 1,680 bytes that way, but 40 × 16 = 640 with a pointer to
// the question — the difference between a TCP retry and one UDP round trip. We encode the record
// types we produce (A, AAAA, CNAME, PTR, NS, SRV, SOA, TXT, OPT); a packet holding anything else (an
// upstream's answers appended to a CNAME) falls back to dns-packet. The question is copied verbatim
// from the query, keeping the client's spelling (0x20 case randomisation) and unknown types intact.
import dnsPacket, { type Answer as RR, type Packet } from 'dns-packet';
import { isIP } from 'node:net';
import { expandIPv6 } from './names.js';

const TYPE: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41 };
const CLASS_IN = 1;

/** The question section of a query as bytes (offset 12 to the end of the first question). */
export function rawQuestion(query: Buffer): Buffer | undefined {
  let off = 12;
  while (off < query.length) {
    const len = query[off]!;
    if (len === 0) return off + 5 <= query.length ? query.subarray(12, off + 5) : undefined;
    if (len & 0xc0) return undefined; // no pointers in a lone question
    off += len + 1;
  }
  return undefined;
}

export function encodeResponse(p: Packet, question: Buffer | undefined): Buffer {
  const sections = [p.answers ?? [], p.authorities ?? [], p.additionals ?? []];
  if (!question || !sections.flat().every((r) => TYPE[r.type] !== undefined)) return dnsPacket.encode(p);
  const w = new Writer();
  w.u16(p.id ?? 0);
  w.u16(0x8000 | ((p.flags ?? 0) & 0x7fff));
  w.u16(1);
  for (const s of sections) w.u16(s.length);
  w.bytes(question);
  // Every suffix of the question name can be pointed at: labels start at 12 in the message.
  const labels: Array<{ at: number; label: string }> = [];
  for (let i = 0; question[i]! > 0; i += question[i]! + 1) labels.push({ at: 12 + i, label: question.toString('latin1', i + 1, i + 1 + question[i]!) });
  for (let i = 0; i < labels.length; i++) w.names.set(labels.slice(i).map((l) => l.label).join('.'), labels[i]!.at);
  for (const s of sections) for (const r of s) w.record(r);
  return w.done();
}

// Names compare case-insensitively, but a pointer makes the client read the earlier spelling, so the
// table keys keep case: answers are written with the question's exact spelling and match it.
const canonicalKey = (n: string) => (n.endsWith('.') ? n.slice(0, -1) : n);

class Writer {
  private buf = Buffer.alloc(512);
  private off = 0;
  /** name (and every suffix of it) → offset where it was written. */
  readonly names = new Map<string, number>();

  private ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.off++);
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.off);
    this.off += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.off);
    this.off += 4;
  }
  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.off);
    this.off += b.length;
  }
  name(n: string, compress = true): void {
    const labels = canonicalKey(n).split('.').filter(Boolean);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const at = compress ? this.names.get(suffix) : undefined;
      if (at !== undefined) return this.u16(0xc000 | at);
      if (compress && this.off < 0x3fff) this.names.set(suffix, this.off);
      const l = Buffer.from(labels[i]!);
      this.u8(l.length);
      this.bytes(l);
    }
    this.u8(0);
  }
  record(r: RR): void {
    if (r.type === 'OPT') {
      this.u8(0);
      this.u16(TYPE.OPT!);
      this.u16(r.udpPayloadSize);
      this.u32(((r.extendedRcode & 0xff) << 24) | ((r.ednsVersion & 0xff) << 16) | (r.flag_do ? 0x8000 : 0));
      this.u16(0);
      return;
    }
    this.name(r.name);
    this.u16(TYPE[r.type]!);
    this.u16(CLASS_IN);
    this.u32(r.ttl ?? 0);
    const lenAt = this.off;
    this.u16(0);
    switch (r.type) {
      case 'A':
        for (const o of r.data.split('.')) this.u8(Number(o));
        break;
      case 'AAAA':
        if (isIP(r.data) !== 6) throw new Error(`bad AAAA ${r.data}`);
        for (const g of expandIPv6(r.data).split(':')) this.u16(parseInt(g, 16));
        break;
      case 'CNAME':
      case 'PTR':
      case 'NS':
        this.name(r.data);
        break;
      case 'SRV':
        this.u16(r.data.priority ?? 0);
        this.u16(r.data.weight ?? 0);
        this.u16(r.data.port);
        this.name(r.data.target, false); // RFC 2782: the target is never compressed
        break;
      case 'SOA':
        this.name(r.data.mname);
        this.name(r.data.rname);
        for (const v of [r.data.serial, r.data.refresh, r.data.retry, r.data.expire, r.data.minimum]) this.u32(v ?? 0);
        break;
      case 'TXT': {
        const parts = Array.isArray(r.data) ? r.data : [r.data];
        for (const part of parts) {
          const b = Buffer.isBuffer(part) ? part : Buffer.from(part);
          this.u8(b.length);
          this.bytes(b);
        }
        break;
      }
      default:
        throw new Error(`cannot encode ${r.type}`);
    }
    this.buf.writeUInt16BE(this.off - lenAt - 2, lenAt);
  }
  done(): Buffer {
    return this.buf.subarray(0, this.off);
  }
}
