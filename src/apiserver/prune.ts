// Drops fields the type's schema does not declare, as decoding into upstream's typed structs does
// for fieldValidation=Ignore|Warn: unknown fields are never stored. Mirrors the walk of
// api/openapi/unknown-fields.ts (free-form parts and map values follow their schema).
import type { SchemaNode } from '../machinery/schema-node.js';
import { isPlainObject } from '../machinery/object.js';

export function pruneUnknownFields(value: unknown, node: SchemaNode): void {
  if (value === null || value === undefined || node.preserveUnknownFields) return;
  if (Array.isArray(value)) {
    const items = node.items;
    if (items) for (const el of value) pruneUnknownFields(el, items);
    return;
  }
  if (!isPlainObject(value)) return;
  const values = node.additionalProperties;
  if (values) {
    for (const v of Object.values(value)) pruneUnknownFields(v, values);
    return;
  }
  if (node.type !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const child = node.property(k);
    if (!child) delete value[k];
    else pruneUnknownFields(v, child);
  }
}
