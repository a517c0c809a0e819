// The contract of one registered resource type. The generic REST handlers in apiserver/ serve every
// type through this description; anything type-specific (defaults, validation, how status and spec
// are split, printer columns, field selectors) lives here as data and hooks, never in the handlers —
// the role upstream's registry strategies play (pkg/registry/<group>/<resource>/strategy.go).
import type { KubeObject } from '../machinery/object.js';
import type { FieldError } from '../machinery/field-errors.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';
export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A printer column of a server-side Table (meta.k8s.io/v1 TableColumnDefinition). */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0 = always shown; 1 = only with `-o wide`. */
  priority: number;
}
export type TableCell = string | number | boolean | null;

export interface TableConverter<T extends KubeObject = KubeObject> {
  columns: TableColumn[];
  /** One row's cells, aligned with `columns`. `now` is used to render ages (e.g. `5m`, `2d`). */
  row(obj: T, now: Date): TableCell[];
}

export interface Subresource {
  name: string; // 'status' | 'scale' | 'binding' | 'eviction' | 'log' | 'exec' | …
  /** The kind returned (e.g. autoscaling/v1 Scale for scale; the parent's own kind for status). */
  kind: GroupVersionKind;
  verbs: Verb[] | string[];
}

/** For the scale subresource: where replicas and the selector live in the parent. */
export interface ScaleSpec {
  specReplicasPath: string[]; // ['spec', 'replicas']
  statusReplicasPath: string[]; // ['status', 'replicas']
  /** Returns the label-selector string for status.selector (e.g. `app=web`). */
  selector(obj: KubeObject): string;
}

export interface ResourceType<T extends KubeObject = KubeObject> {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: Verb[];
  subresources: Subresource[];
  /**
   * Storage identity when it differs from the served group/version (e.g. events.k8s.io/v1 Event is
   * stored with core/v1 events; autoscaling/v2 and v1 HPAs share storage). Keys use
   * `/registry/<storageGroup>/<storageResource>/…`.
   */
  storage: { group: string; resource: string };
  /** The version objects are kept in storage; `toStorage`/`fromStorage` convert when it differs. */
  storageVersion: string;
  toStorage?(obj: KubeObject): KubeObject;
  fromStorage?(obj: KubeObject): KubeObject;
  /** Has a status subresource: on main-resource writes status is kept from the old object. */
  hasStatus: boolean;
  scale?: ScaleSpec;

  /** Fills upstream defaults in place (applied on create, update and patch results). */
  defaults?(obj: T): void;
  /** Validation of a new object (metadata validation is done generically). */
  validate?(obj: T): FieldError[];
  /** Validation of an update: the create rules plus immutability and transitions (upstream ValidateXUpdate). Called instead of validate(). */
  validateUpdate?(obj: T, old: T): FieldError[];
  /** Strategy hooks (upstream PrepareForCreate/PrepareForUpdate): e.g. reset status on create. */
  prepareForCreate?(obj: T): void;
  prepareForUpdate?(obj: T, old: T): void;
  /**
   * Finalizers a type keeps outside metadata.finalizers (a Namespace's spec.finalizers): a deleted
   * object is removed only when these are gone too. Default: none.
   */
  extraFinalizers?(obj: T): string[];
  /** Which top-level fields count as "spec" for metadata.generation bumps; default: all but metadata/status. */
  generationFields?: string[];
  /** Server-side table columns (kubectl get). Default: Name + Age (Created At). */
  table?: TableConverter<T>;
  /** Field-selector values for this object beyond metadata.name/metadata.namespace. */
  fieldSelectors?: (obj: T) => Record<string, string | undefined>;
}

/** Storage key prefix for a type (+ namespace). */
export function storagePrefix(rt: ResourceType, namespace?: string): string {
  const group = rt.storage.group || 'core';
  const base = `/registry/${group}/${rt.storage.resource}/`;
  return rt.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function storageKey(rt: ResourceType, namespace: string | undefined, name: string): string {
  return `${storagePrefix(rt, namespace)}${name}`;
}

export function apiVersionOf(rt: { group: string; version: string }): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}
