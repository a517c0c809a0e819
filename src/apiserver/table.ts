// Server-side printing (meta.k8s.io Table, upstream rest.TableConvertor): the type's printer columns
// and rows, or the default Name + Created At; each row carries a PartialObjectMetadata (default
// includeObject=Metadata), the full object (Object) or nothing (None). Also PartialObjectMetadata(List).
import type { ListMeta } from 'kubernetes-types/meta/v1.js';
import type { ResourceType, TableColumn, TableCell } from '../api/resource-type.js';
import type { KubeObject } from '../machinery/object.js';
import { rfc3339 } from '../machinery/time.js';
import { badRequest } from '../machinery/errors.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const DEFAULT_COLUMNS: TableColumn[] = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description:
      'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
    priority: 0,
  },
  {
    name: 'Created At',
    type: 'date',
    format: '',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
    priority: 0,
  },
];

export function parseIncludeObject(v: string | null): IncludeObject {
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`);
}

export function partialObjectMetadata(obj: KubeObject, version = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

function rowCells(rt: ResourceType, obj: KubeObject, now: Date): TableCell[] {
  if (rt.table) {
    try {
      return rt.table.row(obj, now);
    } catch {
      // A printer that cannot handle an odd object must not fail the whole list.
      return rt.table.columns.map((_, i) => (i === 0 ? (obj.metadata?.name ?? '') : '<unknown>'));
    }
  }
  const ts = obj.metadata?.creationTimestamp;
  return [obj.metadata?.name ?? '', ts ? rfc3339(new Date(ts)) : null];
}

export function buildTable(
  rt: ResourceType,
  objs: KubeObject[],
  meta: ListMeta,
  opts: { include: IncludeObject; version: string; now: Date; withColumns?: boolean },
): KubeObject {
  const columns = rt.table ? rt.table.columns : DEFAULT_COLUMNS;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: meta,
    columnDefinitions: opts.withColumns === false ? [] : columns,
    rows: objs.map((o) => {
      const row: Record<string, unknown> = { cells: rowCells(rt, o, opts.now) };
      if (opts.include === 'Metadata') row.object = partialObjectMetadata(o, opts.version);
      else if (opts.include === 'Object') row.object = o;
      return row;
    }),
  };
}

// JSON of shared (decoded-once, never mutated) objects' metadata / whole object, serialized once.
const metadataJson = new WeakMap<object, string>();
const objectJson = new WeakMap<object, string>();

function cachedJson(cache: WeakMap<object, string>, v: object): string {
  let s = cache.get(v);
  if (s === undefined) cache.set(v, (s = JSON.stringify(v)));
  return s;
}

/**
 * JSON.stringify(buildTable(…)) for lists of shared objects, byte for byte, without serializing each
 * row's metadata (or object) again on every list: only the cells (which depend on `now`) are new.
 */
export function buildTableJson(rt: ResourceType, objs: KubeObject[], meta: ListMeta, opts: { include: IncludeObject; version: string; now: Date }): string {
  const columns = rt.table ? rt.table.columns : DEFAULT_COLUMNS;
  const head = JSON.stringify({ kind: 'Table', apiVersion: `meta.k8s.io/${opts.version}`, metadata: meta, columnDefinitions: columns });
  const partialHead = `{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(`meta.k8s.io/${opts.version}`)},"metadata":`;
  const rows = new Array<string>(objs.length);
  for (let i = 0; i < objs.length; i++) {
    const o = objs[i]!;
    let row = `{"cells":${JSON.stringify(rowCells(rt, o, opts.now))}`;
    if (opts.include === 'Metadata') row += `,"object":${partialHead}${o.metadata ? cachedJson(metadataJson, o.metadata) : '{}'}}`;
    else if (opts.include === 'Object') row += `,"object":${cachedJson(objectJson, o)}`;
    rows[i] = row + '}';
  }
  return `${head.slice(0, -1)},"rows":[${rows.join(',')}]}`;
}

export function partialObjectMetadataList(objs: KubeObject[], meta: ListMeta, version: string): KubeObject {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: meta,
    items: objs.map((o) => partialObjectMetadata(o, version)),
  } as KubeObject;
}
