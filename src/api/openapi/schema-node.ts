// SchemaNode (machinery/schema-node.ts) over the OpenAPI definitions: follows `$ref`/`allOf` lazily
// (schemas are recursive, e.g. JSONSchemaProps), merges a property's own markers (patch strategy, merge
// key, list type) with those of the type it refers to (map type), and derives the server-side-apply list
// semantics upstream's schema converter derives when only patch markers are present.
import type { SchemaNode } from '../../machinery/schema-node.js';
import type { Definitions, Schema } from './types.js';
import { refName } from './types.js';
import { definitionNameFor, definitions } from './definitions.js';

function resolve(s: Schema, defs: Definitions): Schema {
  let cur = s;
  for (let depth = 0; depth < 16; depth++) {
    const ref = cur.$ref ?? (cur.allOf?.length === 1 ? cur.allOf[0].$ref : undefined);
    if (!ref) return cur;
    const target = defs[refName(ref)];
    if (!target) return {};
    cur = target;
  }
  return cur;
}

export class OpenAPISchemaNode implements SchemaNode {
  private readonly target: Schema;
  private readonly children = new Map<string, OpenAPISchemaNode | undefined>();
  private itemsNode?: OpenAPISchemaNode;
  private valuesNode?: OpenAPISchemaNode;
  private names?: string[];

  constructor(
    /** The schema as written at the use site (a property, array items, map values or a definition). */
    private readonly site: Schema,
    private readonly defs: Definitions,
  ) {
    this.target = resolve(site, defs);
  }

  get type(): string | undefined {
    if (this.target.format === 'int-or-string') return undefined;
    return this.target.type ?? this.site.type;
  }

  property(name: string): SchemaNode | undefined {
    if (this.children.has(name)) return this.children.get(name);
    const p = this.target.properties?.[name];
    const node = p && Object.prototype.hasOwnProperty.call(this.target.properties, name)
      ? new OpenAPISchemaNode(p, this.defs)
      : undefined;
    this.children.set(name, node);
    return node;
  }

  /** Computed once per node: server-side apply asks for every struct it walks. Do not mutate. */
  propertyNames(): string[] {
    return (this.names ??= Object.keys(this.target.properties ?? {}));
  }

  get items(): SchemaNode | undefined {
    const it = this.target.items ?? this.site.items;
    if (!it) return undefined;
    return (this.itemsNode ??= new OpenAPISchemaNode(it, this.defs));
  }

  get additionalProperties(): SchemaNode | undefined {
    const ap = this.target.additionalProperties;
    if (!ap || typeof ap !== 'object') return undefined;
    return (this.valuesNode ??= new OpenAPISchemaNode(ap, this.defs));
  }

  get preserveUnknownFields(): boolean {
    const t = this.target;
    if (t['x-kubernetes-preserve-unknown-fields']) return true;
    // Free-form: an object (or untyped JSON) with neither declared fields nor a value schema.
    if (t.properties || t.additionalProperties || t.items) return false;
    if (t.format === 'int-or-string') return false;
    return t.type === 'object' || t.type === undefined;
  }

  get patchStrategy(): string[] | undefined {
    const s = this.site['x-kubernetes-patch-strategy'];
    return s ? s.split(',') : undefined;
  }

  get patchMergeKey(): string | undefined {
    return this.site['x-kubernetes-patch-merge-key'];
  }

  get listType(): 'atomic' | 'set' | 'map' | undefined {
    if (this.type !== 'array') return undefined;
    const explicit = this.site['x-kubernetes-list-type'];
    if (explicit) return explicit;
    if (this.patchStrategy?.includes('merge')) return this.patchMergeKey ? 'map' : 'set';
    return 'atomic';
  }

  get listMapKeys(): string[] | undefined {
    const explicit = this.site['x-kubernetes-list-map-keys'];
    if (explicit) return explicit;
    return this.listType === 'map' && this.patchMergeKey ? [this.patchMergeKey] : undefined;
  }

  get mapType(): 'atomic' | 'granular' | undefined {
    return this.site['x-kubernetes-map-type'] ?? this.target['x-kubernetes-map-type'];
  }

  get description(): string | undefined {
    return this.site.description ?? this.target.description;
  }

  /** The definition a `$ref` use site points to (e.g. `io.k8s.api.core.v1.EnvVar`). */
  get definitionName(): string | undefined {
    const ref = this.site.$ref ?? (this.site.allOf?.length === 1 ? this.site.allOf[0]!.$ref : undefined);
    return ref ? refName(ref) : undefined;
  }

  /** The OpenAPI `format` (int32, int64, int-or-string, date-time, byte, …). */
  get format(): string | undefined {
    return this.target.format ?? this.site.format;
  }
}

const roots = new Map<string, SchemaNode | undefined>();

/** The schema of a top-level kind, or undefined when Skiff has no definition for it. */
export function schemaFor(group: string, version: string, kind: string): SchemaNode | undefined {
  const key = `${group}/${version}/${kind}`;
  if (roots.has(key)) return roots.get(key);
  const name = definitionNameFor(group, version, kind);
  const defs = definitions();
  const node = name ? new OpenAPISchemaNode({ $ref: `#/definitions/${name}` }, defs) : undefined;
  roots.set(key, node);
  return node;
}

/** A SchemaNode for a definition by name (e.g. 'io.k8s.api.core.v1.PodSpec'). */
export function schemaForDefinition(name: string): SchemaNode | undefined {
  const defs = definitions();
  return defs[name] ? new OpenAPISchemaNode({ $ref: `#/definitions/${name}` }, defs) : undefined;
}
