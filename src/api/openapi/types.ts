// Shapes of the OpenAPI schema objects Skiff produces (the subset of OpenAPI 2.0 / 3.0 schema keywords
// that upstream's built-in definitions use, plus the `x-kubernetes-*` extensions). Definitions are
// stored in swagger 2.0 form (`#/definitions/<name>` refs); the v3 documents rewrite refs on output.

export interface GVKExtension {
  group: string;
  version: string;
  kind: string;
}

export interface Schema {
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  default?: unknown;
  enum?: unknown[];
  'x-kubernetes-group-version-kind'?: GVKExtension[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** Definition name (e.g. `io.k8s.api.core.v1.Pod`) → schema. */
export type Definitions = Record<string, Schema>;

export const DEFINITIONS_REF_PREFIX = '#/definitions/';
export const COMPONENTS_REF_PREFIX = '#/components/schemas/';

/** The definition name a `$ref` points to (either document flavour). */
export function refName(ref: string): string {
  const i = ref.lastIndexOf('/');
  return i >= 0 ? ref.slice(i + 1) : ref;
}
