// Encodes the swagger 2.0 document as gnostic's `openapi.v2.Document` protobuf — what kubectl ≤ 1.28
// `explain` (and client-side apply's --openapi-patch) ask /openapi/v2 for, with
// `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`; it cannot parse JSON there.
// Only the messages and fields a Kubernetes document uses are written (field numbers from gnostic's
// OpenAPIv2.proto). Vendor extensions are `NamedAny{name, Any{yaml}}` with the value as JSON (= YAML).

/** What kubectl's Accept asks for; match on `com.github.proto-openapi.spec.v2`. */
export const PROTOBUF_V2_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What to answer with: Go's mime parser rejects the '@' of the accepted type, so upstream sends octet-stream. */
export const PROTOBUF_V2_CONTENT_TYPE = 'application/octet-stream';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** A protobuf message under construction: concatenated encoded fields. */
class Msg {
  readonly parts: Buffer[] = [];
  private tag(field: number, wire: number): void {
    this.parts.push(varint(field * 8 + wire));
  }
  str(field: number, v: unknown): this {
    if (typeof v !== 'string' || v === '') return this;
    const b = Buffer.from(v, 'utf8');
    this.tag(field, 2);
    this.parts.push(varint(b.length), b);
    return this;
  }
  strs(field: number, v: unknown): this {
    if (Array.isArray(v)) for (const s of v) this.str(field, s);
    return this;
  }
  bool(field: number, v: unknown): this {
    if (v === true) {
      this.tag(field, 0);
      this.parts.push(Buffer.from([1]));
    }
    return this;
  }
  msg(field: number, m: Msg | undefined): this {
    if (!m) return this;
    const b = Buffer.concat(m.parts);
    this.tag(field, 2);
    this.parts.push(varint(b.length), b);
    return this;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** NamedAny entries for every `x-…` key. */
function extensions(m: Msg, field: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('x-')) m.msg(field, new Msg().str(1, k).msg(2, new Msg().str(2, JSON.stringify(v) + '\n')));
  }
}

function schema(s: Obj): Msg {
  const m = new Msg().str(1, s.$ref).str(2, s.format).str(3, s.title).str(4, s.description);
  if (s.default !== undefined) m.msg(5, new Msg().str(2, JSON.stringify(s.default) + '\n'));
  m.strs(19, s.required);
  const ap = s.additionalProperties;
  if (isObj(ap)) m.msg(21, new Msg().msg(1, schema(ap)));
  else if (typeof ap === 'boolean') m.msg(21, new Msg().bool(2, ap));
  if (typeof s.type === 'string') m.msg(22, new Msg().str(1, s.type));
  if (isObj(s.items)) m.msg(23, new Msg().msg(1, schema(s.items)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) m.msg(24, schema(a));
  if (isObj(s.properties)) {
    const props = new Msg();
    for (const [k, v] of Object.entries(s.properties)) if (isObj(v)) props.msg(1, new Msg().str(1, k).msg(2, schema(v)));
    m.msg(25, props);
  }
  extensions(m, 31, s);
  return m;
}

function parameter(p: Obj): Msg {
  let param: Msg;
  if (p.in === 'body') {
    const body = new Msg().str(1, p.description).str(2, p.name).str(3, p.in).bool(4, p.required);
    if (isObj(p.schema)) body.msg(5, schema(p.schema));
    param = new Msg().msg(1, body);
  } else if (p.in === 'path') {
    const sub = new Msg().bool(1, p.required).str(2, p.in).str(3, p.description).str(4, p.name).str(5, p.type).bool(19, p.uniqueItems);
    param = new Msg().msg(2, new Msg().msg(4, sub));
  } else {
    const sub = new Msg().bool(1, p.required).str(2, p.in).str(3, p.description).str(4, p.name).str(6, p.type).bool(20, p.uniqueItems);
    param = new Msg().msg(2, new Msg().msg(3, sub));
  }
  return new Msg().msg(1, param);
}

function operation(o: Obj): Msg {
  const m = new Msg().strs(1, o.tags).str(3, o.description).str(5, o.operationId).strs(6, o.produces).strs(7, o.consumes);
  if (Array.isArray(o.parameters)) for (const p of o.parameters) if (isObj(p)) m.msg(8, parameter(p));
  if (isObj(o.responses)) {
    const rs = new Msg();
    for (const [code, r] of Object.entries(o.responses)) {
      if (!isObj(r)) continue;
      const resp = new Msg().str(1, r.description);
      if (isObj(r.schema)) resp.msg(2, new Msg().msg(1, schema(r.schema)));
      rs.msg(1, new Msg().str(1, code).msg(2, new Msg().msg(1, resp)));
    }
    m.msg(9, rs);
  }
  m.strs(10, o.schemes);
  extensions(m, 13, o);
  return m;
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** The protobuf encoding of a swagger 2.0 document (as produced by documents.ts buildV2). */
export function encodeV2(doc: Obj): Buffer {
  const m = new Msg().str(1, doc.swagger);
  if (isObj(doc.info)) m.msg(2, new Msg().str(1, doc.info.title).str(2, doc.info.version));
  if (isObj(doc.paths)) {
    const paths = new Msg();
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!isObj(item)) continue;
      const pi = new Msg();
      for (const [method, field] of Object.entries(METHOD_FIELDS)) {
        const op = item[method];
        if (isObj(op)) pi.msg(field, operation(op));
      }
      if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObj(p)) pi.msg(9, parameter(p));
      paths.msg(2, new Msg().str(1, path).msg(2, pi));
    }
    m.msg(8, paths);
  }
  if (isObj(doc.definitions)) {
    const defs = new Msg();
    for (const [name, s] of Object.entries(doc.definitions)) if (isObj(s)) defs.msg(1, new Msg().str(1, name).msg(2, schema(s)));
    m.msg(9, defs);
  }
  if (Array.isArray(doc.security)) {
    for (const req of doc.security) {
      if (!isObj(req)) continue;
      const r = new Msg();
      for (const [k, v] of Object.entries(req)) r.msg(1, new Msg().str(1, k).msg(2, new Msg().strs(1, v)));
      m.msg(12, r);
    }
  }
  if (isObj(doc.securityDefinitions)) {
    const sd = new Msg();
    for (const [k, v] of Object.entries(doc.securityDefinitions)) {
      if (!isObj(v) || v.type !== 'apiKey') continue;
      const key = new Msg().str(1, v.type).str(2, v.name).str(3, v.in).str(4, v.description);
      sd.msg(1, new Msg().str(1, k).msg(2, new Msg().msg(2, key)));
    }
    m.msg(13, sd);
  }
  return m.bytes();
}
