// Unknown-field detection for fieldValidation=Strict|Warn: walks a decoded object alongside its
// SchemaNode and reports every field the schema does not declare, with upstream's strict-decoding path
// format (`spec.template.spec.containers[0].imagee`, reported as `unknown field "<path>"`). Free-form
// parts (RawExtension, FieldsV1, JSON) accept anything; maps check their values' schema.
//
// The same walk also normalizes a body the way decoding into upstream's Go structs does, so that
// what is stored is what upstream would store: unknown fields are dropped (Ignore/Warn never store
// them) and declared fields sent as null are omitted (a nil pointer/map/slice is not re-encoded).
import type { SchemaNode } from '../../machinery/schema-node.js';
import { isPlainObject } from '../../machinery/object.js';

/** Paths of the undeclared fields; the object is left untouched. */
export function findUnknownFields(obj: unknown, schema: SchemaNode): string[] {
  const out: string[] = [];
  walk(obj, schema, '', out, false);
  return out;
}

/** Drops undeclared fields and null struct fields in place; returns the dropped unknown paths. */
export function pruneUnknownFields(obj: unknown, schema: SchemaNode): string[] {
  const out: string[] = [];
  walk(obj, schema, '', out, true);
  return out;
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function walk(value: unknown, node: SchemaNode, path: string, out: string[], prune: boolean): void {
  if (value === null || value === undefined || node.preserveUnknownFields) return;
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return;
    value.forEach((el, i) => walk(el, items, `${path}[${i}]`, out, prune));
    return;
  }
  if (!isPlainObject(value)) return;
  const values = node.additionalProperties;
  if (values) {
    for (const [k, v] of Object.entries(value)) walk(v, values, join(path, k), out, prune);
    return;
  }
  if (node.type !== 'object') return; // a type mismatch is not an unknown field
  for (const [k, v] of Object.entries(value)) {
    const child = node.property(k);
    if (!child) {
      out.push(join(path, k));
      if (prune) delete value[k];
    } else if (v === null && prune) {
      delete value[k];
    } else {
      walk(v, child, join(path, k), out, prune);
    }
  }
}
