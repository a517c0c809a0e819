// One DNS message in, one DNS message out — the part of the server between the sockets and the
// resolver: decoding, checks (opcode, one question), cluster-zone answers from resolve(), forwarding
// of other names, chasing ExternalName targets upstream, and the size limit of UDP replies (512
// bytes, or the client's EDNS0 buffer size: a larger reply is sent empty with the TC bit so the
// client retries over TCP, RFC 1035 §4.2.1 / RFC 6891 §6.2.5).
import dnsPacket, { type Answer as RR, type DecodedPacket, type OptAnswer, type Packet } from 'dns-packet';
import { encodeResponse, rawQuestion } from './encode.js';
import { forward, type Upstream } from './forward.js';
import { canonical } from './names.js';
import type { DnsIndex } from './records.js';
import { resolve } from './resolve.js';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
type RcodeName = keyof typeof RCODE;

/** The classic UDP limit without EDNS0. */
const UDP_MIN = 512;
/** Largest UDP reply we send even when a client advertises more (the DNS Flag Day 2020 figure). */
const UDP_MAX = 1232;

export interface HandlerOptions {
  upstreams: readonly Upstream[];
  forwardTimeoutMs: number;
  /** False until the informers have listed once: zone answers then would be wrong, so SERVFAIL. */
  synced(): boolean;
  log?(msg: string): void;
}

export class DnsHandler {
  constructor(private readonly index: DnsIndex, private readonly opts: HandlerOptions) {}

  /** The reply to `msg` (undefined: drop it — not a query, or too short to answer). */
  async handle(msg: Buffer, tcp: boolean): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return msg.length >= 12 && !(msg.readUInt16BE(2) & 0x8000) ? rawError(msg, 'FORMERR') : undefined;
    }
    if (query.type === 'response') return undefined;
    const opt = query.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
    const limit = tcp ? 0xffff : opt ? Math.min(Math.max(opt.udpPayloadSize, UDP_MIN), UDP_MAX) : UDP_MIN;
    const reply = await this.answer(query, msg, tcp);
    if (Buffer.isBuffer(reply)) return reply.length <= limit ? reply : truncate(reply);
    reply.additionals = opt ? [{ name: '.', type: 'OPT', udpPayloadSize: UDP_MAX, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
    const question = query.questions?.length === 1 ? rawQuestion(msg) : undefined;
    const out = encodeResponse(reply, question);
    if (out.length <= limit) return out;
    return encodeResponse({ ...reply, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [] }, question);
  }

  private async answer(query: DecodedPacket, raw: Buffer, tcp: boolean): Promise<Packet | Buffer> {
    const questions = query.questions ?? [];
    if ((query as { opcode?: string }).opcode !== 'QUERY') return response(query, 'NOTIMP', false);
    if (questions.length !== 1) return response(query, 'FORMERR', false);
    const q = questions[0]!;
    if (this.index.inZone(canonical(q.name)) && !this.opts.synced()) return response(query, 'SERVFAIL', false);
    const res = resolve(this.index, q);
    if (res.kind === 'forward') {
      const r = await forward(raw, this.opts.upstreams, { tcp, timeoutMs: this.opts.forwardTimeoutMs });
      if (!r) this.opts.log?.(`dns: no upstream answered ${q.type} ${q.name}`);
      return r ?? response(query, 'SERVFAIL', false);
    }
    const answers = [...res.answers];
    if (res.chase) answers.push(...(await this.chase(res.chase.name, res.chase.type)));
    return { ...response(query, res.rcode, true), answers, authorities: res.authorities };
  }

  /** Resolves an ExternalName's out-of-zone target upstream; no answer leaves just the CNAME. */
  private async chase(name: string, type: string): Promise<RR[]> {
    const q = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as RR['type'], class: 'IN' }] });
    const r = await forward(q, this.opts.upstreams, { tcp: false, timeoutMs: this.opts.forwardTimeoutMs });
    if (!r) return [];
    try {
      return dnsPacket.decode(r).answers ?? [];
    } catch {
      return [];
    }
  }
}

function response(query: DecodedPacket, rcode: RcodeName, authoritative: boolean): Packet {
  const flags =
    (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
    (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED |
    dnsPacket.RECURSION_AVAILABLE |
    RCODE[rcode];
  return { id: query.id, type: 'response', flags, questions: query.questions ?? [], answers: [], authorities: [], additionals: [] };
}

/** An error reply built from the header alone (the message did not decode): no question echoed. */
function rawError(msg: Buffer, rcode: RcodeName): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(msg.readUInt16BE(0), 0);
  out.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & 0x7800) | dnsPacket.RECURSION_AVAILABLE | RCODE[rcode], 2);
  return out;
}

/** An upstream reply too large for the client's UDP limit: header and question only, TC set. */
function truncate(reply: Buffer): Buffer {
  try {
    const p = dnsPacket.decode(reply);
    return dnsPacket.encode({ id: p.id, type: 'response', flags: (p.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, questions: p.questions, answers: [], authorities: [], additionals: [] });
  } catch {
    const out = Buffer.from(reply.subarray(0, 12));
    out.writeUInt16BE(out.readUInt16BE(2) | dnsPacket.TRUNCATED_RESPONSE, 2);
    out.fill(0, 4);
    return out;
  }
}
