// The shape every API object shares. Concrete kinds come from kubernetes-types; generic machinery
// (storage, REST handlers, patches) works on this structural type and never on `any`.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** A JSON value as it travels on the wire. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of a JSON-compatible value (cached objects are never mutated: copy first). */
export function deepCopy<T>(v: T): T {
  return structuredClone(v);
}
