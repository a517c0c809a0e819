// Decode-time type checking: upstream decodes request bodies into Go structs, so a JSON value of the
// wrong type (a boolean where a string belongs, a string where an int32 belongs) fails the whole
// request with a 400 and encoding/json's message, e.g.
//   json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.name of type string
// This walks a decoded body beside its schema and reports the first such mismatch in that form.
import type { SchemaNode } from '../../machinery/schema-node.js';
import { OpenAPISchemaNode } from './schema-node.js';

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'boolean' ? 'bool' : typeof v; // number | string | object
}

const structNames = new Map<string, string>();

/** `v1.EnvVar` from `io.k8s.api.core.v1.EnvVar`; Go's package-qualified type names (memoized: the
 *  walk asks for every field of every body). */
function goStructName(def: string | undefined): string {
  if (!def) return 'struct';
  let name = structNames.get(def);
  if (name === undefined) {
    const parts = def.split('.');
    structNames.set(def, (name = `${parts[parts.length - 2]}.${parts[parts.length - 1]}`));
  }
  return name;
}

function goType(node: SchemaNode): string {
  const n = node as OpenAPISchemaNode;
  if (n.definitionName) return goStructName(n.definitionName);
  switch (node.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return n.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'array':
      return `[]${node.items ? goType(node.items) : 'interface {}'}`;
    case 'object':
      return node.additionalProperties ? `map[string]${goType(node.additionalProperties)}` : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

/** Does a JSON value fit the schema's type at this level? (null is always accepted, as in Go.) */
function fits(v: unknown, node: SchemaNode): boolean {
  if (v === null || v === undefined) return true;
  const t = node.type;
  if ((node as OpenAPISchemaNode).format === 'int-or-string') return typeof v === 'string' || Number.isInteger(v);
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && !Array.isArray(v);
    default:
      return true;
  }
}

/** The first type mismatch in `obj`, as encoding/json words it, or undefined when the body decodes. */
export function findTypeError(obj: unknown, schema: SchemaNode, rootKind: string): string | undefined {
  return walk(obj, schema, [], rootKind);
}

function walk(v: unknown, node: SchemaNode, path: string[], struct: string): string | undefined {
  if (!fits(v, node)) {
    const kind = jsonKind(v);
    // Go reports a fractional number for an integer field as the number itself.
    const what = kind === 'number' && node.type === 'integer' ? `number ${String(v)}` : kind;
    return `json: cannot unmarshal ${what} into Go struct field ${struct}.${path.join('.')} of type ${goType(node)}`;
  }
  if (v === null || v === undefined || node.preserveUnknownFields) return undefined;
  if (Array.isArray(v)) {
    const items = node.items;
    if (!items) return undefined;
    for (const el of v) {
      const err = walk(el, items, path, struct);
      if (err) return err;
    }
    return undefined;
  }
  if (typeof v !== 'object') return undefined;
  const values = node.additionalProperties;
  let owner: string | undefined;
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
    const sub = values ?? node.property(k);
    if (!sub) continue; // unknown fields are reported (or dropped) by field validation
    // encoding/json names the innermost struct that declares the field, then the full path from the root.
    owner ??= values ? struct : goStructName((node as OpenAPISchemaNode).definitionName).split('.')[1] ?? struct;
    // Map keys are not part of encoding/json's field path; struct field names are.
    const err = walk(child, sub, values ? path : [...path, k], values ? struct : owner);
    if (err) return err;
  }
  return undefined;
}
