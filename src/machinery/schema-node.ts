// A structural view of a type's schema, enough for patching and apply: which fields exist, what the
// elements of a list and the values of a map are, and how lists merge (patch strategy and merge key,
// as upstream's `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` / `x-kubernetes-list-*`).
// Built from the OpenAPI schemas in api/openapi/; machinery only depends on this interface.

export interface SchemaNode {
  /** 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | undefined (any / int-or-string). */
  readonly type?: string;
  /** Named fields of an object (resolved lazily: schemas are recursive). */
  property(name: string): SchemaNode | undefined;
  /** Names of all declared fields (for unknown-field detection). Empty for maps and free-form objects. */
  propertyNames(): string[];
  /** Element schema of an array. */
  readonly items?: SchemaNode;
  /** Value schema of a map (`additionalProperties`). */
  readonly additionalProperties?: SchemaNode;
  /** True when any fields are accepted (e.g. RawExtension, JSONSchemaProps, free-form). */
  readonly preserveUnknownFields?: boolean;
  /** Strategic-merge strategy for a list/map field: e.g. ['merge'], ['merge','retainKeys'], ['retainKeys'], ['replace']. */
  readonly patchStrategy?: string[];
  /** Strategic-merge key of list elements (e.g. 'name', 'containerPort'). */
  readonly patchMergeKey?: string;
  /** Apply semantics of a list: 'atomic' (default for unkeyed), 'set' or 'map'. */
  readonly listType?: 'atomic' | 'set' | 'map';
  /** For listType 'map': the keys that identify an element (e.g. ['containerPort','protocol']). */
  readonly listMapKeys?: string[];
  /** Apply semantics of a struct/map: 'atomic' | 'granular'. */
  readonly mapType?: 'atomic' | 'granular';
  readonly description?: string;
}
