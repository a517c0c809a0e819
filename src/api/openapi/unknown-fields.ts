// Unknown-field detection for fieldValidation=Strict|Warn: walks a decoded object alongside its
// SchemaNode and reports every field the schema does not declare, with upstream's strict-decoding path
// format (`spec.template.spec.containers[0].imagee`, reported as `unknown field "<path>"`). Free-form
// parts (RawExtension, FieldsV1, JSON) accept anything; maps check their values' schema.
import type { SchemaNode } from '../../machinery/schema-node.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function findUnknownFields(obj: unknown, schema: SchemaNode): string[] {
  const out: string[] = [];
  walk(obj, schema, '', out);
  return out;
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function walk(value: unknown, node: SchemaNode, path: string, out: string[]): void {
  if (value === null || value === undefined || node.preserveUnknownFields) return;
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return;
    value.forEach((el, i) => walk(el, items, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value)) return;
  const values = node.additionalProperties;
  if (values) {
    for (const [k, v] of Object.entries(value)) walk(v, values, join(path, k), out);
    return;
  }
  if (node.type !== 'object') return; // a type mismatch is not an unknown field
  for (const [k, v] of Object.entries(value)) {
    const child = node.property(k);
    if (!child) out.push(join(path, k));
    else walk(v, child, join(path, k), out);
  }
}
