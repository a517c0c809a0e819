// Decoding type checks: upstream decodes bodies into typed Go structs, so a value of the wrong JSON
// type (labels: 5, data: "x", replicas: "3") is a 400 BadRequest and never reaches storage. This walks
// the decoded object alongside its schema and reports the first mismatch in upstream's wording
// (`ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go
// struct field ConfigMap.data of type string`). Null struct fields are dropped (omitempty on re-encode).
import type { SchemaNode } from '../machinery/schema-node.js';
import { isPlainObject } from '../machinery/object.js';
import { badRequest, type StatusError } from '../machinery/errors.js';

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function goType(node: SchemaNode): string {
  switch (node.type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return node.items ? `[]${goType(node.items)}` : '[]interface {}';
    case 'object':
      if (node.additionalProperties) return `map[string]${goType(node.additionalProperties)}`;
      return 'struct';
    default:
      return 'interface {}';
  }
}

function mismatch(v: unknown, node: SchemaNode): boolean {
  switch (node.type) {
    case 'string':
      return typeof v !== 'string';
    case 'integer':
      return typeof v !== 'number' || !Number.isInteger(v);
    case 'number':
      return typeof v !== 'number';
    case 'boolean':
      return typeof v !== 'boolean';
    case 'array':
      return !Array.isArray(v);
    case 'object':
      return !isPlainObject(v);
    default:
      return false;
  }
}

/** Returns a description of the first type error, or undefined. Mutates: drops null struct fields. */
export function findTypeError(value: unknown, node: SchemaNode, path: string): string | undefined {
  if (value === null || value === undefined || node.preserveUnknownFields) return undefined;
  if (mismatch(value, node)) {
    const what = typeof value === 'number' && node.type === 'integer' && typeof value === 'number' ? `number ${value}` : jsonType(value);
    return `json: cannot unmarshal ${what} into Go struct field ${path} of type ${goType(node)}`;
  }
  if (Array.isArray(value)) {
    if (!node.items) return undefined;
    for (const el of value) {
      const e = findTypeError(el, node.items, path);
      if (e) return e;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  if (node.additionalProperties) {
    for (const v of Object.values(value)) {
      const e = findTypeError(v, node.additionalProperties, path);
      if (e) return e;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (v === null) {
      delete value[k];
      continue;
    }
    const child = node.property(k);
    if (!child) continue;
    const e = findTypeError(v, child, `${path}.${k}`);
    if (e) return e;
  }
  return undefined;
}

export function checkTypes(obj: unknown, schema: SchemaNode, kind: string, version: string): void {
  const err = findTypeError(obj, schema, kind);
  if (err) throw typeError(kind, version, err);
}

function typeError(kind: string, version: string, detail: string): StatusError {
  return badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${detail}`);
}
