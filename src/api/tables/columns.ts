// Building blocks of server-side tables, mirroring upstream's printers
// (k8s.io/kubernetes/pkg/printers/internalversion/printers.go): column definitions with the Go
// printer names (kubectl upper-cases them), and the small formatters those printers share.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../machinery/object.js';
import { translateTimestampSince } from '../../machinery/time.js';
import type { TableCell, TableColumn, TableConverter } from '../resource-type.js';

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function col(name: string, type: TableColumn['type'] = 'string', priority = 0, description = ''): TableColumn {
  return { name, type, format: '', description, priority };
}
export const nameCol = (priority = 0): TableColumn => ({ name: 'Name', type: 'string', format: 'name', description: NAME_DOC, priority });
export const ageCol = (): TableColumn => col('Age', 'string', 0, AGE_DOC);
export const wide = (name: string, type: TableColumn['type'] = 'string', description = ''): TableColumn => col(name, type, 1, description);

interface WithMeta {
  metadata?: { name?: string; creationTimestamp?: string };
}
export function nameOf(obj: WithMeta): string {
  return obj.metadata?.name ?? '';
}
export function ageOf(obj: WithMeta, now: Date): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}

/** labels.FormatLabels: `a=1,b=2` sorted by key, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined | null): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}

/** layoutContainerCells: container names and images, comma-joined. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** `list` joined with commas, with upstream's ` + N more...` suffix past `max` entries. */
export function listWithMore(list: string[], total: number, max: number, empty: string): string {
  const ret = list.slice(0, max).join(',');
  if (total > max) return `${ret} + ${total - max} more...`;
  return ret === '' ? empty : ret;
}

/** The Go printers' `%d` of an optional int: 0 when unset. */
export function int(n: number | undefined | null): number {
  return n ?? 0;
}

/** Default for types without a printer (upstream's default table): Name and Created At. */
export const defaultTable: TableConverter = {
  columns: [nameCol(), col('Created At', 'date', 0, AGE_DOC)],
  row: (obj) => [nameOf(obj), obj.metadata?.creationTimestamp ?? null],
};

/** Name + Age only: what several printers (ConfigMap-like types) reduce to. */
export function table<T>(columns: TableColumn[], row: (obj: T, now: Date) => TableCell[]): TableConverter {
  return { columns, row: row as unknown as (obj: KubeObject, now: Date) => TableCell[] };
}
