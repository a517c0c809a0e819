// OpenAPI for Skiff: schemas of every built-in type (generated from kubernetes-types, named as upstream,
// with upstream's patch/list markers), the SchemaNode view used by strategic merge patch and
// server-side apply, unknown-field detection for fieldValidation, and the /openapi/v2 and /openapi/v3
// documents kubectl downloads for apply validation and explain.
import type { SchemaNode } from '../../machinery/schema-node.js';
import { findUnknownFields as find, pruneUnknownFields as prune } from './unknown-fields.js';

export { schemaFor, schemaForDefinition } from './schema-node.js';
export { createOpenAPIService } from './service.js';
export type { OpenAPIService, OpenAPIOptions } from './service.js';
export { definitions, definitionNameFor } from './definitions.js';
export { PROTOBUF_V2_ACCEPT, PROTOBUF_V2_CONTENT_TYPE } from './proto-v2.js';
export type { Schema, Definitions } from './types.js';

/** Paths of fields the schema does not declare (`spec.foo`, `spec.containers[0].imagee`); [] without a schema. */
export function findUnknownFields(obj: unknown, schema: SchemaNode | undefined): string[] {
  return schema ? find(obj, schema) : [];
}
/** Drops undeclared fields and null struct fields in place (as typed decoding does); returns the unknown paths. */
export function pruneUnknownFields(obj: unknown, schema: SchemaNode | undefined): string[] {
  return schema ? prune(obj, schema) : [];
}
export { findDuplicateFields } from './duplicate-fields.js';
export { findTypeError } from './type-errors.js';
